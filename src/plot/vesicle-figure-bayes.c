/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fig 7 from a "bayes" experiment folder (vesicle-exp-bayes.c): energy-efficient noise against
 * the variational-Bayes posterior.
 *   a  the illustrative pair of synapses: for each efficient network, the 1-sigma ellipse of its
 *      noise (green, filled) over the posterior's (grey, dashed), both centred on their own
 *      means so that only shape and size compare, with Eq 29's prediction from the posterior
 *      (green, dotted); one panel per efficient network, all on one scale;
 *   b  log sigma^2 against log sigma_post^2 for every weight of the experiment's layer, one
 *      colour per rho (the library's sequential ramp: rho is ordered), with the fitted line and
 *      Eq 54c's line of slope 2/(rho+2) and intercept 2/(rho+2) log10 (c rho) (dashed), their
 *      slopes in a legend of the same colours;
 *   c  the same at rho = 1/2 for each c of the sweep, darker to lighter blue as c grows.
 * Weights the experiment left out of its fits (no data gradient in the posterior network or in
 * the efficient one: blank pixels, dead units; bayes-fisher.npy) are left out of the scatters.
 *
 * Layout: one grid. 7a as the caption has it, a column per rho and a row per c (by its level
 * relative to s^rho / rho, so that the rho sweep shares a row); the default run has the sweep's
 * three c only at rho 1/2, so its grid is 3 x 4 with the rho 1/2 column full and the middle row
 * full, and 7b and 7c take the empty bottom right cells (else a row of their own). The other
 * empty cells stay hidden. Panel letters are in the titles (a on the first ellipse, b, c).
 */
#include "vesicle-figure-private.h"
#include "vesicle-figure-common.h"
#include "vesicle-run.h"
#include "vesicle-fit.h"

#include <math.h>
#include <stdlib.h>

#define N_SIGMA 1.0  /* the ellipses are 1-sigma contours */

#define COLOR_POSTERIOR ((VesicleColor) { 0.35, 0.35, 0.35 })

/* Dark to light blue for t in [0, 1]: Fig 7c's "lighter blues" for larger c. */
static VesicleColor
blue_ramp (double t)
{
  const VesicleColor dark = { 0.031, 0.188, 0.420 }, light = { 0.420, 0.682, 0.839 };

  t = CLAMP (t, 0, 1);
  return (VesicleColor) { dark.r + t * (light.r - dark.r), dark.g + t * (light.g - dark.g),
                          dark.b + t * (light.b - dark.b) };
}

/* The layer's sigma^2 table (n, K): column 0 the posterior, column k network k; and, when the
 * experiment excluded inactive weights, which rows it kept for each network. */
typedef struct {
  gsize  n;
  gsize  K;
  float *sigma2;  /* (n, K) */
  float *fisher;  /* (n, K) or NULL */
} Table;

static void
table_clear (Table *t)
{
  g_clear_pointer (&t->sigma2, g_free);
  g_clear_pointer (&t->fisher, g_free);
}

static gboolean
load_table (Table       *t,
            const char  *run_dir,
            JsonObject  *summary,
            GError     **error)
{
  g_autofree char *sigma_path = g_build_filename (run_dir, "bayes-sigma2.npy", NULL);
  gsize dims[4];
  guint n_dims;
  gboolean exclude;
  JsonNode *node = json_object_get_member (summary, "exclude_inactive");

  if (!(t->sigma2 = vesicle_read_npy (sigma_path, dims, &n_dims, error)))
    return FALSE;
  if (n_dims != 2 || dims[1] < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a (weights, networks) table with at least two networks",
                   sigma_path);
      return FALSE;
    }
  t->n = dims[0];
  t->K = dims[1];

  exclude = node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_boolean (node);
  if (exclude)
    {
      g_autofree char *fisher_path = g_build_filename (run_dir, "bayes-fisher.npy", NULL);

      if (!(t->fisher = vesicle_read_npy (fisher_path, dims, &n_dims, error)))
        {
          g_prefix_error (error, "the experiment left out inactive weights: ");
          return FALSE;
        }
      if (n_dims != 2 || dims[0] != t->n || dims[1] != t->K)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s does not have the shape of bayes-sigma2.npy", fisher_path);
          return FALSE;
        }
    }
  return TRUE;
}

/* Network k's points (sigma_post^2, sigma^2) over the weights its fit used. Returns how many. */
static gsize
table_points (const Table *t,
              guint        k,
              double      *x,
              double      *y)
{
  gsize m = 0;

  for (gsize j = 0; j < t->n; j++)
    {
      if (t->fisher && (t->fisher[j * t->K] <= 0 || t->fisher[j * t->K + k] <= 0))
        continue;
      x[m] = t->sigma2[j * t->K];
      y[m] = t->sigma2[j * t->K + k];
      m++;
    }
  return m;
}

/* One fit of slopes_by_rho or slopes_by_c, with the colour it is drawn in. */
typedef struct {
  guint        network;
  double       rho, c;
  double       slope, intercept;             /* log10 sigma^2 on log10 sigma_post^2 */
  double       analytic, analytic_intercept; /* Eq 54c */
  double       x_lo, x_hi;                   /* the lines' extent: most of the cloud */
  VesicleColor color;
} Fit;

/* The 1st and 99th percentiles of the positive values of x (n), which it sorts. */
static void
x_range (double *x,
         gsize   n,
         double *lo,
         double *hi)
{
  gsize first = 0;

  qsort (x, n, sizeof (double), vesicle_compare_doubles);
  while (first < n && !(x[first] > 0))
    first++;
  if (first == n)
    {
      *lo = *hi = NAN;
      return;
    }
  *lo = x[first + (gsize) (0.01 * (n - 1 - first))];
  *hi = x[first + (gsize) (0.99 * (n - 1 - first))];
}

/* log10 y = slope log10 x + intercept over the fit's range, not across the panel: the rising
 * lines would otherwise cross the corner the legend takes. */
static gboolean
add_segment (VesiclePanel *panel,
             const Fit    *f,
             double        slope,
             double        intercept,
             VesicleDash   dash,
             const char   *name)
{
  double x[2] = { f->x_lo, f->x_hi }, y[2];

  if (!isfinite (slope) || !isfinite (intercept) || !(x[0] > 0) || !(x[1] > x[0]))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    y[i] = pow (10, intercept + slope * log10 (x[i]));
  vesicle_panel_add_line (panel, x, y, 2, f->color, dash, name);
  return TRUE;
}

/* One panel of 7b (@by_c FALSE) or 7c: per fit, its cloud, its fitted line (solid) and Eq 54c's
 * (dashed), and a key of the fitted slopes in the fits' colours in the top left corner, which
 * the rising clouds leave empty once the y axis has room above them. */
static void
draw_slopes (VesiclePanel *panel,
             VesiclePanel *key_panel,
             const Table  *t,
             JsonArray    *slopes,
             gboolean      by_c)
{
  guint n = json_array_get_length (slopes);
  g_autofree Fit *fits = g_new0 (Fit, n);
  g_autofree double *x = g_new (double, t->n), *y = g_new (double, t->n);
  double c_lo = INFINITY, c_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  guint n_fits = 0;

  vesicle_panel_set_scales (panel, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
  vesicle_panel_set_labels (panel, "posterior variance σ<sup>2</sup><sub>post</sub>",
                            "σ<sup>2</sup>");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = vesicle_json_array_get_object (slopes, i);
      double k = o ? vesicle_json_get_double (o, "network") : NAN;
      Fit *f = &fits[n_fits];

      if (!(k >= 1 && k < t->K))
        continue;
      f->network = (guint) k;
      f->rho = vesicle_json_get_double (o, "rho");
      f->c = vesicle_json_get_double (o, "c");
      f->slope = vesicle_json_get_double (o, "slope");
      f->intercept = vesicle_json_get_double (o, "intercept");
      f->analytic = vesicle_json_get_double (o, "analytic");
      f->analytic_intercept = vesicle_json_get_double (o, "analytic_intercept");
      c_lo = MIN (c_lo, f->c);
      c_hi = MAX (c_hi, f->c);
      n_fits++;
    }
  for (guint i = 0; i < n_fits; i++)
    fits[i].color = by_c ? blue_ramp (c_hi > c_lo ? log (fits[i].c / c_lo) / log (c_hi / c_lo)
                                                  : 0.5)
                         : vesicle_palette_sequential (n_fits > 1 ? (double) i / (n_fits - 1)
                                                                  : 0.0);

  /* the series are named for the CSV export; the key beside the panel shows each fitted slope
   * in its colour and Eq 54c's dashed line once, "b:" or "c:" before each */
  vesicle_panel_set_legend (panel, FALSE);
  /* all the clouds first, so that no line hides under a later cloud */
  for (guint i = 0; i < n_fits; i++)
    {
      Fit *f = &fits[i];
      gsize m = table_points (t, f->network, x, y);

      g_autofree char *cloud = g_strdup_printf ("synapses, ρ = %g, c = %g", f->rho, f->c);

      vesicle_panel_add_scatter (panel, x, y, m, f->color, VESICLE_MARKER_CIRCLE, 1.2,
                                 CLAMP (150.0 / MAX (m, 1), 0.06, 0.6), cloud);
      vesicle_panel_set_key (panel, NULL);
      x_range (x, m, &f->x_lo, &f->x_hi);
      for (gsize j = 0; j < m; j++)
        if (y[j] > 0 && isfinite (y[j]))
          {
            y_lo = MIN (y_lo, y[j]);
            y_hi = MAX (y_hi, y[j]);
          }
    }
  /* room above the clouds for the legend: about a third of the panel */
  if (y_hi > y_lo)
    vesicle_panel_set_y_limits (panel, NAN, y_hi * pow (y_hi / y_lo, 0.5));
  for (guint i = 0; i < n_fits; i++)
    {
      const Fit *f = &fits[i];
      g_autofree char *name = by_c ? vesicle_format_value_markup (f->c)
                                   : vesicle_format_ratio (f->rho);
      g_autofree char *fit = vesicle_format_signed (f->slope, 2);
      g_autofree char *text = g_strdup_printf ("<b>%s</b>  %s = %s: %s", by_c ? "c" : "b",
                                               by_c ? "c" : "ρ", name, fit);
      g_autofree char *fitted = g_strdup_printf ("fitted, ρ = %g, c = %g", f->rho, f->c);
      g_autofree char *eq54c = g_strdup_printf ("Eq. 54c, ρ = %g, c = %g", f->rho, f->c);

      /* the intervals (a few hundredths wide, in summary.json) stay out of the legend */
      if (add_segment (panel, f, f->slope, f->intercept, VESICLE_DASH_SOLID, fitted))
        add_segment (key_panel, f, f->slope, f->intercept, VESICLE_DASH_SOLID, text);
      if (add_segment (panel, f, f->analytic, f->analytic_intercept, VESICLE_DASH_DASHED, eq54c)
          && i == n_fits - 1)
        {
          /* one entry for the dashed lines, after the fits */
          g_autofree char *a = vesicle_format_signed (f->analytic, 2);
          g_autofree char *key = by_c ? g_strdup_printf ("<b>c</b>  Eq. 54c: %s", a)
                                      : g_strdup ("<b>b</b>  Eq. 54c: 2/(ρ+2)");

          add_segment (key_panel, f, f->analytic, f->analytic_intercept, VESICLE_DASH_DASHED,
                       key);
        }
    }
}

/* Fig 7a's grid: a column per rho and a row per level of c, the level being c relative to
 * s^rho / rho (1 for every rho at the caption's c = 10^(-2 rho) / rho; 0.56 and 1.78 for the
 * sweep's 0.112 and 0.356 at rho 1/2), smallest first. */
typedef struct {
  guint        rows, columns;
  JsonObject **cells;   /* (rows, columns): the pair's "efficient" entry (borrowed) or NULL */
} Grid;

static void
grid_clear (Grid *grid)
{
  g_clear_pointer (&grid->cells, g_free);
}

/* Index of @value in the sorted @values, added if no entry is within 1e-6 (relative). */
static guint
distinct_index (GArray *values,
                double  value)
{
  guint i = 0;

  while (i < values->len && g_array_index (values, double, i) < value * (1 - 1e-6))
    i++;
  if (i == values->len || g_array_index (values, double, i) > value * (1 + 1e-6))
    g_array_insert_val (values, i, value);
  return i;
}

static void
grid_build (Grid       *grid,
            JsonObject *summary,
            JsonArray  *efficient)
{
  g_autoptr(GArray) rhos = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (double));
  double s = vesicle_json_get_double (summary, "s");
  guint n = efficient ? json_array_get_length (efficient) : 0;

  /* first pass: the distinct values; second: the cells */
  for (guint pass = 0; pass < 2; pass++)
    for (guint e = 0; e < n; e++)
      {
        JsonObject *o = vesicle_json_array_get_object (efficient, e);
        double rho = o ? vesicle_json_get_double (o, "rho") : NAN;
        double c = o ? vesicle_json_get_double (o, "c") : NAN;
        double level = c * rho / (isfinite (s) && s > 0 ? pow (s, rho) : 1.0);
        guint column, row;

        if (!(rho > 0) || !(level > 0))
          continue;
        column = distinct_index (rhos, rho);
        row = distinct_index (levels, level);
        if (pass == 0)
          continue;
        if (grid->cells == NULL)
          {
            grid->rows = levels->len;
            grid->columns = rhos->len;
            grid->cells = g_new0 (JsonObject *, grid->rows * grid->columns);
          }
        grid->cells[row * grid->columns + column] = o;
      }
}

/* One panel of 7a, titled "ρ = 1/2, c = 0.2" (after the letter of the figure's first panel),
 * with the key of the line styles when @first. */
static void
draw_pair (VesiclePanel *panel,
           JsonObject   *posterior,
           JsonObject   *efficient,
           double        limit,
           gboolean      first)
{
  double rho_value = vesicle_json_get_double (efficient, "rho");
  double c_value = vesicle_json_get_double (efficient, "c");
  g_autofree char *rho = vesicle_format_ratio (rho_value);
  g_autofree char *c = vesicle_format_value_markup (c_value);
  g_autofree char *title = g_strdup_printf ("%sρ = %s, c = %s", first ? "<b>a</b>   " : "",
                                            rho, c);
  double p1 = vesicle_json_get_double_element (posterior, "sigma", 0);
  double p2 = vesicle_json_get_double_element (posterior, "sigma", 1);
  double s1 = vesicle_json_get_double_element (efficient, "sigma", 0);
  double s2 = vesicle_json_get_double_element (efficient, "sigma", 1);
  double a1 = vesicle_json_get_double_element (efficient, "sigma_analytic", 0);
  double a2 = vesicle_json_get_double_element (efficient, "sigma_analytic", 1);

  vesicle_panel_set_title (panel, title);
  vesicle_panel_set_scales (panel, VESICLE_SCALE_LINEAR, VESICLE_SCALE_LINEAR);
  vesicle_panel_set_labels (panel, "w<sub>1</sub> − μ<sub>1</sub>",
                            "w<sub>2</sub> − μ<sub>2</sub>");
  vesicle_panel_set_equal_aspect (panel, TRUE);
  /* room above the ellipses for the first panel's legend; every panel alike, so that they
   * share one scale */
  vesicle_panel_set_x_limits (panel, -limit, limit);
  vesicle_panel_set_y_limits (panel, -limit, limit);
  vesicle_panel_set_legend (panel, FALSE);
  vesicle_panel_add_ellipse (panel, 0, 0, s1 * s1, 0, s2 * s2, N_SIGMA,
                             VESICLE_COLOR_HETEROGENEOUS, 0.25, VESICLE_DASH_SOLID,
                             "efficient");
  if (isfinite (a1) && isfinite (a2))
    vesicle_panel_add_ellipse (panel, 0, 0, a1 * a1, 0, a2 * a2, N_SIGMA,
                               VESICLE_COLOR_HETEROGENEOUS, 0, VESICLE_DASH_DOTTED,
                               "Eq 29");
  vesicle_panel_add_ellipse (panel, 0, 0, p1 * p1, 0, p2 * p2, N_SIGMA, COLOR_POSTERIOR, 0,
                             VESICLE_DASH_DASHED, "posterior");
}

/* 7a's key, in a cell of its own: the three kinds of ellipse. */
static void
draw_pair_key (VesiclePanel *panel)
{
  vesicle_panel_set_legend_only (panel, TRUE);
  vesicle_panel_add_ellipse (panel, 0, 0, 1, 0, 1, N_SIGMA, VESICLE_COLOR_HETEROGENEOUS, 0.25,
                             VESICLE_DASH_SOLID, "efficient noise");
  vesicle_panel_add_ellipse (panel, 0, 0, 1, 0, 1, N_SIGMA, VESICLE_COLOR_HETEROGENEOUS, 0,
                             VESICLE_DASH_DOTTED, "Eq. 29 from the posterior");
  vesicle_panel_add_ellipse (panel, 0, 0, 1, 0, 1, N_SIGMA, COLOR_POSTERIOR, 0,
                             VESICLE_DASH_DASHED, "posterior");
}

/* The larger of @a and @b, ignoring a NaN @b (a missing sigma). */
static double
max_finite (double a,
            double b)
{
  return isfinite (b) && b > a ? b : a;
}

VesiclePlot *
vesicle_figure_build_fig7 (const char *run_dir,
                           gboolean     partial,
                           GError    **error)
{
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(VesiclePlot) plot = NULL;
  JsonObject *pair, *posterior;
  JsonArray *by_rho, *by_c;
  Table table = { 0 };
  Grid grid = { 0 };
  VesiclePanel *key;
  guint rows, columns;
  gboolean lettered = FALSE;
  double limit = 0;

  if (!(summary = vesicle_figure_load_summary (run_dir, "bayes", partial, error)))
    return NULL;
  pair = vesicle_json_get_object (summary, "pair");
  posterior = vesicle_json_get_object (pair, "posterior");
  by_rho = vesicle_json_get_array (summary, "slopes_by_rho");
  by_c = vesicle_json_get_array (summary, "slopes_by_c");
  if (posterior == NULL || by_rho == NULL || by_c == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json lacks %s", run_dir,
                   posterior == NULL ? "the illustrative pair's posterior"
                   : by_rho == NULL ? "slopes_by_rho" : "slopes_by_c");
      return NULL;
    }
  if (!load_table (&table, run_dir, summary, error))
    {
      table_clear (&table);
      return NULL;
    }

  grid_build (&grid, summary, vesicle_json_get_array (pair, "efficient"));
  /* 7a's grid, then a row of 7a's key, 7b, 7c and their key: the panels are too small for a
   * key inside that covers no ellipse or synapse */
  columns = MAX (grid.columns, 4);
  rows = grid.rows + 1;
  plot = vesicle_plot_new (rows, columns);
  vesicle_plot_set_panel_letters (plot, FALSE);
  vesicle_plot_set_aspect (plot, 0.27 * rows);

  /* one scale for every ellipse panel: the caption's point is that c = 10^(-2 rho) / rho keeps
   * the noise about the same size across rho, which only a common scale shows */
  for (guint i = 0; i < 2; i++)
    limit = max_finite (limit, vesicle_json_get_double_element (posterior, "sigma", i));
  for (guint cell = 0; cell < grid.rows * grid.columns; cell++)
    for (guint i = 0; grid.cells[cell] != NULL && i < 2; i++)
      {
        limit = max_finite (limit, vesicle_json_get_double_element (grid.cells[cell], "sigma", i));
        limit = max_finite (limit, vesicle_json_get_double_element (grid.cells[cell],
                                                                  "sigma_analytic", i));
      }
  limit = limit > 0 ? limit * 1.15 * N_SIGMA : NAN;

  key = vesicle_plot_get_panel (plot, rows - 1, 3);
  vesicle_panel_set_legend_only (key, TRUE);
  for (guint row = 0; row < rows; row++)
    for (guint column = 0; column < columns; column++)
      {
        VesiclePanel *panel = vesicle_plot_get_panel (plot, row, column);
        JsonObject *cell = row < grid.rows && column < grid.columns
                           ? grid.cells[row * grid.columns + column] : NULL;

        if (cell != NULL)
          {
            draw_pair (panel, posterior, cell, limit, !lettered);
            lettered = TRUE;
          }
        else if (row == rows - 1 && column == 0)
          draw_pair_key (panel);
        else if (row == rows - 1 && column == 1)
          {
            draw_slopes (panel, key, &table, by_rho, FALSE);
            vesicle_panel_set_title (panel, "<b>b</b>   c = 10<sup>−2ρ</sup>/ρ");
          }
        else if (row == rows - 1 && column == 2)
          {
            JsonObject *first = json_array_get_length (by_c) > 0
                                ? vesicle_json_array_get_object (by_c, 0) : NULL;
            g_autofree char *rho = vesicle_format_ratio (
                                     first ? vesicle_json_get_double (first, "rho") : 0.5);
            g_autofree char *title = g_strdup_printf ("<b>c</b>   ρ = %s", rho);

            draw_slopes (panel, key, &table, by_c, TRUE);
            vesicle_panel_set_title (panel, title);
          }
        else if (row == rows - 1 && column == 3)
          ;   /* the key, filled by b and c */
        else
          vesicle_panel_set_hidden (panel, TRUE);
      }
  grid_clear (&grid);
  table_clear (&table);
  return g_steal_pointer (&plot);
}
