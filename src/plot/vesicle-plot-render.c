/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout and drawing (vesicle_plot_render). Units are points, y grows downwards.
 *
 * Grid: the plot's own, or at a width where its columns would be too narrow to read, its
 * visible panels in reading order in fewer columns (VesicleLayout, vesicle-plot.c). Reflowed,
 * a panel whose neighbour as built carried its tick labels or axis label (shared axes, a label
 * given once per row or column) draws them itself unless that neighbour is still beside it.
 *
 * Layout: every visible panel measures the room it needs around its plotting area (tick
 * lengths, the widest tick label, the axis labels, the letter and title above, tick labels that
 * stick out past the ends, a legend placed outside); columns take the widest left and right
 * margins of their panels and rows the tallest top and bottom ones, so that plotting areas line
 * up and share one size. Tick counts depend on that size and the margins on the tick labels, so
 * the layout is repeated: twice freely, then with margins that only grow, which converges and
 * guarantees the final labels fit the room they were given.
 *
 * Drawing, per panel: series in the order they were added, clipped to the plotting area
 * (segments and polygons are clipped in double precision first, so far-away points do not
 * overflow Cairo's fixed-point coordinates); then the open box (left and bottom spines), outward
 * ticks, labels, the legend and annotations on top.
 *
 * Legends go to the first of eight inside positions (the four corners, then the middles of the
 * four sides) that covers no data: points, samples along lines every 1% of the panel, band and
 * filled-ellipse interiors, annotations. When every position covers some, the legend goes
 * outside, right of the plotting area, and its column is widened to fit it, unless that would
 * take more than half the plot's width: then it stays inside where it covers the fewest. In a
 * reflowed grid "outside" is under the panel's x label, in a band its row grows by (half the
 * plot's height at most), since the figure has room downwards and none sideways.
 *
 * Titles and annotations wider than their room (the cell beside the letter, the plotting area,
 * the figure for its title) wrap onto lines of even length; at the widths a figure was designed
 * for they fit, and nothing changes.
 */
#include "vesicle-plot-private.h"

#include <math.h>
#include <pango/pangocairo.h>

#define FONT_FAMILY "DejaVu Sans,Sans"

/* Sizes in points (a 7 pt figure: 0.6 pt axes, 1 pt data lines, as journals ask). */
#define AXIS_WIDTH 0.6
#define MINOR_WIDTH 0.5
#define LINE_WIDTH 1.0
#define ERRORBAR_WIDTH 0.8
#define OUTER 1.5                 /* empty border round the figure */

/* Sizes relative to the font size, so a larger font scales the whole figure's furniture. */
#define TICK_LENGTH(fs) (0.45 * (fs))
#define TICK_PAD(fs) (0.35 * (fs))
#define LABEL_PAD(fs) (0.5 * (fs))
#define DIGIT_HALF_HEIGHT(fs) (0.365 * (fs))  /* DejaVu Sans digits are 0.73 em tall */

typedef struct {
  double x0, y0, x1, y1;
} Rect;

typedef struct {
  cairo_t              *cr;
  VesicleTheme          theme;
  VesicleColor          fg, bg;
  double                fs;
  double                width, height;  /* the figure */
  gboolean              below;          /* outside legends go under their panel */
  cairo_font_options_t *font_options;
} Ctx;

typedef struct {
  PangoLayout *layout;
  double       w, h;         /* logical extents */
  double       base;         /* baseline below the logical top */
  double       last_base;    /* the last line's */
} Text;

enum {
  LEGEND_NONE = -1,
  LEGEND_OUTSIDE = 8,
};

typedef struct {
  VesiclePanel *panel;
  guint         index;
  guint         row, column;       /* the layout's cell */
  VesicleScale  xs, ys;            /* the limits drawn */
  GArray       *xt, *yt;           /* (VesicleTick) */
  gboolean      x_ticklabels, y_ticklabels, show_xlabel, show_ylabel;
  const char   *x_label, *y_label; /* what show_xlabel and show_ylabel draw */
  char         *letter;            /* markup, NULL for none */
  double        m_left, m_right, m_top, m_bottom;  /* room needed round the plotting area */
  double        x, y, w, h;        /* the plotting area */
  double        cell_left;         /* where the column's room starts: y labels, the letter */
  double        cell_right;        /* and where it ends: the plotting area and right margin */
  double        xlabel_top;        /* the row's x labels line up */
  double        band_top;          /* the row's room for legends under the x labels */
  GPtrArray    *legend;            /* (VesicleSeries) with a legend entry; NULL for none */
  double        lg_w, lg_h;
  int           legend_loc;
  gboolean      legend_outside;    /* sticky once chosen, so the layout converges */
} Box;

/* ---- text ------------------------------------------------------------------------------ */

static void
text_clear (Text *t)
{
  g_clear_object (&t->layout);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Text, text_clear)

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

static void
text_init (Text       *t,
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
static gboolean
text_fit (Text           *t,
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

static void
set_color (Ctx          *c,
           VesicleColor  color,
           double        alpha)
{
  /* black and near-black data (references, the theme's "ink") would vanish on the dark
   * background; dark colours with a hue (viridis' purple end) keep it */
  if (c->theme == VESICLE_THEME_DARK && MAX (color.r, MAX (color.g, color.b)) < 0.2)
    color = c->fg;
  cairo_set_source_rgba (c->cr, color.r, color.g, color.b, alpha);
}

static void
text_show (Ctx          *c,
           Text         *t,
           double        x,
           double        y,
           VesicleColor  color)
{
  set_color (c, color, 1.0);
  cairo_move_to (c->cr, x, y);
  pango_cairo_show_layout (c->cr, t->layout);
  /* the move_to stays the current point, and the next arc would be joined to it by a line */
  cairo_new_path (c->cr);
}

/* ---- geometry -------------------------------------------------------------------------- */

static double
px (const Box *b,
    double     v)
{
  return b->x + vesicle_scale_map (&b->xs, v) * b->w;
}

static double
py (const Box *b,
    double     v)
{
  return b->y + b->h - vesicle_scale_map (&b->ys, v) * b->h;
}

static Rect
box_rect (const Box *b,
          double     grow)
{
  return (Rect) { b->x - grow, b->y - grow, b->x + b->w + grow, b->y + b->h + grow };
}

/* Liang–Barsky: clips the segment a-b to @r; FALSE when nothing is left. */
static gboolean
clip_segment (const Rect *r,
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

/* Builds a polyline on the Cairo path, clipping each segment and breaking at NaN vertices. */
typedef struct {
  cairo_t *cr;
  Rect     clip;
  gboolean has_prev, drawing;
  double   px, py;   /* the previous vertex */
  double   ex, ey;   /* where the path ends now */
} Pen;

static void
pen_init (Pen     *pen,
          cairo_t *cr,
          Rect     clip)
{
  *pen = (Pen) { .cr = cr, .clip = clip };
}

static void
pen_to (Pen    *pen,
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

      if (clip_segment (&pen->clip, &ax, &ay, &bx, &by))
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

typedef struct {
  double x, y;
} Point;

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
static void
polygon_path (cairo_t    *cr,
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

static void
set_dash (cairo_t     *cr,
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
static void
marker_path (cairo_t       *cr,
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
static void
ellipse_points (const VesicleSeries *s,
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

#define ELLIPSE_POINTS 144

/* ---- series ---------------------------------------------------------------------------- */

/* Strokes the current path as @s's line: its colour and dash, the data line width. */
static void
stroke_series (Ctx                 *c,
               const VesicleSeries *s)
{
  set_color (c, s->color, 1.0);
  cairo_set_line_width (c->cr, LINE_WIDTH);
  cairo_set_line_join (c->cr, CAIRO_LINE_JOIN_ROUND);
  set_dash (c->cr, s->dash, LINE_WIDTH);
  cairo_stroke (c->cr);
}

static void
draw_line (Ctx                 *c,
           const Box           *b,
           const VesicleSeries *s)
{
  Pen pen;

  pen_init (&pen, c->cr, box_rect (b, 4.0));
  for (gsize i = 0; i < s->n; i++)
    {
      if (vesicle_series_point_ok (b->panel, s, i))
        pen_to (&pen, px (b, s->x[i]), py (b, s->y[i]));
      else
        pen_to (&pen, NAN, NAN);
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

  set_color (c, s->color, alpha);
  for (gsize i = 0; i < s->n; i++)
    {
      double x, y;

      if (!vesicle_series_point_ok (b->panel, s, i))
        continue;
      x = px (b, s->x[i]);
      y = py (b, s->y[i]);
      if (x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1)
        continue;
      marker_path (c->cr, marker, x, y, size);
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
      polygon_path (c->cr, &r, pts);
    }
  set_color (c, s->color, s->alpha);
  cairo_fill (c->cr);
}

static double
errorbar_marker_size (Ctx *c)
{
  return 0.55 * c->fs;
}

static void
draw_errorbars (Ctx                 *c,
                const Box           *b,
                const VesicleSeries *s)
{
  double cap = 0.5 * errorbar_marker_size (c);
  Pen pen;

  pen_init (&pen, c->cr, box_rect (b, 4.0));
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
        pen_to (&pen, NAN, NAN);
        pen_to (&pen, x, lo);
        pen_to (&pen, x, hi);
        /* vertical caps */
        if (s->y_low != NULL && isfinite (s->y_low[i]))
          {
            pen_to (&pen, NAN, NAN);
            pen_to (&pen, x - cap, lo);
            pen_to (&pen, x + cap, lo);
          }
        if (s->y_high != NULL && isfinite (s->y_high[i]))
          {
            pen_to (&pen, NAN, NAN);
            pen_to (&pen, x - cap, hi);
            pen_to (&pen, x + cap, hi);
          }
      }
  set_color (c, s->color, 1.0);
  cairo_set_line_width (c->cr, ERRORBAR_WIDTH);
  set_dash (c->cr, VESICLE_DASH_SOLID, ERRORBAR_WIDTH);
  cairo_stroke (c->cr);

  if (s->joined)
    draw_line (c, b, s);
  if (s->marker != VESICLE_MARKER_NONE)
    draw_markers (c, b, s, s->marker, errorbar_marker_size (c), 1.0);
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

  ellipse_points (s, ex, ey, ELLIPSE_POINTS);
  for (guint i = 0; i < ELLIPSE_POINTS; i++)
    {
      Point p = { px (b, ex[i]), py (b, ey[i]) };

      if (!isfinite (p.x) || !isfinite (p.y))
        return;  /* part of it below zero on a log axis: no honest way to draw it */
      g_array_append_val (pts, p);
    }
  if (s->alpha > 0.0)
    {
      polygon_path (c->cr, &r, pts);
      set_color (c, s->color, s->alpha);
      cairo_fill (c->cr);
    }
  pen_init (&pen, c->cr, r);
  for (guint i = 0; i <= ELLIPSE_POINTS; i++)
    {
      Point p = g_array_index (pts, Point, i % ELLIPSE_POINTS);

      pen_to (&pen, p.x, p.y);
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

  pen_init (&pen, c->cr, box_rect (b, 4.0));
  for (guint i = 0; i <= n; i++)
    {
      double x = vesicle_scale_unmap (&b->xs, (double) i / n);

      pen_to (&pen, b->x + b->w * i / n, py (b, vesicle_series_reference_y (b->panel, s, x)));
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

static gboolean
series_drawable (const VesiclePanel  *panel,
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

static void
draw_series (Ctx                 *c,
             const Box           *b,
             const VesicleSeries *s)
{
  if (!series_drawable (b->panel, s))
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
  if (!clip_segment (&sm->area, &ax, &ay, &bx, &by))
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
  if (!series_drawable (b->panel, s))
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
            ellipse_points (&inner, ex, ey, ELLIPSE_POINTS);
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

static void
legend_measure (Ctx *c,
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

      text_init (&t, c, vesicle_series_key (s), 1.0);
      w = MAX (w, t.w);
      h += MAX (t.h, c->fs) + (i > 0 ? legend_row_gap (c) : 0.0);
    }
  b->lg_w = 2.0 * legend_pad (c) + legend_swatch_width (c) + 0.5 * c->fs + w;
  b->lg_h = 2.0 * legend_pad (c) + h;
}

/* The height a legend under its panel adds to its row. */
static double
legend_band (Ctx       *c,
             const Box *b)
{
  return 0.4 * c->fs + b->lg_h;
}

/* Top-left corner of the legend at inside position @loc (0..7) or outside: right of the
 * plotting area, or in a reflowed grid under the x label. */
static Point
legend_origin (Ctx       *c,
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
static Point
keep_inside (Ctx    *c,
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
static void
annotation_text (Ctx                     *c,
                 const Box               *b,
                 const VesicleAnnotation *a,
                 Text                    *t)
{
  text_init (t, c, a->markup, 1.0);
  text_fit (t, b->w, a->fx < 1.0 / 3.0 ? PANGO_ALIGN_LEFT
                     : a->fx > 2.0 / 3.0 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER);
}

static Rect
annotation_rect (Ctx                     *c,
                 const Box               *b,
                 const VesicleAnnotation *a,
                 const Text              *t)
{
  Point o = keep_inside (c, b->x + a->fx * b->w - a->fx * t->w,
                         b->y + (1.0 - a->fy) * b->h - (1.0 - a->fy) * t->h, t->w, t->h);

  return (Rect) { o.x, o.y, o.x + t->w, o.y + t->h };
}

static void
legend_place (Ctx *c,
              Box *b)
{
  g_autoptr(GArray) pts = NULL;
  g_autoptr(GArray) notes = NULL;
  VesiclePanel *panel = b->panel;
  Samples sm;
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
  affordable = c->below ? legend_band (c, b) <= 0.5 * b->h
               : b->lg_w + 0.6 * c->fs <= 0.5 * b->w;

  pts = g_array_new (FALSE, FALSE, sizeof (Point));
  sm = (Samples) { pts, box_rect (b, 0.0), MAX (0.01 * MAX (b->w, b->h), 0.5) };
  for (guint j = 0; j < panel->series->len; j++)
    sample_series (&sm, b, g_ptr_array_index (panel->series, j));
  notes = g_array_new (FALSE, FALSE, sizeof (Rect));
  for (guint j = 0; j < panel->annotations->len; j++)
    {
      const VesicleAnnotation *a = g_ptr_array_index (panel->annotations, j);
      g_auto(Text) t = { 0 };
      Rect r;

      annotation_text (c, b, a, &t);
      r = annotation_rect (c, b, a, &t);
      g_array_append_val (notes, r);
    }

  for (int loc = 0; loc < 8; loc++)
    {
      Point o = legend_origin (c, b, loc);
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
      set_color (c, s->color, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH);
      set_dash (cr, s->dash, LINE_WIDTH);
      cairo_stroke (cr);
      break;
    case VESICLE_SERIES_SCATTER:
      /* faint markers read as a cloud in the panel but would vanish alone in the legend */
      set_color (c, s->color, MAX (s->alpha, 0.7));
      marker_path (cr, s->marker, cx, cy, CLAMP (s->size_pt, 0.4 * c->fs, h));
      cairo_fill (cr);
      break;
    case VESICLE_SERIES_BAND:
      set_color (c, s->color, s->alpha);
      cairo_rectangle (cr, x, cy - 0.35 * h, w, 0.7 * h);
      cairo_fill (cr);
      break;
    case VESICLE_SERIES_ERRORBARS:
      set_color (c, s->color, 1.0);
      cairo_set_line_width (cr, ERRORBAR_WIDTH);
      if (s->y_low != NULL || s->y_high != NULL)
        {
          double cap = 0.5 * errorbar_marker_size (c), top = y + 0.1 * h, bottom = y + 0.9 * h;

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
          marker_path (cr, s->marker, cx, cy, errorbar_marker_size (c));
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
          set_color (c, s->color, s->alpha);
          cairo_fill_preserve (cr);
        }
      set_color (c, s->color, 1.0);
      cairo_set_line_width (cr, LINE_WIDTH);
      set_dash (cr, s->dash, LINE_WIDTH);
      cairo_stroke (cr);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);
}

static void
legend_draw (Ctx       *c,
             const Box *b)
{
  Point o;
  double y;

  if (b->legend == NULL || b->legend_loc == LEGEND_NONE)
    return;
  o = legend_origin (c, b, b->legend_loc);
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

      text_init (&t, c, vesicle_series_key (s), 1.0);
      row_h = MAX (t.h, c->fs);
      legend_swatch (c, s, o.x + legend_pad (c), y + 0.5 * (row_h - c->fs),
                     legend_swatch_width (c), c->fs);
      text_show (c, &t, o.x + legend_pad (c) + legend_swatch_width (c) + 0.5 * c->fs,
                 y + 0.5 * (row_h - t.h), c->fg);
      y += row_h + legend_row_gap (c);
    }
}

/* ---- ticks and margins ----------------------------------------------------------------- */

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
          text_init (&text, c, t->label, 1.0);
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

typedef struct {
  double max_w;       /* widest label */
  double max_base;    /* tallest part above the baseline */
  double max_desc;    /* deepest part below it */
  double first_over;  /* how far the first label sticks out before the axis start (x: left) */
  double last_over;   /* and past its end */
} TickExtents;

static TickExtents
measure_ticks (Ctx                *c,
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
      text_init (&text, c, t->label, 1.0);
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
  text_init (&t, c, markup, scale);
  return t.h;
}

/* The panel's title in @t and the x of its left edge: centred over the plotting area, or, when
 * it is wider than its cell beside the letter (a long title in a narrow column), wrapped and
 * kept inside the cell, clear of the letter and of the next column. FALSE for no title. */
static gboolean
title_init (Ctx       *c,
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

      text_init (&letter, c, b->letter, 1.0);
      left += letter.w + 0.5 * c->fs;
    }
  text_init (t, c, b->panel->title, 1.0);
  *x = b->x + 0.5 * (b->w - t->w);
  if (text_fit (t, b->cell_right - left, PANGO_ALIGN_CENTER))
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
  if (title_init (c, b, &title, &x))
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
static void
measure_panel (Ctx                *c,
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
      legend_measure (c, b);
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
  ex = measure_ticks (c, b->xt, &b->xs, b->w, TRUE);
  ey = measure_ticks (c, b->yt, &b->ys, b->h, FALSE);

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
  legend_measure (c, b);
  if (b->legend_outside && !c->below)
    b->m_right = MAX (b->m_right, 0.6 * fs + b->lg_w);

  head = header_height (c, b);
  b->m_top = MAX (head > 0.0 ? head + 0.4 * fs : 0.3 * fs, b->y_ticklabels ? ey.last_over : 0.0);
}

/* ---- drawing a panel ------------------------------------------------------------------- */

static void
draw_axes (Ctx *c,
           Box *b)
{
  cairo_t *cr = c->cr;
  double fs = c->fs, tl = TICK_LENGTH (fs), pad = TICK_PAD (fs);
  double bottom = b->y + b->h;
  TickExtents ex = measure_ticks (c, b->xt, &b->xs, b->w, TRUE);

  cairo_save (cr);
  set_color (c, c->fg, 1.0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_line_width (cr, AXIS_WIDTH);
  cairo_move_to (cr, b->x, b->y);
  cairo_line_to (cr, b->x, bottom);
  cairo_line_to (cr, b->x + b->w, bottom);
  cairo_stroke (cr);

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (int major = 0; major <= 1; major++)
    {
      double len = major ? tl : 0.6 * tl;

      for (guint i = 0; i < b->xt->len; i++)
        {
          VesicleTick *t = &g_array_index (b->xt, VesicleTick, i);
          double x = px (b, t->value);

          if (t->major != major)
            continue;
          cairo_move_to (cr, x, bottom);
          cairo_line_to (cr, x, bottom + len);
        }
      for (guint i = 0; i < b->yt->len; i++)
        {
          VesicleTick *t = &g_array_index (b->yt, VesicleTick, i);
          double y = py (b, t->value);

          if (t->major != major)
            continue;
          cairo_move_to (cr, b->x, y);
          cairo_line_to (cr, b->x - len, y);
        }
      cairo_set_line_width (cr, major ? AXIS_WIDTH : MINOR_WIDTH);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  if (b->x_ticklabels)
    for (guint i = 0; i < b->xt->len; i++)
      {
        VesicleTick *t = &g_array_index (b->xt, VesicleTick, i);
        g_auto(Text) text = { 0 };

        if (t->label == NULL)
          continue;
        text_init (&text, c, t->label, 1.0);
        /* baselines in one line, whatever superscripts raise some of them */
        text_show (c, &text, px (b, t->value) - 0.5 * text.w,
                   bottom + tl + pad + ex.max_base - text.base, c->fg);
      }
  if (b->y_ticklabels)
    for (guint i = 0; i < b->yt->len; i++)
      {
        VesicleTick *t = &g_array_index (b->yt, VesicleTick, i);
        g_auto(Text) text = { 0 };

        if (t->label == NULL)
          continue;
        text_init (&text, c, t->label, 1.0);
        /* the digits' middle on the tick, not the middle of a box a superscript made taller */
        text_show (c, &text, b->x - tl - pad - text.w,
                   py (b, t->value) - text.base + DIGIT_HALF_HEIGHT (c->fs), c->fg);
      }
}

static void
draw_labels (Ctx *c,
             Box *b)
{
  cairo_t *cr = c->cr;

  if (b->show_xlabel)
    {
      g_auto(Text) t = { 0 };
      Point o;

      text_init (&t, c, b->x_label, 1.0);
      o = keep_inside (c, b->x + 0.5 * (b->w - t.w), b->xlabel_top - t.h, t.w, t.h);
      text_show (c, &t, o.x, o.y, c->fg);
    }
  if (b->show_ylabel)
    {
      g_auto(Text) t = { 0 };

      text_init (&t, c, b->y_label, 1.0);
      cairo_save (cr);
      cairo_translate (cr, b->cell_left, b->y + 0.5 * b->h);
      cairo_rotate (cr, -G_PI / 2.0);
      text_show (c, &t, -0.5 * t.w, 0.0, c->fg);
      cairo_restore (cr);
    }

  /* letter at the column's left edge and title centred, on one baseline above the area (a
   * wrapped title's last line) */
  if (b->letter != NULL || b->panel->title != NULL)
    {
      g_auto(Text) letter = { 0 };
      g_auto(Text) title = { 0 };
      double desc = 0.0, baseline, title_x = 0.0;

      if (b->letter != NULL)
        {
          text_init (&letter, c, b->letter, 1.0);
          desc = letter.h - letter.base;
        }
      if (title_init (c, b, &title, &title_x))
        desc = MAX (desc, title.h - title.last_base);
      baseline = b->y - 0.4 * c->fs - desc;
      if (letter.layout != NULL)
        text_show (c, &letter, b->cell_left, baseline - letter.base, c->fg);
      if (title.layout != NULL)
        {
          Point o = keep_inside (c, title_x, baseline - title.last_base, title.w, title.h);

          text_show (c, &title, o.x, o.y, c->fg);
        }
    }
}

static void
draw_annotations (Ctx *c,
                  Box *b)
{
  for (guint j = 0; j < b->panel->annotations->len; j++)
    {
      const VesicleAnnotation *a = g_ptr_array_index (b->panel->annotations, j);
      g_auto(Text) t = { 0 };
      Rect r;

      annotation_text (c, b, a, &t);
      r = annotation_rect (c, b, a, &t);
      text_show (c, &t, r.x0, r.y0, a->color);
    }
}

static guint
covered_samples (const GArray *pts,
                 Rect          r)
{
  guint n = 0;

  for (guint i = 0; i < pts->len; i++)
    {
      Point p = g_array_index (pts, Point, i);

      n += p.x > r.x0 && p.x < r.x1 && p.y > r.y0 && p.y < r.y1;
    }
  return n;
}

/* The panel's legend and annotations as drawn, with the data samples under each, for
 * vesicle_plot_get_drawn_boxes. */
static void
record_boxes (Ctx    *c,
              Box    *b,
              GArray *out)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (Point));
  Samples sm = { pts, box_rect (b, 0.0), MAX (0.01 * MAX (b->w, b->h), 0.5) };

  /* a key's series are not drawn */
  for (guint j = 0; j < b->panel->series->len && !b->panel->legend_only; j++)
    sample_series (&sm, b, g_ptr_array_index (b->panel->series, j));
  if (b->legend != NULL && b->legend_loc != LEGEND_NONE)
    {
      Point o = legend_origin (c, b, b->legend_loc);
      Rect r = { o.x, o.y, o.x + b->lg_w, o.y + b->lg_h };
      VesiclePlotDrawnBox d = { b->index, FALSE, b->legend_loc == LEGEND_OUTSIDE,
                                r.x0, r.y0, r.x1, r.y1, covered_samples (pts, r) };

      g_array_append_val (out, d);
    }
  for (guint j = 0; j < b->panel->annotations->len; j++)
    {
      const VesicleAnnotation *a = g_ptr_array_index (b->panel->annotations, j);
      g_auto(Text) t = { 0 };
      Rect r;
      VesiclePlotDrawnBox d;

      annotation_text (c, b, a, &t);
      r = annotation_rect (c, b, a, &t);
      d = (VesiclePlotDrawnBox) { b->index, TRUE, FALSE, r.x0, r.y0, r.x1, r.y1,
                                  covered_samples (pts, r) };
      g_array_append_val (out, d);
    }
}

static void
draw_panel (Ctx *c,
            Box *b)
{
  cairo_t *cr = c->cr;

  if (b->panel->legend_only)
    {
      legend_draw (c, b);
      return;
    }
  cairo_save (cr);
  cairo_rectangle (cr, b->x, b->y, b->w, b->h);
  cairo_clip (cr);
  for (guint j = 0; j < b->panel->series->len; j++)
    draw_series (c, b, g_ptr_array_index (b->panel->series, j));
  cairo_restore (cr);

  draw_axes (c, b);
  draw_labels (c, b);
  legend_draw (c, b);
  draw_annotations (c, b);
}

/* ---- the figure ------------------------------------------------------------------------ */

static void
box_clear (Box *b)
{
  g_clear_pointer (&b->xt, g_array_unref);
  g_clear_pointer (&b->yt, g_array_unref);
  g_clear_pointer (&b->legend, g_ptr_array_unref);
  g_clear_pointer (&b->letter, g_free);
}

static gboolean
has_text (const char *markup)
{
  return markup != NULL && *markup != '\0';
}

/* The nearest visible panel below (@down) or left of @panel in the grid as built; NULL at the
 * edge. */
static VesiclePanel *
built_neighbour (VesiclePlot  *plot,
                 VesiclePanel *panel,
                 gboolean      down)
{
  guint C = plot->columns;

  if (down)
    {
      for (guint r = panel->row + 1; r < plot->rows; r++)
        if (!plot->panels[r * C + panel->column].hidden)
          return &plot->panels[r * C + panel->column];
    }
  else
    {
      for (guint col = panel->column; col-- > 0;)
        if (!plot->panels[panel->row * C + col].hidden)
          return &plot->panels[panel->row * C + col];
    }
  return NULL;
}

/* The label the grid as built showed for @panel's unlabelled x (y) axis: a figure labels a
 * column's x axis once at the bottom and a row's y axis once on the left, so the nearest
 * labelled panel below (to the left) on the same kind of scale. */
static const char *
built_label (VesiclePlot  *plot,
             VesiclePanel *panel,
             gboolean      x)
{
  for (VesiclePanel *q = built_neighbour (plot, panel, x); q != NULL;
       q = built_neighbour (plot, q, x))
    {
      if (x ? q->x_kind != panel->x_kind : q->y_kind != panel->y_kind)
        return NULL;
      if (has_text (x ? q->x_label : q->y_label))
        return x ? q->x_label : q->y_label;
    }
  return NULL;
}

/* The panel in the layout's cell (@row, @column); NULL outside the grid or in an empty cell. */
static VesiclePanel *
layout_panel (VesiclePlot         *plot,
              const VesicleLayout *layout,
              guint                row,
              guint                column)
{
  int p;

  if (row >= layout->rows || column >= layout->columns)
    return NULL;
  p = layout->cells[row * layout->columns + column];
  return p < 0 ? NULL : &plot->panels[p];
}

/* Reflowed, a panel keeps what it left to a neighbour (tick labels under sharing, an axis label
 * the figure gave only once per row or column) only while that neighbour is still beside it;
 * elsewhere it shows its own tick labels and the label its neighbour carried. Limits stay
 * shared as built, so a panel beside its neighbour reads off the neighbour's labels as before. */
static void
decide_labels_reflowed (VesiclePlot         *plot,
                        const VesicleLayout *layout,
                        Box                 *b)
{
  VesiclePanel *panel = b->panel;
  VesiclePanel *below = layout_panel (plot, layout, b->row + 1, b->column);
  VesiclePanel *left = b->column > 0 ? layout_panel (plot, layout, b->row, b->column - 1) : NULL;
  gboolean below_kept = below != NULL && below == built_neighbour (plot, panel, TRUE)
                        && below->x_kind == panel->x_kind;
  gboolean left_kept = left != NULL && left == built_neighbour (plot, panel, FALSE)
                       && left->y_kind == panel->y_kind;

  b->x_label = has_text (panel->x_label) || below_kept ? panel->x_label
               : built_label (plot, panel, TRUE);
  b->y_label = has_text (panel->y_label) || left_kept ? panel->y_label
               : built_label (plot, panel, FALSE);
  b->show_xlabel = has_text (b->x_label);
  b->show_ylabel = has_text (b->y_label);
  b->x_ticklabels = !(plot->share_x && below_kept);
  b->y_ticklabels = !(plot->share_y && left_kept);
  if (!b->x_ticklabels && g_strcmp0 (below->x_label, b->x_label) == 0)
    b->show_xlabel = FALSE;
  if (!b->y_ticklabels && g_strcmp0 (left->y_label, b->y_label) == 0)
    b->show_ylabel = FALSE;
}

/* Which labels each visible panel shows under sharing: tick labels only on the bottom (left)
 * visible panel of a shared column (row); an axis label there too unless it says something
 * different from the one shown. */
static void
decide_labels (VesiclePlot         *plot,
               const VesicleLayout *layout,
               Box                 *boxes)
{
  guint R = plot->rows, C = plot->columns;

  for (guint p = 0; p < R * C; p++)
    {
      Box *b = &boxes[p];
      VesiclePanel *panel = b->panel;

      if (panel->hidden)
        continue;
      if (layout->reflowed)
        {
          decide_labels_reflowed (plot, layout, b);
          continue;
        }
      b->x_label = panel->x_label;
      b->y_label = panel->y_label;
      b->x_ticklabels = b->y_ticklabels = TRUE;
      b->show_xlabel = has_text (panel->x_label);
      b->show_ylabel = has_text (panel->y_label);
      if (plot->share_x)
        for (guint r = panel->row + 1; r < R; r++)
          {
            VesiclePanel *below = &plot->panels[r * C + panel->column];

            if (below->hidden || below->x_kind != panel->x_kind)
              continue;
            b->x_ticklabels = FALSE;
            if (b->show_xlabel && g_strcmp0 (below->x_label, panel->x_label) == 0)
              b->show_xlabel = FALSE;
            break;
          }
      if (plot->share_y)
        for (guint col = panel->column; col-- > 0;)
          {
            VesiclePanel *left = &plot->panels[panel->row * C + col];

            if (left->hidden || left->y_kind != panel->y_kind)
              continue;
            b->y_ticklabels = FALSE;
            if (b->show_ylabel && g_strcmp0 (left->y_label, panel->y_label) == 0)
              b->show_ylabel = FALSE;
            break;
          }
    }
}

typedef struct {
  double *L, *Rm, *T, *B;   /* (columns), (columns), (rows), (rows) */
  double *band;             /* (rows): below B, legends put under their panels */
} Margins;

/* Places every plotting area from the layout's column and row margins. */
static void
place_boxes (const VesicleLayout *layout,
             Box                 *boxes,
             const Margins       *m,
             double               width,
             double               height,
             double               title_h,
             double               fs)
{
  guint R = layout->rows, C = layout->columns;
  double hgap = 1.0 * fs, vgap = 0.8 * fs;
  double sum_w = 0.0, sum_h = 0.0, w, h, x, y;

  for (guint c = 0; c < C; c++)
    sum_w += m->L[c] + m->Rm[c];
  for (guint r = 0; r < R; r++)
    sum_h += m->T[r] + m->B[r] + m->band[r];
  w = MAX ((width - 2.0 * OUTER - sum_w - (C - 1) * hgap) / C, 4.0);
  h = MAX ((height - 2.0 * OUTER - title_h - sum_h - (R - 1) * vgap) / R, 4.0);

  y = OUTER + title_h;
  for (guint r = 0; r < R; r++)
    {
      x = OUTER;
      for (guint c = 0; c < C; c++)
        {
          int p = layout->cells[r * C + c];
          Box *b = p >= 0 ? &boxes[p] : NULL;

          if (b != NULL)
            {
              b->cell_left = x;
              b->cell_right = x + m->L[c] + w + m->Rm[c];
              b->x = x + m->L[c];
              b->y = y + m->T[r];
              b->w = w;
              b->h = h;
              b->xlabel_top = b->y + h + m->B[r];
              b->band_top = b->xlabel_top + 0.4 * fs;
            }
          x += m->L[c] + w + m->Rm[c] + hgap;
        }
      y += m->T[r] + h + m->B[r] + m->band[r] + vgap;
    }
}

/* The figure's title, a little larger than the rest, on as many lines as the width needs. */
static void
plot_title_init (Ctx         *c,
                 VesiclePlot *plot,
                 Text        *t)
{
  text_init (t, c, plot->title, 1.15);
  text_fit (t, c->width - 2.0 * OUTER, PANGO_ALIGN_CENTER);
}

void
vesicle_plot_render (VesiclePlot *plot,
                     cairo_t     *cr,
                     double       width,
                     double       height,
                     VesicleTheme theme)
{
  g_auto(VesicleLayout) layout = { 0 };
  guint R, C, N;
  g_autofree VesicleScale *xs = NULL;
  g_autofree VesicleScale *ys = NULL;
  g_autofree Box *boxes = NULL;
  g_autofree double *margin_store = NULL;
  Margins m;
  Ctx c = { 0 };
  double title_h = 0.0;

  g_return_if_fail (plot != NULL);
  g_return_if_fail (cr != NULL);

  /* N panels as built; R x C the grid they are drawn in */
  N = plot->rows * plot->columns;
  vesicle_plot_layout_init (&layout, plot, width);
  R = layout.rows;
  C = layout.columns;
  c.cr = cr;
  c.width = width;
  c.height = height;
  c.theme = theme;
  c.fs = plot->font_size;
  if (theme == VESICLE_THEME_DARK)
    {
      /* libadwaita's dark card (8% white over the #242424 window): figures sit on cards */
      c.bg = (VesicleColor) { 0.212, 0.212, 0.212 };
      c.fg = (VesicleColor) { 0.90, 0.90, 0.90 };
    }
  else
    {
      c.bg = (VesicleColor) { 1.0, 1.0, 1.0 };
      c.fg = (VesicleColor) { 0.0, 0.0, 0.0 };
    }
  c.font_options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (c.font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (c.font_options, CAIRO_HINT_STYLE_NONE);

  cairo_save (cr);
  cairo_rectangle (cr, 0.0, 0.0, width, height);
  cairo_set_source_rgb (cr, c.bg.r, c.bg.g, c.bg.b);
  cairo_fill (cr);

  xs = g_new0 (VesicleScale, N);
  ys = g_new0 (VesicleScale, N);
  vesicle_plot_resolve_limits (plot, xs, ys);

  boxes = g_new0 (Box, N);
  for (guint p = 0; p < N; p++)
    {
      Box *b = &boxes[p];
      VesiclePanel *panel = &plot->panels[p];

      b->panel = panel;
      b->index = p;
      b->legend_loc = LEGEND_NONE;
      b->row = panel->row;
      b->column = panel->column;
      if (plot->letters && !panel->hidden)
        {
          g_autofree char *letter = vesicle_panel_letter (panel);

          b->letter = g_strdup_printf ("<b>%s</b>", letter);   /* a bold "a", as the paper's figures */
        }
      if (panel->legend)
        for (guint j = 0; j < panel->series->len; j++)
          {
            VesicleSeries *s = g_ptr_array_index (panel->series, j);

            if (vesicle_series_key (s) == NULL)
              continue;
            if (b->legend == NULL)
              b->legend = g_ptr_array_new ();
            g_ptr_array_add (b->legend, s);
          }
    }
  for (guint i = 0; i < R * C; i++)
    if (layout.cells[i] >= 0)
      {
        boxes[layout.cells[i]].row = i / C;
        boxes[layout.cells[i]].column = i % C;
      }
  decide_labels (plot, &layout, boxes);

  if (plot->title != NULL)
    {
      g_auto(Text) t = { 0 };

      plot_title_init (&c, plot, &t);
      title_h = t.h + 0.5 * c.fs;
    }

  /* a reflowed figure grows downwards: a legend that cannot stay inside goes under its panel,
   * where it costs its row some height, rather than right of it, where it would narrow every
   * column (plotting areas share one width) and push the next legend out too */
  c.below = layout.reflowed;
  margin_store = g_new0 (double, 2 * (R + C) + R);
  m = (Margins) { margin_store, margin_store + C, margin_store + 2 * C, margin_store + 2 * C + R,
                  margin_store + 2 * (C + R) };
  /* a first guess, typical of a labelled axis */
  for (guint col = 0; col < C; col++)
    {
      m.L[col] = 4.5 * c.fs;
      m.Rm[col] = 0.5 * c.fs;
    }
  for (guint r = 0; r < R; r++)
    {
      m.T[r] = 1.5 * c.fs;
      m.B[r] = 3.5 * c.fs;
    }

  for (guint iter = 0; iter < 8; iter++)
    {
      g_autofree double *need = g_new0 (double, 2 * (R + C) + R);
      Margins n = { need, need + C, need + 2 * C, need + 2 * C + R, need + 2 * (C + R) };
      gboolean grew = FALSE;

      place_boxes (&layout, boxes, &m, width, height, title_h, c.fs);
      for (guint p = 0; p < N; p++)
        {
          Box *b = &boxes[p];

          if (b->panel->hidden)
            continue;
          measure_panel (&c, b, &xs[p], &ys[p]);
          legend_place (&c, b);
          if (b->legend_outside && !c.below)
            b->m_right = MAX (b->m_right, 0.6 * c.fs + b->lg_w);
          if (b->legend_outside && c.below)
            n.band[b->row] = MAX (n.band[b->row], legend_band (&c, b));
          n.L[b->column] = MAX (n.L[b->column], b->m_left);
          n.Rm[b->column] = MAX (n.Rm[b->column], b->m_right);
          n.T[b->row] = MAX (n.T[b->row], b->m_top);
          n.B[b->row] = MAX (n.B[b->row], b->m_bottom);
        }
      /* two free passes, then margins only grow: done when nothing needs more room */
      for (guint i = 0; i < 2 * (R + C) + R; i++)
        {
          double v = iter < 2 ? need[i] : MAX (need[i], margin_store[i]);

          grew |= v > margin_store[i] + 1e-6 || (iter < 2 && v != margin_store[i]);
          margin_store[i] = v;
        }
      if (!grew && iter >= 2)
        break;
    }

  if (plot->drawn_boxes == NULL)
    plot->drawn_boxes = g_array_new (FALSE, FALSE, sizeof (VesiclePlotDrawnBox));
  g_array_set_size (plot->drawn_boxes, 0);
  for (guint p = 0; p < N; p++)
    if (!boxes[p].panel->hidden)
      {
        draw_panel (&c, &boxes[p]);
        record_boxes (&c, &boxes[p], plot->drawn_boxes);
      }

  if (plot->title != NULL)
    {
      g_auto(Text) t = { 0 };

      plot_title_init (&c, plot, &t);
      text_show (&c, &t, 0.5 * (width - t.w), OUTER, c.fg);
    }

  for (guint p = 0; p < N; p++)
    box_clear (&boxes[p]);
  cairo_font_options_destroy (c.font_options);
  cairo_restore (cr);
}
