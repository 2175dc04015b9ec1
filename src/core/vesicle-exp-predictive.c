/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "predictive" (Appendix 4, figure 1): predictive distributions of 1-D regression networks
 * trained by variational Bayes and by the energy-efficient cost.
 *
 * Data: n_data points with x uniform on the union of the intervals in data_ranges (flat pairs
 * lo, hi; by default [-2, -0.5] and [0.5, 1]: a gap around the minimum of f at 0 and nothing
 * beyond, so the networks must interpolate and extrapolate), y = f(x) + N(0, noise_sd^2) with the
 * caption's f(x) = x^3 + 2 x^2 and noise_sd 0.05; drawn from data_seed with GRand.
 * Networks: 1-hidden-1 ReLU (hidden: [20]), Gaussian likelihood of s.d. noise_sd (the true
 * one), in one cohort with one seed (common random numbers):
 *   - variational Bayes: entropy cost -sum log sigma (c = 1, Eq 41);
 *   - energy-efficient: c sum sigma^-rho for every rho and s, with c = s^rho / rho (Eq 48: s is
 *     the noise level at which the power-law cost touches the entropy, Eq 53), so one s list
 *     means the same "small" and "large" cost for every rho.
 * Every network has the same Gaussian prior N(0, 1/prior_precision) (N(0, 1)) on its sampled
 * weights and no L1 on mu, so they differ only in the reliability cost (the two bounds of Eq 49).
 * Training: the costs are weighted as in the ELBO for n_data points (cohort n_train = n_data),
 * and each step takes `batch` (n_data) examples. The trainer's examples are the data repeated
 * `repeats` times and shuffled as one set, so that a trainer epoch is repeats * n_data / batch
 * steps, not one (one line of metrics.csv and one progress message per epoch); a minibatch is
 * therefore close to a full batch (a point may appear twice and another not at all), an unbiased
 * estimate of the full-batch gradient. run.json's n_train counts the repeats.
 * Predictions: on grid_points points of grid (a wider interval than the data), n_samples weight
 * draws per network (engine predict, stream 4: apart from training, evaluation, initialisation
 * and shuffling), giving per point the predictive mean and s.d. from the weights alone (sd) and
 * with the likelihood noise added (sd_total = sqrt (sd^2 + noise_sd^2)); the figure's band is
 * mean ± 2 s.d.
 *
 * Files: train/ (run.json, metrics.csv, mu.npy, sigma.npy);
 *   predictive-samples.npy  (K, n_samples, grid_points) float32: every draw's f(x) on the grid
 * summary.json:
 *   data:      {x: [n], y: [n], ranges: [[lo, hi], ...]}
 *   grid:      [G], truth: [G] (f on the grid), inside: [G] (booleans: within a data range)
 *   noise_sd, prior ("gaussian"), prior_precision, n_samples
 *   networks:  [{network, kind ("vb" | "efficient"), rho (null for vb), s (null), c, mean: [G],
 *                sd: [G], sd_total: [G], mean_sigma, train_nll, rmse_inside (predictive mean
 *                against f within the data ranges),
 *                width: {inside, outside, gap, extrapolation, ratio}      band width 4 sd,
 *                width_total: {inside, outside, gap, extrapolation, ratio}  4 sd_total}]
 *   where each width is the mean over those grid points, "gap" is outside the ranges but between
 *   the smallest and largest data x, "extrapolation" beyond them, and ratio = outside / inside.
 * Measured (quick): the VB band widens beyond the data (0.73 against 0.19 inside) but not in the
 * gap (0.10): mean-field VI on a one-hidden-layer ReLU network is known to give little
 * "in-between" uncertainty (Foong et al. 2019), so "outside" mostly reflects extrapolation.
 */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"
#include "vesicle-fit.h"

#include <math.h>
#include <stdlib.h>

#define DESCRIPTION \
  N_("Fits a 1-20-1 network to a cubic with a gap in its data, by variational Bayes and by " \
  "efficient noise (ρ = ½ and 2, two values of c), and draws the predictive mean and ±2 " \
  "s.d. band inside, between and beyond the data. Quick takes about 10 seconds, Paper about " \
  "a minute, with longer training and more weight samples.")

#define CONFIG_ERROR(...) g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, __VA_ARGS__)

/* apart from VESICLE_STREAM_TRAIN/EVAL/INIT/SHUFFLE (0-3) and the eval rounds (1 | r << 2) */
#define PREDICT_STREAM 4u

static JsonObject *
predictive_preset (const char *preset)
{
  JsonObject *c;
  JsonArray *ranges, *grid, *rho, *s, *hidden;
  gboolean paper = g_strcmp0 (preset, "paper") == 0;

  if (!paper && g_strcmp0 (preset, "quick") != 0)
    return NULL;
  c = json_object_new ();
  ranges = json_array_new ();
  grid = json_array_new ();
  rho = json_array_new ();
  s = json_array_new ();
  hidden = json_array_new ();
  json_array_add_double_element (ranges, -2.0);
  json_array_add_double_element (ranges, -0.5);
  json_array_add_double_element (ranges, 0.5);
  json_array_add_double_element (ranges, 1.0);
  json_array_add_double_element (grid, -3.0);
  json_array_add_double_element (grid, 2.0);
  json_array_add_double_element (rho, 0.5);
  json_array_add_double_element (rho, 2.0);
  json_array_add_double_element (s, 0.01);
  json_array_add_double_element (s, 0.1);
  json_array_add_int_element (hidden, 20);
  json_object_set_array_member (c, "data_ranges", ranges);
  json_object_set_int_member (c, "n_data", 40);
  json_object_set_double_member (c, "noise_sd", 0.05);
  json_object_set_int_member (c, "data_seed", 0);
  json_object_set_array_member (c, "hidden", hidden);
  json_object_set_array_member (c, "rho", rho);
  json_object_set_array_member (c, "s", s);
  json_object_set_double_member (c, "prior_precision", 1.0);
  json_object_set_int_member (c, "seed", 1);
  json_object_set_int_member (c, "batch", 40);
  json_object_set_int_member (c, "repeats", 250);
  json_object_set_int_member (c, "epochs", paper ? 400 : 60);
  json_object_set_double_member (c, "lr", paper ? 2e-3 : 3e-3);
  json_object_set_double_member (c, "sigma_init", 1e-2);
  json_object_set_double_member (c, "init_range", 0.5);
  json_object_set_array_member (c, "grid", grid);
  json_object_set_int_member (c, "grid_points", 200);
  json_object_set_int_member (c, "n_samples", paper ? 1000 : 200);
  return c;
}

static double
truth (double x)
{
  return x * x * x + 2.0 * x * x;
}

static gboolean
in_ranges (double        x,
           const double *ranges,
           guint         n_ranges)
{
  for (guint r = 0; r < n_ranges; r++)
    if (x >= ranges[2 * r] && x <= ranges[2 * r + 1])
      return TRUE;
  return FALSE;
}

/* Mean band width (4 s.d.) over the grid points of each region: inside the data ranges,
 * outside them, in the gap (outside, but between the smallest and largest data x), beyond the
 * data; then outside / inside. NAN for a region without grid points. */
enum { W_INSIDE, W_OUTSIDE, W_GAP, W_EXTRAPOLATION, W_RATIO, N_W };
static const char *const width_names[N_W] = {
  "inside", "outside", "gap", "extrapolation", "ratio",
};

static void
band_widths (double         *w,
             const double   *sd,
             const double   *grid,
             const gboolean *inside,
             guint           G,
             double          data_lo,
             double          data_hi)
{
  double sum[W_RATIO] = { 0 }, n[W_RATIO] = { 0 };

  for (guint g = 0; g < G; g++)
    {
      guint region = inside[g] ? W_INSIDE
                     : grid[g] > data_lo && grid[g] < data_hi ? W_GAP : W_EXTRAPOLATION;

      sum[region] += 4.0 * sd[g];
      n[region]++;
      if (!inside[g])
        {
          sum[W_OUTSIDE] += 4.0 * sd[g];
          n[W_OUTSIDE]++;
        }
    }
  for (guint r = 0; r < W_RATIO; r++)
    w[r] = n[r] > 0 ? sum[r] / n[r] : NAN;
  w[W_RATIO] = w[W_OUTSIDE] / w[W_INSIDE];
}

static JsonObject *
widths_object (const double *w)
{
  JsonObject *o = json_object_new ();

  for (guint r = 0; r < N_W; r++)
    vesicle_exp_set_double (o, width_names[r], w[r]);
  return o;
}

static const VesicleConfigField predictive_fields[] = {
  { "data_ranges", VESICLE_FIELD_NUMBERS, N_("Data ranges"), N_("Data"),
    N_("Pairs lo, hi: where the training points lie on the x axis"), -1e6, 1e6, 2, 64, 0, NULL },
  { "n_data", VESICLE_FIELD_COUNT, N_("Data points"), N_("Data"),
    N_("Training points, drawn uniformly over the ranges"), 2, 1e6, 0, 0, 0, NULL },
  { "noise_sd", VESICLE_FIELD_NUMBER, N_("Observation noise"), N_("Data"),
    N_("Standard deviation of y around the true curve, and the likelihood's"), 0, 1e6, 0, 0,
    VESICLE_FIELD_MIN_OPEN, NULL },
  { "data_seed", VESICLE_FIELD_COUNT, N_("Data seed"), N_("Data"),
    N_("Seed of the drawn points (and of the minibatch order)"), 0, 4294967295.0, 0, 0,
    VESICLE_FIELD_ADVANCED, NULL },
  { "hidden", VESICLE_FIELD_COUNTS, N_("Hidden layer widths"), N_("Network"),
    N_("Widths of the hidden ReLU layers"), 1, 65536, 0, VESICLE_MAX_LAYERS - 1,
    VESICLE_FIELD_LAYERS, NULL },
  { "rho", VESICLE_FIELD_NUMBERS, N_("Cost exponents ρ"), N_("Cost"),
    N_("One efficient network per exponent and scale"), 0, 16, 1, 16,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_EXPONENTS, NULL },
  { "s", VESICLE_FIELD_NUMBERS, N_("Cost scales s"), N_("Cost"), N_("c = s^ρ/ρ"), 0, 1e6, 1, 16,
    VESICLE_FIELD_MIN_OPEN, NULL },
  { "prior_precision", VESICLE_FIELD_NUMBER, N_("Prior precision"), N_("Cost"),
    N_("τ of the Gaussian prior (τ/2) Σ w² on every network's sampled weights"), 0, 1e12, 0, 0, 0,
    NULL },
  { "seed", VESICLE_FIELD_COUNT, N_("Seed"), N_("Training"), N_("Initial weights and noise"),
    0, 4294967295.0, 0, 0, 0, NULL },
  { "batch", VESICLE_FIELD_COUNT, N_("Minibatch"), N_("Training"), N_("Points per Adam step"),
    1, 65536, 0, 0, 0, NULL },
  { "repeats", VESICLE_FIELD_COUNT, N_("Passes per epoch"), N_("Training"),
    N_("The points are repeated this many times in an epoch"), 1, 1e6, 0, 0, 0, NULL },
  { "epochs", VESICLE_FIELD_COUNT, N_("Epochs"), N_("Training"), N_("Epochs of training"),
    1, 100000, 0, 0, 0, NULL },
  { "lr", VESICLE_FIELD_NUMBER, N_("Learning rate"), N_("Training"),
    N_("Adam's step size"), 0, 10, 0, 0,
    VESICLE_FIELD_MIN_OPEN, NULL },
  { "sigma_init", VESICLE_FIELD_NUMBER, N_("Initial σ"), N_("Training"), N_("Every σ starts here"),
    0, 100, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "init_range", VESICLE_FIELD_NUMBER, N_("Initial μ range"), N_("Training"),
    N_("Means start uniform in (−r, r)"), 0, 100, 0, 0, VESICLE_FIELD_ADVANCED, NULL },
  { "grid", VESICLE_FIELD_NUMBERS, N_("Prediction range"), N_("Analysis"),
    N_("lo, hi: where the predictive bands are drawn"), -1e6, 1e6, 2, 2, 0, NULL },
  { "grid_points", VESICLE_FIELD_COUNT, N_("Prediction points"), N_("Analysis"),
    N_("Points of the grid between lo and hi"), 2, 100000, 0, 0, VESICLE_FIELD_ADVANCED, NULL },
  { "n_samples", VESICLE_FIELD_COUNT, N_("Weight samples"), N_("Analysis"),
    N_("Draws of the weights behind each band"), 2, 100000, 0, 0, VESICLE_FIELD_ADVANCED, NULL },
  { NULL }
};

static void
predictive_check (JsonObject               *config,
                  const VesicleDatasetInfo *data,
                  GPtrArray                *problems)
{
  g_autoptr(GArray) ranges = vesicle_config_get_doubles (config, "data_ranges", NULL);
  g_autoptr(GArray) grid = vesicle_config_get_doubles (config, "grid", NULL);
  guint n_data = 0, batch = 0, repeats = 1;

  if (ranges->len % 2 != 0)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("data_ranges", "Data ranges",
                                                 _("needs pairs lo, hi; %u values are not pairs"),
                                                 ranges->len));
  for (guint r = 0; r + 1 < ranges->len; r += 2)
    if (!(g_array_index (ranges, double, r + 1) > g_array_index (ranges, double, r)))
      {
        g_ptr_array_add (problems,
                         vesicle_config_problem_new ("data_ranges", "Data ranges",
                                                     _("pair %u is [%g, %g]; each needs lo < hi"),
                                                     r / 2 + 1, g_array_index (ranges, double, r),
                                                     g_array_index (ranges, double, r + 1)));
        break;
      }
  if (!(g_array_index (grid, double, 1) > g_array_index (grid, double, 0)))
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("grid", "Prediction range", _("needs lo < hi")));
  vesicle_config_get_uint (config, "n_data", &n_data, NULL);
  vesicle_config_get_uint (config, "batch", &batch, NULL);
  vesicle_config_get_uint (config, "repeats", &repeats, NULL);
  if (batch > n_data)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("batch", "Minibatch",
                                                 _("%u is more than the %u data points"), batch,
                                                 n_data));
  if ((guint64) n_data * repeats > G_MAXINT32)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("repeats", "Passes per epoch",
                                                 _("data points x passes must stay below 2^31")));
}

static void
predictive_plan (JsonObject               *config,
                 const VesicleDatasetInfo *data,
                 VesicleExperimentPlan    *plan)
{
  g_autoptr(GArray) rhos = vesicle_config_get_doubles (config, "rho", NULL);
  g_autoptr(GArray) ss = vesicle_config_get_doubles (config, "s", NULL);
  g_autoptr(GArray) hidden = vesicle_config_get_uints (config, "hidden", NULL);
  guint n_data = 2, batch = 1, repeats = 1, epochs = 1, G = 2, S = 2;
  gsize P = 0, in = 1;
  VesicleCohortPlan cohort;

  vesicle_config_get_uint (config, "n_data", &n_data, NULL);
  vesicle_config_get_uint (config, "batch", &batch, NULL);
  vesicle_config_get_uint (config, "repeats", &repeats, NULL);
  vesicle_config_get_uint (config, "epochs", &epochs, NULL);
  vesicle_config_get_uint (config, "grid_points", &G, NULL);
  vesicle_config_get_uint (config, "n_samples", &S, NULL);
  for (guint l = 0; l < hidden->len; l++)
    {
      P += in * g_array_index (hidden, guint, l) + g_array_index (hidden, guint, l);
      in = g_array_index (hidden, guint, l);
    }
  P += in + 1;
  cohort = (VesicleCohortPlan) {
    .K = 1 + rhos->len * ss->len,
    .steps = (guint64) epochs * ((guint64) n_data * repeats / MAX (batch, 1)),
    .P = P, .layers = hidden->len + 1, .batch = batch, .epochs = epochs, .eval_examples = 0,
  };
  vesicle_experiment_plan_add (plan, &cohort);
  plan->analysis_flops = 2.0 * cohort.K * P * G * S;
}

static gboolean
predictive_run (VesicleExperimentContext *ctx,
                GError                  **error)
{
  g_autoptr(GArray) ranges = NULL, grid_ends = NULL, rhos = NULL, ss = NULL, hidden = NULL;
  VesicleCohortConfig cohort = { 0 };
  VesicleTrainSchedule schedule = { 0 };
  VesicleExperimentData data = { 0 };
  VesicleTrainer *trainer = NULL;
  VesicleEngine *engine;
  g_autofree double *x = NULL, *y = NULL, *grid = NULL, *f = NULL;
  g_autofree float *train_x = NULL, *train_y = NULL, *grid_x = NULL, *out = NULL;
  g_autofree gboolean *inside = NULL;
  double noise_sd, prior_precision, lr, sigma_init, init_range, total_length = 0;
  const double *rg;
  guint n_data, data_seed, seed, batch, repeats, epochs, G, S, K, n_ranges;
  gboolean ok = FALSE;

  if (!(ranges = vesicle_config_get_doubles (ctx->config, "data_ranges", error))
      || !(grid_ends = vesicle_config_get_doubles (ctx->config, "grid", error))
      || !(rhos = vesicle_config_get_doubles (ctx->config, "rho", error))
      || !(ss = vesicle_config_get_doubles (ctx->config, "s", error))
      || !(hidden = vesicle_config_get_uints (ctx->config, "hidden", error))
      || !vesicle_config_get_uint (ctx->config, "n_data", &n_data, error)
      || !vesicle_config_get_double (ctx->config, "noise_sd", &noise_sd, error)
      || !vesicle_config_get_uint (ctx->config, "data_seed", &data_seed, error)
      || !vesicle_config_get_double (ctx->config, "prior_precision", &prior_precision, error)
      || !vesicle_config_get_uint (ctx->config, "seed", &seed, error)
      || !vesicle_config_get_uint (ctx->config, "batch", &batch, error)
      || !vesicle_config_get_uint (ctx->config, "repeats", &repeats, error)
      || !vesicle_config_get_uint (ctx->config, "epochs", &epochs, error)
      || !vesicle_config_get_double (ctx->config, "lr", &lr, error)
      || !vesicle_config_get_double (ctx->config, "sigma_init", &sigma_init, error)
      || !vesicle_config_get_double (ctx->config, "init_range", &init_range, error)
      || !vesicle_config_get_uint (ctx->config, "grid_points", &G, error)
      || !vesicle_config_get_uint (ctx->config, "n_samples", &S, error))
    return FALSE;

  n_ranges = ranges->len / 2;
  rg = (const double *) ranges->data;
  if (ranges->len % 2 != 0)
    {
      CONFIG_ERROR ("config: 'data_ranges' must be pairs lo, hi");
      return FALSE;
    }
  for (guint r = 0; r < n_ranges; r++)
    {
      if (!(rg[2 * r + 1] > rg[2 * r]) || !isfinite (rg[2 * r + 1] - rg[2 * r]))
        {
          CONFIG_ERROR ("config: 'data_ranges' pair %u is [%g, %g]; each needs lo < hi", r + 1,
                        rg[2 * r], rg[2 * r + 1]);
          return FALSE;
        }
      total_length += rg[2 * r + 1] - rg[2 * r];
    }
  if (grid_ends->len != 2 || !(g_array_index (grid_ends, double, 1)
                               > g_array_index (grid_ends, double, 0)))
    {
      CONFIG_ERROR ("config: 'grid' must be [lo, hi] with lo < hi");
      return FALSE;
    }
  if (n_data < 2 || G < 2 || S < 2 || repeats == 0 || epochs == 0
      || (guint64) n_data * repeats > G_MAXINT32)
    {
      CONFIG_ERROR ("config: 'n_data', 'grid_points' and 'n_samples' must be at least 2, "
                    "'repeats' and 'epochs' at least 1 (and n_data * repeats below 2^31)");
      return FALSE;
    }
  if (batch == 0 || batch > n_data)
    {
      CONFIG_ERROR ("config: 'batch' is %u; it must be between 1 and n_data (%u)", batch, n_data);
      return FALSE;
    }
  if (!(noise_sd > 0) || !(prior_precision >= 0))
    {
      CONFIG_ERROR ("config: 'noise_sd' must be positive and 'prior_precision' zero or positive");
      return FALSE;
    }
  for (guint i = 0; i < rhos->len; i++)
    if (!(g_array_index (rhos, double, i) > 0))
      {
        CONFIG_ERROR ("config: 'rho' must hold positive numbers");
        return FALSE;
      }
  for (guint i = 0; i < ss->len; i++)
    if (!(g_array_index (ss, double, i) > 0))
      {
        CONFIG_ERROR ("config: 's' must hold positive numbers");
        return FALSE;
      }

  /* the data: x uniform on the union of the ranges (a range by its length), sorted */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (data_seed);

    x = g_new (double, n_data);
    y = g_new (double, n_data);
    for (guint i = 0; i < n_data; i++)
      {
        double u = g_rand_double (rand) * total_length;
        guint r = 0;

        while (r + 1 < n_ranges && u > rg[2 * r + 1] - rg[2 * r])
          {
            u -= rg[2 * r + 1] - rg[2 * r];
            r++;
          }
        x[i] = MIN (rg[2 * r] + u, rg[2 * r + 1]);
      }
    qsort (x, n_data, sizeof (double), vesicle_compare_doubles);
    for (guint i = 0; i < n_data; i++)
      {
        /* Box-Muller; 1 - u keeps the log away from 0 */
        double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);

        y[i] = truth (x[i]) + noise_sd * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
      }
  }
  train_x = g_new (float, (gsize) n_data * repeats);
  train_y = g_new (float, (gsize) n_data * repeats);
  for (guint r = 0; r < repeats; r++)
    for (guint i = 0; i < n_data; i++)
      {
        train_x[(gsize) r * n_data + i] = (float) x[i];
        train_y[(gsize) r * n_data + i] = (float) y[i];
      }
  data.train_ex = (VesicleExamples) { n_data * repeats, 1, 1, train_x, train_y };

  grid = g_new (double, G);
  f = g_new (double, G);
  grid_x = g_new (float, G);
  inside = g_new (gboolean, G);
  for (guint g = 0; g < G; g++)
    {
      double lo = g_array_index (grid_ends, double, 0), hi = g_array_index (grid_ends, double, 1);

      grid[g] = lo + (hi - lo) * g / (G - 1);
      f[g] = truth (grid[g]);
      grid_x[g] = (float) grid[g];
      inside[g] = in_ranges (grid[g], rg, n_ranges);
    }

  /* the cohort: VB first, then rho x s */
  K = 1 + rhos->len * ss->len;
  vesicle_cohort_config_init (&cohort);
  if (!vesicle_shape_init (&cohort.shape, 1, (const guint *) hidden->data, hidden->len, 1,
                           VESICLE_HEAD_GAUSSIAN, error))
    goto out;
  cohort.shape.noise_sd = noise_sd;
  cohort.K = K;
  cohort.hyper = g_new0 (VesicleHyper, K);
  cohort.batch = batch;
  cohort.eval_batch = batch;
  /* the ELBO's weighting: the costs count once per pass over the n_data points, not the repeats */
  cohort.n_train = n_data;
  cohort.lr = lr;
  cohort.sigma_init = sigma_init;
  cohort.init_range = init_range;
  cohort.hyper[0] = (VesicleHyper) { .rho = 0.0, .c = 1.0, .setting = VESICLE_SIGMA_HETERO,
                                     .seed = seed, .cost = VESICLE_COST_ENTROPY,
                                     .prior_precision = prior_precision };
  for (guint r = 0; r < rhos->len; r++)
    for (guint i = 0; i < ss->len; i++)
      {
        double rho = g_array_index (rhos, double, r), s = g_array_index (ss, double, i);

        cohort.hyper[1 + r * ss->len + i] = (VesicleHyper) {
          .rho = rho, .c = pow (s, rho) / rho, .setting = VESICLE_SIGMA_HETERO, .seed = seed,
          .cost = VESICLE_COST_POWER, .prior_precision = prior_precision,
        };
      }
  schedule.epochs = epochs;
  schedule.eval_every = epochs;
  schedule.data_seed = data_seed;
  schedule.progress_every = 1000;

  if (!(trainer = vesicle_experiment_train (ctx, "train", &cohort, &schedule, &data, error)))
    goto out;
  vesicle_experiment_phase (ctx, "Drawing the predictive bands");
  engine = vesicle_trainer_get_engine (trainer);
  out = g_new (float, (gsize) K * S * G);
  if (!vesicle_engine_predict (engine, grid_x, G, S, PREDICT_STREAM, out, error))
    goto out;

  {
    gsize dims[3] = { K, S, G };

    if (!vesicle_experiment_write_array (ctx, "predictive-samples.npy", out, dims, 3, error))
      goto out;
  }

  {
    JsonObject *d = json_object_new ();
    JsonArray *pairs = json_array_new (), *inside_a = json_array_new ();
    JsonArray *networks = json_array_new ();
    guint n_rows;
    const VesicleEpochMetrics *rows = vesicle_trainer_get_metrics (trainer, &n_rows);
    double data_lo = x[0], data_hi = x[n_data - 1];

    for (guint r = 0; r < n_ranges; r++)
      json_array_add_array_element (pairs, vesicle_json_double_array (rg + 2 * r, 2));
    json_object_set_array_member (d, "x", vesicle_json_double_array (x, n_data));
    json_object_set_array_member (d, "y", vesicle_json_double_array (y, n_data));
    json_object_set_array_member (d, "ranges", pairs);
    json_object_set_object_member (ctx->summary, "data", d);
    json_object_set_array_member (ctx->summary, "grid", vesicle_json_double_array (grid, G));
    json_object_set_array_member (ctx->summary, "truth", vesicle_json_double_array (f, G));
    for (guint g = 0; g < G; g++)
      json_array_add_boolean_element (inside_a, inside[g]);
    json_object_set_array_member (ctx->summary, "inside", inside_a);
    vesicle_exp_set_double (ctx->summary, "noise_sd", noise_sd);
    json_object_set_string_member (ctx->summary, "prior", "gaussian");
    vesicle_exp_set_double (ctx->summary, "prior_precision", prior_precision);
    json_object_set_int_member (ctx->summary, "n_samples", S);
    json_object_set_array_member (ctx->summary, "networks", networks);

    for (guint k = 0; k < K; k++)
      {
        const VesicleHyper *h = &cohort.hyper[k];
        gboolean vb = h->cost == VESICLE_COST_ENTROPY;
        g_autofree double *mean = g_new0 (double, G), *sd = g_new (double, G);
        g_autofree double *sd_total = g_new (double, G);
        g_autofree char *label = NULL;
        double sq = 0, w[N_W], w_total[N_W];
        guint n_in = 0;
        JsonObject *net = json_object_new ();

        for (guint g = 0; g < G; g++)
          {
            double m = 0, v = 0;

            /* two passes: the draws can share a large offset */
            for (guint s = 0; s < S; s++)
              m += out[((gsize) k * S + s) * G + g];
            m /= S;
            for (guint s = 0; s < S; s++)
              {
                double e = out[((gsize) k * S + s) * G + g] - m;

                v += e * e;
              }
            mean[g] = m;
            sd[g] = sqrt (v / (S - 1));
            sd_total[g] = sqrt (sd[g] * sd[g] + noise_sd * noise_sd);
            if (inside[g])
              {
                sq += (m - f[g]) * (m - f[g]);
                n_in++;
              }
          }

        json_object_set_int_member (net, "network", k);
        json_object_set_string_member (net, "kind", vb ? "vb" : "efficient");
        vesicle_exp_set_double (net, "rho", vb ? NAN : h->rho);
        vesicle_exp_set_double (net, "s", vb ? NAN : g_array_index (ss, double, (k - 1) % ss->len));
        vesicle_exp_set_double (net, "c", h->c);
        vesicle_exp_set_double (net, "mean_sigma", rows[n_rows - K + k].mean_sigma);
        vesicle_exp_set_double (net, "train_nll", rows[n_rows - K + k].train_nll);
        vesicle_exp_set_double (net, "rmse_inside", n_in ? sqrt (sq / n_in) : NAN);
        band_widths (w, sd, grid, inside, G, data_lo, data_hi);
        band_widths (w_total, sd_total, grid, inside, G, data_lo, data_hi);
        json_object_set_object_member (net, "width", widths_object (w));
        json_object_set_object_member (net, "width_total", widths_object (w_total));
        json_object_set_array_member (net, "mean", vesicle_json_double_array (mean, G));
        json_object_set_array_member (net, "sd", vesicle_json_double_array (sd, G));
        json_object_set_array_member (net, "sd_total", vesicle_json_double_array (sd_total, G));
        json_array_add_object_element (networks, net);
        if (!vb)
          label = g_strdup_printf ("efficient rho %.3g c %.3g", h->rho, h->c);
        vesicle_experiment_message (ctx, "%s: band width (4 s.d.) %.3g inside the data, %.3g in "
                                    "the gap, %.3g beyond; RMSE to f inside %.3g",
                                    vb ? "variational Bayes" : label, w[W_INSIDE], w[W_GAP],
                                    w[W_EXTRAPOLATION], n_in ? sqrt (sq / n_in) : NAN);
      }
  }
  ok = TRUE;

out:
  if (trainer)
    vesicle_trainer_free (trainer);
  vesicle_cohort_config_clear (&cohort);
  return ok;
}

const VesicleExperimentType vesicle_experiment_predictive = {
  .name = "predictive",
  .title = N_("Predictive distributions: variational Bayes and energy-efficient noise"),
  .figures = "app4",
  .summary = N_("Fits a curve to noisy points with a variational-Bayes network and efficient ones "
                "and compares their predictive bands away from the data."),
  .description = DESCRIPTION,
  .trains = FALSE,
  .fields = predictive_fields,
  .preset = predictive_preset,
  .check = predictive_check,
  .plan = predictive_plan,
  .run = predictive_run,
};
