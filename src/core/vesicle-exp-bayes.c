/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "bayes" (Fig 7): energy-efficient synaptic noise against the variational-Bayes posterior.
 * One cohort holds, for each seed of "seeds", a group with that seed (common random numbers
 * within the group: the same initial weights, minibatches and noise draws, so that weight j means
 * much the same in every network of it) of
 *   - a variational-Bayes network (Bayes by backprop, Appendix 3): the cost -c sum log sigma with
 *     c = 1 is the ELBO's entropy (Eq 41), with a prior on the sampled weights: by default
 *     Laplace of scale 1/lambda (Eq 38: the paper identifies it with the magnitude cost;
 *     prior_l1 = lambda = 1e-4, so the prior is broad, as Eq 54c assumes), or with "prior":
 *     "gaussian" N(0, 1/prior_precision). Its L1 on mu is off: the prior on w takes its place;
 *   - energy-efficient networks (L1 lambda on mu, as the Methods) for each rho at each
 *     c = 10^step s^rho / rho, step over c_steps (Eq 48; s = 0.01 gives the caption's
 *     c = 10^(-2 rho) / rho, and steps of -1/4, 0, 1/4 decade give Fig 7c's 0.112, 0.2, 0.356 at
 *     rho 1/2): Fig 7a's full grid, a column per rho and a row per step, every ellipse on a
 *     comparable scale.
 * The VB network's sigma^2 is the posterior variance sigma_post^2. For each efficient network the
 * log-log slope of its sigma^2 against sigma_post^2, weight by weight, is fitted over one layer
 * ("layer", 1-based; 2, the hidden-to-hidden weights of Fig 5) and over all layers' weights
 * (biases left out), with 95% confidence intervals, beside Eq 54c: sigma^(rho+2) = c rho / H
 * (Eq 29) and sigma_post^2 = 1/H give log sigma^2 = 2/(rho+2) (log (c rho) + log sigma_post^2),
 * the analytic slope and intercept (the paper's Fig 7b/c lines). A slope of 1 would make the
 * efficient noise a copy of the posterior.
 * With exclude_inactive, one pass over the training set at the mean weights accumulates every
 * weight's squared data gradient (engine statistics); weights for which it is exactly zero in the
 * VB network or in the efficient one (pixels that are blank in every image, the in- and outgoing
 * weights of dead ReLU units) are left out of the fits: H = 0 there, so neither sigma has an
 * equilibrium and both only drift upwards at Adam's pace, which pulls the slope towards 1.
 *
 * Equilibrium takes time: Adam moves log sigma by at most about lr per step (measured nearer
 * lr / 2), and the power cost pushes every sigma up at that pace until the data term balances it.
 * The paper preset on the bundled subset (20,000 steps at lr 5e-4 from 1e-4) leaves rho 2's
 * sigmas all at 0.0097, still rising; full MNIST gives 150,000 steps. The quick preset starts
 * from 1e-2 at lr 4e-3 instead.
 *
 * The illustrative pair of Fig 7a: two active weights of the chosen layer whose sigma_post sit at
 * pair_quantiles (0.1 and 0.9) of the layer's sorted sigma_post (ties by index): a clearly
 * anisotropic posterior without the extreme tails. Each network's ellipse is centred at its own
 * mu with covariance diag(sigma_i^2, sigma_j^2); sigma_analytic is Eq 29's prediction from the
 * posterior, (c rho sigma_post^2)^(1/(rho+2)), to draw around the posterior mean.
 *
 * The first seed's group draws the figures and writes the files; each further seed's group is
 * analysed alike and adds its networks and slopes to "replicates", so that the report can state
 * every slope's mean and 95% interval over seeds.
 *
 * Files: train/ (run.json, metrics.csv, mu.npy, sigma.npy: all networks, seed by seed, VB first
 *   in each);
 *   bayes-sigma2.npy  (n_weights_of_layer, K) float32: sigma_post^2, then each efficient
 *                     network's sigma^2 in the order of "networks" (scatter plots; row j is
 *                     weight j of W_layer, row-major (O, I))
 *   bayes-fisher.npy  (n_weights_of_layer, K) float32, with exclude_inactive: each network's
 *                     summed squared minibatch gradient of the data term per weight (0: inactive)
 * summary.json:
 *   networks:       [{network, kind ("vb" | "efficient"), rho (null for vb), c, c_step, lambda,
 *                     test_accuracy, test_accuracy_mean, test_nll, mean_sigma, layer_mean_sigma}]
 *   slopes_by_rho:  [{network, rho, c, layer, slope, ci_low, ci_high, intercept, r, n, n_skipped,
 *                     n_inactive, analytic, analytic_intercept (log10 sigma^2 against log10
 *                     sigma_post^2), all_layers: {slope, ci_low, ci_high, intercept, r, n,
 *                     n_skipped, n_inactive}}]                                 (c = s^rho / rho)
 *   slopes_by_c:    the same for the first rho at each step of c_steps (Fig 7c)
 *   slopes_grid:    the same for every efficient network, each with its c_step (decades)
 *   pair:           {layer, indices: [i, j], units: [[o, i], [o, i]], quantiles,
 *                    posterior: {mu: [2], sigma: [2]},
 *                    efficient: [{network, rho, c, mu: [2], sigma: [2], sigma_analytic: [2]}]}
 *   posterior_against_fisher: {slope, ci_low, ci_high, intercept, r, n, n_skipped, layer,
 *                    analytic (-1)}: log sigma_post^2 against log Fisher, Eq 54c's premise
 *   prior ("laplace" | "gaussian") with prior_l1 or prior_precision; s; layer; exclude_inactive
 *   replicates:     [{seed, networks, slopes_by_rho, slopes_by_c, slopes_grid}] (further seeds;
 *                    "network" counts over the whole cohort)
 *   files:          [{path, shape, columns}]
 */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"
#include "vesicle-fit.h"

#include <math.h>

#define DESCRIPTION \
  N_("Trains one variational-Bayes network beside efficient networks for the four costs, each " \
  "at the c that Eq. 48 gives it and a quarter decade either side, and compares every " \
  "synapse's σ² with " \
  "the posterior's. Quick: a smaller 784-64-64-10 network for 6 epochs on the bundled " \
  "digits, σ from 10⁻². Paper: the Methods' 784-100-100-10, 50 epochs, σ from 10⁻⁴.")

#define CONFIG_ERROR(...) g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, __VA_ARGS__)

static JsonObject *
bayes_preset (const char *preset)
{
  JsonObject *c;
  JsonArray *rho, *steps, *quantiles;
  gboolean paper = g_strcmp0 (preset, "paper") == 0;

  if (!paper && g_strcmp0 (preset, "quick") != 0)
    return NULL;
  c = vesicle_exp_training_defaults ();
  rho = json_array_new ();
  steps = json_array_new ();
  quantiles = json_array_new ();
  json_array_add_double_element (rho, 0.5);
  json_array_add_double_element (rho, 2.0 / 3.0);
  json_array_add_double_element (rho, 4.0 / 3.0);
  json_array_add_double_element (rho, 2.0);
  /* Fig 7a's rows and Fig 7c's c: a quarter decade either side of 10^(-2 rho) / rho, which
   * at rho 1/2 are the caption's 0.112, 0.2 and 0.356 */
  json_array_add_double_element (steps, -0.25);
  json_array_add_double_element (steps, 0.0);
  json_array_add_double_element (steps, 0.25);
  json_array_add_double_element (quantiles, 0.1);
  json_array_add_double_element (quantiles, 0.9);
  json_object_set_array_member (c, "rho", rho);
  json_object_set_double_member (c, "s", 0.01);
  json_object_set_array_member (c, "c_steps", steps);
  json_object_set_string_member (c, "prior", "laplace");
  json_object_set_double_member (c, "prior_precision", 1.0);
  json_object_set_array_member (c, "seeds", vesicle_exp_three_seeds ());
  json_object_set_int_member (c, "layer", 2);
  json_object_set_array_member (c, "pair_quantiles", quantiles);
  json_object_set_boolean_member (c, "exclude_inactive", TRUE);
  if (!paper)
    {
      JsonArray *hidden = json_array_new ();

      /* two hidden layers so that layer 2 is hidden-to-hidden, as in the paper */
      json_array_add_int_element (hidden, 64);
      json_array_add_int_element (hidden, 64);
      json_object_set_array_member (c, "hidden", hidden);
      json_object_set_int_member (c, "epochs", 6);
      json_object_set_double_member (c, "lr", 4e-3);
      json_object_set_double_member (c, "sigma_init", 1e-2);
    }
  return c;
}

typedef struct {
  double   rho;
  double   c;
  double   c_step;  /* log10 of c / (s^rho / rho); NaN for the VB network */
  gboolean vb;
} NetworkSpec;

/* Index of the efficient network (rho, c), added if new; c within 1e-6 relative counts as equal,
 * so that two steps that land on one c share a network. */
static guint
find_or_add (GArray *specs,
             double  rho,
             double  c,
             double  c_step)
{
  NetworkSpec spec = { rho, c, c_step, FALSE };

  for (guint k = 0; k < specs->len; k++)
    {
      const NetworkSpec *o = &g_array_index (specs, NetworkSpec, k);

      if (!o->vb && fabs (o->rho - rho) <= 1e-9 && fabs (o->c - c) <= 1e-6 * fabs (c))
        return k;
    }
  g_array_append_val (specs, spec);
  return specs->len - 1;
}

/* A fit of log sigma^2 against log sigma_post^2, and how many weights it left out as inactive. */
typedef struct {
  VesicleFit fit;
  gsize      n_inactive;
} WeightFit;

/* Fits network k's sigma^2 against the posterior's (network 0) over the weights of layers
 * [first, last). With g2, a weight whose data-term gradient was exactly zero over the statistics
 * pass in either network is left out: its Hessian is 0 (a silent pixel, a dead unit), so neither
 * sigma has an equilibrium (Eq 29 and 54c need H > 0) and it only drifts at Adam's pace. */
static void
fit_weights (WeightFit          *out,
             const VesicleShape *shape,
             const float        *sigma,
             const float        *g2,
             guint               k,
             guint               first,
             guint               last)
{
  gsize P = vesicle_shape_n_params (shape), n = 0, m = 0;
  g_autofree double *x = NULL, *y = NULL;

  for (guint l = first; l < last; l++)
    n += (gsize) shape->sizes[l + 1] * shape->sizes[l];
  x = g_new (double, n);
  y = g_new (double, n);
  out->n_inactive = 0;
  for (guint l = first; l < last; l++)
    {
      gsize off = vesicle_shape_layer_offset (shape, l);
      gsize count = (gsize) shape->sizes[l + 1] * shape->sizes[l];

      for (gsize j = off; j < off + count; j++)
        {
          double sp = sigma[j], se = sigma[k * P + j];

          if (g2 != NULL && (g2[j] <= 0 || g2[k * P + j] <= 0))
            {
              out->n_inactive++;
              continue;
            }
          x[m] = sp * sp;
          y[m] = se * se;
          m++;
        }
    }
  vesicle_fit_loglog (&out->fit, x, y, m);
}

static JsonObject *
fit_object (const WeightFit *w)
{
  JsonObject *o = json_object_new ();

  vesicle_exp_set_double (o, "slope", w->fit.slope);
  vesicle_exp_set_double (o, "ci_low", w->fit.ci_low);
  vesicle_exp_set_double (o, "ci_high", w->fit.ci_high);
  vesicle_exp_set_double (o, "intercept", w->fit.intercept);
  vesicle_exp_set_double (o, "r", w->fit.r);
  json_object_set_int_member (o, "n", w->fit.n);
  json_object_set_int_member (o, "n_skipped", w->fit.n_skipped);
  json_object_set_int_member (o, "n_inactive", w->n_inactive);
  return o;
}

/* Eq 29 with H = 1/sigma_post^2 (Eq 54c): sigma^(rho+2) = c rho sigma_post^2, i.e.
 * log10 sigma^2 = 2/(rho+2) (log10 (c rho) + log10 sigma_post^2): the paper's Fig 7b/c lines. */
static JsonObject *
slope_entry (guint              network,
             const NetworkSpec *spec,
             guint              layer,
             const WeightFit   *layer_fit,
             const WeightFit   *all_fit)
{
  JsonObject *o = fit_object (layer_fit);
  double a = 2.0 / (spec->rho + 2.0);

  json_object_set_int_member (o, "network", network);
  vesicle_exp_set_double (o, "rho", spec->rho);
  vesicle_exp_set_double (o, "c", spec->c);
  vesicle_exp_set_double (o, "c_step", spec->c_step);
  json_object_set_int_member (o, "layer", layer);
  vesicle_exp_set_double (o, "analytic", a);
  vesicle_exp_set_double (o, "analytic_intercept", a * log10 (spec->c * spec->rho));
  json_object_set_object_member (o, "all_layers", fit_object (all_fit));
  return o;
}

static int
compare_by_value (const void *a,
                  const void *b,
                  void       *data)
{
  const double *v = data;
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (v[i] != v[j])
    return v[i] < v[j] ? -1 : 1;
  return i < j ? -1 : i > j ? 1 : 0;
}

static const char *const prior_choices[] = { "laplace", "gaussian", NULL };
static const char *const prior_labels[] = { N_("Laplace"), N_("Gaussian"), NULL };

static const VesicleConfigField bayes_fields[] = {
  { "rho", VESICLE_FIELD_NUMBERS, N_("Cost exponents ρ"), N_("Cost"),
    N_("One efficient network per exponent, at c = s^ρ/ρ"), 0, 16, 1, 16,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_EXPONENTS, NULL },
  { "s", VESICLE_FIELD_NUMBER, N_("Cost scale s"), N_("Cost"),
    N_("c = s^ρ/ρ, so every exponent's optimum noise has the same scale"), 0, 1e6, 0, 0,
    VESICLE_FIELD_MIN_OPEN, NULL },
  { "c_steps", VESICLE_FIELD_NUMBERS, N_("Steps of c, in decades"), N_("Cost"),
    N_("Each exponent's networks at c = 10^step · s^ρ/ρ: a row of Fig 7a per step"), -12, 12, 1,
    16, 0, NULL },
  { "prior", VESICLE_FIELD_CHOICE, N_("Prior"), N_("Cost"),
    N_("The variational-Bayes network's prior: Laplace with scale 1/λ (Eq. 38) or Gaussian"),
    0, 0, 0, 0, 0, prior_choices, prior_labels },
  { "prior_precision", VESICLE_FIELD_NUMBER, N_("Gaussian prior precision"), N_("Cost"),
    N_("τ of the Gaussian prior (τ/2) Σ w²"), 0, 1e12, 0, 0,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_ADVANCED, NULL },
  VESICLE_EXP_FIELD_REPEAT_SEEDS,
  { "layer", VESICLE_FIELD_COUNT, N_("Weight layer compared"), N_("Analysis"),
    N_("The weight layer compared (1 is the input layer)"), 1, VESICLE_MAX_LAYERS, 0, 0, 0, NULL },
  { "pair_quantiles", VESICLE_FIELD_NUMBERS, N_("Pair quantiles"), N_("Analysis"),
    N_("Fig 7a's two weights: at these quantiles of the layer's posterior σ"), 0, 1, 2, 2,
    VESICLE_FIELD_ADVANCED, NULL },
  { "exclude_inactive", VESICLE_FIELD_BOOLEAN, N_("Leave out silent synapses"), N_("Analysis"),
    N_("Fit only weights that receive a data gradient"), 0, 0, 0, 0, VESICLE_FIELD_ADVANCED, NULL },
  { NULL }
};

/* VB first, then one efficient network per (rho, step) at c = 10^step s^rho / rho, rho by rho;
 * @by_rho (rhos) the network at the step nearest 0 for each rho (Fig 7b), @by_c (steps) the
 * first rho's network at each step (Fig 7c). FALSE if a list is missing. */
static gboolean
network_specs (JsonObject *config,
               GArray     *specs,
               guint     **by_rho,
               guint     **by_c,
               GError    **error)
{
  g_autoptr(GArray) rhos = NULL, steps = NULL;
  NetworkSpec vb = { NAN, 1.0, NAN, TRUE };
  double s = 1;
  guint middle = 0;

  if (!(rhos = vesicle_config_get_doubles (config, "rho", error))
      || !(steps = vesicle_config_get_doubles (config, "c_steps", error))
      || !vesicle_config_get_double (config, "s", &s, error))
    return FALSE;
  for (guint i = 1; i < steps->len; i++)
    if (fabs (g_array_index (steps, double, i)) < fabs (g_array_index (steps, double, middle)))
      middle = i;
  if (by_rho)
    *by_rho = g_new0 (guint, rhos->len);
  if (by_c)
    *by_c = g_new0 (guint, steps->len);
  g_array_append_val (specs, vb);
  for (guint r = 0; r < rhos->len; r++)
    for (guint i = 0; i < steps->len; i++)
      {
        double rho = g_array_index (rhos, double, r), step = g_array_index (steps, double, i);
        guint k = find_or_add (specs, rho, pow (10, step) * pow (s, rho) / rho, step);

        if (by_rho && i == middle)
          (*by_rho)[r] = k;
        if (by_c && r == 0)
          (*by_c)[i] = k;
      }
  return TRUE;
}

static void
bayes_check (JsonObject               *config,
             const VesicleDatasetInfo *data,
             GPtrArray                *problems)
{
  g_autoptr(GArray) hidden = vesicle_config_get_uints (config, "hidden", NULL);
  guint layer = 1;
  double lambda = 0;
  const char *prior = "laplace";

  vesicle_config_get_uint (config, "layer", &layer, NULL);
  if (hidden && layer > hidden->len + 1)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("layer", "Layer",
                                                 _("%u, but the network has weight layers 1 to %u"),
                                                 layer, hidden->len + 1));
  vesicle_config_get_double (config, "lambda", &lambda, NULL);
  vesicle_config_get_string (config, "prior", &prior, NULL);
  if (g_str_equal (prior, "laplace") && !(lambda > 0))
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("lambda", "L1 weight λ",
                                                 _("must be greater than 0 with a Laplace prior, "
                                                   "whose scale is 1/λ")));
}

static void
bayes_plan (JsonObject               *config,
            const VesicleDatasetInfo *data,
            VesicleExperimentPlan    *plan)
{
  g_autoptr(GArray) specs = g_array_new (FALSE, FALSE, sizeof (NetworkSpec));
  g_autoptr(GArray) seeds = vesicle_config_get_uints (config, "seeds", NULL);
  VesicleCohortPlan cohort;
  gboolean exclude_inactive = FALSE;

  network_specs (config, specs, NULL, NULL, NULL);
  vesicle_exp_cohort_plan (&cohort, config, data, specs->len * (seeds ? seeds->len : 1));
  vesicle_experiment_plan_add (plan, &cohort);
  vesicle_config_get_bool (config, "exclude_inactive", &exclude_inactive, NULL);
  /* one pass at the mean weights for the data gradients: a forward and a backward */
  if (exclude_inactive)
    {
      plan->analysis_flops = 4.0 * cohort.K * cohort.P * (cohort.steps / MAX (cohort.epochs, 1))
                             * cohort.batch;
      plan->analysis_steps = cohort.steps / MAX (cohort.epochs, 1);
    }
}

static JsonArray *
pair_array (double a,
            double b)
{
  double v[2] = { a, b };

  return vesicle_json_double_array (v, 2);
}

/* The summed squared minibatch gradient of the data term for every parameter, (K, P), over one
 * pass at the mean weights: exactly zero where a weight never receives a gradient. */
static float *
data_gradients (VesicleTrainer              *trainer,
                const VesicleExperimentData *data,
                GCancellable                *cancellable,
                GError                     **error)
{
  VesicleEngine *engine = vesicle_trainer_get_engine (trainer);
  const VesicleCohortConfig *cfg = vesicle_engine_get_config (engine);
  gsize P = vesicle_shape_n_params (&cfg->shape), R = 0;
  g_autofree float *g2 = g_new (float, cfg->K * P);
  g_autofree float *gabs = g_new (float, cfg->K * P);
  g_autofree float *rate = NULL;
  guint n_batches, n_examples;

  for (guint l = 0; l < cfg->shape.n_layers; l++)
    R += cfg->shape.sizes[l];
  rate = g_new (float, cfg->K * R);
  /* sums do not depend on the order: the examples go up as they are */
  if (!vesicle_engine_set_train_data (engine, data->train_ex.x, data->train_ex.targets,
                                       data->train_ex.n, error))
    return NULL;
  for (guint b = 0; b < data->train_ex.n / cfg->batch; b++)
    {
      if (!vesicle_engine_accumulate_stats (engine, b, error))
        return NULL;
      if (b % 100 == 99 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (!vesicle_engine_read_stats (engine, g2, gabs, rate, &n_batches, &n_examples, error))
    return NULL;
  return g_steal_pointer (&g2);
}

/* One seed's group of networks, cohort networks [base, base + specs->len): its networks and
 * slopes into @out; with @first (the first seed) also the pair, the posterior against the Fisher
 * and the files. */
static gboolean
analyse (VesicleExperimentContext  *ctx,
         JsonObject                *out,
         gboolean                   first,
         guint                      base,
         const VesicleCohortConfig *cohort,
         GArray                    *specs,
         VesicleTrainer            *trainer,
         const float               *g2_all,
         guint                      layer,
         guint                      n_rhos,
         const guint               *by_rho,
         guint                      n_steps,
         const guint               *by_c,
         GArray                    *quantiles,
         GError                   **error)
{
  const VesicleShape *shape = &cohort->shape;
  gsize P = vesicle_shape_n_params (shape);
  const float *mu = vesicle_trainer_get_mu (trainer) + base * P;
  const float *sigma = vesicle_trainer_get_sigma (trainer) + base * P;
  const float *g2 = g2_all ? g2_all + base * P : NULL;
  guint K = specs->len, L = shape->n_layers, n_rows;
  gsize l_off = vesicle_shape_layer_offset (shape, layer - 1);
  gsize l_in = shape->sizes[layer - 1];
  gsize l_n = (gsize) shape->sizes[layer] * l_in;
  g_autofree float *table = g_new (float, l_n * K);
  g_autofree WeightFit *layer_fits = g_new0 (WeightFit, K);
  g_autofree WeightFit *all_fits = g_new0 (WeightFit, K);
  const VesicleEpochMetrics *rows = vesicle_trainer_get_metrics (trainer, &n_rows);
  JsonArray *networks = json_array_new ();
  JsonArray *slopes_rho = json_array_new ();
  JsonArray *slopes_c = json_array_new ();
  JsonArray *slopes_grid = json_array_new ();
  JsonArray *files = json_array_new ();
  JsonObject *pair = json_object_new ();
  JsonArray *columns = json_array_new ();

  json_object_set_array_member (out, "networks", networks);
  json_object_set_array_member (out, "slopes_by_rho", slopes_rho);
  json_object_set_array_member (out, "slopes_by_c", slopes_c);
  json_object_set_array_member (out, "slopes_grid", slopes_grid);
  if (first)
    {
      json_object_set_object_member (out, "pair", pair);
      json_object_set_array_member (out, "files", files);
    }
  else
    {
      /* freed below: only the first seed draws the pair and writes files */
      g_clear_pointer (&pair, json_object_unref);
      g_clear_pointer (&files, json_array_unref);
    }

  for (guint k = 0; k < K; k++)
    {
      const NetworkSpec *spec = &g_array_index (specs, NetworkSpec, k);
      const VesicleEpochMetrics *m = &rows[n_rows - cohort->K + base + k];
      JsonObject *net = json_object_new ();

      json_object_set_int_member (net, "network", base + k);
      json_object_set_string_member (net, "kind", spec->vb ? "vb" : "efficient");
      vesicle_exp_set_double (net, "rho", spec->rho);
      vesicle_exp_set_double (net, "c", spec->c);
      vesicle_exp_set_double (net, "c_step", spec->c_step);
      json_object_set_int_member (net, "seed", cohort->hyper[base + k].seed);
      vesicle_exp_set_double (net, "lambda", cohort->hyper[base + k].lambda);
      vesicle_exp_set_double (net, "test_accuracy", m->test_accuracy);
      vesicle_exp_set_double (net, "test_accuracy_mean", m->test_accuracy_mean);
      vesicle_exp_set_double (net, "test_nll", m->test_nll);
      vesicle_exp_set_double (net, "mean_sigma", m->mean_sigma);
      vesicle_exp_set_double (net, "layer_mean_sigma", m->layer_mean_sigma[layer - 1]);
      json_array_add_object_element (networks, net);

      for (gsize j = 0; j < l_n; j++)
        {
          double v = sigma[k * P + l_off + j];

          table[j * K + k] = (float) (v * v);
        }
      if (spec->vb)
        {
          json_array_add_string_element (columns, "posterior");
          continue;
        }
      {
        g_autofree char *name = g_strdup_printf ("rho=%.6g c=%.6g", spec->rho, spec->c);

        json_array_add_string_element (columns, name);
      }
      fit_weights (&layer_fits[k], shape, sigma, g2, k, layer - 1, layer);
      fit_weights (&all_fits[k], shape, sigma, g2, k, 0, L);
      vesicle_experiment_message (ctx, "rho %.3g, c %.3g: slope of sigma^2 against sigma_post^2 "
                                  "%.3f [%.3f, %.3f] (layer %u, %" G_GSIZE_FORMAT " weights), "
                                  "%.3f (all layers); Eq 54c %.3f", spec->rho, spec->c,
                                  layer_fits[k].fit.slope, layer_fits[k].fit.ci_low,
                                  layer_fits[k].fit.ci_high, layer, layer_fits[k].fit.n,
                                  all_fits[k].fit.slope, 2.0 / (spec->rho + 2.0));
    }

  for (guint k = 1; k < K; k++)
    json_array_add_object_element (slopes_grid,
                                   slope_entry (base + k, &g_array_index (specs, NetworkSpec, k), layer,
                                                &layer_fits[k], &all_fits[k]));
  for (guint r = 0; r < n_rhos; r++)
    json_array_add_object_element (slopes_rho,
                                   slope_entry (base + by_rho[r],
                                                &g_array_index (specs, NetworkSpec, by_rho[r]),
                                                layer, &layer_fits[by_rho[r]],
                                                &all_fits[by_rho[r]]));
  for (guint i = 0; i < n_steps; i++)
    json_array_add_object_element (slopes_c,
                                   slope_entry (base + by_c[i],
                                                &g_array_index (specs, NetworkSpec, by_c[i]),
                                                layer, &layer_fits[by_c[i]], &all_fits[by_c[i]]));

  if (!first)
    {
      json_array_unref (columns);
      return TRUE;
    }

  /* Eq 54c's premise, H ∝ 1/sigma_post^2: the posterior variance against the empirical Fisher
   * of the VB network (slope -1 if it holds) */
  if (g2 != NULL)
    {
      g_autofree double *h = g_new (double, l_n), *v = g_new (double, l_n);
      WeightFit w = { 0 };
      JsonObject *o;

      for (gsize j = 0; j < l_n; j++)
        {
          h[j] = g2[l_off + j];
          v[j] = table[j * K];
        }
      /* the log fit skips the zeros: those are the inactive weights */
      vesicle_fit_loglog (&w.fit, h, v, l_n);
      o = fit_object (&w);
      json_object_set_int_member (o, "layer", layer);
      vesicle_exp_set_double (o, "analytic", -1.0);
      json_object_set_object_member (out, "posterior_against_fisher", o);
    }

  /* the illustrative pair: sigma_post at two quantiles of the layer's active weights */
  {
    g_autofree double *post = g_new (double, l_n);
    g_autofree guint *order = g_new (guint, l_n);
    gsize n_order = 0;
    guint pick[2];
    JsonObject *posterior = json_object_new ();
    JsonArray *efficient = json_array_new ();
    JsonArray *indices = json_array_new (), *units = json_array_new ();

    for (gsize j = 0; j < l_n; j++)
      {
        post[j] = sigma[l_off + j];
        if (g2 == NULL || g2[l_off + j] > 0)
          order[n_order++] = j;
      }
    if (n_order < 2)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("layer %u: fewer than two weights receive any gradient"), layer);
        return FALSE;
      }
    g_qsort_with_data (order, n_order, sizeof (guint), compare_by_value, post);
    for (guint q = 0; q < 2; q++)
      {
        JsonArray *unit = json_array_new ();

        pick[q] = order[(gsize) lround (g_array_index (quantiles, double, q) * (n_order - 1))];
        json_array_add_int_element (indices, pick[q]);
        json_array_add_int_element (unit, pick[q] / l_in);
        json_array_add_int_element (unit, pick[q] % l_in);
        json_array_add_array_element (units, unit);
      }
    json_object_set_int_member (pair, "layer", layer);
    json_object_set_array_member (pair, "indices", indices);
    json_object_set_array_member (pair, "units", units);
    json_object_set_array_member (pair, "quantiles",
                                  vesicle_json_double_array ((double *) quantiles->data, 2));
    json_object_set_array_member (posterior, "mu", pair_array (mu[l_off + pick[0]],
                                                               mu[l_off + pick[1]]));
    json_object_set_array_member (posterior, "sigma", pair_array (post[pick[0]], post[pick[1]]));
    json_object_set_object_member (pair, "posterior", posterior);
    for (guint k = 1; k < K; k++)
      {
        const NetworkSpec *spec = &g_array_index (specs, NetworkSpec, k);
        JsonObject *o = json_object_new ();
        gsize at = k * P + l_off;
        double a = 1.0 / (spec->rho + 2.0);

        json_object_set_int_member (o, "network", k);
        vesicle_exp_set_double (o, "rho", spec->rho);
        vesicle_exp_set_double (o, "c", spec->c);
        vesicle_exp_set_double (o, "c_step", spec->c_step);
        json_object_set_array_member (o, "mu", pair_array (mu[at + pick[0]],
                                                           mu[at + pick[1]]));
        json_object_set_array_member (o, "sigma", pair_array (sigma[at + pick[0]],
                                                              sigma[at + pick[1]]));
        /* what Eq 29 predicts from the posterior: sigma = (c rho sigma_post^2)^(1/(rho+2)) */
        json_object_set_array_member (o, "sigma_analytic",
                                      pair_array (pow (spec->c * spec->rho
                                                       * post[pick[0]] * post[pick[0]], a),
                                                  pow (spec->c * spec->rho
                                                       * post[pick[1]] * post[pick[1]], a)));
        json_array_add_object_element (efficient, o);
      }
    json_object_set_array_member (pair, "efficient", efficient);
  }

  {
    gsize dims[2] = { l_n, K };
    JsonObject *f = json_object_new ();
    JsonArray *shape_a = json_array_new ();

    json_array_add_int_element (shape_a, dims[0]);
    json_array_add_int_element (shape_a, dims[1]);
    json_object_set_string_member (f, "path", "bayes-sigma2.npy");
    json_object_set_array_member (f, "shape", shape_a);
    json_object_set_array_member (f, "columns", columns);
    json_array_add_object_element (files, f);
    if (!vesicle_experiment_write_array (ctx, "bayes-sigma2.npy", table, dims, 2, error))
      return FALSE;
    if (g2 != NULL)
      {
        JsonObject *g = json_object_new ();
        JsonArray *shape_g = json_array_new (), *fisher_columns = json_array_new ();

        /* the same layout: each network's summed squared data gradient per weight */
        for (gsize j = 0; j < l_n; j++)
          for (guint k = 0; k < K; k++)
            table[j * K + k] = g2[k * P + l_off + j];
        json_array_add_int_element (shape_g, dims[0]);
        json_array_add_int_element (shape_g, dims[1]);
        json_object_set_string_member (g, "path", "bayes-fisher.npy");
        json_object_set_array_member (g, "shape", shape_g);
        json_array_add_string_element (fisher_columns, "vb");
        for (guint k = 1; k < K; k++)
          json_array_add_string_element (fisher_columns,
                                         json_array_get_string_element (columns, k));
        json_object_set_array_member (g, "columns", fisher_columns);
        json_array_add_object_element (files, g);
        if (!vesicle_experiment_write_array (ctx, "bayes-fisher.npy", table, dims, 2, error))
          return FALSE;
      }
  }
  return TRUE;
}

static gboolean
bayes_run (VesicleExperimentContext *ctx,
           GError                  **error)
{
  g_autoptr(GArray) rhos = NULL, steps = NULL, quantiles = NULL, seeds = NULL;
  g_autoptr(GArray) specs = g_array_new (FALSE, FALSE, sizeof (NetworkSpec));
  g_autofree guint *by_rho = NULL, *by_c = NULL;
  VesicleExperimentData data = { 0 };
  VesicleCohortConfig cohort = { 0 };
  VesicleTrainSchedule schedule;
  VesicleTrainer *trainer = NULL;
  double s, lambda, prior_precision;
  const char *prior;
  gboolean gaussian;
  guint layer, K, n_group;
  gboolean exclude_inactive, ok = FALSE;
  g_autofree float *g2 = NULL;

  if (!(rhos = vesicle_config_get_doubles (ctx->config, "rho", error))
      || !(steps = vesicle_config_get_doubles (ctx->config, "c_steps", error))
      || !(quantiles = vesicle_config_get_doubles (ctx->config, "pair_quantiles", error))
      || !vesicle_config_get_double (ctx->config, "s", &s, error)
      || !vesicle_config_get_double (ctx->config, "lambda", &lambda, error)
      || !vesicle_config_get_double (ctx->config, "prior_precision", &prior_precision, error)
      || !vesicle_config_get_string (ctx->config, "prior", &prior, error)
      || !(seeds = vesicle_config_get_uints (ctx->config, "seeds", error))
      || !vesicle_config_get_uint (ctx->config, "layer", &layer, error)
      || !vesicle_config_get_bool (ctx->config, "exclude_inactive", &exclude_inactive, error))
    return FALSE;
  if (!g_str_equal (prior, "laplace") && !g_str_equal (prior, "gaussian"))
    {
      CONFIG_ERROR ("config: 'prior' is '%s'; use \"laplace\" (scale 1/lambda, Eq 38) or "
                    "\"gaussian\" (precision prior_precision)", prior);
      return FALSE;
    }
  gaussian = g_str_equal (prior, "gaussian");
  if (seeds->len == 0)
    {
      CONFIG_ERROR ("config: 'seeds' needs at least one seed");
      return FALSE;
    }
  if (!(s > 0 && isfinite (s)))
    {
      CONFIG_ERROR ("config: 's' must be a positive number (c = s^rho / rho)");
      return FALSE;
    }
  if (gaussian ? !(prior_precision > 0 && isfinite (prior_precision)) : !(lambda > 0))
    {
      CONFIG_ERROR (gaussian ? "config: 'prior_precision' must be positive for a Gaussian prior"
                             : "config: 'lambda' must be positive: the Laplace prior has scale "
                               "1/lambda");
      return FALSE;
    }
  if (quantiles->len != 2
      || !(g_array_index (quantiles, double, 0) >= 0 && g_array_index (quantiles, double, 0) <= 1)
      || !(g_array_index (quantiles, double, 1) >= 0 && g_array_index (quantiles, double, 1) <= 1))
    {
      CONFIG_ERROR ("config: 'pair_quantiles' must be two numbers in [0, 1]");
      return FALSE;
    }
  for (guint r = 0; r < rhos->len; r++)
    if (!(g_array_index (rhos, double, r) > 0))
      {
        CONFIG_ERROR ("config: 'rho' must hold positive numbers");
        return FALSE;
      }
  for (guint i = 0; i < steps->len; i++)
    if (!isfinite (g_array_index (steps, double, i)))
      {
        CONFIG_ERROR ("config: 'c_steps' must hold finite numbers (decades)");
        return FALSE;
      }

  /* in each seed's group network 0 is the posterior; the others are the efficient networks */
  if (!network_specs (ctx->config, specs, &by_rho, &by_c, error))
    return FALSE;
  n_group = specs->len;
  K = n_group * seeds->len;

  if (!vesicle_experiment_data_load (ctx, &data, error)
      || !vesicle_exp_cohort_from_config (&cohort, &schedule, ctx->config, &data, K, error))
    goto out;
  if (layer < 1 || layer > cohort.shape.n_layers)
    {
      CONFIG_ERROR ("config: 'layer' is %u; the network has weight layers 1 to %u", layer,
                    cohort.shape.n_layers);
      goto out;
    }
  for (guint k = 0; k < K; k++)
    {
      const NetworkSpec *spec = &g_array_index (specs, NetworkSpec, k % n_group);
      guint seed = g_array_index (seeds, guint, k / n_group);

      if (spec->vb)
        /* rho is unused by the entropy cost; 0 keeps run.json and metrics.csv numeric */
        cohort.hyper[k] = (VesicleHyper) {
          .rho = 0.0, .c = 1.0, .lambda = 0.0, .setting = VESICLE_SIGMA_HETERO, .seed = seed,
          .cost = VESICLE_COST_ENTROPY, .prior_l1 = gaussian ? 0.0 : lambda,
          .prior_precision = gaussian ? prior_precision : 0.0,
        };
      else
        cohort.hyper[k] = (VesicleHyper) {
          .rho = spec->rho, .c = spec->c, .lambda = lambda, .setting = VESICLE_SIGMA_HETERO,
          .seed = seed, .cost = VESICLE_COST_POWER,
        };
    }
  json_object_set_string_member (ctx->summary, "prior", prior);
  vesicle_exp_set_double (ctx->summary, gaussian ? "prior_precision" : "prior_l1",
                          gaussian ? prior_precision : lambda);
  vesicle_exp_set_double (ctx->summary, "s", s);
  json_object_set_int_member (ctx->summary, "layer", layer);
  json_object_set_boolean_member (ctx->summary, "exclude_inactive", exclude_inactive);

  if (!(trainer = vesicle_experiment_train (ctx, "train", &cohort, &schedule, &data, error)))
    goto out;
  if (exclude_inactive)
    {
      vesicle_experiment_phase (ctx, "Measuring the data gradients");
      vesicle_experiment_message (ctx, "statistics: one pass at the mean weights");
      if (!(g2 = data_gradients (trainer, &data, ctx->cancellable, error)))
        goto out;
    }
  ok = TRUE;
  for (guint g = 0; g < seeds->len && ok; g++)
    {
      JsonObject *out = ctx->summary;

      if (g > 0)
        {
          JsonNode *node = json_object_get_member (ctx->summary, "replicates");

          if (node == NULL)
            json_object_set_array_member (ctx->summary, "replicates", json_array_new ());
          out = json_object_new ();
          json_object_set_int_member (out, "seed", g_array_index (seeds, guint, g));
          json_array_add_object_element (json_object_get_array_member (ctx->summary,
                                                                       "replicates"), out);
        }
      ok = analyse (ctx, out, g == 0, g * n_group, &cohort, specs, trainer, g2, layer,
                    rhos->len, by_rho, steps->len, by_c, quantiles, error);
    }

out:
  if (trainer)
    vesicle_trainer_free (trainer);
  vesicle_cohort_config_clear (&cohort);
  vesicle_experiment_data_clear (&data);
  return ok;
}

const VesicleExperimentType vesicle_experiment_bayes = {
  .name = "bayes",
  .title = N_("Energy-efficient synaptic noise against the Bayesian posterior"),
  .figures = "fig7",
  .summary = N_("Trains a variational-Bayes network beside energy-efficient ones and compares "
                "their noise with the posterior's."),
  .description = DESCRIPTION,
  .uses_dataset = TRUE,
  .trains = TRUE,
  .fields = bayes_fields,
  .preset = bayes_preset,
  .check = bayes_check,
  .plan = bayes_plan,
  .run = bayes_run,
};
