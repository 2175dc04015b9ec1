/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-reproduction-view.h"
#include "vesicle-reproduction-folder.h"
#include "vesicle-reproduction.h"
#include "vesicle-figure.h"
#include "vesicle-format.h"
#include "vesicle-report.h"

#include "vesicle-run-status.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _VesicleReproductionView {
  GtkWidget                  parent_instance;

  GtkScrolledWindow         *scroller;
  GtkLabel                  *details;
  GtkImage                  *status_icon;
  GtkLabel                  *status_label;
  AdwActionRow              *report_row;
  GtkWidget                 *write_button;
  GtkWidget                 *open_button;
  GtkListBox                *experiments_list;
  AdwPreferencesGroup       *claims_group;
  GtkListBox                *claims_list;

  VesicleReproductionFolder *folder;
  char                      *loading;       /* the folder being read */
  GCancellable              *cancellable;
  gboolean                   writing;
};

G_DEFINE_FINAL_TYPE (VesicleReproductionView, vesicle_reproduction_view, GTK_TYPE_WIDGET)

enum {
  LOADED,
  FAILED,
  NOT_REPRODUCTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (list)));)
    gtk_list_box_remove (list, child);
}

/* One experiment: its title and figures, how it ended and how long it took; activating it
 * opens its folder. */
static GtkWidget *
experiment_row (const VesicleExperimentType   *type,
                const VesicleExperimentRecord *rec,
                const char                    *problem,
                const char                    *dir)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *sub = g_build_filename (dir, type->name, NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *figures = vesicle_figure_names_text (type->figures);
  const char *icon = "list-remove-symbolic";

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(type->title));
  if (rec)
    {
      g_autofree char *took = NULL;

      if (rec->finished && isfinite (vesicle_experiment_record_took (rec)))
        took = vesicle_format_duration (vesicle_experiment_record_took (rec));
      subtitle = took ? g_strdup_printf (_("%s · %s · took %s"), figures,
                                         vesicle_run_status_words (rec->status), took)
                      : g_strdup_printf (_("%s · %s"), figures,
                                         vesicle_run_status_words (rec->status));
      icon = vesicle_run_status_icon (rec->status);
    }
  else if (problem)
    {
      subtitle = g_strdup_printf (_("%s · cannot be read: %s"), figures, problem);
      icon = "dialog-error-symbolic";
    }
  else
    subtitle = g_strdup_printf (_("%s · not run"), figures);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  if (rec)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-folder");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", sub);
      gtk_widget_set_tooltip_text (row, sub);
    }
  return row;
}

static const char *
verdict_words (VesicleVerdict verdict)
{
  switch (verdict)
    {
    case VESICLE_VERDICT_AGREES: return _("Agrees");
    case VESICLE_VERDICT_DISAGREES: return _("Disagrees");
    case VESICLE_VERDICT_REFERENCE: return _("Reference value, not judged");
    case VESICLE_VERDICT_UNTESTED: return _("Not testable at this preset");
    }
  return "";
}

/* One claim: the figure and the paper's words, then the rule, what was measured, why it
 * disagrees and where it comes from. The row's fields are Pango markup already. */
static GtkWidget *
claim_row (const VesicleReproductionRow *r)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *symbol = gtk_label_new (vesicle_reproduction_verdict_symbol (r->verdict));
  g_autofree char *figure = g_markup_escape_text (r->figure, -1);
  g_autofree char *title = g_strdup_printf ("<b>%s</b>  %s", figure, r->claim);
  GString *subtitle = g_string_new (NULL);

  g_string_append_printf (subtitle, _("Rule: %s"), r->rule);
  g_string_append_c (subtitle, '\n');
  g_string_append_printf (subtitle, _("Measured: %s"), r->measured);
  if (r->reason)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, _("Why: %s"), r->reason);
    }
  g_string_append_c (subtitle, '\n');
  g_string_append (subtitle, r->source);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  g_string_free (subtitle, TRUE);
  gtk_widget_add_css_class (symbol, "verdict");
  gtk_widget_add_css_class (symbol, r->verdict == VESICLE_VERDICT_AGREES ? "success"
                                    : r->verdict == VESICLE_VERDICT_DISAGREES ? "error"
                                    : "dim-label");
  gtk_widget_set_valign (symbol, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (symbol, verdict_words (r->verdict));
  gtk_accessible_update_property (GTK_ACCESSIBLE (symbol), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  verdict_words (r->verdict), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), symbol);
  return row;
}

static void
show_folder (VesicleReproductionView *self)
{
  VesicleReproductionFolder *f = self->folder;
  const VesicleExperimentType *const *types;
  guint n, done = vesicle_reproduction_folder_n_completed (f), counts[4] = { 0 };
  g_autofree char *when = f->started ? g_date_time_format (f->started, "%-d %B %Y, %H:%M")
                                     : NULL;
  g_autofree char *details = NULL, *status = NULL, *counted = NULL;

  details = g_strdup_printf (_("%s preset · started %s · %s"),
                             f->preset ? f->preset : _("mixed"),
                             when ? g_strstrip (when) : _("unknown"), f->dir);
  gtk_label_set_text (self->details, details);

  if (done == f->n && f->report)
    status = g_strdup (_("Every experiment completed, and the report is written."));
  else if (done == f->n)
    status = g_strdup (_("Every experiment completed; the report is not written yet."));
  else
    status = g_strdup_printf (g_dngettext (NULL, "%u of %u experiments completed. The table "
                                           "judges what they measured; the others’ claims are "
                                           "missing from it.",
                                           "%u of %u experiments completed. The table judges "
                                           "what they measured; the others’ claims are missing "
                                           "from it.", done),
                              done, f->n);
  gtk_label_set_text (self->status_label, status);
  gtk_image_set_from_icon_name (self->status_icon, done == f->n ? "emblem-ok-symbolic"
                                                                : "dialog-warning-symbolic");

  adw_action_row_set_subtitle (self->report_row,
                               f->report ? _("Every figure, and the measured values beside the "
                                             "paper’s")
                               : done ? _("Not written yet: the experiments that completed "
                                          "are enough for one")
                                      : _("Not written: no experiment has completed"));
  gtk_widget_set_visible (self->open_button, f->report != NULL);
  if (f->report)
    {
      /* target first: an action name without its target would be a type mismatch */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s", f->report);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "win.show-path");
    }
  gtk_button_set_label (GTK_BUTTON (self->write_button),
                        f->report ? _("_Write Again") : _("_Write Report"));
  gtk_widget_set_sensitive (self->write_button, done > 0 && !self->writing);

  clear_list (self->experiments_list);
  types = vesicle_reproduction_experiments (&n);
  for (guint i = 0; i < n && i < f->n; i++)
    gtk_list_box_append (self->experiments_list,
                         experiment_row (types[i], f->experiments[i], f->problems[i], f->dir));

  clear_list (self->claims_list);
  for (guint i = 0; f->rows && i < f->rows->len; i++)
    {
      const VesicleReproductionRow *r = g_ptr_array_index (f->rows, i);

      counts[r->verdict]++;
      gtk_list_box_append (self->claims_list, claim_row (r));
    }
  if (f->rows_error)
    counted = g_strdup_printf (_("The table cannot be made: %s"), f->rows_error);
  else
    /* TRANSLATORS: counts of the report's verdicts: agrees, disagrees, reference, untested */
    counted = g_strdup_printf (_("%u agree (✓), %u disagree (✗), %u reference values shown "
                                 "without a verdict (○), %u not testable at this preset (–). "
                                 "Each verdict follows from the rule stated in its row."),
                               counts[VESICLE_VERDICT_AGREES], counts[VESICLE_VERDICT_DISAGREES],
                               counts[VESICLE_VERDICT_REFERENCE],
                               counts[VESICLE_VERDICT_UNTESTED]);
  adw_preferences_group_set_description (self->claims_group, counted);
  gtk_widget_set_visible (GTK_WIDGET (self->claims_list), f->rows && f->rows->len > 0);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  VesicleReproductionView *self = data;
  g_autoptr(GError) error = NULL;
  VesicleReproductionFolder *folder = vesicle_reproduction_folder_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (g_error_matches (error, VESICLE_REPRODUCTION_FOLDER_ERROR,
                            VESICLE_REPRODUCTION_FOLDER_ERROR_NOT_ONE))
    g_signal_emit (self, signals[NOT_REPRODUCTION], 0, self->loading);
  else if (folder == NULL)
    g_signal_emit (self, signals[FAILED], 0, error->message);
  else
    {
      gboolean same = self->folder && g_str_equal (self->folder->dir, folder->dir);

      g_clear_pointer (&self->folder, vesicle_reproduction_folder_free);
      self->folder = folder;
      show_folder (self);
      /* a new folder opens at its top; the same one, reread, stays where the reader is */
      if (!same)
        gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
      g_signal_emit (self, signals[LOADED], 0);
    }
  g_object_unref (self);
}

void
vesicle_reproduction_view_load (VesicleReproductionView *self,
                                const char              *dir)
{
  g_return_if_fail (VESICLE_IS_REPRODUCTION_VIEW (self));
  g_return_if_fail (dir != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->loading);
  self->loading = g_strdup (dir);
  vesicle_reproduction_folder_load_async (dir, TRUE, self->cancellable, on_loaded,
                                          g_object_ref (self));
}

static void
on_report_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  VesicleReproductionView *self = data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!vesicle_report_write_pdf_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The report could not be written: %s"),
                                               error->message);

      gtk_label_set_text (self->status_label, text);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_set_sensitive (self->write_button, TRUE);
    }
  else if (self->folder)
    vesicle_reproduction_view_load (self, self->folder->dir);
  g_object_unref (self);
}

static void
on_write_clicked (GtkButton               *button,
                  VesicleReproductionView *self)
{
  g_autofree char *path = NULL;

  g_autoptr(GError) error = NULL;

  if (self->folder == NULL || self->writing)
    return;
  if (!(path = vesicle_reproduction_folder_report_path (self->folder->dir, &error)))
    {
      g_autofree char *text = g_strdup_printf (_("The report could not be written: %s"),
                                               error->message);

      gtk_label_set_text (self->status_label, text);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      return;
    }
  self->writing = TRUE;
  gtk_widget_set_sensitive (self->write_button, FALSE);
  adw_action_row_set_subtitle (self->report_row, _("Writing…"));
  vesicle_report_write_pdf_async (self->folder->dir, path, NULL, on_report_written,
                                  g_object_ref (self));
}

const char *
vesicle_reproduction_view_get_folder (VesicleReproductionView *self)
{
  g_return_val_if_fail (VESICLE_IS_REPRODUCTION_VIEW (self), NULL);
  return self->folder ? self->folder->dir : NULL;
}

guint
vesicle_reproduction_view_get_n_claims (VesicleReproductionView *self)
{
  g_return_val_if_fail (VESICLE_IS_REPRODUCTION_VIEW (self), 0);
  return self->folder && self->folder->rows ? self->folder->rows->len : 0;
}

guint
vesicle_reproduction_view_get_n_completed (VesicleReproductionView *self)
{
  g_return_val_if_fail (VESICLE_IS_REPRODUCTION_VIEW (self), 0);
  return self->folder ? vesicle_reproduction_folder_n_completed (self->folder) : 0;
}

gboolean
vesicle_reproduction_view_has_report (VesicleReproductionView *self)
{
  g_return_val_if_fail (VESICLE_IS_REPRODUCTION_VIEW (self), FALSE);
  return self->folder && self->folder->report;
}

static void
vesicle_reproduction_view_dispose (GObject *object)
{
  VesicleReproductionView *self = VESICLE_REPRODUCTION_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_REPRODUCTION_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->folder, vesicle_reproduction_folder_free);
  g_clear_pointer (&self->loading, g_free);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vesicle_reproduction_view_parent_class)->dispose (object);
}

static void
vesicle_reproduction_view_class_init (VesicleReproductionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_reproduction_view_dispose;
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* the folder is not a reproduction (it may be one experiment); nothing shown changed */
  signals[NOT_REPRODUCTION] = g_signal_new ("not-reproduction", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                            1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-reproduction-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, scroller);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, details);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, status_icon);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, status_label);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, report_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, write_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, open_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, experiments_list);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, claims_group);
  gtk_widget_class_bind_template_child (widget_class, VesicleReproductionView, claims_list);
  gtk_widget_class_bind_template_callback (widget_class, on_write_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_reproduction_view_init (VesicleReproductionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
vesicle_reproduction_view_new (void)
{
  return g_object_new (VESICLE_TYPE_REPRODUCTION_VIEW, NULL);
}
