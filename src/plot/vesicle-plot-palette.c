/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colours. Categories: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
 * distinguishable under the common colour-vision deficiencies, ordered so that the first few
 * differ most (blue, orange, bluish green, vermillion, ...) and yellow, weak on white, comes
 * late. Ordered values: viridis (perceptually uniform, colour-blind safe, readable in grey),
 * linearly interpolated between nine samples of matplotlib's table, and stopped at 0.9 of it
 * because its last, palest yellow vanishes as a thin line on a white page.
 */
#include "vesicle-plot.h"

#include <math.h>

static const VesicleColor okabe_ito[] = {
  { 0.000, 0.447, 0.698 },  /* blue */
  { 0.902, 0.624, 0.000 },  /* orange */
  { 0.000, 0.620, 0.451 },  /* bluish green */
  { 0.835, 0.369, 0.000 },  /* vermillion */
  { 0.800, 0.475, 0.655 },  /* reddish purple */
  { 0.337, 0.706, 0.914 },  /* sky blue */
  { 0.941, 0.894, 0.259 },  /* yellow */
  { 0.000, 0.000, 0.000 },  /* black */
};

/* viridis at 0, 1/8, ..., 1 */
static const VesicleColor viridis[] = {
  { 0.267004, 0.004874, 0.329415 },
  { 0.282623, 0.140926, 0.457517 },
  { 0.229739, 0.322361, 0.545706 },
  { 0.172719, 0.448791, 0.557885 },
  { 0.127568, 0.566949, 0.550556 },
  { 0.157851, 0.683765, 0.501686 },
  { 0.369214, 0.788888, 0.382914 },
  { 0.678489, 0.863742, 0.189503 },
  { 0.993248, 0.906157, 0.143936 },
};

#define SEQUENTIAL_END 0.9

VesicleColor
vesicle_palette_category (guint index)
{
  return okabe_ito[index % G_N_ELEMENTS (okabe_ito)];
}

VesicleColor
vesicle_palette_sequential (double t)
{
  double u, f;
  guint i;

  if (isnan (t))
    t = 0.0;
  u = CLAMP (t, 0.0, 1.0) * SEQUENTIAL_END * (G_N_ELEMENTS (viridis) - 1);
  i = MIN ((guint) floor (u), G_N_ELEMENTS (viridis) - 2);
  f = u - i;
  return (VesicleColor) {
    viridis[i].r + f * (viridis[i + 1].r - viridis[i].r),
    viridis[i].g + f * (viridis[i + 1].g - viridis[i].g),
    viridis[i].b + f * (viridis[i + 1].b - viridis[i].b),
  };
}

/* sRGB to linear light, as WCAG 2 defines relative luminance */
static double
linear (double v)
{
  return v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
}

static double
luminance (VesicleColor c)
{
  return 0.2126 * linear (c.r) + 0.7152 * linear (c.g) + 0.0722 * linear (c.b);
}

double
vesicle_color_contrast (VesicleColor a,
                        VesicleColor b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static VesicleColor
mix_white (VesicleColor c,
           double       t)
{
  return (VesicleColor) { c.r + t * (1 - c.r), c.g + t * (1 - c.g), c.b + t * (1 - c.b) };
}

VesicleColor
vesicle_color_readable_on_dark (VesicleColor color,
                                VesicleColor background,
                                double       ratio)
{
  double lo = 0, hi = 1;

  if (vesicle_color_contrast (color, background) >= ratio)
    return color;
  /* the least mix that reaches the ratio: the hue stays, only lighter */
  for (int i = 0; i < 30; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (vesicle_color_contrast (mix_white (color, mid), background) >= ratio)
        hi = mid;
      else
        lo = mid;
    }
  return mix_white (color, hi);
}
