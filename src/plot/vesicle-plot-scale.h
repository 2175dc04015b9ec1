/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Axis math without Cairo: scales (linear, log10), limits chosen from data, and "nice" ticks.
 * Linear axes step by 1, 2 or 5 x 10^n; log axes put a labelled major tick on decades (every
 * 2nd, 3rd ... decade when the range is wide) with unlabelled minor ticks at 2..9 x 10^n.
 * Labels are Pango markup: "10<sup>−3</sup>", "0.25", "−1".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VESICLE_SCALE_LINEAR,
  VESICLE_SCALE_LOG,
} VesicleScaleKind;

typedef struct {
  VesicleScaleKind kind;
  double           lo;     /* data units; lo < hi, both > 0 on a log scale */
  double           hi;
  gboolean         whole;  /* linear: ticks at whole numbers only (epochs, counts) */
} VesicleScale;

typedef struct {
  double  value;         /* data units */
  gboolean major;
  char   *label;         /* Pango markup for major ticks, NULL for minor ones */
} VesicleTick;

/* Limits from the finite values of @values (and, on a log scale, the positive ones), padded by
 * @padding (a fraction of the range; on log scales, of the range in decades). A single distinct
 * value gets a range around it (±1 linear, one decade on each side log). Returns FALSE when no
 * usable value remains; @n_skipped (may be NULL) counts the values left out (NaN, Inf, <= 0 on
 * log scales). */
gboolean   vesicle_scale_fit          (VesicleScale     *scale,
                                       VesicleScaleKind  kind,
                                       const double     *values,
                                       gsize             n_values,
                                       double            padding,
                                       guint            *n_skipped);
/* Position of @value in [0, 1] along the scale (outside for values beyond the limits); NaN for
 * values the scale cannot show. */
double     vesicle_scale_map          (const VesicleScale *scale,
                                       double              value);
double     vesicle_scale_unmap        (const VesicleScale *scale,
                                       double              position);
/* Ticks inside [lo, hi], at most about @max_major labelled ones. Free with g_array_unref. */
GArray    *vesicle_scale_ticks        (const VesicleScale *scale,
                                       guint               max_major);
/* Widens the limits outwards to the nearest major ticks (as most journals' axes end). */
void       vesicle_scale_round_out    (VesicleScale       *scale,
                                       guint               max_major);
/* On a log scale spanning two decades or more, where the labels sit on decades: moves an end
 * that lies a factor of 2 or more past the outermost decade out to the next one, so that no
 * long stretch of the axis (an NLL from 1 to 2.3) is left without a label, unless that would
 * lengthen the axis by more than a quarter. Ends marked @fixed_lo or @fixed_hi stay. Linear
 * scales and narrower log ranges are left as they are. */
void       vesicle_scale_frame_decades (VesicleScale      *scale,
                                        gboolean           fixed_lo,
                                        gboolean           fixed_hi);
/* A number as Pango markup: "0.05", "2.5", "10<sup>4</sup>", "3×10<sup>−5</sup>", with a real
 * minus sign. @step is the tick spacing the label must resolve (linear) or 0 (log). */
char      *vesicle_format_number      (double              value,
                                       double              step);

G_END_DECLS
