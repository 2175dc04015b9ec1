/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the renderer's files (vesicle-plot-render.c and the text, clip, series, legend and
 * layout files beside it): the drawing context, a panel's box, and the helpers each section
 * offers the others. Not for figure code.
 */
#pragma once

#include "vesicle-plot-private.h"

#include <pango/pangocairo.h>

G_BEGIN_DECLS

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
  GString              *svg_text;       /* for an SVG: text as <text> elements, not glyphs */
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

typedef struct {
  double x, y;
} Point;

/* Builds a polyline on the Cairo path, clipping each segment and breaking at NaN vertices. */
typedef struct {
  cairo_t *cr;
  Rect     clip;
  gboolean has_prev, drawing;
  double   px, py;   /* the previous vertex */
  double   ex, ey;   /* where the path ends now */
} Pen;

typedef struct {
  double max_w;       /* widest label */
  double max_base;    /* tallest part above the baseline */
  double max_desc;    /* deepest part below it */
  double first_over;  /* how far the first label sticks out before the axis start (x: left) */
  double last_over;   /* and past its end */
} TickExtents;

#define ELLIPSE_POINTS 144

/* A value's position on the page, and the plotting area as a rectangle grown by @grow. */
static inline double
px (const Box *b,
    double     v)
{
  return b->x + vesicle_scale_map (&b->xs, v) * b->w;
}

static inline double
py (const Box *b,
    double     v)
{
  return b->y + b->h - vesicle_scale_map (&b->ys, v) * b->h;
}

static inline Rect
box_rect (const Box *b,
          double     grow)
{
  return (Rect) { b->x - grow, b->y - grow, b->x + b->w + grow, b->y + b->h + grow };
}

/* ---- Text (vesicle-plot-text.c) */

void
render_text_clear (Text *t);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Text, render_text_clear)

void
render_text_init (Text       *t,
                  Ctx        *c,
                  const char *markup,
                  double      scale);

/* Wraps @t at spaces when it is wider than @max_w, in lines as even as they go (the narrowest
 * width that needs no more lines than @max_w does: "slope −0.25" over "[−0.26, −0.24]", not a
 * full line over a lone "−0.24]"). For text a narrow panel cannot hold on one line: a title,
 * an annotation. Returns whether it wrapped; a single word stays whole and may stick out. */
gboolean
render_text_fit (Text           *t,
                 double          max_w,
                 PangoAlignment  alignment);

void
render_set_color (Ctx          *c,
                  VesicleColor  color,
                  double        alpha);

void
render_text_show (Ctx          *c,
                  Text         *t,
                  double        x,
                  double        y,
                  VesicleColor  color);

/* ---- Geometry and clipping (vesicle-plot-clip.c) */

/* Liang–Barsky: clips the segment a-b to @r; FALSE when nothing is left. */
gboolean
render_clip_segment (const Rect *r,
                     double     *ax,
                     double     *ay,
                     double     *bx,
                     double     *by);

void
render_pen_init (Pen     *pen,
                 cairo_t *cr,
                 Rect     clip);

void
render_pen_to (Pen    *pen,
               double  x,
               double  y);

/* Adds the polygon @pts clipped to @r to the Cairo path. */
void
render_polygon_path (cairo_t    *cr,
                     const Rect *r,
                     GArray     *pts);

void
render_set_dash (cairo_t     *cr,
                 VesicleDash  dash,
                 double       width);

/* Adds one marker of diameter @size centred on (x, y) to the path. */
void
render_marker_path (cairo_t       *cr,
                    VesicleMarker  marker,
                    double         x,
                    double         y,
                    double         size);

/* The n-sigma contour in data units: eigen-decomposition of the 2x2 covariance, semi-axes
 * n sqrt(lambda) along the eigenvectors. (N) points. */
void
render_ellipse_points (const VesicleSeries *s,
                       double              *ex,
                       double              *ey,
                       guint                N);

/* ---- Series (vesicle-plot-series.c) */

double
render_errorbar_marker_size (Ctx *c);

gboolean
render_series_drawable (const VesiclePanel  *panel,
                        const VesicleSeries *s);

void
render_draw_series (Ctx                 *c,
                    const Box           *b,
                    const VesicleSeries *s);

/* ---- Where the data is, and legends (vesicle-plot-legend.c) */

/* Where @b's data lies on the page (Point): every marker, and points every 1% of the panel
 * along lines and through filled areas, inside the plotting area. The legend is placed, and
 * the drawn boxes are checked, against these. */
GArray *
render_sample_panel (const Box *b);

void
render_legend_measure (Ctx *c,
                       Box *b);

/* The height a legend under its panel adds to its row. */
double
render_legend_band (Ctx       *c,
                    const Box *b);

/* Top-left corner of the legend at inside position @loc (0..7) or outside: right of the
 * plotting area, or in a reflowed grid under the x label. */
Point
render_legend_origin (Ctx       *c,
                      const Box *b,
                      int        loc);

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
                    double  h);

/* An annotation's text, wrapped when the plotting area is narrower than it (a figure sized its
 * notes for the panels it was designed with; a narrow window or export gives it less), its
 * lines against the side it is placed at. */
void
render_annotation_text (Ctx                     *c,
                        const Box               *b,
                        const VesicleAnnotation *a,
                        Text                    *t);

Rect
render_annotation_rect (Ctx                     *c,
                        const Box               *b,
                        const VesicleAnnotation *a,
                        const Text              *t);

void
render_legend_place (Ctx *c,
                     Box *b);

void
render_legend_draw (Ctx       *c,
                    const Box *b);

/* ---- Ticks and margins (vesicle-plot-layout.c) */

TickExtents
render_measure_ticks (Ctx                *c,
                      GArray             *ticks,
                      const VesicleScale *scale,
                      double              length,
                      gboolean            horizontal);

/* The panel's title in @t and the x of its left edge: centred over the plotting area, or, when
 * it is wider than its cell beside the letter (a long title in a narrow column), wrapped and
 * kept inside the cell, clear of the letter and of the next column. FALSE for no title. */
gboolean
render_title_init (Ctx       *c,
                   const Box *b,
                   Text      *t,
                   double    *x);

/* Ticks for the current size, and the room the panel needs round its plotting area. */
void
render_measure_panel (Ctx                *c,
                      Box                *b,
                      const VesicleScale *xs,
                      const VesicleScale *ys);

G_END_DECLS
