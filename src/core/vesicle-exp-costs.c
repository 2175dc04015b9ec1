/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "costs" (Fig 1b/c, Appendix 1): the analytic reliability costs behind the cost exponents rho.
 * Nothing is trained; the experiment evaluates the binomial release model and the four
 * mechanisms' costs from the physical variables and checks, by fitting, that each cost falls with
 * the PSP's standard deviation as sigma^-rho.
 *
 * Release model (Eqs 1, 8-10): n docked vesicles each released with probability p, each giving
 * a PSP of q, so the PSP has mean mu = n p q and variance sigma^2 = n p (1 - p) q^2; eliminating q,
 * sigma = mu sqrt ((1 - p) / (n p)).
 *
 * Costs at fixed mu (Eqs 11-18). For each sigma on a log grid the mechanism's free variable is
 * solved from Eq 10, q = mu / (n p) compensates to hold mu, and the cost is evaluated from
 * (n, p, q) alone; mu and sigma are then recomputed from Eqs 8-9 as a check. Vesicle radius
 * r = q^(1/3) (q ∝ r^3, in units where a vesicle of unit quantal size has unit radius).
 *   calcium      n fixed, p varies; cost ∝ [Ca] = (p / (1 - p))^(1/4) (Hill, n_H = 4)  rho 1/2
 *   membrane     p fixed, n varies; cost ∝ n r^2                                     rho 2/3
 *   actin        p fixed, n varies; cost ∝ n r                                       rho 4/3
 *   trafficking  p fixed, n varies; cost ∝ n p                                       rho 2
 * Each curve is normalised to 1 at sigma_ref, so it reads as (sigma / sigma_ref)^-rho.
 * Eq 18 ("exact" trafficking): if the number released, n p, changes through p (n fixed), then
 * cost = n p = mu^2 (1 - p) / sigma^2 and the local log-log slope is -2 (1 - p), which is -2 only
 * as p -> 0. For each listed p0 the curve holds n at the value that gives p = p0 at sigma_ref.
 *
 * summary.json:
 *   mu, sigma_ref
 *   release:  {q, n: [N], p: [P], mean: [N][P], sd: [N][P]}
 *   costs:    [{mechanism, rho, varies ("p" or "n"), sigma: [S], cost: [S], n: [S], p: [S],
 *               q: [S], fitted_slope, fitted_slope_ci: [lo, hi], analytic_slope (-rho),
 *               identity_error}]   (calcium, membrane, actin, trafficking)
 *   trafficking_exact: [{p (p0), n, sigma: [S], cost: [S], p_curve: [S], fitted_slope,
 *               local_slope (at sigma_ref, by central difference), analytic_local_slope
 *               (-2 (1 - p0)), eq18_error}]
 *   two_synapse: {h: [2], w_star: [2], steps, lr, costs: [{mechanism, rho, c, sigma_hetero: [2],
 *               sigma_analytic: [2] (Eq 29), sigma_homo, sigma_matched, reliability_cost,
 *               performance_hetero, performance_matched}]}: Fig 4 (vesicle-two-synapse.h)
 * identity_error is the largest relative deviation of n p q from mu and of sqrt (n p (1 - p)) q
 * from sigma along the curve; eq18_error that of the cost from mu^2 (1 - p) / sigma^2 (both are
 * rounding only). No arrays are written besides summary.json.
 */
#include "vesicle-experiment.h"
#include "vesicle-config.h"
#include "vesicle-fit.h"
#include "vesicle-i18n.h"
#include "vesicle-json.h"
#include "vesicle-two-synapse.h"

#include <gio/gio.h>
#include <math.h>

#define DESCRIPTION \
  N_("Computes the binomial release model and the four reliability costs from n, p and q, with " \
  "q compensating to keep the mean PSP fixed; nothing is trained and it takes a moment. " \
  "Quick and Paper differ only in how finely p is sampled.")

#define CONFIG_ERROR(...) g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, __VA_ARGS__)

/* Cap on grid points from a config: the summary holds every curve. */
#define MAX_POINTS 1000

typedef struct {
  double mu;
  double sigma_min;
  double sigma_max;
  double sigma_ref;
  guint  sigma_points;
  double calcium_n;
  double vesicle_p;
} CostsParams;

/* A release site configuration: n vesicles, release probability p, quantal size q. */
typedef struct {
  double n;
  double p;
  double q;
} Release;

typedef double (*CostFunc) (const Release *v);

typedef struct {
  const char *name;
  double      rho;
  gboolean    vary_n;   /* n varies at fixed p (else p varies at fixed n) */
  CostFunc    cost;
} Mechanism;

/* Eqs 11-12: the odds of release go as [Ca]^4 and pumping costs ∝ [Ca] ([Ca] in units of the
 * Hill constant). */
static double
cost_calcium (const Release *v)
{
  return pow (v->p / (1.0 - v->p), 0.25);
}

/* Eq 14: membrane area n r^2, with r = q^(1/3). */
static double
cost_membrane (const Release *v)
{
  double r = cbrt (v->q);

  return v->n * r * r;
}

/* Eq 16: actin length ∝ n vesicle diameters. */
static double
cost_actin (const Release *v)
{
  return v->n * cbrt (v->q);
}

/* Eq 17: vesicles released, and so recruited, per spike. */
static double
cost_trafficking (const Release *v)
{
  return v->n * v->p;
}

static const Mechanism mechanisms[] = {
  { "calcium", 1.0 / 2.0, FALSE, cost_calcium },
  { "membrane", 2.0 / 3.0, TRUE, cost_membrane },
  { "actin", 4.0 / 3.0, TRUE, cost_actin },
  { "trafficking", 2.0, TRUE, cost_trafficking },
};

/* Eq 10 solved for p with n fixed: the odds p / (1 - p) = mu^2 / (n sigma^2); then q holds mu. */
static Release
release_vary_p (double mu,
                double sigma,
                double n)
{
  double odds = mu * mu / (n * sigma * sigma);
  double p = odds / (1.0 + odds);

  return (Release) { .n = n, .p = p, .q = mu / (n * p) };
}

/* Eq 10 solved for n with p fixed: n = mu^2 (1 - p) / (p sigma^2); then q holds mu. */
static Release
release_vary_n (double mu,
                double sigma,
                double p)
{
  double n = mu * mu * (1.0 - p) / (p * sigma * sigma);

  return (Release) { .n = n, .p = p, .q = mu / (n * p) };
}

static Release
mechanism_release (const Mechanism   *m,
                   const CostsParams *params,
                   double             sigma)
{
  return m->vary_n ? release_vary_n (params->mu, sigma, params->vesicle_p)
                   : release_vary_p (params->mu, sigma, params->calcium_n);
}

static double
relative_error (double got,
                double want)
{
  return fabs (got - want) / fabs (want);
}

/* Eqs 8-9 evaluated back from (n, p, q): how far the solved variables stray from mu and sigma. */
static double
identity_error (const Release *v,
                double         mu,
                double         sigma)
{
  double mean = v->n * v->p * v->q;
  double sd = sqrt (v->n * v->p * (1.0 - v->p)) * v->q;

  return MAX (relative_error (mean, mu), relative_error (sd, sigma));
}

static JsonArray *
double_array (const double *values,
              gsize         n)
{
  JsonArray *a = json_array_sized_new (n);

  for (gsize i = 0; i < n; i++)
    json_array_add_double_element (a, values[i]);
  return a;
}

static JsonArray *
pair_array (double a,
            double b)
{
  double v[2] = { a, b };

  return double_array (v, 2);
}

static JsonObject *
costs_preset (const char *preset)
{
  JsonObject *c;
  JsonArray *release_n, *trafficking_p;
  gboolean paper = g_strcmp0 (preset, "paper") == 0;
  static const int ns[] = { 1, 2, 5, 10, 20 };
  static const double ps[] = { 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9 };

  if (!paper && g_strcmp0 (preset, "quick") != 0)
    return NULL;
  c = json_object_new ();
  release_n = json_array_new ();
  trafficking_p = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (ns); i++)
    json_array_add_int_element (release_n, ns[i]);
  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    json_array_add_double_element (trafficking_p, ps[i]);

  /* Fig 1b: the PSP in units of one quantum */
  json_object_set_double_member (c, "q", 1.0);
  json_object_set_array_member (c, "release_n", release_n);
  json_object_set_int_member (c, "release_p_points", paper ? 101 : 41);
  /* Fig 1c: mean PSP fixed at 1, so sigma is also the coefficient of variation; from 0.05 to 1
   * keeps n ≥ 1 for the n mechanisms at p = 1/2 (n = 1 / sigma^2 there) */
  json_object_set_double_member (c, "mu", 1.0);
  json_object_set_double_member (c, "sigma_min", 0.05);
  json_object_set_double_member (c, "sigma_max", 1.0);
  json_object_set_int_member (c, "sigma_points", paper ? 101 : 41);
  json_object_set_double_member (c, "sigma_ref", 0.2);
  /* calcium: p spans 0.2 (sigma 1) to 0.99 (sigma 0.05) with four docked vesicles */
  json_object_set_double_member (c, "calcium_n", 4.0);
  json_object_set_double_member (c, "vesicle_p", 0.5);
  json_object_set_array_member (c, "trafficking_p", trafficking_p);
  return c;
}

static gboolean
read_params (JsonObject   *config,
             CostsParams  *params,
             GError      **error)
{
  if (!vesicle_config_get_double (config, "mu", &params->mu, error)
      || !vesicle_config_get_double (config, "sigma_min", &params->sigma_min, error)
      || !vesicle_config_get_double (config, "sigma_max", &params->sigma_max, error)
      || !vesicle_config_get_double (config, "sigma_ref", &params->sigma_ref, error)
      || !vesicle_config_get_uint (config, "sigma_points", &params->sigma_points, error)
      || !vesicle_config_get_double (config, "calcium_n", &params->calcium_n, error)
      || !vesicle_config_get_double (config, "vesicle_p", &params->vesicle_p, error))
    return FALSE;
  if (!(params->mu > 0.0))
    {
      CONFIG_ERROR ("config: 'mu' must be > 0, not %g", params->mu);
      return FALSE;
    }
  if (!(params->sigma_min > 0.0 && params->sigma_min < params->sigma_max
        && params->sigma_ref > 0.0))
    {
      CONFIG_ERROR ("config: need 0 < sigma_min < sigma_max and sigma_ref > 0 (have %g, %g, %g)",
                    params->sigma_min, params->sigma_max, params->sigma_ref);
      return FALSE;
    }
  if (params->sigma_points < 3 || params->sigma_points > MAX_POINTS)
    {
      CONFIG_ERROR ("config: 'sigma_points' must be from 3 to %d, not %u", MAX_POINTS,
                    params->sigma_points);
      return FALSE;
    }
  if (!(params->calcium_n > 0.0))
    {
      CONFIG_ERROR ("config: 'calcium_n' must be > 0, not %g", params->calcium_n);
      return FALSE;
    }
  if (!(params->vesicle_p > 0.0 && params->vesicle_p < 1.0))
    {
      CONFIG_ERROR ("config: 'vesicle_p' must lie strictly between 0 and 1, not %g",
                    params->vesicle_p);
      return FALSE;
    }
  return TRUE;
}

/* Fig 1b: mean and s.d. of the PSP over p for each n, at fixed q (Eqs 8-9). */
static gboolean
release_model (VesicleExperimentContext  *ctx,
               GError                   **error)
{
  g_autoptr(GArray) ns = NULL;
  g_autofree double *ps = NULL;
  JsonObject *release;
  JsonArray *n_array, *means, *sds;
  double q;
  guint p_points;

  if (!vesicle_config_get_double (ctx->config, "q", &q, error)
      || !(ns = vesicle_config_get_uints (ctx->config, "release_n", error))
      || !vesicle_config_get_uint (ctx->config, "release_p_points", &p_points, error))
    return FALSE;
  if (!(q > 0.0))
    {
      CONFIG_ERROR ("config: 'q' must be > 0, not %g", q);
      return FALSE;
    }
  if (ns->len == 0 || ns->len > MAX_POINTS)
    {
      CONFIG_ERROR ("config: 'release_n' must list from 1 to %d numbers of vesicles", MAX_POINTS);
      return FALSE;
    }
  for (guint i = 0; i < ns->len; i++)
    if (g_array_index (ns, guint, i) == 0)
      {
        CONFIG_ERROR ("config: 'release_n' holds 0; every n must be ≥ 1");
        return FALSE;
      }
  if (p_points < 2 || p_points > MAX_POINTS)
    {
      CONFIG_ERROR ("config: 'release_p_points' must be from 2 to %d, not %u", MAX_POINTS,
                    p_points);
      return FALSE;
    }

  /* p from 0 to 1 inclusive: both ends are noiseless (nothing, or everything, is released) */
  ps = g_new (double, p_points);
  for (guint j = 0; j < p_points; j++)
    ps[j] = (double) j / (p_points - 1);

  release = json_object_new ();
  n_array = json_array_new ();
  means = json_array_new ();
  sds = json_array_new ();
  for (guint i = 0; i < ns->len; i++)
    {
      double n = g_array_index (ns, guint, i);
      JsonArray *mean_row = json_array_sized_new (p_points);
      JsonArray *sd_row = json_array_sized_new (p_points);

      json_array_add_int_element (n_array, (gint64) n);
      for (guint j = 0; j < p_points; j++)
        {
          double p = ps[j];

          json_array_add_double_element (mean_row, n * p * q);
          json_array_add_double_element (sd_row, sqrt (n * p * (1.0 - p)) * q);
        }
      json_array_add_array_element (means, mean_row);
      json_array_add_array_element (sds, sd_row);
    }
  json_object_set_double_member (release, "q", q);
  json_object_set_array_member (release, "n", n_array);
  json_object_set_array_member (release, "p", double_array (ps, p_points));
  json_object_set_array_member (release, "mean", means);
  json_object_set_array_member (release, "sd", sds);
  json_object_set_object_member (ctx->summary, "release", release);
  return TRUE;
}

static void
sigma_grid (const CostsParams *params,
            double            *sigma)
{
  double log_lo = log (params->sigma_min), log_hi = log (params->sigma_max);
  guint S = params->sigma_points;

  for (guint i = 0; i < S; i++)
    sigma[i] = exp (log_lo + (log_hi - log_lo) * i / (S - 1));
  /* exact ends, whatever exp (log ()) rounds to */
  sigma[0] = params->sigma_min;
  sigma[S - 1] = params->sigma_max;
}

/* Fig 1c: one mechanism's cost over the sigma grid, from (n, p, q). */
static JsonObject *
mechanism_curve (VesicleExperimentContext *ctx,
                 const Mechanism          *m,
                 const CostsParams        *params,
                 const double             *sigma)
{
  guint S = params->sigma_points;
  g_autofree double *cost = g_new (double, S);
  g_autofree double *ns = g_new (double, S);
  g_autofree double *ps = g_new (double, S);
  g_autofree double *qs = g_new (double, S);
  Release ref = mechanism_release (m, params, params->sigma_ref);
  double cost_ref = m->cost (&ref);
  double worst = 0.0;
  JsonObject *o = json_object_new ();
  VesicleFit fit;

  for (guint i = 0; i < S; i++)
    {
      Release v = mechanism_release (m, params, sigma[i]);

      ns[i] = v.n;
      ps[i] = v.p;
      qs[i] = v.q;
      cost[i] = m->cost (&v) / cost_ref;
      worst = MAX (worst, identity_error (&v, params->mu, sigma[i]));
    }
  vesicle_fit_loglog (&fit, sigma, cost, S);
  if (m->vary_n && ns[S - 1] < 1.0)
    vesicle_experiment_message (ctx, "costs: %s: n falls to %.3g (< 1 vesicle) at sigma %g",
                                m->name, ns[S - 1], sigma[S - 1]);
  vesicle_experiment_message (ctx, "costs: %-11s rho %.4f: fitted slope %.6f, analytic %.6f",
                              m->name, m->rho, fit.slope, -m->rho);

  json_object_set_string_member (o, "mechanism", m->name);
  json_object_set_double_member (o, "rho", m->rho);
  json_object_set_string_member (o, "varies", m->vary_n ? "n" : "p");
  json_object_set_array_member (o, "sigma", double_array (sigma, S));
  json_object_set_array_member (o, "cost", double_array (cost, S));
  json_object_set_array_member (o, "n", double_array (ns, S));
  json_object_set_array_member (o, "p", double_array (ps, S));
  json_object_set_array_member (o, "q", double_array (qs, S));
  json_object_set_double_member (o, "fitted_slope", fit.slope);
  json_object_set_array_member (o, "fitted_slope_ci", pair_array (fit.ci_low, fit.ci_high));
  json_object_set_double_member (o, "analytic_slope", -m->rho);
  json_object_set_double_member (o, "identity_error", worst);
  return o;
}

/* Eq 18: trafficking when n p changes through p, with n chosen so that p = p0 at sigma_ref. */
static JsonObject *
trafficking_exact_curve (VesicleExperimentContext *ctx,
                         double                    p0,
                         const CostsParams        *params,
                         const double             *sigma)
{
  guint S = params->sigma_points;
  double mu = params->mu;
  double n = mu * mu * (1.0 - p0) / (p0 * params->sigma_ref * params->sigma_ref);
  double cost_ref = n * p0;
  /* central difference in log sigma: truncation (~h^2) and rounding (~1e-16 / h) balance near
   * here at ~1e-11 */
  double h = 1e-5;
  g_autofree double *cost = g_new (double, S);
  g_autofree double *ps = g_new (double, S);
  Release lo = release_vary_p (mu, params->sigma_ref * exp (-h), n);
  Release hi = release_vary_p (mu, params->sigma_ref * exp (h), n);
  double local_slope = (log (cost_trafficking (&hi)) - log (cost_trafficking (&lo))) / (2.0 * h);
  double worst = 0.0;
  JsonObject *o = json_object_new ();
  VesicleFit fit;

  for (guint i = 0; i < S; i++)
    {
      Release v = release_vary_p (mu, sigma[i], n);
      double raw = cost_trafficking (&v);

      ps[i] = v.p;
      cost[i] = raw / cost_ref;
      worst = MAX (worst, relative_error (raw, mu * mu * (1.0 - v.p) / (sigma[i] * sigma[i])));
      worst = MAX (worst, identity_error (&v, mu, sigma[i]));
    }
  vesicle_fit_loglog (&fit, sigma, cost, S);
  vesicle_experiment_message (ctx, "costs: exact trafficking p0 %g: local slope %.6f "
                              "(-2 (1 - p0) = %.6f), fitted over the grid %.4f", p0, local_slope,
                              -2.0 * (1.0 - p0), fit.slope);

  json_object_set_double_member (o, "p", p0);
  json_object_set_double_member (o, "n", n);
  json_object_set_array_member (o, "sigma", double_array (sigma, S));
  json_object_set_array_member (o, "cost", double_array (cost, S));
  json_object_set_array_member (o, "p_curve", double_array (ps, S));
  json_object_set_double_member (o, "fitted_slope", fit.slope);
  json_object_set_double_member (o, "local_slope", local_slope);
  json_object_set_double_member (o, "analytic_local_slope", -2.0 * (1.0 - p0));
  json_object_set_double_member (o, "eq18_error", worst);
  return o;
}

static const VesicleConfigField costs_fields[] = {
  { "q", VESICLE_FIELD_NUMBER, N_("Quantal size q"), N_("Release model"),
    N_("PSP of one vesicle in Fig 1b"), 0, 1e6, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "release_n", VESICLE_FIELD_COUNTS, N_("Docked vesicles n"), N_("Release model"),
    N_("One curve of Fig 1b per number of vesicles"), 1, 1e6, 1, MAX_POINTS, 0, NULL },
  { "release_p_points", VESICLE_FIELD_COUNT, N_("Points per release curve"), N_("Release model"),
    N_("How many release probabilities p in (0, 1) each curve is drawn at"), 2, MAX_POINTS, 0, 0, 0, NULL },
  { "mu", VESICLE_FIELD_NUMBER, N_("Mean PSP μ"), N_("Costs"), N_("Held fixed while σ varies"),
    0, 1e6, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "sigma_min", VESICLE_FIELD_NUMBER, N_("Smallest σ"), N_("Costs"), N_("Where the σ grid begins"),
    0, 1e6, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "sigma_max", VESICLE_FIELD_NUMBER, N_("Largest σ"), N_("Costs"), N_("Where the σ grid ends"),
    0, 1e6, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "sigma_points", VESICLE_FIELD_COUNT, N_("σ points"), N_("Costs"),
    N_("Points of the log grid of σ"),
    3, MAX_POINTS, 0, 0, 0, NULL },
  { "sigma_ref", VESICLE_FIELD_NUMBER, N_("Reference σ"), N_("Costs"),
    N_("Every cost is 1 here"), 0, 1e6, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "calcium_n", VESICLE_FIELD_NUMBER, N_("Vesicles (calcium)"), N_("Costs"),
    N_("Docked vesicles while p varies for the calcium cost"), 0, 1e6, 0, 0,
    VESICLE_FIELD_MIN_OPEN, NULL },
  { "vesicle_p", VESICLE_FIELD_NUMBER, N_("Release probability"), N_("Costs"),
    N_("p while n varies for the membrane, actin and trafficking costs"), 0, 1, 0, 0,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_MAX_OPEN, NULL },
  { "trafficking_p", VESICLE_FIELD_NUMBERS, N_("Exact trafficking p"), N_("Costs"),
    N_("One curve of Eq. 18 per release probability"), 0, 1, 1, MAX_POINTS,
    VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_MAX_OPEN, NULL },
  { NULL }
};

static void
costs_check (JsonObject               *config,
             const VesicleDatasetInfo *data,
             GPtrArray                *problems)
{
  double lo = 0, hi = 0;

  vesicle_config_get_double (config, "sigma_min", &lo, NULL);
  vesicle_config_get_double (config, "sigma_max", &hi, NULL);
  if (!(lo < hi))
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("sigma_max", "Largest σ",
                                                 _("%g must be more than the smallest, %g"), hi,
                                                 lo));
}

static void
costs_plan (JsonObject               *config,
            const VesicleDatasetInfo *data,
            VesicleExperimentPlan    *plan)
{
  /* nothing trains; a few thousand closed-form evaluations */
  plan->analysis_flops = 1e6;
}

/* Fig 4: the two-synapse argument for each cost, at c = 10^(-2 rho) / rho (the Fig 7 caption's
 * rule, which keeps the noise of the four costs on one scale). */
static void
two_synapse (JsonObject *summary)
{
  JsonObject *o = json_object_new ();
  JsonArray *by_cost = json_array_new ();
  VesicleTwoSynapse model;

  vesicle_two_synapse_init (&model);
  json_object_set_array_member (o, "h", vesicle_json_double_array (model.h, 2));
  json_object_set_array_member (o, "w_star", vesicle_json_double_array (model.w_star, 2));
  json_object_set_int_member (o, "steps", model.steps);
  json_object_set_double_member (o, "lr", model.lr);
  for (guint k = 0; k < G_N_ELEMENTS (mechanisms); k++)
    {
      double rho = mechanisms[k].rho;
      VesicleTwoSynapseResult r;
      JsonObject *e = json_object_new ();

      vesicle_two_synapse_optimise (&model, rho, pow (10.0, -2.0 * rho) / rho, &r);
      json_object_set_string_member (e, "mechanism", mechanisms[k].name);
      json_object_set_double_member (e, "rho", r.rho);
      json_object_set_double_member (e, "c", r.c);
      json_object_set_array_member (e, "sigma_hetero", vesicle_json_double_array (r.sigma_hetero, 2));
      json_object_set_array_member (e, "sigma_analytic",
                                    vesicle_json_double_array (r.sigma_analytic, 2));
      json_object_set_double_member (e, "sigma_homo", r.sigma_homo);
      json_object_set_double_member (e, "sigma_matched", r.sigma_matched);
      json_object_set_double_member (e, "reliability_cost", r.reliability_cost);
      json_object_set_double_member (e, "performance_hetero", r.performance_hetero);
      json_object_set_double_member (e, "performance_matched", r.performance_matched);
      json_array_add_object_element (by_cost, e);
    }
  json_object_set_array_member (o, "costs", by_cost);
  json_object_set_object_member (summary, "two_synapse", o);
}

static gboolean
costs_run (VesicleExperimentContext *ctx,
           GError                  **error)
{
  g_autoptr(GArray) trafficking_p = NULL;
  g_autofree double *sigma = NULL;
  CostsParams params;
  JsonArray *costs, *exact;

  vesicle_experiment_phase (ctx, "Computing the costs");
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error)
      || !read_params (ctx->config, &params, error)
      || !(trafficking_p = vesicle_config_get_doubles (ctx->config, "trafficking_p", error)))
    return FALSE;
  for (guint i = 0; i < trafficking_p->len; i++)
    {
      double p0 = g_array_index (trafficking_p, double, i);

      if (!(p0 > 0.0 && p0 < 1.0))
        {
          CONFIG_ERROR ("config: 'trafficking_p' holds %g; each p must lie strictly between 0 "
                        "and 1", p0);
          return FALSE;
        }
    }
  if (trafficking_p->len > MAX_POINTS)
    {
      CONFIG_ERROR ("config: 'trafficking_p' lists more than %d values", MAX_POINTS);
      return FALSE;
    }

  json_object_set_double_member (ctx->summary, "mu", params.mu);
  json_object_set_double_member (ctx->summary, "sigma_ref", params.sigma_ref);
  if (!release_model (ctx, error))
    return FALSE;

  sigma = g_new (double, params.sigma_points);
  sigma_grid (&params, sigma);
  costs = json_array_new ();
  json_object_set_array_member (ctx->summary, "costs", costs);
  for (guint k = 0; k < G_N_ELEMENTS (mechanisms); k++)
    json_array_add_object_element (costs, mechanism_curve (ctx, &mechanisms[k], &params, sigma));

  exact = json_array_new ();
  json_object_set_array_member (ctx->summary, "trafficking_exact", exact);
  for (guint i = 0; i < trafficking_p->len; i++)
    json_array_add_object_element (exact,
                                   trafficking_exact_curve (ctx,
                                                            g_array_index (trafficking_p,
                                                                           double, i),
                                                            &params, sigma));
  two_synapse (ctx->summary);
  vesicle_experiment_analysis (ctx, 1, 1);
  return TRUE;
}

const VesicleExperimentType vesicle_experiment_costs = {
  .name = "costs",
  .title = N_("Reliability costs of synaptic transmission"),
  .figures = "fig1, fig4",
  .summary = N_("Evaluates the binomial model of vesicle release and the four biophysical costs, "
                "and checks that each falls as σ to the power −ρ."),
  .description = DESCRIPTION,
  .fields = costs_fields,
  .preset = costs_preset,
  .check = costs_check,
  .plan = costs_plan,
  .run = costs_run,
};
