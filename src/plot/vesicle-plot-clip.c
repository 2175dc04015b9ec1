/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Geometry: clipping segments and polygons to the plotting area in double precision (so
 * far-away points never overflow Cairo's fixed-point coordinates), markers, dashes and ellipses.
 */
#include "vesicle-plot-render-private.h"

#include <math.h>

/* Liang–Barsky: clips the segment a-b to @r; FALSE when nothing is left. */
gboolean
render_clip_segment (const Rect *r,
                     double     *ax,
                     double     *ay,
                     double     *bx,
                     double     *by)
{
  double dx = *bx - *ax, dy = *by - *ay, t0 = 0.0, t1 = 1.0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *ax - r->x0, r->x1 - *ax, *ay - r->y0, r->y1 - *ay };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0.0)
        {
          if (q[i] < 0.0)
            return FALSE;
          continue;
        }
      double t = q[i] / p[i];

      if (p[i] < 0.0)
        t0 = MAX (t0, t);
      else
        t1 = MIN (t1, t);
      if (t0 > t1)
        return FALSE;
    }
  *bx = *ax + t1 * dx;
  *by = *ay + t1 * dy;
  *ax = *ax + t0 * dx;
  *ay = *ay + t0 * dy;
  return TRUE;
}

void
render_pen_init (Pen     *pen,
                 cairo_t *cr,
                 Rect     clip)
{
  *pen = (Pen) { .cr = cr, .clip = clip };
}

void
render_pen_to (Pen    *pen,
               double  x,
               double  y)
{
  if (!isfinite (x) || !isfinite (y))
    {
      pen->has_prev = FALSE;
      pen->drawing = FALSE;
      return;
    }
  if (pen->has_prev)
    {
      double ax = pen->px, ay = pen->py, bx = x, by = y;

      if (render_clip_segment (&pen->clip, &ax, &ay, &bx, &by))
        {
          if (!pen->drawing || ax != pen->ex || ay != pen->ey)
            cairo_move_to (pen->cr, ax, ay);
          cairo_line_to (pen->cr, bx, by);
          pen->ex = bx;
          pen->ey = by;
          pen->drawing = TRUE;
        }
      else
        pen->drawing = FALSE;
    }
  pen->px = x;
  pen->py = y;
  pen->has_prev = TRUE;
}

/* Sutherland–Hodgman against one side of @r (side 0..3: left, right, top, bottom). */
static gboolean
inside_side (const Rect *r,
             int         side,
             Point       p)
{
  switch (side)
    {
    case 0: return p.x >= r->x0;
    case 1: return p.x <= r->x1;
    case 2: return p.y >= r->y0;
    default: return p.y <= r->y1;
    }
}

static Point
cross_side (const Rect *r,
            int         side,
            Point       a,
            Point       b)
{
  double t;

  if (side < 2)
    {
      double xe = side == 0 ? r->x0 : r->x1;

      t = (xe - a.x) / (b.x - a.x);
      return (Point) { xe, a.y + t * (b.y - a.y) };
    }
  double ye = side == 2 ? r->y0 : r->y1;

  t = (ye - a.y) / (b.y - a.y);
  return (Point) { a.x + t * (b.x - a.x), ye };
}

/* Adds the polygon @pts clipped to @r to the Cairo path. */
void
render_polygon_path (cairo_t    *cr,
                     const Rect *r,
                     GArray     *pts)
{
  g_autoptr(GArray) in = g_array_copy (pts);
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (Point));

  for (int side = 0; side < 4 && in->len > 0; side++)
    {
      g_array_set_size (out, 0);
      for (guint i = 0; i < in->len; i++)
        {
          Point cur = g_array_index (in, Point, i);
          Point prev = g_array_index (in, Point, (i + in->len - 1) % in->len);
          gboolean ci = inside_side (r, side, cur), pi = inside_side (r, side, prev);

          if (ci)
            {
              if (!pi)
                {
                  Point q = cross_side (r, side, prev, cur);
                  g_array_append_val (out, q);
                }
              g_array_append_val (out, cur);
            }
          else if (pi)
            {
              Point q = cross_side (r, side, prev, cur);
              g_array_append_val (out, q);
            }
        }
      GArray *tmp = in;
      in = out;
      out = tmp;
    }
  for (guint i = 0; i < in->len; i++)
    {
      Point p = g_array_index (in, Point, i);

      if (i == 0)
        cairo_move_to (cr, p.x, p.y);
      else
        cairo_line_to (cr, p.x, p.y);
    }
  if (in->len > 0)
    cairo_close_path (cr);
}

void
render_set_dash (cairo_t     *cr,
                 VesicleDash  dash,
                 double       width)
{
  /* matplotlib's patterns, in line widths */
  static const double dashed[] = { 3.7, 1.6 };
  static const double dotted[] = { 1.0, 1.65 };
  double d[2];

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  switch (dash)
    {
    case VESICLE_DASH_DASHED:
      d[0] = dashed[0] * width;
      d[1] = dashed[1] * width;
      cairo_set_dash (cr, d, 2, 0.0);
      break;
    case VESICLE_DASH_DOTTED:
      d[0] = dotted[0] * width;
      d[1] = dotted[1] * width;
      cairo_set_dash (cr, d, 2, 0.0);
      break;
    case VESICLE_DASH_SOLID:
    default:
      cairo_set_dash (cr, NULL, 0, 0.0);
      break;
    }
}

/* Adds one marker of diameter @size centred on (x, y) to the path. */
void
render_marker_path (cairo_t       *cr,
                    VesicleMarker  marker,
                    double         x,
                    double         y,
                    double         size)
{
  double r = size / 2.0;

  switch (marker)
    {
    case VESICLE_MARKER_SQUARE:
      /* the same area as the circle, so mixed markers weigh the same */
      r *= 0.886;
      cairo_rectangle (cr, x - r, y - r, 2.0 * r, 2.0 * r);
      break;
    case VESICLE_MARKER_TRIANGLE:
      /* centred on its centroid; circumradius 1.2 r gives about the circle's area */
      r *= 1.2;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + 0.866 * r, y + 0.5 * r);
      cairo_line_to (cr, x - 0.866 * r, y + 0.5 * r);
      cairo_close_path (cr);
      break;
    case VESICLE_MARKER_CIRCLE:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0.0, 2.0 * G_PI);
      break;
    }
}

/* The n-sigma contour in data units: eigen-decomposition of the 2x2 covariance, semi-axes
 * n sqrt(lambda) along the eigenvectors. (N) points. */
void
render_ellipse_points (const VesicleSeries *s,
                       double              *ex,
                       double              *ey,
                       guint                N)
{
  double a = s->cxx, b = s->cxy, c = s->cyy;
  double mean = 0.5 * (a + c), diff = 0.5 * (a - c);
  double root = sqrt (diff * diff + b * b);
  double l1 = mean + root, l2 = MAX (mean - root, 0.0);
  double theta = 0.5 * atan2 (2.0 * b, a - c);
  double r1 = s->n_sigma * sqrt (l1), r2 = s->n_sigma * sqrt (l2);

  for (guint i = 0; i < N; i++)
    {
      double t = 2.0 * G_PI * i / N;
      double u = r1 * cos (t), v = r2 * sin (t);

      ex[i] = s->cx + u * cos (theta) - v * sin (theta);
      ey[i] = s->cy + u * sin (theta) + v * cos (theta);
    }
}
