/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text: Pango layouts in the figure's font, fitted to a width, shown at a baseline; for an SVG,
 * written as <text> elements, one per run of one font, at Pango's own positions.
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
  /* a user unit is a whole point: rounded, each advance of 7 pt text would be off by up to half
   * a point, spacing letters unevenly in print and making an SVG viewer's own (unrounded)
   * layout of the same words run into the next run */
  pango_context_set_round_glyph_positions (context, FALSE);
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

/* Numbers with a decimal point whatever the locale (a German window would write "36,65"). */
static void
svg_numbers (GString      *out,
             const char   *format,
             const double *values,
             guint         n)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            g_ascii_formatd (buf, sizeof buf, format, values[i]));
}

static void
svg_color (GString      *out,
           VesicleColor  color)
{
  g_string_append_printf (out, "#%02x%02x%02x", (int) round (CLAMP (color.r, 0, 1) * 255),
                          (int) round (CLAMP (color.g, 0, 1) * 255),
                          (int) round (CLAMP (color.b, 0, 1) * 255));
}

/* @t at (@x, @y) (its top left, in user space) as SVG: a group carrying the user-to-device
 * matrix (a rotated axis label stays rotated), and a <text> per run at the run's own pen
 * position and baseline, so that superscripts, italics and spacing land where Cairo would
 * have drawn them. */
static void
svg_text_append (Ctx          *c,
                 Text         *t,
                 double        x,
                 double        y,
                 VesicleColor  color)
{
  const char *text = pango_layout_get_text (t->layout);
  PangoLayoutIter *iter = pango_layout_get_iter (t->layout);
  GString *out = c->svg_text;
  cairo_matrix_t m;
  double r, g, b, a;

  cairo_get_matrix (c->cr, &m);
  /* the colour render_set_color chose for this theme */
  if (cairo_pattern_get_rgba (cairo_get_source (c->cr), &r, &g, &b, &a) == CAIRO_STATUS_SUCCESS)
    color = (VesicleColor) { r, g, b };
  g_string_append (out, "<g transform=\"matrix(");
  svg_numbers (out, "%.6g", (const double[]) { m.xx, m.yx, m.xy, m.yy, m.x0, m.y0 }, 6);
  g_string_append (out, ")\" fill=\"");
  svg_color (out, color);
  g_string_append (out, "\" font-family=\"DejaVu Sans, sans-serif\" xml:space=\"preserve\">\n");
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      PangoFontDescription *font;
      PangoRectangle logical;
      g_autofree char *words = NULL;
      double size;

      if (run == NULL)
        continue;  /* the end of a line */
      pango_layout_iter_get_run_extents (iter, NULL, &logical);
      font = pango_font_describe (run->item->analysis.font);
      size = (double) pango_font_description_get_size (font) / PANGO_SCALE;
      words = g_markup_escape_text (text + run->item->offset, run->item->length);
      g_string_append (out, "<text x=\"");
      svg_numbers (out, "%.3f", &(double) { x + (double) logical.x / PANGO_SCALE }, 1);
      g_string_append (out, "\" y=\"");
      svg_numbers (out, "%.3f", &(double) { y + (double) (pango_layout_iter_get_baseline (iter)
                                                          - run->y_offset) / PANGO_SCALE }, 1);
      g_string_append (out, "\" font-size=\"");
      svg_numbers (out, "%.3f", &size, 1);
      g_string_append (out, "\"");
      if (pango_font_description_get_style (font) != PANGO_STYLE_NORMAL)
        g_string_append (out, " font-style=\"italic\"");
      if (pango_font_description_get_weight (font) >= PANGO_WEIGHT_SEMIBOLD)
        g_string_append (out, " font-weight=\"bold\"");
      for (GSList *l = run->item->analysis.extra_attrs; l; l = l->next)
        {
          PangoAttribute *attr = l->data;

          if (attr->klass->type == PANGO_ATTR_FOREGROUND)
            {
              PangoColor *fg = &((PangoAttrColor *) attr)->color;

              g_string_append (out, " fill=\"");
              svg_color (out, (VesicleColor) { fg->red / 65535.0, fg->green / 65535.0,
                                               fg->blue / 65535.0 });
              g_string_append (out, "\"");
            }
        }
      g_string_append_printf (out, ">%s</text>\n", words);
      pango_font_description_free (font);
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
  g_string_append (out, "</g>\n");
}

void
render_text_show (Ctx          *c,
                  Text         *t,
                  double        x,
                  double        y,
                  VesicleColor  color)
{
  render_set_color (c, color, 1.0);
  if (c->svg_text != NULL)
    {
      svg_text_append (c, t, x, y, color);
      return;
    }
  cairo_move_to (c->cr, x, y);
  pango_cairo_show_layout (c->cr, t->layout);
  /* the move_to stays the current point, and the next arc would be joined to it by a line */
  cairo_new_path (c->cr);
}
