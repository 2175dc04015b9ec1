/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Axis math (see vesicle-plot-scale.h), no Cairo. Linear ticks: the smallest step m x 10^n,
 * m in {1, 2, 5}, that puts at most max_major ticks inside [lo, hi]; values are i x step with i
 * an integer, so 0 is exactly 0 and labels never accumulate rounding. Log ticks: labelled
 * decades, every k-th one (k the smallest stride that keeps max_major labels), unlabelled minor
 * ticks at 2..9 x 10^n when every decade is labelled and at the skipped decades otherwise. A log
 * range holding fewer than two decades labels its 1..9 x 10^n ticks instead, all as plain
 * numbers (or, when not even two of those fit, falls back to linear ticks) so that every axis
 * has at least two labels.
 * Numbers: fixed decimals for linear steps in [1e-4, 1e5), m×10^n outside; U+2212 for minus.
 */
#include "vesicle-plot-scale.h"
#include "vesicle-format.h"

#include <math.h>
#include <string.h>

/* Slack for comparisons in units of the step (linear) or of a decade (log), so that a tick
 * computed as 0.30000000000000004 still counts as inside [0.3, 0.9]. */
#define TICK_EPS 1e-9

#define MINUS VESICLE_MINUS
#define TIMES "\xc3\x97"      /* U+00D7 MULTIPLICATION SIGN */

static gboolean
value_usable (VesicleScaleKind kind,
              double           value)
{
  return isfinite (value) && (kind != VESICLE_SCALE_LOG || value > 0.0);
}

static double
forward (VesicleScaleKind kind,
         double           value)
{
  return kind == VESICLE_SCALE_LOG ? log10 (value) : value;
}

static double
inverse (VesicleScaleKind kind,
         double           value)
{
  return kind == VESICLE_SCALE_LOG ? pow (10.0, value) : value;
}

gboolean
vesicle_scale_fit (VesicleScale     *scale,
                   VesicleScaleKind  kind,
                   const double     *values,
                   gsize             n_values,
                   double            padding,
                   guint            *n_skipped)
{
  double lo = INFINITY, hi = -INFINITY;
  guint skipped = 0;
  gsize used = 0;

  g_return_val_if_fail (scale != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);

  for (gsize i = 0; i < n_values; i++)
    {
      double t;

      if (!value_usable (kind, values[i]))
        {
          skipped++;
          continue;
        }
      t = forward (kind, values[i]);
      lo = MIN (lo, t);
      hi = MAX (hi, t);
      used++;
    }
  if (n_skipped != NULL)
    *n_skipped = skipped;

  scale->kind = kind;
  if (used == 0)
    {
      /* Still a valid scale, so that a caller drawing an empty panel needs no special case. */
      scale->lo = kind == VESICLE_SCALE_LOG ? 1.0 : 0.0;
      scale->hi = kind == VESICLE_SCALE_LOG ? 10.0 : 1.0;
      return FALSE;
    }

  if (hi - lo <= 1e-12 * MAX (fabs (lo), fabs (hi)) || hi == lo)
    {
      if (kind == VESICLE_SCALE_LOG)
        {
          /* one decade on each side */
          lo -= 1.0;
          hi += 1.0;
        }
      else
        {
          /* ±1 at the value's order of magnitude: 5 → 4..6, 0.5 → 0.4..0.6, 0 → −1..1, so
           * that 3e6 does not get ticks at 2999999.5 */
          double half = lo == 0.0 ? 1.0 : pow (10.0, floor (log10 (fabs (lo))));

          lo -= half;
          hi += half;
        }
    }
  else if (padding > 0.0)
    {
      double pad = padding * (hi - lo);

      lo -= pad;
      hi += pad;
    }

  scale->lo = inverse (kind, lo);
  scale->hi = inverse (kind, hi);
  return TRUE;
}

double
vesicle_scale_map (const VesicleScale *scale,
                   double              value)
{
  double lo, hi;

  g_return_val_if_fail (scale != NULL, NAN);

  if (!value_usable (scale->kind, value))
    return NAN;
  lo = forward (scale->kind, scale->lo);
  hi = forward (scale->kind, scale->hi);
  return (forward (scale->kind, value) - lo) / (hi - lo);
}

double
vesicle_scale_unmap (const VesicleScale *scale,
                     double              position)
{
  double lo, hi;

  g_return_val_if_fail (scale != NULL, NAN);

  lo = forward (scale->kind, scale->lo);
  hi = forward (scale->kind, scale->hi);
  return inverse (scale->kind, lo + position * (hi - lo));
}

/* ---- linear ticks ---------------------------------------------------------------------- */

static void
step_range (double  lo,
            double  hi,
            double  step,
            double *i0,
            double *i1)
{
  *i0 = ceil (lo / step - TICK_EPS);
  *i1 = floor (hi / step + TICK_EPS);
}

static double
step_count (double lo,
            double hi,
            double step)
{
  double i0, i1;

  step_range (lo, hi, step, &i0, &i1);
  return i1 - i0 + 1.0;
}

/* The smallest 1-2-5 step with at most @max_major multiples inside [lo, hi]. When that leaves a
 * single label ([0.19, 0.81] with three at most: only 0.5), 2.5 x 10^n steps are allowed too
 * and the smallest with 2..max_major labels wins (0.25, 0.5, 0.75), or failing that the largest
 * with two or more, which may be a label or two over @max_major: one label is no axis. */
static double
linear_step (double lo,
             double hi,
             guint  max_major)
{
  static const double mult125[3] = { 1.0, 2.0, 5.0 };
  static const double mult1225[4] = { 1.0, 2.0, 2.5, 5.0 };
  double start = pow (10.0, floor (log10 ((hi - lo) / max_major)) - 1.0);
  double chosen = hi - lo, fallback = NAN;

  for (guint k = 0; k < 60; k++)
    {
      double s = start * mult125[k % 3] * pow (10.0, k / 3);

      if (step_count (lo, hi, s) <= max_major)
        {
          chosen = s;
          break;
        }
    }
  if (max_major < 2 || step_count (lo, hi, chosen) >= 2)
    return chosen;

  for (guint k = 0; k < 80; k++)
    {
      double s = start * mult1225[k % 4] * pow (10.0, k / 4);
      double n = step_count (lo, hi, s);

      if (n >= 2 && n <= max_major)
        return s;
      if (n >= 2)
        fallback = s;
      if (s >= chosen)
        break;
    }
  return isnan (fallback) ? chosen : fallback;
}

static void
tick_clear (gpointer data)
{
  VesicleTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static GArray *
tick_array_new (void)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (VesicleTick));

  g_array_set_clear_func (ticks, tick_clear);
  return ticks;
}

static char *format_log_plain (double value);

/* @label_step: the step for vesicle_format_number, 0 on log axes; < 0 for format_log_plain. */
static void
tick_append (GArray  *ticks,
             double   value,
             gboolean major,
             double   label_step)
{
  VesicleTick tick = { value, major, NULL };

  if (major)
    tick.label = label_step < 0.0 ? format_log_plain (value)
                                  : vesicle_format_number (value, label_step);
  g_array_append_val (ticks, tick);
}

static void
linear_ticks (GArray  *ticks,
              double   lo,
              double   hi,
              guint    max_major,
              gboolean whole)
{
  /* whole numbers: no step below 1 (epoch 1.5 does not exist) */
  double step = whole ? MAX (linear_step (lo, hi, max_major), 1.0)
                      : linear_step (lo, hi, max_major), i0, i1;

  if (!isfinite (step) || step <= 0.0)
    return;
  step_range (lo, hi, step, &i0, &i1);
  /* a range below double precision at its magnitude: i++ would stop moving */
  if (!(i1 - i0 < 1000.0) || i0 + 1.0 == i0)
    return;

  step_range (lo, hi, step, &i0, &i1);
  for (double i = i0; i <= i1; i++)
    tick_append (ticks, i == 0.0 ? 0.0 : i * step, TRUE, step);
}

/* ---- log ticks ------------------------------------------------------------------------- */

/* floor modulo: -3 mod 2 = 1 */
static int
mod_floor (int a,
           int b)
{
  int r = a % b;

  return r < 0 ? r + b : r;
}

static gboolean
inside (double v,
        double llo,
        double lhi)
{
  double t = log10 (v);

  return t >= llo - TICK_EPS && t <= lhi + TICK_EPS;
}

/* Fewer than two decades inside: label the m x 10^n ticks of the first mantissa set that keeps
 * at most @max_major labels; the other m x 10^n stay as minor ticks. */
static gboolean
log_ticks_narrow (GArray *ticks,
                  double  llo,
                  double  lhi,
                  guint   max_major)
{
  static const guint sets[][10] = {
    { 1, 2, 3, 4, 5, 6, 7, 8, 9, 0 },
    { 1, 2, 5, 0 },
    { 1, 3, 0 },
    { 1, 0 },
  };
  int d0 = (int) floor (llo), d1 = (int) floor (lhi + TICK_EPS);

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      guint count = 0;

      for (int d = d0; d <= d1; d++)
        for (guint j = 0; sets[s][j] != 0; j++)
          count += inside (sets[s][j] * pow (10.0, d), llo, lhi);
      if (count > max_major)
        continue;
      if (count < 2)
        return FALSE;
      for (int d = d0; d <= d1; d++)
        for (guint m = 1; m <= 9; m++)
          {
            double v = m * pow (10.0, d);
            gboolean major = FALSE;

            if (!inside (v, llo, lhi))
              continue;
            for (guint j = 0; sets[s][j] != 0; j++)
              major |= sets[s][j] == m;
            /* "0.5, 1, 2" rather than "0.5, 10^0, 2": one style along the axis */
            tick_append (ticks, v, major, -1.0);
          }
      return TRUE;
    }
  return FALSE;
}

static void
log_ticks (GArray *ticks,
           double  lo,
           double  hi,
           guint   max_major)
{
  double llo = log10 (lo), lhi = log10 (hi);
  int d0 = (int) ceil (llo - TICK_EPS), d1 = (int) floor (lhi + TICK_EPS);
  int stride = 1, offset = 0;

  if (d1 - d0 + 1 < 2)
    {
      if (!log_ticks_narrow (ticks, llo, lhi, max_major))
        linear_ticks (ticks, lo, hi, max_major, FALSE);
      return;
    }

  /* the smallest stride that keeps at most @max_major labels and at least two: on multiples of
   * the stride (so 10^0 is labelled) when that gives two, else from the first decade inside */
  for (;; stride++)
    {
      guint aligned = 0, from_first = (d1 - d0) / stride + 1;

      for (int d = d0; d <= d1; d++)
        aligned += mod_floor (d, stride) == 0;
      if (aligned <= max_major && (aligned >= 2 || max_major < 2))
        {
          offset = 0;
          break;
        }
      if (from_first <= max_major && (from_first >= 2 || max_major < 2))
        {
          offset = mod_floor (d0, stride);
          break;
        }
      if (stride > d1 - d0)
        {
          offset = mod_floor (d0, stride);
          break;
        }
    }

  for (int d = (int) floor (llo); d <= d1; d++)
    {
      double decade = pow (10.0, d);

      if (d >= d0)
        tick_append (ticks, decade, mod_floor (d - offset, stride) == 0, 0.0);
      /* 2..9 x 10^n only while every decade has room for them */
      if (stride == 1)
        for (guint m = 2; m <= 9; m++)
          if (inside (m * decade, llo, lhi))
            tick_append (ticks, m * decade, FALSE, 0.0);
    }
}

GArray *
vesicle_scale_ticks (const VesicleScale *scale,
                     guint               max_major)
{
  GArray *ticks = tick_array_new ();

  g_return_val_if_fail (scale != NULL, ticks);

  max_major = MAX (max_major, 1);
  if (!(isfinite (scale->lo) && isfinite (scale->hi) && scale->lo < scale->hi))
    return ticks;
  if (scale->kind == VESICLE_SCALE_LOG)
    {
      if (scale->lo > 0.0)
        log_ticks (ticks, scale->lo, scale->hi, max_major);
    }
  else
    linear_ticks (ticks, scale->lo, scale->hi, max_major, scale->whole);
  return ticks;
}

void
vesicle_scale_round_out (VesicleScale *scale,
                         guint         max_major)
{
  g_return_if_fail (scale != NULL);

  max_major = MAX (max_major, 1);
  if (!(isfinite (scale->lo) && isfinite (scale->hi) && scale->lo < scale->hi))
    return;
  if (scale->kind == VESICLE_SCALE_LOG)
    {
      if (scale->lo <= 0.0)
        return;
      scale->lo = pow (10.0, floor (log10 (scale->lo) + TICK_EPS));
      scale->hi = pow (10.0, ceil (log10 (scale->hi) - TICK_EPS));
      return;
    }
  /* Widening can change the step (more room → a coarser step fits), so repeat until stable. */
  for (guint k = 0; k < 8; k++)
    {
      double step = linear_step (scale->lo, scale->hi, max_major);
      double lo = floor (scale->lo / step + TICK_EPS) * step;
      double hi = ceil (scale->hi / step - TICK_EPS) * step;

      if (lo == scale->lo && hi == scale->hi)
        break;
      scale->lo = lo;
      scale->hi = hi;
    }
}

void
vesicle_scale_frame_decades (VesicleScale *scale,
                             gboolean      fixed_lo,
                             gboolean      fixed_hi)
{
  double llo, lhi;

  g_return_if_fail (scale != NULL);

  if (scale->kind != VESICLE_SCALE_LOG
      || !(isfinite (scale->lo) && isfinite (scale->hi) && scale->lo > 0.0 && scale->lo < scale->hi))
    return;
  llo = log10 (scale->lo);
  lhi = log10 (scale->hi);
  /* fewer than two decades inside: their 1..9 x 10^n ticks are labelled already */
  if (floor (lhi + TICK_EPS) - ceil (llo - TICK_EPS) < 1.0)
    return;
  /* an end a factor of 2 past its decade, where the next decade costs at most a quarter more
   * axis: a short axis would give most of its length to the empty decade */
  if (!fixed_hi && lhi - floor (lhi + TICK_EPS) >= log10 (2.0)
      && ceil (lhi) - lhi <= 0.25 * (lhi - llo))
    scale->hi = pow (10.0, ceil (lhi));
  if (!fixed_lo && ceil (llo - TICK_EPS) - llo >= log10 (2.0)
      && llo - floor (llo) <= 0.25 * (lhi - llo))
    scale->lo = pow (10.0, floor (llo));
}

/* ---- numbers --------------------------------------------------------------------------- */

/* Decimals that print @step exactly (0.25 → 2, 5 → 0). */
static int
decimals_for (double step)
{
  for (int d = 0; d < 16; d++)
    {
      double s = step * pow (10.0, d);

      if (fabs (s - round (s)) < 1e-6 * MAX (s, 1.0))
        return d;
    }
  return 16;
}

/* value = m × 10^e with 1 <= |m| < 10, m printed with @decimals (−1: up to three significant
 * digits); "10<sup>e</sup>" when m is 1. */
static char *
format_scientific (double value,
                   int    decimals)
{
  int e = (int) floor (log10 (fabs (value)));
  double m = value / pow (10.0, e);
  g_autofree char *mant = NULL;
  g_autofree char *text = NULL;

  /* 9.9996 printed with no decimals would read "10×10^e" */
  mant = decimals < 0 ? vesicle_format_double ('g', 3, m) : vesicle_format_double ('f', decimals, m);
  if (fabs (g_ascii_strtod (mant, NULL)) >= 10.0)
    {
      e++;
      m /= 10.0;
      g_free (mant);
      mant = decimals < 0 ? vesicle_format_double ('g', 3, m) : vesicle_format_double ('f', decimals, m);
    }
  if (g_ascii_strtod (mant, NULL) == 1.0)
    text = g_strdup_printf ("10<sup>%d</sup>", e);
  else if (g_ascii_strtod (mant, NULL) == -1.0)
    text = g_strdup_printf ("-10<sup>%d</sup>", e);
  else
    text = g_strdup_printf ("%s" TIMES "10<sup>%d</sup>", mant, e);
  return vesicle_format_real_minus (text);
}

/* A log-axis label in the same style as its neighbours that are not decades: plain while
 * short ("0.5", "1", "300"), m×10^n beyond. */
static char *
format_log_plain (double value)
{
  g_autofree char *text = NULL;

  if (fabs (value) >= 1e-3 && fabs (value) < 1e4)
    {
      text = vesicle_format_double ('g', 4, value);
      return vesicle_format_real_minus (text);
    }
  return format_scientific (value, -1);
}

char *
vesicle_format_number (double value,
                       double step)
{
  g_autofree char *text = NULL;

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "\xe2\x88\x9e" : MINUS "\xe2\x88\x9e");

  step = fabs (step);
  if (value == 0.0 || (step > 0.0 && fabs (value) < step * TICK_EPS))
    return g_strdup ("0");

  if (step > 0.0)
    {
      /* long digit strings ("4400000", "0.000025") read better as a×10^n */
      if (step >= 1e5 || step < 1e-4 || fabs (value) >= 1e5)
        {
          int e = (int) floor (log10 (fabs (value)));

          return format_scientific (value, decimals_for (step / pow (10.0, e)));
        }
      text = vesicle_format_double ('f', decimals_for (step), value);
      return vesicle_format_real_minus (text);
    }

  /* a log axis: decades as powers of ten, other values plain while they are short */
  {
    double e = round (log10 (fabs (value)));

    if (fabs (fabs (value) / pow (10.0, e) - 1.0) < 1e-9)
      text = g_strdup_printf ("%s10<sup>%d</sup>", value < 0 ? "-" : "", (int) e);
    else if (fabs (value) >= 1e-3 && fabs (value) < 1e4)
      text = vesicle_format_double ('g', 4, value);
    else
      return format_scientific (value, -1);
  }
  return vesicle_format_real_minus (text);
}
