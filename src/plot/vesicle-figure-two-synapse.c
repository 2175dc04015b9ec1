/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fig 4 from a "costs" folder's two_synapse member (vesicle-two-synapse.h), computed rather than
 * drawn: a, the performance cost along the important synapse w_1 (steep) and b, along the
 * unimportant w_2 (flat), each with the noise of both settings as densities below the cost; c,
 * the cost's contours in the (w_1, w_2) plane with samples of homogeneous (grey, left) and
 * optimised heterogeneous (green, right) noise of the same reliability cost, and the posterior's
 * 1 s.d. ellipse (dashed); d, for each of the four costs, the performance cost of the two
 * settings at that same reliability cost. a–c are drawn for the calcium cost (ρ = 1/2), where the two σ differ most.
 */
#include "vesicle-figure-private.h"

#include <math.h>

#define N_GRID    201
#define N_SAMPLES 300
#define PURPLE    ((VesicleColor) { 0.459, 0.439, 0.702 })   /* the caption's purple contours */

typedef struct {
  double h[2], w_star[2];
  double sigma_hetero[2], sigma_matched;
} Case;

/* The cost 1/2 h (w - w*)^2 along one synapse, and the noise of both settings as Gaussian
 * densities scaled to sit in the lower part of the panel. */
static void
draw_one_synapse (VesiclePanel *panel,
                  const Case   *k,
                  guint         i,
                  const char   *title)
{
  double x[N_GRID], cost[N_GRID], het[N_GRID], hom[N_GRID], zero[N_GRID];
  double half = 3.0 * MAX (k->sigma_matched, k->sigma_hetero[i]) * 1.2;
  double top = 0.5 * k->h[i] * half * half;

  for (guint g = 0; g < N_GRID; g++)
    {
      double d = -half + 2 * half * g / (N_GRID - 1);
      double zh = d / k->sigma_hetero[i], zm = d / k->sigma_matched;

      x[g] = k->w_star[i] + d;
      cost[g] = 0.5 * k->h[i] * d * d;
      /* densities drawn to a common height scale, the taller one reaching 40% of the panel */
      het[g] = exp (-0.5 * zh * zh) / k->sigma_hetero[i];
      hom[g] = exp (-0.5 * zm * zm) / k->sigma_matched;
      zero[g] = 0;
    }
  {
    double peak = MAX (1.0 / k->sigma_hetero[i], 1.0 / k->sigma_matched);

    for (guint g = 0; g < N_GRID; g++)
      {
        het[g] *= 0.4 * top / peak;
        hom[g] *= 0.4 * top / peak;
      }
  }
  vesicle_panel_set_title (panel, title);
  vesicle_panel_add_band (panel, x, zero, hom, N_GRID, VESICLE_COLOR_HOMOGENEOUS, 0.35,
                          "homogeneous noise");
  vesicle_panel_add_band (panel, x, zero, het, N_GRID, VESICLE_COLOR_HETEROGENEOUS, 0.35,
                          "optimised noise");
  vesicle_panel_add_line (panel, x, cost, N_GRID, PURPLE, VESICLE_DASH_SOLID, "performance cost");
  vesicle_panel_set_y_limits (panel, 0, top);
  vesicle_panel_set_x_limits (panel, x[0], x[N_GRID - 1]);
}

/* Contours of the cost, samples of one setting's noise, the posterior's 2 s.d. ellipse. */
static void
draw_plane (VesiclePanel *panel,
            const Case   *k,
            const double  sigma[2],
            VesicleColor  color,
            const char   *title,
            const char   *legend,
            double        half)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  double x[N_SAMPLES], y[N_SAMPLES];

  /* the same draws for both settings: only their scale differs */
  for (guint s = 0; s < N_SAMPLES; s++)
    {
      double u1 = g_rand_double (rand), u2 = g_rand_double (rand);
      double r = sqrt (-2.0 * log (1.0 - u1));

      x[s] = k->w_star[0] + sigma[0] * r * cos (2 * G_PI * u2);
      y[s] = k->w_star[1] + sigma[1] * r * sin (2 * G_PI * u2);
    }
  vesicle_panel_set_title (panel, title);
  /* L = level: ellipses of semi-axes sqrt (2 level / h_i), i.e. 1-s.d. contours of variance
   * level / h_i */
  for (guint l = 1; l <= 3; l++)
    {
      double level = 0.5 * k->h[1] * half * half * l * l / 16.0;

      vesicle_panel_add_ellipse (panel, k->w_star[0], k->w_star[1], 2 * level / k->h[0], 0,
                                 2 * level / k->h[1], 1.0, PURPLE, 0.0, VESICLE_DASH_SOLID,
                                 l == 1 ? "performance cost" : NULL);
    }
  vesicle_panel_add_scatter (panel, x, y, N_SAMPLES, color, VESICLE_MARKER_CIRCLE, 1.6, 0.55,
                             legend);
  vesicle_panel_add_ellipse (panel, k->w_star[0], k->w_star[1], 1.0 / k->h[0], 0,
                             1.0 / k->h[1], 1.0, VESICLE_COLOR_BLACK, 0.0, VESICLE_DASH_DASHED,
                             "posterior, 1 s.d.");
  vesicle_panel_set_labels (panel, "<i>w</i><sub>1</sub> (important)",
                            "<i>w</i><sub>2</sub> (unimportant)");
  vesicle_panel_set_x_limits (panel, k->w_star[0] - half, k->w_star[0] + half);
  /* room above the posterior for the key */
  vesicle_panel_set_y_limits (panel, k->w_star[1] - half, k->w_star[1] + 1.6 * half);
  vesicle_panel_set_equal_aspect (panel, TRUE);
}

/* d: per cost, the performance cost of each setting at the same reliability cost, against rho. */
static gboolean
draw_costs (VesiclePanel *panel,
            JsonArray    *costs,
            const char   *run_dir,
            GError      **error)
{
  guint n = json_array_get_length (costs);
  g_autofree double *rho = g_new (double, n);
  g_autofree double *hom = g_new (double, n);
  g_autofree double *het = g_new (double, n);

  for (guint k = 0; k < n; k++)
    {
      JsonObject *e = vesicle_json_array_get_object (costs, k);

      rho[k] = vesicle_json_get_double (e, "rho");
      hom[k] = vesicle_json_get_double (e, "performance_matched");
      het[k] = vesicle_json_get_double (e, "performance_hetero");
      if (!(isfinite (rho[k]) && hom[k] > 0 && het[k] > 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s/summary.json: two_synapse.costs[%u] needs rho and positive "
                       "performance costs", run_dir, k);
          return FALSE;
        }
    }
  vesicle_panel_set_scales (panel, VESICLE_SCALE_LINEAR, VESICLE_SCALE_LOG);
  vesicle_panel_add_errorbars (panel, rho, hom, NULL, NULL, n, VESICLE_COLOR_HOMOGENEOUS,
                               VESICLE_MARKER_CIRCLE, TRUE, "homogeneous");
  vesicle_panel_add_errorbars (panel, rho, het, NULL, NULL, n, VESICLE_COLOR_HETEROGENEOUS,
                               VESICLE_MARKER_CIRCLE, TRUE, "optimised");
  vesicle_panel_set_labels (panel, "cost exponent ρ", "performance cost");
  vesicle_panel_set_title (panel, "<b>d</b>  at the same reliability cost");
  vesicle_panel_set_legend (panel, TRUE);
  return TRUE;
}

VesiclePlot *
vesicle_figure_build_fig4 (const char  *run_dir,
                           gboolean     partial,
                           GError     **error)
{
  g_autoptr(JsonObject) summary = vesicle_figure_load_summary (run_dir, "costs", partial, error);
  g_autoptr(VesiclePlot) plot = NULL;
  JsonObject *two, *first;
  JsonArray *costs;
  Case k = { 0 };
  double half;

  if (summary == NULL)
    return NULL;
  if (!(two = vesicle_json_get_object (summary, "two_synapse"))
      || !(costs = vesicle_figure_get_array (two, "costs", run_dir, error))
      || json_array_get_length (costs) == 0
      || !(first = vesicle_json_array_get_object (costs, 0)))
    {
      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: no \"two_synapse\" costs (a folder from before Fig 4 was "
                   "computed: run the costs experiment again)", run_dir);
      return NULL;
    }
  for (guint i = 0; i < 2; i++)
    {
      k.h[i] = vesicle_json_get_double_element (two, "h", i);
      k.w_star[i] = vesicle_json_get_double_element (two, "w_star", i);
      k.sigma_hetero[i] = vesicle_json_get_double_element (first, "sigma_hetero", i);
    }
  k.sigma_matched = vesicle_json_get_double (first, "sigma_matched");
  if (!(k.h[0] > 0 && k.h[1] > 0 && k.sigma_hetero[0] > 0 && k.sigma_hetero[1] > 0
        && k.sigma_matched > 0 && isfinite (k.w_star[0]) && isfinite (k.w_star[1])))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: two_synapse needs positive h and σ and a finite w*",
                   run_dir);
      return NULL;
    }

  plot = vesicle_plot_new (2, 3);
  vesicle_plot_set_panel_letters (plot, FALSE);
  vesicle_plot_set_aspect (plot, 120.0 / 174.0);
  draw_one_synapse (vesicle_plot_get_panel (plot, 0, 0), &k, 0,
                    "<b>a</b>  important synapse <i>w</i><sub>1</sub>");
  vesicle_panel_set_labels (vesicle_plot_get_panel (plot, 0, 0), "<i>w</i><sub>1</sub>",
                            "performance cost");
  vesicle_panel_set_legend (vesicle_plot_get_panel (plot, 0, 0), TRUE);
  draw_one_synapse (vesicle_plot_get_panel (plot, 0, 1), &k, 1,
                    "<b>b</b>  unimportant synapse <i>w</i><sub>2</sub>");
  vesicle_panel_set_labels (vesicle_plot_get_panel (plot, 0, 1), "<i>w</i><sub>2</sub>", NULL);
  if (!draw_costs (vesicle_plot_get_panel (plot, 0, 2), costs, run_dir, error))
    return NULL;
  half = 3.0 * MAX (k.sigma_matched, MAX (k.sigma_hetero[1], 1.0 / sqrt (k.h[0])));
  {
    double hom[2] = { k.sigma_matched, k.sigma_matched };

    draw_plane (vesicle_plot_get_panel (plot, 1, 0), &k, hom, VESICLE_COLOR_HOMOGENEOUS,
                "<b>c</b>  homogeneous noise", "homogeneous noise", half);
  }
  draw_plane (vesicle_plot_get_panel (plot, 1, 1), &k, k.sigma_hetero,
              VESICLE_COLOR_HETEROGENEOUS, "optimised, heterogeneous noise", "optimised noise",
              half);
  /* one key for both halves of c, on the left, where the homogeneous cloud leaves the upper
   * corner empty; on the right it would sit on the tall optimised cloud */
  vesicle_panel_set_legend (vesicle_plot_get_panel (plot, 1, 0), TRUE);
  vesicle_panel_set_legend (vesicle_plot_get_panel (plot, 1, 1), FALSE);
  vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, 1, 2), TRUE);
  return g_steal_pointer (&plot);
}
