/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-start-page.h"
#include "vesicle-application.h"
#include "vesicle-experiment-record.h"
#include "vesicle-reproduction-folder.h"

#include "vesicle-run-status.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _VesicleStartPage {
  GtkWidget            parent_instance;

  GtkStack            *stack;
  AdwPreferencesGroup *recent_group;
  GPtrArray           *rows;         /* the rows shown, to remove on refresh */
  GPtrArray           *entries;      /* each recent folder's row (a floating ref sunk), or
                                      * NULL while unread or unreadable, by recent index */
  guint                pending;
  guint                generation;   /* a refresh makes replies to the one before stale */
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (VesicleStartPage, vesicle_start_page, GTK_TYPE_WIDGET)

enum {
  OPEN_FOLDER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_row_activated (AdwActionRow     *row,
                  VesicleStartPage *self)
{
  g_signal_emit (self, signals[OPEN_FOLDER], 0, g_object_get_data (G_OBJECT (row), "dir"));
}

static GtkWidget *
record_row (VesicleExperimentRecord *rec)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = g_path_get_basename (rec->dir);
  g_autofree char *when = rec->started ? g_date_time_format (rec->started, "%-d %B %Y, %H:%M")
                                       : g_strdup ("");
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s · %s", _(rec->title),
                                               rec->preset ? rec->preset : "custom",
                                               g_strstrip (when),
                                               vesicle_run_status_words (rec->status));
  g_autofree char *title = g_markup_escape_text (name, -1);
  g_autofree char *sub = g_markup_escape_text (subtitle, -1);
  GtkWidget *icon = gtk_image_new_from_icon_name (vesicle_run_status_icon (rec->status));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, rec->dir);
  g_object_set_data_full (G_OBJECT (row), "dir", g_strdup (rec->dir), g_free);
  return row;
}

/* A reproduction: its folder, how many of its experiments completed, whether the report is
 * written. */
static GtkWidget *
reproduction_row (VesicleReproductionFolder *folder)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = g_path_get_basename (folder->dir);
  g_autofree char *when = folder->started
                          ? g_date_time_format (folder->started, "%-d %B %Y, %H:%M")
                          : g_strdup ("");
  guint done = vesicle_reproduction_folder_n_completed (folder);
  g_autofree char *state = folder->report && done == folder->n
                           ? g_strdup (_("every experiment and the report"))
                           : g_strdup_printf (_("%u of %u experiments completed"), done,
                                              folder->n);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s · %s",
                                               _("Reproduction of the paper"),
                                               folder->preset ? folder->preset : _("mixed"),
                                               g_strstrip (when), state);
  g_autofree char *title = g_markup_escape_text (name, -1);
  g_autofree char *sub = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (done == folder->n
                                                           ? "emblem-ok-symbolic"
                                                           : "dialog-warning-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, folder->dir);
  g_object_set_data_full (G_OBJECT (row), "dir", g_strdup (folder->dir), g_free);
  return row;
}

static void
entry_free (gpointer row)
{
  if (row)
    g_object_unref (row);
}

/* All replies are in: the rows in the order of the recent list. */
static void
show_records (VesicleStartPage *self)
{
  guint shown = 0;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->recent_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->entries->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->entries, i);

      if (row == NULL)
        continue;
      g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->rows, row);
      shown++;
    }
  gtk_stack_set_visible_child_name (self->stack, shown ? "recent" : "empty");
}

typedef struct {
  VesicleStartPage *self;
  guint             index;
  guint             generation;
} Reply;

/* One recent folder read, as its row or NULL: a folder moved or deleted since is simply not
 * shown. */
static void
got_row (Reply     *reply,
         GtkWidget *row)
{
  VesicleStartPage *self = reply->self;

  if (row)
    g_object_ref_sink (row);
  if (reply->generation == self->generation && self->entries != NULL)
    {
      g_ptr_array_index (self->entries, reply->index) = row;
      if (--self->pending == 0)
        show_records (self);
    }
  else if (row)
    g_object_unref (row);
  g_object_unref (self);
  g_free (reply);
}

static void
on_record (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(VesicleExperimentRecord) rec = vesicle_experiment_record_load_finish (result, NULL);

  got_row (data, rec ? record_row (rec) : NULL);
}

static void
on_reproduction (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(VesicleReproductionFolder) folder =
    vesicle_reproduction_folder_load_finish (result, NULL);

  got_row (data, folder ? reproduction_row (folder) : NULL);
}

/* What the page lists: the recent folders first, then the rest of the experiments folder,
 * newest first, each once; and which of them are reproductions. Read in a worker: the folder
 * may be large or slow. */
typedef struct {
  GStrv      recent;
  char      *folder;
  GPtrArray *paths;          /* char *, in the order shown */
  GArray    *reproductions;  /* gboolean, by path */
} Listing;

#define MAX_FROM_FOLDER 30

static void
listing_free (gpointer data)
{
  Listing *l = data;

  g_strfreev (l->recent);
  g_free (l->folder);
  g_clear_pointer (&l->paths, g_ptr_array_unref);
  g_clear_pointer (&l->reproductions, g_array_unref);
  g_free (l);
}

static void
list_in_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Listing *l = data;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) saved = vesicle_saved_folders_list (l->folder, MAX_FROM_FOLDER);

  l->paths = g_ptr_array_new_with_free_func (g_free);
  l->reproductions = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n = pass == 0 ? g_strv_length (l->recent) : saved->len;

      for (guint i = 0; i < n; i++)
        {
          const char *path = pass == 0 ? l->recent[i] : g_ptr_array_index (saved, i);
          gboolean reproduction;

          if (g_hash_table_contains (seen, path))
            continue;
          g_hash_table_add (seen, (gpointer) path);
          reproduction = vesicle_reproduction_folder_detect (path);
          g_ptr_array_add (l->paths, g_strdup (path));
          g_array_append_val (l->reproductions, reproduction);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  VesicleStartPage *self = data;
  Listing *l = g_task_get_task_data (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "generation"));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || generation != self->generation
      || self->entries == NULL)
    {
      g_object_unref (self);
      return;
    }
  g_ptr_array_set_size (self->entries, 0);
  g_ptr_array_set_size (self->entries, l->paths->len);
  self->pending = l->paths->len;
  if (self->pending == 0)
    show_records (self);
  for (guint i = 0; i < l->paths->len; i++)
    {
      const char *path = g_ptr_array_index (l->paths, i);
      Reply *reply = g_new0 (Reply, 1);

      reply->self = g_object_ref (self);
      reply->index = i;
      reply->generation = self->generation;
      if (g_array_index (l->reproductions, gboolean, i))
        vesicle_reproduction_folder_load_async (path, FALSE, self->cancellable, on_reproduction,
                                                reply);
      else
        vesicle_experiment_record_load_async (path, FALSE, self->cancellable, on_record, reply);
    }
  g_object_unref (self);
}

void
vesicle_start_page_refresh (VesicleStartPage *self)
{
  VesicleApplication *app = vesicle_application_get_default ();
  GSettings *settings = vesicle_application_get_settings (app);
  g_autoptr(GTask) task = NULL;
  Listing *l = g_new0 (Listing, 1);

  g_return_if_fail (VESICLE_IS_START_PAGE (self));
  self->generation++;
  l->recent = g_settings_get_strv (settings, "recent-experiments");
  l->folder = vesicle_application_get_experiments_folder (app);
  task = g_task_new (NULL, self->cancellable, on_listed, g_object_ref (self));
  g_object_set_data (G_OBJECT (task), "generation", GUINT_TO_POINTER (self->generation));
  g_task_set_task_data (task, l, listing_free);
  g_task_run_in_thread (task, list_in_thread);
}

static void
vesicle_start_page_dispose (GObject *object)
{
  VesicleStartPage *self = VESICLE_START_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_START_PAGE);
  /* a GtkWidget removes its children itself: the template's root is not a bound child */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vesicle_start_page_parent_class)->dispose (object);
}

static void
vesicle_start_page_class_init (VesicleStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_start_page_dispose;
  signals[OPEN_FOLDER] = g_signal_new ("open-folder", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleStartPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VesicleStartPage, recent_group);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_start_page_init (VesicleStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
vesicle_start_page_new (void)
{
  return g_object_new (VESICLE_TYPE_START_PAGE, NULL);
}
