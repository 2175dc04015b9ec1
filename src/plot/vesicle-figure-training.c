/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training curves: per epoch, each term of the objective (the training NLL per example, the L1
 * term λ Σ|μ|, the reliability cost c Σ σ^−ρ and their sum, Eq. 2), test accuracy and mean σ,
 * one line per network coloured by log c as the paper's figures colour c (dashed: homogeneous
 * σ), with the key in a cell of its own. Several cost exponents get a row each (small
 * multiples), so that one colour never stands for networks of different ρ. The "training" figure draws them from an experiment's run folders; the window's live
 * chart draws the running cohort's rows as they arrive, through the same function.
 */
#include "vesicle-figure-private.h"

#include <math.h>
#include <string.h>

/* Legends stop being readable beyond this many distinct c; the colours still say it. */
#define MAX_LEGEND 8

/* In reading order: what the paper plots first, then the objective and its three terms. */
typedef enum {
  CURVE_ACCURACY,
  CURVE_SIGMA,
  CURVE_OBJECTIVE,
  CURVE_NLL,
  CURVE_L1,
  CURVE_COST,
  N_CURVES
} Curve;

static const struct {
  const char       *title;
  const char       *y_label;
  VesicleScaleKind  y_scale;
} curves[N_CURVES] = {
  { "test accuracy", "test accuracy", VESICLE_SCALE_LINEAR },
  { "mean σ", "mean σ", VESICLE_SCALE_LOG },
  { "objective (Eq. 2)", "NLL + λ Σ|μ| + <i>c</i> Σ σ<sup>−ρ</sup>", VESICLE_SCALE_LOG },
  { "training NLL", "NLL per example", VESICLE_SCALE_LOG },
  { "L1 term", "λ Σ|μ|", VESICLE_SCALE_LINEAR },
  { "reliability cost", "<i>c</i> Σ σ<sup>−ρ</sup>", VESICLE_SCALE_LOG },
};

static double
curve_value (const VesicleEpochMetrics *m,
             Curve                      curve)
{
  switch (curve)
    {
    case CURVE_NLL: return m->train_nll;
    case CURVE_L1: return m->l1;
    case CURVE_COST: return m->cost;
    case CURVE_OBJECTIVE: return m->objective;
    case CURVE_ACCURACY: return m->test_accuracy;
    case CURVE_SIGMA: return m->mean_sigma;
    case N_CURVES: break;
    }
  g_assert_not_reached ();
}

/* The network trained on the ELBO (variational Bayes: bayes, predictive) has no exponent; those
 * experiments write its rho as 0, which no reliability cost can have. */
static gboolean
variational (const VesicleMetricsRow *row)
{
  return row->rho == 0.0;
}

/* "ρ = 1/2, c = 0.01, heterogeneous, seed 1" or "variational Bayes, seed 1": a network as the
 * CSV names it. */
static char *
network_name (const VesicleMetricsRow *row)
{
  g_autofree char *rho = vesicle_format_ratio (row->rho);
  /* plain digits: the CSV keeps the text of the markup, where 10<sup>−5</sup> would read 10−5 */
  g_autofree char *c = g_strdup_printf ("%.3g", row->c);
  g_autofree char *markup = NULL;

  if (variational (row))
    markup = g_strdup_printf ("variational Bayes, seed %" G_GUINT64_FORMAT, row->seed);
  else
    markup = g_strdup_printf ("ρ = %s, <i>c</i> = %s, %s, seed %" G_GUINT64_FORMAT, rho, c,
                              row->setting == VESICLE_SIGMA_HOMO ? "homogeneous"
                                                                 : "heterogeneous", row->seed);
  return g_steal_pointer (&markup);
}

/* By setting (heterogeneous first), then c, then network and epoch, variational Bayes last: the
 * legend reads in order of c within each setting, and each network's rows stay consecutive. */
static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const VesicleMetricsRow *x = *(const VesicleMetricsRow *const *) a;
  const VesicleMetricsRow *y = *(const VesicleMetricsRow *const *) b;

  if (variational (x) != variational (y))
    return variational (x) ? 1 : -1;
  if (x->setting != y->setting)
    return x->setting == VESICLE_SIGMA_HETERO ? -1 : 1;
  if (x->c != y->c)
    return x->c < y->c ? -1 : 1;
  if (x->metrics.network != y->metrics.network)
    return x->metrics.network < y->metrics.network ? -1 : 1;
  return x->metrics.epoch < y->metrics.epoch ? -1 : x->metrics.epoch > y->metrics.epoch;
}

/* log10 c mapped onto the sequential palette; c = 0 (no cost) sits at the low end. */
static VesicleColor
c_color (double c,
         double log_lo,
         double log_hi)
{
  double t = log_hi > log_lo && c > 0 ? (log10 (c) - log_lo) / (log_hi - log_lo) : 0.0;

  return vesicle_palette_sequential (CLAMP (t, 0.0, 1.0));
}

/* Distinct values, in the order first seen. */
static void
add_distinct (GArray *values,
              double  v)
{
  for (guint j = 0; j < values->len; j++)
    if (g_array_index (values, double, j) == v)
      return;
  g_array_append_val (values, v);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The key cell: one swatch per c (the colour), then what the dash and the markers say, so that
 * no legend has to sit over a panel's curves. Beyond MAX_LEGEND values of c only the ends are
 * named: the palette runs between them. */
static void
draw_key (VesiclePanel *key,
          GArray       *distinct_c,
          double        log_lo,
          double        log_hi,
          gboolean      both_settings,
          gboolean      has_variational)
{
  static const double xy[2] = { 0, 0 };

  vesicle_panel_set_legend_only (key, TRUE);
  for (guint j = 0; j < distinct_c->len; j++)
    {
      double c = g_array_index (distinct_c, double, j);
      g_autofree char *c_text = vesicle_format_value_markup (c);
      g_autofree char *label = NULL;

      if (distinct_c->len > MAX_LEGEND && j != 0 && j != distinct_c->len - 1)
        continue;
      label = g_strdup_printf ("<i>c</i> = %s%s", c_text,
                               distinct_c->len <= MAX_LEGEND ? ""
                               : j == 0 ? " (darkest)" : " (lightest)");
      vesicle_panel_add_line (key, xy, xy, 1, c_color (c, log_lo, log_hi), VESICLE_DASH_SOLID,
                              label);
    }
  if (both_settings)
    {
      vesicle_panel_add_line (key, xy, xy, 1, VESICLE_COLOR_HOMOGENEOUS, VESICLE_DASH_SOLID,
                              "heterogeneous σ");
      vesicle_panel_add_line (key, xy, xy, 1, VESICLE_COLOR_HOMOGENEOUS, VESICLE_DASH_DASHED,
                              "homogeneous σ");
    }
  if (has_variational)
    vesicle_panel_add_line (key, xy, xy, 1, VESICLE_COLOR_HOMOGENEOUS, VESICLE_DASH_DOTTED,
                            "variational Bayes");
}

/* Every network's rows under @rho (NAN: all of them) into the panels of @curve_list, at row
 * @row of @plot; the first network of each c and setting carries the key a panel shown alone
 * draws. */
static void
draw_networks (VesiclePlot  *plot,
               guint         row,
               const Curve  *curve_list,
               guint         n_curve,
               GPtrArray    *sorted,
               double        rho,
               double        log_lo,
               double        log_hi)
{
  for (guint first = 0; first < sorted->len;)
    {
      const VesicleMetricsRow *head = g_ptr_array_index (sorted, first);
      guint n = 0;
      g_autofree double *x = NULL, *y = NULL;
      g_autofree char *name = NULL;
      gboolean vb = variational (head);
      VesicleColor color = vb ? VESICLE_COLOR_HOMOGENEOUS : c_color (head->c, log_lo, log_hi);
      VesicleDash dash = vb ? VESICLE_DASH_DOTTED
                         : head->setting == VESICLE_SIGMA_HOMO ? VESICLE_DASH_DASHED
                                                               : VESICLE_DASH_SOLID;
      gboolean first_of_c = TRUE;

      while (first + n < sorted->len
             && ((const VesicleMetricsRow *) g_ptr_array_index (sorted, first + n))->metrics.network
                == head->metrics.network)
        n++;
      /* in small multiples by rho, the variational network (which has none) is drawn in every
       * row: it is the reference each cost is compared with */
      if (!isnan (rho) && !vb && head->rho != rho)
        {
          first += n;
          continue;
        }
      for (guint i = 0; i < first; i++)
        {
          const VesicleMetricsRow *o = g_ptr_array_index (sorted, i);

          if (o->c == head->c && o->setting == head->setting && variational (o) == vb
              && (isnan (rho) || vb || o->rho == rho))
            first_of_c = FALSE;
        }
      x = g_new (double, n);
      y = g_new (double, n);
      /* every curve is named for the CSV by its network */
      name = network_name (head);
      for (guint k = 0; k < n_curve; k++)
        {
          VesiclePanel *panel = vesicle_plot_get_panel (plot, row, k);
          Curve curve = curve_list[k];
          g_autofree char *label = NULL;
          guint m = 0;

          for (guint i = 0; i < n; i++)
            {
              const VesicleMetricsRow *r = g_ptr_array_index (sorted, first + i);
              double v = curve_value (&r->metrics, curve);

              /* epochs that were not evaluated have no accuracy: skip them, join the rest */
              if (!isfinite (v))
                continue;
              x[m] = r->metrics.epoch;
              y[m] = v;
              m++;
            }
          if (m == 0)
            continue;
          if (first_of_c && vb)
            label = g_strdup ("variational Bayes");
          else if (first_of_c)
            {
              g_autofree char *c_text = vesicle_format_value_markup (head->c);

              label = g_strdup_printf ("<i>c</i> = %s%s", c_text,
                                       head->setting == VESICLE_SIGMA_HOMO ? ", homogeneous" : "");
            }
          /* test accuracy is measured on some epochs only: its points are marked; the
           * marker's shape, like the dash, tells the settings apart */
          if (m == 1 || curve == CURVE_ACCURACY)
            {
              vesicle_panel_add_scatter (panel, x, y, m, color,
                                         dash == VESICLE_DASH_SOLID ? VESICLE_MARKER_CIRCLE
                                                                    : VESICLE_MARKER_SQUARE,
                                         3.0, 1.0, name);
              vesicle_panel_set_key (panel, m == 1 ? label : NULL);
            }
          if (m > 1)
            {
              vesicle_panel_add_line (panel, x, y, m, color, dash, name);
              vesicle_panel_set_key (panel, label);
            }
        }
      first += n;
    }
}

static void
set_up_panel (VesiclePanel *panel,
              Curve         curve,
              const char   *title,
              gboolean      bottom_row)
{
  vesicle_panel_set_title (panel, title);
  vesicle_panel_set_scales (panel, VESICLE_SCALE_LINEAR, curves[curve].y_scale);
  vesicle_panel_set_x_whole (panel, TRUE);
  vesicle_panel_set_labels (panel, bottom_row ? "epoch" : NULL, curves[curve].y_label);
  /* the key cell names the colours; a panel shown alone draws its own from its series */
  vesicle_panel_set_legend (panel, FALSE);
  if (curve == CURVE_ACCURACY)
    vesicle_panel_set_y_limits (panel, NAN, 1.0);
}

/* One cost exponent: every term of the objective, two rows of three, the key beside them.
 * Several: small multiples, one row per rho, of what tells the costs apart (accuracy, mean σ,
 * the reliability cost), so that no two lines of one colour mean different networks. */
VesiclePlot *
vesicle_figure_training_curves (const VesicleMetricsRow *rows,
                                guint                    n_rows)
{
  static const Curve all[] = { CURVE_ACCURACY, CURVE_SIGMA, CURVE_OBJECTIVE,
                               CURVE_NLL, CURVE_L1, CURVE_COST };
  static const Curve per_rho[] = { CURVE_ACCURACY, CURVE_SIGMA, CURVE_COST };
  g_autoptr(VesiclePlot) plot = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (n_rows);
  g_autoptr(GArray) distinct_c = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) distinct_rho = g_array_new (FALSE, FALSE, sizeof (double));
  double log_lo = INFINITY, log_hi = -INFINITY;
  gboolean settings[2] = { FALSE, FALSE }, has_variational = FALSE;

  for (guint i = 0; i < n_rows; i++)
    {
      double c = rows[i].c;

      g_ptr_array_add (sorted, (gpointer) &rows[i]);
      if (variational (&rows[i]))
        {
          has_variational = TRUE;
          continue;
        }
      settings[rows[i].setting == VESICLE_SIGMA_HOMO] = TRUE;
      if (c > 0 && isfinite (c))
        {
          log_lo = MIN (log_lo, log10 (c));
          log_hi = MAX (log_hi, log10 (c));
        }
      add_distinct (distinct_c, c);
      add_distinct (distinct_rho, rows[i].rho);
    }
  g_ptr_array_sort (sorted, compare_rows);
  g_array_sort (distinct_c, compare_doubles);
  g_array_sort (distinct_rho, compare_doubles);

  if (distinct_rho->len <= 1)
    {
      plot = vesicle_plot_new (2, 4);
      vesicle_plot_set_aspect (plot, 100.0 / 174.0);
      for (guint k = 0; k < G_N_ELEMENTS (all); k++)
        set_up_panel (vesicle_plot_get_panel (plot, k / 3, k % 3), all[k],
                      curves[all[k]].title, k / 3 == 1);
      draw_networks (plot, 0, all, 3, sorted, NAN, log_lo, log_hi);
      draw_networks (plot, 1, all + 3, 3, sorted, NAN, log_lo, log_hi);
      vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, 1, 3), TRUE);
    }
  else
    {
      guint n_rho = distinct_rho->len;

      plot = vesicle_plot_new (n_rho, 4);
      /* each row about as tall as the two-row figure's rows */
      vesicle_plot_set_aspect (plot, (10.0 + 42.0 * n_rho) / 174.0);
      for (guint r = 0; r < n_rho; r++)
        {
          double rho = g_array_index (distinct_rho, double, r);
          g_autofree char *ratio = vesicle_format_ratio (rho);

          for (guint k = 0; k < G_N_ELEMENTS (per_rho); k++)
            {
              g_autofree char *title = g_strdup_printf ("%s, ρ = %s", curves[per_rho[k]].title,
                                                        ratio);

              set_up_panel (vesicle_plot_get_panel (plot, r, k), per_rho[k], title,
                            r == n_rho - 1);
            }
          draw_networks (plot, r, per_rho, G_N_ELEMENTS (per_rho), sorted, rho, log_lo, log_hi);
          if (r > 0)
            vesicle_panel_set_hidden (vesicle_plot_get_panel (plot, r, 3), TRUE);
        }
    }
  vesicle_plot_share_x_by_column (plot, TRUE);
  draw_key (vesicle_plot_get_panel (plot, 0, 3), distinct_c, log_lo, log_hi,
            settings[0] && settings[1], has_variational);
  return g_steal_pointer (&plot);
}

VesiclePlot *
vesicle_figure_build_training (const char  *run_dir,
                               gboolean     partial,
                               GError     **error)
{
  g_autoptr(VesicleExperimentRecord) rec = vesicle_experiment_record_load (run_dir, error);
  g_autoptr(GArray) all = NULL;
  guint offset = 0;

  if (rec == NULL)
    return NULL;
  if (rec->status != VESICLE_RUN_COMPLETED && !partial)
    {
      g_set_error (error, G_IO_ERROR, rec->status == VESICLE_RUN_RUNNING ? G_IO_ERROR_BUSY
                                                                         : G_IO_ERROR_FAILED,
                   "%s: the '%s' experiment %s%s%s", run_dir, rec->type_name,
                   rec->status == VESICLE_RUN_RUNNING ? "is still running (or was killed)"
                   : vesicle_run_status_to_string (rec->status),
                   rec->error ? ": " : "", rec->error ? rec->error : "");
      return NULL;
    }
  all = g_array_new (FALSE, FALSE, sizeof (VesicleMetricsRow));
  for (guint r = 0; r < rec->runs->len; r++)
    {
      g_autoptr(GArray) rows = NULL;
      guint top = 0;

      if (!(rows = vesicle_experiment_record_metrics (rec, r, error)))
        return NULL;
      /* networks of later cohorts after those of earlier ones */
      for (guint i = 0; i < rows->len; i++)
        {
          VesicleMetricsRow *row = &g_array_index (rows, VesicleMetricsRow, i);

          top = MAX (top, row->metrics.network + 1);
          row->metrics.network += offset;
        }
      offset += top;
      g_array_append_vals (all, rows->data, rows->len);
    }
  if (all->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: no run folder with a metrics.csv; nothing has trained", run_dir);
      return NULL;
    }
  return vesicle_figure_training_curves ((const VesicleMetricsRow *) (gpointer) all->data,
                                         all->len);
}
