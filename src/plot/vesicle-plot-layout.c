/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ticks and margins: choosing ticks for a panel's size and measuring the room each panel
 * needs round its plotting area.
 */
#include "vesicle-plot-render-private.h"

#include <math.h>

/* Ticks for @scale with at most @max_major labels, fewer while neighbouring labels collide
 * (x: side by side, y: stacked) along an axis @length points long. */
static GArray *
choose_ticks (Ctx                *c,
              const VesicleScale *scale,
              double              length,
              gboolean            horizontal)
{
  double spacing = horizontal ? 3.2 * c->fs : 2.4 * c->fs;
  guint max_major = (guint) CLAMP (length / spacing, 2.0, 10.0);

  for (;; max_major--)
    {
      GArray *ticks = vesicle_scale_ticks (scale, max_major);
      double prev_end = -INFINITY;
      gboolean collide = FALSE;

      for (guint i = 0; i < ticks->len && !collide; i++)
        {
          VesicleTick *t = &g_array_index (ticks, VesicleTick, i);
          g_auto(Text) text = { 0 };
          double pos, half;

          if (t->label == NULL)
            continue;
          render_text_init (&text, c, t->label, 1.0);
          pos = vesicle_scale_map (scale, t->value) * length;
          half = 0.5 * (horizontal ? text.w : text.h);
          collide = pos - half < prev_end + (horizontal ? 0.8 : 0.3) * c->fs;
          prev_end = pos + half;
        }
      /* down to a single label: one is poor, overlapping ones are unreadable */
      if (!collide || max_major <= 1)
        return ticks;
      g_array_unref (ticks);
    }
}

TickExtents
render_measure_ticks (Ctx                *c,
                      GArray             *ticks,
                      const VesicleScale *scale,
                      double              length,
                      gboolean            horizontal)
{
  TickExtents e = { 0 };

  for (guint i = 0; i < ticks->len; i++)
    {
      VesicleTick *t = &g_array_index (ticks, VesicleTick, i);
      g_auto(Text) text = { 0 };
      double pos;

      if (t->label == NULL)
        continue;
      render_text_init (&text, c, t->label, 1.0);
      e.max_w = MAX (e.max_w, text.w);
      e.max_base = MAX (e.max_base, text.base);
      e.max_desc = MAX (e.max_desc, text.h - text.base);
      pos = vesicle_scale_map (scale, t->value) * length;
      if (horizontal)
        {
          e.first_over = MAX (e.first_over, 0.5 * text.w - pos);
          e.last_over = MAX (e.last_over, pos + 0.5 * text.w - length);
        }
      else
        {
          /* y labels are centred on their digits: see draw_ticks */
          double above = text.base - DIGIT_HALF_HEIGHT (c->fs);

          e.first_over = MAX (e.first_over, (text.h - above) - pos);           /* below */
          e.last_over = MAX (e.last_over, above - (length - pos));            /* above */
        }
    }
  return e;
}

static double
text_height (Ctx        *c,
             const char *markup,
             double      scale)
{
  g_auto(Text) t = { 0 };

  if (markup == NULL)
    return 0.0;
  render_text_init (&t, c, markup, scale);
  return t.h;
}

/* The panel's title in @t and the x of its left edge: centred over the plotting area, or, when
 * it is wider than its cell beside the letter (a long title in a narrow column), wrapped and
 * kept inside the cell, clear of the letter and of the next column. FALSE for no title. */
gboolean
render_title_init (Ctx       *c,
                   const Box *b,
                   Text      *t,
                   double    *x)
{
  double left = b->cell_left;

  if (b->panel->title == NULL)
    return FALSE;
  if (b->letter != NULL)
    {
      g_auto(Text) letter = { 0 };

      render_text_init (&letter, c, b->letter, 1.0);
      left += letter.w + 0.5 * c->fs;
    }
  render_text_init (t, c, b->panel->title, 1.0);
  *x = b->x + 0.5 * (b->w - t->w);
  if (render_text_fit (t, b->cell_right - left, PANGO_ALIGN_CENTER))
    *x = CLAMP (*x, left, MAX (left, b->cell_right - t->w));
  return TRUE;
}

static double
header_height (Ctx *c,
               Box *b)
{
  g_auto(Text) title = { 0 };
  double h = 0.0, x;

  if (b->letter != NULL)
    h = text_height (c, b->letter, 1.0);
  if (render_title_init (c, b, &title, &x))
    h = MAX (h, title.h);
  return h;
}

static void
equal_aspect (Box *b)
{
  double fx0, fx1, fy0, fy1, ux, uy;
  VesicleScale *grow;
  double length, units, mid, half;

  if (!b->panel->equal_aspect)
    return;
  /* in the axes' own units (decades on log axes) */
  fx0 = b->xs.kind == VESICLE_SCALE_LOG ? log10 (b->xs.lo) : b->xs.lo;
  fx1 = b->xs.kind == VESICLE_SCALE_LOG ? log10 (b->xs.hi) : b->xs.hi;
  fy0 = b->ys.kind == VESICLE_SCALE_LOG ? log10 (b->ys.lo) : b->ys.lo;
  fy1 = b->ys.kind == VESICLE_SCALE_LOG ? log10 (b->ys.hi) : b->ys.hi;
  ux = (fx1 - fx0) / b->w;
  uy = (fy1 - fy0) / b->h;
  if (ux > uy)
    {
      grow = &b->ys;
      length = b->h;
      units = ux;
      mid = 0.5 * (fy0 + fy1);
    }
  else
    {
      grow = &b->xs;
      length = b->w;
      units = uy;
      mid = 0.5 * (fx0 + fx1);
    }
  half = 0.5 * units * length;
  if (grow->kind == VESICLE_SCALE_LOG)
    {
      grow->lo = pow (10.0, mid - half);
      grow->hi = pow (10.0, mid + half);
    }
  else
    {
      grow->lo = mid - half;
      grow->hi = mid + half;
    }
}

/* Ticks for the current size, and the room the panel needs round its plotting area. */
void
render_measure_panel (Ctx                *c,
                      Box                *b,
                      const VesicleScale *xs,
                      const VesicleScale *ys)
{
  double fs = c->fs, tl = TICK_LENGTH (fs), pad = TICK_PAD (fs), head;
  TickExtents ex, ey;

  b->xs = *xs;
  b->ys = *ys;
  if (b->panel->legend_only)
    {
      /* a key: its cell's room, with nothing round it */
      render_legend_measure (c, b);
      b->m_left = b->m_right = b->m_bottom = 0.3 * fs;
      head = header_height (c, b);
      b->m_top = head > 0.0 ? head + 0.4 * fs : 0.3 * fs;
      return;
    }
  equal_aspect (b);
  g_clear_pointer (&b->xt, g_array_unref);
  g_clear_pointer (&b->yt, g_array_unref);
  b->xt = choose_ticks (c, &b->xs, b->w, TRUE);
  b->yt = choose_ticks (c, &b->ys, b->h, FALSE);
  ex = render_measure_ticks (c, b->xt, &b->xs, b->w, TRUE);
  ey = render_measure_ticks (c, b->yt, &b->ys, b->h, FALSE);

  b->m_left = tl + (b->y_ticklabels ? pad + ey.max_w : 0.0);
  if (b->show_ylabel)
    b->m_left += LABEL_PAD (fs) + text_height (c, b->y_label, 1.0);
  if (b->x_ticklabels)
    b->m_left = MAX (b->m_left, ex.first_over);

  b->m_bottom = tl + (b->x_ticklabels ? pad + ex.max_base + ex.max_desc : 0.0);
  if (b->show_xlabel)
    b->m_bottom += LABEL_PAD (fs) * 0.6 + text_height (c, b->x_label, 1.0);
  if (b->y_ticklabels)
    b->m_bottom = MAX (b->m_bottom, ey.first_over);

  b->m_right = MAX (0.3 * fs, b->x_ticklabels ? ex.last_over : 0.0);
  render_legend_measure (c, b);
  if (b->legend_outside && !c->below)
    b->m_right = MAX (b->m_right, 0.6 * fs + b->lg_w);

  head = header_height (c, b);
  b->m_top = MAX (head > 0.0 ? head + 0.4 * fs : 0.3 * fs, b->y_ticklabels ? ey.last_over : 0.0);
}
