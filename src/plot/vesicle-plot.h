/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small plotting library on Cairo + Pango. A VesiclePlot is a grid of panels; each panel has
 * an x and a y scale, axis labels (Pango markup, so "σ<sup>2</sup>", "σ<sub>post</sub>", "ρ"),
 * and series: lines, scatters, shaded bands, error bars, covariance ellipses, reference lines and
 * text annotations. Nothing is drawn until vesicle_plot_render(), which lays the grid out for the
 * size it is given; the window, the SVG/PDF/PNG exports and the tests all go through it.
 *
 * Sizes are in points (1/72 inch) at render time; fonts are set in points too (default 7 pt,
 * the journals' minimum), so a figure exported at 85 mm reads like a printed one.
 * Data arrays are copied; non-finite points (and non-positive ones on log scales) are skipped
 * and counted (vesicle_plot_n_skipped).
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "vesicle-plot-scale.h"

G_BEGIN_DECLS

typedef struct _VesiclePlot  VesiclePlot;
typedef struct _VesiclePanel VesiclePanel;

typedef struct {
  double r, g, b;  /* 0..1 */
} VesicleColor;

typedef enum {
  VESICLE_THEME_LIGHT,
  VESICLE_THEME_DARK,
} VesicleTheme;

typedef enum {
  VESICLE_DASH_SOLID,
  VESICLE_DASH_DASHED,
  VESICLE_DASH_DOTTED,
} VesicleDash;

typedef enum {
  VESICLE_MARKER_NONE,
  VESICLE_MARKER_CIRCLE,
  VESICLE_MARKER_SQUARE,
  VESICLE_MARKER_TRIANGLE,
} VesicleMarker;

typedef enum {
  VESICLE_EXPORT_SVG,
  VESICLE_EXPORT_PDF,
  VESICLE_EXPORT_PNG,
  VESICLE_EXPORT_CSV,     /* the plotted numbers (vesicle_plot_write_csv) */
} VesicleExportFormat;

/* Palette: Okabe–Ito for categories (index wraps), a sequential colour-blind-safe ramp for
 * ordered values (t in [0, 1], e.g. log c normalised), and the paper's two settings. */
VesicleColor   vesicle_palette_category      (guint index);
VesicleColor   vesicle_palette_sequential    (double t);
/* The WCAG 2 contrast ratio of two colours (1 to 21). */
double         vesicle_color_contrast        (VesicleColor a,
                                              VesicleColor b);
/* @color, mixed toward white just enough that its contrast with the dark @background reaches
 * @ratio (WCAG asks 3:1 of lines and marks); unchanged where it already does. */
VesicleColor   vesicle_color_readable_on_dark (VesicleColor color,
                                               VesicleColor background,
                                               double       ratio);
#define VESICLE_COLOR_HETEROGENEOUS ((VesicleColor) { 0.000, 0.620, 0.451 })  /* Okabe–Ito green */
#define VESICLE_COLOR_HOMOGENEOUS   ((VesicleColor) { 0.500, 0.500, 0.500 })
#define VESICLE_COLOR_BLACK         ((VesicleColor) { 0.0, 0.0, 0.0 })

/* ---- the figure ---- */
VesiclePlot   *vesicle_plot_new              (guint        rows,
                                              guint        columns);
void           vesicle_plot_free             (VesiclePlot *plot);
VesiclePanel  *vesicle_plot_get_panel        (VesiclePlot *plot,
                                              guint        row,
                                              guint        column);
guint          vesicle_plot_get_rows         (VesiclePlot *plot);
guint          vesicle_plot_get_columns      (VesiclePlot *plot);
void           vesicle_plot_set_title        (VesiclePlot *plot,
                                              const char  *markup);
/* (a), (b), ... in reading order at each panel's top-left; on by default. */
void           vesicle_plot_set_panel_letters (VesiclePlot *plot,
                                               gboolean     letters);
/* Panels in a column share their x limits (tick labels only on the bottom row); panels in a row
 * share y limits (labels only on the left column). */
void           vesicle_plot_share_x_by_column (VesiclePlot *plot,
                                               gboolean     share);
void           vesicle_plot_share_y_by_row    (VesiclePlot *plot,
                                               gboolean     share);
void           vesicle_plot_set_font_size    (VesiclePlot *plot,
                                              double       points);
/* The size the figure was designed for, used when an export gives only a width. */
void           vesicle_plot_set_aspect       (VesiclePlot *plot,
                                              double       height_over_width);
double         vesicle_plot_get_aspect       (VesiclePlot *plot);
/* Columns narrower than 16 x the font size (39.5 mm at 7 pt) do not hold a labelled axis and a
 * legend: below that the visible panels are laid out again, in reading order (letters and
 * titles as they were), in as many columns as fit, at least one. The columns drawn at
 * @width_pt points. */
guint          vesicle_plot_layout_columns   (VesiclePlot *plot,
                                              double       width_pt);
/* Height / width at @width_pt: the aspect while the grid stays as built, else the height that
 * gives the reflowed grid's panels the shape they were designed with. */
double         vesicle_plot_get_aspect_for_width (VesiclePlot *plot,
                                                  double       width_pt);
/* The height an export takes when none is given: width_mm x the aspect for that width, but
 * never taller than a journal page's text block (VESICLE_PLOT_MAX_HEIGHT_MM; a reflowed grid
 * of many rows is squeezed to fit rather than run off the page). */
#define VESICLE_PLOT_MAX_HEIGHT_MM 235.0
double         vesicle_plot_export_height_mm (VesiclePlot *plot,
                                              double       width_mm);
guint          vesicle_plot_n_skipped        (VesiclePlot *plot);

/* Draws the whole figure into (0, 0, width, height) of @cr (user units = points). */
void           vesicle_plot_render           (VesiclePlot *plot,
                                              cairo_t     *cr,
                                              double       width,
                                              double       height,
                                              VesicleTheme theme);
/* SVG and PDF at width_mm x height_mm (text stays text; fonts embedded by Cairo), PNG at @dpi,
 * CSV the data (sizes unused). height_mm <= 0 takes vesicle_plot_export_height_mm. Exports are
 * always light. */
gboolean       vesicle_plot_export           (VesiclePlot        *plot,
                                              const char         *path,
                                              VesicleExportFormat format,
                                              double              width_mm,
                                              double              height_mm,
                                              double              dpi,
                                              GError            **error);
/* Every series' data as CSV: panel,series,kind,x,y,y_low,y_high (empty where not defined). */
gboolean       vesicle_plot_write_csv        (VesiclePlot *plot,
                                              const char  *path,
                                              GError     **error);
/* "svg", "pdf", "png", "csv" (any case) to a format, and back: the file name's extension. */
gboolean       vesicle_export_format_parse   (const char          *name,
                                              VesicleExportFormat *format);
const char    *vesicle_export_format_name    (VesicleExportFormat  format);

/* The panel drawn at (@x, @y) when the figure is rendered at @width x @height points (its index,
 * row-major in the grid as built), or -1 between panels or on a hidden cell. */
int            vesicle_plot_panel_at         (VesiclePlot *plot,
                                              double       width,
                                              double       height,
                                              double       x,
                                              double       y);
/* Panel @index alone as a new figure of one panel: its series, labels and annotations, and the
 * limits it is drawn with in @plot (shared ones included), so it reads as it did, larger. */
VesiclePlot   *vesicle_plot_extract_panel    (VesiclePlot *plot,
                                              guint        index);

/* ---- a panel ---- */
void           vesicle_panel_set_scales      (VesiclePanel    *panel,
                                              VesicleScaleKind x,
                                              VesicleScaleKind y);
void           vesicle_panel_set_labels      (VesiclePanel *panel,
                                              const char   *x_markup,
                                              const char   *y_markup);
void           vesicle_panel_set_title       (VesiclePanel *panel,
                                              const char   *markup);
/* Fixed limits; NaN leaves that end to the data. */
void           vesicle_panel_set_x_limits    (VesiclePanel *panel,
                                              double        lo,
                                              double        hi);
void           vesicle_panel_set_y_limits    (VesiclePanel *panel,
                                              double        lo,
                                              double        hi);
/* One data unit is as long on x as on y (ellipses stay ellipses). */
void           vesicle_panel_set_equal_aspect (VesiclePanel *panel,
                                               gboolean      equal);
/* Ticks of a linear x axis at whole numbers only (epochs). */
void           vesicle_panel_set_x_whole     (VesiclePanel *panel,
                                              gboolean      whole);
/* Draws nothing (e.g. the unused cell of a grid). */
void           vesicle_panel_set_hidden      (VesiclePanel *panel,
                                              gboolean      hidden);
void           vesicle_panel_set_legend      (VesiclePanel *panel,
                                              gboolean      visible);
/* Draws only the panel's legend, at the top left of its cell: no axes, no data and no letter.
 * A key for the panels beside it, in a cell the grid would leave empty. */
void           vesicle_panel_set_legend_only (VesiclePanel *panel,
                                              gboolean      legend_only);
/* The entry the series added last has in its panel's legend: @markup instead of its name, or
 * none for NULL. Its name stays what the CSV export calls it. */
void           vesicle_panel_set_key         (VesiclePanel *panel,
                                              const char   *markup);

/* Series. @legend may be NULL (no legend entry). Every function returns nothing: style
 * variants take their own arguments, so a call reads as the figure it draws. */
void           vesicle_panel_add_line        (VesiclePanel *panel,
                                              const double *x,
                                              const double *y,
                                              gsize         n,
                                              VesicleColor  color,
                                              VesicleDash   dash,
                                              const char   *legend);
void           vesicle_panel_add_scatter     (VesiclePanel *panel,
                                              const double *x,
                                              const double *y,
                                              gsize         n,
                                              VesicleColor  color,
                                              VesicleMarker marker,
                                              double        size_pt,
                                              double        alpha,
                                              const char   *legend);
void           vesicle_panel_add_band        (VesiclePanel *panel,
                                              const double *x,
                                              const double *y_low,
                                              const double *y_high,
                                              gsize         n,
                                              VesicleColor  color,
                                              double        alpha,
                                              const char   *legend);
/* Markers joined by a line (@dash, or none with VESICLE_DASH_SOLID and @joined FALSE) with
 * vertical error bars from y_low to y_high (NULL for none). */
void           vesicle_panel_add_errorbars   (VesiclePanel *panel,
                                              const double *x,
                                              const double *y,
                                              const double *y_low,
                                              const double *y_high,
                                              gsize         n,
                                              VesicleColor  color,
                                              VesicleMarker marker,
                                              gboolean      joined,
                                              const char   *legend);
/* The n_sigma contour of a 2-D Gaussian with mean (cx, cy) and covariance
 * [[cxx, cxy], [cxy, cyy]], on linear axes. */
void           vesicle_panel_add_ellipse     (VesiclePanel *panel,
                                              double        cx,
                                              double        cy,
                                              double        cxx,
                                              double        cxy,
                                              double        cyy,
                                              double        n_sigma,
                                              VesicleColor  color,
                                              double        fill_alpha,
                                              VesicleDash   dash,
                                              const char   *legend);
/* y = y0 * (x / x0)^slope on log-log axes, y = y0 + slope (x - x0) on linear ones, drawn across
 * the whole panel; it does not widen the limits. */
void           vesicle_panel_add_reference   (VesiclePanel *panel,
                                              double        x0,
                                              double        y0,
                                              double        slope,
                                              VesicleColor  color,
                                              VesicleDash   dash,
                                              const char   *legend);
void           vesicle_panel_add_hline       (VesiclePanel *panel,
                                              double        y,
                                              VesicleColor  color,
                                              VesicleDash   dash,
                                              const char   *legend);
/* Text at (fx, fy), fractions of the panel's plotting area from its bottom-left corner. */
void           vesicle_panel_add_annotation  (VesiclePanel *panel,
                                              double        fx,
                                              double        fy,
                                              const char   *markup,
                                              VesicleColor  color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesiclePlot, vesicle_plot_free)

G_END_DECLS
