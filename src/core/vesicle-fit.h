/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Straight-line fits for the paper's slopes: ordinary least squares of y on x with the slope's
 * 95% confidence interval (Student t), and the log-log variant that skips non-positive or
 * non-finite points and says how many it skipped; and the median the benchmarks report.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double slope;
  double intercept;
  double ci_low;       /* 95% confidence interval of the slope */
  double ci_high;
  double r;            /* Pearson correlation */
  gsize  n;            /* points used */
  gsize  n_skipped;    /* points left out (non-finite, or non-positive for log fits) */
} VesicleFit;

/* FALSE (and a fit of NaNs) with fewer than 3 usable points or no spread in x. */
gboolean vesicle_fit_line    (VesicleFit   *fit,
                              const double *x,
                              const double *y,
                              gsize         n);
/* Fits log10(y) against log10(x). */
gboolean vesicle_fit_loglog  (VesicleFit   *fit,
                              const double *x,
                              const double *y,
                              gsize         n);
/* Two-sided 95% quantile of Student's t with dof degrees of freedom (1.96 as dof grows). */
double   vesicle_t_quantile_975 (double dof);

/* The mean of @n values and its 95% interval (Student t, n - 1 degrees of freedom): how the
 * report states a quantity measured once per seed. Non-finite values are left out; with fewer
 * than two left the interval is NaN. Returns how many values were used. */
guint    vesicle_mean_interval (const double *values,
                                guint         n,
                                double       *mean,
                                double       *ci_low,
                                double       *ci_high);

/* Ascending order of two doubles, for qsort and g_array_sort. */
int    vesicle_compare_doubles (gconstpointer a,
                                gconstpointer b);

/* The median of @n values, sorted in place (timings: a VM's noise is one-sided, a mean would
 * chase it). */
double vesicle_median (double *values,
                       guint   n);

G_END_DECLS
