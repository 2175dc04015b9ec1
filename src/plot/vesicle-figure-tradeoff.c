/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fig 2 and Fig 3 from a "tradeoff" folder (see vesicle-exp-tradeoff.c for summary.json); one
 * column per cost exponent rho, heterogeneous noise in green and homogeneous in grey as in the
 * paper, one point per c joined in order of c.
 *   Fig 2  a  test accuracy against c          b  mean sigma against c (log-log)
 *   Fig 3  a  accuracy against mean sigma      b  reliability cost (s = 1) against sigma^2
 *          c  accuracy against reliability cost
 * Fig 3b's sigma^2 is the square of the same mean sigma as Fig 2b and Fig 3a, so the three
 * panels show one curve from different sides. Points are the summary's "groups": with several
 * seeds a point is their mean and its vertical bar +- one sample s.d. over the seeds; with one
 * seed, plain markers and lines. Fig 3 has no horizontal bars (the library draws vertical ones
 * only); the s.d. of sigma across seeds is small beside its range over c.
 */
#include "vesicle-figure-private.h"
#include "vesicle-fit.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  double   rho;
  double   c;
  gboolean hetero;
  guint    n;           /* seeds */
  double   accuracy;    /* means over seeds, and sample s.d.s */
  double   accuracy_sd;
  double   sigma;
  double   sigma_sd;
  double   cost;        /* reliability cost at s = 1: (1/rho) sum_i sigma_i^-rho */
  double   cost_sd;
} Group;

typedef struct {
  GArray *groups;       /* of Group */
  GArray *rhos;         /* of double, ascending */
  gboolean seeds;       /* some point averages more than one seed */
} Tradeoff;

static void
tradeoff_clear (Tradeoff *t)
{
  g_clear_pointer (&t->groups, g_array_unref);
  g_clear_pointer (&t->rhos, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tradeoff, tradeoff_clear)

static int
compare_group_c (gconstpointer a,
                 gconstpointer b)
{
  return vesicle_compare_doubles (&((const Group *) a)->c, &((const Group *) b)->c);
}

static gboolean
tradeoff_load (Tradeoff    *t,
               const char  *run_dir,
               gboolean     partial,
               GError     **error)
{
  g_autoptr(JsonObject) summary = vesicle_figure_load_summary (run_dir, "tradeoff", partial, error);
  JsonArray *groups;
  guint n;

  if (summary == NULL
      || !(groups = vesicle_figure_get_array (summary, "groups", run_dir, error)))
    return FALSE;
  n = json_array_get_length (groups);
  t->groups = g_array_sized_new (FALSE, TRUE, sizeof (Group), n);
  t->rhos = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (groups, i);
      JsonObject *o;
      Group g;
      gboolean known = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      g = (Group) {
        .rho = vesicle_json_get_double (o, "rho"),
        .c = vesicle_json_get_double (o, "c"),
        .hetero = g_strcmp0 (json_object_get_string_member_with_default (o, "setting", ""),
                             "hetero") == 0,
        .n = (guint) json_object_get_int_member_with_default (o, "n", 1),
        .accuracy = vesicle_json_get_double (o, "test_accuracy_mean"),
        .accuracy_sd = vesicle_json_get_double (o, "test_accuracy_sd"),
        .sigma = vesicle_json_get_double (o, "mean_sigma_mean"),
        .sigma_sd = vesicle_json_get_double (o, "mean_sigma_sd"),
        .cost = vesicle_json_get_double (o, "reliability_cost_mean"),
        .cost_sd = vesicle_json_get_double (o, "reliability_cost_sd"),
      };
      if (!isfinite (g.rho) || !isfinite (g.c))
        continue;
      g_array_append_val (t->groups, g);
      t->seeds |= g.n > 1;
      for (guint r = 0; r < t->rhos->len; r++)
        known |= g_array_index (t->rhos, double, r) == g.rho;
      if (!known)
        g_array_append_val (t->rhos, g.rho);
    }
  if (t->groups->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: \"groups\" holds no trained networks", run_dir);
      return FALSE;
    }
  g_array_sort (t->rhos, vesicle_compare_doubles);
  g_array_sort (t->groups, compare_group_c);
  return TRUE;
}

/* The groups of one column and setting, in order of c. */
static GArray *
select_groups (const Tradeoff *t,
               double          rho,
               gboolean        hetero)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Group));

  for (guint i = 0; i < t->groups->len; i++)
    {
      const Group *g = &g_array_index (t->groups, Group, i);

      if (g->rho == rho && g->hetero == hetero)
        g_array_append_val (out, *g);
    }
  return out;
}

typedef enum {
  VAR_C,
  VAR_ACCURACY,
  VAR_SIGMA,
  VAR_SIGMA2,
  VAR_COST,
} Variable;

static double
group_value (const Group *g,
             Variable     v,
             double      *sd)
{
  switch (v)
    {
    case VAR_C:
      *sd = NAN;
      return g->c;
    case VAR_ACCURACY:
      *sd = g->accuracy_sd;
      return g->accuracy;
    case VAR_SIGMA:
      *sd = g->sigma_sd;
      return g->sigma;
    case VAR_SIGMA2:
      /* d(sigma^2) = 2 sigma d(sigma) to first order */
      *sd = 2.0 * g->sigma * g->sigma_sd;
      return g->sigma * g->sigma;
    case VAR_COST:
      *sd = g->cost_sd;
      return g->cost;
    default:
      g_assert_not_reached ();
    }
}

/* One setting's curve in one panel: y against x over c, with +- 1 s.d. bars over seeds when
 * there are several. On a log y axis a bar reaching zero or below is cut at a tenth of the
 * point, so it still shows instead of being skipped. */
static void
add_curve (VesiclePanel   *panel,
           const Tradeoff *t,
           double          rho,
           gboolean        hetero,
           Variable        xv,
           Variable        yv,
           gboolean        log_y,
           const char     *legend)
{
  g_autoptr(GArray) groups = select_groups (t, rho, hetero);
  guint n = groups->len;
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  g_autofree double *lo = g_new (double, MAX (n, 1));
  g_autofree double *hi = g_new (double, MAX (n, 1));
  VesicleColor color = hetero ? VESICLE_COLOR_HETEROGENEOUS : VESICLE_COLOR_HOMOGENEOUS;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      const Group *g = &g_array_index (groups, Group, i);
      double unused, sd;

      x[i] = group_value (g, xv, &unused);
      y[i] = group_value (g, yv, &sd);
      if (!isfinite (sd) || g->n < 2)
        sd = 0.0;
      lo[i] = y[i] - sd;
      hi[i] = y[i] + sd;
      if (log_y && lo[i] <= 0.0)
        lo[i] = 0.1 * y[i];
    }
  vesicle_panel_add_errorbars (panel, x, y, t->seeds ? lo : NULL, t->seeds ? hi : NULL, n, color,
                               hetero ? VESICLE_MARKER_CIRCLE : VESICLE_MARKER_SQUARE, TRUE,
                               legend);
}

/* Both settings, grey under green. The legend goes in the top-right panel only: the plot puts
 * it inside where the data leave room, else outside to the right, and at the figure's right
 * edge that costs no space between columns. */
static void
add_settings (VesiclePanel   *panel,
              const Tradeoff *t,
              double          rho,
              Variable        xv,
              Variable        yv,
              gboolean        log_y,
              gboolean        legend)
{
  /* every series is named (the CSV export says which is which); one panel shows the legend */
  add_curve (panel, t, rho, FALSE, xv, yv, log_y, "homogeneous");
  add_curve (panel, t, rho, TRUE, xv, yv, log_y, "heterogeneous");
  vesicle_panel_set_legend (panel, legend);
}

static char *
rho_title (double      rho,
           const char *letter)
{
  g_autofree char *ratio = vesicle_format_ratio (rho);

  if (letter != NULL)
    return g_strdup_printf ("<b>%s</b>    ρ = %s", letter, ratio);
  return g_strdup_printf ("ρ = %s", ratio);
}

/* Accuracy limits shared by every accuracy panel of a figure, so columns and rows compare. */
static void
accuracy_limits (const Tradeoff *t,
                 double         *lo,
                 double         *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint i = 0; i < t->groups->len; i++)
    {
      const Group *g = &g_array_index (t->groups, Group, i);
      double sd = t->seeds && isfinite (g->accuracy_sd) ? g->accuracy_sd : 0.0;

      if (!isfinite (g->accuracy))
        continue;
      *lo = MIN (*lo, g->accuracy - sd);
      *hi = MAX (*hi, g->accuracy + sd);
    }
  if (!isfinite (*lo))
    {
      *lo = 0.0;
      *hi = 1.0;
      return;
    }
  /* a little room, never past the possible range */
  {
    double pad = 0.05 * MAX (*hi - *lo, 0.02);

    *lo = MAX (0.0, *lo - pad);
    *hi = MIN (1.0, *hi + pad);
  }
}

VesiclePlot *
vesicle_figure_build_fig2 (const char  *run_dir,
                           gboolean     partial,
                           GError     **error)
{
  g_auto(Tradeoff) t = { 0 };
  g_autoptr(VesiclePlot) plot = NULL;
  double acc_lo, acc_hi;

  if (!tradeoff_load (&t, run_dir, partial, error))
    return NULL;
  plot = vesicle_plot_new (2, t.rhos->len);
  /* the letters mark rows (a accuracy, b sigma), as in the paper, not panels */
  vesicle_plot_set_panel_letters (plot, FALSE);
  vesicle_plot_share_x_by_column (plot, TRUE);
  vesicle_plot_share_y_by_row (plot, TRUE);
  vesicle_plot_set_aspect (plot, 85.0 / 174.0);
  accuracy_limits (&t, &acc_lo, &acc_hi);

  for (guint r = 0; r < t.rhos->len; r++)
    {
      double rho = g_array_index (t.rhos, double, r);
      VesiclePanel *acc = vesicle_plot_get_panel (plot, 0, r);
      VesiclePanel *sigma = vesicle_plot_get_panel (plot, 1, r);
      g_autofree char *title = rho_title (rho, r == 0 ? "a" : NULL);
      g_autofree char *title_b = rho_title (rho, r == 0 ? "b" : NULL);

      vesicle_panel_set_title (acc, title);
      vesicle_panel_set_scales (acc, VESICLE_SCALE_LOG, VESICLE_SCALE_LINEAR);
      vesicle_panel_set_labels (acc, NULL, r == 0 ? "test accuracy" : NULL);
      vesicle_panel_set_y_limits (acc, acc_lo, acc_hi);
      add_settings (acc, &t, rho, VAR_C, VAR_ACCURACY, FALSE, r + 1 == t.rhos->len);

      /* every panel names its rho: a reflowed (narrow) figure moves rows apart */
      vesicle_panel_set_title (sigma, title_b);
      vesicle_panel_set_scales (sigma, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
      vesicle_panel_set_labels (sigma, "reliability cost multiplier <i>c</i>",
                                r == 0 ? "mean σ" : NULL);
      add_settings (sigma, &t, rho, VAR_C, VAR_SIGMA, TRUE, FALSE);
    }
  return g_steal_pointer (&plot);
}

VesiclePlot *
vesicle_figure_build_fig3 (const char  *run_dir,
                           gboolean     partial,
                           GError     **error)
{
  g_auto(Tradeoff) t = { 0 };
  g_autoptr(VesiclePlot) plot = NULL;
  double acc_lo, acc_hi;

  if (!tradeoff_load (&t, run_dir, partial, error))
    return NULL;
  plot = vesicle_plot_new (3, t.rhos->len);
  vesicle_plot_set_panel_letters (plot, FALSE);
  /* x is sigma in row a, sigma^2 in b and the cost in c, and b's cost scale grows with rho:
   * nothing is shared, but the accuracy rows get common limits below */
  vesicle_plot_set_aspect (plot, 120.0 / 174.0);
  accuracy_limits (&t, &acc_lo, &acc_hi);

  for (guint r = 0; r < t.rhos->len; r++)
    {
      double rho = g_array_index (t.rhos, double, r);
      VesiclePanel *a = vesicle_plot_get_panel (plot, 0, r);
      VesiclePanel *b = vesicle_plot_get_panel (plot, 1, r);
      VesiclePanel *c = vesicle_plot_get_panel (plot, 2, r);
      g_autofree char *title = rho_title (rho, r == 0 ? "a" : NULL);
      g_autofree char *title_b = rho_title (rho, r == 0 ? "b" : NULL);
      g_autofree char *title_c = rho_title (rho, r == 0 ? "c" : NULL);

      vesicle_panel_set_title (a, title);
      vesicle_panel_set_scales (a, VESICLE_SCALE_LOG, VESICLE_SCALE_LINEAR);
      vesicle_panel_set_labels (a, "mean σ", r == 0 ? "test accuracy" : NULL);
      vesicle_panel_set_y_limits (a, acc_lo, acc_hi);
      add_settings (a, &t, rho, VAR_SIGMA, VAR_ACCURACY, FALSE, r + 1 == t.rhos->len);

      /* every panel names its rho: a reflowed (narrow) figure moves rows apart */
      vesicle_panel_set_title (b, title_b);
      vesicle_panel_set_scales (b, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
      vesicle_panel_set_labels (b, "σ<sup>2</sup>",
                                r == 0 ? "reliability cost (<i>s</i> = 1)" : NULL);
      add_settings (b, &t, rho, VAR_SIGMA2, VAR_COST, TRUE, FALSE);

      vesicle_panel_set_title (c, title_c);
      vesicle_panel_set_scales (c, VESICLE_SCALE_LOG, VESICLE_SCALE_LINEAR);
      vesicle_panel_set_labels (c, "reliability cost (<i>s</i> = 1)",
                                r == 0 ? "test accuracy" : NULL);
      vesicle_panel_set_y_limits (c, acc_lo, acc_hi);
      add_settings (c, &t, rho, VAR_COST, VAR_ACCURACY, FALSE, FALSE);
    }
  return g_steal_pointer (&plot);
}
