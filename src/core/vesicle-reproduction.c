/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reproduction's table (see vesicle-reproduction.h): each row quotes or closely paraphrases
 * one claim of the paper, states the rule that tests it on one measured number, and the verdict
 * follows from the rule mechanically (vesicle_rule_judge). Claims in words (accuracy falls with
 * c, a slope is negative) are judged as such: a sign on the whole 95% interval of a fit, a
 * direction on means over seeds. An analytic value the paper draws beside its data without
 * claiming a match is a reference row (no tick, the ratio shown). A ✗ keeps its reason.
 */
#include "vesicle-reproduction-private.h"
#include "vesicle-experiment-record.h"
#include "vesicle-format.h"
#include "vesicle-json.h"
#include "vesicle-fit.h"

#include <math.h>
#include <string.h>

static const VesicleExperimentType *const run_order[] = {
  &vesicle_experiment_costs,
  &vesicle_experiment_predictive,
  &vesicle_experiment_bayes,
  &vesicle_experiment_zero_hidden,
  &vesicle_experiment_importance,
  &vesicle_experiment_tradeoff,
};

const VesicleExperimentType *const *
vesicle_reproduction_experiments (guint *n)
{
  *n = G_N_ELEMENTS (run_order);
  return run_order;
}

void
vesicle_reproduction_row_free (VesicleReproductionRow *row)
{
  if (row == NULL)
    return;
  g_free (row->figure);
  g_free (row->claim);
  g_free (row->rule);
  g_free (row->measured);
  g_free (row->source);
  g_free (row->reason);
  g_free (row);
}

/* ---- rules ----------------------------------------------------------------------------------- */

VesicleVerdict
vesicle_rule_judge (VesicleRule rule,
                    double      value)
{
  gboolean holds;

  if (rule.kind == VESICLE_RULE_NONE)
    return VESICLE_VERDICT_REFERENCE;
  if (!isfinite (value))
    return VESICLE_VERDICT_DISAGREES;
  switch (rule.kind)
    {
    case VESICLE_RULE_BELOW:   holds = value < rule.a; break;
    case VESICLE_RULE_ABOVE:   holds = value > rule.a; break;
    case VESICLE_RULE_BETWEEN: holds = value > rule.a && value < rule.b; break;
    case VESICLE_RULE_WITHIN:  holds = fabs (value - rule.a) <= rule.b; break;
    case VESICLE_RULE_EQUAL:   holds = value == rule.a; break;
    default:                   g_assert_not_reached ();
    }
  return holds ? VESICLE_VERDICT_AGREES : VESICLE_VERDICT_DISAGREES;
}

char *
repro_number (double value)
{
  g_autofree char *text = vesicle_format_double ('g', 3, value);

  return vesicle_format_real_minus (text);
}

char *
vesicle_rule_text (VesicleRule  rule,
                   const char  *quantity)
{
  g_autofree char *a = repro_number (rule.a);
  g_autofree char *b = repro_number (rule.b);

  switch (rule.kind)
    {
    case VESICLE_RULE_NONE:    return g_strdup_printf ("none: %s is shown for reference", quantity);
    case VESICLE_RULE_BELOW:   return g_strdup_printf ("%s &lt; %s", quantity, a);
    case VESICLE_RULE_ABOVE:   return g_strdup_printf ("%s &gt; %s", quantity, a);
    case VESICLE_RULE_BETWEEN: return g_strdup_printf ("%s &lt; %s &lt; %s", a, quantity, b);
    case VESICLE_RULE_WITHIN:  return g_strdup_printf ("|%s %s %s| ≤ %s", quantity,
                                                       rule.a < 0 ? "+" : VESICLE_MINUS,
                                                       rule.a < 0 ? (a + strlen (VESICLE_MINUS))
                                                                  : a, b);
    case VESICLE_RULE_EQUAL:   return g_strdup_printf ("%s = %s", quantity, a);
    default:                   g_assert_not_reached ();
    }
}

/* ---- rows ------------------------------------------------------------------------------------ */

const VesicleRule repro_reference = { VESICLE_RULE_NONE, 0, 0 };

/* A row judged by @rule on @value; @reason (taken, may be NULL) is kept only for a ✗. */
void
repro_add_row (Table       *t,
               const char  *figure,
               char        *claim,       /* taken */
               VesicleRule  rule,
               const char  *quantity,    /* what the rule is about, for its text */
               double       value,
               char        *measured,    /* taken */
               char        *reason)      /* taken */
{
  VesicleReproductionRow *row = g_new0 (VesicleReproductionRow, 1);

  row->figure = g_strdup (figure);
  row->claim = claim;
  row->rule = vesicle_rule_text (rule, quantity);
  row->measured = measured;
  row->source = g_strdup (t->source);
  row->verdict = vesicle_rule_judge (rule, value);
  if (row->verdict == VESICLE_VERDICT_DISAGREES)
    row->reason = reason ? reason : g_strdup (isfinite (value) ? "not explained"
                                                               : "nothing finite was measured");
  else
    g_free (reason);
  g_ptr_array_add (t->rows, row);
}

/* A claim this experiment cannot test at its preset, with why. */
void
repro_add_untested (Table      *t,
                    const char *figure,
                    char       *claim,    /* taken */
                    char       *why)      /* taken */
{
  VesicleReproductionRow *row = g_new0 (VesicleReproductionRow, 1);

  row->figure = g_strdup (figure);
  row->claim = claim;
  row->rule = g_strdup ("–");
  row->measured = g_strdup ("–");
  row->source = g_strdup (t->source);
  row->reason = why;
  row->verdict = VESICLE_VERDICT_UNTESTED;
  g_ptr_array_add (t->rows, row);
}


/* @value to @decimals places, or to three significant digits where those places would round a
 * nonzero value to zero: a bound judged "above 0" must not print as 0.000 */
char *
repro_signed_text (double value,
                   int    decimals)
{
  if (!isfinite (value))
    return g_strdup ("–");
  if (value != 0 && fabs (value) < 0.5 * pow (10, -decimals))
    return repro_number (value);
  return vesicle_format_signed (value, decimals);
}

/* "−0.37 [−0.38, −0.36]": a fit's slope with its 95% interval */
char *
repro_slope_text (JsonObject *fit)
{
  g_autofree char *s = repro_signed_text (vesicle_json_get_double (fit, "slope"), 3);
  g_autofree char *lo = repro_signed_text (vesicle_json_get_double (fit, "ci_low"), 3);
  g_autofree char *hi = repro_signed_text (vesicle_json_get_double (fit, "ci_high"), 3);

  if (!isfinite (vesicle_json_get_double (fit, "ci_low")))
    return g_strdup (s);
  return g_strdup_printf ("%s [%s, %s]", s, lo, hi);
}

/* ---- over seeds ------------------------------------------------------------------------------ */

/* An experiment repeated once per seed keeps the first seed's results at the top of its summary
 * and each further seed's, alike, in "replicates": seed_copy (summary, 0) is the summary. */
guint
repro_seed_count (JsonObject *summary)
{
  JsonArray *replicates = vesicle_json_get_array (summary, "replicates");

  return 1 + (replicates ? json_array_get_length (replicates) : 0);
}

JsonObject *
repro_seed_copy (JsonObject *summary,
                 guint       i)
{
  return i == 0 ? summary
                : vesicle_json_array_get_object (vesicle_json_get_array (summary, "replicates"),
                                                 i - 1);
}

/* One fit per seed (NULL where a seed lacks it) as one: the mean slope with its 95% interval over
 * the seeds ("n_seeds"), and likewise "all_layers" where every seed has it; the other members
 * (analytic, rho, ...) from the first. With one seed, that seed's fit itself, whose interval is
 * over synapses. NULL when no seed has the fit. */
JsonObject *
repro_over_seeds (JsonObject **fits,
                  guint        n)
{
  double slopes[REPRO_MAX_SEEDS];
  JsonObject *first = NULL, *out;
  g_autoptr(GList) members = NULL;
  guint used = 0, n_all = 0;
  JsonObject *all[REPRO_MAX_SEEDS];
  double mean, lo, hi;

  for (guint i = 0; i < n && i < REPRO_MAX_SEEDS; i++)
    if (fits[i])
      {
        first = first ? first : fits[i];
        slopes[used] = vesicle_json_get_double (fits[i], "slope");
        if ((all[n_all] = vesicle_json_get_object (fits[i], "all_layers")))
          n_all++;
        used++;
      }
  if (first == NULL)
    return NULL;
  if (used == 1)
    return json_object_ref (first);
  out = json_object_new ();
  members = json_object_get_members (first);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (out, l->data,
                            json_node_copy (json_object_get_member (first, l->data)));
  vesicle_mean_interval (slopes, used, &mean, &lo, &hi);
  json_object_set_double_member (out, "slope", mean);
  json_object_set_double_member (out, "ci_low", lo);
  json_object_set_double_member (out, "ci_high", hi);
  json_object_set_int_member (out, "n_seeds", used);
  if (n_all == used)
    json_object_set_object_member (out, "all_layers", repro_over_seeds (all, n_all));
  else
    json_object_remove_member (out, "all_layers");
  return out;
}

/* "; mean and 95% interval over 3 seeds", or nothing for one seed (the interval is the fit's) */
const char *
repro_seeds_note (JsonObject *fit,
                  char      **text)
{
  gint64 n = fit ? vesicle_json_get_int (fit, "n_seeds", 1) : 1;

  *text = n > 1 ? g_strdup_printf ("; means and 95%% intervals over %" G_GINT64_FORMAT " seeds",
                                   n)
                : g_strdup ("");
  return *text;
}

/* "0.893 ± 0.015": a mean over seeds with its standard deviation */
static char *
mean_sd_text (JsonObject *group,
              const char *what,
              int         decimals)
{
  g_autofree char *mean_key = g_strdup_printf ("%s_mean", what);
  g_autofree char *sd_key = g_strdup_printf ("%s_sd", what);
  double mean = vesicle_json_get_double (group, mean_key);
  double sd = vesicle_json_get_double (group, sd_key);

  /* one seed has no spread to state */
  if (!isfinite (sd) || vesicle_json_get_int (group, "n", 0) < 2)
    return g_strdup_printf ("%.*f", decimals, mean);
  return g_strdup_printf ("%.*f ± %.*f", decimals, mean, decimals, sd);
}

/* ---- Fig 1: the costs ------------------------------------------------------------------------- */

static void
costs_rows (Table      *t,
            JsonObject *summary)
{
  JsonArray *costs = vesicle_json_get_array (summary, "costs");
  JsonArray *exact = vesicle_json_get_array (summary, "trafficking_exact");

  for (guint i = 0; costs && i < json_array_get_length (costs); i++)
    {
      JsonObject *c = vesicle_json_array_get_object (costs, i);
      double rho = vesicle_json_get_double (c, "rho");
      double slope = vesicle_json_get_double (c, "fitted_slope");
      g_autofree char *ratio = vesicle_format_ratio (rho);
      const char *mechanism = vesicle_json_get_string (c, "mechanism");

      repro_add_row (t, "Fig 1c",
                     g_strdup_printf ("The %s cost falls as σ<sup>%s%s</sup>",
                                      mechanism ? mechanism : "?", VESICLE_MINUS, ratio),
                     (VesicleRule) { VESICLE_RULE_WITHIN, -rho, 0.01 }, "log-log slope", slope,
                     repro_signed_text (slope, 4), NULL);
    }
  if (exact && json_array_get_length (exact) > 0)
    {
      JsonObject *e = vesicle_json_array_get_object (exact, 0);
      double p = vesicle_json_get_double (e, "p");
      double local = vesicle_json_get_double (e, "local_slope");
      double analytic = vesicle_json_get_double (e, "analytic_local_slope");

      repro_add_row (t, "Eq. 18",
                     g_strdup_printf ("The exact trafficking cost approaches σ<sup>%s2</sup> as "
                                      "p → 0 (its local slope at p = %g)", VESICLE_MINUS, p),
                     (VesicleRule) { VESICLE_RULE_WITHIN, analytic, 0.01 }, "local slope", local,
                     repro_signed_text (local, 4), NULL);
    }
}

/* ---- Fig 4: two synapses ---------------------------------------------------------------------- */

static void
two_synapse_rows (Table      *t,
                  JsonObject *summary)
{
  JsonObject *two = vesicle_json_get_object (summary, "two_synapse");
  JsonArray *costs = two ? vesicle_json_get_array (two, "costs") : NULL;
  double worst_ratio = -INFINITY, worst_eq29 = 0;
  g_autoptr(GString) ratios = g_string_new (NULL);
  guint n = costs ? json_array_get_length (costs) : 0;

  if (n == 0)
    return;
  for (guint k = 0; k < n; k++)
    {
      JsonObject *e = vesicle_json_array_get_object (costs, k);
      double ratio = vesicle_json_get_double (e, "performance_hetero")
                     / vesicle_json_get_double (e, "performance_matched");
      g_autofree char *r = vesicle_format_ratio (vesicle_json_get_double (e, "rho"));

      worst_ratio = MAX (worst_ratio, ratio);
      for (guint i = 0; i < 2; i++)
        worst_eq29 = MAX (worst_eq29,
                          fabs (vesicle_json_get_double_element (e, "sigma_hetero", i)
                                / vesicle_json_get_double_element (e, "sigma_analytic", i) - 1));
      g_string_append_printf (ratios, "%sρ = %s: %.2f", k ? ", " : "", r, ratio);
    }
  repro_add_row (t, "Fig 4d",
                 g_strdup ("“for the same overall reliability cost, heterogeneous, optimised "
                           "variability can achieve much lower performance costs” (two synapses, "
                           "curvatures 16 and 1)"),
                 (VesicleRule) { VESICLE_RULE_BELOW, 1, 0 },
                 "the largest, over the four costs, of optimised / homogeneous performance cost",
                 worst_ratio, g_strdup (ratios->str), NULL);
  {
    g_autofree char *worst = repro_number (worst_eq29);

    repro_add_row (t, "Eq. 29",
                   g_strdup ("the optimised noise satisfies σ<sup>ρ+2</sup> = cρ/h: Adam's optimum of "
                             "the two-synapse objective"),
                   (VesicleRule) { VESICLE_RULE_BELOW, 1e-3, 0 },
                   "the largest relative deviation from Eq 29", worst_eq29,
                   g_strdup_printf ("%s over both synapses and the four costs", worst), NULL);
  }
}

/* ---- Figs 2 and 3: the tradeoff --------------------------------------------------------------- */

static int
compare_by_c (gconstpointer a,
              gconstpointer b,
              gpointer      groups)
{
  double ca = vesicle_json_get_double (vesicle_json_array_get_object (groups, *(const guint *) a), "c");
  double cb = vesicle_json_get_double (vesicle_json_array_get_object (groups, *(const guint *) b), "c");

  return (ca > cb) - (ca < cb);
}

/* Groups of one (rho, setting) in order of c. */
static GArray *
group_curve (JsonArray  *groups,
             double      rho,
             const char *setting)
{
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = vesicle_json_array_get_object (groups, i);

      if (g && vesicle_json_get_double (g, "rho") == rho
          && g_strcmp0 (vesicle_json_get_string (g, "setting"), setting) == 0)
        g_array_append_val (idx, i);
    }
  g_array_sort_with_data (idx, compare_by_c, groups);
  return idx;
}

/* Why a (rho, setting) curve whose sigma did not respond to c fails its rows: NULL when it did
 * respond. The mechanism is measured (docs/reproduction.md, "The rho = 2 stall"). */
static char *
stall_reason (JsonArray *groups,
              GArray    *curve,
              double     rho)
{
  double lo = INFINITY, hi = -INFINITY;
  g_autofree char *lo_text = NULL, *hi_text = NULL, *exponent = NULL;

  for (guint i = 0; i < curve->len; i++)
    {
      double s = vesicle_json_get_double (vesicle_json_array_get_object (groups,
                                            g_array_index (curve, guint, i)), "mean_sigma_mean");

      lo = MIN (lo, s);
      hi = MAX (hi, s);
    }
  if (curve->len < 2 || !(hi / lo < REPRO_STALL_SPAN))
    return NULL;
  lo_text = repro_number (lo);
  hi_text = repro_number (hi);
  exponent = vesicle_format_ratio (rho + 1);
  return g_strdup_printf ("a stall: every c ends at mean σ %s to %s. While σ is small the cost's "
                          "gradient, ∝ c σ<sup>−%s</sup>, dwarfs the data's, and Adam divides a "
                          "gradient's scale out, so every c follows one path and σ is still "
                          "climbing at Adam's pace when training ends. A larger σ start avoids it "
                          "(docs/reproduction.md)", lo_text, hi_text, exponent);
}

static void
tradeoff_rho_rows (Table     *t,
                   JsonArray *groups,
                   double     rho)
{
  g_autofree char *ratio = vesicle_format_ratio (rho);
  g_autoptr(GArray) het = group_curve (groups, rho, "hetero");
  g_autoptr(GArray) hom = group_curve (groups, rho, "homo");
  g_autoptr(GArray) sigma_ratios = g_array_new (FALSE, FALSE, sizeof (double));
  double acc_diff_sum = 0, acc_diff_min = INFINITY, c_at_min = NAN;
  guint n_pairs = 0, n_seeds;
  JsonObject *lo, *hi;
  g_autofree char *stalled = NULL;

  if (het->len < 2)
    return;
  stalled = stall_reason (groups, het, rho);
  lo = vesicle_json_array_get_object (groups, g_array_index (het, guint, 0));
  hi = vesicle_json_array_get_object (groups, g_array_index (het, guint, het->len - 1));
  n_seeds = vesicle_json_get_int (lo, "n", 0);
  {
    g_autofree char *c0 = vesicle_format_value_markup (vesicle_json_get_double (lo, "c"));
    g_autofree char *c1 = vesicle_format_value_markup (vesicle_json_get_double (hi, "c"));
    g_autofree char *a0 = mean_sd_text (lo, "test_accuracy", 3);
    g_autofree char *a1 = mean_sd_text (hi, "test_accuracy", 3);
    g_autofree char *s0 = mean_sd_text (lo, "mean_sigma", 3);
    g_autofree char *s1 = mean_sd_text (hi, "mean_sigma", 3);
    g_autofree char *quantity = g_strdup_printf ("accuracy at c = %s %s accuracy at c = %s", c1,
                                                 VESICLE_MINUS, c0);
    g_autofree char *s_quantity = g_strdup_printf ("mean σ at c = %s / mean σ at c = %s (a rise "
                                                   "of more than a tenth)", c1, c0);
    g_autofree char *over = n_seeds > 1 ? g_strdup_printf ("mean ± s.d. over %u seeds", n_seeds)
                                        : g_strdup ("one seed");

    repro_add_row (t, "Fig 2a",
                   g_strdup_printf ("“as c increased, performance fell” (ρ = %s, heterogeneous)",
                                    ratio),
                   (VesicleRule) { VESICLE_RULE_BELOW, 0, 0 }, quantity,
                   vesicle_json_get_double (hi, "test_accuracy_mean")
                   - vesicle_json_get_double (lo, "test_accuracy_mean"),
                   g_strdup_printf ("%s → %s (%s)", a0, a1, over),
                   g_strdup (stalled));
    repro_add_row (t, "Fig 2b",
                   g_strdup_printf ("“the average synaptic standard deviation increased” as c "
                                    "increased (ρ = %s, heterogeneous)", ratio),
                   (VesicleRule) { VESICLE_RULE_ABOVE, REPRO_STALL_SPAN, 0 }, s_quantity,
                   vesicle_json_get_double (hi, "mean_sigma_mean")
                   / vesicle_json_get_double (lo, "mean_sigma_mean"),
                   g_strdup_printf ("%s → %s (%s)", s0, s1, over),
                   stalled ? g_strdup (stalled)
                           : g_strdup ("the noise rose by less than a tenth over the whole range of c"));
  }

  /* the same c in both settings */
  for (guint i = 0; i < het->len; i++)
    for (guint j = 0; j < hom->len; j++)
      {
        JsonObject *a = vesicle_json_array_get_object (groups, g_array_index (het, guint, i));
        JsonObject *b = vesicle_json_array_get_object (groups, g_array_index (hom, guint, j));
        double diff, sigma_ratio;

        if (vesicle_json_get_double (a, "c") != vesicle_json_get_double (b, "c"))
          continue;
        diff = vesicle_json_get_double (a, "test_accuracy_mean")
               - vesicle_json_get_double (b, "test_accuracy_mean");
        sigma_ratio = vesicle_json_get_double (a, "mean_sigma_mean")
                      / vesicle_json_get_double (b, "mean_sigma_mean");
        acc_diff_sum += diff;
        if (diff < acc_diff_min)
          {
            acc_diff_min = diff;
            c_at_min = vesicle_json_get_double (a, "c");
          }
        g_array_append_val (sigma_ratios, sigma_ratio);
        n_pairs++;
      }
  if (n_pairs == 0)
    return;
  {
    g_autofree char *mean_diff = repro_signed_text (acc_diff_sum / n_pairs, 3);
    g_autofree char *min_diff = repro_signed_text (acc_diff_min, 3);
    g_autofree char *c_min = vesicle_format_value_markup (c_at_min);

    repro_add_row (t, "Fig 2a",
                   g_strdup_printf ("“heterogeneous noise … improved accuracy considerably for a fixed "
                                    "value of c” (ρ = %s)", ratio),
                   (VesicleRule) { VESICLE_RULE_ABOVE, 0, 0 },
                   "accuracy, heterogeneous − homogeneous, at every c", acc_diff_min,
                   g_strdup_printf ("%s on average over %u values of c; least %s at c = %s", mean_diff,
                                    n_pairs, min_diff, c_min),
                   stalled ? g_strdup (stalled)
                           : g_strdup_printf ("at c = %s the homogeneous networks are as accurate or "
                                              "more", c_min));
  }
  {
    double median;
    g_autofree char *lowest = NULL, *highest = NULL, *median_text = NULL;

    /* sorts them too: the lowest and highest are the ends */
    median = vesicle_median ((double *) (gpointer) sigma_ratios->data, sigma_ratios->len);
    /* enough decimals to show which side of the rule's bounds it lies: 0.9997 is below 1, and
     * printed as "1.00" it would read as a tick against its own rule */
    {
      int decimals = 2;

      while (decimals < 6 && (fabs (median - 1.0) < 0.5 * pow (10.0, -decimals)
                              || fabs (median - 0.5) < 0.5 * pow (10.0, -decimals)))
        decimals++;
      median_text = g_strdup_printf ("%.*f", decimals, median);
    }
    lowest = g_strdup_printf ("%.2f", g_array_index (sigma_ratios, double, 0));
    highest = g_strdup_printf ("%.2f", g_array_index (sigma_ratios, double, sigma_ratios->len - 1));
    repro_add_row (t, "Fig 2b",
                   g_strdup_printf ("heterogeneous noise “only reduced the average noise slightly” "
                                    "(ρ = %s)", ratio),
                   (VesicleRule) { VESICLE_RULE_BETWEEN, 0.5, 1 },
                   "median over c of heterogeneous mean σ / homogeneous mean σ", median,
                   g_strdup_printf ("%s (from %s to %s over %u values of c)", median_text, lowest,
                                    highest, n_pairs),
                   stalled ? g_strdup (stalled)
                   : median >= 1
                   ? g_strdup ("a genuine disagreement at this preset: the heterogeneous mean σ is "
                               "not below the homogeneous σ")
                   : g_strdup ("heterogeneous noise reduced the mean σ by more than half"));
  }
}

static void
tradeoff_rows (Table      *t,
               JsonObject *summary)
{
  JsonArray *groups = vesicle_json_get_array (summary, "groups");
  g_autoptr(GArray) rhos = g_array_new (FALSE, FALSE, sizeof (double));

  if (groups == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      double rho = vesicle_json_get_double (vesicle_json_array_get_object (groups, i), "rho");
      gboolean seen = FALSE;

      for (guint j = 0; j < rhos->len; j++)
        seen |= g_array_index (rhos, double, j) == rho;
      if (!seen && isfinite (rho))
        g_array_append_val (rhos, rho);
    }
  g_array_sort (rhos, vesicle_compare_doubles);
  for (guint r = 0; r < rhos->len; r++)
    tradeoff_rho_rows (t, groups, g_array_index (rhos, double, r));
}

/* ---- Appendix 4: predictive distributions ----------------------------------------------------- */

static void
predictive_rows (Table      *t,
                 JsonObject *summary)
{
  JsonArray *networks = vesicle_json_get_array (summary, "networks");
  double smallest_s = INFINITY;

  for (guint k = 0; networks && k < json_array_get_length (networks); k++)
    {
      JsonObject *n = vesicle_json_array_get_object (networks, k);

      if (g_strcmp0 (vesicle_json_get_string (n, "kind"), "vb") != 0)
        smallest_s = MIN (smallest_s, vesicle_json_get_double (n, "s"));
    }
  for (guint k = 0; networks && k < json_array_get_length (networks); k++)
    {
      JsonObject *n = vesicle_json_array_get_object (networks, k);
      JsonObject *width = vesicle_json_get_object (n, "width");
      double inside = vesicle_json_get_double (width, "inside");
      double outside = vesicle_json_get_double (width, "outside");
      double gap = vesicle_json_get_double (width, "gap");
      double extrapolation = vesicle_json_get_double (width, "extrapolation");
      g_autofree char *in_text = repro_number (inside), *out_text = repro_number (outside);
      g_autofree char *gap_text = repro_number (gap), *ex_text = repro_number (extrapolation);

      if (g_strcmp0 (vesicle_json_get_string (n, "kind"), "vb") == 0)
        {
          repro_add_row (t, "App 4a",
                         g_strdup ("variational Bayes: “Where there is an absence of data, the model "
                                   "has to extrapolate and the spread of the predictive distribution "
                                   "increases”: beyond the data"),
                         (VesicleRule) { VESICLE_RULE_ABOVE, 1, 0 },
                         "2 s.d. band width beyond the data / within it", extrapolation / inside,
                         g_strdup_printf ("%s beyond, %s within", ex_text, in_text), NULL);
          repro_add_row (t, "App 4a",
                         g_strdup ("variational Bayes, the same claim between the two clusters of "
                                   "data"),
                         (VesicleRule) { VESICLE_RULE_ABOVE, 1, 0 },
                         "band width in the gap between the clusters / within them", gap / inside,
                         g_strdup_printf ("%s in the gap, %s within", gap_text, in_text),
                         g_strdup ("a genuine disagreement: between the clusters the band is narrower "
                                   "than within them; only beyond the data does it widen"));
        }
      else
        {
          double s = vesicle_json_get_double (n, "s");
          g_autofree char *r = vesicle_format_ratio (vesicle_json_get_double (n, "rho"));
          g_autofree char *s_text = vesicle_format_value_markup (s);

          if (s == smallest_s)
            repro_add_row (t, "App 4b",
                           g_strdup_printf ("efficient, small c (ρ = %s, s = %s): “the spread of "
                                            "predictive distribution is unrelated to the presence or "
                                            "absence of data”", r, s_text),
                           (VesicleRule) { VESICLE_RULE_BETWEEN, 0.8, 1.25 },
                           "band width away from the data / within it", outside / inside,
                           g_strdup_printf ("%s away, %s within", out_text, in_text),
                           g_strdup_printf ("the band is %s away from the data than within it by "
                                            "more than a quarter at this c",
                                            outside > inside ? "wider" : "narrower"));
          else
            repro_add_row (t, "App 4b",
                           g_strdup_printf ("efficient, larger c (ρ = %s, s = %s): the predictive "
                                            "density does “vary according to the presence or absence "
                                            "of data”", r, s_text),
                           (VesicleRule) { VESICLE_RULE_ABOVE, 1, 0 },
                           "band width away from the data / within it", outside / inside,
                           g_strdup_printf ("%s away, %s within", out_text, in_text), NULL);
        }
    }
}

/* "tradeoff, quick preset, bundled MNIST subset (max_train 2,000)" */
static char *
source_of (const VesicleExperimentRecord *rec)
{
  const char *dataset = vesicle_json_get_string (rec->config, "dataset");
  gint64 max_train = vesicle_json_get_int (rec->config, "max_train", 0);
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_printf (s, "%s, %s preset", rec->type_name, rec->preset ? rec->preset : "custom");
  if (rec->type && rec->type->uses_dataset)
    {
      if (dataset == NULL || *dataset == '\0' || g_str_equal (dataset, "bundled"))
        g_string_append (s, ", the bundled MNIST subset");
      else
        {
          g_autofree char *base = g_path_get_basename (dataset);
          g_autofree char *escaped = g_markup_escape_text (base, -1);

          g_string_append_printf (s, ", %s", escaped);
        }
      if (max_train > 0)
        {
          g_autofree char *count = vesicle_format_count (max_train);

          g_string_append_printf (s, " (%s training examples)", count);
        }
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

GPtrArray *
vesicle_reproduction_rows (const char  *dir,
                           GPtrArray   *missing,
                           GError     **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_reproduction_row_free);
  guint n;
  /* the table follows the paper: Fig 1, Fig 2, Fig 5 and App 6, Fig 7, App 4, App 5 */
  const VesicleExperimentType *const *order = vesicle_experiment_paper_types (&n);
  Table table = { rows, NULL };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, order[i]->name, NULL);
      g_autoptr(VesicleExperimentRecord) rec = NULL;
      g_autoptr(JsonObject) summary = NULL;
      g_autofree char *source = NULL;

      if (!g_file_test (sub, G_FILE_TEST_IS_DIR))
        {
          if (missing)
            g_ptr_array_add (missing, g_strdup (order[i]->name));
          continue;
        }
      if (!(rec = vesicle_experiment_record_load (sub, error)))
        return NULL;
      if (rec->status != VESICLE_RUN_COMPLETED)
        {
          if (missing)
            g_ptr_array_add (missing, g_strdup_printf ("%s (%s)", order[i]->name,
                                                       vesicle_run_status_to_string (rec->status)));
          continue;
        }
      if (!(summary = vesicle_experiment_record_load_summary (rec, error)))
        return NULL;
      source = source_of (rec);
      table.source = source;
      if (order[i] == &vesicle_experiment_costs)
        {
          costs_rows (&table, summary);
          two_synapse_rows (&table, summary);
        }
      else if (order[i] == &vesicle_experiment_tradeoff)
        tradeoff_rows (&table, summary);
      else if (order[i] == &vesicle_experiment_importance)
        repro_importance_rows (&table, summary);
      else if (order[i] == &vesicle_experiment_zero_hidden)
        {
          repro_zero_hidden_rows (&table, summary);
          repro_experimental_data_rows (&table);
        }
      else if (order[i] == &vesicle_experiment_bayes)
        repro_bayes_rows (&table, summary);
      else if (order[i] == &vesicle_experiment_predictive)
        predictive_rows (&table, summary);
    }
  return g_steal_pointer (&rows);
}

/* A table cell: one line, with '|' escaped. */
static void
append_cell (GString    *out,
             const char *markup)
{
  g_string_append (out, " ");
  for (const char *p = markup; *p; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '\n')
        g_string_append (out, "<br>");
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, " |");
}

const char *
vesicle_reproduction_verdict_symbol (VesicleVerdict verdict)
{
  switch (verdict)
    {
    case VESICLE_VERDICT_AGREES:    return "✓";
    case VESICLE_VERDICT_DISAGREES: return "✗";
    case VESICLE_VERDICT_REFERENCE: return "○";
    case VESICLE_VERDICT_UNTESTED:  return "–";
    default:                        g_assert_not_reached ();
    }
}

char *
vesicle_reproduction_markdown (GPtrArray *rows)
{
  GString *out = g_string_new ("| | Figure | The paper's claim | Rule | Measured | Source |\n"
                               "|---|---|---|---|---|---|\n");

  for (guint i = 0; i < rows->len; i++)
    {
      VesicleReproductionRow *row = g_ptr_array_index (rows, i);
      g_autofree char *measured = row->reason
        ? g_strdup_printf ("%s<br><i>%s: %s</i>", row->measured,
                           row->verdict == VESICLE_VERDICT_UNTESTED ? "Untested" : "Why",
                           row->reason)
        : g_strdup (row->measured);

      g_string_append (out, "|");
      append_cell (out, vesicle_reproduction_verdict_symbol (row->verdict));
      append_cell (out, row->figure);
      append_cell (out, row->claim);
      append_cell (out, row->rule);
      append_cell (out, measured);
      append_cell (out, row->source);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
