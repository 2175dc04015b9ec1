/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files from a plot: SVG and PDF through Cairo's vector surfaces at the requested size in
 * millimetres (1 pt = 25.4/72 mm; PDF text stays text with its fonts embedded; Cairo's SVG
 * surface would write glyph outlines, so the SVG's text is written as <text> elements instead),
 * PNG at a resolution in dpi (pixels = mm / 25.4 x dpi, drawn with
 * the user unit scaled to dpi/72 pixels so the layout is the same as in print), and the plotted
 * numbers as CSV. Everything is drawn into memory first and written with
 * vesicle_file_write_export, so a failed write leaves no half file and reports the path and the
 * system's reason as a GError, and an export never replaces a device, a FIFO, a folder or a
 * file of an experiment folder.
 */
#include "vesicle-plot-private.h"
#include "vesicle-file.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#define MM_PER_INCH 25.4
#define PT_PER_INCH 72.0
#define DEFAULT_DPI 300.0
#define MAX_PIXELS 32767  /* Cairo's image surface limit per side */

cairo_status_t
vesicle_plot_append_bytes (void                *closure,
                           const unsigned char *data,
                           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
vesicle_plot_write_bytes (const char  *path,
                          const char  *what,
                          const void  *data,
                          gsize        length,
                          GError     **error)
{
  /* refuses devices, FIFOs, folders and an experiment's own files; writes through a link */
  return vesicle_file_write_export (path, what, data, length, error);
}

/* Puts @text (SVG elements in the document's coordinates) last in @svg, just before the closing
 * </svg>, so that it is drawn on top, as the glyphs it replaces would have been (text is the
 * last thing on every panel: labels, legends, annotations). */
static gboolean
svg_insert_text (GByteArray *svg,
                 GString    *text)
{
  static const char end[] = "</svg>";
  gsize n = sizeof end - 1;

  for (gsize i = svg->len >= n ? svg->len - n + 1 : 0; i-- > 0;)
    if (memcmp (svg->data + i, end, n) == 0)
      {
        g_byte_array_set_size (svg, i);
        g_byte_array_append (svg, (const guint8 *) text->str, text->len);
        g_byte_array_append (svg, (const guint8 *) end, n);
        g_byte_array_append (svg, (const guint8 *) "\n", 1);
        return TRUE;
      }
  return FALSE;
}

static const char *
format_name (VesicleExportFormat format)
{
  switch (format)
    {
    case VESICLE_EXPORT_SVG: return "SVG";
    case VESICLE_EXPORT_PDF: return "PDF";
    case VESICLE_EXPORT_PNG: return "PNG";
    case VESICLE_EXPORT_CSV: return "CSV";
    default: return "?";
    }
}

gboolean
vesicle_plot_export (VesiclePlot        *plot,
                     const char         *path,
                     VesicleExportFormat format,
                     double              width_mm,
                     double              height_mm,
                     double              dpi,
                     GError            **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GString) svg_text = NULL;
  g_autofree char *what = NULL;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  double w_pt, h_pt;

  g_return_val_if_fail (plot != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == VESICLE_EXPORT_CSV)
    return vesicle_plot_write_csv (plot, path, error);
  what = g_strdup_printf ("%s figure", format_name (format));
  if (!(isfinite (width_mm) && width_mm > 0.0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot write the %s “%s”: a width of %g mm", what, path, width_mm);
      return FALSE;
    }
  w_pt = width_mm * PT_PER_INCH / MM_PER_INCH;
  /* at a width that reflows the grid, the height its panels keep their shape in */
  if (!(isfinite (height_mm) && height_mm > 0.0))
    height_mm = vesicle_plot_export_height_mm (plot, width_mm);
  h_pt = height_mm * PT_PER_INCH / MM_PER_INCH;

  bytes = g_byte_array_new ();
  switch (format)
    {
    case VESICLE_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (vesicle_plot_append_bytes, bytes, w_pt, h_pt);
      /* width="241pt": the physical size, whatever Cairo's default unit is */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
      svg_text = g_string_new (NULL);
      break;
    case VESICLE_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (vesicle_plot_append_bytes, bytes, w_pt, h_pt);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Vesicle");
      if (plot->title != NULL)
        {
          g_autofree char *title = vesicle_plot_markup_to_text (plot->title);

          cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
        }
      break;
    case VESICLE_EXPORT_PNG:
      {
        double px_w, px_h;

        if (!(isfinite (dpi) && dpi > 0.0))
          dpi = DEFAULT_DPI;
        px_w = round (width_mm / MM_PER_INCH * dpi);
        px_h = round (height_mm / MM_PER_INCH * dpi);
        if (px_w < 1.0 || px_h < 1.0 || px_w > MAX_PIXELS || px_h > MAX_PIXELS)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "Cannot write the %s “%s”: %g × %g mm at %g dpi is %.0f × %.0f "
                         "pixels (1 to %d a side)", what, path, width_mm, height_mm, dpi, px_w,
                         px_h, MAX_PIXELS);
            return FALSE;
          }
        surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) px_w, (int) px_h);
        /* draw in points: the whole layout is the one the PDF gets, only finer or coarser */
        w_pt = px_w * PT_PER_INCH / dpi;
        h_pt = px_h * PT_PER_INCH / dpi;
      }
      break;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot write “%s”: unknown export format %d", path, (int) format);
      return FALSE;
    }

  cr = cairo_create (surface);
  if (format == VESICLE_EXPORT_PNG)
    cairo_scale (cr, dpi / PT_PER_INCH, dpi / PT_PER_INCH);
  vesicle_plot_render_with_text (plot, cr, w_pt, h_pt, VESICLE_THEME_LIGHT, svg_text);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == VESICLE_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, vesicle_plot_append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot draw the %s “%s”: %s", what,
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  if (svg_text != NULL && !svg_insert_text (bytes, svg_text))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot draw the %s “%s”: Cairo wrote no closing </svg>", what, path);
      return FALSE;
    }
  return vesicle_plot_write_bytes (path, what, bytes->data, bytes->len, error);
}

static const char *const format_names[] = {
  [VESICLE_EXPORT_SVG] = "svg",
  [VESICLE_EXPORT_PDF] = "pdf",
  [VESICLE_EXPORT_PNG] = "png",
  [VESICLE_EXPORT_CSV] = "csv",
};

gboolean
vesicle_export_format_parse (const char          *name,
                             VesicleExportFormat *format)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        if (format != NULL)
          *format = (VesicleExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
vesicle_export_format_name (VesicleExportFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

/* ---- CSV ------------------------------------------------------------------------------- */

/* Shortest of %.15g / %.17g that reads back as the same double; empty for "not defined". */
static void
csv_number (GString *out,
            double   v,
            gboolean defined)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (!defined)
    return;
  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (isfinite (v) && g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
  g_string_append (out, buf);
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. */
static void
csv_field (GString    *out,
           const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static const char *
kind_name (VesicleSeriesKind kind)
{
  switch (kind)
    {
    case VESICLE_SERIES_LINE: return "line";
    case VESICLE_SERIES_SCATTER: return "scatter";
    case VESICLE_SERIES_BAND: return "band";
    case VESICLE_SERIES_ERRORBARS: return "errorbars";
    case VESICLE_SERIES_ELLIPSE: return "ellipse";
    case VESICLE_SERIES_REFERENCE: return "reference";
    case VESICLE_SERIES_HLINE: return "hline";
    default: g_assert_not_reached ();
    }
  return NULL;
}

static void
csv_row (GString    *out,
         const char *panel,
         const char *series,
         const char *kind,
         double      x,
         gboolean    has_x,
         double      y,
         gboolean    has_y,
         double      y_low,
         gboolean    has_low,
         double      y_high,
         gboolean    has_high)
{
  csv_field (out, panel);
  g_string_append_c (out, ',');
  csv_field (out, series);
  g_string_append_c (out, ',');
  g_string_append (out, kind);
  csv_number (out, x, has_x);
  csv_number (out, y, has_y);
  csv_number (out, y_low, has_low);
  csv_number (out, y_high, has_high);
  g_string_append_c (out, '\n');
}

/* How a CSV row names its panel: the letter the figure shows (or its row and column when the
 * figure letters rows itself), then the panel's title, e.g. "a (ρ = 1/2)". */
static char *
panel_name (VesiclePlot  *plot,
            VesiclePanel *panel,
            guint         index)
{
  g_autofree char *id = plot->letters ? vesicle_panel_letter (panel)
                                      : g_strdup_printf ("row %u column %u",
                                                         index / plot->columns + 1,
                                                         index % plot->columns + 1);
  g_autofree char *title = panel->title ? vesicle_plot_markup_to_text (panel->title) : NULL;

  if (title == NULL || *g_strstrip (title) == '\0')
    return g_steal_pointer (&id);
  /* titles space their parts with runs of blanks; one is enough in a cell */
  {
    char *to = title;

    for (const char *from = title; *from; from++)
      if (*from != ' ' || to == title || to[-1] != ' ')
        *to++ = *from;
    *to = '\0';
  }
  return g_strdup_printf ("%s (%s)", id, title);
}

gboolean
vesicle_plot_write_csv (VesiclePlot *plot,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GString) out = g_string_new ("panel,series,kind,x,y,y_low,y_high\n");
  g_autofree VesicleScale *xs = NULL;
  g_autofree VesicleScale *ys = NULL;
  guint N;

  g_return_val_if_fail (plot != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  N = plot->rows * plot->columns;
  xs = g_new0 (VesicleScale, N);
  ys = g_new0 (VesicleScale, N);
  vesicle_plot_resolve_limits (plot, xs, ys);

  for (guint p = 0; p < N; p++)
    {
      VesiclePanel *panel = &plot->panels[p];
      g_autofree char *letter = NULL;

      /* a key cell's swatches are not data */
      if (panel->hidden || panel->legend_only)
        continue;
      letter = panel_name (plot, panel, p);
      for (guint j = 0; j < panel->series->len; j++)
        {
          const VesicleSeries *s = g_ptr_array_index (panel->series, j);
          g_autofree char *name = NULL;
          const char *kind = kind_name (s->kind);

          if (s->legend != NULL && *s->legend != '\0')
            name = vesicle_plot_markup_to_text (s->legend);
          else
            name = g_strdup_printf ("series %u", j + 1);

          switch (s->kind)
            {
            case VESICLE_SERIES_LINE:
            case VESICLE_SERIES_SCATTER:
              for (gsize i = 0; i < s->n; i++)
                csv_row (out, letter, name, kind, s->x[i], TRUE, s->y[i], TRUE, 0, FALSE, 0,
                         FALSE);
              break;
            case VESICLE_SERIES_BAND:
              for (gsize i = 0; i < s->n; i++)
                csv_row (out, letter, name, kind, s->x[i], TRUE, 0, FALSE, s->y_low[i], TRUE,
                         s->y_high[i], TRUE);
              break;
            case VESICLE_SERIES_ERRORBARS:
              for (gsize i = 0; i < s->n; i++)
                csv_row (out, letter, name, kind, s->x[i], TRUE, s->y[i], TRUE,
                         s->y_low != NULL ? s->y_low[i] : 0, s->y_low != NULL,
                         s->y_high != NULL ? s->y_high[i] : 0, s->y_high != NULL);
              break;
            case VESICLE_SERIES_ELLIPSE:
              {
                /* the mean, and the contour's vertical extent as y_low..y_high */
                double hy = s->n_sigma * sqrt (MAX (s->cyy, 0.0));

                csv_row (out, letter, name, kind, s->cx, TRUE, s->cy, TRUE, s->cy - hy, TRUE,
                         s->cy + hy, TRUE);
              }
              break;
            case VESICLE_SERIES_REFERENCE:
              /* the line as drawn: its two ends at the panel's x limits */
              csv_row (out, letter, name, kind, xs[p].lo, TRUE,
                       vesicle_series_reference_y (panel, s, xs[p].lo), TRUE, 0, FALSE, 0,
                       FALSE);
              csv_row (out, letter, name, kind, xs[p].hi, TRUE,
                       vesicle_series_reference_y (panel, s, xs[p].hi), TRUE, 0, FALSE, 0,
                       FALSE);
              break;
            case VESICLE_SERIES_HLINE:
              csv_row (out, letter, name, kind, 0, FALSE, s->y0, TRUE, 0, FALSE, 0, FALSE);
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
  return vesicle_plot_write_bytes (path, "CSV file", out->str, out->len, error);
}
