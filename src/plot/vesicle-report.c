/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reproduction report (see vesicle-report.h). Pages are A4 with 18 mm margins; the table
 * breaks across pages between rows; figures are drawn 174 mm wide (the journals' double column)
 * at the height their export would take, as many to a page as fit, and the PDF is written whole
 * or not at all.
 */
#include "vesicle-report.h"
#include "vesicle-build-config.h"
#include "vesicle-experiment-record.h"
#include "vesicle-figure.h"
#include "vesicle-json.h"
#include "vesicle-plot-private.h"
#include "vesicle-reproduction.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>

#define PT_PER_MM   (72.0 / 25.4)
#define PAGE_W      (210.0 * PT_PER_MM)
#define PAGE_H      (297.0 * PT_PER_MM)
#define MARGIN      (18.0 * PT_PER_MM)
#define TEXT_W      (PAGE_W - 2 * MARGIN)
#define FIGURE_MM   174.0
#define FONT        "DejaVu Sans"
#define FIGURE_GAP  (10.0 * PT_PER_MM)  /* between one figure and the next one's caption */

typedef struct {
  cairo_t *cr;
  double   y;        /* where the next line starts on this page */
  guint    page;
} Page;

static PangoLayout *
layout_new (cairo_t    *cr,
            const char *markup,
            double      size_pt,
            double      width_pt)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT);

  pango_font_description_set_size (font, (int) (size_pt * PANGO_SCALE));
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width_pt * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
new_page (Page *p)
{
  if (p->page > 0)
    cairo_show_page (p->cr);
  p->page++;
  p->y = MARGIN;
  /* the page number, bottom centre */
  {
    g_autofree char *text = g_strdup_printf ("%u", p->page);
    g_autoptr(PangoLayout) layout = layout_new (p->cr, text, 8, TEXT_W);

    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb (p->cr, 0.4, 0.4, 0.4);
    cairo_move_to (p->cr, MARGIN, PAGE_H - MARGIN * 0.6);
    pango_cairo_show_layout (p->cr, layout);
  }
}

/* A paragraph at the left margin; a new page first when it does not fit. */
static void
paragraph (Page       *p,
           const char *markup,
           double      size_pt,
           double      space_after)
{
  g_autoptr(PangoLayout) layout = layout_new (p->cr, markup, size_pt, TEXT_W);
  double h = layout_height (layout);

  if (p->y + h > PAGE_H - MARGIN)
    new_page (p);
  cairo_set_source_rgb (p->cr, 0, 0, 0);
  cairo_move_to (p->cr, MARGIN, p->y);
  pango_cairo_show_layout (p->cr, layout);
  p->y += h + space_after;
}

/* ---- the table ---------------------------------------------------------------------------- */

static const struct {
  const char *title;
  double      width_mm;
} columns[] = {
  { "<b>Figure</b>", 17 }, { "<b>The paper's claim</b>", 58 }, { "<b>Rule</b>", 44 },
  { "<b>Measured</b>", 49 }, { "", 6 },
};

static double
row_height (cairo_t    *cr,
            const char *const *cells)
{
  double h = 0;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(PangoLayout) layout = layout_new (cr, cells[i], 8,
                                                  (columns[i].width_mm - 2) * PT_PER_MM);
      h = MAX (h, layout_height (layout));
    }
  return h + 4;
}

static void
draw_row (Page              *p,
          const char *const *cells,
          gboolean           header)
{
  double h = row_height (p->cr, cells), x = MARGIN;

  if (p->y + h > PAGE_H - MARGIN)
    new_page (p);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(PangoLayout) layout = layout_new (p->cr, cells[i], 8,
                                                  (columns[i].width_mm - 2) * PT_PER_MM);

      cairo_set_source_rgb (p->cr, 0, 0, 0);
      cairo_move_to (p->cr, x, p->y + 2);
      pango_cairo_show_layout (p->cr, layout);
      x += columns[i].width_mm * PT_PER_MM;
    }
  p->y += h;
  cairo_set_source_rgb (p->cr, header ? 0 : 0.8, header ? 0 : 0.8, header ? 0 : 0.8);
  cairo_set_line_width (p->cr, header ? 0.8 : 0.4);
  cairo_move_to (p->cr, MARGIN, p->y);
  cairo_line_to (p->cr, MARGIN + TEXT_W, p->y);
  cairo_stroke (p->cr);
}

static char *verdict_markup (VesicleVerdict verdict);

static void
draw_table (Page      *p,
            GPtrArray *rows)
{
  const char *header[G_N_ELEMENTS (columns)];

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    header[i] = columns[i].title;
  draw_row (p, header, TRUE);
  for (guint r = 0; r < rows->len; r++)
    {
      VesicleReproductionRow *row = g_ptr_array_index (rows, r);
      g_autofree char *claim = g_strdup_printf ("%s\n<span size=\"small\" foreground=\"#666666\">"
                                                "%s</span>", row->claim, row->source);
      g_autofree char *measured = row->reason
        ? g_strdup_printf ("%s\n<i>%s: %s</i>", row->measured,
                           row->verdict == VESICLE_VERDICT_UNTESTED ? "Untested" : "Why",
                           row->reason)
        : g_strdup (row->measured);
      g_autofree char *verdict = verdict_markup (row->verdict);
      const char *cells[] = { row->figure, claim, row->rule, measured, verdict };

      draw_row (p, cells, FALSE);
    }
}

/* The verdict's symbol in its colour: green ✓, red ✗, grey for the rest. */
static char *
verdict_markup (VesicleVerdict verdict)
{
  return g_strdup_printf ("<span foreground=\"%s\">%s</span>",
                          verdict == VESICLE_VERDICT_AGREES ? "#1a7f37"
                          : verdict == VESICLE_VERDICT_DISAGREES ? "#cf222e" : "#666666",
                          vesicle_reproduction_verdict_symbol (verdict));
}

/* ---- the figures -------------------------------------------------------------------------- */

static gboolean
draw_figures (Page        *p,
              const char  *dir,
              GError     **error)
{
  guint n;
  const VesicleExperimentType *const *types = vesicle_reproduction_experiments (&n);
  gboolean first = TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, types[i]->name, NULL);
      g_autofree const VesicleFigureInfo **figures = vesicle_figure_for_experiment (types[i]->name);
      g_autoptr(VesicleExperimentRecord) rec = NULL;

      if (!g_file_test (sub, G_FILE_TEST_IS_DIR)
          || !(rec = vesicle_experiment_record_load (sub, NULL))
          || rec->status != VESICLE_RUN_COMPLETED)
        continue;
      for (guint f = 0; figures[f]; f++)
        {
          g_autoptr(VesiclePlot) plot = NULL;
          g_autoptr(PangoLayout) caption_layout = NULL;
          g_autofree char *caption = NULL;
          double h_mm, scale = 1.0;

          /* the paper's figures; training curves belong to each experiment's own view */
          if (g_str_equal (figures[f]->name, "training"))
            continue;
          if (!(plot = vesicle_figure_build (figures[f]->name, sub, error)))
            return FALSE;
          caption = g_markup_printf_escaped ("<b>%s</b>  (%s, from %s/)", figures[f]->title,
                                             figures[f]->name, types[i]->name);
          caption_layout = layout_new (p->cr, caption, 10, TEXT_W);
          h_mm = vesicle_plot_export_height_mm (plot, FIGURE_MM);
          /* the figures after the table start a page; each next one goes under the last when
           * it fits whole, caption and all, so that no page is left mostly empty */
          if (first || p->y + FIGURE_GAP + layout_height (caption_layout) + 8
                       + h_mm * PT_PER_MM > PAGE_H - MARGIN)
            new_page (p);
          else
            p->y += FIGURE_GAP;
          first = FALSE;
          paragraph (p, caption, 10, 8);
          /* a figure taller than what is left of the page is drawn smaller */
          if (p->y + h_mm * PT_PER_MM > PAGE_H - MARGIN)
            scale = (PAGE_H - MARGIN - p->y) / (h_mm * PT_PER_MM);
          cairo_save (p->cr);
          cairo_translate (p->cr, MARGIN + TEXT_W * (1 - scale) / 2, p->y);
          cairo_scale (p->cr, scale, scale);
          vesicle_plot_render (plot, p->cr, FIGURE_MM * PT_PER_MM, h_mm * PT_PER_MM,
                               VESICLE_THEME_LIGHT);
          cairo_restore (p->cr);
          p->y += h_mm * PT_PER_MM * scale;
        }
    }
  return TRUE;
}

/* Device and time of the first experiment found, for the title page. */
static char *
provenance (const char *dir)
{
  guint n;
  const VesicleExperimentType *const *types = vesicle_reproduction_experiments (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, types[i]->name, NULL);
      g_autoptr(VesicleExperimentRecord) rec = vesicle_experiment_record_load (sub, NULL);
      const char *device;

      if (rec == NULL || !(device = json_object_get_size (rec->device) > 0
                           ? vesicle_json_get_string (rec->device, "device") : NULL))
        continue;
      return g_markup_printf_escaped ("On %s (%s, driver %s).", device,
                                      vesicle_json_get_string (rec->device, "platform")
                                      ? vesicle_json_get_string (rec->device, "platform") : "?",
                                      vesicle_json_get_string (rec->device, "driver_version")
                                      ? vesicle_json_get_string (rec->device, "driver_version") : "?");
    }
  return g_strdup ("");
}

gboolean
vesicle_report_write_pdf (const char  *dir,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *where = NULL, *intro = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Page page = { 0 };
  gboolean ok;

  g_return_val_if_fail (dir != NULL && path != NULL, FALSE);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such folder", dir);
      return FALSE;
    }
  if (!(rows = vesicle_reproduction_rows (dir, missing, error)))
    return FALSE;
  if (missing->len == 6)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s holds no finished experiment (costs/, tradeoff/, importance/, bayes/, "
                   "predictive/, zero-hidden/); run 'vesicle-cli reproduce' first", dir);
      return FALSE;
    }

  surface = cairo_pdf_surface_create_for_stream (vesicle_plot_append_bytes, bytes, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  "Signatures of Bayesian inference emerge from energy "
                                  "efficient synapses: a reproduction");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Vesicle " VESICLE_VERSION);
  page.cr = cairo_create (surface);
  new_page (&page);

  paragraph (&page, "<b>Signatures of Bayesian inference emerge from energy efficient "
                    "synapses: a reproduction</b>", 15, 4);
  where = provenance (dir);
  intro = g_markup_printf_escaped ("Vesicle %s, %s, from %s. ", VESICLE_VERSION, date, dir);
  {
    g_autofree char *line = g_strconcat (intro, where, NULL);

    paragraph (&page, line, 9, 6);
  }
  paragraph (&page, "Each row quotes or closely paraphrases one claim of the paper, states the "
                    "rule that tests it on one measured number, and gives the verdict that "
                    "follows from the rule: ✓ it holds, ✗ it does not (with why), ○ a reference "
                    "value the paper draws beside its data without claiming a match, – a claim "
                    "this preset cannot test. Slopes are log-log fits with their 95% intervals; "
                    "a claimed sign holds when the whole interval has it. Means are over seeds, "
                    "± one standard deviation. Under each claim: the experiment, its preset and "
                    "its dataset.", 9, 8);
  if (missing->len > 0)
    {
      g_autoptr(GString) s = g_string_new ("<b>Not in this report</b> (missing or unfinished): ");

      for (guint i = 0; i < missing->len; i++)
        {
          g_autofree char *name = g_markup_escape_text (g_ptr_array_index (missing, i), -1);

          g_string_append_printf (s, "%s%s", i ? ", " : "", name);
        }
      paragraph (&page, s->str, 9, 8);
    }
  draw_table (&page, rows);
  ok = draw_figures (&page, dir, error);

  status = cairo_status (page.cr);
  cairo_destroy (page.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!ok)
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot draw the report “%s”: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return vesicle_plot_write_bytes (path, "report", bytes->data, bytes->len, error);
}

static void
report_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  char **paths = task_data;
  GError *error = NULL;

  if (vesicle_report_write_pdf (paths[0], paths[1], &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vesicle_report_write_pdf_async (const char          *dir,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  char **paths = g_new0 (char *, 3);

  g_return_if_fail (dir != NULL && path != NULL);
  paths[0] = g_strdup (dir);
  paths[1] = g_strdup (path);
  g_task_set_source_tag (task, vesicle_report_write_pdf_async);
  g_task_set_task_data (task, paths, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, report_in_thread);
}

gboolean
vesicle_report_write_pdf_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
