/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Straight-line fits (see vesicle-fit.h): ordinary least squares of y on x, the Pearson
 * correlation, the slope's standard error se = sqrt (SSR / (n - 2) / Sxx) and its 95% confidence
 * interval slope ± t se, with t the 0.975 quantile of Student's t on n - 2 degrees of freedom.
 * That quantile inverts the t distribution's tail, P(|T| > t) = I_{v/(v+t^2)} (v/2, 1/2), through
 * the regularised incomplete beta function (continued fraction, modified Lentz), and for very
 * large dof uses the Cornish-Fisher expansion about the normal quantile instead.
 */
#include "vesicle-fit.h"

#include <stdlib.h>

#include <math.h>

/* The normal distribution's 0.975 quantile, the limit of t as dof grows. */
#define Z_975 1.959963984540054

/* Continued fraction of the incomplete beta function (Numerical Recipes' betacf), which
 * converges quickly for x < (a + 1) / (a + b + 2); the caller swaps a and b otherwise. */
static double
beta_continued_fraction (double a,
                         double b,
                         double x)
{
  const double tiny = 1e-300;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  double h;

  if (fabs (d) < tiny)
    d = tiny;
  d = 1.0 / d;
  h = d;
  for (int m = 1; m <= 100000; m++)
    {
      int m2 = 2 * m;
      double aa, delta;

      aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
      d = 1.0 + aa * d;
      c = 1.0 + aa / c;
      d = 1.0 / (fabs (d) < tiny ? tiny : d);
      c = fabs (c) < tiny ? tiny : c;
      h *= d * c;

      aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
      d = 1.0 + aa * d;
      c = 1.0 + aa / c;
      d = 1.0 / (fabs (d) < tiny ? tiny : d);
      c = fabs (c) < tiny ? tiny : c;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1.0) < 1e-15)
        break;
    }
  return h;
}

/* I_x (a, b), taking y = 1 - x from the caller so that x close to 1 keeps its precision. */
static double
beta_regularised (double a,
                  double b,
                  double x,
                  double y)
{
  double log_front;

  if (x <= 0.0)
    return 0.0;
  if (y <= 0.0)
    return 1.0;
  log_front = lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log (y);
  if (x < (a + 1.0) / (a + b + 2.0))
    return exp (log_front) * beta_continued_fraction (a, b, x) / a;
  return 1.0 - exp (log_front) * beta_continued_fraction (b, a, y) / b;
}

/* P(|T| > t) for Student's t with dof degrees of freedom, t ≥ 0. */
static double
t_two_sided_tail (double t,
                  double dof)
{
  double t2 = t * t;

  return beta_regularised (dof / 2.0, 0.5, dof / (dof + t2), t2 / (dof + t2));
}

double
vesicle_t_quantile_975 (double dof)
{
  double lo = Z_975, hi = 2.0 * Z_975;

  if (!(dof > 0.0))
    return NAN;
  /* Abramowitz & Stegun 26.7.5: the error is O(dof^-5), far below double precision here, and
   * the continued fraction needs O(sqrt (dof)) terms, so large dof goes this way */
  if (dof > 1e5)
    {
      double z = Z_975, z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
      double g1 = (z3 + z) / 4.0;
      double g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
      double g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
      double g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;

      return z + (g1 + (g2 + (g3 + g4 / dof) / dof) / dof) / dof;
    }

  /* the tail falls as t grows: bracket 0.05, then bisect to double precision (a few dozen
   * evaluations; fits are rare, so robustness beats speed) */
  while (t_two_sided_tail (hi, dof) > 0.05)
    {
      lo = hi;
      hi *= 2.0;
      if (!isfinite (hi))
        return INFINITY;
    }
  for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (t_two_sided_tail (mid, dof) > 0.05)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

static void
fit_set_nan (VesicleFit *fit)
{
  fit->slope = NAN;
  fit->intercept = NAN;
  fit->ci_low = NAN;
  fit->ci_high = NAN;
  fit->r = NAN;
}

static gboolean
fit_points (VesicleFit   *fit,
            const double *x,
            const double *y,
            gsize         n,
            gboolean      loglog)
{
  g_autofree double *xs = g_new (double, MAX (n, 1));
  g_autofree double *ys = g_new (double, MAX (n, 1));
  double mean_x = 0.0, mean_y = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0, ssr = 0.0;
  double slope, intercept, se, t;
  gboolean spread = FALSE;
  gsize m = 0;

  g_return_val_if_fail (fit != NULL, FALSE);
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), FALSE);

  for (gsize i = 0; i < n; i++)
    {
      double xi = x[i], yi = y[i];

      if (loglog)
        {
          /* log10 of a non-positive number is not a point on the line: leave it out */
          xi = xi > 0.0 ? log10 (xi) : NAN;
          yi = yi > 0.0 ? log10 (yi) : NAN;
        }
      if (!isfinite (xi) || !isfinite (yi))
        continue;
      xs[m] = xi;
      ys[m] = yi;
      if (xi != xs[0])
        spread = TRUE;
      m++;
    }
  fit->n = m;
  fit->n_skipped = n - m;
  fit_set_nan (fit);
  if (m < 3 || !spread)
    return FALSE;

  /* two passes (means, then centred sums): one-pass sums lose the slope when x sits far from 0 */
  for (gsize i = 0; i < m; i++)
    {
      mean_x += xs[i];
      mean_y += ys[i];
    }
  mean_x /= m;
  mean_y /= m;
  for (gsize i = 0; i < m; i++)
    {
      double dx = xs[i] - mean_x, dy = ys[i] - mean_y;

      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
  slope = sxy / sxx;
  intercept = mean_y - slope * mean_x;
  /* residuals summed directly rather than as syy - slope sxy, which cancels to noise (or below
   * zero) on a near-exact line */
  for (gsize i = 0; i < m; i++)
    {
      double e = ys[i] - (intercept + slope * xs[i]);

      ssr += e * e;
    }
  se = sqrt (ssr / (double) (m - 2) / sxx);
  t = vesicle_t_quantile_975 ((double) (m - 2));

  fit->slope = slope;
  fit->intercept = intercept;
  fit->ci_low = slope - t * se;
  fit->ci_high = slope + t * se;
  /* undefined (NaN) for a horizontal line, as in NumPy */
  fit->r = syy > 0.0 ? CLAMP (sxy / sqrt (sxx * syy), -1.0, 1.0) : NAN;
  return TRUE;
}

gboolean
vesicle_fit_line (VesicleFit   *fit,
                  const double *x,
                  const double *y,
                  gsize         n)
{
  return fit_points (fit, x, y, n, FALSE);
}

gboolean
vesicle_fit_loglog (VesicleFit   *fit,
                    const double *x,
                    const double *y,
                    gsize         n)
{
  return fit_points (fit, x, y, n, TRUE);
}

int
vesicle_compare_doubles (gconstpointer a,
                         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
vesicle_median (double *values,
                guint   n)
{
  g_return_val_if_fail (n > 0, NAN);
  qsort (values, n, sizeof *values, vesicle_compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

guint
vesicle_mean_interval (const double *values,
                       guint         n,
                       double       *mean,
                       double       *ci_low,
                       double       *ci_high)
{
  double sum = 0, ss = 0, m, half;
  guint used = 0;

  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      {
        sum += values[i];
        used++;
      }
  m = used ? sum / used : NAN;
  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      ss += (values[i] - m) * (values[i] - m);
  half = used > 1 ? vesicle_t_quantile_975 (used - 1) * sqrt (ss / (used - 1) / used) : NAN;
  *mean = m;
  *ci_low = m - half;
  *ci_high = m + half;
  return used;
}
