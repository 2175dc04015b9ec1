/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the diagonal Fisher information (vesicle-fisher.c) against two independent
 * computations built on the float64 reference:
 *  - brute force: for every example and every class y, the reference gradient of -log p(y | x)
 *    with the label y (batch of one, no noise, no costs), squared and weighted by p(y | x);
 *    0, 1 and 2 hidden layers, softmax and Gaussian heads;
 *  - for a network without hidden layers, where the Fisher is the Hessian of the mean NLL
 *    itself: central second differences of the reference objective.
 * and of the input power <h^2> against a direct computation.
 */
#include "vesicle-fisher.h"
#include "vesicle-reference.h"
#include "vesicle_philox.h"

#include <math.h>
#include <string.h>

typedef struct {
  VesicleShape shape;
  gsize        P;
  float       *w;      /* (P) */
  double      *wd;     /* (P) */
  float       *x;      /* (n, I0) */
  guint        n;
  VesicleExamples ex;
} Problem;

static void
problem_init (Problem     *p,
              VesicleHead  head,
              const guint *hidden,
              guint        n_hidden,
              guint        seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n_in = 5, n_out = head == VESICLE_HEAD_SOFTMAX ? 4 : 2;

  g_assert_true (vesicle_shape_init (&p->shape, n_in, hidden, n_hidden, n_out, head, &error));
  g_assert_no_error (error);
  p->shape.noise_sd = 0.7;
  p->P = vesicle_shape_n_params (&p->shape);
  p->w = g_new (float, p->P);
  p->wd = g_new (double, p->P);
  for (gsize j = 0; j < p->P; j++)
    p->wd[j] = p->w[j] = (float) g_rand_double_range (rand, -0.8, 0.8);
  p->n = 7;
  p->x = g_new (float, (gsize) p->n * n_in);
  for (gsize j = 0; j < (gsize) p->n * n_in; j++)
    p->x[j] = (float) g_rand_double_range (rand, -1.0, 1.5);
  p->ex = (VesicleExamples) { .n = p->n, .dim = n_in, .T = 1, .x = p->x, .targets = NULL };
}

static void
problem_clear (Problem *p)
{
  g_free (p->w);
  g_free (p->wd);
  g_free (p->x);
}

/* -log p(y | x) of one example and its gradient, through the reference (no noise, no cost). */
static double
nll_grad (Problem      *p,
          double       *grad,
          const double *w,
          const double *x,
          const double *target)
{
  VesicleHyper hyper = { .rho = 2.0, .c = 0.0, .lambda = 0.0, .setting = VESICLE_SIGMA_HETERO };
  g_autofree double *phi = g_new0 (double, p->P);
  g_autofree double *xi = g_new0 (double, p->P);
  g_autofree double *grad_phi = g_new (double, p->P);

  return vesicle_reference_objective (grad, grad_phi, NULL, NULL, &p->shape, &hyper, w, phi, xi,
                                      x, target, 1, 0.0);
}

/* sigma: NULL for the weights p->wd, else w = mu + sigma xi with xi drawn as the Fisher's own
 * noise (stream VESICLE_STREAM_ANALYSIS, one draw per `per` examples). */
static void
brute_force (Problem     *p,
             double      *fisher,
             const float *sigma,
             guint64      seed,
             guint        per)
{
  guint I0 = p->shape.sizes[0], O = p->shape.sizes[p->shape.n_layers];
  g_autofree double *grad = g_new (double, p->P);
  g_autofree double *out = g_new (double, O);
  g_autofree double *w = g_memdup2 (p->wd, p->P * sizeof (double));
  g_autofree float *xi = g_new (float, p->P);
  double x[16];

  memset (fisher, 0, p->P * sizeof (double));
  for (guint n = 0; n < p->n; n++)
    {
      if (sigma && n % per == 0)
        {
          vesicle_model_draw_noise (xi, &p->shape, seed, n / per, VESICLE_STREAM_ANALYSIS);
          for (gsize j = 0; j < p->P; j++)
            w[j] = p->wd[j] + (double) sigma[j] * xi[j];
        }
      for (guint i = 0; i < I0; i++)
        x[i] = p->x[n * I0 + i];
      vesicle_reference_forward (out, NULL, &p->shape, w, x, 1);
      if (p->shape.head == VESICLE_HEAD_SOFTMAX)
        {
          double max = out[0], sum = 0.0;

          for (guint o = 1; o < O; o++)
            max = MAX (max, out[o]);
          for (guint o = 0; o < O; o++)
            sum += exp (out[o] - max);
          for (guint y = 0; y < O; y++)
            {
              double py = exp (out[y] - max) / sum, target = y;

              nll_grad (p, grad, w, x, &target);
              for (gsize j = 0; j < p->P; j++)
                fisher[j] += py * grad[j] * grad[j];
            }
        }
      else
        {
          /* E over y ~ N(f, s^2) of (d/dw log N)^2: average the squared gradient over the
           * 2 O targets f +- s e_o, which matches the expectation of a quadratic form exactly
           * (symmetric design with the right second moments). */
          for (guint o = 0; o < O; o++)
            for (int sign = -1; sign <= 1; sign += 2)
              {
                double target[8];

                for (guint q = 0; q < O; q++)
                  target[q] = out[q];
                target[o] += sign * p->shape.noise_sd * sqrt ((double) O);
                nll_grad (p, grad, w, x, target);
                for (gsize j = 0; j < p->P; j++)
                  fisher[j] += grad[j] * grad[j] / (2.0 * O);
              }
        }
    }
  for (gsize j = 0; j < p->P; j++)
    fisher[j] /= p->n;
}

static void
check_against_brute_force (VesicleHead  head,
                           const guint *hidden,
                           guint        n_hidden)
{
  g_autoptr(GError) error = NULL;
  Problem p;
  g_autofree double *fisher = NULL, *want = NULL, *power = NULL;
  gsize R = 0;

  problem_init (&p, head, hidden, n_hidden, 17 + n_hidden);
  for (guint l = 0; l < p.shape.n_layers; l++)
    R += p.shape.sizes[l];
  fisher = g_new (double, p.P);
  want = g_new (double, p.P);
  power = g_new (double, R);
  g_assert_true (vesicle_fisher_diagonal (fisher, power, &p.shape, p.w, NULL, 0, 0, &p.ex, NULL,
                                          &error));
  g_assert_no_error (error);
  brute_force (&p, want, NULL, 0, 0);
  for (gsize j = 0; j < p.P; j++)
    if (fabs (fisher[j] - want[j]) > 1e-9 + 1e-9 * fabs (want[j]))
      g_error ("parameter %" G_GSIZE_FORMAT ": Fisher %.12g, brute force %.12g", j, fisher[j],
               want[j]);

  /* first layer's input power is the mean squared pixel */
  for (guint i = 0; i < p.shape.sizes[0]; i++)
    {
      double s = 0.0;

      for (guint n = 0; n < p.n; n++)
        s += (double) p.x[n * p.shape.sizes[0] + i] * p.x[n * p.shape.sizes[0] + i];
      g_assert_cmpfloat_with_epsilon (power[i], s / p.n, 1e-12);
    }
  problem_clear (&p);
}

static void
test_brute_force_softmax (void)
{
  const guint one[] = { 6 }, two[] = { 6, 3 };

  check_against_brute_force (VESICLE_HEAD_SOFTMAX, NULL, 0);
  check_against_brute_force (VESICLE_HEAD_SOFTMAX, one, 1);
  check_against_brute_force (VESICLE_HEAD_SOFTMAX, two, 2);
}

static void
test_brute_force_gaussian (void)
{
  const guint one[] = { 6 };

  check_against_brute_force (VESICLE_HEAD_GAUSSIAN, NULL, 0);
  check_against_brute_force (VESICLE_HEAD_GAUSSIAN, one, 1);
}

/* Without hidden layers the Fisher is the Hessian of the mean NLL: second differences. */
static void
test_zero_hidden_is_hessian (void)
{
  g_autoptr(GError) error = NULL;
  Problem p;
  g_autofree double *fisher = NULL, *power = NULL, *w = NULL, *grad = NULL;
  guint I0;
  double h = 1e-4;

  problem_init (&p, VESICLE_HEAD_SOFTMAX, NULL, 0, 5);
  I0 = p.shape.sizes[0];
  fisher = g_new (double, p.P);
  power = g_new (double, I0);
  w = g_memdup2 (p.wd, p.P * sizeof (double));
  grad = g_new (double, p.P);
  g_assert_true (vesicle_fisher_diagonal (fisher, power, &p.shape, p.w, NULL, 0, 0, &p.ex, NULL,
                                          &error));
  g_assert_no_error (error);
  for (gsize j = 0; j < p.P; j++)
    {
      double f[3];

      for (int s = -1; s <= 1; s++)
        {
          double total = 0.0;

          w[j] = p.wd[j] + s * h;
          for (guint n = 0; n < p.n; n++)
            {
              double x[8], target = n % p.shape.sizes[1];

              for (guint i = 0; i < I0; i++)
                x[i] = p.x[n * I0 + i];
              total += nll_grad (&p, grad, w, x, &target);
            }
          f[s + 1] = total / p.n;
        }
      w[j] = p.wd[j];
      if (fabs (fisher[j] - (f[0] - 2 * f[1] + f[2]) / (h * h)) > 1e-5 + 1e-4 * fisher[j])
        g_error ("parameter %" G_GSIZE_FORMAT ": Fisher %.10g, second difference %.10g", j,
                 fisher[j], (f[0] - 2 * f[1] + f[2]) / (h * h));
    }
  problem_clear (&p);
}

/* Under the synaptic noise: the same draws as a brute force through the reference, and not
 * the Fisher at mu (the noise changes it). */
static void
test_under_noise (void)
{
  const guint hidden[] = { 6 };
  g_autoptr(GError) error = NULL;
  Problem p;
  g_autofree double *fisher = NULL, *at_mu = NULL, *want = NULL, *power = NULL;
  g_autofree float *sigma = NULL;
  double largest_change = 0.0;

  problem_init (&p, VESICLE_HEAD_SOFTMAX, hidden, 1, 29);
  fisher = g_new (double, p.P);
  at_mu = g_new (double, p.P);
  want = g_new (double, p.P);
  power = g_new (double, p.shape.sizes[0] + p.shape.sizes[1]);
  sigma = g_new (float, p.P);
  for (gsize j = 0; j < p.P; j++)
    sigma[j] = 0.05f + 0.3f * (float) (j % 5) / 4.0f;
  g_assert_true (vesicle_fisher_diagonal (fisher, power, &p.shape, p.w, sigma, 42, 3, &p.ex,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vesicle_fisher_diagonal (at_mu, power, &p.shape, p.w, NULL, 0, 0, &p.ex, NULL,
                                          &error));
  brute_force (&p, want, sigma, 42, 3);
  for (gsize j = 0; j < p.P; j++)
    {
      if (fabs (fisher[j] - want[j]) > 1e-9 + 1e-6 * fabs (want[j]))
        g_error ("parameter %" G_GSIZE_FORMAT ": Fisher %.12g, brute force %.12g", j, fisher[j],
                 want[j]);
      largest_change = MAX (largest_change, fabs (fisher[j] - at_mu[j]) / (at_mu[j] + 1e-12));
    }
  g_assert_cmpfloat (largest_change, >, 0.05);
  problem_clear (&p);
}

static void
test_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Problem p;
  g_autofree double *fisher = NULL, *power = NULL;

  problem_init (&p, VESICLE_HEAD_SOFTMAX, NULL, 0, 3);
  fisher = g_new (double, p.P);
  power = g_new (double, p.shape.sizes[0]);
  g_cancellable_cancel (cancellable);
  g_assert_false (vesicle_fisher_diagonal (fisher, power, &p.shape, p.w, NULL, 0, 0, &p.ex,
                                           cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  problem_clear (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fisher/brute-force/softmax", test_brute_force_softmax);
  g_test_add_func ("/fisher/brute-force/gaussian", test_brute_force_gaussian);
  g_test_add_func ("/fisher/zero-hidden-is-hessian", test_zero_hidden_is_hessian);
  g_test_add_func ("/fisher/under-noise", test_under_noise);
  g_test_add_func ("/fisher/cancelled", test_cancelled);
  return g_test_run ();
}
