/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "importance" (Fig 5, App 6 figs 1 and 2) and "zero-hidden" (App 5): after training, the
 * parameters are frozen and, for every weight, Vesicle measures its importance two ways: the
 * Fisher information under the synaptic noise (vesicle-fisher.h: the expectation over the
 * model's own labels and over w = mu + sigma xi, the Gauss-Newton diagonal of the Hessian, exact
 * for zero hidden layers) and, as the paper's Methods and the authors' code did, the "empirical
 * Fisher": the mean squared minibatch gradient with the data's labels at w = mu, accumulated over
 * further epochs together with the mean |gradient| and the mean |presynaptic activity| (the input
 * rate). Adam's second moment gives the effective
 * learning rate lr / sqrt(v). The empirical Fisher is not proportional to the Hessian (it scales
 * with (1 - p)^2 on well-fitted examples where H scales with p (1 - p)), which bends log-log
 * slopes; the analytic slopes of Appendix 5 (Eq. 54) are about H, so "hessian" is the Fisher.
 * Log-log slopes of sigma^2 against each, per layer, with 95% confidence intervals, sit beside
 * Eq. 54: -2/(rho+2) against the Hessian and the input power <x^2>, 4/(rho+2) against the
 * learning rate (the same -2/(rho+2) is listed for the empirical Fisher and the input rate).
 *
 * Files: importance-<k>-layer<l>.npy, (n_weights, 7) float32 per network k and layer l, columns
 *   sigma2, hessian (Fisher), learning_rate (lr / sqrt(v)), learning_rate_absgrad (lr / mean|g|,
 *   as the authors' code), input_rate (mean |x| of the presynaptic unit), hessian_empirical (mean
 *   squared minibatch gradient), input_power (<x^2> of the presynaptic unit); biases left out.
 * "importance" trains one rho at c times each of c_factors; "zero-hidden" each rho of its list at
 * c = s^rho / rho times each factor (Appendix 5 compares all four costs with the slope of Fig 6b).
 * Every network is trained once per seed of "seeds", all in one cohort (seed by seed, the grid
 * within each); the statistics' minibatch order follows the first seed.
 * summary.json (the first seed's networks and slopes; the others' in "replicates"):
 *   networks: [{network, rho, c, c_factor, seed, test_accuracy, mean_sigma}]
 *   slopes:   [{network, rho, c, layer, against, slope, ci_low, ci_high, r, n, n_skipped,
 *               analytic}]
 *             against: hessian, learning_rate, input_rate, hessian_empirical, input_power,
 *             learning_rate_absgrad
 *   files:    [{network, layer, path, columns}]  (every seed's)
 *   replicates: [{seed, networks, slopes}]  (the second seed onwards, as above)
 *   experimental_slope: -0.62 (Fig 6b, for the zero-hidden comparison)
 */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"
#include "vesicle-fisher.h"
#include "vesicle-fit.h"
#include "vesicle-run.h"

#include <math.h>

#define N_COLUMNS 7
static const char *const columns[N_COLUMNS] = {
  "sigma2", "hessian", "learning_rate", "learning_rate_absgrad", "input_rate",
  "hessian_empirical", "input_power",
};

static JsonObject *
importance_preset_common (const char *preset,
                          gboolean    zero_hidden)
{
  JsonObject *c;
  JsonArray *factors = json_array_new ();
  gboolean paper = g_strcmp0 (preset, "paper") == 0;

  if (!paper && g_strcmp0 (preset, "quick") != 0)
    {
      json_array_unref (factors);
      return NULL;
    }
  c = vesicle_exp_training_defaults ();
  /* s = 0.001 in the paper's Methods for Fig 5: c = s^rho / rho */
  if (zero_hidden)
    {
      JsonArray *rho = json_array_new ();

      json_object_set_array_member (c, "hidden", json_array_new ());
      json_array_add_double_element (factors, 1.0);
      /* all four costs: "the biological slopes tend to match the rho = 2 better than the other
       * values for rho" (Appendix 5) */
      json_array_add_double_element (rho, 0.5);
      json_array_add_double_element (rho, 2.0 / 3.0);
      json_array_add_double_element (rho, 4.0 / 3.0);
      json_array_add_double_element (rho, 2.0);
      json_object_set_array_member (c, "rho", rho);
      json_object_set_double_member (c, "s", 1e-3);
    }
  else
    {
      json_array_add_double_element (factors, 0.1);
      json_array_add_double_element (factors, 1.0);
      json_array_add_double_element (factors, 10.0);
      json_object_set_double_member (c, "rho", 0.5);
      json_object_set_double_member (c, "c", pow (1e-3, 0.5) / 0.5);
    }
  json_object_set_array_member (c, "c_factors", factors);
  json_object_set_int_member (c, "stat_epochs", paper ? 10 : 2);
  /* a mean and an interval over seeds for every slope the report judges */
  json_object_set_array_member (c, "seeds", vesicle_exp_three_seeds ());
  if (!paper && zero_hidden)
    {
      /* A weakly driven synapse's sigma relaxes at a rate ~ lr sqrt(B H) sigma per step under
       * Adam (its phi-gradient is mostly noise): it takes ~10^4 steps of large batches for the
       * whole range of H to settle. Normalised pixels (the authors' code) give every synapse a
       * signal; raw MNIST's always-black border pixels have H ~ 0 and never settle. */
      json_object_set_boolean_member (c, "normalise", TRUE);
      json_object_set_int_member (c, "epochs", 300);
      /* then sigma settles at the final means: H keeps falling while the network sharpens, and
       * a weak synapse's sigma remembers ~10^4 steps of it */
      json_object_set_int_member (c, "sigma_epochs", 100);
      json_object_set_int_member (c, "batch", 100);
      json_object_set_int_member (c, "eval_batch", 100);
      json_object_set_double_member (c, "lr", 1e-2);
      json_object_set_double_member (c, "sigma_init", 1.5e-2);
      /* 400 epochs: accuracy every 10 keeps the curves and costs 2% instead of 17% */
      json_object_set_int_member (c, "eval_every", 10);
    }
  else if (!paper)
    {
      json_object_set_int_member (c, "epochs", 8);
      json_object_set_double_member (c, "lr", 2e-3);
      json_object_set_double_member (c, "sigma_init", 1e-2);
      {
        JsonArray *hidden = json_array_new ();

        json_array_add_int_element (hidden, 100);
        json_array_add_int_element (hidden, 100);
        json_object_set_array_member (c, "hidden", hidden);
      }
    }
  return c;
}

/* What both experiments measure after training, and their seeds. */
#define FIELDS_STATISTICS_AND_SEED \
  { "stat_epochs", VESICLE_FIELD_COUNT, N_("Statistics epochs"), N_("Analysis"), \
    N_("Passes over the training set at the frozen weights to measure gradients and input rates"), \
    1, 1000, 0, 0, 0, NULL }, \
  VESICLE_EXP_FIELD_REPEAT_SEEDS,

static const VesicleConfigField importance_fields[] = {
  { "rho", VESICLE_FIELD_NUMBER, N_("Cost exponent ρ"), N_("Cost"),
    N_("1/2 calcium, 2/3 vesicle membrane, 4/3 actin, 2 trafficking"), 0, 16, 0, 0,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_EXPONENTS, NULL },
  { "c", VESICLE_FIELD_NUMBER, N_("Cost multiplier c"), N_("Cost"),
    N_("The reliability cost's weight (the paper: s^ρ/ρ with s = 0.001)"), 0, 1e12, 0, 0, 0, NULL },
  { "c_factors", VESICLE_FIELD_NUMBERS, N_("Multiples of c"), N_("Cost"),
    N_("One network per factor, trained at c times it (Appendix 6: 0.1, 1, 10)"), 0, 1e12, 1, 64,
    VESICLE_FIELD_MIN_OPEN, NULL },
  FIELDS_STATISTICS_AND_SEED
  { NULL }
};

static const VesicleConfigField zero_hidden_fields[] = {
  { "rho", VESICLE_FIELD_NUMBERS, N_("Cost exponents ρ"), N_("Cost"),
    N_("One network per exponent, at c = s^ρ/ρ"), 0, 16, 1, 16,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_EXPONENTS, NULL },
  { "s", VESICLE_FIELD_NUMBER, N_("Cost scale s"), N_("Cost"),
    N_("c = s^ρ/ρ, so every exponent's optimum noise has the same scale"), 0, 1e6, 0, 0,
    VESICLE_FIELD_MIN_OPEN, NULL },
  { "c_factors", VESICLE_FIELD_NUMBERS, N_("Multiples of c"), N_("Cost"),
    N_("One network per factor, trained at c times it (Appendix 6: 0.1, 1, 10)"), 0, 1e12, 1, 64,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_ADVANCED, NULL },
  FIELDS_STATISTICS_AND_SEED
  { NULL }
};

/* The networks: each rho (one, or zero-hidden's list) at c (or s^rho / rho) times each factor,
 * rho by rho. FALSE with @error if a setting is missing. */
static gboolean
network_grid (JsonObject  *config,
              GArray     **rhos_out,
              GArray     **cs_out,
              GArray     **factors_out,
              GError     **error)
{
  g_autoptr(GArray) factors = NULL, rhos = NULL, cs = NULL;
  JsonNode *rho_node = json_object_get_member (config, "rho");
  g_autoptr(GArray) rho_list = NULL;
  double c = NAN, s = NAN;

  if (!(factors = vesicle_config_get_doubles (config, "c_factors", error)))
    return FALSE;
  if (rho_node && JSON_NODE_HOLDS_ARRAY (rho_node))
    {
      if (!(rho_list = vesicle_config_get_doubles (config, "rho", error))
          || !vesicle_config_get_double (config, "s", &s, error))
        return FALSE;
    }
  else
    {
      double rho;

      if (!vesicle_config_get_double (config, "rho", &rho, error)
          || !vesicle_config_get_double (config, "c", &c, error))
        return FALSE;
      rho_list = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_val (rho_list, rho);
    }
  rhos = g_array_new (FALSE, FALSE, sizeof (double));
  cs = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint r = 0; r < rho_list->len; r++)
    for (guint i = 0; i < factors->len; i++)
      {
        double rho = g_array_index (rho_list, double, r);
        double base = isfinite (s) ? pow (s, rho) / rho : c;
        double c_k = base * g_array_index (factors, double, i);

        g_array_append_val (rhos, rho);
        g_array_append_val (cs, c_k);
      }
  *rhos_out = g_steal_pointer (&rhos);
  *cs_out = g_steal_pointer (&cs);
  if (factors_out)
    {
      GArray *f = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint r = 0; r < rho_list->len; r++)
        g_array_append_vals (f, factors->data, factors->len);
      *factors_out = f;
    }
  return TRUE;
}

static void
importance_plan (JsonObject               *config,
                 const VesicleDatasetInfo *data,
                 VesicleExperimentPlan    *plan)
{
  g_autoptr(GArray) rhos = NULL, cs = NULL, seeds = NULL;
  VesicleCohortPlan cohort;
  guint stat_epochs = 1, n_train, n_classes;

  if (!network_grid (config, &rhos, &cs, NULL, NULL)
      || !(seeds = vesicle_config_get_uints (config, "seeds", NULL)))
    return;
  vesicle_exp_cohort_plan (&cohort, config, data, rhos->len * seeds->len);
  vesicle_experiment_plan_add (plan, &cohort);
  vesicle_config_get_uint (config, "stat_epochs", &stat_epochs, NULL);
  n_train = cohort.steps / MAX (cohort.epochs, 1) * cohort.batch;
  n_classes = data ? data->n_classes : 10;
  /* statistics passes (a forward and a backward, no update), then the Fisher on the host:
   * a forward and one backward per class for every training example */
  plan->host_flops = cohort.K * vesicle_fisher_flops (cohort.P, n_classes, n_train);
  plan->analysis_flops = (double) cohort.K * cohort.P * 4.0 * stat_epochs * n_train
                         + plan->host_flops;
  plan->analysis_steps = (guint64) stat_epochs * (n_train / MAX (cohort.batch, 1));
}

static JsonObject *
importance_preset (const char *preset)
{
  return importance_preset_common (preset, FALSE);
}

static JsonObject *
zero_hidden_preset (const char *preset)
{
  return importance_preset_common (preset, TRUE);
}

/* Rows of the training set in a fresh order, uploaded for the statistics epochs. */
static gboolean
upload_order (VesicleEngine               *engine,
              const VesicleExperimentData *data,
              guint64                      seed,
              guint                        epoch,
              GError                     **error)
{
  const VesicleExamples *ex = &data->train_ex;
  g_autofree guint32 *order = g_new (guint32, ex->n);
  g_autofree float *x = g_new (float, (gsize) ex->n * ex->dim);
  g_autofree float *t = g_new (float, (gsize) ex->n * ex->T);

  vesicle_dataset_epoch_order (order, ex->n, seed, epoch);
  vesicle_examples_gather (x, t, ex, order);
  return vesicle_engine_set_train_data (engine, x, t, ex->n, error);
}

static void
add_slope (JsonArray  *slopes,
           guint       network,
           double      rho,
           double      c,
           guint       layer,
           const char *against,
           VesicleFit *fit,
           double      analytic)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "network", network);
  vesicle_exp_set_double (o, "rho", rho);
  vesicle_exp_set_double (o, "c", c);
  json_object_set_int_member (o, "layer", layer + 1);
  json_object_set_string_member (o, "against", against);
  vesicle_exp_set_double (o, "slope", fit->slope);
  vesicle_exp_set_double (o, "ci_low", fit->ci_low);
  vesicle_exp_set_double (o, "ci_high", fit->ci_high);
  vesicle_exp_set_double (o, "r", fit->r);
  json_object_set_int_member (o, "n", fit->n);
  json_object_set_int_member (o, "n_skipped", fit->n_skipped);
  vesicle_exp_set_double (o, "analytic", analytic);
  json_array_add_object_element (slopes, o);
}

static gboolean
importance_run (VesicleExperimentContext *ctx,
                GError                  **error)
{
  g_autoptr(GArray) factors = NULL, rhos = NULL, cs = NULL, seeds = NULL;
  VesicleExperimentData data;
  VesicleCohortConfig cohort = { 0 };
  VesicleTrainSchedule schedule;
  VesicleTrainer *trainer = NULL;
  VesicleEngine *engine;
  double lambda;
  guint stat_epochs, seed, K, n_grid, n_batches = 0, n_examples = 0;
  g_autofree float *g2 = NULL, *gabs = NULL, *rate = NULL, *v = NULL;
  g_autofree double *fisher = NULL, *power = NULL;
  JsonArray *files, *replicates;
  const float *sigma;
  gsize P, R = 0;
  double stat_share;
  gboolean ok = FALSE;

  if (!network_grid (ctx->config, &rhos, &cs, &factors, error)
      || !vesicle_config_get_double (ctx->config, "lambda", &lambda, error)
      || !vesicle_config_get_uint (ctx->config, "stat_epochs", &stat_epochs, error)
      || !(seeds = vesicle_config_get_uints (ctx->config, "seeds", error)))
    return FALSE;
  if (seeds->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "config: 'seeds' needs at least one seed");
      return FALSE;
    }
  seed = g_array_index (seeds, guint, 0);
  if (stat_epochs == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "config: 'stat_epochs' must be at least 1");
      return FALSE;
    }
  if (!vesicle_experiment_data_load (ctx, &data, error))
    goto out;
  n_grid = rhos->len;
  K = n_grid * seeds->len;
  if (!vesicle_exp_cohort_from_config (&cohort, &schedule, ctx->config, &data, K, error))
    goto out;
  for (guint k = 0; k < K; k++)
    cohort.hyper[k] = (VesicleHyper) { g_array_index (rhos, double, k % n_grid),
                                       g_array_index (cs, double, k % n_grid), lambda,
                                       VESICLE_SIGMA_HETERO,
                                       g_array_index (seeds, guint, k / n_grid) };

  if (!(trainer = vesicle_experiment_train (ctx, "train", &cohort, &schedule, &data, error)))
    goto out;
  engine = vesicle_trainer_get_engine (trainer);
  P = vesicle_shape_n_params (&cohort.shape);
  for (guint l = 0; l < cohort.shape.n_layers; l++)
    R += cohort.shape.sizes[l];

  /* frozen parameters: statistics only. In the analysis's progress a statistics epoch of one
   * network weighs what importance_plan says it costs against that network's Fisher. */
  stat_share = 4.0 / (2.0 * (MAX (data.train->n_classes, data.test->n_classes) + 1));
  {
    guint steps = data.train_ex.n / cohort.batch;

    vesicle_experiment_phase (ctx, "Measuring gradients and input rates");
    for (guint e = 0; e < stat_epochs; e++)
      {
        vesicle_experiment_message (ctx, "statistics: epoch %u/%u", e + 1, stat_epochs);
        vesicle_experiment_analysis (ctx, e * K * stat_share, (stat_epochs * stat_share + 1) * K);
        if (!upload_order (engine, &data, seed + 7919, e, error))
          goto out;
        for (guint b = 0; b < steps; b++)
          if (!vesicle_engine_accumulate_stats (engine, b, error))
            goto out;
        if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
          goto out;
      }
  }
  g2 = g_new (float, K * P);
  gabs = g_new (float, K * P);
  v = g_new (float, K * P);
  rate = g_new (float, K * R);
  if (!vesicle_engine_read_stats (engine, g2, gabs, rate, &n_batches, &n_examples, error)
      || !vesicle_engine_read_adam_v (engine, v, error))
    goto out;
  sigma = vesicle_trainer_get_sigma (trainer);
  fisher = g_new (double, K * P);
  power = g_new (double, K * R);
  vesicle_experiment_phase (ctx, "Measuring the Fisher information");
  for (guint k = 0; k < K; k++)
    {
      vesicle_experiment_message (ctx, "Fisher information: network %u/%u", k + 1, K);
      vesicle_experiment_analysis (ctx, stat_epochs * stat_share * K + k,
                                   (stat_epochs * stat_share + 1) * K);
      /* under the synaptic noise, one draw per training minibatch: the curvature sigma
       * balances (vesicle-fisher.h) */
      if (!vesicle_fisher_diagonal (fisher + k * P, power + k * R, &cohort.shape,
                                    vesicle_trainer_get_mu (trainer) + k * P, sigma + k * P,
                                    cohort.hyper[k].seed, cohort.batch, &data.train_ex,
                                    ctx->cancellable, error))
        goto out;
    }

  files = json_array_new ();
  replicates = json_array_new ();
  json_object_set_array_member (ctx->summary, "files", files);
  for (guint i = 0; i < seeds->len; i++)
    {
      /* the first seed's networks and slopes at the top, where the figures read them */
      JsonObject *holder = i == 0 ? ctx->summary : json_object_new ();

      json_object_set_array_member (holder, "networks", json_array_new ());
      json_object_set_array_member (holder, "slopes", json_array_new ());
      if (i > 0)
        {
          json_object_set_int_member (holder, "seed", g_array_index (seeds, guint, i));
          json_array_add_object_element (replicates, holder);
        }
    }
  if (seeds->len > 1)
    json_object_set_array_member (ctx->summary, "replicates", replicates);
  else
    json_array_unref (replicates);
  vesicle_exp_set_double (ctx->summary, "experimental_slope", -0.62);
  json_object_set_int_member (ctx->summary, "stat_batches", n_batches);

  for (guint k = 0; k < K; k++)
    {
      guint n_rows;
      const VesicleEpochMetrics *rows = vesicle_trainer_get_metrics (trainer, &n_rows);
      const VesicleEpochMetrics *m = &rows[n_rows - K + k];
      JsonObject *net = json_object_new ();
      JsonObject *holder = k < n_grid ? ctx->summary
                           : json_array_get_object_element (json_object_get_array_member (
                                                              ctx->summary, "replicates"),
                                                            k / n_grid - 1);
      JsonArray *networks = json_object_get_array_member (holder, "networks");
      JsonArray *slopes = json_object_get_array_member (holder, "slopes");
      gsize rate_off = 0;

      double rho = cohort.hyper[k].rho;

      json_object_set_int_member (net, "network", k);
      vesicle_exp_set_double (net, "rho", rho);
      vesicle_exp_set_double (net, "c", cohort.hyper[k].c);
      vesicle_exp_set_double (net, "c_factor", g_array_index (factors, double, k % n_grid));
      json_object_set_int_member (net, "seed", cohort.hyper[k].seed);
      vesicle_exp_set_double (net, "test_accuracy", m->test_accuracy);
      vesicle_exp_set_double (net, "mean_sigma", m->mean_sigma);
      json_array_add_object_element (networks, net);

      for (guint l = 0; l < cohort.shape.n_layers; l++)
        {
          gsize O = cohort.shape.sizes[l + 1], I = cohort.shape.sizes[l], n = O * I;
          gsize off = k * P + vesicle_shape_layer_offset (&cohort.shape, l);
          g_autofree float *table = g_new (float, n * N_COLUMNS);
          g_autofree double *cols = g_new (double, n * N_COLUMNS);
          double *col[N_COLUMNS];
          g_autofree char *name = g_strdup_printf ("importance-%u-layer%u.npy", k, l + 1);
          gsize dims[2] = { n, N_COLUMNS };
          /* with the paper's own estimators (Methods: mean g^2 at w = mu, and eta / mean|g|)
           * beside Vesicle's */
          const char *against[6] = {
            "hessian", "learning_rate", "input_rate", "hessian_empirical", "input_power",
            "learning_rate_absgrad",
          };
          guint against_col[6] = { 1, 2, 4, 5, 6, 3 };
          double analytic[6] = {
            -2.0 / (rho + 2.0), 4.0 / (rho + 2.0), -2.0 / (rho + 2.0), -2.0 / (rho + 2.0),
            -2.0 / (rho + 2.0), 4.0 / (rho + 2.0),
          };

          for (guint q = 0; q < N_COLUMNS; q++)
            col[q] = cols + q * n;
          for (gsize j = 0; j < n; j++)
            {
              double s = sigma[off + j];
              double mean_abs = gabs[off + j] / n_batches;

              col[0][j] = s * s;
              col[1][j] = fisher[off + j];
              col[2][j] = cohort.lr / (sqrt (v[off + j]) + cohort.eps);
              col[3][j] = mean_abs > 0 ? cohort.lr / mean_abs : NAN;
              col[4][j] = rate[k * R + rate_off + j % I] / n_examples;
              col[5][j] = g2[off + j] / n_batches;
              col[6][j] = power[k * R + rate_off + j % I];
              for (guint q = 0; q < N_COLUMNS; q++)
                table[j * N_COLUMNS + q] = (float) col[q][j];
            }
          if (!vesicle_experiment_write_array (ctx, name, table, dims, 2, error))
            goto out;
          {
            JsonObject *f = json_object_new ();
            JsonArray *names = json_array_new ();

            for (guint q = 0; q < N_COLUMNS; q++)
              json_array_add_string_element (names, columns[q]);
            json_object_set_int_member (f, "network", k);
            json_object_set_int_member (f, "layer", l + 1);
            json_object_set_string_member (f, "path", name);
            json_object_set_array_member (f, "columns", names);
            json_array_add_object_element (files, f);
          }
          for (guint a = 0; a < G_N_ELEMENTS (against); a++)
            {
              VesicleFit fit;

              vesicle_fit_loglog (&fit, col[against_col[a]], col[0], n);
              add_slope (slopes, k, rho, cohort.hyper[k].c, l, against[a], &fit, analytic[a]);
            }
          rate_off += I;
        }
    }
  ok = TRUE;

out:
  if (trainer)
    vesicle_trainer_free (trainer);
  vesicle_cohort_config_clear (&cohort);
  vesicle_experiment_data_clear (&data);
  return ok;
}

const VesicleExperimentType vesicle_experiment_importance = {
  .name = "importance",
  .title = N_("Synapse importance, learning rate and input rate against noise"),
  .figures = "fig5, app6",
  .summary = N_("Trains networks, freezes them and relates each synapse's noise to its importance "
                "(the Fisher information), learning rate and input rate."),
  .uses_dataset = TRUE,
  .trains = TRUE,
  .fields = importance_fields,
  .plan = importance_plan,
  .description =
    N_("Trains networks at ρ = ½ and three values of c, holds them fixed, and measures for "
       "every synapse its importance (the Fisher information), learning rate and input rate, "
       "then fits how σ² scales with each, layer by layer. Quick and Paper both use the "
       "paper's 784-100-100-10 network; Paper trains it for the Methods' 50 epochs."),
  .preset = importance_preset,
  .run = importance_run,
};

const VesicleExperimentType vesicle_experiment_zero_hidden = {
  .name = "zero-hidden",
  .title = N_("Zero hidden layers: simulated against analytic slopes"),
  .figures = "app5",
  .summary = N_("A network without hidden layers, whose noise is compared with the analytic slopes "
                "of Appendix 5."),
  .uses_dataset = TRUE,
  .trains = TRUE,
  .fields = zero_hidden_fields,
  .plan = importance_plan,
  .description =
    N_("Trains 784-10 networks, one per cost, and compares how σ² scales with the Hessian, "
       "learning rate and input power with the analytic slopes of Eq. 54 and the experimental "
       "slope −0.62. Quick trains long on normalised pixels and then lets σ settle with the "
       "means held, so that the slopes converge; Paper follows the Methods."),
  .preset = zero_hidden_preset,
  .run = importance_run,
};
