/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the paper's figures (src/plot/vesicle-figure*.c): every figure in the registry is
 * built from its fixture folder, tests/data/figures/<experiment>/ (small real runs of the
 * experiment, made with vesicle-cli experiment ... --preset quick and tiny overrides), and
 * exported as SVG, PDF and PNG; the PNG must have the pixel size asked for and not be blank,
 * and the PDF's text (pdftotext) must hold the figure's axis labels. A figure whose fixture is
 * not there yet, or whose builder is still a placeholder, is skipped by name.
 * Then the errors a person meets: an unknown figure, a missing folder, a folder of another
 * experiment type, a run still going or failed, missing and malformed JSON, and a summary
 * without the members a figure reads; each must be a GError naming the folder or file, not a
 * crash.
 */
#include "vesicle-test-files.h"
#include "vesicle-figure-private.h"
#include "vesicle-plot-private.h"
#include "vesicle-report.h"
#include "vesicle-reproduction.h"

#include <cairo.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#define DPI 150.0

/* Words each figure's PDF must contain: axis labels and legends as the paper writes them, in
 * plain ASCII where possible so that a font without a ToUnicode map for Greek cannot fail the
 * test. The importance and bayes figures are written elsewhere; their words come from the
 * paper's captions. */
static const struct {
  const char *name;
  const char *words[6];
} figure_words[] = {
  { "fig1", { "release probability", "variance", "reliability cost", "calcium", "trafficking" } },
  { "fig4", { "important synapse", "unimportant synapse", "homogeneous", "optimised",
              "performance cost", "posterior" } },
  { "fig2", { "test accuracy", "mean", "reliability cost multiplier", "heterogeneous",
              "homogeneous" } },
  { "fig3", { "test accuracy", "mean", "reliability cost", "heterogeneous", "homogeneous" } },
  { "fig5", { "Hessian", "learning rate", "input rate" } },
  { "app6", { "Hessian", "learning rate", "input rate" } },
  { "app5", { "Hessian" } },
  { "fig7", { "posterior" } },
  { "app4", { "variational Bayes", "predictive mean", "data" } },
  { "training", { "test accuracy", "objective", "training NLL", "L1 term", "reliability cost",
                  "epoch" } },
};

/* The last render's legends and keys, as the renderer reports them: none lies over the data
 * (markers, lines sampled every 1% of the panel, filled areas). */
static void
assert_nothing_covered (VesiclePlot *plot,
                        const char  *name,
                        double       width_mm)
{
  const GArray *boxes = vesicle_plot_get_drawn_boxes (plot);
  guint bad = 0;

  g_assert_nonnull (boxes);
  for (guint i = 0; i < boxes->len; i++)
    {
      const VesiclePlotDrawnBox *b = &g_array_index (boxes, VesiclePlotDrawnBox, i);

      g_test_message ("%s at %.0f mm, panel %u: %s%s covers %u data samples", name, width_mm,
                      b->panel, b->annotation ? "annotation" : "legend",
                      b->outside ? " (outside)" : "", b->covered);
      if (b->covered > 0)
        {
          g_printerr ("%s at %.0f mm, panel %u: the %s at (%.0f, %.0f)-(%.0f, %.0f) pt covers %u "
                      "data samples\n", name, width_mm, b->panel,
                      b->annotation ? "annotation" : "legend", b->x0, b->y0, b->x1, b->y1,
                      b->covered);
          bad++;
        }
    }
  g_assert_cmpuint (bad, ==, 0);
}

/* ---- helpers ---------------------------------------------------------------------------- */

static void
write_text (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* An experiment folder as vesicle_experiment_run leaves it, with the type, status and summary
 * given (NULL summary: none written). */
static void
write_experiment (const char *dir,
                  const char *type,
                  const char *status,
                  const char *error_text,
                  const char *summary)
{
  g_autofree char *info = g_strdup_printf (
    "{\"format\": \"vesicle-experiment/1\", \"type\": \"%s\", \"title\": \"test\", "
    "\"preset\": \"quick\", \"status\": \"%s\", \"error\": %s%s%s, \"config\": {}}",
    type, status, error_text ? "\"" : "", error_text ? error_text : "null",
    error_text ? "\"" : "");

  write_text (dir, "experiment.json", info);
  if (summary != NULL)
    write_text (dir, "summary.json", summary);
}

static void
assert_error_names (const GError *error,
                    const char   *what)
{
  g_assert_nonnull (error);
  if (strstr (error->message, what) == NULL)
    g_error ("error message '%s' does not name '%s'", error->message, what);
}

static char *
fixture_dir (const char *experiment)
{
  return g_test_build_filename (G_TEST_DIST, "data", "figures", experiment, NULL);
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* Pixels that are neither the background nor near it: the figure drew something. */
static void
assert_png (const char *path,
            double      width_mm,
            double      height_mm)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  int w, h, stride;
  guchar *data;
  guint dark = 0, coloured = 0;
  int want_w = (int) round (width_mm / 25.4 * DPI);
  int want_h = (int) round (height_mm / 25.4 * DPI);

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  /* mm -> pixels may round either way */
  g_assert_cmpint (abs (w - want_w), <=, 1);
  g_assert_cmpint (abs (h - want_h), <=, 1);

  cairo_surface_flush (s);
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  g_assert_true (cairo_image_surface_get_format (s) == CAIRO_FORMAT_ARGB32
                 || cairo_image_surface_get_format (s) == CAIRO_FORMAT_RGB24);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px = *(guint32 *) (data + (gsize) y * stride + 4 * x);
        int a = cairo_image_surface_get_format (s) == CAIRO_FORMAT_RGB24 ? 255 : px >> 24;
        int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        /* premultiplied: a transparent pixel is all zero and counts as background */
        if (a > 128 && r < 100 && g < 100 && b < 100)
          dark++;
        if (a > 128 && (MAX (MAX (r, g), b) - MIN (MIN (r, g), b)) > 60)
          coloured++;
      }
  cairo_surface_destroy (s);
  g_test_message ("%s: %d x %d, %u dark and %u coloured pixels", path, w, h, dark, coloured);
  /* text, axes and lines: at least 0.2% of the pixels dark; the data in colour */
  g_assert_cmpuint (dark, >, (guint) (0.002 * w * h));
  g_assert_cmpuint (coloured, >, 50);
}

static char *
pdf_text (const char *pdftotext,
          const char *pdf)
{
  const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *text = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("pdftotext %s: %s\n%s", pdf, error->message, err);
  return text;
}

/* ---- every figure in the registry ------------------------------------------------------- */

static void
test_figure (gconstpointer data)
{
  const VesicleFigureInfo *info = data;
  g_autofree char *dir = fixture_dir (info->experiment);
  g_autofree char *tmp = NULL, *svg = NULL, *pdf = NULL, *png = NULL, *png_w = NULL;
  g_autofree char *csv = NULL, *csv_text = NULL, *head = NULL, *pdftotext = NULL;
  g_autoptr(VesiclePlot) plot = NULL;
  g_autoptr(GError) error = NULL;
  guint n_words = 0;

  /* a missing fixture is a failure: every figure is drawn from a saved folder */
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_error ("%s: no fixture folder %s (a small '%s' run)", info->name, dir, info->experiment);
  plot = vesicle_figure_build (info->name, dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plot);
  g_assert_cmpuint (vesicle_plot_get_rows (plot), >=, 1);
  g_assert_cmpuint (vesicle_plot_get_columns (plot), >=, 1);

  tmp = vesicle_test_tmp_dir ("figures");
  svg = g_build_filename (tmp, "figure.svg", NULL);
  pdf = g_build_filename (tmp, "figure.pdf", NULL);
  png = g_build_filename (tmp, "figure.png", NULL);
  png_w = g_build_filename (tmp, "figure-width.png", NULL);
  csv = g_build_filename (tmp, "figure.csv", NULL);

  g_assert_true (vesicle_plot_export (plot, svg, VESICLE_EXPORT_SVG, info->width_mm,
                                      info->height_mm, DPI, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_plot_export (plot, pdf, VESICLE_EXPORT_PDF, info->width_mm,
                                      info->height_mm, DPI, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_plot_export (plot, png, VESICLE_EXPORT_PNG, info->width_mm,
                                      info->height_mm, DPI, &error));
  g_assert_no_error (error);
  /* the single-column width, height from the figure's proportions at that width */
  g_assert_true (vesicle_plot_export (plot, png_w, VESICLE_EXPORT_PNG, 85.0, 0.0, DPI, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_plot_write_csv (plot, csv, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (file_size (svg), >, 1000);
  g_assert_cmpuint (file_size (pdf), >, 1000);
  {
    g_autofree char *text = NULL;

    g_file_get_contents (svg, &text, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "<svg"));
  }
  assert_png (png, info->width_mm, info->height_mm);
  assert_nothing_covered (plot, info->name, info->width_mm);
  /* a panel shown alone (the window's enlarged view) names its own series: where two or more
   * have a key, it draws a legend, and that legend covers no data */
  for (guint i = 0; i < plot->rows * plot->columns; i++)
    {
      const VesiclePanel *panel = &plot->panels[i];
      g_autoptr(VesiclePlot) alone = NULL;
      cairo_surface_t *surface;
      cairo_t *cr;
      guint keys = 0, legends = 0;
      const GArray *boxes;

      if (panel->hidden || panel->legend_only)
        continue;
      for (guint j = 0; j < panel->series->len; j++)
        if (vesicle_series_key (g_ptr_array_index (panel->series, j)))
          keys++;
      if (keys < 2)
        continue;
      alone = vesicle_plot_extract_panel (plot, i);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 600);
      cr = cairo_create (surface);
      vesicle_plot_render (alone, cr, 900, 600, VESICLE_THEME_LIGHT);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      boxes = vesicle_plot_get_drawn_boxes (alone);
      for (guint b = 0; b < boxes->len; b++)
        if (!g_array_index (boxes, VesiclePlotDrawnBox, b).annotation)
          legends++;
      g_test_message ("%s, panel %u alone: %u keyed series, %u legend", info->name, i, keys,
                      legends);
      g_assert_cmpuint (legends, ==, 1);
      assert_nothing_covered (alone, info->name, 900 / 72.0 * 25.4);
    }
  /* every figure is designed at 174 mm and keeps its grid there; at 85 mm its panels reflow
   * into columns at least 16 font sizes (112 pt) wide, 2 at most, and the height is the one
   * that keeps them their shape, not the 174 mm one scaled */
  {
    double narrow = 85.0 / 25.4 * 72.0, full = info->width_mm / 25.4 * 72.0;
    double aspect = vesicle_plot_get_aspect (plot);
    double reflowed = vesicle_plot_get_aspect_for_width (plot, narrow);
    guint columns = vesicle_plot_get_columns (plot);
    guint c = vesicle_plot_layout_columns (plot, narrow);

    g_assert_cmpuint (vesicle_plot_layout_columns (plot, full), ==, columns);
    g_assert_cmpfloat (vesicle_plot_get_aspect_for_width (plot, full), ==, aspect);
    g_assert_cmpuint (c, >=, 1);
    g_assert_cmpuint (c, <=, 2);
    if (columns <= 2)
      g_assert_cmpfloat (reflowed, ==, aspect);
    else
      g_assert_cmpfloat (reflowed, >, aspect);
    g_test_message ("%s at 85 mm: %u of %u columns, %.0f mm tall", info->name, c, columns,
                    vesicle_plot_export_height_mm (plot, 85.0));
    /* the reflowed shape, unless that would run past a page */
    g_assert_cmpfloat_with_epsilon (vesicle_plot_export_height_mm (plot, 85.0),
                                    MIN (85.0 * reflowed, VESICLE_PLOT_MAX_HEIGHT_MM), 1e-9);
    assert_png (png_w, 85.0, vesicle_plot_export_height_mm (plot, 85.0));
    assert_nothing_covered (plot, info->name, 85.0);
  }

  g_file_get_contents (csv, &csv_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv_text, "panel,series,kind,x,y,y_low,y_high"));
  /* a header and data */
  g_assert_cmpuint (strlen (csv_text), >, 200);
  /* the data say what they are: the tradeoff's settings and columns of rho by name */
  if (g_str_equal (info->experiment, "tradeoff"))
    {
      g_assert_nonnull (strstr (csv_text, ",heterogeneous,"));
      g_assert_nonnull (strstr (csv_text, ",homogeneous,"));
      g_assert_nonnull (strstr (csv_text, "(a ρ = 1/2)"));
      g_assert_null (strstr (csv_text, ",series "));
    }

  if ((pdftotext = g_find_program_in_path ("pdftotext")) != NULL)
    {
      g_autofree char *text = pdf_text (pdftotext, pdf);

      for (guint i = 0; i < G_N_ELEMENTS (figure_words); i++)
        if (g_str_equal (figure_words[i].name, info->name))
          for (guint w = 0; w < G_N_ELEMENTS (figure_words[i].words)
                            && figure_words[i].words[w] != NULL; w++, n_words++)
            if (strstr (text, figure_words[i].words[w]) == NULL)
              g_error ("%s: the PDF's text lacks '%s':\n%s", info->name,
                       figure_words[i].words[w], text);
      g_assert_cmpuint (n_words, >, 0);
    }
  vesicle_test_remove_tree (tmp);
  if (pdftotext == NULL)
    g_test_skip ("pdftotext not installed: the PDF's labels were not checked (the rest was)");
}

/* ---- the registry ------------------------------------------------------------------------ */

static void
test_registry (void)
{
  gsize n;
  const VesicleFigureInfo *list = vesicle_figure_list (&n);
  const char *names[] = {
    "fig1", "fig4", "fig2", "fig3", "fig5", "fig7", "app4", "app5", "app6", "training",
  };
  g_autofree const VesicleFigureInfo **tradeoff = vesicle_figure_for_experiment ("tradeoff");
  g_autofree const VesicleFigureInfo **costs = vesicle_figure_for_experiment ("costs");
  g_autofree const VesicleFigureInfo **train = vesicle_figure_for_experiment ("train");
  g_autofree const VesicleFigureInfo **none = vesicle_figure_for_experiment ("no-such");

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const VesicleFigureInfo *info = vesicle_figure_lookup (names[i]);

      g_assert_nonnull (info);
      g_assert_true (info >= list && info < list + n);
      g_assert_cmpstr (info->name, ==, names[i]);
      g_assert_nonnull (info->experiment);
      g_assert_cmpuint (strlen (info->title), >, 10);
      /* a journal column width, and a height that fits a page */
      g_assert_true (info->width_mm == 85.0 || info->width_mm == 114.0
                     || info->width_mm == 174.0);
      g_assert_cmpfloat (info->height_mm, >, 30.0);
      g_assert_cmpfloat (info->height_mm, <, 240.0);
    }
  g_assert_null (vesicle_figure_lookup ("fig6"));
  g_assert_cmpstr (vesicle_figure_lookup ("fig4")->experiment, ==, "costs");
  g_assert_cmpstr (vesicle_figure_lookup ("fig1")->experiment, ==, "costs");
  g_assert_cmpstr (vesicle_figure_lookup ("fig2")->experiment, ==, "tradeoff");
  g_assert_cmpstr (vesicle_figure_lookup ("app4")->experiment, ==, "predictive");
  g_assert_cmpstr (vesicle_figure_lookup ("app5")->experiment, ==, "zero-hidden");
  g_assert_cmpstr (vesicle_figure_lookup ("fig7")->experiment, ==, "bayes");
  /* the paper's figures of an experiment, then its training curves */
  g_assert_nonnull (tradeoff[0]);
  g_assert_nonnull (tradeoff[1]);
  g_assert_nonnull (tradeoff[2]);
  g_assert_null (tradeoff[3]);
  g_assert_cmpstr (tradeoff[0]->name, ==, "fig2");
  g_assert_cmpstr (tradeoff[1]->name, ==, "fig3");
  g_assert_cmpstr (tradeoff[2]->name, ==, "training");
  /* nothing trains in costs; custom training has only the curves */
  g_assert_cmpstr (costs[0]->name, ==, "fig1");
  g_assert_cmpstr (costs[1]->name, ==, "fig4");
  g_assert_null (costs[2]);
  g_assert_cmpstr (train[0]->name, ==, "training");
  g_assert_null (train[1]);
  g_assert_null (none[0]);
}

static void
test_format_ratio (void)
{
  const struct { double value; const char *text; } cases[] = {
    { 0.5, "1/2" }, { 2.0 / 3.0, "2/3" }, { 4.0 / 3.0, "4/3" }, { 2.0, "2" }, { 1.0, "1" },
    { 0.3, "0.3" }, { 0.01, "0.01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = vesicle_format_ratio (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  /* one formatter for a table's magnitudes: three significant digits, powers of ten written
   * out in superscript, a real minus */
  {
    const struct { double value; const char *text; } values[] = {
      { 0.063245553203367583, "0.0632" }, { 240000, "2.4×10⁵" }, { 316700, "3.17×10⁵" },
      { 5e-5, "5×10⁻⁵" }, { 1e-4, "10⁻⁴" }, { -0.25, "−0.25" }, { 1000, "1000" },
      { 1.5e12, "1.5×10¹²" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autofree char *text = vesicle_format_value (values[i].value);

        g_assert_cmpstr (text, ==, values[i].text);
      }
  }
}

/* ---- errors ------------------------------------------------------------------------------ */

static void
test_unknown_figure (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = vesicle_test_tmp_dir ("figures");
  VesiclePlot *plot = vesicle_figure_build ("fig6", tmp, &error);

  g_assert_null (plot);
  assert_error_names (error, "fig6");
  /* it says which names exist */
  assert_error_names (error, "fig1");
  vesicle_test_remove_tree (tmp);
}

static void
test_missing_folder (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("figures");
  g_autofree char *missing = g_build_filename (tmp, "no-such-run", NULL);
  g_autofree char *file = g_build_filename (tmp, "a-file", NULL);
  gsize n;
  const VesicleFigureInfo *list = vesicle_figure_list (&n);

  /* every builder, through the registry and directly */
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (vesicle_figure_build (list[i].name, missing, &error));
      assert_error_names (error, missing);
      assert_error_names (error, list[i].name);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (vesicle_figure_load_summary (missing, "costs", FALSE, &error));
    assert_error_names (error, missing);
    assert_error_names (error, "no such folder");
  }
  write_text (tmp, "a-file", "not a folder");
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (vesicle_figure_build ("fig2", file, &error));
    assert_error_names (error, file);
    assert_error_names (error, "not an experiment folder");
  }
  vesicle_test_remove_tree (tmp);
}

static void
test_wrong_type (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("figures");
  g_autofree char *costs = fixture_dir ("costs");
  g_autoptr(GError) error = NULL;

  write_experiment (tmp, "costs", "completed", NULL, "{}");
  g_assert_null (vesicle_figure_build ("fig2", tmp, &error));
  assert_error_names (error, tmp);
  assert_error_names (error, "'costs'");
  assert_error_names (error, "'tradeoff'");
  g_clear_error (&error);
  g_assert_null (vesicle_figure_build ("app4", tmp, &error));
  assert_error_names (error, "'predictive'");
  g_clear_error (&error);

  /* and the real fixture, when it is there */
  if (g_file_test (costs, G_FILE_TEST_IS_DIR))
    {
      g_assert_null (vesicle_figure_build ("fig3", costs, &error));
      assert_error_names (error, costs);
      assert_error_names (error, "'tradeoff'");
    }
  vesicle_test_remove_tree (tmp);
}

static void
test_status (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("figures");
  g_autoptr(GError) error = NULL;

  write_experiment (tmp, "tradeoff", "running", NULL, "{\"groups\": []}");
  g_assert_null (vesicle_figure_build ("fig2", tmp, &error));
  assert_error_names (error, tmp);
  assert_error_names (error, "still running");
  g_clear_error (&error);

  write_experiment (tmp, "tradeoff", "failed", "out of device memory", NULL);
  g_assert_null (vesicle_figure_build ("fig3", tmp, &error));
  assert_error_names (error, "failed");
  assert_error_names (error, "out of device memory");
  g_clear_error (&error);

  write_experiment (tmp, "predictive", "cancelled", "cancelled", NULL);
  g_assert_null (vesicle_figure_build ("app4", tmp, &error));
  assert_error_names (error, "cancelled");
  vesicle_test_remove_tree (tmp);
}

static void
test_bad_json (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("figures");
  g_autoptr(GError) error = NULL;

  /* no experiment.json at all */
  g_assert_null (vesicle_figure_build ("fig1", tmp, &error));
  assert_error_names (error, "experiment.json");
  assert_error_names (error, tmp);
  g_clear_error (&error);

  write_text (tmp, "experiment.json", "{\"type\": \"costs\", \"status\": ");
  g_assert_null (vesicle_figure_build ("fig1", tmp, &error));
  assert_error_names (error, "experiment.json");
  assert_error_names (error, "malformed");
  g_clear_error (&error);

  write_text (tmp, "experiment.json", "[1, 2, 3]");
  g_assert_null (vesicle_figure_build ("fig1", tmp, &error));
  assert_error_names (error, "experiment.json");
  g_clear_error (&error);

  write_text (tmp, "experiment.json", "{\"format\": \"something-else/2\", \"type\": \"costs\"}");
  g_assert_null (vesicle_figure_build ("fig1", tmp, &error));
  assert_error_names (error, "not a Vesicle experiment");
  g_clear_error (&error);

  /* completed, but summary.json missing, then malformed */
  write_experiment (tmp, "costs", "completed", NULL, NULL);
  g_assert_null (vesicle_figure_build ("fig1", tmp, &error));
  assert_error_names (error, "summary.json");
  g_clear_error (&error);

  write_text (tmp, "summary.json", "{\"mu\": 1, \"release\": {\"n\": [1, 2");
  g_assert_null (vesicle_figure_build ("fig1", tmp, &error));
  assert_error_names (error, "summary.json");
  assert_error_names (error, "malformed");
  vesicle_test_remove_tree (tmp);
}

/* A summary that parses but lacks what a figure reads: an error naming the member. */
static void
test_incomplete_summary (void)
{
  const struct {
    const char *figure, *type, *summary, *names;
  } cases[] = {
    { "fig1", "costs", "{}", "release" },
    { "fig1", "costs", "{\"release\": {\"n\": [1], \"p\": [0, 1], \"mean\": [[0, 1]], "
                       "\"sd\": [[0, 0]]}}", "costs" },
    { "fig1", "costs", "{\"release\": {\"n\": [1], \"p\": [0, 1], \"mean\": [[0, \"x\"]], "
                       "\"sd\": [[0, 0]]}}", "release.mean" },
    { "fig2", "tradeoff", "{}", "groups" },
    { "fig3", "tradeoff", "{\"groups\": []}", "groups" },
    { "fig2", "tradeoff", "{\"groups\": 3}", "groups" },
    { "app4", "predictive", "{\"networks\": []}", "grid" },
    { "app4", "predictive", "{\"networks\": [], \"grid\": [0, 1], \"truth\": [0, 1]}", "data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *tmp = vesicle_test_tmp_dir ("figures");
      g_autoptr(GError) error = NULL;

      write_experiment (tmp, cases[i].type, "completed", NULL, cases[i].summary);
      g_assert_null (vesicle_figure_build (cases[i].figure, tmp, &error));
      g_test_message ("%s from %s: %s", cases[i].figure, cases[i].summary, error->message);
      assert_error_names (error, cases[i].names);
      assert_error_names (error, cases[i].figure);
      vesicle_test_remove_tree (tmp);
    }
}

/* ---- training curves, the record, the reproduction and its report ----------------------- */

/* The training figure from the bayes fixture: one line per network, its VB network known from
 * run.json; the same curves from rows in memory, as the live chart draws them. */
static void
test_training_curves (void)
{
  g_autofree char *dir = fixture_dir ("bayes");
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleExperimentRecord) rec = vesicle_experiment_record_load (dir, &error);
  g_autoptr(GArray) networks = NULL, rows = NULL;
  g_autoptr(VesiclePlot) plot = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rec->type_name, ==, "bayes");
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_COMPLETED);
  /* written before experiment.json listed its runs: found on disk */
  g_assert_cmpuint (rec->runs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rec->runs, 0), ==, "train");
  networks = vesicle_experiment_record_networks (rec, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (networks->len, ==, 13);
  g_assert_true (g_array_index (networks, VesicleNetworkSummary, 0).variational);
  g_assert_false (g_array_index (networks, VesicleNetworkSummary, 1).variational);
  for (guint i = 0; i < networks->len; i++)
    {
      const VesicleNetworkSummary *n = &g_array_index (networks, VesicleNetworkSummary, i);

      /* the last epoch, and its accuracy (evaluated only then in this fixture) */
      g_assert_cmpuint (n->epoch, ==, 2);
      g_assert_true (n->test_accuracy > 0.5 && n->test_accuracy < 1.0);
    }

  rows = vesicle_experiment_record_metrics (rec, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 13 * 2);
  plot = vesicle_figure_training_curves ((VesicleMetricsRow *) (gpointer) rows->data, rows->len);
  /* four cost exponents: a row of small multiples each, the key in a cell of its own */
  g_assert_cmpuint (vesicle_plot_get_rows (plot), ==, 4);
  g_assert_cmpuint (vesicle_plot_get_columns (plot), ==, 4);
  g_assert_true (plot->panels[3].legend_only);
  g_assert_cmpuint (plot->panels[3].series->len, >=, 2);
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 3; c++)
      {
        const VesiclePanel *panel = &plot->panels[r * 4 + c];
        /* "…, ρ = 1/2": every efficient network in the row has that exponent */
        const char *rho = strstr (panel->title, "ρ = ");
        guint efficient = 0;

        g_assert_nonnull (rho);
        g_assert_false (panel->legend);
        for (guint j = 0; j < panel->series->len; j++)
          {
            const VesicleSeries *series = g_ptr_array_index (panel->series, j);

            if (g_str_has_prefix (series->legend, "variational Bayes"))
              continue;
            efficient++;
            if (!g_str_has_prefix (series->legend, rho))
              g_error ("panel '%s' draws '%s'", panel->title, series->legend);
          }
        g_assert_cmpuint (efficient, >, 0);
      }
  /* a single exponent: every term of the objective, two rows of three and the key */
  {
    g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (VesicleMetricsRow));
    g_autoptr(VesiclePlot) single = NULL;
    double rho = g_array_index (rows, VesicleMetricsRow, 2).rho;

    for (guint i = 0; i < rows->len; i++)
      if (g_array_index (rows, VesicleMetricsRow, i).rho == rho)
        g_array_append_val (one, g_array_index (rows, VesicleMetricsRow, i));
    single = vesicle_figure_training_curves ((VesicleMetricsRow *) (gpointer) one->data,
                                             one->len);
    g_assert_cmpuint (vesicle_plot_get_rows (single), ==, 2);
    g_assert_cmpuint (vesicle_plot_get_columns (single), ==, 4);
    g_assert_true (single->panels[3].legend_only);
    g_assert_true (single->panels[7].hidden);
  }
  /* epochs without an evaluation have no accuracy: those points are skipped, not drawn at 0 */
  g_assert_cmpuint (vesicle_plot_n_skipped (plot), ==, 0);

  /* the CSV names every series by its network, in every panel, never "series 3" */
  {
    g_autofree char *tmp = vesicle_test_tmp_dir ("curves-csv");
    g_autofree char *csv = g_build_filename (tmp, "curves.csv", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    guint n_vb = 0, n_efficient = 0;

    g_assert_true (vesicle_plot_write_csv (plot, csv, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    for (guint i = 1; lines[i] && *lines[i]; i++)
      {
        g_assert_null (strstr (lines[i], ",series "));
        n_vb += strstr (lines[i], "variational Bayes, seed") != NULL;
        n_efficient += strstr (lines[i], "heterogeneous, seed") != NULL;
      }
    g_assert_cmpuint (n_vb, >, 0);
    g_assert_cmpuint (n_efficient, >, 0);
    vesicle_test_remove_tree (tmp);
  }
}

static void
test_record_errors (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("record");
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleExperimentRecord) rec = NULL;

  write_text (tmp, "experiment.json", "{\"format\": \"vesicle-experiment/1\", \"type\": "
                                      "\"tradeoff\", \"status\": \"exploded\"}");
  g_assert_null (vesicle_experiment_record_load (tmp, &error));
  assert_error_names (error, "experiment.json");
  assert_error_names (error, "'exploded'");
  g_clear_error (&error);

  /* a run listed whose metrics.csv is corrupt: the file and the line */
  write_text (tmp, "experiment.json", "{\"format\": \"vesicle-experiment/1\", \"type\": "
                                      "\"train\", \"status\": \"completed\", \"runs\": [\".\"]}");
  write_text (tmp, "metrics.csv", "network,epoch,rho,c,lambda,setting,seed,train_nll,"
                                  "train_accuracy,l1,cost,objective,test_accuracy,test_nll,"
                                  "test_accuracy_mean,mean_sigma,rms_sigma,reliability_cost_s1\n"
                                  "0,1,0.5,0.01,0.0001,hetero,1,0.5,0.9,1,2,3,0.9,0.3,0.9,0.1,"
                                  "0.1,10\n0,2,0.5,0.01,0.0001,hetero,1,oops,0.9,1,2,3,0.9,0.3,"
                                  "0.9,0.1,0.1,10\n");
  rec = vesicle_experiment_record_load (tmp, &error);
  g_assert_no_error (error);
  g_assert_null (vesicle_experiment_record_networks (rec, &error));
  assert_error_names (error, "metrics.csv");
  assert_error_names (error, "line 3");
  assert_error_names (error, "'oops'");
  vesicle_test_remove_tree (tmp);
}

/* The fixtures are one small reproduction: every experiment, each in its type's folder. */
static void
test_reproduction_rows (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "figures", NULL);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = vesicle_reproduction_rows (dir, missing, &error);
  const char *figures[] = {
    "Fig 1c", "Fig 4d", "Eq. 29", "Fig 2a", "Fig 2b", "Fig 5a", "Fig 5b", "Fig 5c", "App 5", "App 6",
    "Fig 7a", "Fig 7b", "Fig 7c", "Eq. 54c", "App 4a", "App 4b",
  };
  guint costs_agree = 0, n_reference = 0, n_app5_choice = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (missing->len, ==, 0);
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    {
      guint n = 0;

      for (guint i = 0; i < rows->len; i++)
        {
          VesicleReproductionRow *row = g_ptr_array_index (rows, i);

          n += g_str_equal (row->figure, figures[f]);
          g_assert_cmpuint (strlen (row->claim), >, 5);
          g_assert_cmpuint (strlen (row->rule), >, 0);
          g_assert_cmpuint (strlen (row->measured), >, 0);
          /* every simulated row names its preset; Fig 6 is recordings, listed as untested */
          if (g_str_has_prefix (row->figure, "Fig 6"))
            g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_UNTESTED);
          else
            g_assert_nonnull (strstr (row->source, "preset"));
          /* a ✗ or an untested claim always says why; nothing else does */
          g_assert_true ((row->reason != NULL)
                         == (row->verdict == VESICLE_VERDICT_DISAGREES
                             || row->verdict == VESICLE_VERDICT_UNTESTED));
          if (g_str_equal (row->figure, "Fig 1c") && row->verdict == VESICLE_VERDICT_AGREES)
            costs_agree++;
        }
      if (n == 0)
        g_error ("no row for %s", figures[f]);
    }
  /* the analytic costs fall exactly as sigma^-rho */
  g_assert_cmpuint (costs_agree, >=, 4);

  for (guint i = 0; i < rows->len; i++)
    {
      VesicleReproductionRow *row = g_ptr_array_index (rows, i);

      /* the analytic slopes are shown for reference, never ticked */
      if (g_str_equal (row->figure, "Eq. 54c") || g_str_equal (row->figure, "Eq. 54a"))
        {
          g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_REFERENCE);
          g_assert_nonnull (strstr (row->measured, "ratio"));
          n_reference++;
        }
      /* Fig 7: the claim is a slope below one; the fixture's layer-2 slopes (0.63 and less)
       * are, so these hold whatever Eq. 54c says */
      if (g_str_equal (row->figure, "Fig 7b") && strstr (row->claim, "smaller than one"))
        g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_AGREES);
      /* App 5 trains all four rho: which one matches the biological slope is judged, and the
       * row names the rho it found nearest */
      if (g_str_equal (row->figure, "App 5") && strstr (row->claim, "biological slopes"))
        {
          g_assert_cmpint (row->verdict, !=, VESICLE_VERDICT_UNTESTED);
          g_assert_nonnull (strstr (row->measured, "nearest: ρ = "));
          n_app5_choice++;
        }
    }
  g_assert_cmpuint (n_reference, >=, 2);
  g_assert_cmpuint (n_app5_choice, ==, 1);
}

/* The rows of a reproduction that holds one experiment of @type (the fixture's experiment.json)
 * with @summary as its summary.json; the folder is removed again. */
static GPtrArray *
rows_for_summary (const char *type,
                  const char *summary)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "figures", type,
                                                    "experiment.json", NULL);
  g_autofree char *tmp = vesicle_test_tmp_dir ("rows");
  g_autofree char *sub = g_build_filename (tmp, type, NULL);
  g_autofree char *experiment = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  g_assert_true (g_file_get_contents (fixture, &experiment, NULL, NULL));
  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  write_text (sub, "experiment.json", experiment);
  write_text (sub, "summary.json", summary);
  rows = vesicle_reproduction_rows (tmp, NULL, &error);
  g_assert_no_error (error);
  vesicle_test_remove_tree (tmp);
  return rows;
}

/* A tradeoff whose rho = 2 noise ended at one sigma for every c (the paper protocol's stall) and
 * whose rho = 1/2 noise rose with c: the stalled rows are ✗ and say "stall", the others hold. */
static void
test_reproduction_stall (void)
{
  g_autoptr(GString) summary = g_string_new ("{\"networks\": [], \"groups\": [");
  g_autoptr(GPtrArray) rows = NULL;
  const double cs[] = { 1e-4, 1e-2, 1, 1e2 };
  guint n_stalled = 0, n_rising = 0;

  for (guint r = 0; r < 2; r++)
    for (guint i = 0; i < G_N_ELEMENTS (cs); i++)
      for (guint h = 0; h < 2; h++)
        /* rho 1/2: sigma 0.05 to 0.2, accuracy falling; rho 2: sigma 0.00968 at every c */
        g_string_append_printf (summary, "%s{\"rho\": %g, \"c\": %g, \"setting\": \"%s\", "
                                "\"n\": 1, \"test_accuracy_mean\": %g, \"mean_sigma_mean\": "
                                "%g}", r + i + h ? ", " : "", r ? 2.0 : 0.5, cs[i],
                                h ? "homo" : "hetero", r ? 0.966 + 0.001 * (i % 2)
                                                         : 0.96 - 0.05 * i - 0.01 * h,
                                r ? 0.00968 : 0.05 * (i + 1) * (h ? 1.05 : 1.0));
  g_string_append (summary, "]}");
  rows = rows_for_summary ("tradeoff", summary->str);
  for (guint i = 0; i < rows->len; i++)
    {
      VesicleReproductionRow *row = g_ptr_array_index (rows, i);

      if (!g_str_has_prefix (row->figure, "Fig 2"))
        continue;
      if (strstr (row->claim, "ρ = 2"))
        {
          /* every rho = 2 row fails, each naming the stall and the sigma it stopped at */
          g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_DISAGREES);
          g_assert_nonnull (strstr (row->reason, "stall"));
          g_assert_nonnull (strstr (row->reason, "0.00968"));
          n_stalled++;
        }
      else
        {
          g_assert_true (row->reason == NULL || strstr (row->reason, "stall") == NULL);
          if (strstr (row->claim, "standard deviation increased"))
            g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_AGREES);
          n_rising++;
        }
    }
  g_assert_cmpuint (n_stalled, ==, 4);
  g_assert_cmpuint (n_rising, ==, 4);
}

/* Heterogeneous mean σ 0.9997 times the homogeneous at every c: the row's rule (a ratio under 1)
 * holds, and its value shows it, "0.9997", not a "1.00" that reads as a tick against its rule. */
static void
test_reproduction_ratio_digits (void)
{
  g_autoptr(GString) summary = g_string_new ("{\"networks\": [], \"groups\": [");
  g_autoptr(GPtrArray) rows = NULL;
  const double cs[] = { 1e-4, 1e-2, 1, 1e2 };
  guint seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cs); i++)
    for (guint h = 0; h < 2; h++)
      g_string_append_printf (summary, "%s{\"rho\": 0.5, \"c\": %g, \"setting\": \"%s\", "
                              "\"n\": 1, \"test_accuracy_mean\": %g, \"mean_sigma_mean\": %g}",
                              i + h ? ", " : "", cs[i], h ? "homo" : "hetero",
                              0.96 - 0.05 * i - 0.01 * h, 0.05 * (i + 1) * (h ? 1.0 : 0.9997));
  g_string_append (summary, "]}");
  rows = rows_for_summary ("tradeoff", summary->str);
  for (guint i = 0; i < rows->len; i++)
    {
      VesicleReproductionRow *row = g_ptr_array_index (rows, i);

      if (strstr (row->claim, "only reduced the average noise slightly") == NULL)
        continue;
      g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_AGREES);
      g_assert_true (g_str_has_prefix (row->measured, "0.9997 "));
      seen++;
    }
  g_assert_cmpuint (seen, ==, 1);
}

/* An importance experiment repeated over three seeds: Fig 5a's sign is judged on the 95% interval
 * of the mean over seeds, not on the first seed's fit. Slopes of −0.20, −0.15 and +0.30, each fit
 * tight, give no clear sign (✗) although the first seed alone is clearly negative; −0.20, −0.15
 * and −0.18 give ✓ with their mean. */
static void
test_reproduction_seeds (void)
{
  const double cases[2][3] = { { -0.20, -0.15, 0.30 }, { -0.20, -0.15, -0.18 } };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GString) summary = g_string_new ("{");
      g_autoptr(GPtrArray) rows = NULL;
      guint n_fig5a = 0;

      for (guint s = 0; s < 3; s++)
        {
          double slope = cases[k][s];
          g_autofree char *copy =
            g_strdup_printf ("\"networks\": [{\"network\": %u, \"rho\": 0.5, \"c\": 0.06, "
                             "\"c_factor\": 1, \"seed\": %u, \"mean_sigma\": 0.03}], "
                             "\"slopes\": [{\"network\": %u, \"layer\": 2, \"against\": "
                             "\"hessian_empirical\", \"slope\": %g, \"ci_low\": %g, "
                             "\"ci_high\": %g, \"analytic\": -0.8}]", s, s + 1, s, slope,
                             slope - 0.01, slope + 0.01);

          if (s == 0)
            g_string_append_printf (summary, "%s, \"replicates\": [", copy);
          else
            g_string_append_printf (summary, "%s{\"seed\": %u, %s}", s > 1 ? ", " : "", s + 1,
                                    copy);
        }
      g_string_append (summary, "]}");
      rows = rows_for_summary ("importance", summary->str);
      for (guint i = 0; i < rows->len; i++)
        {
          VesicleReproductionRow *row = g_ptr_array_index (rows, i);

          if (!g_str_equal (row->figure, "Fig 5a"))
            continue;
          n_fig5a++;
          g_assert_nonnull (strstr (row->measured, "over 3 seeds"));
          if (k == 0)
            g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_DISAGREES);
          else
            {
              g_assert_cmpint (row->verdict, ==, VESICLE_VERDICT_AGREES);
              /* the mean of the three, not the first seed's −0.200 */
              g_assert_nonnull (strstr (row->measured, "−0.177"));
            }
        }
      g_assert_cmpuint (n_fig5a, ==, 1);
    }
}

/* The verdict follows from the rule mechanically: a value on either side of each rule. */
static void
test_reproduction_rules (void)
{
  static const struct {
    VesicleRule    rule;
    double         value;
    VesicleVerdict verdict;
  } cases[] = {
    { { VESICLE_RULE_BELOW, 1, 0 }, 0.53, VESICLE_VERDICT_AGREES },
    { { VESICLE_RULE_BELOW, 1, 0 }, 1.0, VESICLE_VERDICT_DISAGREES },
    { { VESICLE_RULE_ABOVE, 0, 0 }, 0.01, VESICLE_VERDICT_AGREES },
    { { VESICLE_RULE_ABOVE, 0, 0 }, -0.2, VESICLE_VERDICT_DISAGREES },
    { { VESICLE_RULE_BETWEEN, 0, 1 }, 0.6, VESICLE_VERDICT_AGREES },
    { { VESICLE_RULE_BETWEEN, 0, 1 }, 1.2, VESICLE_VERDICT_DISAGREES },
    { { VESICLE_RULE_BETWEEN, 0.5, 1 }, 14.1, VESICLE_VERDICT_DISAGREES },
    /* Fig 7's old row: 0.530 is not within 0.1 of Eq. 54c's 0.80 */
    { { VESICLE_RULE_WITHIN, 0.8, 0.1 }, 0.530, VESICLE_VERDICT_DISAGREES },
    { { VESICLE_RULE_WITHIN, 0.8, 0.1 }, 0.75, VESICLE_VERDICT_AGREES },
    { { VESICLE_RULE_WITHIN, -0.5, 0.01 }, -0.5001, VESICLE_VERDICT_AGREES },
    { { VESICLE_RULE_WITHIN, 1.0, 0.1 }, 0.652, VESICLE_VERDICT_DISAGREES },
    { { VESICLE_RULE_ABOVE, 0, 0 }, NAN, VESICLE_VERDICT_DISAGREES },
    { { VESICLE_RULE_NONE, 0, 0 }, 0.3, VESICLE_VERDICT_REFERENCE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = vesicle_rule_text (cases[i].rule, "slope");

      g_assert_cmpint (vesicle_rule_judge (cases[i].rule, cases[i].value), ==, cases[i].verdict);
      g_assert_nonnull (strstr (text, "slope"));
    }
  {
    g_autofree char *text = vesicle_rule_text ((VesicleRule) { VESICLE_RULE_WITHIN, -0.5, 0.01 },
                                               "slope");

    g_assert_cmpstr (text, ==, "|slope + 0.5| ≤ 0.01");
  }
}

static void
test_report (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "figures", NULL);
  g_autofree char *tmp = vesicle_test_tmp_dir ("report");
  g_autofree char *pdf = g_build_filename (tmp, "report.pdf", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (vesicle_report_write_pdf (dir, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpmem (contents, 4, "%PDF", 4);
  /* the table, then every figure of the paper, two to a page where they fit */
  g_assert_nonnull (pdftotext);
  {
    g_autofree char *text = pdf_text (pdftotext, pdf);
    const char *words[] = {
      "reproduction", "Measured", "claim", "Rule", "Fig 1c", "Fig 2", "Fig 7", "App 4", "App 5",
      "Fig 1b/c", "Appendix 6", "Appendix 4", "Fig 7",
    };
    guint pages = 0, shared = 0;
    g_auto(GStrv) page_texts = g_strsplit (text, "\f", -1);

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      if (strstr (text, words[i]) == NULL)
        g_error ("the report lacks '%s'", words[i]);
    for (const char *p = text; (p = strchr (p, '\f')); p++)
      pages++;
    g_assert_cmpuint (pages, >=, 5);
    /* captions read "(fig1, from costs/)": a page with two of them is a shared page */
    for (guint i = 0; page_texts[i]; i++)
      {
        guint captions = 0;

        for (const char *p = page_texts[i]; (p = strstr (p, ", from ")); p++)
          captions++;
        shared += captions >= 2;
      }
    g_assert_cmpuint (shared, >=, 1);
  }

  /* from a folder holding none of the experiments: an error naming it, nothing written */
  g_remove (pdf);
  g_assert_false (vesicle_report_write_pdf (tmp, pdf, &error));
  assert_error_names (error, tmp);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* into a folder that cannot exist (under a file, even as root): the error names the path */
  {
    g_autofree char *file = g_build_filename (tmp, "a-file", NULL);
    g_autofree char *under = g_build_filename (file, "report.pdf", NULL);

    g_assert_true (g_file_set_contents (file, "x", -1, NULL));
    g_assert_false (vesicle_report_write_pdf (dir, under, &error));
    assert_error_names (error, under);
  }
  vesicle_test_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  gsize n;
  const VesicleFigureInfo *list;

  g_test_init (&argc, &argv, NULL);
  list = vesicle_figure_list (&n);
  g_test_add_func ("/plot/figures/registry", test_registry);
  g_test_add_func ("/plot/figures/format-ratio", test_format_ratio);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/plot/figures/build/%s", list[i].name);

      g_test_add_data_func (path, &list[i], test_figure);
    }
  g_test_add_func ("/plot/figures/errors/unknown-figure", test_unknown_figure);
  g_test_add_func ("/plot/figures/errors/missing-folder", test_missing_folder);
  g_test_add_func ("/plot/figures/errors/wrong-type", test_wrong_type);
  g_test_add_func ("/plot/figures/errors/status", test_status);
  g_test_add_func ("/plot/figures/errors/bad-json", test_bad_json);
  g_test_add_func ("/plot/figures/errors/incomplete-summary", test_incomplete_summary);
  g_test_add_func ("/plot/figures/training-curves", test_training_curves);
  g_test_add_func ("/plot/figures/record-errors", test_record_errors);
  g_test_add_func ("/plot/reproduction/rows", test_reproduction_rows);
  g_test_add_func ("/plot/reproduction/rules", test_reproduction_rules);
  g_test_add_func ("/plot/reproduction/stall", test_reproduction_stall);
  g_test_add_func ("/plot/reproduction/seeds", test_reproduction_seeds);
  g_test_add_func ("/plot/reproduction/ratio-digits", test_reproduction_ratio_digits);
  g_test_add_func ("/plot/reproduction/report", test_report);
  return g_test_run ();
}
