/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Series: each kind drawn on its panel, clipped to the plotting area.
 */
#include "vesicle-plot-render-private.h"

#include <math.h>

/* Strokes the current path as @s's line: its colour and dash, the data line width. */
static void
stroke_series (Ctx                 *c,
               const VesicleSeries *s)
{
  render_set_color (c, s->color, 1.0);
  cairo_set_line_width (c->cr, LINE_WIDTH);
  cairo_set_line_join (c->cr, CAIRO_LINE_JOIN_ROUND);
  render_set_dash (c->cr, s->dash, LINE_WIDTH);
  cairo_stroke (c->cr);
}

static void
draw_line (Ctx                 *c,
           const Box           *b,
           const VesicleSeries *s)
{
  Pen pen;

  render_pen_init (&pen, c->cr, box_rect (b, 4.0));
  for (gsize i = 0; i < s->n; i++)
    {
      if (vesicle_series_point_ok (b->panel, s, i))
        render_pen_to (&pen, px (b, s->x[i]), py (b, s->y[i]));
      else
        render_pen_to (&pen, NAN, NAN);
    }
  stroke_series (c, s);
}

static void
draw_markers (Ctx                 *c,
              const Box           *b,
              const VesicleSeries *s,
              VesicleMarker        marker,
              double               size,
              double               alpha)
{
  Rect r = box_rect (b, size);

  render_set_color (c, s->color, alpha);
  for (gsize i = 0; i < s->n; i++)
    {
      double x, y;

      if (!vesicle_series_point_ok (b->panel, s, i))
        continue;
      x = px (b, s->x[i]);
      y = py (b, s->y[i]);
      if (x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1)
        continue;
      render_marker_path (c->cr, marker, x, y, size);
      /* one fill per marker, so that overlapping translucent markers darken as density grows */
      if (alpha < 1.0)
        cairo_fill (c->cr);
    }
  cairo_fill (c->cr);
}

static void
draw_band (Ctx                 *c,
           const Box           *b,
           const VesicleSeries *s)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (Point));
  Rect r = box_rect (b, 4.0);
  gsize i = 0;

  /* one polygon per run of usable points: upper edge forwards, lower edge back */
  while (i < s->n)
    {
      gsize start, end;

      while (i < s->n && !vesicle_series_point_ok (b->panel, s, i))
        i++;
      start = i;
      while (i < s->n && vesicle_series_point_ok (b->panel, s, i))
        i++;
      end = i;
      if (end - start < 2)
        continue;
      g_array_set_size (pts, 0);
      for (gsize j = start; j < end; j++)
        {
          Point p = { px (b, s->x[j]), py (b, s->y_high[j]) };
          g_array_append_val (pts, p);
        }
      for (gsize j = end; j-- > start;)
        {
          Point p = { px (b, s->x[j]), py (b, s->y_low[j]) };
          g_array_append_val (pts, p);
        }
      render_polygon_path (c->cr, &r, pts);
    }
  render_set_color (c, s->color, s->alpha);
  cairo_fill (c->cr);
}

double
render_errorbar_marker_size (Ctx *c)
{
  return 0.55 * c->fs;
}

static void
draw_errorbars (Ctx                 *c,
                const Box           *b,
                const VesicleSeries *s)
{
  double cap = 0.5 * render_errorbar_marker_size (c);
  Pen pen;

  render_pen_init (&pen, c->cr, box_rect (b, 4.0));
  if (s->y_low != NULL || s->y_high != NULL)
    for (gsize i = 0; i < s->n; i++)
      {
        double x, lo, hi;

        if (!vesicle_series_point_ok (b->panel, s, i))
          continue;
        x = px (b, s->x[i]);
        lo = s->y_low != NULL ? py (b, s->y_low[i]) : py (b, s->y[i]);
        hi = s->y_high != NULL ? py (b, s->y_high[i]) : py (b, s->y[i]);
        /* an end the scale cannot show (NaN, <= 0 on log) ends the bar at the point */
        if (!isfinite (lo))
          lo = py (b, s->y[i]);
        if (!isfinite (hi))
          hi = py (b, s->y[i]);
        render_pen_to (&pen, NAN, NAN);
        render_pen_to (&pen, x, lo);
        render_pen_to (&pen, x, hi);
        /* vertical caps */
        if (s->y_low != NULL && isfinite (s->y_low[i]))
          {
            render_pen_to (&pen, NAN, NAN);
            render_pen_to (&pen, x - cap, lo);
            render_pen_to (&pen, x + cap, lo);
          }
        if (s->y_high != NULL && isfinite (s->y_high[i]))
          {
            render_pen_to (&pen, NAN, NAN);
            render_pen_to (&pen, x - cap, hi);
            render_pen_to (&pen, x + cap, hi);
          }
      }
  render_set_color (c, s->color, 1.0);
  cairo_set_line_width (c->cr, ERRORBAR_WIDTH);
  render_set_dash (c->cr, VESICLE_DASH_SOLID, ERRORBAR_WIDTH);
  cairo_stroke (c->cr);

  if (s->joined)
    draw_line (c, b, s);
  if (s->marker != VESICLE_MARKER_NONE)
    draw_markers (c, b, s, s->marker, render_errorbar_marker_size (c), 1.0);
}

static void
draw_ellipse (Ctx                 *c,
              const Box           *b,
              const VesicleSeries *s)
{
  double ex[ELLIPSE_POINTS], ey[ELLIPSE_POINTS];
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (Point));
  Rect r = box_rect (b, 4.0);
  Pen pen;

  render_ellipse_points (s, ex, ey, ELLIPSE_POINTS);
  for (guint i = 0; i < ELLIPSE_POINTS; i++)
    {
      Point p = { px (b, ex[i]), py (b, ey[i]) };

      if (!isfinite (p.x) || !isfinite (p.y))
        return;  /* part of it below zero on a log axis: no honest way to draw it */
      g_array_append_val (pts, p);
    }
  if (s->alpha > 0.0)
    {
      render_polygon_path (c->cr, &r, pts);
      render_set_color (c, s->color, s->alpha);
      cairo_fill (c->cr);
    }
  render_pen_init (&pen, c->cr, r);
  for (guint i = 0; i <= ELLIPSE_POINTS; i++)
    {
      Point p = g_array_index (pts, Point, i % ELLIPSE_POINTS);

      render_pen_to (&pen, p.x, p.y);
    }
  stroke_series (c, s);
}

static void
draw_reference (Ctx                 *c,
                const Box           *b,
                const VesicleSeries *s)
{
  /* sampled every 2 pt across the panel: exact for straight lines, smooth for the rest */
  guint n = MAX (2, (guint) ceil (b->w / 2.0));
  Pen pen;

  render_pen_init (&pen, c->cr, box_rect (b, 4.0));
  for (guint i = 0; i <= n; i++)
    {
      double x = vesicle_scale_unmap (&b->xs, (double) i / n);

      render_pen_to (&pen, b->x + b->w * i / n, py (b, vesicle_series_reference_y (b->panel, s, x)));
    }
  stroke_series (c, s);
}

static void
draw_hline (Ctx                 *c,
            const Box           *b,
            const VesicleSeries *s)
{
  double y = py (b, s->y0);

  if (!isfinite (y) || y < b->y - 1.0 || y > b->y + b->h + 1.0)
    return;
  cairo_move_to (c->cr, b->x, y);
  cairo_line_to (c->cr, b->x + b->w, y);
  stroke_series (c, s);
}

gboolean
render_series_drawable (const VesiclePanel  *panel,
                        const VesicleSeries *s)
{
  switch (s->kind)
    {
    case VESICLE_SERIES_ELLIPSE:
      return isfinite (s->cx) && isfinite (s->cy) && isfinite (s->cxx) && isfinite (s->cxy)
             && isfinite (s->cyy) && s->cxx >= 0.0 && s->cyy >= 0.0
             && s->cxx * s->cyy - s->cxy * s->cxy >= -1e-12 * MAX (s->cxx * s->cyy, 1e-300)
             && isfinite (s->n_sigma) && s->n_sigma > 0.0;
    case VESICLE_SERIES_REFERENCE:
      return isfinite (s->x0) && isfinite (s->y0) && isfinite (s->slope)
             && (panel->x_kind != VESICLE_SCALE_LOG || s->x0 > 0.0)
             && (panel->y_kind != VESICLE_SCALE_LOG || s->y0 > 0.0);
    default:
      return TRUE;
    }
}

/* Thousands of vector markers make PDFs and SVGs of tens of megabytes (Appendix 6: 330,000
 * markers, a 73 MB SVG) that viewers draw slowly. As matplotlib's rasterized=True, a dense
 * scatter on a vector surface becomes one image at print resolution, while axes, lines and text
 * stay vector. Image surfaces (PNG, the window) draw markers directly. */
#define RASTER_MIN_POINTS 2000
#define RASTER_DPI        300.0

static gboolean
target_is_vector (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PS:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
draw_markers_as_image (Ctx                 *c,
                       const Box           *b,
                       const VesicleSeries *s)
{
  Rect r = box_rect (b, 0.0);    /* the caller clips to the plotting area */
  double ux = 1.0, uy = 0.0, k;
  int w, h;
  cairo_surface_t *image;
  cairo_t *icr;
  Ctx ic = *c;

  /* pixels per user unit: RASTER_DPI on the page, whatever scale the caller set */
  cairo_user_to_device_distance (c->cr, &ux, &uy);
  k = RASTER_DPI / 72.0 * hypot (ux, uy);
  w = MAX (1, (int) ceil ((r.x1 - r.x0) * k));
  h = MAX (1, (int) ceil ((r.y1 - r.y0) * k));
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  icr = cairo_create (image);
  cairo_scale (icr, k, k);
  cairo_translate (icr, -r.x0, -r.y0);
  ic.cr = icr;
  draw_markers (&ic, b, s, s->marker, s->size_pt, s->alpha);
  cairo_destroy (icr);

  cairo_save (c->cr);
  cairo_translate (c->cr, r.x0, r.y0);
  cairo_scale (c->cr, 1.0 / k, 1.0 / k);
  cairo_set_source_surface (c->cr, image, 0, 0);
  cairo_paint (c->cr);
  cairo_restore (c->cr);
  cairo_surface_destroy (image);
}

void
render_draw_series (Ctx                 *c,
                    const Box           *b,
                    const VesicleSeries *s)
{
  if (!render_series_drawable (b->panel, s))
    return;
  cairo_save (c->cr);
  switch (s->kind)
    {
    case VESICLE_SERIES_LINE:
      draw_line (c, b, s);
      break;
    case VESICLE_SERIES_SCATTER:
      if (s->n >= RASTER_MIN_POINTS && target_is_vector (c->cr))
        draw_markers_as_image (c, b, s);
      else
        draw_markers (c, b, s, s->marker, s->size_pt, s->alpha);
      break;
    case VESICLE_SERIES_BAND:
      draw_band (c, b, s);
      break;
    case VESICLE_SERIES_ERRORBARS:
      draw_errorbars (c, b, s);
      break;
    case VESICLE_SERIES_ELLIPSE:
      draw_ellipse (c, b, s);
      break;
    case VESICLE_SERIES_REFERENCE:
      draw_reference (c, b, s);
      break;
    case VESICLE_SERIES_HLINE:
      draw_hline (c, b, s);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_restore (c->cr);
}
