/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-export-window.h"
#include "vesicle-application.h"
#include "vesicle-combo-row.h"
#include "vesicle-file-dialog.h"
#include "vesicle-figure-view.h"
#include "vesicle-figure.h"
#include "vesicle-format.h"

#include <glib/gi18n.h>
#include <math.h>

#define PT_PER_MM (72.0 / 25.4)

const VesicleExportFormat vesicle_export_formats[VESICLE_N_EXPORT_FORMATS] = {
  VESICLE_EXPORT_PDF, VESICLE_EXPORT_SVG, VESICLE_EXPORT_PNG, VESICLE_EXPORT_CSV,
};
const double vesicle_export_widths_mm[VESICLE_N_EXPORT_WIDTHS] = { 85.0, 114.0, 174.0 };
#define CUSTOM_WIDTH VESICLE_N_EXPORT_WIDTHS

/* The folder the last export went to, for the next one in this session. */
static char *last_folder;

struct _VesicleExportWindow {
  AdwWindow          parent_instance;

  AdwWindowTitle    *window_title;
  VesicleFigureView *preview;
  GtkAspectFrame    *preview_frame;
  AdwComboRow       *figure_row;
  AdwComboRow       *format_row;
  AdwComboRow       *width_row;
  GtkWidget         *custom_row;
  GtkSpinButton     *custom_width;
  AdwActionRow      *height_row;
  GtkSpinButton     *height;
  AdwActionRow      *dpi_row;
  GtkSpinButton     *dpi;
  AdwEntryRow       *name_row;
  GtkLabel          *error_label;
  GtkButton         *export_button;

  char              *dir;
  char              *figure;
  GPtrArray         *figures;     /* the experiment's, in the figure row's order */
  gboolean           partial;
  VesiclePlot       *plot;        /* the preview's, owned by the view; for sizes */
  char              *suggested;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (VesicleExportWindow, vesicle_export_window, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static VesicleExportFormat
chosen_format (VesicleExportWindow *self)
{
  guint i = adw_combo_row_get_selected (self->format_row);

  return vesicle_export_formats[MIN (i, VESICLE_N_EXPORT_FORMATS - 1)];
}

static const char *
chosen_extension (VesicleExportWindow *self)
{
  return vesicle_export_format_name (chosen_format (self));
}

static double
chosen_width (VesicleExportWindow *self)
{
  guint i = adw_combo_row_get_selected (self->width_row);

  return i < CUSTOM_WIDTH ? vesicle_export_widths_mm[i]
                          : gtk_spin_button_get_value (self->custom_width);
}

/* The height written: the one typed, else the figure's own at this width. */
static double
chosen_height (VesicleExportWindow *self)
{
  double h = gtk_spin_button_get_value (self->height);

  if (h > 0)
    return h;
  return self->plot ? vesicle_plot_export_height_mm (self->plot, chosen_width (self)) : 0;
}

/* "tradeoff-2026-12-01-1403-fig2.pdf" */
static void
suggest_name (VesicleExportWindow *self)
{
  g_autofree char *base = g_path_get_basename (self->dir);

  g_free (self->suggested);
  self->suggested = g_strdup_printf ("%s-%s.%s", base, self->figure, chosen_extension (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->suggested);
}

static const char *
format_description (VesicleExportFormat format)
{
  switch (format)
    {
    case VESICLE_EXPORT_PDF:
      return _("Vector; text stays text, fonts embedded");
    case VESICLE_EXPORT_SVG:
      return _("Vector; text as outlines");
    case VESICLE_EXPORT_PNG:
      return _("An image at the resolution below");
    default:
      return _("Every plotted number, by panel and series");
    }
}

static void
update (VesicleExportWindow *self)
{
  VesicleExportFormat format = chosen_format (self);
  double w = chosen_width (self), h = chosen_height (self);
  double dpi = gtk_spin_button_get_value (self->dpi);
  gboolean sized = format != VESICLE_EXPORT_CSV;
  g_autofree char *height_text = NULL;

  gtk_widget_set_visible (self->custom_row, adw_combo_row_get_selected (self->width_row)
                                            == CUSTOM_WIDTH);
  gtk_widget_set_sensitive (GTK_WIDGET (self->width_row), sized);
  gtk_widget_set_sensitive (GTK_WIDGET (self->height_row), sized);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dpi_row), format == VESICLE_EXPORT_PNG);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->format_row), format_description (format));
  if (gtk_spin_button_get_value (self->height) > 0)
    height_text = g_strdup (_("As set"));
  else if (h > 0)
    height_text = g_strdup_printf (_("Automatic: %.0f mm keeps the panels their shape"), h);
  else
    height_text = g_strdup (_("Automatic"));
  adw_action_row_set_subtitle (self->height_row, height_text);
  if (format == VESICLE_EXPORT_PNG && h > 0)
    {
      g_autofree char *pw = vesicle_format_count ((guint64) llround (w / 25.4 * dpi));
      g_autofree char *ph = vesicle_format_count ((guint64) llround (h / 25.4 * dpi));
      g_autofree char *pixels = g_strdup_printf (_("%s × %s pixels"), pw, ph);

      adw_action_row_set_subtitle (self->dpi_row, pixels);
    }
  else
    adw_action_row_set_subtitle (self->dpi_row, format == VESICLE_EXPORT_PNG ? ""
                                                : _("Only PNG files have a resolution"));
  if (h > 0)
    {
      vesicle_figure_view_set_page_size (self->preview, w * PT_PER_MM, h * PT_PER_MM);
      gtk_aspect_frame_set_ratio (self->preview_frame, (float) (w / h));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_option_changed (VesicleExportWindow *self)
{
  update (self);
}

/* The height's 0 is "automatic", and reads so */
static gboolean
on_height_output (GtkSpinButton *spin,
                  gpointer       data)
{
  double v = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = v > 0 ? g_strdup_printf ("%.0f", v) : g_strdup (C_("height", "Auto"));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_height_input (GtkSpinButton *spin,
                 double        *value,
                 gpointer       data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  /* anything but a number (the "Auto" shown, or nothing) means automatic */
  *value = end != text && v > 0 ? v : 0;
  return TRUE;
}

static void
on_format_changed (VesicleExportWindow *self)
{
  suggest_name (self);
  update (self);
}

static void
on_preview_built (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  VesicleExportWindow *self = data;
  g_autoptr(GError) error = NULL;
  VesiclePlot *plot = vesicle_figure_build_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (plot)
        {
          self->plot = plot;
          vesicle_figure_view_set_plot (self->preview, plot);
          gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
        }
      else
        {
          vesicle_figure_view_set_message (self->preview, error->message);
          gtk_label_set_text (self->error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
        }
      update (self);
    }
  else if (plot)
    vesicle_plot_free (plot);
  g_object_unref (self);
}

/* The preview of self->figure, drawn anew (a figure chosen in the row, or the first). */
static void
draw_preview (VesicleExportWindow *self)
{
  const VesicleFigureInfo *info = vesicle_figure_lookup (self->figure);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->plot = NULL;
  adw_window_title_set_subtitle (self->window_title, info ? _(info->title) : self->figure);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  vesicle_figure_view_set_plot (self->preview, NULL);
  vesicle_figure_view_set_message (self->preview, _("Drawing…"));
  vesicle_figure_build_async (self->figure, self->dir, self->partial, self->cancellable,
                              on_preview_built, g_object_ref (self));
}

static void
on_figure_changed (VesicleExportWindow *self)
{
  guint i = adw_combo_row_get_selected (self->figure_row);

  if (self->figures == NULL || i >= self->figures->len
      || g_strcmp0 (self->figure, g_ptr_array_index (self->figures, i)) == 0)
    return;
  g_free (self->figure);
  self->figure = g_strdup (g_ptr_array_index (self->figures, i));
  suggest_name (self);
  draw_preview (self);
}

/* What was exported becomes the next export's starting point (Preferences shows the same). */
static void
remember_options (VesicleExportWindow *self)
{
  GSettings *settings = vesicle_application_get_settings (vesicle_application_get_default ());

  g_settings_set_string (settings, "export-format", chosen_extension (self));
  if (chosen_format (self) != VESICLE_EXPORT_CSV)
    g_settings_set_double (settings, "export-width-mm", chosen_width (self));
  if (chosen_format (self) == VESICLE_EXPORT_PNG)
    g_settings_set_double (settings, "export-dpi", gtk_spin_button_get_value (self->dpi));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  VesicleExportWindow *self = data;
  g_autoptr(GError) error = NULL;
  char *path = g_object_steal_data (G_OBJECT (self), "path");

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
  if (vesicle_figure_export_finish (result, &error))
    {
      remember_options (self);
      g_signal_emit (self, signals[EXPORTED], 0, path);
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* nothing was written; the window stays for another try */
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  g_free (path);
  g_object_unref (self);
}

void
vesicle_export_window_export_to (VesicleExportWindow *self,
                                 const char          *path)
{
  g_return_if_fail (VESICLE_IS_EXPORT_WINDOW (self));
  g_return_if_fail (path != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  g_object_set_data_full (G_OBJECT (self), "path", g_strdup (path), g_free);
  vesicle_figure_export_async (self->figure, self->dir, self->partial, path,
                               chosen_format (self), chosen_width (self),
                               gtk_spin_button_get_value (self->height),
                               gtk_spin_button_get_value (self->dpi), self->cancellable,
                               on_exported, g_object_ref (self));
}

static void
on_file_chosen (const char *chosen,
                gpointer    data)
{
  VesicleExportWindow *self = data;
  g_autofree char *suffix = g_strconcat (".", chosen_extension (self), NULL);
  g_autofree char *path = NULL;

  if (chosen == NULL)
    return;
  g_free (last_folder);
  last_folder = g_path_get_dirname (chosen);
  /* the format chosen decides what is written, and the name says so */
  path = g_str_has_suffix (chosen, suffix) ? g_strdup (chosen) : g_strconcat (chosen, suffix, NULL);
  vesicle_export_window_export_to (self, path);
}

static void
on_export_clicked (GtkButton           *button,
                   VesicleExportWindow *self)
{
  vesicle_file_dialog_run (GTK_WINDOW (self), _("Export Figure"), GTK_FILE_CHOOSER_ACTION_SAVE,
                           _("_Export"), last_folder,
                           gtk_editable_get_text (GTK_EDITABLE (self->name_row)), on_file_chosen,
                           self);
}

static void
on_cancel_clicked (GtkButton           *button,
                   VesicleExportWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

void
vesicle_export_window_set_options (VesicleExportWindow *self,
                                   const char          *format,
                                   double               width_mm,
                                   double               height_mm,
                                   double               dpi)
{
  VesicleExportFormat chosen;

  g_return_if_fail (VESICLE_IS_EXPORT_WINDOW (self));
  if (vesicle_export_format_parse (format, &chosen))
    for (guint i = 0; i < VESICLE_N_EXPORT_FORMATS; i++)
      if (vesicle_export_formats[i] == chosen)
        adw_combo_row_set_selected (self->format_row, i);
  adw_combo_row_set_selected (self->width_row, CUSTOM_WIDTH);
  for (guint i = 0; i < VESICLE_N_EXPORT_WIDTHS; i++)
    if (width_mm == vesicle_export_widths_mm[i])
      adw_combo_row_set_selected (self->width_row, i);
  gtk_spin_button_set_value (self->custom_width, width_mm);
  gtk_spin_button_set_value (self->height, MAX (height_mm, 0));
  gtk_spin_button_set_value (self->dpi, dpi);
  update (self);
}

const char *
vesicle_export_window_get_suggested_name (VesicleExportWindow *self)
{
  g_return_val_if_fail (VESICLE_IS_EXPORT_WINDOW (self), NULL);
  return self->suggested;
}

static void
vesicle_export_window_dispose (GObject *object)
{
  VesicleExportWindow *self = VESICLE_EXPORT_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->figure, g_free);
  g_clear_pointer (&self->figures, g_ptr_array_unref);
  g_clear_pointer (&self->suggested, g_free);
  self->plot = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_EXPORT_WINDOW);
  G_OBJECT_CLASS (vesicle_export_window_parent_class)->dispose (object);
}

static void
vesicle_export_window_class_init (VesicleExportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_export_window_dispose;
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (VESICLE_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-export-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, preview);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, preview_frame);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, figure_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, format_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, width_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, custom_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, custom_width);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, height_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, height);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, dpi_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, dpi);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, VesicleExportWindow, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_figure_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_height_output);
  gtk_widget_class_bind_template_callback (widget_class, on_height_input);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vesicle_export_window_init (VesicleExportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vesicle_combo_row_show_whole_choices (self->figure_row);
  vesicle_combo_row_show_whole_choices (self->format_row);
  vesicle_combo_row_show_whole_choices (self->width_row);
  self->cancellable = g_cancellable_new ();
}

VesicleExportWindow *
vesicle_export_window_new (GtkWindow  *parent,
                           const char *dir,
                           GPtrArray  *figures,
                           const char *figure,
                           gboolean    partial)
{
  GSettings *settings = vesicle_application_get_settings (vesicle_application_get_default ());
  VesicleExportWindow *self = g_object_new (VESICLE_TYPE_EXPORT_WINDOW,
                                            "transient-for", parent, "modal", TRUE, NULL);
  g_autofree char *format = g_settings_get_string (settings, "export-format");
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  guint chosen = 0;

  self->dir = g_strdup (dir);
  self->figure = g_strdup (figure);
  self->partial = partial;
  for (guint i = 0; figures && i < figures->len; i++)
    {
      const char *name = g_ptr_array_index (figures, i);
      const VesicleFigureInfo *info = vesicle_figure_lookup (name);

      gtk_string_list_append (titles, info ? _(info->title) : name);
      if (g_strcmp0 (name, figure) == 0)
        chosen = i;
    }
  /* self->figures is still NULL: the row's selection changes nothing until it is set */
  adw_combo_row_set_model (self->figure_row, G_LIST_MODEL (titles));
  adw_combo_row_set_selected (self->figure_row, chosen);
  gtk_widget_set_visible (GTK_WIDGET (self->figure_row), figures && figures->len > 1);
  self->figures = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; figures && i < figures->len; i++)
    g_ptr_array_add (self->figures, g_strdup (g_ptr_array_index (figures, i)));
  /* the last export's options, which Preferences also shows */
  vesicle_export_window_set_options (self, format,
                                     g_settings_get_double (settings, "export-width-mm"), 0,
                                     g_settings_get_double (settings, "export-dpi"));
  suggest_name (self);
  draw_preview (self);
  return self;
}

const char *
vesicle_export_window_get_figure (VesicleExportWindow *self)
{
  g_return_val_if_fail (VESICLE_IS_EXPORT_WINDOW (self), NULL);
  return self->figure;
}
