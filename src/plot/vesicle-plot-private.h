/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the plotting library's files: the data model (vesicle-plot.c) that the renderer
 * (vesicle-plot-render.c) and the exporters (vesicle-plot-export.c) read. Not for figure code.
 */
#pragma once

#include "vesicle-plot.h"

G_BEGIN_DECLS

typedef enum {
  VESICLE_SERIES_LINE,
  VESICLE_SERIES_SCATTER,
  VESICLE_SERIES_BAND,
  VESICLE_SERIES_ERRORBARS,
  VESICLE_SERIES_ELLIPSE,
  VESICLE_SERIES_REFERENCE,
  VESICLE_SERIES_HLINE,
} VesicleSeriesKind;

typedef struct {
  VesicleSeriesKind kind;
  char             *legend;      /* markup or NULL: the series' name (its CSV column too) */
  gboolean          key_set;     /* the legend shows key instead of the name */
  char             *key;         /* markup, or NULL for no entry in the legend */
  VesicleColor      color;
  VesicleDash       dash;
  VesicleMarker     marker;
  double            size_pt;     /* scatter marker diameter */
  double            alpha;       /* scatter and band opacity; ellipse fill opacity */
  gboolean          joined;      /* error bars: markers joined by a solid line */
  gsize             n;
  double           *x;           /* (n) */
  double           *y;           /* (n); NULL for bands */
  double           *y_low;       /* (n); bands and error bars, NULL otherwise */
  double           *y_high;      /* (n) */
  /* ellipses: mean and covariance; references: the point (x0, y0) and the slope; hlines: y0 */
  double            cx, cy, cxx, cxy, cyy, n_sigma;
  double            x0, y0, slope;
} VesicleSeries;

typedef struct {
  double        fx, fy;
  char         *markup;
  VesicleColor  color;
} VesicleAnnotation;

struct _VesiclePanel {
  VesiclePlot      *plot;
  guint             row, column;
  VesicleScaleKind  x_kind, y_kind;
  char             *x_label, *y_label, *title;
  double            x_lo, x_hi, y_lo, y_hi;  /* fixed limits, NaN for "from the data" */
  gboolean          equal_aspect;
  gboolean          x_whole;                 /* ticks at whole numbers only */
  gboolean          hidden;
  gboolean          legend;
  gboolean          legend_only;             /* a key for its neighbours: no axes, no data */
  GPtrArray        *series;                  /* (VesicleSeries) */
  GPtrArray        *annotations;             /* (VesicleAnnotation) */
};

/* A legend or annotation as the last render drew it, and how many samples of the panel's data
 * (every marker, points every 1% of the panel along lines and through filled areas) lie under
 * it: the renderer's own account, which tests hold to zero. */
typedef struct {
  guint    panel;      /* index into plot->panels */
  gboolean annotation; /* else the legend */
  gboolean outside;    /* a legend placed outside the plotting area */
  double   x0, y0, x1, y1;
  guint    covered;
} VesiclePlotDrawnBox;

struct _VesiclePlot {
  GArray        *drawn_boxes;                /* (VesiclePlotDrawnBox) of the last render */
  guint          rows, columns;
  VesiclePanel  *panels;                     /* (rows * columns), row-major */
  char          *title;
  gboolean       letters;
  gboolean       share_x, share_y;
  double         font_size;                  /* points */
  double         aspect;                     /* height / width; <= 0 for the default */
};

/* Fraction of the data range added on each side of automatic limits (matplotlib's 5%). */
#define VESICLE_PLOT_PADDING 0.05

/* The grid a plot is drawn in at some width: its own (hidden cells and all), or, when its
 * columns would be narrower than a panel can be and still read, its visible panels in reading
 * order in fewer columns (see vesicle_plot_layout_columns). */
typedef struct {
  guint     rows, columns;
  gboolean  reflowed;
  int      *cells;         /* (rows * columns), row-major: index into plot->panels, -1 empty */
} VesicleLayout;

void          vesicle_plot_layout_init     (VesicleLayout *layout,
                                            VesiclePlot   *plot,
                                            double         width);
void          vesicle_plot_layout_clear    (VesicleLayout *layout);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VesicleLayout, vesicle_plot_layout_clear)

/* Whether point i of @series can be drawn on @panel's scales (x and y both usable). */
gboolean      vesicle_series_point_ok      (const VesiclePanel  *panel,
                                            const VesicleSeries *series,
                                            gsize                i);
/* The limits every panel is drawn with (fixed ones, the data's, then shared): arrays of
 * rows * columns scales, row-major. Equal aspect is the renderer's (it needs the panel size). */
void          vesicle_plot_resolve_limits  (VesiclePlot  *plot,
                                            VesicleScale *x_scales,
                                            VesicleScale *y_scales);
/* "a", "b", ... for the visible panels in reading order; NULL for hidden ones. */
char         *vesicle_panel_letter         (VesiclePanel *panel);
/* vesicle_plot_render, with every text written to @svg_text (when not NULL) as SVG <text>
 * elements in @cr's device space instead of being drawn as glyphs: an SVG export keeps its
 * words as words, searchable and editable. */
void          vesicle_plot_render_with_text (VesiclePlot  *plot,
                                             cairo_t      *cr,
                                             double        width,
                                             double        height,
                                             VesicleTheme  theme,
                                             GString      *svg_text);
/* What the last vesicle_plot_render drew over the data: its legends and annotations. */
const GArray *vesicle_plot_get_drawn_boxes (VesiclePlot *plot);
/* The markup a series shows in its panel's legend, NULL for none. */
const char   *vesicle_series_key           (const VesicleSeries *series);
/* The plain text of a Pango markup string (for CSV and metadata); a copy of @markup when it
 * does not parse. */
char         *vesicle_plot_markup_to_text  (const char   *markup);
/* The y of a reference line at @x on @panel's scales (a power law on log-log, straight in the
 * panel's own coordinates otherwise). */
double        vesicle_series_reference_y   (const VesiclePanel  *panel,
                                            const VesicleSeries *series,
                                            double               x);

/* Files are drawn into memory, then written whole (a failed write leaves no half file): a
 * cairo_write_func_t that appends to the GByteArray @closure, and the write, whose error names
 * @what ("PDF", "report") and the path. */
cairo_status_t vesicle_plot_append_bytes   (void                *closure,
                                            const unsigned char *data,
                                            unsigned int         length);
gboolean       vesicle_plot_write_bytes    (const char          *path,
                                            const char          *what,
                                            const void          *data,
                                            gsize                length,
                                            GError             **error);

G_END_DECLS
