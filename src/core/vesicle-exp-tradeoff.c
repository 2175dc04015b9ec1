/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "tradeoff" (Fig 2, Fig 3, App 6 fig 2): a grid over rho x c x setting x seed, trained as
 * cohorts of at most max_cohort networks (one cohort shares the minibatch stream; networks with
 * one seed share their noise, so comparisons across c and rho are paired).
 *
 * summary.json:
 *   networks:  [{rho, c, setting, seed, test_accuracy, test_accuracy_mean, test_nll, mean_sigma,
 *                rms_sigma, reliability_cost, train_nll, l1, cost, objective, cohort}]
 *   groups:    [{rho, c, setting, n, test_accuracy_mean, test_accuracy_sd, mean_sigma_mean,
 *                mean_sigma_sd, rms_sigma_mean, reliability_cost_mean}]  (over seeds)
 * Each cohort's run folder is cohort-<i>/ (run.json, metrics.csv, mu.npy, sigma.npy).
 */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"
#include "vesicle-run.h"

#include <math.h>

#define DESCRIPTION \
  N_("Quick trains 784-100-10 networks on the bundled 8,000 digits for 5 epochs, at every ρ, " \
  "seven decades of c (10⁻³ to 10³), both settings and three seeds, with σ starting at 0.1 " \
  "so that a short run shows the whole tradeoff. Paper follows the Methods: 784-100-100-10 " \
  "for 50 epochs, σ from 10⁻⁴, 30 values of c from 10⁻⁴ to 10³·²⁵, three seeds. On the bundled " \
  "subset the paper's protocol leaves σ at ρ = 2 the same for every c (see the reproduction " \
  "notes in the documentation).")

static JsonObject *
tradeoff_preset (const char *preset)
{
  JsonObject *c;
  JsonArray *rho, *cs, *settings, *seeds;
  gboolean paper = g_strcmp0 (preset, "paper") == 0;

  if (!paper && g_strcmp0 (preset, "quick") != 0)
    return NULL;
  c = vesicle_exp_training_defaults ();
  rho = json_array_new ();
  cs = json_array_new ();
  settings = json_array_new ();
  seeds = json_array_new ();
  json_array_add_double_element (rho, 0.5);
  json_array_add_double_element (rho, 2.0 / 3.0);
  json_array_add_double_element (rho, 4.0 / 3.0);
  json_array_add_double_element (rho, 2.0);
  if (paper)
    for (int q = -16; q <= 13; q++)
      json_array_add_double_element (cs, pow (10.0, q / 4.0));
  else
    for (int d = -3; d <= 3; d++)
      json_array_add_double_element (cs, pow (10.0, d));
  json_array_add_string_element (settings, "hetero");
  json_array_add_string_element (settings, "homo");
  /* three seeds at both presets: every quantitative row of the report has a mean and a spread */
  json_array_add_int_element (seeds, 1);
  json_array_add_int_element (seeds, 2);
  json_array_add_int_element (seeds, 3);
  if (!paper)
    vesicle_exp_set_quick_protocol (c);
  json_object_set_array_member (c, "rho", rho);
  json_object_set_array_member (c, "c", cs);
  json_object_set_array_member (c, "settings", settings);
  json_object_set_array_member (c, "seeds", seeds);
  json_object_set_int_member (c, "max_cohort", 64);
  return c;
}

static const VesicleConfigField tradeoff_fields[] = {
  { "rho", VESICLE_FIELD_NUMBERS, N_("Cost exponents ρ"), N_("Cost"),
    N_("One column of networks per exponent: 1/2 calcium, 2/3 vesicle membrane, 4/3 actin, "
       "2 trafficking"), 0, 16, 1, 64, VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_EXPONENTS, NULL },
  { "c", VESICLE_FIELD_NUMBERS, N_("Cost multipliers c"), N_("Cost"),
    N_("The reliability cost's weight; one network per value"), 0, 1e12, 1, 10000,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_DECADES, NULL },
  VESICLE_EXP_FIELD_SETTINGS,
  VESICLE_EXP_FIELD_SEEDS,
  { "max_cohort", VESICLE_FIELD_COUNT, N_("Networks per cohort"), N_("Training"),
    N_("At most this many networks train in lockstep on the device"), 1, 4096, 0, 0,
    VESICLE_FIELD_ADVANCED, NULL },
  { NULL }
};

static void
tradeoff_check (JsonObject               *config,
                const VesicleDatasetInfo *data,
                GPtrArray                *problems)
{
  guint n = vesicle_exp_grid_size (config);

  if (n > 100000)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new (NULL, NULL, _("the grid holds %u networks; at "
                                                   "most 100,000 are allowed"), n));
}

static void
tradeoff_plan (JsonObject               *config,
               const VesicleDatasetInfo *data,
               VesicleExperimentPlan    *plan)
{
  guint n = vesicle_exp_grid_size (config), max_cohort = 1;

  vesicle_config_get_uint (config, "max_cohort", &max_cohort, NULL);
  for (guint first = 0; first < n; first += max_cohort)
    {
      VesicleCohortPlan cohort;

      vesicle_exp_cohort_plan (&cohort, config, data, MIN (max_cohort, n - first));
      vesicle_experiment_plan_add (plan, &cohort);
    }
}

/* Mean and sample s.d. over seeds for each (rho, c, setting). */
static JsonArray *
group_over_seeds (JsonArray *networks)
{
  JsonArray *groups = json_array_new ();
  guint n = json_array_get_length (networks);
  g_autofree gboolean *done = g_new0 (gboolean, n);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *a = json_array_get_object_element (networks, i);
      const char *keys[] = { "test_accuracy", "mean_sigma", "rms_sigma", "reliability_cost" };
      double sum[4] = { 0 }, sum2[4] = { 0 };
      guint count = 0;
      JsonObject *g;

      if (done[i])
        continue;
      for (guint j = i; j < n; j++)
        {
          JsonObject *b = json_array_get_object_element (networks, j);

          if (done[j]
              || json_object_get_double_member (a, "rho") != json_object_get_double_member (b, "rho")
              || json_object_get_double_member (a, "c") != json_object_get_double_member (b, "c")
              || g_strcmp0 (json_object_get_string_member (a, "setting"),
                            json_object_get_string_member (b, "setting")) != 0)
            continue;
          done[j] = TRUE;
          count++;
          for (guint q = 0; q < 4; q++)
            {
              double v = json_object_get_null_member (b, keys[q])
                         ? NAN : json_object_get_double_member (b, keys[q]);
              sum[q] += v;
              sum2[q] += v * v;
            }
        }
      g = json_object_new ();
      vesicle_exp_set_double (g, "rho", json_object_get_double_member (a, "rho"));
      vesicle_exp_set_double (g, "c", json_object_get_double_member (a, "c"));
      json_object_set_string_member (g, "setting", json_object_get_string_member (a, "setting"));
      json_object_set_int_member (g, "n", count);
      for (guint q = 0; q < 4; q++)
        {
          g_autofree char *mean_key = g_strconcat (keys[q], "_mean", NULL);
          g_autofree char *sd_key = g_strconcat (keys[q], "_sd", NULL);
          double mean = sum[q] / count;
          double var = count > 1 ? (sum2[q] - count * mean * mean) / (count - 1) : NAN;

          vesicle_exp_set_double (g, mean_key, mean);
          vesicle_exp_set_double (g, sd_key, sqrt (MAX (var, 0.0)));
        }
      json_array_add_object_element (groups, g);
    }
  return groups;
}

static gboolean
tradeoff_run (VesicleExperimentContext *ctx,
              GError                  **error)
{
  g_autoptr(GArray) rhos = NULL, cs = NULL, seeds = NULL;
  g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (VesicleSigmaSetting));
  g_autofree VesicleHyper *all = NULL;
  VesicleExperimentData data;
  JsonArray *networks;
  double lambda;
  guint max_cohort, n_all = 0;
  gboolean ok = TRUE;

  if (!(rhos = vesicle_config_get_doubles (ctx->config, "rho", error))
      || !(cs = vesicle_config_get_doubles (ctx->config, "c", error))
      || !(seeds = vesicle_config_get_uints (ctx->config, "seeds", error))
      || !vesicle_exp_parse_settings (ctx->config, settings, error)
      || !vesicle_config_get_double (ctx->config, "lambda", &lambda, error)
      || !vesicle_config_get_uint (ctx->config, "max_cohort", &max_cohort, error))
    return FALSE;
  if (seeds->len == 0 || max_cohort == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "config: 'seeds' needs at least one seed and 'max_cohort' must be ≥ 1");
      return FALSE;
    }

  all = g_new0 (VesicleHyper, rhos->len * cs->len * settings->len * seeds->len);
  for (guint a = 0; a < settings->len; a++)
    for (guint r = 0; r < rhos->len; r++)
      for (guint i = 0; i < cs->len; i++)
        for (guint s = 0; s < seeds->len; s++)
          all[n_all++] = (VesicleHyper) {
            .rho = g_array_index (rhos, double, r), .c = g_array_index (cs, double, i),
            .lambda = lambda, .setting = g_array_index (settings, VesicleSigmaSetting, a),
            .seed = g_array_index (seeds, guint, s),
          };

  if (!vesicle_experiment_data_load (ctx, &data, error))
    {
      vesicle_experiment_data_clear (&data);
      return FALSE;
    }
  networks = json_array_new ();
  json_object_set_array_member (ctx->summary, "networks", networks);

  for (guint first = 0, cohort_index = 0; ok && first < n_all; first += max_cohort, cohort_index++)
    {
      guint K = MIN (max_cohort, n_all - first);
      g_autofree char *subdir = g_strdup_printf ("cohort-%u", cohort_index);
      VesicleCohortConfig cohort;
      VesicleTrainSchedule schedule;
      VesicleTrainer *trainer;

      if (!vesicle_exp_cohort_from_config (&cohort, &schedule, ctx->config, &data, K, error))
        {
          vesicle_cohort_config_clear (&cohort);
          ok = FALSE;
          break;
        }
      memcpy (cohort.hyper, all + first, K * sizeof (VesicleHyper));
      trainer = vesicle_experiment_train (ctx, subdir, &cohort, &schedule, &data, error);
      if (trainer != NULL)
        {
          guint n_rows;
          const VesicleEpochMetrics *rows = vesicle_trainer_get_metrics (trainer, &n_rows);

          for (guint k = 0; k < K; k++)
            vesicle_exp_add_network (networks, &cohort.hyper[k], &rows[n_rows - K + k], cohort_index);
          vesicle_trainer_free (trainer);
          /* the figures so far, while later cohorts train */
          if (first + K < n_all)
            {
              json_object_set_array_member (ctx->summary, "groups", group_over_seeds (networks));
              ok = vesicle_experiment_save_partial (ctx, error);
            }
        }
      else
        ok = vesicle_experiment_cohort_skipped (error);   /* a sweep cell trains another */
      vesicle_cohort_config_clear (&cohort);
    }

  json_object_set_array_member (ctx->summary, "groups", group_over_seeds (networks));
  vesicle_experiment_data_clear (&data);
  return ok;
}

const VesicleExperimentType vesicle_experiment_tradeoff = {
  .name = "tradeoff",
  .title = N_("Accuracy and synaptic noise across reliability costs"),
  .figures = "fig2, fig3",
  .summary = N_("Trains networks over a grid of cost exponents and multipliers and measures how "
                "accuracy falls as synapses grow noisier."),
  .description = DESCRIPTION,
  .uses_dataset = TRUE,
  .trains = TRUE,
  .fields = tradeoff_fields,
  .preset = tradeoff_preset,
  .check = tradeoff_check,
  .plan = tradeoff_plan,
  .run = tradeoff_run,
};
