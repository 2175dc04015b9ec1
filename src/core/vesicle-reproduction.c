/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reproduction's table (see vesicle-reproduction.h): for each figure, what the paper
 * reports or predicts and what the saved experiment measured. Claims the paper makes in words
 * (accuracy falls with c, slopes are negative) are checked as such; analytic slopes are given
 * as numbers beside the fitted ones with their 95% intervals.
 */
#include "vesicle-reproduction.h"
#include "vesicle-experiment-record.h"
#include "vesicle-format.h"
#include "vesicle-json.h"

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
  g_free (row->quantity);
  g_free (row->paper);
  g_free (row->measured);
  g_free (row);
}

static void
add_row (GPtrArray  *rows,
         const char *figure,
         gboolean    agrees,
         char       *quantity,     /* taken */
         char       *paper,        /* taken */
         char       *measured)     /* taken */
{
  VesicleReproductionRow *row = g_new0 (VesicleReproductionRow, 1);

  row->figure = g_strdup (figure);
  row->quantity = quantity;
  row->paper = paper;
  row->measured = measured;
  row->agrees = agrees;
  g_ptr_array_add (rows, row);
}

static char *
signed_text (double value,
             int    decimals)
{
  return isfinite (value) ? vesicle_format_signed (value, decimals) : g_strdup ("–");
}

/* "−0.37 [−0.38, −0.36]" */
static char *
slope_text (JsonObject *fit)
{
  g_autofree char *s = signed_text (vesicle_json_get_double (fit, "slope"), 3);
  g_autofree char *lo = signed_text (vesicle_json_get_double (fit, "ci_low"), 3);
  g_autofree char *hi = signed_text (vesicle_json_get_double (fit, "ci_high"), 3);

  if (!isfinite (vesicle_json_get_double (fit, "ci_low")))
    return g_strdup (s);
  return g_strdup_printf ("%s [%s, %s]", s, lo, hi);
}

/* ---- one function per experiment ------------------------------------------------------------- */

static void
costs_rows (JsonObject *summary,
            GPtrArray  *rows)
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

      add_row (rows, "Fig 1c", fabs (slope + rho) < 0.01,
               g_strdup_printf ("Log-log slope of the %s cost against σ",
                                mechanism ? mechanism : "?"),
               g_strdup_printf ("%s%s", VESICLE_MINUS, ratio), signed_text (slope, 4));
    }
  if (exact && json_array_get_length (exact) > 0)
    {
      JsonObject *e = vesicle_json_array_get_object (exact, 0);
      double p = vesicle_json_get_double (e, "p");
      double local = vesicle_json_get_double (e, "local_slope");
      double analytic = vesicle_json_get_double (e, "analytic_local_slope");
      g_autofree char *predicted = signed_text (analytic, 4);

      add_row (rows, "Fig 1c", fabs (local - analytic) < 0.01,
               g_strdup_printf ("Exact trafficking cost (Eq. 18), local slope at p = %g", p),
               g_strdup_printf ("%s2 as p → 0 (here %s)", VESICLE_MINUS, predicted),
               signed_text (local, 4));
    }
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
  for (guint i = 1; i < idx->len; i++)
    for (guint j = i; j > 0; j--)
      {
        guint *a = &g_array_index (idx, guint, j - 1), *b = &g_array_index (idx, guint, j);

        if (vesicle_json_get_double (vesicle_json_array_get_object (groups, *a), "c")
            > vesicle_json_get_double (vesicle_json_array_get_object (groups, *b), "c"))
          {
            guint t = *a;
            *a = *b;
            *b = t;
          }
      }
  return idx;
}

static void
tradeoff_rows (JsonObject *summary,
               GPtrArray  *rows)
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
  for (guint r = 0; r < rhos->len; r++)
    {
      double rho = g_array_index (rhos, double, r);
      g_autofree char *ratio = vesicle_format_ratio (rho);
      g_autoptr(GArray) het = group_curve (groups, rho, "hetero");
      g_autoptr(GArray) hom = group_curve (groups, rho, "homo");
      JsonObject *lo, *hi;
      double a0, a1, s0, s1, het_sum = 0, hom_sum = 0;
      guint n_pairs = 0;

      if (het->len < 2)
        continue;
      lo = vesicle_json_array_get_object (groups, g_array_index (het, guint, 0));
      hi = vesicle_json_array_get_object (groups, g_array_index (het, guint, het->len - 1));
      a0 = vesicle_json_get_double (lo, "test_accuracy_mean");
      a1 = vesicle_json_get_double (hi, "test_accuracy_mean");
      s0 = vesicle_json_get_double (lo, "mean_sigma_mean");
      s1 = vesicle_json_get_double (hi, "mean_sigma_mean");
      {
        g_autofree char *c0 = vesicle_format_value_markup (vesicle_json_get_double (lo, "c"));
        g_autofree char *c1 = vesicle_format_value_markup (vesicle_json_get_double (hi, "c"));

        add_row (rows, "Fig 2", a1 < a0,
                 g_strdup_printf ("ρ = %s, heterogeneous: test accuracy from c = %s to %s",
                                  ratio, c0, c1),
                 g_strdup ("falls as c grows"), g_strdup_printf ("%.3f → %.3f", a0, a1));
        add_row (rows, "Fig 2", s1 > s0,
                 g_strdup_printf ("ρ = %s, heterogeneous: mean σ from c = %s to %s", ratio, c0,
                                  c1),
                 g_strdup ("rises as c grows"), g_strdup_printf ("%.3g → %.3g", s0, s1));
      }
      /* the same c in both settings: how much accuracy per-synapse noise keeps */
      for (guint i = 0; i < het->len; i++)
        for (guint j = 0; j < hom->len; j++)
          {
            JsonObject *a = vesicle_json_array_get_object (groups, g_array_index (het, guint, i));
            JsonObject *b = vesicle_json_array_get_object (groups, g_array_index (hom, guint, j));

            if (vesicle_json_get_double (a, "c") == vesicle_json_get_double (b, "c"))
              {
                het_sum += vesicle_json_get_double (a, "test_accuracy_mean");
                hom_sum += vesicle_json_get_double (b, "test_accuracy_mean");
                n_pairs++;
              }
          }
      if (n_pairs > 0)
        add_row (rows, "Fig 2", het_sum >= hom_sum,
                 g_strdup_printf ("ρ = %s: mean accuracy over c, heterogeneous against "
                                  "homogeneous", ratio),
                 g_strdup ("heterogeneous higher"),
                 g_strdup_printf ("%.3f against %.3f", het_sum / n_pairs, hom_sum / n_pairs));
    }
}

/* Slopes of sigma^2 against each measure for one network and layer. */
static void
importance_rows (JsonObject *summary,
                 GPtrArray  *rows,
                 const char *figure,
                 gboolean    zero_hidden)
{
  JsonArray *slopes = vesicle_json_get_array (summary, "slopes");
  JsonArray *networks = vesicle_json_get_array (summary, "networks");
  static const struct { const char *against, *words; int sign; } measures[] = {
    { "hessian", "the Fisher information (importance)", -1 },
    { "learning_rate", "Adam's learning rate", +1 },
    { "input_rate", "the presynaptic input rate", -1 },
    { "input_power", "the presynaptic input power", -1 },
  };
  guint network = 0, layer = zero_hidden ? 1 : 2, n_expected = 0, n_signed = 0;

  if (slopes == NULL)
    return;
  /* the network at c itself (factor 1) */
  for (guint k = 0; networks && k < json_array_get_length (networks); k++)
    if (vesicle_json_get_double (vesicle_json_array_get_object (networks, k), "c_factor") == 1.0)
      network = k;
  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    for (guint i = 0; i < json_array_get_length (slopes); i++)
      {
        JsonObject *s = vesicle_json_array_get_object (slopes, i);
        double slope = vesicle_json_get_double (s, "slope");
        double analytic = vesicle_json_get_double (s, "analytic");

        if (vesicle_json_get_int (s, "network", -1) != network
            || vesicle_json_get_int (s, "layer", -1) != layer
            || g_strcmp0 (vesicle_json_get_string (s, "against"), measures[m].against) != 0)
          continue;
        if (zero_hidden)
          {
            g_autofree char *predicted = signed_text (analytic, 2);

            add_row (rows, figure, fabs (slope - analytic) < 0.1,
                     g_strdup_printf ("Slope of log σ² against log %s", measures[m].words),
                     g_strdup_printf ("%s (Eq. 54)", predicted), slope_text (s));
          }
        else if (!g_str_equal (measures[m].against, "input_power"))
          add_row (rows, figure, slope * measures[m].sign > 0,
                   g_strdup_printf ("Layer %u: slope of log σ² against log %s", layer,
                                    measures[m].words),
                   g_strdup (measures[m].sign < 0 ? "negative" : "positive"), slope_text (s));
      }
  if (zero_hidden)
    return;
  /* Appendix 6: the same signs in every layer and at every multiple of c */
  for (guint i = 0; i < json_array_get_length (slopes); i++)
    {
      JsonObject *s = vesicle_json_array_get_object (slopes, i);
      const char *against = vesicle_json_get_string (s, "against");

      for (guint m = 0; m < 3; m++)
        if (g_strcmp0 (against, measures[m].against) == 0)
          {
            n_expected++;
            n_signed += vesicle_json_get_double (s, "slope") * measures[m].sign > 0;
          }
    }
  add_row (rows, "App 6", n_signed == n_expected,
           g_strdup ("Every layer and every multiple of c: slopes with those signs"),
           g_strdup ("all"), g_strdup_printf ("%u of %u", n_signed, n_expected));
}

static void
bayes_rows (JsonObject *summary,
            GPtrArray  *rows)
{
  JsonArray *by_rho = vesicle_json_get_array (summary, "slopes_by_rho");
  double last = INFINITY;
  gboolean falling = TRUE;

  for (guint i = 0; by_rho && i < json_array_get_length (by_rho); i++)
    {
      JsonObject *s = vesicle_json_array_get_object (by_rho, i);
      double rho = vesicle_json_get_double (s, "rho"), slope = vesicle_json_get_double (s, "slope");
      g_autofree char *ratio = vesicle_format_ratio (rho);
      JsonObject *all = vesicle_json_get_object (s, "all_layers");
      g_autofree char *layer_text = slope_text (s);
      g_autofree char *all_text = all ? slope_text (all) : NULL;
      g_autofree char *analytic = signed_text (vesicle_json_get_double (s, "analytic"), 2);

      falling &= slope < last;
      last = slope;
      add_row (rows, "Fig 7", slope > 0 && slope < 1,
               g_strdup_printf ("ρ = %s: slope of log σ² against the posterior's log σ² (layer "
                                "%" G_GINT64_FORMAT "%s)", ratio,
                                vesicle_json_get_int (s, "layer", 2), all ? "; all layers" : ""),
               g_strdup_printf ("below 1; %s analytic (Eq. 54c)", analytic),
               all_text ? g_strdup_printf ("%s; %s", layer_text, all_text)
                        : g_strdup (layer_text));
    }
  if (by_rho && json_array_get_length (by_rho) > 1)
    add_row (rows, "Fig 7", falling, g_strdup ("The slope as ρ grows"), g_strdup ("falls"),
             g_strdup (falling ? "falls" : "does not fall throughout"));
}

static void
predictive_rows (JsonObject *summary,
                 GPtrArray  *rows)
{
  JsonArray *networks = vesicle_json_get_array (summary, "networks");

  for (guint k = 0; networks && k < json_array_get_length (networks); k++)
    {
      JsonObject *n = vesicle_json_array_get_object (networks, k);
      JsonObject *width = vesicle_json_get_object (n, "width");
      double ratio = vesicle_json_get_double (width, "ratio");
      gboolean vb = g_strcmp0 (vesicle_json_get_string (n, "kind"), "vb") == 0;
      g_autofree char *who = NULL;

      if (vb)
        who = g_strdup ("variational Bayes");
      else
        {
          g_autofree char *r = vesicle_format_ratio (vesicle_json_get_double (n, "rho"));
          g_autofree char *s = vesicle_format_value_markup (vesicle_json_get_double (n, "s"));

          who = g_strdup_printf ("efficient, ρ = %s, s = %s", r, s);
        }
      add_row (rows, "App 4", ratio > 1,
               g_strdup_printf ("%s: band width away from the data over within it", who),
               g_strdup ("above 1: wider away from the data"),
               isfinite (ratio) ? g_strdup_printf ("%.2f", ratio) : g_strdup ("–"));
    }
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

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, order[i]->name, NULL);
      g_autoptr(VesicleExperimentRecord) rec = NULL;
      g_autoptr(JsonObject) summary = NULL;

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
      if (order[i] == &vesicle_experiment_costs)
        costs_rows (summary, rows);
      else if (order[i] == &vesicle_experiment_tradeoff)
        tradeoff_rows (summary, rows);
      else if (order[i] == &vesicle_experiment_importance)
        importance_rows (summary, rows, "Fig 5", FALSE);
      else if (order[i] == &vesicle_experiment_zero_hidden)
        importance_rows (summary, rows, "App 5", TRUE);
      else if (order[i] == &vesicle_experiment_bayes)
        bayes_rows (summary, rows);
      else if (order[i] == &vesicle_experiment_predictive)
        predictive_rows (summary, rows);
    }
  return g_steal_pointer (&rows);
}
