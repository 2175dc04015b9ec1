/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Legends: where the data lies on the page, sampled, and the legend placed where it covers
 * none of it (see vesicle-plot-render.c for the rule), measured and drawn.
 */
#include "vesicle-plot-render-private.h"

#include <math.h>

/* ---- where the data is, for the legend ------------------------------------------------- */

typedef struct {
  GArray *pts;   /* (Point) screen samples inside the plotting area */
  Rect    area;
  double  step;  /* sample spacing along lines, points */
} Samples;

static void
sample_add (Samples *sm,
            double   x,
            double   y)
{
  if (x >= sm->area.x0 && x <= sm->area.x1 && y >= sm->area.y0 && y <= sm->area.y1)
    {
      Point p = { x, y };
      g_array_append_val (sm->pts, p);
    }
}

static void
sample_segment (Samples *sm,
                double   ax,
                double   ay,
                double   bx,
                double   by)
{
  guint n;

  if (!isfinite (ax) || !isfinite (ay) || !isfinite (bx) || !isfinite (by))
    return;
  if (!render_clip_segment (&sm->area, &ax, &ay, &bx, &by))
    return;
  n = (guint) MIN (ceil (hypot (bx - ax, by - ay) / sm->step), 10000.0);
  for (guint i = 0; i <= n; i++)
    {
      double t = n == 0 ? 0.0 : (double) i / n;

      sample_add (sm, ax + t * (bx - ax), ay + t * (by - ay));
    }
}

static void
sample_polyline (Samples             *sm,
                 const Box           *b,
                 const VesicleSeries *s)
{
  gboolean has_prev = FALSE;
  double lx = 0.0, ly = 0.0;

  for (gsize i = 0; i < s->n; i++)
    {
      double x, y;

      if (!vesicle_series_point_ok (b->panel, s, i))
        {
          has_prev = FALSE;
          continue;
        }
      x = px (b, s->x[i]);
      y = py (b, s->y[i]);
      if (has_prev)
        sample_segment (sm, lx, ly, x, y);
      else
        sample_add (sm, x, y);
      lx = x;
      ly = y;
      has_prev = TRUE;
    }
}

static void
sample_series (Samples             *sm,
               const Box           *b,
               const VesicleSeries *s)
{
  if (!render_series_drawable (b->panel, s))
    return;
  switch (s->kind)
    {
    case VESICLE_SERIES_LINE:
      sample_polyline (sm, b, s);
      break;
    case VESICLE_SERIES_SCATTER:
      for (gsize i = 0; i < s->n; i++)
        if (vesicle_series_point_ok (b->panel, s, i))
          sample_add (sm, px (b, s->x[i]), py (b, s->y[i]));
      break;
    case VESICLE_SERIES_ERRORBARS:
      if (s->joined)
        sample_polyline (sm, b, s);
      for (gsize i = 0; i < s->n; i++)
        if (vesicle_series_point_ok (b->panel, s, i))
          {
            double x = px (b, s->x[i]), y = py (b, s->y[i]);
            double lo = s->y_low != NULL ? py (b, s->y_low[i]) : y;
            double hi = s->y_high != NULL ? py (b, s->y_high[i]) : y;

            sample_add (sm, x, y);
            sample_segment (sm, x, isfinite (lo) ? lo : y, x, isfinite (hi) ? hi : y);
          }
      break;
    case VESICLE_SERIES_BAND:
      /* vertical strands between the edges, at the data and every sample step between */
      for (gsize i = 0; i + 1 < s->n; i++)
        {
          double x0, x1;
          guint n;

          if (!vesicle_series_point_ok (b->panel, s, i)
              || !vesicle_series_point_ok (b->panel, s, i + 1))
            continue;
          x0 = px (b, s->x[i]);
          x1 = px (b, s->x[i + 1]);
          n = (guint) MIN (ceil (fabs (x1 - x0) / sm->step), 1000.0);
          for (guint k = 0; k <= n; k++)
            {
              double t = n == 0 ? 0.0 : (double) k / n;
              double lo = py (b, s->y_low[i]) + t * (py (b, s->y_low[i + 1]) - py (b, s->y_low[i]));
              double hi = py (b, s->y_high[i])
                          + t * (py (b, s->y_high[i + 1]) - py (b, s->y_high[i]));
              double x = x0 + t * (x1 - x0);

              sample_segment (sm, x, lo, x, hi);
            }
        }
      break;
    case VESICLE_SERIES_ELLIPSE:
      {
        double ex[ELLIPSE_POINTS], ey[ELLIPSE_POINTS];
        double ox = px (b, s->cx), oy = py (b, s->cy);
        VesicleSeries inner = *s;

        /* the contour, and when filled the rings inside it */
        for (double f = s->alpha > 0.0 ? 0.25 : 1.0; f <= 1.0; f += 0.25)
          {
            inner.n_sigma = s->n_sigma * f;
            render_ellipse_points (&inner, ex, ey, ELLIPSE_POINTS);
            for (guint i = 0; i < ELLIPSE_POINTS; i++)
              sample_segment (sm, px (b, ex[i]), py (b, ey[i]),
                              px (b, ex[(i + 1) % ELLIPSE_POINTS]),
                              py (b, ey[(i + 1) % ELLIPSE_POINTS]));
          }
        if (s->alpha > 0.0)
          sample_add (sm, ox, oy);
      }
      break;
    case VESICLE_SERIES_REFERENCE:
      {
        guint n = 64;
        double lx = NAN, ly = NAN;

        for (guint i = 0; i <= n; i++)
          {
            double x = b->x + b->w * i / n;
            double y = py (b, vesicle_series_reference_y (b->panel, s,
                                                          vesicle_scale_unmap (&b->xs,
                                                                               (double) i / n)));

            if (i > 0)
              sample_segment (sm, lx, ly, x, y);
            lx = x;
            ly = y;
          }
      }
      break;
    case VESICLE_SERIES_HLINE:
      sample_segment (sm, b->x, py (b, s->y0), b->x + b->w, py (b, s->y0));
      break;
    default:
      g_assert_not_reached ();
    }
}

GArray *
render_sample_panel (const Box *b)
{
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (Point));
  Samples sm = { pts, box_rect (b, 0.0), MAX (0.01 * MAX (b->w, b->h), 0.5) };

  /* a key's series are not drawn */
  for (guint j = 0; j < b->panel->series->len && !b->panel->legend_only; j++)
    sample_series (&sm, b, g_ptr_array_index (b->panel->series, j));
  return pts;
}

/* ---- legends --------------------------------------------------------------------------- */

static double
legend_swatch_width (Ctx *c)
{
  return 1.8 * c->fs;
}

static double
legend_pad (Ctx *c)
{
  return 0.35 * c->fs;
}

static double
legend_row_gap (Ctx *c)
{
  return 0.15 * c->fs;
}

void
render_legend_measure (Ctx *c,
                       Box *b)
{
  double w = 0.0, h = 0.0;

  b->lg_w = b->lg_h = 0.0;
  if (b->legend == NULL)
    return;
  for (guint i = 0; i < b->legend->len; i++)
    {
      const VesicleSeries *s = g_ptr_array_index (b->legend, i);
      g_auto(Text) t = { 0 };

      render_text_init (&t, c, vesicle_series_key (s), 1.0);
      w = MAX (w, t.w);
      h += MAX (t.h, c->fs) + (i > 0 ? legend_row_gap (c) : 0.0);
    }
  b->lg_w = 2.0 * legend_pad (c) + legend_swatch_width (c) + 0.5 * c->fs + w;
  b->lg_h = 2.0 * legend_pad (c) + h;
}

/* The height a legend under its panel adds to its row. */
double
render_legend_band (Ctx       *c,
                    const Box *b)
{
  return 0.4 * c->fs + b->lg_h;
}

/* Top-left corner of the legend at inside position @loc (0..7) or outside: right of the
 * plotting area, or in a reflowed grid under the x label. */
Point
render_legend_origin (Ctx       *c,
                      const Box *b,
                      int        loc)
{
  double inset = 0.3 * c->fs;
  double left = b->x + inset, right = b->x + b->w - inset - b->lg_w;
  double top = b->y + inset, bottom = b->y + b->h - inset - b->lg_h;
  double cx = b->x + 0.5 * (b->w - b->lg_w), cy = b->y + 0.5 * (b->h - b->lg_h);

  switch (loc)
    {
    case 0: return (Point) { right, top };
    case 1: return (Point) { left, top };
    case 2: return (Point) { right, bottom };
    case 3: return (Point) { left, bottom };
    case 4: return (Point) { cx, top };
    case 5: return (Point) { cx, bottom };
    case 6: return (Point) { right, cy };
    case 7: return (Point) { left, cy };
    default:
      if (c->below)
        return (Point) { CLAMP (cx, b->cell_left, MAX (b->cell_left, b->cell_right - b->lg_w)),
                         b->band_top };
      return (Point) { b->x + b->w + 0.6 * c->fs, b->y };
    }
}

static gboolean
rects_overlap (Rect a,
               Rect b)
{
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* Annotation text placed so that (fx, fy) is the same fraction of the text's own box: at 0 its
 * left (bottom) edge is on the left (bottom) of the area, at 1 its right (top) edge on the right
 * (top), so any position in [0, 1] keeps the text inside. */
/* Where text of size @w x @h with its top-left at (x, y) stays inside the figure: text wider
 * than its panel (a long title in the last column) is shifted in rather than cut off. */
Point
render_keep_inside (Ctx    *c,
                    double  x,
                    double  y,
                    double  w,
                    double  h)
{
  x = MAX (MIN (x, c->width - OUTER - w), OUTER);
  y = MAX (MIN (y, c->height - OUTER - h), OUTER);
  return (Point) { x, y };
}

/* An annotation's text, wrapped when the plotting area is narrower than it (a figure sized its
 * notes for the panels it was designed with; a narrow window or export gives it less), its
 * lines against the side it is placed at. */
void
render_annotation_text (Ctx                     *c,
                        const Box               *b,
                        const VesicleAnnotation *a,
                        Text                    *t)
{
  render_text_init (t, c, a->markup, 1.0);
  render_text_fit (t, b->w, a->fx < 1.0 / 3.0 ? PANGO_ALIGN_LEFT
                     : a->fx > 2.0 / 3.0 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER);
}

Rect
render_annotation_rect (Ctx                     *c,
                        const Box               *b,
                        const VesicleAnnotation *a,
                        const Text              *t)
{
  Point o = render_keep_inside (c, b->x + a->fx * b->w - a->fx * t->w,
                         b->y + (1.0 - a->fy) * b->h - (1.0 - a->fy) * t->h, t->w, t->h);

  return (Rect) { o.x, o.y, o.x + t->w, o.y + t->h };
}

void
render_legend_place (Ctx *c,
                     Box *b)
{
  g_autoptr(GArray) pts = NULL;
  g_autoptr(GArray) notes = NULL;
  VesiclePanel *panel = b->panel;
  guint best_count = G_MAXUINT;
  int best = LEGEND_OUTSIDE;
  gboolean affordable;

  if (b->legend == NULL)
    {
      b->legend_loc = LEGEND_NONE;
      return;
    }
  if (panel->legend_only)
    {
      b->legend_loc = 1;   /* top left: the cell holds nothing else */
      return;
    }
  if (b->legend_outside || b->lg_w > b->w || b->lg_h > b->h)
    {
      b->legend_outside = TRUE;
      b->legend_loc = LEGEND_OUTSIDE;
      return;
    }
  /* outside only while it leaves the plot most of its width (height, below it); a small panel
   * keeps its legend inside, on the fewest points, with the veil under it */
  affordable = c->below ? render_legend_band (c, b) <= 0.5 * b->h
               : b->lg_w + 0.6 * c->fs <= 0.5 * b->w;

  pts = render_sample_panel (b);
  notes = g_array_new (FALSE, FALSE, sizeof (Rect));
  for (guint j = 0; j < panel->annotations->len; j++)
    {
      const VesicleAnnotation *a = g_ptr_array_index (panel->annotations, j);
      g_auto(Text) t = { 0 };
      Rect r;

      render_annotation_text (c, b, a, &t);
      r = render_annotation_rect (c, b, a, &t);
      g_array_append_val (notes, r);
    }

  for (int loc = 0; loc < 8; loc++)
    {
      Point o = render_legend_origin (c, b, loc);
      Rect r = { o.x - 1.0, o.y - 1.0, o.x + b->lg_w + 1.0, o.y + b->lg_h + 1.0 };
      guint count = 0;

      for (guint i = 0; i < notes->len; i++)
        count += rects_overlap (r, g_array_index (notes, Rect, i)) ? 1000 : 0;
      for (guint i = 0; i < pts->len; i++)
        {
          Point p = g_array_index (pts, Point, i);

          count += p.x >= r.x0 && p.x <= r.x1 && p.y >= r.y0 && p.y <= r.y1;
        }
      if (count < best_count)
        {
          best_count = count;
          best = loc;
        }
      if (count == 0)
        break;
    }
  if (best_count > 0 && affordable)
    {
      b->legend_outside = TRUE;
      best = LEGEND_OUTSIDE;
    }
  b->legend_loc = best;
}

static void
legend_swatch (Ctx                 *c,
               const VesicleSeries *s,
               double               x,
               double               y,
               double               w,
               double               h)
{
  cairo_t *cr = c->cr;
  double cy = y + 0.5 * h, cx = x + 0.5 * w;

  cairo_save (cr);
  cairo_new_path (cr);
  switch (s->kind)
    {
    case VESICLE_SERIES_LINE:
    case VESICLE_SERIES_REFERENCE:
    case VESICLE_SERIES_HLINE:
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x + w, cy);
      render_set_color (c, s->color, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH);
      render_set_dash (cr, s->dash, LINE_WIDTH);
      cairo_stroke (cr);
      break;
    case VESICLE_SERIES_SCATTER:
      /* faint markers read as a cloud in the panel but would vanish alone in the legend */
      render_set_color (c, s->color, MAX (s->alpha, 0.7));
      render_marker_path (cr, s->marker, cx, cy, CLAMP (s->size_pt, 0.4 * c->fs, h));
      cairo_fill (cr);
      break;
    case VESICLE_SERIES_BAND:
      render_set_color (c, s->color, s->alpha);
      cairo_rectangle (cr, x, cy - 0.35 * h, w, 0.7 * h);
      cairo_fill (cr);
      break;
    case VESICLE_SERIES_ERRORBARS:
      render_set_color (c, s->color, 1.0);
      cairo_set_line_width (cr, ERRORBAR_WIDTH);
      if (s->y_low != NULL || s->y_high != NULL)
        {
          double cap = 0.5 * render_errorbar_marker_size (c), top = y + 0.1 * h, bottom = y + 0.9 * h;

          cairo_move_to (cr, cx, top);
          cairo_line_to (cr, cx, bottom);
          cairo_move_to (cr, cx - cap, top);
          cairo_line_to (cr, cx + cap, top);
          cairo_move_to (cr, cx - cap, bottom);
          cairo_line_to (cr, cx + cap, bottom);
          cairo_stroke (cr);
        }
      if (s->joined)
        {
          cairo_set_line_width (cr, LINE_WIDTH);
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + w, cy);
          cairo_stroke (cr);
        }
      if (s->marker != VESICLE_MARKER_NONE)
        {
          render_marker_path (cr, s->marker, cx, cy, render_errorbar_marker_size (c));
          cairo_fill (cr);
        }
      break;
    case VESICLE_SERIES_ELLIPSE:
      cairo_save (cr);
      cairo_translate (cr, cx, cy);
      cairo_scale (cr, 0.45 * w, 0.4 * h);
      cairo_arc (cr, 0.0, 0.0, 1.0, 0.0, 2.0 * G_PI);
      cairo_restore (cr);
      if (s->alpha > 0.0)
        {
          render_set_color (c, s->color, s->alpha);
          cairo_fill_preserve (cr);
        }
      render_set_color (c, s->color, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH);
      render_set_dash (cr, s->dash, LINE_WIDTH);
      cairo_stroke (cr);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);
}

void
render_legend_draw (Ctx       *c,
                    const Box *b)
{
  Point o;
  double y;

  if (b->legend == NULL || b->legend_loc == LEGEND_NONE)
    return;
  o = render_legend_origin (c, b, b->legend_loc);
  if (b->legend_loc != LEGEND_OUTSIDE)
    {
      /* a veil, so gridless data passing near the entries does not cut through the text */
      cairo_rectangle (c->cr, o.x, o.y, b->lg_w, b->lg_h);
      cairo_set_source_rgba (c->cr, c->bg.r, c->bg.g, c->bg.b, 0.8);
      cairo_fill (c->cr);
    }
  y = o.y + legend_pad (c);
  for (guint i = 0; i < b->legend->len; i++)
    {
      const VesicleSeries *s = g_ptr_array_index (b->legend, i);
      g_auto(Text) t = { 0 };
      double row_h;

      render_text_init (&t, c, vesicle_series_key (s), 1.0);
      row_h = MAX (t.h, c->fs);
      legend_swatch (c, s, o.x + legend_pad (c), y + 0.5 * (row_h - c->fs),
                     legend_swatch_width (c), c->fs);
      render_text_show (c, &t, o.x + legend_pad (c) + legend_swatch_width (c) + 0.5 * c->fs,
                 y + 0.5 * (row_h - t.h), c->fg);
      y += row_h + legend_row_gap (c);
    }
}
