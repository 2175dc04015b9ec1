/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the float64 reference (vesicle-reference.c): objective values computed by hand,
 * n_correct and its tie rule, the reliability cost, Adam's first two steps, homogeneous sigma as
 * the sum of the heterogeneous gradients, and central finite differences of d objective / d mu
 * and d objective / d phi for both heads, 0 to 2 hidden layers, both sigma settings and the four
 * cost exponents, at points chosen away from ReLU kinks and from mu = 0.
 */
#include "vesicle-reference.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * helpers
 */

static gboolean
close_rel (double a,
           double b,
           double rel,
           double abs_tol)
{
  double d = fabs (a - b);

  return d <= abs_tol || d <= rel * MAX (fabs (a), fabs (b));
}

#define assert_close(what, got, want, rel)                                                   \
  G_STMT_START {                                                                             \
    double got_ = (got), want_ = (want);                                                     \
    if (!close_rel (got_, want_, (rel), 0.0))                                                \
      g_error ("%s: got %.17g, want %.17g (relative error %.3g)", (what), got_, want_,        \
               fabs (got_ - want_) / MAX (fabs (want_), 1e-300));                            \
  } G_STMT_END

static void
shape_for (VesicleShape *shape,
           VesicleHead   head,
           guint         n_in,
           const guint  *hidden,
           guint         n_hidden,
           guint         n_out)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (vesicle_shape_init (shape, n_in, hidden, n_hidden, n_out, head, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------------------------
 * hand-computed cases: 0 hidden layers, 2 inputs, 2 outputs, 6 parameters
 * mu = (W00 W01 W10 W11 b0 b1) = (0.5 -0.25 0.75 1 0.1 -0.2), xi = (1 0 -0.5 0.5 0 0.2)
 */

static const double hand_mu[6] = { 0.5, -0.25, 0.75, 1.0, 0.1, -0.2 };
static const double hand_xi[6] = { 1.0, 0.0, -0.5, 0.5, 0.0, 0.2 };

static void
test_hand_softmax (void)
{
  VesicleShape shape;
  VesicleHyper hyper = { .rho = 2.0, .c = 0.001, .lambda = 0.01,
                         .setting = VESICLE_SIGMA_HETERO, .seed = 1 };
  /* sigma = 0.5 everywhere, so w = (1 -0.25 0.5 1.25 0.1 -0.1) */
  double phi[6];
  double x[3 * 2] = { 1.0, 2.0,     /* logits (0.6, 2.9): label 0, wrong */
                      2.0, -1.0,    /* logits (2.35, -0.35): label 0, right */
                      0.0, 0.0 };   /* logits (0.1, -0.1): label 1, wrong */
  double y[3] = { 0.0, 0.0, 1.0 };
  double gmu[6], gphi[6], nll = 0.0, obj;
  guint n_correct = 99;
  double nll_want = log (exp (0.6) + exp (2.9)) - 0.6
                    + log (exp (2.35) + exp (-0.35)) - 2.35
                    + log (exp (0.1) + exp (-0.1)) + 0.1;
  /* python, float64, from the same formulas written independently */
  const double gmu_want[6] = { -1.0298237510991366, -1.7597807219132913, 1.0398237510991364,
                               1.7597807219132906, -0.41701639772966215, 0.41701639772966226 };
  const double gphi_want[6] = { -0.41031917338097423, -0.003147754722298933,
                                -0.2067334640516366, 0.34207845177780677,
                                -0.003147754722298933, 0.030062347998729297 };

  shape_for (&shape, VESICLE_HEAD_SOFTMAX, 2, NULL, 0, 2);
  g_assert_cmpuint (vesicle_shape_n_params (&shape), ==, 6);
  for (guint i = 0; i < 6; i++)
    phi[i] = vesicle_softplus_inverse (0.5);

  obj = vesicle_reference_objective (gmu, gphi, &nll, &n_correct, &shape, &hyper, hand_mu, phi,
                                     hand_xi, x, y, 3, 0.5);

  assert_close ("nll", nll, nll_want, 1e-13);
  assert_close ("nll (python)", nll, 3.258727895756145, 1e-13);
  /* 0.5 * (0.01 * 2.8 + 0.001 * 6 * 0.5^-2) = 0.026 */
  assert_close ("objective", obj, nll_want + 0.026, 1e-13);
  assert_close ("objective (python)", obj, 3.284727895756145, 1e-13);
  g_assert_cmpuint (n_correct, ==, 1);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *a = g_strdup_printf ("grad_mu[%u]", i);
      g_autofree char *b = g_strdup_printf ("grad_phi[%u]", i);

      assert_close (a, gmu[i], gmu_want[i], 1e-12);
      assert_close (b, gphi[i], gphi_want[i], 1e-12);
    }

  /* every output is optional, and leaving them out changes nothing */
  g_assert_cmpfloat (vesicle_reference_objective (NULL, NULL, NULL, NULL, &shape, &hyper,
                                                  hand_mu, phi, hand_xi, x, y, 3, 0.5),
                     ==, obj);
}

static void
test_hand_gaussian_homo (void)
{
  VesicleShape shape;
  VesicleHyper hyper = { .rho = 0.5, .c = 0.002, .lambda = 0.1,
                         .setting = VESICLE_SIGMA_HOMO, .seed = 1 };
  double phi = vesicle_softplus_inverse (0.25);
  /* sigma = 0.25, w = (0.75 -0.25 0.625 1.125 0.1 -0.15) */
  double x[2 * 2] = { 1.0, 2.0, 2.0, -1.0 };
  double y[2 * 2] = { 0.3, 2.0, 1.5, -0.5 };
  double a[2 * 2] = { 0.75 - 0.5 + 0.1, 0.625 + 2.25 - 0.15,
                      1.5 + 0.25 + 0.1, 1.25 - 1.125 - 0.15 };
  double s = 0.5, nll_want = 0.0, nll, obj, cost;
  guint n_correct = 99;

  shape_for (&shape, VESICLE_HEAD_GAUSSIAN, 2, NULL, 0, 2);
  shape.noise_sd = s;
  for (guint k = 0; k < 4; k++)
    nll_want += (y[k] - a[k]) * (y[k] - a[k]) / (2 * s * s) + 0.5 * log (2 * G_PI * s * s);

  obj = vesicle_reference_objective (NULL, NULL, &nll, &n_correct, &shape, &hyper, hand_mu, &phi,
                                     hand_xi, x, y, 2, 0.25);
  cost = vesicle_reference_reliability_cost (&shape, &hyper, &phi);

  assert_close ("nll", nll, nll_want, 1e-13);
  assert_close ("nll (python)", nll, 2.6556654105789104, 1e-13);
  /* P * c * sigma^-rho = 6 * 0.002 * 0.25^-0.5 */
  assert_close ("homo cost", cost, 0.024, 1e-13);
  assert_close ("objective", obj, nll_want + 0.25 * (0.1 * 2.8 + 0.024), 1e-13);
  assert_close ("objective (python)", obj, 2.7316654105789104, 1e-13);
  g_assert_cmpuint (n_correct, ==, 0);
}

/* argmax takes the first of equal logits */
static void
test_n_correct_ties (void)
{
  VesicleShape shape;
  VesicleHyper hyper = { .rho = 2.0, .c = 0.0, .lambda = 0.0,
                         .setting = VESICLE_SIGMA_HOMO, .seed = 1 };
  /* 2 inputs, 3 outputs: W = 0 except W20 = 1; b = (0.5 0.5 0) */
  double mu[9] = { 0, 0, 0, 0, 1, 0, 0.5, 0.5, 0 };
  double xi[9] = { 0 };
  double phi = 0.0;
  double x[4 * 2] = { 0, 0,       /* (0.5 0.5 0): argmax 0 */
                      0, 0,       /* same, label 1: wrong */
                      1, 0,       /* (0.5 0.5 1): argmax 2 */
                      0.5, 7 };   /* (0.5 0.5 0.5): argmax 0 */
  double y[4] = { 0, 1, 2, 2 };
  double nll;
  guint n_correct = 99;

  shape_for (&shape, VESICLE_HEAD_SOFTMAX, 2, NULL, 0, 3);
  vesicle_reference_objective (NULL, NULL, &nll, &n_correct, &shape, &hyper, mu, &phi, xi, x, y,
                               4, 1.0);
  g_assert_cmpuint (n_correct, ==, 2);
  assert_close ("nll", nll,
                2 * (log (2 * exp (0.5) + 1.0) - 0.5) + log (2 * exp (0.5) + exp (1.0)) - 1.0
                + log (3.0),
                1e-13);

  /* a very large logit must not overflow the log-sum-exp */
  mu[4] = 1000.0;
  vesicle_reference_objective (NULL, NULL, &nll, &n_correct, &shape, &hyper, mu, &phi, xi, x, y,
                               4, 1.0);
  g_assert_true (isfinite (nll));
  /* examples 0, 1: unchanged; 2: logit 1000 on the label; 3: 500 on the label */
  assert_close ("nll, large logits", nll, 2 * (log (2 * exp (0.5) + 1.0) - 0.5), 1e-12);
  g_assert_cmpuint (n_correct, ==, 3);
}

static void
test_reliability_cost (void)
{
  VesicleShape shape;
  guint hidden[1] = { 3 };
  VesicleHyper het = { .rho = 4.0 / 3.0, .c = 0.3, .lambda = 0.0,
                       .setting = VESICLE_SIGMA_HETERO, .seed = 1 };
  VesicleHyper hom = het;
  double phi[256];
  double want = 0.0;
  gsize P;

  shape_for (&shape, VESICLE_HEAD_SOFTMAX, 4, hidden, 1, 2);
  P = vesicle_shape_n_params (&shape);
  g_assert_cmpuint (P, ==, 4 * 3 + 3 + 3 * 2 + 2);
  for (gsize i = 0; i < P; i++)
    {
      double sigma = 0.05 + 0.02 * (double) i;

      phi[i] = vesicle_softplus_inverse (sigma);
      want += 0.3 * pow (sigma, -4.0 / 3.0);
    }
  assert_close ("hetero cost", vesicle_reference_reliability_cost (&shape, &het, phi), want,
                1e-12);

  /* homo: P * c * sigma^-rho; sigma = 0.125 makes sigma^-4/3 = 16 exactly */
  hom.setting = VESICLE_SIGMA_HOMO;
  phi[0] = vesicle_softplus_inverse (0.125);
  assert_close ("homo cost", vesicle_reference_reliability_cost (&shape, &hom, phi),
                (double) P * 0.3 * 16.0, 1e-12);
  hom.rho = 0.5;
  phi[0] = vesicle_softplus_inverse (0.25);
  assert_close ("homo cost, rho 1/2", vesicle_reference_reliability_cost (&shape, &hom, phi),
                (double) P * 0.3 * 2.0, 1e-12);
}

static void
test_adam (void)
{
  double p[3] = { 1.0, -2.0, 0.5 };
  double m[3] = { 0 }, v[3] = { 0 };
  const double g1[3] = { 0.5, -3.0, 1e-3 };
  const double g2[3] = { 0.1, 1.0, -2e-3 };
  double lr = 0.01;

  /* step 1: mhat = g, vhat = g^2, so each parameter moves by lr * g / (|g| + eps) */
  vesicle_reference_adam (p, m, v, g1, 3, lr, 0.9, 0.999, 1e-8, 1);
  assert_close ("p[0] t=1", p[0], 1.0 - lr * 0.5 / (0.5 + 1e-8), 1e-15);
  assert_close ("p[1] t=1", p[1], -2.0 + lr * 3.0 / (3.0 + 1e-8), 1e-15);
  assert_close ("p[2] t=1", p[2], 0.5 - lr * 1e-3 / (1e-3 + 1e-8), 1e-15);
  g_assert_cmpfloat_with_epsilon (p[0], 1.0 - lr, 1e-9);
  g_assert_cmpfloat_with_epsilon (p[1], -2.0 + lr, 1e-9);
  assert_close ("m[1] t=1", m[1], -0.3, 1e-14);
  assert_close ("v[1] t=1", v[1], 0.009, 1e-14);

  /* step 2, numbers from python */
  vesicle_reference_adam (p, m, v, g2, 3, lr, 0.9, 0.999, 1e-8, 2);
  assert_close ("p[0] t=2", p[0], 0.9819695906384652, 1e-14);
  assert_close ("p[1] t=2", p[1], -1.985997814331691, 1e-14);
  assert_close ("p[2] t=2", p[2], 0.49366111211855884, 1e-14);
  assert_close ("m[0] t=2", m[0], 0.055, 1e-14);
  assert_close ("m[2] t=2", m[2], -0.00011, 1e-13);
  assert_close ("v[1] t=2", v[1], 0.009991, 1e-14);
  assert_close ("v[2] t=2", v[2], 4.999e-09, 1e-13);
}

/* ---------------------------------------------------------------------------------------------
 * random problems and finite differences
 */

typedef struct {
  VesicleShape  shape;
  VesicleHyper  hyper;
  gsize         P;
  guint         B;
  double       *mu;       /* (P) */
  double       *phi;      /* (P) or (1) */
  double       *xi;       /* (P) */
  double       *x;        /* (B, n_in) */
  double       *targets;  /* (B) or (B, n_out) */
} Problem;

static void
problem_free (Problem *pr)
{
  g_free (pr->mu);
  g_free (pr->phi);
  g_free (pr->xi);
  g_free (pr->x);
  g_free (pr->targets);
}

/* Smallest |pre-activation| of any hidden unit over the batch, with the sampled weights. */
static double
min_hidden_preactivation (const Problem *pr)
{
  const VesicleShape *s = &pr->shape;
  gboolean homo = pr->hyper.setting == VESICLE_SIGMA_HOMO;
  double min = INFINITY;

  for (guint b = 0; b < pr->B; b++)
    {
      double h[2][64];
      guint cur = 0;

      g_assert_cmpuint (s->sizes[0], <=, 64);
      memcpy (h[0], pr->x + (gsize) b * s->sizes[0], s->sizes[0] * sizeof (double));
      for (guint l = 0; l + 1 < s->n_layers; l++)
        {
          guint I = s->sizes[l], O = s->sizes[l + 1];
          gsize off = vesicle_shape_layer_offset (s, l);

          g_assert_cmpuint (O, <=, 64);
          for (guint o = 0; o < O; o++)
            {
              double a = 0.0;

              for (guint i = 0; i <= I; i++)
                {
                  /* i == I: the bias */
                  gsize k = i < I ? off + (gsize) o * I + i : off + (gsize) O * I + o;
                  double w = pr->mu[k] + vesicle_softplus (pr->phi[homo ? 0 : k]) * pr->xi[k];

                  a += w * (i < I ? h[cur][i] : 1.0);
                }
              min = MIN (min, fabs (a));
              h[1 - cur][o] = MAX (a, 0.0);
            }
          cur = 1 - cur;
        }
    }
  return min;
}

static void
problem_make (Problem            *pr,
              VesicleHead         head,
              guint               n_hidden,
              VesicleSigmaSetting setting,
              double              rho,
              guint32             seed)
{
  static const guint hidden[2] = { 7, 4 };
  guint n_in = 5, n_out = 3, B = 4;

  for (guint32 attempt = 0; attempt < 1000; attempt++)
    {
      g_autoptr (GRand) rng = g_rand_new_with_seed (seed * 7919u + attempt);
      gsize n_phi;
      float *xf;

      memset (pr, 0, sizeof *pr);
      shape_for (&pr->shape, head, n_in, hidden, n_hidden, n_out);
      if (head == VESICLE_HEAD_GAUSSIAN)
        pr->shape.noise_sd = 0.7;
      pr->hyper = (VesicleHyper) { .rho = rho, .c = 0.01, .lambda = 0.05, .setting = setting,
                                   .seed = seed };
      if (rho == 0.0)
        /* rho 0 stands for variational Bayes: entropy cost, Laplace + Gaussian prior on w */
        pr->hyper = (VesicleHyper) { .c = 1.0, .setting = setting, .seed = seed,
                                     .cost = VESICLE_COST_ENTROPY, .prior_l1 = 0.05,
                                     .prior_precision = 0.3 };
      pr->P = vesicle_shape_n_params (&pr->shape);
      pr->B = B;
      n_phi = setting == VESICLE_SIGMA_HOMO ? 1 : pr->P;

      pr->mu = g_new (double, pr->P);
      pr->phi = g_new (double, n_phi);
      pr->xi = g_new (double, pr->P);
      pr->x = g_new (double, (gsize) B * n_in);
      pr->targets = g_new (double, (gsize) B * n_out);

      for (gsize i = 0; i < pr->P; i++)
        {
          /* U(-0.5, 0.5), kept away from the kink of |mu| at 0 */
          do
            pr->mu[i] = g_rand_double_range (rng, -0.5, 0.5);
          while (fabs (pr->mu[i]) < 1e-3);
        }
      for (gsize i = 0; i < n_phi; i++)
        pr->phi[i] = vesicle_softplus_inverse (g_rand_double_range (rng, 0.05, 0.5));

      xf = g_new (float, pr->P);
      vesicle_model_draw_noise (xf, &pr->shape, seed, attempt, 0);
      for (gsize i = 0; i < pr->P; i++)
        pr->xi[i] = xf[i];
      g_free (xf);

      for (gsize k = 0; k < (gsize) B * n_in; k++)
        pr->x[k] = g_rand_double_range (rng, -1.0, 1.0);
      if (head == VESICLE_HEAD_SOFTMAX)
        for (guint b = 0; b < B; b++)
          pr->targets[b] = (double) g_rand_int_range (rng, 0, (gint32) n_out);
      else
        for (gsize k = 0; k < (gsize) B * n_out; k++)
          pr->targets[k] = g_rand_double_range (rng, -1.5, 1.5);

      if (min_hidden_preactivation (pr) > 1e-3)
        return;
      problem_free (pr);
    }
  g_assert_not_reached ();
}

typedef struct {
  VesicleHead         head;
  guint               n_hidden;
  VesicleSigmaSetting setting;
  double              rho;
} FdCase;

static double
objective_of (const Problem *pr,
              double         scale)
{
  return vesicle_reference_objective (NULL, NULL, NULL, NULL, &pr->shape, &pr->hyper, pr->mu,
                                      pr->phi, pr->xi, pr->x, pr->targets, pr->B, scale);
}

/* Central difference of the objective along *p; returns the derivative estimate. */
static double
central_difference (const Problem *pr,
                    double        *p,
                    double         scale)
{
  double p0 = *p;
  double h = 1e-6 * MAX (1.0, fabs (p0));
  double fp, fm;

  *p = p0 + h;
  fp = objective_of (pr, scale);
  *p = p0 - h;
  fm = objective_of (pr, scale);
  *p = p0;
  return (fp - fm) / (2.0 * h);
}

/* A parameter passes if the relative error is below 1e-5, or the absolute error is below what
 * rounding of the objective itself allows (eps * |f| / h, with a wide margin). */
static gboolean
check_gradient (const char *what,
                gsize       i,
                double      analytic,
                double      fd,
                double      f,
                double     *worst)
{
  double err = fabs (analytic - fd);
  double rel = err / MAX (MAX (fabs (analytic), fabs (fd)), 1e-300);
  double abs_tol = 1e-8 * MAX (1.0, fabs (f));

  if (MAX (fabs (analytic), fabs (fd)) > 1e-3)
    *worst = MAX (*worst, rel);
  if (close_rel (analytic, fd, 1e-5, abs_tol))
    return TRUE;
  g_test_message ("%s[%" G_GSIZE_FORMAT "]: analytic %.12g, finite difference %.12g, "
                  "relative error %.3g", what, i, analytic, fd, rel);
  return FALSE;
}

static void
test_finite_differences (gconstpointer data)
{
  const FdCase *fc = data;
  static const double scales[2] = { 20.0 / 8000.0, 0.5 };

  for (guint32 seed = 1; seed <= 3; seed++)
    for (guint si = 0; si < G_N_ELEMENTS (scales); si++)
      {
        Problem pr;
        double scale = scales[si];
        double *gmu, *gphi, f, nll, worst = 0.0;
        gsize n_phi, n_data_nonzero = 0;
        guint n_bad = 0;

        problem_make (&pr, fc->head, fc->n_hidden, fc->setting, fc->rho, seed);
        n_phi = fc->setting == VESICLE_SIGMA_HOMO ? 1 : pr.P;
        gmu = g_new (double, pr.P);
        gphi = g_new (double, n_phi);

        f = vesicle_reference_objective (gmu, gphi, &nll, NULL, &pr.shape, &pr.hyper, pr.mu,
                                         pr.phi, pr.xi, pr.x, pr.targets, pr.B, scale);
        g_assert_true (isfinite (f));

        /* objective = nll + scale * (lambda * sum|mu| + prior(w) + cost) */
        {
          double l1 = 0.0, prior = 0.0;

          for (gsize i = 0; i < pr.P; i++)
            {
              double sigma = vesicle_softplus (pr.phi[fc->setting == VESICLE_SIGMA_HOMO ? 0 : i]);
              double w = pr.mu[i] + sigma * pr.xi[i];

              l1 += fabs (pr.mu[i]);
              prior += pr.hyper.prior_l1 * fabs (w) + 0.5 * pr.hyper.prior_precision * w * w;
            }
          assert_close ("objective decomposition", f,
                        nll + scale * (pr.hyper.lambda * l1 + prior
                                       + vesicle_reference_reliability_cost (&pr.shape,
                                                                             &pr.hyper, pr.phi)),
                        1e-13);
        }

        for (gsize i = 0; i < pr.P; i++)
          {
            double fd = central_difference (&pr, &pr.mu[i], scale);

            if (!check_gradient ("grad_mu", i, gmu[i], fd, f, &worst))
              n_bad++;
            /* the data part of the gradient must not be trivially zero */
            if (fabs (gmu[i] - scale * pr.hyper.lambda * (pr.mu[i] > 0 ? 1.0 : -1.0)) > 1e-9)
              n_data_nonzero++;
          }
        for (gsize i = 0; i < n_phi; i++)
          {
            double fd = central_difference (&pr, &pr.phi[i], scale);

            if (!check_gradient ("grad_phi", i, gphi[i], fd, f, &worst))
              n_bad++;
          }

        g_test_message ("seed %u, scale %g: P = %" G_GSIZE_FORMAT ", objective %.6g, "
                        "worst relative error (|gradient| > 1e-3) %.3g, "
                        "%" G_GSIZE_FORMAT " nonzero data gradients",
                        seed, scale, pr.P, f, worst, n_data_nonzero);
        g_assert_cmpuint (n_bad, ==, 0);
        g_assert_cmpuint (n_data_nonzero, >=, pr.P / 3);

        g_free (gmu);
        g_free (gphi);
        problem_free (&pr);
      }
}

/* The homogeneous gradient is the sum of the heterogeneous ones at equal phi, and so are the
 * objectives (P * c * sigma^-rho == sum over P of c * sigma^-rho). */
static void
test_homo_is_sum_of_hetero (void)
{
  Problem pr;
  double *phi_het, *gmu_het, *gphi_het, *gmu_hom, gphi_hom, f_het, f_hom, sum = 0.0;
  VesicleHyper het;

  problem_make (&pr, VESICLE_HEAD_SOFTMAX, 2, VESICLE_SIGMA_HOMO, 2.0 / 3.0, 11);
  het = pr.hyper;
  het.setting = VESICLE_SIGMA_HETERO;
  phi_het = g_new (double, pr.P);
  gmu_het = g_new (double, pr.P);
  gphi_het = g_new (double, pr.P);
  gmu_hom = g_new (double, pr.P);
  for (gsize i = 0; i < pr.P; i++)
    phi_het[i] = pr.phi[0];

  f_hom = vesicle_reference_objective (gmu_hom, &gphi_hom, NULL, NULL, &pr.shape, &pr.hyper,
                                       pr.mu, pr.phi, pr.xi, pr.x, pr.targets, pr.B, 0.25);
  f_het = vesicle_reference_objective (gmu_het, gphi_het, NULL, NULL, &pr.shape, &het, pr.mu,
                                       phi_het, pr.xi, pr.x, pr.targets, pr.B, 0.25);
  assert_close ("objective", f_hom, f_het, 1e-13);
  for (gsize i = 0; i < pr.P; i++)
    {
      g_assert_cmpfloat (gmu_hom[i], ==, gmu_het[i]);
      sum += gphi_het[i];
    }
  assert_close ("grad_phi", gphi_hom, sum, 1e-12);

  g_free (phi_het);
  g_free (gmu_het);
  g_free (gphi_het);
  g_free (gmu_hom);
  problem_free (&pr);
}

int
main (int   argc,
      char *argv[])
{
  static const double rhos[5] = { 0.5, 2.0 / 3.0, 4.0 / 3.0, 2.0, 0.0 };
  static const char *rho_names[5] = { "0.5", "2_3", "4_3", "2", "vb" };
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reference/hand/softmax", test_hand_softmax);
  g_test_add_func ("/reference/hand/gaussian-homo", test_hand_gaussian_homo);
  g_test_add_func ("/reference/n-correct-ties", test_n_correct_ties);
  g_test_add_func ("/reference/reliability-cost", test_reliability_cost);
  g_test_add_func ("/reference/adam", test_adam);
  g_test_add_func ("/reference/homo-is-sum-of-hetero", test_homo_is_sum_of_hetero);

  for (guint head = 0; head < 2; head++)
    for (guint n_hidden = 0; n_hidden <= 2; n_hidden++)
      for (guint setting = 0; setting < 2; setting++)
        for (guint r = 0; r < G_N_ELEMENTS (rhos); r++)
          {
            FdCase *fc = g_new0 (FdCase, 1);
            g_autofree char *path = NULL;

            fc->head = head == 0 ? VESICLE_HEAD_SOFTMAX : VESICLE_HEAD_GAUSSIAN;
            fc->n_hidden = n_hidden;
            fc->setting = setting == 0 ? VESICLE_SIGMA_HETERO : VESICLE_SIGMA_HOMO;
            fc->rho = rhos[r];
            g_ptr_array_add (cases, fc);
            path = g_strdup_printf ("/reference/fd/%s/hidden-%u/%s/rho-%s",
                                    head == 0 ? "softmax" : "gaussian", n_hidden,
                                    setting == 0 ? "hetero" : "homo", rho_names[r]);
            g_test_add_data_func (path, fc, test_finite_differences);
          }

  ret = g_test_run ();
  g_ptr_array_unref (cases);
  return ret;
}
