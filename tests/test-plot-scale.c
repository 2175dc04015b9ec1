/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the axis math (vesicle-plot-scale.h): tick values and labels on awkward ranges (eleven
 * decades on a log axis, a narrow linear range, negative values, less than a decade), limits from
 * data (padding, a single value, NaN/Inf and non-positive values skipped and counted), map and
 * unmap as inverses, rounding limits out to ticks, number labels (U+2212 minus, 10<sup>n</sup>,
 * m×10<sup>n</sup>), and, over many random ranges, that ticks stay inside their limits, in
 * order, with at least two labels and about the number asked for.
 */
#include "vesicle-plot-scale.h"

#include <math.h>

#define MINUS "\xe2\x88\x92"

typedef struct {
  double      value;
  const char *label;  /* NULL: a minor tick */
} Want;

/* The ticks of @scale with @max_major labels are exactly @want (values to 1e-12 relative). */
static void
assert_ticks (VesicleScaleKind kind,
              double           lo,
              double           hi,
              guint            max_major,
              const Want      *want,
              guint            n_want)
{
  VesicleScale scale = { kind, lo, hi };
  g_autoptr(GArray) ticks = vesicle_scale_ticks (&scale, max_major);

  if (ticks->len != n_want)
    {
      for (guint i = 0; i < ticks->len; i++)
        g_printerr ("  %g %s\n", g_array_index (ticks, VesicleTick, i).value,
                    g_array_index (ticks, VesicleTick, i).label);
      g_error ("[%g, %g] max %u: %u ticks, want %u", lo, hi, max_major, ticks->len, n_want);
    }
  for (guint i = 0; i < n_want; i++)
    {
      VesicleTick *t = &g_array_index (ticks, VesicleTick, i);

      g_assert_cmpfloat_with_epsilon (t->value, want[i].value,
                                      1e-12 * fabs (want[i].value) + 1e-300);
      g_assert_cmpint (t->major, ==, want[i].label != NULL);
      g_assert_cmpstr (t->label, ==, want[i].label);
    }
}

static guint
count_major (GArray *ticks)
{
  guint n = 0;

  for (guint i = 0; i < ticks->len; i++)
    n += g_array_index (ticks, VesicleTick, i).major;
  return n;
}

static void
test_log_wide (void)
{
  VesicleScale scale = { VESICLE_SCALE_LOG, 1e-7, 1e3 };
  /* eleven decades, six labels at most: every second decade (the even ones, so 10^0 is one),
   * the odd decades as unlabelled minor ticks, no 2..9 x 10^n (they would be a smear) */
  static const Want want[] = {
    { 1e-7, NULL }, { 1e-6, "10<sup>" MINUS "6</sup>" }, { 1e-5, NULL },
    { 1e-4, "10<sup>" MINUS "4</sup>" }, { 1e-3, NULL }, { 1e-2, "10<sup>" MINUS "2</sup>" },
    { 1e-1, NULL }, { 1.0, "10<sup>0</sup>" }, { 1e1, NULL }, { 1e2, "10<sup>2</sup>" },
    { 1e3, NULL },
  };
  static const Want want4[] = {
    { 1e-7, NULL }, { 1e-6, "10<sup>" MINUS "6</sup>" }, { 1e-5, NULL }, { 1e-4, NULL },
    { 1e-3, "10<sup>" MINUS "3</sup>" }, { 1e-2, NULL }, { 1e-1, NULL },
    { 1.0, "10<sup>0</sup>" }, { 1e1, NULL }, { 1e2, NULL }, { 1e3, "10<sup>3</sup>" },
  };
  g_autoptr(GArray) all = NULL;
  guint n_minor = 0;

  assert_ticks (VESICLE_SCALE_LOG, 1e-7, 1e3, 6, want, G_N_ELEMENTS (want));
  assert_ticks (VESICLE_SCALE_LOG, 1e-7, 1e3, 4, want4, G_N_ELEMENTS (want4));

  /* room for every decade: all eleven labelled, and 2..9 x 10^n between them */
  all = vesicle_scale_ticks (&scale, 12);
  g_assert_cmpuint (count_major (all), ==, 11);
  for (guint i = 0; i < all->len; i++)
    {
      VesicleTick *t = &g_array_index (all, VesicleTick, i);

      if (t->major)
        continue;
      n_minor++;
      g_assert_null (t->label);
      /* a minor tick is m x 10^n, m in 2..9 */
      {
        double m = t->value / pow (10.0, floor (log10 (t->value) + 1e-9));

        g_assert_cmpfloat (fabs (m - round (m)), <, 1e-9);
        g_assert_cmpfloat (round (m), >=, 2.0);
        g_assert_cmpfloat (round (m), <=, 9.0);
      }
    }
  g_assert_cmpuint (n_minor, ==, 10 * 8);  /* 2e-7 .. 9e2; 2e3 is past the end */
}

static void
test_log_narrow (void)
{
  /* less than a decade: the 1..9 x 10^n ticks are labelled, as plain numbers */
  static const Want all[] = {
    { 2, "2" }, { 3, "3" }, { 4, "4" }, { 5, "5" }, { 6, "6" }, { 7, "7" }, { 8, "8" },
  };
  static const Want few[] = {
    { 2, "2" }, { 3, NULL }, { 4, NULL }, { 5, "5" }, { 6, NULL }, { 7, NULL }, { 8, NULL },
  };
  /* two decades inside: labelled, with 2..9 between */
  static const Want two[] = {
    { 0.5, NULL }, { 0.6, NULL }, { 0.7, NULL }, { 0.8, NULL }, { 0.9, NULL },
    { 1, "10<sup>0</sup>" }, { 2, NULL }, { 3, NULL }, { 4, NULL }, { 5, NULL }, { 6, NULL },
    { 7, NULL }, { 8, NULL }, { 9, NULL }, { 10, "10<sup>1</sup>" }, { 20, NULL },
  };

  /* one decade inside: it reads "1" like its neighbours, not 10^0 */
  static const Want across[] = {
    { 0.4, NULL }, { 0.5, "0.5" }, { 0.6, NULL }, { 0.7, NULL }, { 0.8, NULL }, { 0.9, NULL },
    { 1, "1" }, { 2, "2" },
  };

  assert_ticks (VESICLE_SCALE_LOG, 1.9, 8.5, 8, all, G_N_ELEMENTS (all));
  assert_ticks (VESICLE_SCALE_LOG, 0.35, 2.5, 4, across, G_N_ELEMENTS (across));
  assert_ticks (VESICLE_SCALE_LOG, 1.9, 8.5, 3, few, G_N_ELEMENTS (few));
  assert_ticks (VESICLE_SCALE_LOG, 0.45, 25.0, 6, two, G_N_ELEMENTS (two));
}

static void
test_linear_narrow (void)
{
  static const Want coarse[] = {
    { 0.02, "0.02" }, { 0.04, "0.04" }, { 0.06, "0.06" }, { 0.08, "0.08" },
  };
  static const Want fine[] = {
    { 0.02, "0.02" }, { 0.03, "0.03" }, { 0.04, "0.04" }, { 0.05, "0.05" }, { 0.06, "0.06" },
    { 0.07, "0.07" }, { 0.08, "0.08" },
  };
  static const Want five[] = {
    { 0.05, "0.05" },
  };

  /* 1-2-5 steps: 0.01 would give seven labels, so 0.02 */
  assert_ticks (VESICLE_SCALE_LINEAR, 0.013, 0.087, 6, coarse, G_N_ELEMENTS (coarse));
  assert_ticks (VESICLE_SCALE_LINEAR, 0.013, 0.087, 7, fine, G_N_ELEMENTS (fine));
  assert_ticks (VESICLE_SCALE_LINEAR, 0.013, 0.087, 1, five, G_N_ELEMENTS (five));
}

static void
test_linear_negative (void)
{
  static const Want ones[] = {
    { -3, MINUS "3" }, { -2, MINUS "2" }, { -1, MINUS "1" }, { 0, "0" }, { 1, "1" },
  };
  static const Want twos[] = {
    { -2, MINUS "2" }, { 0, "0" },
  };
  static const Want halves[] = {
    { -1.5, MINUS "1.5" }, { -1.0, MINUS "1.0" }, { -0.5, MINUS "0.5" }, { 0.0, "0" },
    { 0.5, "0.5" },
  };

  assert_ticks (VESICLE_SCALE_LINEAR, -3.2, 1.7, 6, ones, G_N_ELEMENTS (ones));
  assert_ticks (VESICLE_SCALE_LINEAR, -3.2, 1.7, 4, twos, G_N_ELEMENTS (twos));
  assert_ticks (VESICLE_SCALE_LINEAR, -1.7, 0.6, 6, halves, G_N_ELEMENTS (halves));
}

static void
test_fit (void)
{
  VesicleScale s;
  guint skipped = 99;
  const double five = 5.0, zero = 0.0, small = 0.01;
  const double mixed[] = { 1.0, NAN, 3.0, INFINITY, -INFINITY, 2.0 };
  const double positive[] = { 0.0, -1.0, 1.0, 100.0, NAN };
  const double bad[] = { NAN, INFINITY };

  /* padding: 5% of the range each side */
  g_assert_true (vesicle_scale_fit (&s, VESICLE_SCALE_LINEAR, mixed, G_N_ELEMENTS (mixed), 0.05,
                                    &skipped));
  g_assert_cmpuint (skipped, ==, 3);
  g_assert_cmpint (s.kind, ==, VESICLE_SCALE_LINEAR);
  g_assert_cmpfloat_with_epsilon (s.lo, 0.9, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.hi, 3.1, 1e-12);

  /* log: zero and negatives skipped too, padding in decades */
  g_assert_true (vesicle_scale_fit (&s, VESICLE_SCALE_LOG, positive, G_N_ELEMENTS (positive),
                                    0.05, &skipped));
  g_assert_cmpuint (skipped, ==, 3);
  g_assert_cmpfloat_with_epsilon (log10 (s.lo), -0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (log10 (s.hi), 2.1, 1e-12);

  /* a single value: a range round it */
  g_assert_true (vesicle_scale_fit (&s, VESICLE_SCALE_LINEAR, &five, 1, 0.05, NULL));
  g_assert_cmpfloat (s.lo, ==, 4.0);
  g_assert_cmpfloat (s.hi, ==, 6.0);
  g_assert_true (vesicle_scale_fit (&s, VESICLE_SCALE_LINEAR, &zero, 1, 0.05, NULL));
  g_assert_cmpfloat (s.lo, ==, -1.0);
  g_assert_cmpfloat (s.hi, ==, 1.0);
  g_assert_true (vesicle_scale_fit (&s, VESICLE_SCALE_LOG, &small, 1, 0.05, NULL));
  g_assert_cmpfloat_with_epsilon (s.lo, 1e-3, 1e-15);
  g_assert_cmpfloat_with_epsilon (s.hi, 1e-1, 1e-15);
  {
    g_autoptr(GArray) ticks = vesicle_scale_ticks (&s, 6);

    g_assert_cmpuint (count_major (ticks), ==, 3);  /* 10^−3, 10^−2, 10^−1 */
  }

  /* nothing usable: FALSE, every value counted, still a drawable scale */
  g_assert_false (vesicle_scale_fit (&s, VESICLE_SCALE_LOG, bad, G_N_ELEMENTS (bad), 0.05,
                                     &skipped));
  g_assert_cmpuint (skipped, ==, 2);
  g_assert_cmpfloat (s.lo, <, s.hi);
  g_assert_cmpfloat (s.lo, >, 0.0);
  g_assert_false (vesicle_scale_fit (&s, VESICLE_SCALE_LINEAR, NULL, 0, 0.05, &skipped));
  g_assert_cmpuint (skipped, ==, 0);
}

static void
test_map (void)
{
  VesicleScale lin = { VESICLE_SCALE_LINEAR, -3.2, 1.7 };
  VesicleScale log = { VESICLE_SCALE_LOG, 1e-7, 1e3 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&lin, -3.2), 0.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&lin, 1.7), 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&lin, -0.75), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&lin, 6.6), 2.0, 1e-15);  /* outside */
  g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&log, 1e-2), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&log, 1e3), 1.0, 1e-15);
  g_assert_true (isnan (vesicle_scale_map (&log, 0.0)));
  g_assert_true (isnan (vesicle_scale_map (&log, -1.0)));
  g_assert_true (isnan (vesicle_scale_map (&lin, NAN)));
  g_assert_true (isnan (vesicle_scale_map (&lin, INFINITY)));
  g_assert_cmpfloat_with_epsilon (vesicle_scale_unmap (&log, 0.5), 1e-2, 1e-15);

  for (guint i = 0; i < 1000; i++)
    {
      double t = g_rand_double_range (rand, -0.5, 1.5);
      double v = g_rand_double_range (rand, -10.0, 10.0);
      double w = pow (10.0, g_rand_double_range (rand, -9.0, 5.0));

      g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&lin, vesicle_scale_unmap (&lin, t)), t,
                                      1e-12);
      g_assert_cmpfloat_with_epsilon (vesicle_scale_map (&log, vesicle_scale_unmap (&log, t)), t,
                                      1e-12);
      g_assert_cmpfloat_with_epsilon (vesicle_scale_unmap (&lin, vesicle_scale_map (&lin, v)), v,
                                      1e-12);
      g_assert_cmpfloat_with_epsilon (vesicle_scale_unmap (&log, vesicle_scale_map (&log, w)), w,
                                      1e-12 * w);
    }
}

/* A training NLL from 10^-3 to 2.3 on a log axis: the stretch above 1 gets the decade 10 as a
 * label; a near end (1.5, under a factor of 2), a fixed end, a narrow range and an axis the
 * next decade would lengthen by more than a quarter stay. */
static void
test_frame_decades (void)
{
  VesicleScale nll = { VESICLE_SCALE_LOG, 1e-3, 2.3 };
  VesicleScale near = { VESICLE_SCALE_LOG, 0.9e-3, 1.5 };
  VesicleScale fixed = { VESICLE_SCALE_LOG, 3e-4, 2.3 };
  VesicleScale narrow = { VESICLE_SCALE_LOG, 0.3, 2.3 };
  VesicleScale short_axis = { VESICLE_SCALE_LOG, 5e4, 2.3e6 };  /* 10^7 would add 0.64 of 1.66 */
  VesicleScale lin = { VESICLE_SCALE_LINEAR, 0.3, 2.3 };
  g_autoptr(GArray) ticks = NULL;
  VesicleTick *last;

  vesicle_scale_frame_decades (&nll, FALSE, FALSE);
  g_assert_cmpfloat (nll.lo, ==, 1e-3);
  g_assert_cmpfloat_with_epsilon (nll.hi, 10.0, 1e-12);
  ticks = vesicle_scale_ticks (&nll, 6);
  last = &g_array_index (ticks, VesicleTick, ticks->len - 1);
  g_assert_true (last->major);
  g_assert_cmpfloat_with_epsilon (last->value, 10.0, 1e-12);

  vesicle_scale_frame_decades (&near, FALSE, FALSE);
  g_assert_cmpfloat (near.hi, ==, 1.5);
  g_assert_cmpfloat (near.lo, ==, 0.9e-3);  /* 10^-3 is 1.11 times 0.9×10^-3 */
  vesicle_scale_frame_decades (&fixed, TRUE, TRUE);
  g_assert_cmpfloat (fixed.lo, ==, 3e-4);
  g_assert_cmpfloat (fixed.hi, ==, 2.3);
  vesicle_scale_frame_decades (&fixed, FALSE, FALSE);
  g_assert_cmpfloat_with_epsilon (fixed.lo, 1e-4, 1e-18);
  vesicle_scale_frame_decades (&narrow, FALSE, FALSE);
  g_assert_cmpfloat (narrow.lo, ==, 0.3);
  g_assert_cmpfloat (narrow.hi, ==, 2.3);
  vesicle_scale_frame_decades (&short_axis, FALSE, FALSE);
  g_assert_cmpfloat (short_axis.lo, ==, 5e4);
  g_assert_cmpfloat (short_axis.hi, ==, 2.3e6);
  vesicle_scale_frame_decades (&lin, FALSE, FALSE);
  g_assert_cmpfloat (lin.hi, ==, 2.3);
}

static void
test_round_out (void)
{
  VesicleScale lin = { VESICLE_SCALE_LINEAR, 0.013, 0.087 };
  VesicleScale neg = { VESICLE_SCALE_LINEAR, -3.2, 1.7 };
  VesicleScale log = { VESICLE_SCALE_LOG, 3e-5, 2e2 };

  vesicle_scale_round_out (&lin, 6);
  g_assert_cmpfloat_with_epsilon (lin.lo, 0.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (lin.hi, 0.1, 1e-15);
  vesicle_scale_round_out (&neg, 6);
  g_assert_cmpfloat (neg.lo, ==, -4.0);
  g_assert_cmpfloat (neg.hi, ==, 2.0);
  vesicle_scale_round_out (&log, 6);
  g_assert_cmpfloat_with_epsilon (log.lo, 1e-5, 1e-20);
  g_assert_cmpfloat_with_epsilon (log.hi, 1e3, 1e-9);
  {
    /* the ends are now major ticks */
    g_autoptr(GArray) ticks = vesicle_scale_ticks (&neg, 6);
    VesicleTick *first = &g_array_index (ticks, VesicleTick, 0);
    VesicleTick *last = &g_array_index (ticks, VesicleTick, ticks->len - 1);

    g_assert_true (first->major && last->major);
    g_assert_cmpfloat (first->value, ==, -4.0);
    g_assert_cmpfloat (last->value, ==, 2.0);
  }
}

static void
test_format (void)
{
  static const struct {
    double      value, step;
    const char *want;
  } cases[] = {
    { -0.5, 0.1, MINUS "0.5" },
    { 0.25, 0.05, "0.25" },
    { 0.3, 0.1, "0.3" },
    { 2.5, 0.5, "2.5" },
    { 3.0, 0.5, "3.0" },
    { 12.0, 2.0, "12" },
    { -20000.0, 10000.0, MINUS "20000" },
    { 0.0, 0.1, "0" },
    { -1e-17, 0.1, "0" },               /* 3 x 0.1 - 0.3, not "−0.0" */
    { 2e-5, 1e-5, "2×10<sup>" MINUS "5</sup>" },
    { 1.5e6, 5e5, "1.5×10<sup>6</sup>" },
    { 1e6, 5e5, "10<sup>6</sup>" },
    { 4.4e6, 5e4, "4.40×10<sup>6</sup>" },  /* a fine step on a large value: not "4400000" */
    { 1e4, 0.0, "10<sup>4</sup>" },
    { 1.0, 0.0, "10<sup>0</sup>" },
    { 1e-3, 0.0, "10<sup>" MINUS "3</sup>" },
    { 3e-5, 0.0, "3×10<sup>" MINUS "5</sup>" },
    { 2.5e7, 0.0, "2.5×10<sup>7</sup>" },
    { 200.0, 0.0, "200" },
    { 0.02, 0.0, "0.02" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = vesicle_format_number (cases[i].value, cases[i].step);

      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

/* Whatever the range: ticks inside [lo, hi], in order, at most max_major labels, and at least
 * two labels on any range wider than a step of rounding noise. */
static void
test_random_ranges (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (424242);

  for (guint i = 0; i < 4000; i++)
    {
      gboolean log = i % 2;
      double a = log ? pow (10.0, g_rand_double_range (rand, -12.0, 12.0))
                     : g_rand_double_range (rand, -1e3, 1e3)
                       * pow (10.0, g_rand_int_range (rand, -6, 6));
      double span = pow (10.0, g_rand_double_range (rand, log ? 0.05 : -3.0, log ? 15.0 : 3.0));
      VesicleScale s = { log ? VESICLE_SCALE_LOG : VESICLE_SCALE_LINEAR,
                         a, log ? a * span : a + span * MAX (fabs (a), 1.0) };
      guint max_major = g_rand_int_range (rand, 2, 11);
      g_autoptr(GArray) ticks = vesicle_scale_ticks (&s, max_major);
      guint n_major = count_major (ticks);
      double prev = -INFINITY;

      /* a label or two over when the 1-2-5 step would leave one: see linear_step */
      if (n_major > MAX (max_major, 4) || n_major < 2)
        g_error ("[%.17g, %.17g] %s, max %u: %u labels", s.lo, s.hi, log ? "log" : "linear",
                 max_major, n_major);
      for (guint j = 0; j < ticks->len; j++)
        {
          VesicleTick *t = &g_array_index (ticks, VesicleTick, j);
          double slack = log ? 1e-9 * t->value : 1e-9 * (s.hi - s.lo);

          g_assert_cmpfloat (t->value, >=, s.lo - slack);
          g_assert_cmpfloat (t->value, <=, s.hi + slack);
          g_assert_cmpfloat (t->value, >, prev);
          g_assert_true ((t->label != NULL) == t->major);
          prev = t->value;
        }
    }
}

/* Epochs 1 to 3: whole-number ticks only, where 1-2-5 steps would give 1.5 and 2.5. */
static void
test_whole_ticks (void)
{
  VesicleScale epochs = { VESICLE_SCALE_LINEAR, 1, 3, TRUE };
  VesicleScale plain = { VESICLE_SCALE_LINEAR, 1, 3, FALSE };
  g_autoptr(GArray) whole = vesicle_scale_ticks (&epochs, 6);
  g_autoptr(GArray) halves = vesicle_scale_ticks (&plain, 6);
  guint majors = 0;

  for (guint i = 0; i < whole->len; i++)
    {
      VesicleTick *t = &g_array_index (whole, VesicleTick, i);

      g_assert_cmpfloat (t->value, ==, round (t->value));
      majors += t->major;
    }
  g_assert_cmpuint (majors, ==, 3);
  g_assert_cmpuint (halves->len, >, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot/scale/log-wide", test_log_wide);
  g_test_add_func ("/plot/scale/log-narrow", test_log_narrow);
  g_test_add_func ("/plot/scale/linear-narrow", test_linear_narrow);
  g_test_add_func ("/plot/scale/linear-negative", test_linear_negative);
  g_test_add_func ("/plot/scale/fit", test_fit);
  g_test_add_func ("/plot/scale/map", test_map);
  g_test_add_func ("/plot/scale/round-out", test_round_out);
  g_test_add_func ("/plot/scale/frame-decades", test_frame_decades);
  g_test_add_func ("/plot/scale/format", test_format);
  g_test_add_func ("/plot/scale/random-ranges", test_random_ranges);

  g_test_add_func ("/plot/scale/whole-ticks", test_whole_ticks);
  return g_test_run ();
}
