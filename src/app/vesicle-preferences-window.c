/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-preferences-window.h"
#include "vesicle-cl-engine.h"
#include "vesicle-combo-row.h"
#include "vesicle-export-window.h"
#include "vesicle-file-dialog.h"
#include "vesicle-format.h"
#include "vesicle-window.h"

#include <glib/gi18n.h>


struct _VesiclePreferencesWindow {
  AdwPreferencesWindow parent_instance;

  AdwComboRow         *device_row;
  AdwActionRow        *platform_row;
  AdwActionRow        *driver_row;
  AdwActionRow        *units_row;
  AdwActionRow        *memory_row;
  AdwActionRow        *cache_row;
  AdwPreferencesGroup *gemm_group;
  AdwActionRow        *tuning_row;
  GtkButton           *tune_button;
  GtkButton           *cancel_tune_button;
  AdwActionRow        *tuning_progress_row;
  GtkProgressBar      *tuning_progress;
  AdwComboRow         *format_row;
  AdwComboRow         *width_row;
  GtkSpinButton       *dpi;
  AdwActionRow        *folder_row;

  VesicleApplication  *app;
  GCancellable        *tuning;          /* while a tuning runs */
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (VesiclePreferencesWindow, vesicle_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static GSettings *
settings (VesiclePreferencesWindow *self)
{
  return vesicle_application_get_settings (self->app);
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "–", -1);

  adw_action_row_set_subtitle (row, escaped);
}

static void
update_tuning (VesiclePreferencesWindow *self)
{
  const VesicleDeviceDescription *d = vesicle_application_get_device (self->app);
  g_autofree char *status = d ? vesicle_cl_gemm_tuning_status (d) : NULL;
  gboolean measured = FALSE;
  gboolean clblast = d != NULL && vesicle_cl_device_uses_clblast (d, &measured);

  /* one story: which products this device's experiments run, why, and what tuning does */
  adw_preferences_group_set_description (
    self->gemm_group,
    d == NULL ? NULL
    : !measured && !clblast
    ? _("Experiments on this device multiply matrices with Vesicle's own kernels, as the "
        "VESICLE_GEMM environment variable asks. Tuning times them and CLBlast on the products "
        "of a training step, for when it is unset; it builds a dozen kernels and can take "
        "several minutes.")
    : !measured ? _("Neither CLBlast nor Vesicle's own kernels have been timed on this device "
                    "yet. The first experiment on it times both on the products of a training "
                    "step, for a few seconds, and every experiment then multiplies matrices "
                    "with the faster. Tuning also searches CLBlast's parameters; it builds a "
                    "dozen kernels and can take several minutes.")
    : clblast ? _("Experiments on this device multiply matrices with CLBlast, measured faster "
                  "here than Vesicle's own kernels. Tuning times both again on the products of "
                  "a training step and keeps the faster, with CLBlast's best parameters; it "
                  "builds a dozen kernels and can take several minutes.")
              : _("Experiments on this device multiply matrices with Vesicle's own kernels, "
                  "measured faster here than CLBlast. Tuning times both again on the products "
                  "of a training step and keeps the faster; it builds a dozen kernels and can "
                  "take several minutes."));
  set_subtitle (self->tuning_row, status);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tune_button), d != NULL && self->tuning == NULL);
}

static void
update_device (VesiclePreferencesWindow *self)
{
  GPtrArray *devices = vesicle_application_get_devices (self->app);
  const VesicleDeviceDescription *d = vesicle_application_get_device (self->app);
  guint selected;
  g_autoptr(GtkStringList) model = vesicle_application_dup_device_choices (self->app, &selected);

  self->updating = TRUE;
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->device_row, selected);
  self->updating = FALSE;
  if (d)
    {
      g_autofree char *display = vesicle_cl_device_display_name (d);
      g_autofree char *name = selected != 0 ? g_markup_escape_text (display, -1)
                              : d->gpu ? g_markup_printf_escaped (_("%s, chosen as the first "
                                                                    "GPU"), display)
                              : g_markup_printf_escaped (_("%s, chosen because there is no "
                                                           "GPU"), display);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row), name);
    }
  if (d)
    {
      g_autofree char *platform = g_strdup_printf ("%s (%s)", d->platform, d->platform_version);
      g_autofree char *driver = g_strdup_printf ("%s · %s", d->driver, d->version);
      g_autofree char *units = g_strdup_printf ("%u", d->compute_units);
      g_autofree char *mib = vesicle_format_count (d->memory >> 20);
      g_autofree char *alloc = vesicle_format_count (d->max_alloc >> 20);
      g_autofree char *memory = g_strdup_printf (_("%s MiB (at most %s MiB in one buffer)"), mib,
                                                 alloc);

      set_subtitle (self->platform_row, platform);
      set_subtitle (self->driver_row, driver);
      set_subtitle (self->units_row, units);
      set_subtitle (self->memory_row, memory);
    }
  else
    {
      const char *why = vesicle_application_get_devices_error (self->app);

      set_subtitle (self->platform_row, devices == NULL ? _("Looking for devices…")
                                        : why ? why : _("No such device"));
      set_subtitle (self->driver_row, NULL);
      set_subtitle (self->units_row, NULL);
      set_subtitle (self->memory_row, NULL);
    }
  update_tuning (self);
}

static void
on_device_selected (VesiclePreferencesWindow *self)
{
  if (self->updating)
    return;
  vesicle_application_choose_device (self->app, adw_combo_row_get_selected (self->device_row));
}

static void
on_copy_diagnostics (VesiclePreferencesWindow *self)
{
  g_autofree char *text = vesicle_cl_diagnostics (vesicle_application_get_device (self->app));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Diagnostics copied")));
}

static void
update_cache (VesiclePreferencesWindow *self)
{
  g_autofree char *dir = vesicle_cl_kernel_cache_dir ();
  g_autofree char *size = g_format_size (vesicle_cl_kernel_cache_size ());
  g_autofree char *text = g_strdup_printf ("%s · %s", dir, size);

  set_subtitle (self->cache_row, text);
}

static void
on_clear_cache (VesiclePreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (vesicle_cl_kernel_cache_clear (&error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Kernel cache cleared; the next run "
                                                       "builds the kernels again")));
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (error->message));
  update_cache (self);
}

static void
show_tuning (VesiclePreferencesWindow *self,
             gboolean                  running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->tune_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_tune_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->tuning_progress_row), running);
  gtk_progress_bar_set_fraction (self->tuning_progress, 0);
  update_tuning (self);
}

static void
on_tune_progress (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  VesiclePreferencesWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->tuning_progress, fraction);
  set_subtitle (self->tuning_progress_row, message);
}

static void
on_tuned (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VesiclePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) report = vesicle_cl_tune_gemm_finish (result, &error);
  g_autofree char *text = NULL;

  g_clear_object (&self->tuning);
  /* the window closed (disposing it cancelled the tuning): nothing left to show it in */
  if (self->tuning_row == NULL)
    return;
  show_tuning (self, FALSE);
  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (report)
    /* TRANSLATORS: %s is the name of the chosen parameters, %.2f how much faster they are */
    text = g_strdup_printf (_("Tuned: %s, %.2f× CLBlast's own speed"),
                            json_object_get_string_member (report, "label"),
                            json_object_get_double_member (report, "speedup"));
  else
    text = g_strdup_printf (_("Tuning failed: %s"), error->message);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
on_tune (VesiclePreferencesWindow *self)
{
  const VesicleDeviceDescription *d = vesicle_application_get_device (self->app);
  g_autofree char *selector = NULL;

  if (d == NULL || self->tuning != NULL)
    return;
  /* CLBlast's parameters are the process's: switching them under a run would skew its timing */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->app)); l; l = l->next)
    if (VESICLE_IS_WINDOW (l->data) && vesicle_window_get_running (l->data))
      {
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Tuning waits until no experiment "
                                                           "is training")));
        return;
      }
  selector = g_strdup_printf ("%u", d->index);
  self->tuning = g_cancellable_new ();
  show_tuning (self, TRUE);
  set_subtitle (self->tuning_progress_row, _("Starting…"));
  vesicle_cl_tune_gemm_async (selector, on_tune_progress, self, self->tuning, on_tuned,
                              g_object_ref (self));
}

static void
on_cancel_tune (VesiclePreferencesWindow *self)
{
  g_cancellable_cancel (self->tuning);
}

static void
update_export (VesiclePreferencesWindow *self)
{
  g_autofree char *format = g_settings_get_string (settings (self), "export-format");
  double width = g_settings_get_double (settings (self), "export-width-mm");

  self->updating = TRUE;
  for (guint i = 0; i < VESICLE_N_EXPORT_FORMATS; i++)
    if (g_str_equal (format, vesicle_export_format_name (vesicle_export_formats[i])))
      adw_combo_row_set_selected (self->format_row, i);
  for (guint i = 0; i < VESICLE_N_EXPORT_WIDTHS; i++)
    if (width == vesicle_export_widths_mm[i])
      adw_combo_row_set_selected (self->width_row, i);
  gtk_spin_button_set_value (self->dpi, g_settings_get_double (settings (self), "export-dpi"));
  self->updating = FALSE;
}

static void
on_export_changed (VesiclePreferencesWindow *self)
{
  guint f = adw_combo_row_get_selected (self->format_row);
  guint w = adw_combo_row_get_selected (self->width_row);

  if (self->updating)
    return;
  if (f < VESICLE_N_EXPORT_FORMATS)
    g_settings_set_string (settings (self), "export-format",
                           vesicle_export_format_name (vesicle_export_formats[f]));
  if (w < VESICLE_N_EXPORT_WIDTHS)
    g_settings_set_double (settings (self), "export-width-mm", vesicle_export_widths_mm[w]);
  g_settings_set_double (settings (self), "export-dpi", gtk_spin_button_get_value (self->dpi));
}

static void
update_folder (VesiclePreferencesWindow *self)
{
  g_autofree char *folder = vesicle_application_get_experiments_folder (self->app);

  set_subtitle (self->folder_row, folder);
}

static void
on_folder_chosen (const char *path,
                  gpointer    data)
{
  VesiclePreferencesWindow *self = data;

  if (path)
    g_settings_set_string (settings (self), "experiments-folder", path);
}

static void
on_choose_folder (VesiclePreferencesWindow *self)
{
  g_autofree char *folder = vesicle_application_get_experiments_folder (self->app);

  vesicle_file_dialog_run (GTK_WINDOW (self), _("Experiments Folder"),
                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"), folder, NULL,
                           on_folder_chosen, self);
}

static void
on_reset_folder (VesiclePreferencesWindow *self)
{
  g_settings_reset (settings (self), "experiments-folder");
}

static void
vesicle_preferences_window_dispose (GObject *object)
{
  VesiclePreferencesWindow *self = VESICLE_PREFERENCES_WINDOW (object);

  /* the tuning holds a reference until it has stopped; its progress stops now */
  g_cancellable_cancel (self->tuning);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->app);
  G_OBJECT_CLASS (vesicle_preferences_window_parent_class)->dispose (object);
}

static void
vesicle_preferences_window_class_init (VesiclePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_preferences_window_dispose;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/vesicle/Vesicle/ui/vesicle-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, platform_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, driver_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, units_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, memory_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, cache_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, gemm_group);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, tuning_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, tune_button);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow,
                                        cancel_tune_button);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow,
                                        tuning_progress_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, tuning_progress);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, format_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, width_row);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, dpi);
  gtk_widget_class_bind_template_child (widget_class, VesiclePreferencesWindow, folder_row);
  gtk_widget_class_bind_template_callback (widget_class, on_device_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_diagnostics);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_cache);
  gtk_widget_class_bind_template_callback (widget_class, on_tune);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_tune);
  gtk_widget_class_bind_template_callback (widget_class, on_export_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_folder);
}

static void
vesicle_preferences_window_init (VesiclePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vesicle_combo_row_show_whole_choices (self->device_row);
  vesicle_combo_row_show_whole_choices (self->format_row);
  vesicle_combo_row_show_whole_choices (self->width_row);
}

GtkWindow *
vesicle_preferences_window_new (VesicleApplication *app,
                                GtkWindow          *parent)
{
  VesiclePreferencesWindow *self = g_object_new (VESICLE_TYPE_PREFERENCES_WINDOW,
                                                 "transient-for", parent, NULL);

  self->app = g_object_ref (app);
  g_signal_connect_object (app, "notify::devices", G_CALLBACK (update_device), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings (self), "changed::device", G_CALLBACK (update_device), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings (self), "changed::experiments-folder",
                           G_CALLBACK (update_folder), self, G_CONNECT_SWAPPED);
  update_device (self);
  update_cache (self);
  update_export (self);
  update_folder (self);
  return GTK_WINDOW (self);
}
