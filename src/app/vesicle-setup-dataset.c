/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setup form's dataset row (see vesicle-setup-page-private.h): which dataset, its sizes read
 * in a worker the first time it is chosen (a malformed file is refused by name), and the
 * buttons that choose another or go back to the bundled subset.
 */
#include "vesicle-setup-page-private.h"
#include "vesicle-file-dialog.h"
#include "vesicle-format.h"

#include <glib/gi18n.h>


/* The sizes of this type's dataset when it has been read, else NULL. */
const VesicleDatasetInfo *
setup_dataset_info (VesicleSetupPage *self)
{
  g_autofree char *path = NULL;

  if (self->type == NULL || !self->type->uses_dataset)
    return NULL;
  path = vesicle_experiment_dataset_path (self->config);
  return g_hash_table_lookup (self->probed, path);
}

void
setup_update_dataset_row (VesicleSetupPage *self)
{
  g_autofree char *path = NULL, *text = NULL;
  const VesicleDatasetInfo *info;
  const char *error;
  const char *dataset;

  if (self->dataset_row == NULL)
    return;
  path = vesicle_experiment_dataset_path (self->config);
  dataset = json_object_get_string_member_with_default (self->config, "dataset", "bundled");
  info = g_hash_table_lookup (self->probed, path);
  error = g_hash_table_lookup (self->probe_errors, path);
  if (info)
    {
      g_autofree char *train = vesicle_format_count (info->n_train);
      g_autofree char *test = vesicle_format_count (info->n_test);
      g_autofree char *name = g_str_equal (dataset, "bundled")
                              ? g_strdup (_("Bundled MNIST subset"))
                              : g_path_get_basename (path);

      text = g_strdup_printf (_("%s · %s training / %s test images, %u×%u, %u classes"), name,
                              train, test, info->rows, info->cols, info->n_classes);
    }
  else if (error)
    text = g_strdup (error);
  else
    text = g_strdup_printf (_("Reading %s…"), path);
  {
    g_autofree char *escaped = g_markup_escape_text (text, -1);

    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->dataset_row), escaped);
  }
  gtk_widget_set_tooltip_text (self->dataset_row, path);
  gtk_widget_set_visible (self->dataset_reset, !g_str_equal (dataset, "bundled"));
  if (error)
    gtk_widget_add_css_class (self->dataset_row, "error");
  else
    gtk_widget_remove_css_class (self->dataset_row, "error");
}

typedef struct {
  VesicleSetupPage *self;
  char             *path;
} Probe;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Probe *probe = data;
  VesicleSetupPage *self = probe->self;
  g_autoptr(GError) error = NULL;
  VesicleDatasetInfo info;

  if (vesicle_dataset_probe_dir_finish (result, &info, &error))
    g_hash_table_insert (self->probed, g_strdup (probe->path), g_memdup2 (&info, sizeof info));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_hash_table_insert (self->probe_errors, g_strdup (probe->path), g_strdup (error->message));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      setup_update_dataset_row (self);
      setup_validate (self);
    }
  g_object_unref (self);
  g_free (probe->path);
  g_free (probe);
}

/* Reads the dataset once per folder, in a worker: every file checked, the sizes kept. */
void
setup_probe_dataset (VesicleSetupPage *self)
{
  g_autofree char *path = NULL;
  Probe *probe;

  if (self->type == NULL || !self->type->uses_dataset)
    return;
  path = vesicle_experiment_dataset_path (self->config);
  if (g_hash_table_contains (self->probed, path)
      || g_hash_table_contains (self->probe_errors, path))
    return;
  probe = g_new0 (Probe, 1);
  probe->self = g_object_ref (self);
  probe->path = g_strdup (path);
  vesicle_dataset_probe_dir_async (path, self->cancellable, on_probed, probe);
}

void
setup_set_dataset (VesicleSetupPage *self,
                   const char       *dataset)
{
  json_object_set_string_member (self->config, "dataset", dataset);
  setup_update_dataset_row (self);
  setup_probe_dataset (self);
  setup_validate (self);
}

static void
on_dataset_chosen (const char *path,
                   gpointer    data)
{
  VesicleSetupPage *self = data;

  if (path == NULL)
    return;
  /* a folder chosen again is read again: its files may have changed */
  g_hash_table_remove (self->probed, path);
  g_hash_table_remove (self->probe_errors, path);
  setup_set_dataset (self, path);
}

static void
on_dataset_open (GtkButton        *button,
                 VesicleSetupPage *self)
{
  g_autofree char *current = vesicle_experiment_dataset_path (self->config);
  g_autofree char *parent = g_path_get_dirname (current);

  vesicle_file_dialog_run (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                           _("Choose a Dataset Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                           _("_Choose"), parent, NULL, on_dataset_chosen, self);
}

static void
on_dataset_reset (GtkButton        *button,
                  VesicleSetupPage *self)
{
  setup_set_dataset (self, "bundled");
}

GtkWidget *
setup_dataset_row_new (VesicleSetupPage *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open…"));
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Bundled"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Dataset"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, _("Any folder of MNIST-format IDX files, such as "
                                       "Fashion-MNIST"));
  gtk_widget_set_tooltip_text (reset, _("The bundled 10,000-digit MNIST subset"));
  gtk_widget_add_css_class (reset, "flat");
  g_signal_connect (open, "clicked", G_CALLBACK (on_dataset_open), self);
  g_signal_connect (reset, "clicked", G_CALLBACK (on_dataset_reset), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  self->dataset_row = row;
  self->dataset_reset = reset;
  return row;
}

