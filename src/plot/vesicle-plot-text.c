/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text: Pango layouts in the figure's font, fitted to a width, shown at a baseline.
 */
#include "vesicle-plot-render-private.h"

#include <math.h>

void
render_text_clear (Text *t)
{
  g_clear_object (&t->layout);
}

static double
text_last_baseline (PangoLayout *layout)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double base;

  while (pango_layout_iter_next_line (iter))
    ;
  base = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
  pango_layout_iter_free (iter);
  return base;
}

void
render_text_init (Text       *t,
                  Ctx        *c,
                  const char *markup,
                  double      scale)
{
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);
  PangoRectangle logical;

  PangoContext *context;

  t->layout = pango_cairo_create_layout (c->cr);
  context = pango_layout_get_context (t->layout);
  /* Laid out in user space (points) whatever the device scale, with unhinted metrics: the same
   * layout at every scale, so PNG, PDF and the window agree, and Cairo scales the outlines.
   * Pango 1.50 also sizes <sup> and <sub> by the context's scale a second time (glyphs four
   * times too large in a 300 dpi PNG), which an identity matrix avoids. */
  pango_context_set_matrix (context, NULL);
  pango_cairo_context_set_font_options (context, c->font_options);
  pango_cairo_context_set_resolution (context, 72.0);  /* a point is a user unit */
  pango_layout_context_changed (t->layout);
  pango_font_description_set_size (desc, (int) round (c->fs * scale * PANGO_SCALE));
  pango_layout_set_font_description (t->layout, desc);
  pango_font_description_free (desc);
  if (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL))
    pango_layout_set_markup (t->layout, markup, -1);
  else
    pango_layout_set_text (t->layout, markup, -1);  /* a stray '<' or '&': show it as it is */

  pango_layout_get_extents (t->layout, NULL, &logical);
  t->w = (double) logical.width / PANGO_SCALE;
  t->h = (double) logical.height / PANGO_SCALE;
  t->base = (double) pango_layout_get_baseline (t->layout) / PANGO_SCALE;
  t->last_base = text_last_baseline (t->layout);
}

/* Wraps @t at spaces when it is wider than @max_w, in lines as even as they go (the narrowest
 * width that needs no more lines than @max_w does: "slope −0.25" over "[−0.26, −0.24]", not a
 * full line over a lone "−0.24]"). For text a narrow panel cannot hold on one line: a title,
 * an annotation. Returns whether it wrapped; a single word stays whole and may stick out. */
gboolean
render_text_fit (Text           *t,
                 double          max_w,
                 PangoAlignment  alignment)
{
  PangoRectangle logical;
  int lines, lo, hi;

  if (!(t->w > max_w && max_w > 0.0))
    return FALSE;
  hi = (int) floor (max_w * PANGO_SCALE);
  pango_layout_set_wrap (t->layout, PANGO_WRAP_WORD);
  pango_layout_set_alignment (t->layout, alignment);
  pango_layout_set_width (t->layout, hi);
  lines = pango_layout_get_line_count (t->layout);
  if (lines < 2)
    {
      pango_layout_set_width (t->layout, -1);
      return FALSE;
    }
  /* no narrower than the text spread evenly over the lines; a quarter point is close enough */
  lo = (int) (t->w * PANGO_SCALE / lines);
  while (hi - lo > PANGO_SCALE / 4)
    {
      int mid = lo + (hi - lo) / 2;

      pango_layout_set_width (t->layout, mid);
      if (pango_layout_get_line_count (t->layout) <= lines)
        hi = mid;
      else
        lo = mid;
    }
  pango_layout_set_width (t->layout, hi);
  pango_layout_get_extents (t->layout, NULL, &logical);
  t->w = (double) MAX (hi, logical.x + logical.width) / PANGO_SCALE;
  t->h = (double) logical.height / PANGO_SCALE;
  t->base = (double) pango_layout_get_baseline (t->layout) / PANGO_SCALE;
  t->last_base = text_last_baseline (t->layout);
  return TRUE;
}

void
render_set_color (Ctx          *c,
                  VesicleColor  color,
                  double        alpha)
{
  /* black and near-black data (references, the theme's "ink") take the dark theme's ink; dark
   * colours with a hue (viridis' purple end, Okabe–Ito's blue) are lightened just enough to
   * stand 3:1 against the dark card, as WCAG asks of lines and marks; exports stay light */
  if (c->theme == VESICLE_THEME_DARK && MAX (color.r, MAX (color.g, color.b)) < 0.2
      && fabs (color.r - color.g) < 0.05 && fabs (color.g - color.b) < 0.05)
    color = c->fg;
  else if (c->theme == VESICLE_THEME_DARK)
    color = vesicle_color_readable_on_dark (color, c->bg, 3.0);
  cairo_set_source_rgba (c->cr, color.r, color.g, color.b, alpha);
}

void
render_text_show (Ctx          *c,
                  Text         *t,
                  double        x,
                  double        y,
                  VesicleColor  color)
{
  render_set_color (c, color, 1.0);
  cairo_move_to (c->cr, x, y);
  pango_cairo_show_layout (c->cr, t->layout);
  /* the move_to stays the current point, and the next arc would be joined to it by a line */
  cairo_new_path (c->cr);
}
