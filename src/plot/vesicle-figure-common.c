/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the figure builders; see vesicle-figure-common.h. Numbers are printed with
 * g_ascii_formatd: the app calls setlocale, and a figure should not say "0,53" in one place and
 * "0.5" on its axis (the plotting library prints ticks in the C locale).
 */
#include "vesicle-figure-common.h"

#include <math.h>

/* Whether lo, slope and hi print as three different numbers with @decimals places. */
static gboolean
distinct (double lo,
          double slope,
          double hi,
          int    decimals)
{
  double scale = pow (10, decimals);

  return round (lo * scale) != round (slope * scale)
         && round (slope * scale) != round (hi * scale);
}

char *
vesicle_figure_format_slope (const char *prefix,
                             double      slope,
                             double      ci_low,
                             double      ci_high)
{
  g_autofree char *s = NULL, *a = NULL, *b = NULL;
  int d = 2;

  if (!isfinite (ci_low) || !isfinite (ci_high))
    {
      s = vesicle_format_signed (slope, d);
      return g_strconcat (prefix, s, NULL);
    }
  while (d < 4 && !distinct (ci_low, slope, ci_high, d))
    d++;
  s = vesicle_format_signed (slope, d);
  a = vesicle_format_signed (ci_low, d);
  b = vesicle_format_signed (ci_high, d);
  return g_strdup_printf ("%s%s [%s, %s]", prefix, s, a, b);
}

char *
vesicle_figure_colored (VesicleColor color,
                        const char  *markup)
{
  return g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">%s</span>",
                          (int) round (255 * CLAMP (color.r, 0, 1)),
                          (int) round (255 * CLAMP (color.g, 0, 1)),
                          (int) round (255 * CLAMP (color.b, 0, 1)), markup);
}
