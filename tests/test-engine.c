/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The OpenCL cohort engine against the float64 reference (src/core/vesicle-reference.c), on small
 * random shapes: the device's noise equals the host's, every gradient of one step matches the
 * reference's, a few Adam steps track the reference's trajectory, evaluation counts agree, a run
 * is bit-identical when repeated, networks sharing a seed share their noise, and a sweep split
 * over several cohorts trains exactly as one cohort.
 * Mixed cohorts (heterogeneous and homogeneous, several rho, c, lambda and seeds) run in one
 * engine, so the batched GEMM strides and per-network kernel arguments are exercised too.
 */
#include "vesicle-cl-cohort.h"
#include "vesicle-cl-engine.h"
#include "vesicle-cl-split.h"
#include "vesicle-reference.h"
#include "vesicle_philox.h"

#include <gio/gio.h>

#include <math.h>
#include <string.h>

typedef struct {
  VesicleCohortConfig cfg;
  guint               n;          /* examples */
  float              *x;          /* (n, I) */
  float              *t;          /* (n, T) */
  float              *mu;         /* (K, P) */
  float              *phi;        /* (K, P) */
  gsize               P;
  guint               T;
} Problem;

static const VesicleHyper mixed_hyper[] = {
  { 0.5, 0.02, 0.01, VESICLE_SIGMA_HETERO, 11 },
  { 2.0, 0.005, 0.0, VESICLE_SIGMA_HOMO, 11 },       /* shares seed 11's noise */
  { 4.0 / 3.0, 0.1, 0.03, VESICLE_SIGMA_HETERO, 12 },
  { 2.0 / 3.0, 0.05, 0.02, VESICLE_SIGMA_HOMO, 13 },
  /* variational Bayes: entropy cost, Laplace and Gaussian priors on the sampled weights */
  { 0.0, 1.0, 0.0, VESICLE_SIGMA_HETERO, 14, VESICLE_COST_ENTROPY, 0.05, 0.3 },
  { 0.0, 1.0, 0.0, VESICLE_SIGMA_HOMO, 12, VESICLE_COST_ENTROPY, 0.02, 0.0 },
};

static void
problem_init (Problem     *p,
              const guint *sizes,
              guint        n_layers,
              VesicleHead  head,
              guint        K,
              guint        B,
              guint        n,
              guint32      seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint hidden[VESICLE_MAX_LAYERS];

  for (guint l = 1; l < n_layers; l++)
    hidden[l - 1] = sizes[l];
  vesicle_cohort_config_init (&p->cfg);
  g_assert_true (vesicle_shape_init (&p->cfg.shape, sizes[0], hidden, n_layers - 1,
                                     sizes[n_layers], head, NULL));
  p->cfg.shape.noise_sd = 0.7;
  p->cfg.K = K;
  p->cfg.hyper = g_new0 (VesicleHyper, K);
  for (guint k = 0; k < K; k++)
    p->cfg.hyper[k] = mixed_hyper[k % G_N_ELEMENTS (mixed_hyper)];
  p->cfg.batch = B;
  p->cfg.eval_batch = 3;
  p->cfg.n_train = n;
  p->cfg.lr = 1e-3;
  p->n = n;
  p->P = vesicle_shape_n_params (&p->cfg.shape);
  p->T = head == VESICLE_HEAD_SOFTMAX ? 1 : sizes[n_layers];

  p->x = g_new (float, (gsize) n * sizes[0]);
  p->t = g_new (float, (gsize) n * p->T);
  for (gsize i = 0; i < (gsize) n * sizes[0]; i++)
    p->x[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  for (gsize i = 0; i < (gsize) n * p->T; i++)
    p->t[i] = head == VESICLE_HEAD_SOFTMAX ? g_rand_int_range (rand, 0, sizes[n_layers])
                                           : (float) g_rand_double_range (rand, -1.0, 1.0);
  p->mu = g_new (float, K * p->P);
  p->phi = g_new (float, K * p->P);
  for (gsize i = 0; i < K * p->P; i++)
    {
      p->mu[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
      p->phi[i] = (float) vesicle_softplus_inverse (g_rand_double_range (rand, 0.05, 0.4));
    }
}

static void
problem_clear (Problem *p)
{
  vesicle_cohort_config_clear (&p->cfg);
  g_free (p->x);
  g_free (p->t);
  g_free (p->mu);
  g_free (p->phi);
}

static VesicleEngine *
engine_for (Problem *p)
{
  g_autoptr(GError) error = NULL;
  VesicleClDevice *dev = vesicle_cl_device_open (NULL, &error);
  VesicleEngine *engine;

  g_assert_no_error (error);
  engine = vesicle_cl_cohort_new (dev, &p->cfg, &error);
  g_assert_no_error (error);
  vesicle_engine_write_params (engine, p->mu, p->phi, &error);
  g_assert_no_error (error);
  vesicle_engine_set_train_data (engine, p->x, p->t, p->n, &error);
  g_assert_no_error (error);
  return engine;
}

/* max |a - b| / max |b| over one vector: scale-aware, so tiny entries cannot hide big errors */
static double
rel_error (const float  *a,
           const double *b,
           gsize         n)
{
  double num = 0, den = 0;

  for (gsize i = 0; i < n; i++)
    {
      num = fmax (num, fabs (a[i] - b[i]));
      den = fmax (den, fabs (b[i]));
    }
  return den > 0 ? num / den : num;
}

static void
to_double (double      *dst,
           const float *src,
           gsize        n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] = src[i];
}

/* The reference's objective gradient for network k on minibatch `batch` at step `step`. */
static double
reference_grad (Problem      *p,
                guint         k,
                const float  *mu,
                const float  *phi,
                guint         batch,
                guint32       step,
                double       *gmu,
                double       *gphi,
                double       *nll)
{
  const VesicleHyper *h = &p->cfg.hyper[k];
  gsize P = p->P;
  guint B = p->cfg.batch, I = p->cfg.shape.sizes[0];
  g_autofree float *xi_f = g_new (float, P);
  g_autofree double *xi = g_new (double, P);
  g_autofree double *mu_d = g_new (double, P);
  g_autofree double *phi_d = g_new (double, P);
  g_autofree double *x = g_new (double, (gsize) B * I);
  g_autofree double *t = g_new (double, (gsize) B * p->T);

  vesicle_model_draw_noise (xi_f, &p->cfg.shape, h->seed, step, VESICLE_STREAM_TRAIN);
  to_double (xi, xi_f, P);
  to_double (mu_d, mu, P);
  to_double (phi_d, phi, P);
  to_double (x, p->x + (gsize) batch * B * I, (gsize) B * I);
  to_double (t, p->t + (gsize) batch * B * p->T, (gsize) B * p->T);
  return vesicle_reference_objective (gmu, gphi, nll, NULL, &p->cfg.shape, h, mu_d, phi_d, xi, x,
                                      t, B, (double) B / p->n);
}

static void
check_noise (Problem *p, VesicleEngine *engine, guint32 step)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *xi = g_new (float, p->cfg.K * p->P);
  g_autofree float *host = g_new (float, p->P);
  guint S = 0;
  guint64 seen[8];

  g_assert_true (vesicle_cl_cohort_read_noise (engine, xi, &S, &error));
  g_assert_no_error (error);
  /* slots in order of first appearance */
  for (guint k = 0, s = 0; k < p->cfg.K; k++)
    {
      guint j;
      for (j = 0; j < s && seen[j] != p->cfg.hyper[k].seed; j++)
        ;
      if (j < s)
        continue;
      seen[s] = p->cfg.hyper[k].seed;
      vesicle_model_draw_noise (host, &p->cfg.shape, seen[s], step, VESICLE_STREAM_TRAIN);
      for (gsize i = 0; i < p->P; i++)
        g_assert_cmpfloat_with_epsilon (xi[s * p->P + i], host[i], 2e-5 * (1 + fabsf (host[i])));
      s++;
      g_assert_cmpuint (s, <=, S);
    }
}

static void
check_one_step (const guint *sizes,
                guint        n_layers,
                VesicleHead  head,
                guint        K)
{
  Problem p;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *gmu = NULL, *gphi = NULL;
  g_autofree double *nll_dev = NULL;
  gsize P;

  problem_init (&p, sizes, n_layers, head, K, 5, 20, 1234 + n_layers + 10 * head);
  P = p.P;
  engine = engine_for (&p);
  gmu = g_new (float, K * P);
  gphi = g_new (float, K * P);
  nll_dev = g_new (double, K);

  vesicle_engine_set_keep_gradients (engine, TRUE);
  g_assert_true (vesicle_engine_step (engine, 1, 7, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_engine_read_gradients (engine, gmu, gphi, &error));
  g_assert_true (vesicle_engine_read_train_stats (engine, nll_dev, NULL, &error));
  g_assert_no_error (error);
  check_noise (&p, engine, 7);

  for (guint k = 0; k < K; k++)
    {
      g_autofree double *rmu = g_new (double, P);
      g_autofree double *rphi = g_new (double, P);
      double nll = 0;
      gboolean homo = p.cfg.hyper[k].setting == VESICLE_SIGMA_HOMO;
      double e_mu, e_phi, e_nll;

      reference_grad (&p, k, p.mu + k * P, p.phi + k * P, 1, 7, rmu, rphi, &nll);
      e_mu = rel_error (gmu + k * P, rmu, P);
      e_phi = rel_error (gphi + k * P, rphi, homo ? 1 : P);
      e_nll = fabs (nll_dev[k] - nll) / fabs (nll);
      g_test_message ("network %u (%s): d/dmu %.2e, d/dphi %.2e, NLL %.2e", k,
                      homo ? "homo" : "hetero", e_mu, e_phi, e_nll);
      g_assert_cmpfloat (e_mu, <, 1e-4);
      g_assert_cmpfloat (e_phi, <, 1e-4);
      g_assert_cmpfloat (e_nll, <, 1e-5);
    }
  problem_clear (&p);
}

static void
test_gradients_softmax (void)
{
  const guint deep[] = { 7, 6, 5, 4 };
  const guint none[] = { 9, 3 };
  const guint one[] = { 13, 11, 10 };

  check_one_step (deep, 3, VESICLE_HEAD_SOFTMAX, 6);
  check_one_step (none, 1, VESICLE_HEAD_SOFTMAX, 3);
  check_one_step (one, 2, VESICLE_HEAD_SOFTMAX, 1);
}

static void
test_gradients_gaussian (void)
{
  const guint one[] = { 1, 20, 1 };
  const guint none[] = { 6, 2 };

  check_one_step (one, 2, VESICLE_HEAD_GAUSSIAN, 6);
  check_one_step (none, 1, VESICLE_HEAD_GAUSSIAN, 2);
}

/* Adam steps on the minibatches in turn against the float64 reference, with sigma drawn from
 * [sigma_lo, sigma_hi] (the kernel carries small ones by a series, large ones through exp). */
static void
adam_trajectory (double sigma_lo,
                 double sigma_hi,
                 guint  steps,
                 double mu_tol,
                 double sigma_tol)
{
  const guint sizes[] = { 8, 6, 3 };
  Problem p;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  const guint K = 6;
  g_autofree float *mu = NULL, *sigma = NULL;
  gsize P;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, K, 4, 16, 99);
  P = p.P;
  for (gsize i = 0; i < K * P; i++)
    p.phi[i] = (float) vesicle_softplus_inverse (g_rand_double_range (rand, sigma_lo, sigma_hi));
  engine = engine_for (&p);
  for (guint s = 0; s < steps; s++)
    g_assert_true (vesicle_engine_step (engine, s % 4, s, &error));
  mu = g_new (float, K * P);
  sigma = g_new (float, K * P);
  g_assert_true (vesicle_engine_read_params (engine, mu, sigma, &error));
  g_assert_no_error (error);

  for (guint k = 0; k < K; k++)
    {
      gboolean homo = p.cfg.hyper[k].setting == VESICLE_SIGMA_HOMO;
      gsize np = homo ? 1 : P;
      g_autofree double *m = g_new (double, P), *mm = g_new0 (double, P), *mv = g_new0 (double, P);
      g_autofree double *f = g_new (double, P), *fm = g_new0 (double, P), *fv = g_new0 (double, P);
      g_autofree double *gm = g_new (double, P), *gf = g_new (double, P);
      g_autofree float *mf = g_new (float, P), *ff = g_new (float, P);
      double max_mu = 0, max_sigma = 0;

      to_double (m, p.mu + k * P, P);
      to_double (f, p.phi + k * P, P);
      for (guint s = 0; s < steps; s++)
        {
          for (gsize i = 0; i < P; i++)
            {
              mf[i] = m[i];
              ff[i] = homo ? f[0] : f[i];
            }
          reference_grad (&p, k, mf, ff, s % 4, s, gm, gf, NULL);
          vesicle_reference_adam (m, mm, mv, gm, P, p.cfg.lr, 0.9, 0.999, 1e-8, s + 1);
          vesicle_reference_adam (f, fm, fv, gf, np, p.cfg.lr, 0.9, 0.999, 1e-8, s + 1);
        }
      for (gsize i = 0; i < P; i++)
        {
          max_mu = fmax (max_mu, fabs (mu[k * P + i] - m[i]));
          max_sigma = fmax (max_sigma, fabs (sigma[k * P + i] - vesicle_softplus (homo ? f[0] : f[i]))
                                       / vesicle_softplus (homo ? f[0] : f[i]));
        }
      g_test_message ("network %u: max |mu - ref| %.2e, max rel sigma error %.2e", k, max_mu,
                      max_sigma);
      /* each step moves a parameter by at most about lr = 1e-3 */
      g_assert_cmpfloat (max_mu, <, mu_tol);
      g_assert_cmpfloat (max_sigma, <, sigma_tol);
    }
  problem_clear (&p);
}

static void
test_adam_trajectory (void)
{
  adam_trajectory (0.05, 0.4, 3, 2e-6, 2e-5);
}

/* Small sigmas, as training starts (1e-4 in the paper): carried by the series for 63 steps,
 * then afresh from phi at step 64, then carried again. Seventy steps of float32 drift from the
 * float64 reference by up to 3e-5 in sigma (the entropy-cost network), carried or not. */
static void
test_adam_trajectory_small_sigma (void)
{
  adam_trajectory (1e-4, 1e-2, 70, 2e-5, 1e-4);
}

/* Evaluation at the mean weights counts exactly what the reference counts. */
static void
test_evaluate (void)
{
  const guint sizes[] = { 10, 8, 4 };
  Problem p;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  const guint K = 3;
  double nll[3], correct[3], nll_s[3], correct_s[3];
  gsize P;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, K, 4, 40, 5);
  P = p.P;
  engine = engine_for (&p);
  g_assert_true (vesicle_engine_set_test_data (engine, p.x, p.t, p.n, &error));
  g_assert_true (vesicle_engine_evaluate (engine, TRUE, 0, nll, correct, &error));
  g_assert_true (vesicle_engine_evaluate (engine, FALSE, 0, nll_s, correct_s, &error));
  g_assert_no_error (error);

  for (guint k = 0; k < K; k++)
    {
      g_autofree double *mu = g_new (double, P), *phi = g_new (double, P);
      g_autofree double *zero = g_new0 (double, P);
      g_autofree double *x = g_new (double, (gsize) p.n * 10), *t = g_new (double, p.n);
      double rnll = 0;
      guint rcorrect = 0;

      to_double (mu, p.mu + k * P, P);
      to_double (phi, p.phi + k * P, P);
      to_double (x, p.x, (gsize) p.n * 10);
      to_double (t, p.t, p.n);
      /* xi = 0: the mean weights */
      vesicle_reference_objective (NULL, NULL, &rnll, &rcorrect, &p.cfg.shape, &p.cfg.hyper[k],
                                   mu, phi, zero, x, t, p.n, 1.0);
      g_assert_cmpfloat (correct[k], ==, rcorrect);
      g_assert_cmpfloat (fabs (nll[k] - rnll) / rnll, <, 1e-5);
      /* sampled weights: a different NLL (sigma is 0.05..0.4 here), same example count range */
      g_assert_cmpfloat (nll_s[k], !=, nll[k]);
      g_assert_cmpfloat (correct_s[k], <=, p.n);
    }
  problem_clear (&p);
}

static void
train_steps (float *mu_out, guint64 seed_b, gboolean with_eval)
{
  const guint sizes[] = { 12, 9, 5 };
  Problem p;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, 3, 4, 40, 77);
  /* networks 0 and 1 identical but for nothing; 2 identical but for the seed */
  for (guint k = 0; k < 3; k++)
    p.cfg.hyper[k] = (VesicleHyper) { 0.5, 0.01, 1e-3, VESICLE_SIGMA_HETERO, 5 };
  p.cfg.hyper[2].seed = seed_b;
  for (guint k = 1; k < 3; k++)
    {
      memcpy (p.mu + k * p.P, p.mu, p.P * sizeof (float));
      memcpy (p.phi + k * p.P, p.phi, p.P * sizeof (float));
    }
  engine = engine_for (&p);
  g_assert_true (vesicle_engine_set_test_data (engine, p.x, p.t, p.n, &error));
  for (guint s = 0; s < 30; s++)
    {
      g_assert_true (vesicle_engine_step (engine, s % 10, s, &error));
      /* evaluating in between must not disturb training (it samples into its own buffers) */
      if (with_eval && s % 7 == 3)
        g_assert_true (vesicle_engine_evaluate (engine, s % 2, s, NULL, NULL, &error));
    }
  g_assert_true (vesicle_engine_read_params (engine, mu_out, NULL, &error));
  g_assert_no_error (error);
  problem_clear (&p);
}

static void
test_determinism_and_common_noise (void)
{
  gsize P = 12 * 9 + 9 + 9 * 5 + 5;
  g_autofree float *a = g_new (float, 3 * P), *b = g_new (float, 3 * P);

  train_steps (a, 6, FALSE);
  train_steps (b, 6, TRUE);
  /* same seed, same device: the same bits, evaluated along the way or not */
  g_assert_cmpmem (a, 3 * P * sizeof (float), b, 3 * P * sizeof (float));
  /* networks 0 and 1 share seed 5: identical; network 2 (seed 6) differs */
  g_assert_cmpmem (a, P * sizeof (float), a + P, P * sizeof (float));
  g_assert_true (memcmp (a, a + 2 * P, P * sizeof (float)) != 0);
}

/* Frozen-parameter statistics: g^2 and |g| of the data gradient at w = mu, and presynaptic
 * rates, against the reference on the same minibatches; training state is left alone. */
static void
test_stats (void)
{
  const guint sizes[] = { 6, 5, 3 };
  Problem p;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  const guint K = 3, B = 4;
  gsize P, R = 6 + 5;
  g_autofree float *g2 = NULL, *gabs = NULL, *rate = NULL, *mu_before = NULL, *mu_after = NULL;
  guint n_batches = 0, n_examples = 0;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, K, B, 20, 31);
  P = p.P;
  for (guint k = 0; k < K; k++)
    p.cfg.hyper[k].lambda = 0.3;     /* must not enter: the data term's gradient only */
  engine = engine_for (&p);
  mu_before = g_new (float, K * P);
  mu_after = g_new (float, K * P);
  g2 = g_new (float, K * P);
  gabs = g_new (float, K * P);
  rate = g_new (float, K * R);
  g_assert_true (vesicle_engine_read_params (engine, mu_before, NULL, &error));
  g_assert_true (vesicle_engine_accumulate_stats (engine, 0, &error));
  g_assert_true (vesicle_engine_accumulate_stats (engine, 3, &error));
  g_assert_true (vesicle_engine_read_stats (engine, g2, gabs, rate, &n_batches, &n_examples,
                                             &error));
  g_assert_true (vesicle_engine_read_params (engine, mu_after, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_batches, ==, 2);
  g_assert_cmpuint (n_examples, ==, 2 * B);
  g_assert_cmpmem (mu_before, K * P * sizeof (float), mu_after, K * P * sizeof (float));

  for (guint k = 0; k < K; k++)
    {
      g_autofree double *r_g2 = g_new0 (double, P), *r_gabs = g_new0 (double, P);
      g_autofree double *r_rate = g_new0 (double, R);
      g_autofree double *mu = g_new (double, P), *zero = g_new0 (double, P);
      g_autofree double *g = g_new (double, P);
      VesicleHyper h = p.cfg.hyper[k];

      h.lambda = 0;
      to_double (mu, p.mu + k * P, P);
      for (guint bi = 0; bi < 2; bi++)
        {
          guint batch = bi == 0 ? 0 : 3;
          g_autofree double *x = g_new (double, B * 6), *t = g_new (double, B);
          double out[4 * 3], hidden[4 * 5];

          to_double (x, p.x + batch * B * 6, B * 6);
          to_double (t, p.t + batch * B, B);
          vesicle_reference_objective (g, NULL, NULL, NULL, &p.cfg.shape, &h, mu, mu, zero, x, t,
                                       B, 1.0);
          for (gsize i = 0; i < P; i++)
            {
              r_g2[i] += g[i] * g[i];
              r_gabs[i] += fabs (g[i]);
            }
          vesicle_reference_forward (out, hidden, &p.cfg.shape, mu, x, B);
          for (guint b = 0; b < B; b++)
            {
              for (guint i = 0; i < 6; i++)
                r_rate[i] += fabs (x[b * 6 + i]);
              for (guint i = 0; i < 5; i++)
                r_rate[6 + i] += hidden[b * 5 + i];
            }
        }
      g_assert_cmpfloat (rel_error (g2 + k * P, r_g2, P), <, 1e-4);
      g_assert_cmpfloat (rel_error (gabs + k * P, r_gabs, P), <, 1e-4);
      g_assert_cmpfloat (rel_error (rate + k * R, r_rate, R), <, 1e-5);
    }

  /* read_stats reset the sums */
  g_assert_true (vesicle_engine_read_stats (engine, g2, NULL, NULL, &n_batches, NULL, &error));
  g_assert_cmpuint (n_batches, ==, 0);
  g_assert_cmpfloat (g2[0], ==, 0.0f);
  problem_clear (&p);
}

/* Predictions at the mean weights equal the reference's outputs; sampled predictions differ
 * from them and from each other, and are reproducible. */
static void
test_predict (void)
{
  const guint sizes[] = { 1, 20, 1 };
  Problem p;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  const guint K = 2, n = 7, S = 5;
  g_autofree float *mean = g_new (float, K * n), *draws = g_new (float, K * S * n);
  g_autofree float *again = g_new (float, K * S * n);

  problem_init (&p, sizes, 2, VESICLE_HEAD_GAUSSIAN, K, 4, 20, 8);
  engine = engine_for (&p);
  g_assert_true (vesicle_engine_predict (engine, p.x, n, 0, 9, mean, &error));
  g_assert_true (vesicle_engine_predict (engine, p.x, n, S, 9, draws, &error));
  g_assert_true (vesicle_engine_predict (engine, p.x, n, S, 9, again, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (draws, K * S * n * sizeof (float), again, K * S * n * sizeof (float));
  for (guint k = 0; k < K; k++)
    {
      g_autofree double *mu = g_new (double, p.P), *x = g_new (double, n);
      double out[7];

      to_double (mu, p.mu + k * p.P, p.P);
      to_double (x, p.x, n);
      vesicle_reference_forward (out, NULL, &p.cfg.shape, mu, x, n);
      g_assert_cmpfloat (rel_error (mean + k * n, out, n), <, 1e-5);
      g_assert_true (draws[(k * S + 0) * n] != draws[(k * S + 1) * n]);
      g_assert_true (draws[(k * S + 0) * n] != mean[k * n]);
    }
  problem_clear (&p);
}

/* freeze_mu: every network (hetero, homo, variational Bayes) keeps its means bit for bit while
 * sigma learns exactly as it would on the first step without the freeze (same gradients). */
static void
test_freeze_mu (void)
{
  const guint sizes[] = { 7, 5, 3 };
  g_autoptr(GError) error = NULL;
  Problem p;
  VesicleEngine *free_engine, *frozen_engine;
  g_autofree float *mu0 = NULL, *sigma0 = NULL, *mu_free = NULL, *sigma_free = NULL;
  g_autofree float *mu_frozen = NULL, *sigma_frozen = NULL;
  gsize KP;
  gboolean sigma_moved = FALSE, mu_moved = FALSE;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, G_N_ELEMENTS (mixed_hyper), 4, 8, 77);
  KP = p.cfg.K * p.P;
  mu0 = g_new (float, KP);
  sigma0 = g_new (float, KP);
  mu_free = g_new (float, KP);
  sigma_free = g_new (float, KP);
  mu_frozen = g_new (float, KP);
  sigma_frozen = g_new (float, KP);

  free_engine = engine_for (&p);
  g_assert_true (vesicle_engine_read_params (free_engine, mu0, sigma0, &error));
  g_assert_true (vesicle_engine_step (free_engine, 0, 0, &error));
  g_assert_true (vesicle_engine_read_params (free_engine, mu_free, sigma_free, &error));
  g_assert_no_error (error);

  frozen_engine = engine_for (&p);
  vesicle_engine_freeze_means (frozen_engine, TRUE);
  g_assert_true (vesicle_engine_step (frozen_engine, 0, 0, &error));
  g_assert_true (vesicle_engine_read_params (frozen_engine, mu_frozen, sigma_frozen,
                                                     &error));
  g_assert_no_error (error);

  g_assert_cmpmem (mu_frozen, KP * sizeof (float), mu0, KP * sizeof (float));
  g_assert_cmpmem (sigma_frozen, KP * sizeof (float), sigma_free, KP * sizeof (float));
  for (gsize i = 0; i < KP; i++)
    {
      sigma_moved |= sigma_frozen[i] != sigma0[i];
      mu_moved |= mu_free[i] != mu0[i];
    }
  g_assert_true (sigma_moved);
  g_assert_true (mu_moved);
  vesicle_engine_free (free_engine);
  vesicle_engine_free (frozen_engine);
  problem_clear (&p);
}

static void
test_bad_config (void)
{
  const guint sizes[] = { 4, 3 };
  Problem p;
  g_autoptr(GError) error = NULL;
  VesicleClDevice *dev;
  VesicleEngine *engine;

  problem_init (&p, sizes, 1, VESICLE_HEAD_SOFTMAX, 1, 4, 8, 1);
  p.cfg.hyper[0].rho = -1;
  dev = vesicle_cl_device_open (NULL, &error);
  g_assert_no_error (error);
  engine = vesicle_cl_cohort_new (dev, &p.cfg, &error);
  g_assert_null (engine);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "rho"));
  g_clear_error (&error);

  dev = vesicle_cl_device_open ("no such device at all", &error);
  g_assert_null (dev);
  g_assert_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_NO_DEVICE);
  problem_clear (&p);
}

/* A cohort larger than the device is refused before anything is allocated or built, with the
 * sizes in MiB and the device named; the engine stays usable for a cohort that fits. */
static void
test_too_large (void)
{
  const guint hidden[] = { 65536 };
  VesicleCohortConfig cfg;
  g_autoptr(GError) error = NULL;
  VesicleClDevice *dev;
  VesicleEngine *engine;

  /* 64 networks of 52 million parameters: 13 GiB a buffer */
  vesicle_cohort_config_init (&cfg);
  g_assert_true (vesicle_shape_init (&cfg.shape, 784, hidden, 1, 10, VESICLE_HEAD_SOFTMAX, NULL));
  cfg.K = 64;
  cfg.hyper = g_new0 (VesicleHyper, cfg.K);
  for (guint k = 0; k < cfg.K; k++)
    cfg.hyper[k] = mixed_hyper[k % G_N_ELEMENTS (mixed_hyper)];
  cfg.n_train = 20;
  dev = vesicle_cl_device_open (NULL, &error);
  g_assert_no_error (error);
  engine = vesicle_cl_cohort_new (dev, &cfg, &error);
  g_assert_null (engine);
  g_assert_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_OUT_OF_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "MiB"));
  g_assert_nonnull (strstr (error->message, "64 networks"));
  vesicle_cohort_config_clear (&cfg);
}

/* One network too large for any device (more parameters than 2^32) cannot be split over
 * cohorts: the message says so in the singular, never "1 networks … split the sweep". */
static void
test_too_large_one (void)
{
  const guint hidden[] = { 65536, 65536 };
  VesicleCohortConfig cfg;
  g_autoptr(GError) error = NULL;
  VesicleClDevice *dev;
  VesicleEngine *engine;

  vesicle_cohort_config_init (&cfg);
  g_assert_true (vesicle_shape_init (&cfg.shape, 784, hidden, 2, 10, VESICLE_HEAD_SOFTMAX, NULL));
  cfg.K = 1;
  cfg.hyper = g_new0 (VesicleHyper, cfg.K);
  cfg.hyper[0] = mixed_hyper[0];
  cfg.n_train = 20;
  dev = vesicle_cl_device_open (NULL, &error);
  g_assert_no_error (error);
  engine = vesicle_cl_cohort_new (dev, &cfg, &error);
  g_assert_null (engine);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "one network of 4347133962 parameters"));
  g_assert_nonnull (strstr (error->message, "use narrower layers"));
  g_assert_null (strstr (error->message, "1 networks"));
  g_assert_null (strstr (error->message, "split the sweep"));
  vesicle_cohort_config_clear (&cfg);
}


/* A sweep split over cohorts (the device holds only so many networks at once) trains every
 * network exactly as one cohort does: parameters, statistics, evaluation, predictions and
 * gradients bit for bit, and its state restores into another split engine. */
static void
split_same (VesicleEngine *a,
            VesicleEngine *b,
            gsize          n_floats)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *fa = g_new (float, n_floats), *fb = g_new (float, n_floats);

  g_assert_true (vesicle_engine_read_params (a, fa, NULL, &error));
  g_assert_true (vesicle_engine_read_params (b, fb, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (fa, n_floats * sizeof (float), fb, n_floats * sizeof (float));
}

/* Steering reaches every part of a split cohort: with the means frozen and network 4 (in the
 * last part) stopped, one step of a split of parts of at most 2 moves exactly what one cohort of
 * all six moves. Writing the split's config instead, as the trainer did, reached no part: the
 * means moved during sigma_epochs and a diverged network kept training. */
static void
test_split_steering (void)
{
  const guint sizes[] = { 7, 5, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleEngine) one = NULL, split = NULL;
  Problem p;
  g_autofree float *mu0 = NULL, *sigma0 = NULL, *mu = NULL, *sigma = NULL;
  gsize P;
  const guint stopped = 4;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, G_N_ELEMENTS (mixed_hyper), 4, 8, 77);
  P = p.P;
  mu0 = g_new (float, p.cfg.K * P);
  sigma0 = g_new (float, p.cfg.K * P);
  mu = g_new (float, p.cfg.K * P);
  sigma = g_new (float, p.cfg.K * P);
  one = engine_for (&p);
  split = vesicle_cl_split_new (NULL, &p.cfg, 2, &error);
  g_assert_no_error (error);
  g_assert_true (vesicle_engine_write_params (split, p.mu, p.phi, &error));
  g_assert_true (vesicle_engine_set_train_data (split, p.x, p.t, p.n, &error));
  g_assert_true (vesicle_engine_read_params (split, mu0, sigma0, &error));
  g_assert_no_error (error);

  /* the means hold still, sigma learns, in every part */
  vesicle_engine_freeze_means (one, TRUE);
  vesicle_engine_freeze_means (split, TRUE);
  g_assert_true (vesicle_engine_step (one, 0, 0, &error));
  g_assert_true (vesicle_engine_step (split, 0, 0, &error));
  g_assert_true (vesicle_engine_read_params (split, mu, sigma, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (mu, p.cfg.K * P * sizeof (float), mu0, p.cfg.K * P * sizeof (float));
  split_same (one, split, p.cfg.K * P);
  g_assert_true (memcmp (sigma, sigma0, p.cfg.K * P * sizeof (float)) != 0);

  /* a stopped network holds still; the others learn again, means and all */
  vesicle_engine_freeze_means (one, FALSE);
  vesicle_engine_freeze_means (split, FALSE);
  vesicle_engine_stop_network (one, stopped);
  vesicle_engine_stop_network (split, stopped);
  g_assert_true (vesicle_engine_read_params (split, mu0, sigma0, &error));
  g_assert_true (vesicle_engine_step (one, 1, 1, &error));
  g_assert_true (vesicle_engine_step (split, 1, 1, &error));
  g_assert_true (vesicle_engine_read_params (split, mu, sigma, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (mu + stopped * P, P * sizeof (float), mu0 + stopped * P, P * sizeof (float));
  g_assert_cmpmem (sigma + stopped * P, P * sizeof (float), sigma0 + stopped * P,
                   P * sizeof (float));
  g_assert_true (memcmp (mu, mu0, P * sizeof (float)) != 0);
  split_same (one, split, p.cfg.K * P);
  problem_clear (&p);
}

static void
test_split (void)
{
  const guint sizes[] = { 7, 6, 4 };
  Problem p;
  g_autoptr(VesicleEngine) one = NULL, split = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) described = NULL;
  const guint K = 6, B = 4, n = 24, R = 7 + 6, S = 3;
  gsize P;
  VesicleEngine *both[2];
  double nll[2][6], correct[2][6];
  g_autofree float *big = NULL, *state = NULL;
  float *stats[2][3] = { { NULL } };
  guint n_batches[2], n_examples[2];
  guint64 adam_steps;

  problem_init (&p, sizes, 2, VESICLE_HEAD_SOFTMAX, K, B, n, 41);
  P = p.P;
  one = engine_for (&p);
  split = vesicle_cl_split_new (NULL, &p.cfg, 2, &error);
  g_assert_no_error (error);
  g_assert_true (vesicle_engine_write_params (split, p.mu, p.phi, &error));
  g_assert_true (vesicle_engine_set_train_data (split, p.x, p.t, n, &error));
  both[0] = one;
  both[1] = split;
  for (guint e = 0; e < 2; e++)
    {
      VesicleEngine *en = both[e];

      g_assert_true (vesicle_engine_set_test_data (en, p.x, p.t, n, &error));
      vesicle_engine_set_keep_gradients (en, TRUE);
      for (guint32 s = 0; s < 7; s++)
        g_assert_true (vesicle_engine_step (en, s % (n / B), s, &error));
      g_assert_true (vesicle_engine_read_train_stats (en, nll[e], correct[e], &error));
      g_assert_no_error (error);
    }
  g_assert_cmpmem (nll[0], sizeof nll[0], nll[1], sizeof nll[1]);
  g_assert_cmpmem (correct[0], sizeof correct[0], correct[1], sizeof correct[1]);
  split_same (one, split, K * P);

  big = g_new (float, 2 * K * S * n * 4);
  for (guint e = 0; e < 2; e++)
    {
      VesicleEngine *en = both[e];

      stats[e][0] = g_new (float, K * P);
      stats[e][1] = g_new (float, K * P);
      stats[e][2] = g_new (float, K * R);
      g_assert_true (vesicle_engine_read_gradients (en, stats[e][0], stats[e][1], &error));
      g_assert_true (vesicle_engine_evaluate (en, FALSE, 3, nll[e], correct[e], &error));
      g_assert_true (vesicle_engine_predict (en, p.x, n, S, 5, big + e * K * S * n * 4, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpmem (stats[0][0], K * P * sizeof (float), stats[1][0], K * P * sizeof (float));
  g_assert_cmpmem (stats[0][1], K * P * sizeof (float), stats[1][1], K * P * sizeof (float));
  g_assert_cmpmem (nll[0], sizeof nll[0], nll[1], sizeof nll[1]);
  g_assert_cmpmem (big, K * S * n * 4 * sizeof (float), big + K * S * n * 4,
                   K * S * n * 4 * sizeof (float));
  for (guint e = 0; e < 2; e++)
    {
      VesicleEngine *en = both[e];

      g_assert_true (vesicle_engine_accumulate_stats (en, 1, &error));
      g_assert_true (vesicle_engine_read_stats (en, stats[e][0], stats[e][1], stats[e][2],
                                             &n_batches[e], &n_examples[e], &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (n_batches[0], ==, n_batches[1]);
  g_assert_cmpuint (n_examples[0], ==, n_examples[1]);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpmem (stats[0][i], (i == 2 ? K * R : K * P) * sizeof (float), stats[1][i],
                     (i == 2 ? K * R : K * P) * sizeof (float));

  /* three cohorts of two, said so; the state moves to another split engine and goes on alike */
  described = vesicle_engine_describe (split);
  g_assert_cmpstr (g_hash_table_lookup (described, "cohorts"), ==, "3");
  g_assert_cmpstr (g_hash_table_lookup (described, "max_networks_per_cohort"), ==, "2");
  state = g_new (float, vesicle_engine_state_size (split));
  g_assert_true (vesicle_engine_read_state (split, state, &adam_steps, &error));
  again = vesicle_cl_split_new (NULL, &p.cfg, 2, &error);
  g_assert_no_error (error);
  g_assert_true (vesicle_engine_set_train_data (again, p.x, p.t, n, &error));
  g_assert_true (vesicle_engine_write_state (again, state, adam_steps, &error));
  g_assert_cmpuint (adam_steps, ==, 7);
  for (guint32 s = 7; s < 9; s++)
    {
      g_assert_true (vesicle_engine_step (split, s % (n / B), s, &error));
      g_assert_true (vesicle_engine_step (again, s % (n / B), s, &error));
      g_assert_true (vesicle_engine_step (one, s % (n / B), s, &error));
    }
  g_assert_no_error (error);
  split_same (split, again, K * P);
  split_same (one, again, K * P);
  for (guint e = 0; e < 2; e++)
    for (guint i = 0; i < 3; i++)
      g_free (stats[e][i]);
  problem_clear (&p);
}

/* Devices are named for people: the driver's prefix, trademark signs and clock speed dropped, a
 * CPU's cores and the platform's everyday name added. */
static void
test_display_name (void)
{
  static const struct {
    const char *name, *platform;
    gboolean    gpu;
    guint       units;
    const char *expected;
  } cases[] = {
    { "pthread-skylake-avx512-Intel(R) Xeon(R) Processor", "Portable Computing Language", FALSE,
      2, "Intel Xeon Processor, 2 cores · PoCL" },
    { "cpu-haswell-Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", "Portable Computing Language",
      FALSE, 8, "Intel Core i7-8650U, 8 cores · PoCL" },
    { "llvmpipe (LLVM 15.0.6, 256 bits)", "rusticl", FALSE, 1,
      "llvmpipe (LLVM 15.0.6, 256 bits), 1 core · Mesa rusticl" },
    { "NVIDIA H100 80GB HBM3", "NVIDIA CUDA", TRUE, 132, "NVIDIA H100 80GB HBM3 · NVIDIA CUDA" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VesicleDeviceDescription d = { 0 };
      g_autofree char *shown = NULL;

      d.name = (char *) cases[i].name;
      d.platform = (char *) cases[i].platform;
      d.gpu = cases[i].gpu;
      d.compute_units = cases[i].units;
      shown = vesicle_cl_device_display_name (&d);
      g_assert_cmpstr (shown, ==, cases[i].expected);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/gradients/softmax", test_gradients_softmax);
  g_test_add_func ("/engine/gradients/gaussian", test_gradients_gaussian);
  g_test_add_func ("/engine/adam-trajectory", test_adam_trajectory);
  g_test_add_func ("/engine/adam-trajectory/small-sigma", test_adam_trajectory_small_sigma);
  g_test_add_func ("/engine/evaluate", test_evaluate);
  g_test_add_func ("/engine/device/display-name", test_display_name);
  g_test_add_func ("/engine/determinism-and-common-noise", test_determinism_and_common_noise);
  g_test_add_func ("/engine/stats", test_stats);
  g_test_add_func ("/engine/predict", test_predict);
  g_test_add_func ("/engine/freeze-mu", test_freeze_mu);
  g_test_add_func ("/engine/bad-config", test_bad_config);
  g_test_add_func ("/engine/too-large", test_too_large);
  g_test_add_func ("/engine/too-large-one", test_too_large_one);
  g_test_add_func ("/engine/split-steering", test_split_steering);
  g_test_add_func ("/engine/split", test_split);
  return g_test_run ();
}
