/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small things the importance and bayes figures share, beside vesicle-figure-private.h's
 * readers: members that may be absent without that being an error (NULL, NaN or a fallback),
 * numbers as the figures print them (C locale, a real minus sign, powers of ten as Pango
 * markup), slopes with their 95% intervals, and text in a colour for keys written into a panel.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vesicle-plot.h"

G_BEGIN_DECLS

/* Element @index of @array when it is an object, else NULL. */
JsonObject *vesicle_figure_element_object (JsonArray    *array,
                                           guint         index);
/* Element @index of a number-array member, NaN when missing. */
double      vesicle_figure_member_element (JsonObject   *object,
                                           const char   *name,
                                           guint         index);
/* An integer member, @fallback when absent or null. */
gint64      vesicle_figure_member_int     (JsonObject   *object,
                                           const char   *name,
                                           gint64        fallback);
/* Array and object members, NULL when absent or of another kind. */
JsonArray  *vesicle_figure_member_array   (JsonObject   *object,
                                           const char   *name);
JsonObject *vesicle_figure_member_object  (JsonObject   *object,
                                           const char   *name);

/* "−0.53": @decimals places, C locale, U+2212 for the sign. */
char       *vesicle_figure_format_signed  (double        value,
                                           int           decimals);
/* "0.0632", and outside 10^-3 .. 10^4 "5×10<sup>−7</sup>": three significant digits. */
char       *vesicle_figure_format_value   (double        value);
/* "<prefix>−0.53 [−0.60, −0.46]": two decimals, more (up to four) while two would print the
 * slope equal to an end of its interval; no interval when either end is NaN. */
char       *vesicle_figure_format_slope   (const char   *prefix,
                                           double        slope,
                                           double        ci_low,
                                           double        ci_high);
/* @markup wrapped in a span of @color. */
char       *vesicle_figure_colored        (VesicleColor  color,
                                           const char   *markup);

G_END_DECLS
