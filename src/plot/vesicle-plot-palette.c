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
