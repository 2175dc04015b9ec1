/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small things the importance and bayes figures share, beside vesicle-figure-private.h's
 * readers: members that may be absent without that being an error (NULL, NaN or a fallback),
 * numbers as the figures print them (C locale, a real minus sign, powers of ten as Pango
 * markup), slopes with their 95% intervals, and text in a colour for keys written into a panel.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vesicle-format.h"
#include "vesicle-json.h"
#include "vesicle-plot.h"

G_BEGIN_DECLS

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
