/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the plotting library's drawing and files (vesicle-plot.h): a synthetic figure that
 * uses every series kind, both scales, shared axes, equal aspect, a hidden panel and values the
 * plot must skip, rendered to SVG, PDF and PNG in a temporary folder. The PNG must have exactly
 * the pixels asked for and not be blank; the PDF's text (pdftotext, when installed) must hold
 * the axis labels and panel letters; skipped values are counted; unwritable paths and bad
 * sizes are GErrors; the dark theme draws light ink on a dark ground; the CSV holds every
 * series' numbers; a grid too wide for its width reflows into fewer columns.
 *
 * With VESICLE_TEST_PLOT_DIR set, the files are also written there to be looked at.
 */
#include "vesicle-test-files.h"
#include "vesicle-plot.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* values the synthetic figure plants for the plot to skip */
#define N_NAN_X 3        /* scatter x = NaN */
#define N_INF_Y 2        /* scatter y = +Inf */
#define N_NONPOSITIVE 1  /* scatter x = −1 on a log axis */
#define N_LINE_NAN 1     /* a NaN inside a line, which breaks it */
#define N_PLANTED (N_NAN_X + N_INF_Y + N_NONPOSITIVE + N_LINE_NAN)

static double
gauss (GRand *rand)
{
  /* Box–Muller; enough for test data */
  double u = g_rand_double_range (rand, 1e-12, 1.0), v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* Log-log: a cloud of weights with a power law through it, a second category, a reference. */
static void
panel_cloud (VesiclePanel *panel,
             GRand        *rand,
             gboolean      plant)
{
  enum { N = 3000, M = 150 };
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);

  for (guint i = 0; i < N; i++)
    {
      x[i] = pow (10.0, g_rand_double_range (rand, -6.0, -1.0));
      y[i] = 3e-3 * pow (x[i] / 1e-3, -0.5) * exp (0.5 * gauss (rand));
    }
  if (plant)
    {
      for (guint i = 0; i < N_NAN_X; i++)
        x[10 + i] = NAN;
      for (guint i = 0; i < N_INF_Y; i++)
        y[20 + i] = INFINITY;
      for (guint i = 0; i < N_NONPOSITIVE; i++)
        x[30 + i] = -1.0;
    }
  vesicle_panel_set_scales (panel, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
  vesicle_panel_set_labels (panel, "Learning rate η", "σ<sup>2</sup>");
  vesicle_panel_add_scatter (panel, x, y, N, vesicle_palette_category (0), VESICLE_MARKER_CIRCLE,
                             2.0, 0.15, "Output layer");
  for (guint i = 0; i < M; i++)
    {
      x[i] = pow (10.0, g_rand_double_range (rand, -5.0, -2.0));
      y[i] = 1e-2 * pow (x[i] / 1e-3, -0.3) * exp (0.3 * gauss (rand));
    }
  vesicle_panel_add_scatter (panel, x, y, M, vesicle_palette_category (1),
                             VESICLE_MARKER_TRIANGLE, 3.0, 0.6, "Hidden layer");
  vesicle_panel_add_reference (panel, 1e-3, 3e-3, -0.5, VESICLE_COLOR_BLACK, VESICLE_DASH_DASHED,
                               "slope −1/2");
}

/* Linear: a curve in a band, error bars with markers, a dotted zero line, negative values. */
static void
panel_curve (VesiclePanel *panel,
             GRand        *rand,
             gboolean      plant)
{
  enum { N = 101, E = 11 };
  double x[N], y[N], lo[N], hi[N], ex[E], ey[E], elo[E], ehi[E];

  for (guint i = 0; i < N; i++)
    {
      x[i] = 0.1 * i;
      y[i] = sin (x[i]) * exp (-0.1 * x[i]);
      lo[i] = y[i] - 0.25;
      hi[i] = y[i] + 0.25;
    }
  if (plant)
    y[50] = NAN;
  for (guint i = 0; i < E; i++)
    {
      ex[i] = i;
      ey[i] = 0.6 * cos (ex[i] * 0.7) + 0.05 * gauss (rand);
      elo[i] = ey[i] - 0.1 - 0.05 * i / 10.0;
      ehi[i] = ey[i] + 0.1 + 0.05 * i / 10.0;
    }
  vesicle_panel_set_labels (panel, "Epoch", "Test accuracy (%)");
  vesicle_panel_add_band (panel, x, lo, hi, N, vesicle_palette_category (0), 0.25, "±1 sd");
  vesicle_panel_add_line (panel, x, y, N, vesicle_palette_category (0), VESICLE_DASH_SOLID,
                          "Mean");
  vesicle_panel_add_errorbars (panel, ex, ey, elo, ehi, E, vesicle_palette_category (3),
                               VESICLE_MARKER_SQUARE, TRUE, "Measured");
  vesicle_panel_add_hline (panel, 0.0, VESICLE_COLOR_HOMOGENEOUS, VESICLE_DASH_DOTTED, NULL);
}

/* Equal aspect: covariance ellipses (filled, dashed, tilted) over samples. */
static void
panel_ellipses (VesiclePanel *panel,
                GRand        *rand)
{
  enum { N = 400 };
  double x[N], y[N];

  for (guint i = 0; i < N; i++)
    {
      double a = gauss (rand), b = gauss (rand);

      /* covariance [[1, 0.6], [0.6, 0.5]] through its Cholesky factor */
      x[i] = 0.5 + a;
      y[i] = -0.2 + 0.6 * a + sqrt (0.5 - 0.36) * b;
    }
  vesicle_panel_set_labels (panel, "μ<sub>1</sub>", "μ<sub>2</sub>");
  vesicle_panel_set_title (panel, "Posterior");
  vesicle_panel_set_equal_aspect (panel, TRUE);
  vesicle_panel_add_scatter (panel, x, y, N, VESICLE_COLOR_HOMOGENEOUS, VESICLE_MARKER_SQUARE,
                             1.5, 0.4, NULL);
  vesicle_panel_add_ellipse (panel, 0.5, -0.2, 1.0, 0.6, 0.5, 2.0, VESICLE_COLOR_HETEROGENEOUS,
                             0.2, VESICLE_DASH_SOLID, "2σ, heterogeneous");
  vesicle_panel_add_ellipse (panel, 0.5, -0.2, 0.3, 0.0, 0.3, 2.0, vesicle_palette_category (4),
                             0.0, VESICLE_DASH_DASHED, "2σ, isotropic");
}

/* Log x, linear y: an ordered family of curves in the sequential ramp, bare error bars, an
 * annotation. */
static void
panel_family (VesiclePanel *panel,
              GRand        *rand)
{
  enum { N = 40, E = 6 };
  double x[N], y[N], ex[E], ey[E], elo[E], ehi[E];

  vesicle_panel_set_scales (panel, VESICLE_SCALE_LOG, VESICLE_SCALE_LINEAR);
  vesicle_panel_set_labels (panel, "Prior width <i>c</i>", "Slope");
  for (guint k = 0; k < 5; k++)
    {
      g_autofree char *legend = g_strdup_printf ("ρ = %.1f", 0.5 * k);

      for (guint i = 0; i < N; i++)
        {
          x[i] = pow (10.0, -2.0 + 4.0 * i / (N - 1));
          y[i] = -2.0 / (0.5 * k + 2.0) * tanh (log10 (x[i]) + 1.0) - 0.1 * k;
        }
      vesicle_panel_add_line (panel, x, y, N, vesicle_palette_sequential (k / 4.0),
                              k % 2 ? VESICLE_DASH_DASHED : VESICLE_DASH_SOLID,
                              k == 0 || k == 4 ? legend : NULL);
    }
  for (guint i = 0; i < E; i++)
    {
      ex[i] = pow (10.0, -1.5 + 0.6 * i);
      ey[i] = -0.62 + 0.05 * gauss (rand);
      elo[i] = ey[i] - 0.08;
      ehi[i] = ey[i] + 0.08;
    }
  vesicle_panel_add_errorbars (panel, ex, ey, elo, ehi, E, VESICLE_COLOR_BLACK,
                               VESICLE_MARKER_CIRCLE, FALSE, "Experiment");
  vesicle_panel_add_annotation (panel, 0.03, 0.03, "<i>n</i> = 6 networks",
                                VESICLE_COLOR_BLACK);
}

/* rows x columns panels filled in turn with the four kinds above; the first cloud and curve
 * panels carry the planted skips. */
static VesiclePlot *
build_figure (guint rows,
              guint columns)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);
  VesiclePlot *plot = vesicle_plot_new (rows, columns);

  for (guint p = 0; p < rows * columns; p++)
    {
      VesiclePanel *panel = vesicle_plot_get_panel (plot, p / columns, p % columns);

      switch (p % 4)
        {
        case 0: panel_cloud (panel, rand, p == 0); break;
        case 1: panel_curve (panel, rand, p == 1); break;
        case 2: panel_ellipses (panel, rand); break;
        default: panel_family (panel, rand); break;
        }
    }
  return plot;
}

/* Also writes @path's contents under $VESICLE_TEST_PLOT_DIR, for a person to look at. */
static void
keep_copy (const char *path)
{
  const char *keep = g_getenv ("VESICLE_TEST_PLOT_DIR");
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dest = NULL;
  gsize length;

  if (keep == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return;
  base = g_path_get_basename (path);
  dest = g_build_filename (keep, base, NULL);
  g_file_set_contents (dest, contents, length, NULL);
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

static void
test_skipped (void)
{
  g_autoptr(VesiclePlot) plot = build_figure (2, 2);

  g_assert_cmpuint (vesicle_plot_n_skipped (plot), ==, N_PLANTED);

  /* the count follows the scales: the −1 is fine once the cloud's x axis is linear */
  vesicle_panel_set_scales (vesicle_plot_get_panel (plot, 0, 0), VESICLE_SCALE_LINEAR,
                            VESICLE_SCALE_LOG);
  g_assert_cmpuint (vesicle_plot_n_skipped (plot), ==, N_PLANTED - N_NONPOSITIVE);
}

/* distinct colours and the share of non-white pixels of an RGB24/ARGB32 image */
static void
image_stats (cairo_surface_t *image,
             guint           *n_colours,
             double          *inked,
             guint32          ground)
{
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  int w = cairo_image_surface_get_width (image), h = cairo_image_surface_get_height (image);
  int stride = cairo_image_surface_get_stride (image);
  const unsigned char *data;
  gsize n_ink = 0;

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px = ((const guint32 *) (data + y * stride))[x] & 0xffffff;

        if (px != (ground & 0xffffff))
          {
            n_ink++;
            g_hash_table_add (colours, GUINT_TO_POINTER (px));
          }
      }
  *n_colours = g_hash_table_size (colours);
  *inked = (double) n_ink / ((double) w * h);
}

static guint32
pixel_at (cairo_surface_t *image,
          int              x,
          int              y)
{
  cairo_surface_flush (image);
  return ((const guint32 *) (cairo_image_surface_get_data (image)
                             + y * cairo_image_surface_get_stride (image)))[x] & 0xffffff;
}

static void
test_exports (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("plot");
  g_autofree char *svg = g_build_filename (dir, "figure.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "figure.pdf", NULL);
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autoptr(VesiclePlot) plot = build_figure (2, 2);
  GError *error = NULL;
  cairo_surface_t *image;
  guint n_colours;
  double inked, width_mm = 174.0;
  int want_w, want_h;

  vesicle_plot_set_title (plot, "Synthetic <i>test</i> figure");
  vesicle_plot_set_aspect (plot, 0.62);

  g_assert_true (vesicle_plot_export (plot, svg, VESICLE_EXPORT_SVG, width_mm, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_plot_export (plot, pdf, VESICLE_EXPORT_PDF, width_mm, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_plot_export (plot, png, VESICLE_EXPORT_PNG, width_mm, 0, 300, &error));
  g_assert_no_error (error);
  keep_copy (svg);
  keep_copy (pdf);
  keep_copy (png);

  /* 3000 + markers and text: far beyond an empty page's few hundred bytes */
  g_assert_cmpuint (file_size (svg), >, 50000);
  g_assert_cmpuint (file_size (pdf), >, 20000);
  g_assert_cmpuint (file_size (png), >, 20000);

  /* the SVG's page is the size asked for, in points (174 mm = 493.228346 pt) */
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "width=\"493.228"));
    /* its words are text, as the PDF's are: the italic run of the title is a <text> of its
     * own, and no glyph is drawn as an outline */
    g_assert_nonnull (strstr (text, "font-style=\"italic\">test</text>"));
    g_assert_nonnull (strstr (text, ">Synthetic </text>"));
    g_assert_null (strstr (text, "<symbol"));
    g_assert_true (g_str_has_suffix (text, "</svg>\n"));
  }

  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  want_w = (int) round (width_mm / 25.4 * 300.0);
  want_h = (int) round (width_mm * 0.62 / 25.4 * 300.0);
  g_assert_cmpint (want_w, ==, 2055);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, want_w);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, want_h);
  g_assert_cmphex (pixel_at (image, 0, 0), ==, 0xffffff);  /* exports are light */
  image_stats (image, &n_colours, &inked, 0xffffff);
  g_test_message ("PNG: %u colours, %.1f%% inked", n_colours, 100.0 * inked);
  g_assert_cmpuint (n_colours, >, 200);
  g_assert_cmpfloat (inked, >, 0.03);
  cairo_surface_destroy (image);

  /* a given height wins over the aspect */
  g_assert_true (vesicle_plot_export (plot, png, VESICLE_EXPORT_PNG, 85.0, 60.0, 150, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 502);   /* 85 / 25.4 * 150 */
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 354);  /* 60 / 25.4 * 150 */
  cairo_surface_destroy (image);

  vesicle_test_remove_tree (dir);
}

static void
test_pdf_text (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("plot");
  g_autofree char *pdf = g_build_filename (dir, "figure.pdf", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(VesiclePlot) plot = build_figure (2, 2);
  const char *argv[] = { NULL, "-enc", "UTF-8", NULL, "-", NULL };
  static const char *const want[] = {
    "Learning rate", "Epoch", "Test accuracy (%)", "Slope", "Prior width", "Posterior",
    "Output layer", "Measured", "networks",
  };
  GError *error = NULL;
  int status;

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      vesicle_test_remove_tree (dir);
      return;
    }
  g_assert_true (vesicle_plot_export (plot, pdf, VESICLE_EXPORT_PDF, 174.0, 110.0, 0, &error));
  g_assert_no_error (error);

  argv[0] = pdftotext;
  argv[3] = pdf;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    if (strstr (out, want[i]) == NULL)
      g_error ("“%s” is not in the PDF's text:\n%s", want[i], out);
  /* panel letters as the paper sets them, a bold "a" on a line of its own, not "(a)" */
  g_assert_null (strstr (out, "(a)"));
  for (char letter = 'a'; letter <= 'd'; letter++)
    {
      char line[] = { '\n', letter, '\n', '\0' };

      if (strstr (out, line) == NULL && !(out[0] == letter && out[1] == '\n'))
        g_error ("the panel letter “%c” is not in the PDF's text:\n%s", letter, out);
    }
  /* the log axis' labels are powers of ten, with a real minus sign */
  g_assert_nonnull (strstr (out, "10"));
  g_assert_nonnull (strstr (out, "\xe2\x88\x92"));

  vesicle_test_remove_tree (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("plot");
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "figure.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "no-such-folder", "figure.csv", NULL);
  g_autoptr(VesiclePlot) plot = build_figure (1, 2);
  GError *error = NULL;

  for (VesicleExportFormat f = VESICLE_EXPORT_SVG; f <= VESICLE_EXPORT_PNG; f++)
    {
      g_assert_false (vesicle_plot_export (plot, missing, f, 85.0, 0, 300, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      g_assert_nonnull (strstr (error->message, missing));
      g_clear_error (&error);
    }

  /* a folder where the file should go */
  g_assert_false (vesicle_plot_export (plot, dir, VESICLE_EXPORT_SVG, 85.0, 0, 0, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_false (vesicle_plot_export (plot, missing, VESICLE_EXPORT_PDF, 0.0, 0, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (vesicle_plot_export (plot, missing, VESICLE_EXPORT_PNG, 85.0, 0, 1e6, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (vesicle_plot_write_csv (plot, csv, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  vesicle_test_remove_tree (dir);
}

static void
test_dark (void)
{
  g_autoptr(VesiclePlot) plot = build_figure (2, 2);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 560);
  cairo_t *cr = cairo_create (image);
  guint32 ground;
  guint n_colours;
  double inked;

  vesicle_plot_render (plot, cr, 800, 560, VESICLE_THEME_DARK);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);

  ground = pixel_at (image, 0, 0);
  g_assert_cmpuint ((ground >> 16) & 0xff, <, 0x40);  /* a dark ground */
  image_stats (image, &n_colours, &inked, ground);
  g_assert_cmpuint (n_colours, >, 100);
  g_assert_cmpfloat (inked, >, 0.02);
  /* light ink (the axes, the text): some pixel close to white */
  {
    gboolean light = FALSE;

    for (int y = 0; y < 560 && !light; y++)
      for (int x = 0; x < 800 && !light; x++)
        {
          guint32 p = pixel_at (image, x, y);

          light = ((p >> 16) & 0xff) > 0xd0 && ((p >> 8) & 0xff) > 0xd0 && (p & 0xff) > 0xd0;
        }
    g_assert_true (light);
  }
  cairo_surface_destroy (image);
}

/* On the dark card every colour of both palettes stands at least 3:1 (WCAG's ratio for lines),
 * the darkest viridis purple included, and a colour that already does is left alone. */
static void
test_dark_contrast (void)
{
  const VesicleColor card = { 0.212, 0.212, 0.212 };
  VesicleColor purple = vesicle_palette_sequential (0.0), kept;

  g_assert_cmpfloat (vesicle_color_contrast (purple, card), <, 3.0);   /* the problem */
  for (int i = 0; i <= 100; i++)
    {
      VesicleColor c = vesicle_color_readable_on_dark (vesicle_palette_sequential (i / 100.0),
                                                       card, 3.0);

      g_assert_cmpfloat (vesicle_color_contrast (c, card), >=, 3.0 - 1e-6);
    }
  for (guint i = 0; i < 8; i++)
    {
      VesicleColor c = vesicle_color_readable_on_dark (vesicle_palette_category (i), card, 3.0);

      g_assert_cmpfloat (vesicle_color_contrast (c, card), >=, 3.0 - 1e-6);
    }
  /* just enough: no more than a hair past the ratio, the hue kept (blue stays bluest) */
  purple = vesicle_color_readable_on_dark (purple, card, 3.0);
  g_assert_cmpfloat (vesicle_color_contrast (purple, card), <, 3.01);
  g_assert_cmpfloat (purple.b, >, purple.g);
  kept = vesicle_color_readable_on_dark (vesicle_palette_sequential (0.9), card, 3.0);
  g_assert_cmpfloat (kept.r, ==, vesicle_palette_sequential (0.9).r);
  /* the WCAG endpoints */
  g_assert_cmpfloat_with_epsilon (vesicle_color_contrast ((VesicleColor) { 0, 0, 0 },
                                                          (VesicleColor) { 1, 1, 1 }), 21.0,
                                  1e-9);
}

/* Sizes no one should ask for still draw, and do not crash. */
static void
test_degenerate (void)
{
  g_autoptr(VesiclePlot) plot = vesicle_plot_new (3, 3);
  g_autoptr(VesiclePlot) full = build_figure (2, 4);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 60, 40);
  cairo_t *cr = cairo_create (image);
  double one = 2.5, none = NAN;

  /* empty panels, a single point, a series of nothing but NaN, a hidden panel */
  vesicle_panel_add_scatter (vesicle_plot_get_panel (plot, 0, 1), &one, &one, 1,
                             VESICLE_COLOR_BLACK, VESICLE_MARKER_CIRCLE, 3.0, 1.0, "one");
  vesicle_panel_add_line (vesicle_plot_get_panel (plot, 1, 1), &none, &none, 1,
                          VESICLE_COLOR_BLACK, VESICLE_DASH_SOLID, "none");
  vesicle_panel_set_scales (vesicle_plot_get_panel (plot, 1, 1), VESICLE_SCALE_LOG,
                            VESICLE_SCALE_LOG);
  vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, 2, 2), TRUE);
  vesicle_panel_set_x_limits (vesicle_plot_get_panel (plot, 2, 0), 5.0, NAN);
  vesicle_plot_share_x_by_column (plot, TRUE);
  vesicle_plot_share_y_by_row (plot, TRUE);
  vesicle_plot_render (plot, cr, 60, 40, VESICLE_THEME_LIGHT);
  vesicle_plot_render (full, cr, 60, 40, VESICLE_THEME_LIGHT);
  vesicle_plot_render (plot, cr, 2000, 1500, VESICLE_THEME_LIGHT);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpuint (vesicle_plot_n_skipped (plot), ==, 1);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
}

static void
test_csv (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("plot");
  g_autofree char *path = g_build_filename (dir, "figure.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(VesiclePlot) plot = vesicle_plot_new (1, 2);
  VesiclePanel *a = vesicle_plot_get_panel (plot, 0, 0), *b = vesicle_plot_get_panel (plot, 0, 1);
  double x[3] = { 1, 2, 3 }, y[3] = { -0.5, NAN, 1e-20 }, lo[3] = { 0, 1, 2 }, hi[3] = { 1, 2, 4 };
  GError *error = NULL;

  vesicle_panel_add_line (a, x, y, 3, VESICLE_COLOR_BLACK, VESICLE_DASH_SOLID, NULL);
  vesicle_panel_add_band (a, x, lo, hi, 3, VESICLE_COLOR_BLACK, 0.3, "σ<sub>post</sub>, 1 sd");
  vesicle_panel_add_errorbars (b, x, x, NULL, hi, 3, VESICLE_COLOR_BLACK, VESICLE_MARKER_CIRCLE,
                               FALSE, "bars");
  vesicle_panel_add_hline (b, 0.25, VESICLE_COLOR_BLACK, VESICLE_DASH_DOTTED, NULL);
  vesicle_panel_add_reference (b, 1.0, 1.0, 2.0, VESICLE_COLOR_BLACK, VESICLE_DASH_DASHED, "ref");
  vesicle_panel_set_x_limits (b, 0.0, 4.0);

  g_assert_true (vesicle_plot_write_csv (plot, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 + 3 + 3 + 1 + 2 + 1);  /* last: "" */
  g_assert_cmpstr (lines[0], ==, "panel,series,kind,x,y,y_low,y_high");
  g_assert_cmpstr (lines[1], ==, "a,series 1,line,1,-0.5,,");
  g_assert_cmpstr (lines[2], ==, "a,series 1,line,2,nan,,");
  g_assert_cmpstr (lines[3], ==, "a,series 1,line,3,1e-20,,");
  g_assert_cmpstr (lines[4], ==, "a,\"σpost, 1 sd\",band,1,,0,1");
  g_assert_cmpstr (lines[7], ==, "b,bars,errorbars,1,1,,1");
  g_assert_cmpstr (lines[10], ==, "b,series 2,hline,,0.25,,");
  g_assert_cmpstr (lines[11], ==, "b,ref,reference,0,-1,,");
  g_assert_cmpstr (lines[12], ==, "b,ref,reference,4,7,,");
  g_assert_cmpstr (lines[13], ==, "");

  vesicle_test_remove_tree (dir);
}

static void
test_format_parse (void)
{
  VesicleExportFormat f = VESICLE_EXPORT_PNG;

  g_assert_true (vesicle_export_format_parse ("svg", &f));
  g_assert_cmpint (f, ==, VESICLE_EXPORT_SVG);
  g_assert_true (vesicle_export_format_parse ("PDF", &f));
  g_assert_cmpint (f, ==, VESICLE_EXPORT_PDF);
  g_assert_true (vesicle_export_format_parse ("png", &f));
  g_assert_cmpint (f, ==, VESICLE_EXPORT_PNG);
  g_assert_false (vesicle_export_format_parse ("jpeg", &f));
  g_assert_false (vesicle_export_format_parse ("", &f));
  g_assert_false (vesicle_export_format_parse (NULL, &f));
  g_assert_cmpint (f, ==, VESICLE_EXPORT_PNG);
}

static void
test_palette (void)
{
  VesicleColor first = vesicle_palette_category (0), wrapped = vesicle_palette_category (8);
  VesicleColor dark = vesicle_palette_sequential (0.0), light = vesicle_palette_sequential (1.0);

  /* Okabe–Ito wraps after its eight colours */
  g_assert_cmpfloat (first.r, ==, wrapped.r);
  g_assert_cmpfloat (first.b, ==, wrapped.b);
  g_assert_cmpfloat_with_epsilon (vesicle_palette_category (2).g, 0.620, 1e-9);
  /* the ramp gets lighter as t grows, and clamps */
  g_assert_cmpfloat (0.2126 * dark.r + 0.7152 * dark.g + 0.0722 * dark.b, <,
                     0.2126 * light.r + 0.7152 * light.g + 0.0722 * light.b);
  g_assert_cmpfloat (vesicle_palette_sequential (2.0).g, ==, light.g);
  g_assert_cmpfloat (vesicle_palette_sequential (-1.0).r, ==, dark.r);
}

#define PT_PER_MM (72.0 / 25.4)

/* Occurrences of @needle in @haystack. */
static guint
count_text (const char *haystack,
            const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* A PDF's text through pdftotext, or NULL when it is not installed. */
static char *
pdf_words (VesiclePlot *plot,
           const char  *dir,
           double       width_mm)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdf = g_build_filename (dir, "reflow.pdf", NULL);
  const char *argv[] = { NULL, "-enc", "UTF-8", NULL, "-", NULL };
  GError *error = NULL;
  char *out = NULL;
  int status;

  if (pdftotext == NULL)
    return NULL;
  g_assert_true (vesicle_plot_export (plot, pdf, VESICLE_EXPORT_PDF, width_mm, 0, 0, &error));
  g_assert_no_error (error);
  argv[0] = pdftotext;
  argv[3] = pdf;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return out;
}

/* A grid designed for 174 mm keeps its 4 columns there; at 85 mm its panels go to 2 columns in
 * reading order, the height follows so that they keep their shape, and labels that a shared
 * row or column gave once come back on the panels that left it. */
static void
test_reflow (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("plot");
  g_autofree char *png = g_build_filename (dir, "reflow.png", NULL);
  g_autofree char *png_full = g_build_filename (dir, "full.png", NULL);
  g_autoptr(VesiclePlot) plot = build_figure (2, 4);
  g_autoptr(VesiclePlot) gapped = build_figure (2, 4);
  double narrow = 85.0 * PT_PER_MM, full = 174.0 * PT_PER_MM, aspect;
  GError *error = NULL;
  cairo_surface_t *image;
  guint n_colours;
  double inked;

  vesicle_plot_set_aspect (plot, 0.5);
  aspect = vesicle_plot_get_aspect (plot);

  /* 174 mm: 123 pt a column, the grid as built and the aspect as set */
  g_assert_cmpuint (vesicle_plot_layout_columns (plot, full), ==, 4);
  g_assert_cmpfloat (vesicle_plot_get_aspect_for_width (plot, full), ==, aspect);
  /* 85 mm: 60 pt a column is too narrow; 2 columns of 4 rows, cells as tall as before for
   * their width: (0.5 x 4 / 2) x 4 / 2 */
  g_assert_cmpuint (vesicle_plot_layout_columns (plot, narrow), ==, 2);
  g_assert_cmpfloat_with_epsilon (vesicle_plot_get_aspect_for_width (plot, narrow), 2.0, 1e-12);
  /* exports: the reflowed height, capped at a page: at 45 mm, one column of 8 rows, 360 mm */
  g_assert_cmpfloat_with_epsilon (vesicle_plot_export_height_mm (plot, 85.0), 170.0, 1e-9);
  g_assert_cmpfloat (vesicle_plot_export_height_mm (plot, 45.0), ==, VESICLE_PLOT_MAX_HEIGHT_MM);
  /* a window a little wider than one panel: one column; nonsense widths keep the grid */
  g_assert_cmpuint (vesicle_plot_layout_columns (plot, 130.0), ==, 1);
  g_assert_cmpuint (vesicle_plot_layout_columns (plot, 1.0), ==, 1);
  g_assert_cmpuint (vesicle_plot_layout_columns (plot, NAN), ==, 4);
  g_assert_cmpuint (vesicle_plot_layout_columns (plot, 0.0), ==, 4);
  /* only the visible panels are laid out: 7 make 4 rows of 2 */
  vesicle_panel_set_hidden (vesicle_plot_get_panel (gapped, 0, 1), TRUE);
  vesicle_plot_set_aspect (gapped, 0.5);
  g_assert_cmpuint (vesicle_plot_layout_columns (gapped, narrow), ==, 2);
  g_assert_cmpfloat_with_epsilon (vesicle_plot_get_aspect_for_width (gapped, narrow), 2.0, 1e-12);
  /* 5 panels of a 1 x 8 grid: 2 columns of 3 rows */
  {
    g_autoptr(VesiclePlot) row = vesicle_plot_new (1, 8);

    for (guint i = 5; i < 8; i++)
      vesicle_panel_set_hidden (vesicle_plot_get_panel (row, 0, i), TRUE);
    vesicle_plot_set_aspect (row, 0.1);
    g_assert_cmpuint (vesicle_plot_layout_columns (row, narrow), ==, 2);
    g_assert_cmpfloat_with_epsilon (vesicle_plot_get_aspect_for_width (row, narrow),
                                    0.1 * 8 * 3 / 2, 1e-12);
  }

  /* the export takes that height when given none, and draws a figure, not a blank page */
  g_assert_true (vesicle_plot_export (plot, png, VESICLE_EXPORT_PNG, 85.0, 0, 150, &error));
  g_assert_no_error (error);
  keep_copy (png);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 502);   /* 85 / 25.4 x 150 */
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 1004); /* twice that */
  image_stats (image, &n_colours, &inked, 0xffffff);
  g_test_message ("85 mm PNG: %u colours, %.1f%% inked", n_colours, 100.0 * inked);
  g_assert_cmpuint (n_colours, >, 200);
  g_assert_cmpfloat (inked, >, 0.03);
  cairo_surface_destroy (image);
  g_assert_true (vesicle_plot_export (plot, png_full, VESICLE_EXPORT_PNG, 174.0, 0, 150, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png_full);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 514);  /* 87 mm */
  cairo_surface_destroy (image);

  /* shared axes: the top row gives no x label (the bottom row's serves its column) and only
   * the first column a y label. At 174 mm that is 4 x labels and 2 y labels; at 85 mm no panel
   * has its built neighbour below it, so all 8 show the x label, and the 2 panels that start a
   * row without their built left neighbour show the y label too (4 in all). One kind of scale
   * throughout: a label is not carried across a change of scale */
  {
    g_autoptr(VesiclePlot) shared = build_figure (2, 4);
    g_autofree char *wide = NULL, *slim = NULL;

    for (guint p = 0; p < 8; p++)
      {
        VesiclePanel *panel = vesicle_plot_get_panel (shared, p / 4, p % 4);

        vesicle_panel_set_scales (panel, VESICLE_SCALE_LINEAR, VESICLE_SCALE_LINEAR);
        vesicle_panel_set_labels (panel, p < 4 ? NULL : "Shared x",
                                  p % 4 == 0 ? "Shared y" : NULL);
      }
    vesicle_plot_share_x_by_column (shared, TRUE);
    vesicle_plot_share_y_by_row (shared, TRUE);
    if ((wide = pdf_words (shared, dir, 174.0)) == NULL)
      {
        g_test_message ("pdftotext is not installed: the reflowed labels were not read");
      }
    else
      {
        slim = pdf_words (shared, dir, 85.0);
        g_assert_cmpuint (count_text (wide, "Shared x"), ==, 4);
        g_assert_cmpuint (count_text (wide, "Shared y"), ==, 2);
        g_assert_cmpuint (count_text (slim, "Shared x"), ==, 8);
        g_assert_cmpuint (count_text (slim, "Shared y"), ==, 4);
        /* the letters stay in reading order */
        g_assert_cmpuint (count_text (slim, "\nh\n"), ==, 1);
      }
  }

  vesicle_test_remove_tree (dir);
}

/* Writes the figures a person should look at (only with VESICLE_TEST_PLOT_DIR). */
static void
test_gallery (void)
{
  const char *keep = g_getenv ("VESICLE_TEST_PLOT_DIR");
  static const struct {
    const char *name;
    guint       rows, columns;
    double      width_mm;
    gboolean    share;
  } figures[] = {
    { "single", 1, 1, 85.0, FALSE },
    { "grid-2x2", 2, 2, 174.0, FALSE },
    { "grid-2x4", 2, 4, 174.0, FALSE },
    { "shared-2x4", 2, 4, 174.0, TRUE },
    { "shared-2x4-85mm", 2, 4, 85.0, TRUE },
  };

  if (keep == NULL)
    {
      g_test_skip ("set VESICLE_TEST_PLOT_DIR to write the gallery");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autoptr(VesiclePlot) plot = build_figure (figures[i].rows, figures[i].columns);
      g_autofree char *png = g_strdup_printf ("%s/%s.png", keep, figures[i].name);
      g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", keep, figures[i].name);
      GError *error = NULL;

      if (figures[i].rows * figures[i].columns == 8)
        vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, 1, 3), TRUE);
      if (figures[i].share)
        {
          vesicle_plot_share_x_by_column (plot, TRUE);
          vesicle_plot_share_y_by_row (plot, TRUE);
          vesicle_plot_set_title (plot, "Shared axes");
        }
      g_assert_true (vesicle_plot_export (plot, png, VESICLE_EXPORT_PNG, figures[i].width_mm, 0,
                                          300, &error));
      g_assert_no_error (error);
      g_assert_true (vesicle_plot_export (plot, pdf, VESICLE_EXPORT_PDF, figures[i].width_mm, 0,
                                          0, &error));
      g_assert_no_error (error);
    }

  /* the window's view: dark, on a 2x (HiDPI) surface */
  {
    g_autoptr(VesiclePlot) plot = build_figure (2, 2);
    g_autofree char *png = g_strdup_printf ("%s/dark-2x2.png", keep);
    cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1400, 980);
    cairo_t *cr = cairo_create (image);

    cairo_scale (cr, 2.0, 2.0);
    vesicle_plot_render (plot, cr, 700, 490, VESICLE_THEME_DARK);
    cairo_destroy (cr);
    g_assert_cmpint (cairo_surface_write_to_png (image, png), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (image);
  }
}

/* A scatter of thousands of points goes into SVG and PDF as one image (axes and text stay
 * vector); a sparse one stays vector markers. */
static void
svg_of_scatter (const char *dir,
                gsize       n,
                char      **contents,
                gsize      *length)
{
  g_autoptr(VesiclePlot) plot = vesicle_plot_new (1, 1);
  VesiclePanel *panel = vesicle_plot_get_panel (plot, 0, 0);
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree char *path = g_strdup_printf ("%s/scatter-%" G_GSIZE_FORMAT ".svg", dir, n);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = (double) i / n;
      y[i] = sin (37.0 * i) * 0.5 + 0.5;
    }
  vesicle_panel_set_labels (panel, "x", "y");
  vesicle_panel_add_scatter (panel, x, y, n, vesicle_palette_category (0), VESICLE_MARKER_CIRCLE,
                             2.0, 0.3, NULL);
  g_assert_true (vesicle_plot_export (plot, path, VESICLE_EXPORT_SVG, 85.0, 60.0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, contents, length, &error));
  g_assert_no_error (error);
}

static void
test_dense_scatter_rasterised (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("plot");
  g_autofree char *sparse = NULL, *dense = NULL;
  gsize sparse_len, dense_len;

  svg_of_scatter (dir, 500, &sparse, &sparse_len);
  svg_of_scatter (dir, 50000, &dense, &dense_len);
  g_test_message ("SVG: %" G_GSIZE_FORMAT " bytes for 500 points, %" G_GSIZE_FORMAT " for 50,000",
                  sparse_len, dense_len);
  g_assert_null (strstr (sparse, "<image"));
  g_assert_nonnull (strstr (dense, "<image"));
  /* 100 times the points, not 100 times the file (measured: 0.14 MB for 500 points; 12.3 MB
   * for 50,000 as vector markers, 0.86 MB as an image) */
  g_assert_cmpuint (dense_len, <, 20 * sparse_len);
  vesicle_test_remove_tree (dir);
}

/* A click finds its panel, and a panel taken out keeps its series and its limits. */
static void
test_panel_alone (void)
{
  g_autoptr(VesiclePlot) plot = vesicle_plot_new (2, 2);
  g_autoptr(VesiclePlot) one = NULL;
  const double x[] = { 1, 2, 3 }, y[] = { 10, 20, 40 };
  cairo_surface_t *image;
  cairo_t *cr;

  for (guint p = 0; p < 4; p++)
    {
      VesiclePanel *panel = vesicle_plot_get_panel (plot, p / 2, p % 2);

      vesicle_panel_add_line (panel, x, y, 3, VESICLE_COLOR_BLACK, VESICLE_DASH_SOLID, "line");
      if (p == 3)
        vesicle_panel_add_scatter (panel, x, y, 3, VESICLE_COLOR_HETEROGENEOUS,
                                   VESICLE_MARKER_CIRCLE, 3, 1, "points");
    }
  vesicle_plot_share_y_by_row (plot, TRUE);
  vesicle_panel_add_line (vesicle_plot_get_panel (plot, 1, 0), x, (double[]) { 0, 0, 100 }, 3,
                          VESICLE_COLOR_BLACK, VESICLE_DASH_DASHED, NULL);
  vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, 0, 1), TRUE);

  g_assert_cmpint (vesicle_plot_panel_at (plot, 400, 300, 300, 225), ==, 3);
  g_assert_cmpint (vesicle_plot_panel_at (plot, 400, 300, 100, 75), ==, 0);
  g_assert_cmpint (vesicle_plot_panel_at (plot, 400, 300, 300, 75), ==, -1);   /* hidden */
  g_assert_cmpint (vesicle_plot_panel_at (plot, 400, 300, -1, 75), ==, -1);
  g_assert_cmpint (vesicle_plot_panel_at (plot, 400, 300, 100, 300), ==, -1);

  one = vesicle_plot_extract_panel (plot, 3);
  g_assert_cmpuint (vesicle_plot_get_rows (one), ==, 1);
  g_assert_cmpuint (vesicle_plot_get_columns (one), ==, 1);
  /* it draws, and its CSV holds both series of panel d */
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 250);
  cr = cairo_create (image);
  vesicle_plot_render (one, cr, 400, 250, VESICLE_THEME_LIGHT);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  {
    g_autofree char *tmp = vesicle_test_tmp_dir ("panel");
    g_autofree char *csv = g_build_filename (tmp, "one.csv", NULL);
    g_autofree char *text = NULL;

    g_assert_true (vesicle_plot_write_csv (one, csv, NULL));
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, ",line,"));
    g_assert_nonnull (strstr (text, ",points,"));
    vesicle_test_remove_tree (tmp);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot/render/skipped", test_skipped);
  g_test_add_func ("/plot/render/exports", test_exports);
  g_test_add_func ("/plot/render/pdf-text", test_pdf_text);
  g_test_add_func ("/plot/render/errors", test_errors);
  g_test_add_func ("/plot/render/dark", test_dark);
  g_test_add_func ("/plot/render/dark-contrast", test_dark_contrast);
  g_test_add_func ("/plot/render/degenerate", test_degenerate);
  g_test_add_func ("/plot/render/reflow", test_reflow);
  g_test_add_func ("/plot/render/dense-scatter-rasterised", test_dense_scatter_rasterised);
  g_test_add_func ("/plot/render/csv", test_csv);
  g_test_add_func ("/plot/render/format-parse", test_format_parse);
  g_test_add_func ("/plot/render/palette", test_palette);
  g_test_add_func ("/plot/render/gallery", test_gallery);

  g_test_add_func ("/plot/render/panel-alone", test_panel_alone);
  return g_test_run ();
}
