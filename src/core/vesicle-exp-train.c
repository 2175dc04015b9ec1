/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "train" (custom training): one cohort, the product of the rho, c, settings and seeds lists,
 * trained on an IDX dataset, as `vesicle-cli train` and the window's "Custom training". The run
 * files (run.json, metrics.csv, mu.npy, sigma.npy) sit in the experiment folder itself, beside
 * experiment.json and summary.json, so the folder is both a run folder and an experiment.
 *
 * Cohort order: setting, then rho, then c, then seed (the last varies fastest).
 *
 * summary.json:
 *   networks: [{rho, c, setting, seed, test_accuracy, test_accuracy_mean, test_nll, mean_sigma,
 *               rms_sigma, reliability_cost, train_nll, l1, cost, objective, cohort}]
 */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"
#include "vesicle-run.h"

#include <math.h>

/* One cohort: what a device holds at once. */
#define MAX_NETWORKS 4096

static const VesicleConfigField train_fields[] = {
  { "rho", VESICLE_FIELD_NUMBERS, N_("Cost exponents ρ"), N_("Cost"),
    N_("1/2 calcium, 2/3 vesicle membrane, 4/3 actin, 2 trafficking"), 0, 16, 1, 64,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_EXPONENTS, NULL },
  { "c", VESICLE_FIELD_NUMBERS, N_("Cost multipliers c"), N_("Cost"),
    N_("The reliability cost's weight; one network per value"), 0, 1e12, 1, 4096,
    VESICLE_FIELD_DECADES, NULL },
  VESICLE_EXP_FIELD_SETTINGS,
  VESICLE_EXP_FIELD_SEEDS,
  { NULL }
};

static JsonObject *
train_preset (const char *preset)
{
  JsonObject *c;
  JsonArray *rho, *cs, *settings, *seeds;
  gboolean paper = g_strcmp0 (preset, "paper") == 0;

  if (!paper && g_strcmp0 (preset, "quick") != 0)
    return NULL;
  /* paper: the Methods' network and protocol, one network at rho 1/2, c = 0.01 */
  c = vesicle_exp_training_defaults ();
  rho = json_array_new ();
  cs = json_array_new ();
  settings = json_array_new ();
  seeds = json_array_new ();
  json_array_add_double_element (rho, 0.5);
  json_array_add_string_element (settings, "hetero");
  json_array_add_int_element (seeds, 1);
  if (paper)
    json_array_add_double_element (cs, 0.01);
  else
    {
      /* quick: the tradeoff's quick protocol (see there) over three decades of c, both
       * settings: six networks that show the tradeoff in about a minute */
      json_array_add_double_element (cs, 0.01);
      json_array_add_double_element (cs, 1.0);
      json_array_add_double_element (cs, 100.0);
      json_array_add_string_element (settings, "homo");
      vesicle_exp_set_quick_protocol (c);
    }
  json_object_set_array_member (c, "rho", rho);
  json_object_set_array_member (c, "c", cs);
  json_object_set_array_member (c, "settings", settings);
  json_object_set_array_member (c, "seeds", seeds);
  return c;
}

static void
train_check (JsonObject               *config,
             const VesicleDatasetInfo *data,
             GPtrArray                *problems)
{
  guint n = vesicle_exp_grid_size (config);

  if (n > MAX_NETWORKS)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new (NULL, NULL, _("the cohort would hold %u networks, "
                                                   "more than %u; split the sweep"), n,
                                                 MAX_NETWORKS));
}

static void
train_plan (JsonObject               *config,
            const VesicleDatasetInfo *data,
            VesicleExperimentPlan    *plan)
{
  VesicleCohortPlan cohort;

  vesicle_exp_cohort_plan (&cohort, config, data, vesicle_exp_grid_size (config));
  vesicle_experiment_plan_add (plan, &cohort);
}

static gboolean
train_run (VesicleExperimentContext *ctx,
           GError                  **error)
{
  g_autoptr(GArray) rhos = NULL, cs = NULL, seeds = NULL;
  g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (VesicleSigmaSetting));
  VesicleExperimentData data;
  VesicleCohortConfig cohort = { 0 };
  VesicleTrainSchedule schedule;
  VesicleTrainer *trainer;
  JsonArray *networks;
  double lambda;
  guint K, k = 0;
  gboolean ok = FALSE;

  if (!(rhos = vesicle_config_get_doubles (ctx->config, "rho", error))
      || !(cs = vesicle_config_get_doubles (ctx->config, "c", error))
      || !(seeds = vesicle_config_get_uints (ctx->config, "seeds", error))
      || !vesicle_exp_parse_settings (ctx->config, settings, error)
      || !vesicle_config_get_double (ctx->config, "lambda", &lambda, error))
    return FALSE;
  K = rhos->len * cs->len * settings->len * seeds->len;

  if (!vesicle_experiment_data_load (ctx, &data, error)
      || !vesicle_exp_cohort_from_config (&cohort, &schedule, ctx->config, &data, K, error))
    goto out;
  for (guint a = 0; a < settings->len; a++)
    for (guint r = 0; r < rhos->len; r++)
      for (guint i = 0; i < cs->len; i++)
        for (guint s = 0; s < seeds->len; s++)
          cohort.hyper[k++] = (VesicleHyper) {
            .rho = g_array_index (rhos, double, r), .c = g_array_index (cs, double, i),
            .lambda = lambda, .setting = g_array_index (settings, VesicleSigmaSetting, a),
            .seed = g_array_index (seeds, guint, s),
          };

  networks = json_array_new ();
  json_object_set_array_member (ctx->summary, "networks", networks);
  if (!(trainer = vesicle_experiment_train (ctx, "", &cohort, &schedule, &data, error)))
    goto out;
  {
    guint n_rows;
    const VesicleEpochMetrics *rows = vesicle_trainer_get_metrics (trainer, &n_rows);

    for (k = 0; k < K; k++)
      vesicle_exp_add_network (networks, &cohort.hyper[k], &rows[n_rows - K + k], 0);
  }
  vesicle_trainer_free (trainer);
  ok = TRUE;

out:
  vesicle_cohort_config_clear (&cohort);
  vesicle_experiment_data_clear (&data);
  return ok;
}

const VesicleExperimentType vesicle_experiment_train_type = {
  .name = "train",
  .title = N_("Custom training"),
  .figures = "training",
  .summary = N_("Trains one cohort of networks, every combination of the exponents, multipliers, "
                "settings and seeds you choose, and records their curves."),
  .description =
    N_("Trains one cohort: every combination of the costs, multipliers c, settings and seeds "
       "you list, in lockstep on one stream of minibatches. Quick uses the tradeoff's short "
       "protocol (one hidden layer, 5 epochs); Paper the Methods' network and training."),
  .uses_dataset = TRUE,
  .trains = TRUE,
  .fields = train_fields,
  .preset = train_preset,
  .check = train_check,
  .plan = train_plan,
  .run = train_run,
};
