/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the straight-line fits (vesicle-fit.c): Student's t 0.975 quantile against tabled
 * values, exact lines and power laws, a noisy dataset and a noisy log-log dataset checked against
 * NumPy (numpy.polyfit / corrcoef, with the t quantile from mpmath), the confidence interval
 * narrowing as points are added, and what gets skipped or refused.
 */
#include "vesicle-fit.h"

#include <math.h>

static void
assert_close (double got,
              double want,
              double rel_tol)
{
  if (!(fabs (got - want) <= rel_tol * MAX (fabs (want), 1e-300)))
    g_error ("got %.17g, want %.17g (relative tolerance %g)", got, want, rel_tol);
}

static void
assert_fit_nan (const VesicleFit *fit)
{
  g_assert_true (isnan (fit->slope));
  g_assert_true (isnan (fit->intercept));
  g_assert_true (isnan (fit->ci_low));
  g_assert_true (isnan (fit->ci_high));
  g_assert_true (isnan (fit->r));
}

static void
test_t_quantile (void)
{
  /* the table every statistics textbook prints (three decimals) */
  static const struct { double dof, t; } table[] = {
    { 1, 12.706 }, { 2, 4.303 }, { 5, 2.571 }, { 10, 2.228 }, { 30, 2.042 }, { 1000, 1.962 },
  };
  /* mpmath (40 digits): root of betainc (v/2, 1/2, 0, v/(v+t^2), regularized) = 0.05 */
  static const struct { double dof, t; } exact[] = {
    { 1, 12.706204736174705 }, { 1.5, 6.0166631044279319 }, { 2, 4.3026527297494639 },
    { 3, 3.1824463052837096 }, { 5, 2.5705818356363155 }, { 10, 2.2281388519862747 },
    { 30, 2.0422724563012383 }, { 100, 1.9839715185235523 }, { 1000, 1.9623390808264085 },
    { 1e4, 1.9602012398906263 }, { 1e5, 1.9599877075346096 }, { 1e6, 1.959966356814107 },
    { 1e9, 1.9599639869123255 },
  };
  double previous = INFINITY;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpfloat_with_epsilon (vesicle_t_quantile_975 (table[i].dof), table[i].t, 6e-4);
  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    assert_close (vesicle_t_quantile_975 (exact[i].dof), exact[i].t, 1e-9);

  /* falls with dof towards the normal quantile, never below it */
  for (double dof = 1; dof < 1e7; dof *= 1.37)
    {
      double t = vesicle_t_quantile_975 (dof);

      g_assert_cmpfloat (t, <, previous);
      g_assert_cmpfloat (t, >=, 1.959963984540054);
      previous = t;
    }
  assert_close (vesicle_t_quantile_975 (INFINITY), 1.959963984540054, 1e-15);
  g_assert_true (isnan (vesicle_t_quantile_975 (0)));
  g_assert_true (isnan (vesicle_t_quantile_975 (-3)));
  g_assert_true (isnan (vesicle_t_quantile_975 (NAN)));
}

static void
test_exact_line (void)
{
  double x[7], y[7];
  VesicleFit fit;

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      x[i] = 0.25 * i - 1.0;
      y[i] = 3.0 - 2.0 * x[i];
    }
  g_assert_true (vesicle_fit_line (&fit, x, y, G_N_ELEMENTS (x)));
  assert_close (fit.slope, -2.0, 1e-14);
  assert_close (fit.intercept, 3.0, 1e-14);
  assert_close (fit.r, -1.0, 1e-14);
  g_assert_cmpfloat (fit.ci_low, <=, fit.slope);
  g_assert_cmpfloat (fit.ci_high, >=, fit.slope);
  g_assert_cmpfloat (fit.ci_high - fit.ci_low, <, 1e-12);
  g_assert_cmpuint (fit.n, ==, 7);
  g_assert_cmpuint (fit.n_skipped, ==, 0);

  /* three points are enough (one degree of freedom) */
  g_assert_true (vesicle_fit_line (&fit, x, y, 3));
  assert_close (fit.slope, -2.0, 1e-14);

  /* far from the origin: the centred sums keep the slope */
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      x[i] = 1e8 + i;
      y[i] = 0.5 * i + 7.0;
    }
  g_assert_true (vesicle_fit_line (&fit, x, y, G_N_ELEMENTS (x)));
  assert_close (fit.slope, 0.5, 1e-9);
}

static void
test_exact_power_law (void)
{
  double x[9], y[9];
  VesicleFit fit;

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      x[i] = pow (10.0, -2.0 + 0.5 * i);
      y[i] = 5.0 * pow (x[i], -2.0 / 3.0);
    }
  g_assert_true (vesicle_fit_loglog (&fit, x, y, G_N_ELEMENTS (x)));
  assert_close (fit.slope, -2.0 / 3.0, 1e-13);
  assert_close (fit.intercept, log10 (5.0), 1e-13);
  assert_close (fit.r, -1.0, 1e-14);
  g_assert_cmpfloat (fit.ci_high - fit.ci_low, <, 1e-12);
}

/* Reference values: NumPy 1.24 (lstsq, corrcoef; se from the residuals), t from mpmath. */
static void
test_noisy_line (void)
{
  static const double x[] = { 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.5 };
  static const double y[] = { 1.9, 2.4, 3.6, 3.9, 5.2, 5.1, 6.4, 7.3, 7.2, 8.6, 10.1, 12.9 };
  VesicleFit fit;

  g_assert_true (vesicle_fit_line (&fit, x, y, G_N_ELEMENTS (x)));
  assert_close (fit.slope, 1.5349397590361449, 1e-12);
  assert_close (fit.intercept, 0.9722891566265058, 1e-12);
  assert_close (fit.r, 0.9946731686411697, 1e-12);
  assert_close (fit.ci_low, 1.4228609439454536, 1e-12);
  assert_close (fit.ci_high, 1.6470185741268362, 1e-12);
  /* se = 0.05030153977647246 and t(10) = 2.228138851986275 make that interval */
  assert_close ((fit.ci_high - fit.ci_low) / 2.0, 2.228138851986275 * 0.05030153977647246, 1e-12);
  g_assert_cmpuint (fit.n, ==, 12);
  g_assert_cmpuint (fit.n_skipped, ==, 0);
}

/* A noisy power law with points a log cannot take mixed in: 0, a negative y, NaN and infinity. */
static void
test_noisy_loglog_skips (void)
{
  static const double x[] = { 1, 2, 0, 3, 5, 8, -4, 13, 21, NAN, 34, INFINITY };
  static const double y[] = { 3.1, 1.4, 2.0, 1.05, 0.61, 0.42, 0.5, 0.23, 0.16, 0.1, 0.09, 0.01 };
  static const double y_bad[] = { 3.1, 1.4, 2.0, 1.05, -0.61, 0.42, 0.5, 0.23, 0.16, 0.1, 0.09,
                                  0.01 };
  VesicleFit fit;

  g_assert_true (vesicle_fit_loglog (&fit, x, y, G_N_ELEMENTS (x)));
  g_assert_cmpuint (fit.n, ==, 8);
  g_assert_cmpuint (fit.n_skipped, ==, 4);
  /* numpy.polyfit (log10 x, log10 y, 1) on the eight good points */
  assert_close (fit.slope, -0.982617994182446, 1e-12);
  assert_close (fit.intercept, 0.4781078591874096, 1e-12);
  assert_close (fit.r, -0.998870626916232, 1e-12);
  assert_close (fit.ci_low, -1.0293085699330398, 1e-12);
  assert_close (fit.ci_high, -0.9359274184318523, 1e-12);

  /* a non-positive y is skipped as well */
  g_assert_true (vesicle_fit_loglog (&fit, x, y_bad, G_N_ELEMENTS (x)));
  g_assert_cmpuint (fit.n, ==, 7);
  g_assert_cmpuint (fit.n_skipped, ==, 5);

  /* the linear fit takes zeros and negatives but still skips what is not finite */
  g_assert_true (vesicle_fit_line (&fit, x, y, G_N_ELEMENTS (x)));
  g_assert_cmpuint (fit.n, ==, 10);
  g_assert_cmpuint (fit.n_skipped, ==, 2);
}

/* Same line, same noise level, x on [0, 1]: quadrupling the points roughly halves the interval,
 * and the interval holds the true slope. */
static void
test_ci_shrinks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);
  double previous = INFINITY;

  for (gsize n = 4; n <= 4096; n *= 4)
    {
      g_autofree double *x = g_new (double, n);
      g_autofree double *y = g_new (double, n);
      VesicleFit fit;
      double width;

      for (gsize i = 0; i < n; i++)
        {
          x[i] = (double) i / (n - 1);
          y[i] = 0.7 * x[i] - 0.2 + g_rand_double_range (rand, -0.5, 0.5);
        }
      g_assert_true (vesicle_fit_line (&fit, x, y, n));
      width = fit.ci_high - fit.ci_low;
      g_test_message ("n %" G_GSIZE_FORMAT ": slope %.4f, 95%% CI [%.4f, %.4f]", n, fit.slope,
                      fit.ci_low, fit.ci_high);
      g_assert_cmpfloat (width, >, 0.0);
      g_assert_cmpfloat (width, <, 0.8 * previous);
      g_assert_cmpfloat (fit.ci_low, <=, 0.7);
      g_assert_cmpfloat (fit.ci_high, >=, 0.7);
      previous = width;
    }
}

static void
test_refuses (void)
{
  static const double x[] = { 1.0, 2.0, 3.0, 4.0 };
  static const double y[] = { 2.0, 4.0, 6.0, 8.0 };
  static const double x_same[] = { 2.0, 2.0, 2.0, 2.0 };
  static const double x_holes[] = { 1.0, NAN, 3.0, -INFINITY };
  static const double y_nonpositive[] = { 2.0, 0.0, -6.0, 8.0 };
  VesicleFit fit;

  /* fewer than three points */
  g_assert_false (vesicle_fit_line (&fit, NULL, NULL, 0));
  assert_fit_nan (&fit);
  g_assert_cmpuint (fit.n, ==, 0);
  g_assert_false (vesicle_fit_line (&fit, x, y, 1));
  assert_fit_nan (&fit);
  g_assert_false (vesicle_fit_line (&fit, x, y, 2));
  assert_fit_nan (&fit);
  g_assert_cmpuint (fit.n, ==, 2);
  g_assert_false (vesicle_fit_loglog (&fit, x, y, 2));
  assert_fit_nan (&fit);

  /* four points, but only two usable once skipping is done; the counts still say so */
  g_assert_false (vesicle_fit_line (&fit, x_holes, y, 4));
  assert_fit_nan (&fit);
  g_assert_cmpuint (fit.n, ==, 2);
  g_assert_cmpuint (fit.n_skipped, ==, 2);
  g_assert_false (vesicle_fit_loglog (&fit, x, y_nonpositive, 4));
  assert_fit_nan (&fit);
  g_assert_cmpuint (fit.n, ==, 2);
  g_assert_cmpuint (fit.n_skipped, ==, 2);

  /* no spread in x */
  g_assert_false (vesicle_fit_line (&fit, x_same, y, 4));
  assert_fit_nan (&fit);
  g_assert_cmpuint (fit.n, ==, 4);
  g_assert_false (vesicle_fit_loglog (&fit, x_same, y, 4));
  assert_fit_nan (&fit);

  /* a horizontal line is a fit (slope 0) whose correlation is undefined */
  g_assert_true (vesicle_fit_line (&fit, x, x_same, 4));
  g_assert_cmpfloat (fit.slope, ==, 0.0);
  g_assert_cmpfloat (fit.intercept, ==, 2.0);
  g_assert_true (isnan (fit.r));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fit/t-quantile", test_t_quantile);
  g_test_add_func ("/fit/exact-line", test_exact_line);
  g_test_add_func ("/fit/exact-power-law", test_exact_power_law);
  g_test_add_func ("/fit/noisy-line", test_noisy_line);
  g_test_add_func ("/fit/noisy-loglog-skips", test_noisy_loglog_skips);
  g_test_add_func ("/fit/ci-shrinks", test_ci_shrinks);
  g_test_add_func ("/fit/refuses", test_refuses);

  return g_test_run ();
}
