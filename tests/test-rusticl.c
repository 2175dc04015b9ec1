/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A second OpenCL implementation: Mesa's rusticl on its llvmpipe CPU device (Debian's
 * mesa-opencl-icd, RUSTICL_ENABLE=llvmpipe), beside PoCL in the same process. A cohort of mixed
 * networks (both sigma settings, four costs, a homogeneous network sharing a heterogeneous one's
 * seed) trains on both; their parameters and losses must agree to float32 rounding, and a run
 * stopped, saved and restored on rusticl goes on bit-identically. The rest of the engine's tests
 * (the float64 reference, gradients, a split cohort) run on rusticl as `engine-rusticl`.
 *
 * Sized for rusticl's speed, about a hundred times slower than PoCL here: 784-32-10 networks,
 * a few dozen steps.
 */
#include "vesicle-cl-cohort.h"
#include "vesicle-cl-engine.h"

#include <gio/gio.h>

#include <math.h>
#include <string.h>

#define N_EXAMPLES 160
#define BATCH      20
#define STEPS      40

/* After STEPS Adam steps, mu moves by about STEPS x lr = 4e-2; the two implementations round
 * differently (fused multiply-adds, exp and log, the order of the products' sums), and Adam
 * normalises each gradient, so a rounding difference in a near-zero gradient can move its weight
 * by up to lr a step. Measured on the reference machine (2026-12-07): at most 1.3e-7 in mu,
 * 5.1e-7 relative in sigma, 1e-7 relative in the losses; the bounds leave a factor of ten. A
 * few parameters (one in a thousand) may exceed them, by at most what Adam can move in the
 * steps taken, where another CPU's PoCL rounds a near-zero gradient the other way. */
#define MU_TOLERANCE     2e-6
#define SIGMA_TOLERANCE  5e-6     /* relative */
#define NLL_TOLERANCE    1e-6     /* relative */
#define OUTLIERS         1e-3     /* the share of parameters allowed past the bounds */

static const VesicleHyper networks[] = {
  { 0.5, 0.01, 1e-4, VESICLE_SIGMA_HETERO, 1 },
  { 2.0 / 3.0, 0.1, 1e-4, VESICLE_SIGMA_HOMO, 1 },     /* shares seed 1's noise */
  { 4.0 / 3.0, 1.0, 0.0, VESICLE_SIGMA_HETERO, 2 },
  { 2.0, 10.0, 1e-3, VESICLE_SIGMA_HOMO, 3 },
};
#define N_NETWORKS G_N_ELEMENTS (networks)

typedef struct {
  float *x;
  float *t;
} Data;

static void
data_init (Data *d)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  d->x = g_new (float, N_EXAMPLES * 784);
  d->t = g_new0 (float, N_EXAMPLES * 10);
  for (guint i = 0; i < N_EXAMPLES * 784; i++)
    d->x[i] = g_rand_double (rand) < 0.8 ? 0.0f : (float) g_rand_double (rand);  /* like ink */
  for (guint n = 0; n < N_EXAMPLES; n++)
    d->t[n] = (float) g_rand_int_range (rand, 0, 10);
}

static void
data_clear (Data *d)
{
  g_free (d->x);
  g_free (d->t);
}

static void
config_init (VesicleCohortConfig *cfg)
{
  guint hidden[1] = { 32 };

  vesicle_cohort_config_init (cfg);
  g_assert_true (vesicle_shape_init (&cfg->shape, 784, hidden, 1, 10, VESICLE_HEAD_SOFTMAX,
                                     NULL));
  cfg->K = N_NETWORKS;
  cfg->hyper = g_memdup2 (networks, sizeof networks);
  cfg->batch = cfg->eval_batch = BATCH;
  cfg->n_train = N_EXAMPLES;
  cfg->lr = 1e-3;
  cfg->sigma_init = 0.05;     /* past 2^-6: the update's exact path */
}

/* The device whose name contains @name; a test failure, not a skip, when it is missing. */
static VesicleClDevice *
open_device (const char *name,
             const char *platform)
{
  g_autoptr(GError) error = NULL;
  VesicleClDevice *device = vesicle_cl_device_open (name, &error);

  if (device == NULL)
    g_error ("no OpenCL device named like '%s' (%s): %s. rusticl's CPU device needs Debian's "
             "mesa-opencl-icd and RUSTICL_ENABLE=llvmpipe (tools/bootstrap installs it)",
             name, platform, error->message);
  g_test_message ("%s: %s, %s", name, device->info.platform_name, device->info.device_version);
  g_assert_nonnull (strstr (device->info.platform_name, platform));
  return device;
}

static VesicleEngine *
engine_on (const char          *name,
           const char          *platform,
           VesicleCohortConfig *cfg,
           const Data          *d)
{
  g_autoptr(GError) error = NULL;
  VesicleEngine *engine = vesicle_cl_cohort_new (open_device (name, platform), cfg, &error);

  g_assert_no_error (error);
  g_assert_true (vesicle_engine_set_train_data (engine, d->x, d->t, N_EXAMPLES, &error));
  g_assert_true (vesicle_engine_set_test_data (engine, d->x, d->t, N_EXAMPLES, &error));
  g_assert_no_error (error);
  return engine;
}

static void
steps (VesicleEngine *engine,
       guint32        first,
       guint32        n)
{
  g_autoptr(GError) error = NULL;

  for (guint32 s = first; s < first + n; s++)
    g_assert_true (vesicle_engine_step (engine, s % (N_EXAMPLES / BATCH), s, &error));
  g_assert_true (vesicle_engine_finish (engine, &error));
  g_assert_no_error (error);
}

static void
test_matches_pocl (void)
{
  VesicleCohortConfig cfg;
  Data d;
  g_autoptr(VesicleEngine) pocl = NULL, rusticl = NULL;
  g_autoptr(GError) error = NULL;
  float *mu[2], *sigma[2];
  double nll[2][N_NETWORKS], correct[2][N_NETWORKS], eval_nll[2][N_NETWORKS], eval_correct[2][N_NETWORKS];
  VesicleEngine *both[2];
  gsize P;

  data_init (&d);
  config_init (&cfg);
  P = vesicle_shape_n_params (&cfg.shape);
  both[0] = pocl = engine_on ("pthread", "Portable Computing Language", &cfg, &d);
  both[1] = rusticl = engine_on ("llvmpipe", "rusticl", &cfg, &d);
  for (guint e = 0; e < 2; e++)
    {
      steps (both[e], 0, STEPS);
      mu[e] = g_new (float, N_NETWORKS * P);
      sigma[e] = g_new (float, N_NETWORKS * P);
      g_assert_true (vesicle_engine_read_train_stats (both[e], nll[e], correct[e], &error));
      g_assert_true (vesicle_engine_evaluate (both[e], FALSE, 0, eval_nll[e], eval_correct[e],
                                              &error));
      g_assert_true (vesicle_engine_read_params (both[e], mu[e], sigma[e], &error));
      g_assert_no_error (error);
    }
  for (guint k = 0; k < N_NETWORKS; k++)
    {
      double mu_err = 0, sigma_err = 0, moved = 0;
      gsize outliers = 0;

      for (gsize j = 0; j < P; j++)
        {
          float m0 = mu[0][k * P + j], m1 = mu[1][k * P + j];
          float s0 = sigma[0][k * P + j], s1 = sigma[1][k * P + j];
          double dm = fabs (m0 - m1), ds = fabs (s0 - s1) / s0;

          g_assert_true (isfinite (m1) && isfinite (s1) && s1 > 0);
          /* never more than Adam can move a parameter in the steps taken */
          g_assert_cmpfloat (dm, <=, 2 * STEPS * cfg.lr);
          g_assert_cmpfloat (fabs (s0 - s1), <=, 2 * STEPS * cfg.lr);
          if (dm > MU_TOLERANCE || ds > SIGMA_TOLERANCE)
            outliers++;
          else
            {
              mu_err = MAX (mu_err, dm);
              sigma_err = MAX (sigma_err, ds);
            }
          moved = MAX (moved, fabs (s0 - cfg.sigma_init));
        }
      g_test_message ("network %u (rho %.3g, %s): max |mu PoCL - rusticl| %.2e, max relative "
                      "sigma difference %.2e; training NLL %.9g against %.9g, test NLL %.9g "
                      "against %.9g; %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " parameters past "
                      "the bounds", k, networks[k].rho,
                      networks[k].setting == VESICLE_SIGMA_HOMO ? "homogeneous"
                                                                : "heterogeneous",
                      mu_err, sigma_err, nll[0][k], nll[1][k], eval_nll[0][k], eval_nll[1][k],
                      outliers, P);
      /* it trained: sigma moved well beyond the tolerance */
      g_assert_cmpfloat (moved, >, 100 * SIGMA_TOLERANCE * cfg.sigma_init);
      g_assert_cmpuint (outliers, <=, OUTLIERS * P);
      g_assert_cmpfloat (fabs (nll[0][k] - nll[1][k]), <=, NLL_TOLERANCE * fabs (nll[0][k]));
      g_assert_cmpfloat (fabs (eval_nll[0][k] - eval_nll[1][k]), <=,
                         NLL_TOLERANCE * fabs (eval_nll[0][k]));
      /* a test example near a decision boundary may go either way */
      g_assert_cmpfloat (fabs (eval_correct[0][k] - eval_correct[1][k]), <=, 2);
    }
  for (guint e = 0; e < 2; e++)
    {
      g_free (mu[e]);
      g_free (sigma[e]);
    }
  vesicle_cohort_config_clear (&cfg);
  data_clear (&d);
}

/* Stopped after half the steps, its whole state read and written into a new engine, a run on
 * rusticl goes on exactly as one that never stopped: what a checkpoint and a resume do. */
static void
test_resume_bit_identical (void)
{
  VesicleCohortConfig cfg;
  Data d;
  g_autoptr(VesicleEngine) whole = NULL, first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *state = NULL, *a = NULL, *b = NULL;
  guint64 adam_steps, adam_a, adam_b;
  gsize n;

  data_init (&d);
  config_init (&cfg);
  whole = engine_on ("llvmpipe", "rusticl", &cfg, &d);
  steps (whole, 0, STEPS);

  first = engine_on ("llvmpipe", "rusticl", &cfg, &d);
  steps (first, 0, STEPS / 2);
  n = vesicle_engine_state_size (first);
  state = g_new (float, n);
  g_assert_true (vesicle_engine_read_state (first, state, &adam_steps, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (adam_steps, ==, STEPS / 2);
  second = engine_on ("llvmpipe", "rusticl", &cfg, &d);
  g_assert_true (vesicle_engine_write_state (second, state, adam_steps, &error));
  g_assert_no_error (error);
  steps (second, STEPS / 2, STEPS - STEPS / 2);

  a = g_new (float, n);
  b = g_new (float, n);
  g_assert_true (vesicle_engine_read_state (whole, a, &adam_a, &error));
  g_assert_true (vesicle_engine_read_state (second, b, &adam_b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (adam_a, ==, adam_b);
  /* bit for bit: memcmp, not a tolerance */
  g_assert_cmpmem (a, n * sizeof (float), b, n * sizeof (float));
  vesicle_cohort_config_clear (&cfg);
  data_clear (&d);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rusticl/matches-pocl", test_matches_pocl);
  g_test_add_func ("/rusticl/resume-bit-identical", test_resume_bit_identical);
  return g_test_run ();
}
