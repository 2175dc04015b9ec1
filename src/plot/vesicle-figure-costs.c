/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fig 1b/c from a "costs" folder (see vesicle-exp-costs.c for summary.json). Two rows of four:
 *   b  the binomial release model over the release probability p, one line per n: the PSP mean
 *      n p q, its variance n p (1 - p) q^2, and the variance when q compensates to hold the mean
 *      at mu, (1 - p) / (n p) mu^2 (log y): "for fixed PSP mean, increasing p or n decreases
 *      PSP variance"; the fourth cell is Eq 18, the exact trafficking cost when n p changes
 *      through p, one line per p0 (the release probability at sigma_ref) against the sigma^-2
 *      limit (hidden if the run saved none).
 *   c  I-IV the four costs against sigma on log-log axes, each normalised to 1 at sigma_ref so
 *      it reads as (sigma / sigma_ref)^-rho.
 * The schematics of Fig 1a/c are drawings, not data, and are left out.
 */
#include "vesicle-figure-private.h"
#include "vesicle-figure-common.h"

#include <math.h>

#define ROWS 2
#define COLUMNS 4

static const struct {
  const char *mechanism;
  const char *title;
} mechanism_titles[] = {
  { "calcium", "<b>c</b>  I  calcium efflux" },
  { "membrane", "II  vesicle membrane" },
  { "actin", "III  actin" },
  { "trafficking", "IV  trafficking" },
};

/* Fig 1b: three panels over p, one line per n. */
static gboolean
draw_release (VesiclePlot  *plot,
              JsonObject   *summary,
              const char   *run_dir,
              GError      **error)
{
  JsonNode *node = json_object_get_member (summary, "release");
  JsonObject *release;
  JsonArray *means, *sds;
  g_autofree double *ns = NULL, *ps = NULL;
  gsize N, P;
  double mean_max = 0.0;
  VesiclePanel *mean_panel = vesicle_plot_get_panel (plot, 0, 0);
  VesiclePanel *var_panel = vesicle_plot_get_panel (plot, 0, 1);
  VesiclePanel *fixed_panel = vesicle_plot_get_panel (plot, 0, 2);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: no \"release\" object", run_dir);
      return FALSE;
    }
  release = json_node_get_object (node);
  if (!(ns = vesicle_figure_get_doubles (release, "n", &N, run_dir, error))
      || !(ps = vesicle_figure_get_doubles (release, "p", &P, run_dir, error))
      || !(means = vesicle_figure_get_array (release, "mean", run_dir, error))
      || !(sds = vesicle_figure_get_array (release, "sd", run_dir, error)))
    return FALSE;
  if (json_array_get_length (means) != N || json_array_get_length (sds) != N)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: release \"mean\" and \"sd\" need one row per n (%zu)",
                   run_dir, (size_t) N);
      return FALSE;
    }

  for (gsize i = 0; i < N; i++)
    {
      JsonNode *mean_row = json_array_get_element (means, i);
      JsonNode *sd_row = json_array_get_element (sds, i);
      g_autofree double *mean = NULL, *sd = NULL, *var = NULL, *fixed = NULL, *fixed_p = NULL;
      g_autofree char *legend = g_strdup_printf ("<i>n</i> = %.0f", ns[i]);
      gsize n_mean, n_sd, n_fixed;
      /* ordered by n: light to dark as more vesicles dock */
      VesicleColor color = vesicle_palette_sequential (N > 1 ? 0.15 + 0.85 * i / (N - 1) : 0.7);

      if (!JSON_NODE_HOLDS_ARRAY (mean_row) || !JSON_NODE_HOLDS_ARRAY (sd_row)
          || !(mean = vesicle_figure_array_doubles (json_node_get_array (mean_row), &n_mean,
                                                    "release.mean", run_dir, error))
          || !(sd = vesicle_figure_array_doubles (json_node_get_array (sd_row), &n_sd,
                                                  "release.sd", run_dir, error))
          || n_mean != P || n_sd != P)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s/summary.json: release row %zu does not hold %zu numbers", run_dir,
                         (size_t) i, (size_t) P);
          return FALSE;
        }
      var = g_new (double, P);
      fixed = g_new (double, P);
      fixed_p = g_new (double, P);
      n_fixed = 0;
      for (gsize j = 0; j < P; j++)
        {
          var[j] = sd[j] * sd[j];
          /* sigma^2 / mu^2 = (1 - p) / (n p): the variance once q holds the mean at 1; only
           * for 0 < p < 1, as p = 0 releases nothing (0/0) and p = 1 has no variance to put on
           * a log axis */
          if (ps[j] > 0.0 && ps[j] < 1.0 && mean[j] > 0.0)
            {
              fixed_p[n_fixed] = ps[j];
              fixed[n_fixed++] = var[j] / (mean[j] * mean[j]);
            }
        }
      vesicle_panel_add_line (mean_panel, ps, mean, P, color, VESICLE_DASH_SOLID, legend);
      for (gsize j = 0; j < P; j++)
        mean_max = MAX (mean_max, isfinite (mean[j]) ? mean[j] : 0.0);
      /* named for the CSV export; the legend is the mean panel's alone */
      vesicle_panel_add_line (var_panel, ps, var, P, color, VESICLE_DASH_SOLID, legend);
      vesicle_panel_add_line (fixed_panel, fixed_p, fixed, n_fixed, color, VESICLE_DASH_SOLID,
                              legend);
    }
  /* room above the curves for the legend of n, in the top left, which the curves (rising
   * towards p = 1) leave empty */
  if (mean_max > 0)
    vesicle_panel_set_y_limits (mean_panel, 0.0, 1.7 * mean_max);
  vesicle_panel_set_legend (var_panel, FALSE);
  vesicle_panel_set_legend (fixed_panel, FALSE);

  vesicle_panel_set_title (mean_panel, "<b>b</b>  mean  μ = <i>npq</i>");
  vesicle_panel_set_labels (mean_panel, "release probability <i>p</i>", "PSP mean μ / <i>q</i>");
  vesicle_panel_set_x_limits (mean_panel, 0.0, 1.0);
  vesicle_panel_set_title (var_panel, "σ<sup>2</sup> = <i>np</i>(1 − <i>p</i>)<i>q</i><sup>2</sup>");
  vesicle_panel_set_labels (var_panel, "release probability <i>p</i>",
                            "PSP variance σ<sup>2</sup> / <i>q</i><sup>2</sup>");
  vesicle_panel_set_x_limits (var_panel, 0.0, 1.0);
  vesicle_panel_set_legend (var_panel, FALSE);
  vesicle_panel_set_scales (fixed_panel, VESICLE_SCALE_LINEAR, VESICLE_SCALE_LOG);
  vesicle_panel_set_title (fixed_panel, "at fixed mean");
  vesicle_panel_set_labels (fixed_panel, "release probability <i>p</i>",
                            "σ<sup>2</sup> / μ<sup>2</sup>  (<i>q</i> compensates)");
  vesicle_panel_set_x_limits (fixed_panel, 0.0, 1.0);
  vesicle_panel_set_legend (fixed_panel, FALSE);
  return TRUE;
}

static const char *
mechanism_title (const char *mechanism)
{
  for (guint i = 0; i < G_N_ELEMENTS (mechanism_titles); i++)
    if (g_strcmp0 (mechanism_titles[i].mechanism, mechanism) == 0)
      return mechanism_titles[i].title;
  return NULL;
}

/* Fig 1c: one log-log panel per mechanism, in the summary's order (calcium ... trafficking). */
static gboolean
draw_costs (VesiclePlot  *plot,
            JsonObject   *summary,
            const char   *run_dir,
            GError      **error)
{
  JsonArray *costs = vesicle_figure_get_array (summary, "costs", run_dir, error);
  double sigma_ref = vesicle_json_get_double (summary, "sigma_ref");
  guint n_costs;

  if (costs == NULL)
    return FALSE;
  n_costs = json_array_get_length (costs);
  if (n_costs == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: \"costs\" is empty", run_dir);
      return FALSE;
    }

  for (guint k = 0; k < COLUMNS; k++)
    {
      VesiclePanel *panel = vesicle_plot_get_panel (plot, 1, k);
      JsonNode *node = k < n_costs ? json_array_get_element (costs, k) : NULL;
      JsonObject *o;
      g_autofree double *sigma = NULL, *cost = NULL;
      g_autofree char *rho_text = NULL, *law = NULL, *fallback = NULL;
      const char *mechanism, *title;
      double rho;
      gsize n_sigma, n_cost;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          vesicle_panel_set_hidden (panel, TRUE);
          continue;
        }
      o = json_node_get_object (node);
      if (!(sigma = vesicle_figure_get_doubles (o, "sigma", &n_sigma, run_dir, error))
          || !(cost = vesicle_figure_get_doubles (o, "cost", &n_cost, run_dir, error)))
        return FALSE;
      if (n_sigma != n_cost)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s/summary.json: costs[%u] has %zu sigmas and %zu costs", run_dir, k,
                       (size_t) n_sigma, (size_t) n_cost);
          return FALSE;
        }
      mechanism = json_object_get_string_member_with_default (o, "mechanism", "?");
      rho = vesicle_json_get_double (o, "rho");
      rho_text = vesicle_format_ratio (rho);
      title = mechanism_title (mechanism);
      if (title == NULL)
        title = fallback = g_markup_printf_escaped ("%s", mechanism);

      vesicle_panel_set_scales (panel, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
      vesicle_panel_set_title (panel, title);
      vesicle_panel_set_labels (panel, "PSP s.d. σ  (μ = 1)",
                                k == 0 ? "reliability cost (1 at σ<sub>ref</sub>)" : NULL);
      vesicle_panel_add_line (panel, sigma, cost, n_sigma, VESICLE_COLOR_HETEROGENEOUS,
                              VESICLE_DASH_SOLID, "cost");
      vesicle_panel_set_legend (panel, FALSE);
      /* the reference point the curve is normalised at */
      if (isfinite (sigma_ref))
        {
          double one = 1.0;

          vesicle_panel_add_scatter (panel, &sigma_ref, &one, 1, VESICLE_COLOR_BLACK,
                                     VESICLE_MARKER_CIRCLE, 3.0, 1.0, "σ<sub>ref</sub>");
        }
      law = g_strdup_printf ("∝ σ<sup>−%s</sup>", rho_text);
      /* top right: the line runs corner to corner from the top left, so it is far below the
       * text there; the fitted slope (-rho to 6 digits) is the report's Fig 1c row and the
       * figure's CSV, not more text in a panel this narrow */
      vesicle_panel_add_annotation (panel, 0.98, 0.98, law, VESICLE_COLOR_BLACK);
    }
  return TRUE;
}

/* Eq 18: trafficking with n fixed and p changing; the slope is -2 (1 - p), so -2 only as
 * p -> 0. Hidden when the run saved no exact curves. */
static gboolean
draw_exact_trafficking (VesiclePlot  *plot,
                        JsonObject   *summary,
                        const char   *run_dir,
                        GError      **error)
{
  VesiclePanel *panel = vesicle_plot_get_panel (plot, 0, 3);
  JsonNode *node = json_object_get_member (summary, "trafficking_exact");
  g_autofree char *title = NULL;
  double p_first = NAN, p_last = NAN;
  double sigma_ref = vesicle_json_get_double (summary, "sigma_ref");
  JsonArray *curves;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || (n = json_array_get_length (curves = json_node_get_array (node))) == 0)
    {
      vesicle_panel_set_hidden (panel, TRUE);
      return TRUE;
    }

  vesicle_panel_set_scales (panel, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
  vesicle_panel_set_labels (panel, "PSP s.d. σ  (μ = 1)", "cost (1 at σ<sub>ref</sub>)");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *c = json_array_get_element (curves, i);
      g_autofree double *sigma = NULL, *cost = NULL;
      g_autofree char *legend = NULL;
      gsize n_sigma, n_cost;
      double p0;

      if (!JSON_NODE_HOLDS_OBJECT (c))
        continue;
      if (!(sigma = vesicle_figure_get_doubles (json_node_get_object (c), "sigma", &n_sigma,
                                                run_dir, error))
          || !(cost = vesicle_figure_get_doubles (json_node_get_object (c), "cost", &n_cost,
                                                  run_dir, error)))
        return FALSE;
      p0 = vesicle_json_get_double (json_node_get_object (c), "p");
      /* every curve named for the CSV */
      legend = g_strdup_printf ("<i>p</i><sub>0</sub> = %g", p0);
      vesicle_panel_add_line (panel, sigma, cost, MIN (n_sigma, n_cost),
                              vesicle_palette_sequential (n > 1 ? 0.15 + 0.85 * i / (n - 1) : 0.7),
                              VESICLE_DASH_SOLID, legend);
      if (i == 0)
        p_first = p0;
      p_last = p0;
    }
  /* the sigma^-2 of the main text, which the exact cost approaches as p -> 0 */
  if (isfinite (sigma_ref))
    vesicle_panel_add_reference (panel, sigma_ref, 1.0, -2.0, VESICLE_COLOR_BLACK,
                                 VESICLE_DASH_DASHED, "σ<sup>−2</sup>");
  /* the key in the title, above the curves: a legend inside sits on them at some widths, and
   * one outside narrows every column of the row */
  vesicle_panel_set_legend (panel, FALSE);
  title = g_strdup_printf ("trafficking, <i>p</i> varies (Eq. 18)\n<i>p</i><sub>0</sub> %g "
                           "(dark) → %g, dashed σ<sup>−2</sup>", p_first, p_last);
  vesicle_panel_set_title (panel, title);
  return TRUE;
}

VesiclePlot *
vesicle_figure_build_fig1 (const char  *run_dir,
                           gboolean     partial,
                           GError     **error)
{
  g_autoptr(JsonObject) summary = vesicle_figure_load_summary (run_dir, "costs", partial, error);
  g_autoptr(VesiclePlot) plot = NULL;

  if (summary == NULL)
    return NULL;
  plot = vesicle_plot_new (ROWS, COLUMNS);
  /* the titles carry the paper's letters (b, c I-IV), which reading order would not give */
  vesicle_plot_set_panel_letters (plot, FALSE);
  vesicle_plot_set_aspect (plot, 92.0 / 174.0);
  if (!draw_release (plot, summary, run_dir, error)
      || !draw_exact_trafficking (plot, summary, run_dir, error)
      || !draw_costs (plot, summary, run_dir, error))
    return NULL;
  return g_steal_pointer (&plot);
}
