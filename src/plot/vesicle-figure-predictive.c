/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Appendix 4, figure 1 from a "predictive" folder (see vesicle-exp-predictive.c for
 * summary.json): one panel per network, each with the predictive mean (line) and mean +- 2 s.d.
 * (shaded), the true f(x) = x^3 + 2 x^2 (grey) and the training data (black dots).
 * Layout as the paper's: a, variational Bayes, in the first column; b, the energy-efficient cost
 * in a grid with one column per rho and one row per s (c = s^rho / rho, so small c on top).
 * The band is the weights' spread alone ("sd"), as the caption's "two standard deviations of the
 * predictive distributions"; the likelihood's fixed noise (0.05) would only widen it evenly.
 * Every panel has the same limits: x the whole grid, y wide enough for every network's band over
 * the whole grid (so that the widening where the networks extrapolate shows), but no more than
 * four times the data's range on each side (f, which reaches 16 at x = 2, leaves the frame).
 * Under a, where the paper's grid leaves a cell free, the training data and f alone.
 */
#include "vesicle-figure-private.h"

#include <math.h>

/* VB's band, distinct from the efficient networks' green */
#define VB_CATEGORY 1   /* Okabe–Ito orange */

typedef struct {
  double *x;      /* (n_data) */
  double *y;
  gsize   n_data;
  double *grid;   /* (G) */
  double *truth;  /* (G) */
  gsize   G;
  double  band_lo;  /* the lowest and highest band edge drawn so far */
  double  band_hi;
} Common;

static void
common_clear (Common *c)
{
  g_clear_pointer (&c->x, g_free);
  g_clear_pointer (&c->y, g_free);
  g_clear_pointer (&c->grid, g_free);
  g_clear_pointer (&c->truth, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Common, common_clear)

/* Index of @value in @values (appended if new); values compare within rounding. */
static guint
index_of (GArray *values,
          double  value)
{
  for (guint i = 0; i < values->len; i++)
    if (fabs (g_array_index (values, double, i) - value) <= 1e-9 * fabs (value))
      return i;
  g_array_append_val (values, value);
  return values->len - 1;
}

static gboolean
draw_network (VesiclePanel  *panel,
              JsonObject    *net,
              Common        *common,
              const char    *title,
              VesicleColor   color,
              gboolean       legend,
              const char    *run_dir,
              GError       **error)
{
  g_autofree double *mean = NULL, *sd = NULL, *lo = NULL, *hi = NULL;
  gsize n_mean, n_sd;
  if (!(mean = vesicle_figure_get_doubles (net, "mean", &n_mean, run_dir, error))
      || !(sd = vesicle_figure_get_doubles (net, "sd", &n_sd, run_dir, error)))
    return FALSE;
  if (n_mean != common->G || n_sd != common->G)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: a network's \"mean\" and \"sd\" need %zu grid points",
                   run_dir, (size_t) common->G);
      return FALSE;
    }
  lo = g_new (double, common->G);
  hi = g_new (double, common->G);
  for (gsize g = 0; g < common->G; g++)
    {
      lo[g] = mean[g] - 2.0 * sd[g];
      hi[g] = mean[g] + 2.0 * sd[g];
    }

  vesicle_panel_set_title (panel, title);
  /* every series is named for the CSV export; only one panel shows the legend */
  vesicle_panel_add_band (panel, common->grid, lo, hi, common->G, color, 0.3,
                          "± 2 s.d.");
  vesicle_panel_add_line (panel, common->grid, common->truth, common->G,
                          VESICLE_COLOR_HOMOGENEOUS, VESICLE_DASH_SOLID,
                          "true <i>f</i>(<i>x</i>)");
  vesicle_panel_add_line (panel, common->grid, mean, common->G, color, VESICLE_DASH_SOLID,
                          "predictive mean");
  vesicle_panel_add_scatter (panel, common->x, common->y, common->n_data, VESICLE_COLOR_BLACK,
                             VESICLE_MARKER_CIRCLE, 2.0, 1.0, "data");
  vesicle_panel_set_legend (panel, legend);
  for (gsize g = 0; g < common->G; g++)
    if (isfinite (lo[g]) && isfinite (hi[g]))
      {
        common->band_lo = MIN (common->band_lo, lo[g]);
        common->band_hi = MAX (common->band_hi, hi[g]);
      }
  return TRUE;
}

/* The same limits on every panel: x the grid; y the bands, within four data ranges of it. */
static void
set_limits (VesiclePlot  *plot,
            const Common *common)
{
  double y_lo = INFINITY, y_hi = -INFINITY, span;

  for (gsize i = 0; i < common->n_data; i++)
    if (isfinite (common->y[i]))
      {
        y_lo = MIN (y_lo, common->y[i]);
        y_hi = MAX (y_hi, common->y[i]);
      }
  if (!(isfinite (y_lo) && isfinite (y_hi) && y_hi > y_lo))
    return;
  span = y_hi - y_lo;
  y_lo = MAX (MIN (y_lo - span, common->band_lo), y_lo - 4 * span);
  y_hi = MIN (MAX (y_hi + span, common->band_hi), y_hi + 4 * span);
  for (guint r = 0; r < vesicle_plot_get_rows (plot); r++)
    for (guint c = 0; c < vesicle_plot_get_columns (plot); c++)
      {
        VesiclePanel *panel = vesicle_plot_get_panel (plot, r, c);

        vesicle_panel_set_y_limits (panel, y_lo, y_hi);
        vesicle_panel_set_x_limits (panel, common->grid[0], common->grid[common->G - 1]);
      }
}

VesiclePlot *
vesicle_figure_build_app4 (const char  *run_dir,
                           gboolean     partial,
                           GError     **error)
{
  g_autoptr(JsonObject) summary = vesicle_figure_load_summary (run_dir, "predictive", partial, error);
  g_autoptr(VesiclePlot) plot = NULL;
  g_autoptr(GArray) rhos = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ss = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(Common) common = { .band_lo = INFINITY, .band_hi = -INFINITY };
  JsonArray *networks;
  JsonObject *data;
  JsonNode *data_node;
  gsize n_truth, n_y;
  guint n_networks, rows, columns, n_vb = 0;
  gboolean drew_legend = FALSE;

  if (summary == NULL
      || !(networks = vesicle_figure_get_array (summary, "networks", run_dir, error))
      || !(common.grid = vesicle_figure_get_doubles (summary, "grid", &common.G, run_dir, error))
      || !(common.truth = vesicle_figure_get_doubles (summary, "truth", &n_truth, run_dir, error)))
    return NULL;
  data_node = json_object_get_member (summary, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: no \"data\" object", run_dir);
      return NULL;
    }
  data = json_node_get_object (data_node);
  if (!(common.x = vesicle_figure_get_doubles (data, "x", &common.n_data, run_dir, error))
      || !(common.y = vesicle_figure_get_doubles (data, "y", &n_y, run_dir, error)))
    return NULL;
  n_networks = json_array_get_length (networks);
  if (common.G < 2 || n_truth != common.G || n_y != common.n_data || n_networks == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: needs a grid of 2 or more points with f on it, as many y "
                   "as x, and at least one network", run_dir);
      return NULL;
    }

  /* the grid's columns and rows: rho and s of the efficient networks */
  for (guint k = 0; k < n_networks; k++)
    {
      JsonObject *net = json_array_get_object_element (networks, k);

      if (net == NULL)
        continue;
      if (g_strcmp0 (json_object_get_string_member_with_default (net, "kind", ""), "vb") == 0)
        n_vb++;
      else
        {
          index_of (rhos, vesicle_json_get_double (net, "rho"));
          index_of (ss, vesicle_json_get_double (net, "s"));
        }
    }
  columns = (n_vb > 0 ? 1 : 0) + rhos->len;
  rows = MAX (MAX (ss->len, n_vb), 1);
  plot = vesicle_plot_new (rows, MAX (columns, 1));
  /* a and b as in the paper, in the titles */
  vesicle_plot_set_panel_letters (plot, FALSE);
  /* every panel gets the same limits below; nothing is shared, as the grid has hidden cells
   * (VB's column is one panel tall) that would otherwise carry the shared tick labels */
  vesicle_plot_set_aspect (plot, 100.0 / 174.0);
  for (guint r = 0; r < rows; r++)
    for (guint col = 0; col < MAX (columns, 1); col++)
      vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, r, col), TRUE);

  for (guint k = 0, vb_row = 0; k < n_networks; k++)
    {
      JsonObject *net = json_array_get_object_element (networks, k);
      g_autofree char *title = NULL;
      VesiclePanel *panel;
      VesicleColor color;
      guint row, col;

      if (net == NULL)
        continue;
      if (g_strcmp0 (json_object_get_string_member_with_default (net, "kind", ""), "vb") == 0)
        {
          row = vb_row++;
          col = 0;
          color = vesicle_palette_category (VB_CATEGORY);
          title = g_strdup ("<b>a</b>  variational Bayes");
        }
      else
        {
          double rho = vesicle_json_get_double (net, "rho");
          double c = vesicle_json_get_double (net, "c");
          g_autofree char *ratio = vesicle_format_ratio (rho);
          /* two significant figures are enough to tell the panels apart */
          double unit = isfinite (c) && c > 0 ? pow (10.0, floor (log10 (c)) - 1.0) : 1.0;
          g_autofree char *c_text = vesicle_format_number (round (c / unit) * unit, 0.0);

          col = (n_vb > 0 ? 1 : 0) + index_of (rhos, rho);
          row = index_of (ss, vesicle_json_get_double (net, "s"));
          color = VESICLE_COLOR_HETEROGENEOUS;
          title = g_strdup_printf ("%sρ = %s,  <i>c</i> = %s",
                                   row == 0 && col == (n_vb > 0 ? 1u : 0u) ? "<b>b</b>  " : "",
                                   ratio, c_text);
        }
      panel = vesicle_plot_get_panel (plot, row, col);
      vesicle_panel_set_hidden (panel, FALSE);
      vesicle_panel_set_labels (panel, row == rows - 1 || col == 0 ? "<i>x</i>" : NULL,
                                col == 0 || col == (n_vb > 0 ? 1u : 0u) ? "<i>y</i>" : NULL);
      /* the legend goes to the data panel under a when there is one: a's band fills its panel */
      if (!draw_network (panel, net, &common, title, color,
                         !drew_legend && !(n_vb == 1 && rows > 1), run_dir, error))
        return NULL;
      drew_legend = TRUE;
    }
  if (n_vb == 1 && rows > 1)
    {
      VesiclePanel *panel = vesicle_plot_get_panel (plot, 1, 0);

      vesicle_panel_set_hidden (panel, FALSE);
      vesicle_panel_set_title (panel, "the training data and <i>f</i>(<i>x</i>)");
      vesicle_panel_set_labels (panel, "<i>x</i>", "<i>y</i>");
      /* the key of every panel, where the data leave room: the band and the mean as a draws
       * them (no points: drawn in a and beside it), then this panel's own */
      vesicle_panel_set_legend (panel, TRUE);
      vesicle_panel_add_band (panel, NULL, NULL, NULL, 0, vesicle_palette_category (VB_CATEGORY),
                              0.3, "± 2 s.d. of the predictive distribution");
      vesicle_panel_add_line (panel, NULL, NULL, 0, vesicle_palette_category (VB_CATEGORY),
                              VESICLE_DASH_SOLID, "predictive mean");
      vesicle_panel_add_line (panel, common.grid, common.truth, common.G,
                              VESICLE_COLOR_HOMOGENEOUS, VESICLE_DASH_SOLID,
                              "true <i>f</i>(<i>x</i>)");
      vesicle_panel_add_scatter (panel, common.x, common.y, common.n_data, VESICLE_COLOR_BLACK,
                                 VESICLE_MARKER_CIRCLE, 2.0, 1.0, "data");
    }
  set_limits (plot, &common);
  return g_steal_pointer (&plot);
}
