/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plot's data model (see vesicle-plot.h): a grid of panels holding copies of their series,
 * and the limits each panel is drawn with. Limits: fixed ends first; the free ends from every
 * drawable value (points, band and error-bar ends, an ellipse's n-sigma extent, horizontal
 * lines; not reference lines, which span whatever the data chose) padded by 5% of the range (of
 * the decades on log axes); then the union over a shared column or row. Skipped values (NaN,
 * Inf, <= 0 on a log axis) are counted when asked, against the scales in force then, since a
 * panel's scales may be set after its series.
 */
#include "vesicle-plot-private.h"

#include <math.h>
#include <pango/pango.h>

#define DEFAULT_FONT_SIZE 7.0   /* points: the journals' minimum */
#define DEFAULT_MARKER_SIZE 3.0 /* points: scatter marker diameter */

static void
series_free (gpointer data)
{
  VesicleSeries *series = data;

  g_free (series->legend);
  g_free (series->key);
  g_free (series->x);
  g_free (series->y);
  g_free (series->y_low);
  g_free (series->y_high);
  g_free (series);
}

static void
annotation_free (gpointer data)
{
  VesicleAnnotation *annotation = data;

  g_free (annotation->markup);
  g_free (annotation);
}

VesiclePlot *
vesicle_plot_new (guint rows,
                  guint columns)
{
  VesiclePlot *plot;

  g_return_val_if_fail (rows > 0 && columns > 0, NULL);

  plot = g_new0 (VesiclePlot, 1);
  plot->rows = rows;
  plot->columns = columns;
  plot->letters = TRUE;
  plot->font_size = DEFAULT_FONT_SIZE;
  plot->panels = g_new0 (VesiclePanel, rows * columns);
  for (guint i = 0; i < rows * columns; i++)
    {
      VesiclePanel *panel = &plot->panels[i];

      panel->plot = plot;
      panel->row = i / columns;
      panel->column = i % columns;
      panel->x_kind = VESICLE_SCALE_LINEAR;
      panel->y_kind = VESICLE_SCALE_LINEAR;
      panel->x_lo = panel->x_hi = panel->y_lo = panel->y_hi = NAN;
      panel->legend = TRUE;
      panel->series = g_ptr_array_new_with_free_func (series_free);
      panel->annotations = g_ptr_array_new_with_free_func (annotation_free);
    }
  return plot;
}

void
vesicle_plot_free (VesiclePlot *plot)
{
  if (plot == NULL)
    return;
  for (guint i = 0; i < plot->rows * plot->columns; i++)
    {
      VesiclePanel *panel = &plot->panels[i];

      g_free (panel->x_label);
      g_free (panel->y_label);
      g_free (panel->title);
      g_ptr_array_unref (panel->series);
      g_ptr_array_unref (panel->annotations);
    }
  g_free (plot->panels);
  g_free (plot->title);
  g_clear_pointer (&plot->drawn_boxes, g_array_unref);
  g_free (plot);
}

VesiclePanel *
vesicle_plot_get_panel (VesiclePlot *plot,
                        guint        row,
                        guint        column)
{
  g_return_val_if_fail (plot != NULL, NULL);
  g_return_val_if_fail (row < plot->rows && column < plot->columns, NULL);

  return &plot->panels[row * plot->columns + column];
}

guint
vesicle_plot_get_rows (VesiclePlot *plot)
{
  g_return_val_if_fail (plot != NULL, 0);
  return plot->rows;
}

guint
vesicle_plot_get_columns (VesiclePlot *plot)
{
  g_return_val_if_fail (plot != NULL, 0);
  return plot->columns;
}

void
vesicle_plot_set_title (VesiclePlot *plot,
                        const char  *markup)
{
  g_return_if_fail (plot != NULL);
  g_free (plot->title);
  plot->title = g_strdup (markup);
}

void
vesicle_plot_set_panel_letters (VesiclePlot *plot,
                                gboolean     letters)
{
  g_return_if_fail (plot != NULL);
  plot->letters = !!letters;
}

void
vesicle_plot_share_x_by_column (VesiclePlot *plot,
                                gboolean     share)
{
  g_return_if_fail (plot != NULL);
  plot->share_x = !!share;
}

void
vesicle_plot_share_y_by_row (VesiclePlot *plot,
                             gboolean     share)
{
  g_return_if_fail (plot != NULL);
  plot->share_y = !!share;
}

void
vesicle_plot_set_font_size (VesiclePlot *plot,
                            double       points)
{
  g_return_if_fail (plot != NULL);
  g_return_if_fail (points > 0.0 && isfinite (points));
  plot->font_size = points;
}

void
vesicle_plot_set_aspect (VesiclePlot *plot,
                         double       height_over_width)
{
  g_return_if_fail (plot != NULL);
  plot->aspect = isfinite (height_over_width) ? height_over_width : 0.0;
}

double
vesicle_plot_get_aspect (VesiclePlot *plot)
{
  g_return_val_if_fail (plot != NULL, 0.75);

  if (plot->aspect > 0.0)
    return plot->aspect;
  /* panels about 4:3, as matplotlib's default axes */
  return CLAMP (0.75 * plot->rows / plot->columns, 0.2, 3.0);
}

/* ---- the grid drawn -------------------------------------------------------------------- */

/* The narrowest column, plotting area and margins together, that still reads, in points: the
 * y axis' furniture (a tick, "0.001" and a rotated label: about 4.5 x the font size), a
 * plotting area with room for three x tick labels at the renderer's 3.2 font sizes apart
 * (about 10) and the gap to the next column (1). 15 would do for bare axes, but leaves the
 * plotting area narrower than a two-entry legend ("heterogeneous": about 9.5), which then goes
 * outside and narrows every column. 16 x 7 pt = 112 pt = 39.5 mm: 4 columns keep their grid at
 * 174 mm (43.5 mm each); at 114 mm and at 85 mm 3 or 4 columns become 2. */
#define MIN_PANEL_WIDTH(fs) (16.0 * (fs))

void
vesicle_plot_layout_init (VesicleLayout *layout,
                          VesiclePlot   *plot,
                          double         width)
{
  guint n = plot->rows * plot->columns, visible = 0, columns = plot->columns;

  for (guint p = 0; p < n; p++)
    visible += !plot->panels[p].hidden;
  if (isfinite (width) && width > 0.0)
    columns = (guint) CLAMP (floor (width / MIN_PANEL_WIDTH (plot->font_size)), 1.0,
                             (double) plot->columns);
  /* the grid as built, hidden cells included: what every full-width figure is drawn in */
  if (columns >= plot->columns || visible == 0)
    {
      layout->rows = plot->rows;
      layout->columns = plot->columns;
      layout->reflowed = FALSE;
      layout->cells = g_new (int, n);
      for (guint p = 0; p < n; p++)
        layout->cells[p] = (int) p;
      return;
    }

  columns = MIN (columns, visible);
  layout->columns = columns;
  layout->rows = (visible + columns - 1) / columns;
  layout->reflowed = TRUE;
  layout->cells = g_new (int, layout->rows * layout->columns);
  for (guint i = 0; i < layout->rows * layout->columns; i++)
    layout->cells[i] = -1;
  for (guint p = 0, i = 0; p < n; p++)
    if (!plot->panels[p].hidden)
      layout->cells[i++] = (int) p;
}

void
vesicle_plot_layout_clear (VesicleLayout *layout)
{
  g_clear_pointer (&layout->cells, g_free);
}

guint
vesicle_plot_layout_columns (VesiclePlot *plot,
                             double       width_pt)
{
  g_auto(VesicleLayout) layout = { 0 };

  g_return_val_if_fail (plot != NULL, 1);

  vesicle_plot_layout_init (&layout, plot, width_pt);
  return layout.columns;
}

double
vesicle_plot_get_aspect_for_width (VesiclePlot *plot,
                                   double       width_pt)
{
  g_auto(VesicleLayout) layout = { 0 };
  double cell;

  g_return_val_if_fail (plot != NULL, 0.75);

  vesicle_plot_layout_init (&layout, plot, width_pt);
  if (!layout.reflowed)
    return vesicle_plot_get_aspect (plot);
  /* A cell of the designed grid is (aspect x W / rows) tall and W / columns wide, whatever W;
   * the reflowed grid stacks cells of that shape. The margins are in points, not a share of the
   * width, but a reflowed cell is about as wide as a designed one (MIN_PANEL_WIDTH to twice
   * that), so the plotting areas keep roughly their shape too. No clamp: one column of many
   * panels is tall, and that is what a narrow window asks for. */
  cell = vesicle_plot_get_aspect (plot) * plot->columns / plot->rows;
  return cell * layout.rows / layout.columns;
}

double
vesicle_plot_export_height_mm (VesiclePlot *plot,
                               double       width_mm)
{
  g_return_val_if_fail (plot != NULL, 0.0);

  return MIN (width_mm * vesicle_plot_get_aspect_for_width (plot, width_mm * 72.0 / 25.4),
              VESICLE_PLOT_MAX_HEIGHT_MM);
}

/* ---- skipped values -------------------------------------------------------------------- */

static gboolean
usable (VesicleScaleKind kind,
        double           v)
{
  return isfinite (v) && (kind != VESICLE_SCALE_LOG || v > 0.0);
}

gboolean
vesicle_series_point_ok (const VesiclePanel  *panel,
                         const VesicleSeries *series,
                         gsize                i)
{
  g_assert (i < series->n);

  if (!usable (panel->x_kind, series->x[i]))
    return FALSE;
  if (series->kind == VESICLE_SERIES_BAND)
    return usable (panel->y_kind, series->y_low[i]) && usable (panel->y_kind, series->y_high[i]);
  return usable (panel->y_kind, series->y[i]);
}

static gboolean
ellipse_ok (const VesiclePanel  *panel,
            const VesicleSeries *s)
{
  double det = s->cxx * s->cyy - s->cxy * s->cxy;

  return usable (panel->x_kind, s->cx) && usable (panel->y_kind, s->cy)
         && isfinite (s->cxx) && isfinite (s->cxy) && isfinite (s->cyy)
         && s->cxx >= 0.0 && s->cyy >= 0.0
         && det >= -1e-12 * MAX (s->cxx * s->cyy, 1e-300)
         && isfinite (s->n_sigma) && s->n_sigma > 0.0;
}

static guint
series_n_skipped (const VesiclePanel  *panel,
                  const VesicleSeries *s)
{
  guint skipped = 0;

  switch (s->kind)
    {
    case VESICLE_SERIES_LINE:
    case VESICLE_SERIES_SCATTER:
    case VESICLE_SERIES_BAND:
    case VESICLE_SERIES_ERRORBARS:
      for (gsize i = 0; i < s->n; i++)
        skipped += !vesicle_series_point_ok (panel, s, i);
      return skipped;
    case VESICLE_SERIES_ELLIPSE:
      return !ellipse_ok (panel, s);
    case VESICLE_SERIES_REFERENCE:
      return !(usable (panel->x_kind, s->x0) && usable (panel->y_kind, s->y0)
               && isfinite (s->slope));
    case VESICLE_SERIES_HLINE:
      return !usable (panel->y_kind, s->y0);
    default:
      g_assert_not_reached ();
    }
  return 0;
}

guint
vesicle_plot_n_skipped (VesiclePlot *plot)
{
  guint skipped = 0;

  g_return_val_if_fail (plot != NULL, 0);

  for (guint p = 0; p < plot->rows * plot->columns; p++)
    {
      const VesiclePanel *panel = &plot->panels[p];

      for (guint j = 0; j < panel->series->len; j++)
        skipped += series_n_skipped (panel, g_ptr_array_index (panel->series, j));
    }
  return skipped;
}

/* ---- limits ---------------------------------------------------------------------------- */

static void
push (GArray           *values,
      VesicleScaleKind  kind,
      double            v)
{
  if (usable (kind, v))
    g_array_append_val (values, v);
}

static void
collect_values (const VesiclePanel *panel,
                GArray             *xs,
                GArray             *ys)
{
  for (guint j = 0; j < panel->series->len; j++)
    {
      const VesicleSeries *s = g_ptr_array_index (panel->series, j);

      switch (s->kind)
        {
        case VESICLE_SERIES_LINE:
        case VESICLE_SERIES_SCATTER:
        case VESICLE_SERIES_BAND:
        case VESICLE_SERIES_ERRORBARS:
          for (gsize i = 0; i < s->n; i++)
            {
              if (!vesicle_series_point_ok (panel, s, i))
                continue;
              push (xs, panel->x_kind, s->x[i]);
              if (s->y != NULL)
                push (ys, panel->y_kind, s->y[i]);
              if (s->y_low != NULL)
                push (ys, panel->y_kind, s->y_low[i]);
              if (s->y_high != NULL)
                push (ys, panel->y_kind, s->y_high[i]);
            }
          break;
        case VESICLE_SERIES_ELLIPSE:
          if (ellipse_ok (panel, s))
            {
              double hx = s->n_sigma * sqrt (s->cxx), hy = s->n_sigma * sqrt (s->cyy);

              /* the contour's bounding box: centre ± n sqrt(diagonal) */
              push (xs, panel->x_kind, s->cx - hx);
              push (xs, panel->x_kind, s->cx + hx);
              push (ys, panel->y_kind, s->cy - hy);
              push (ys, panel->y_kind, s->cy + hy);
              push (xs, panel->x_kind, s->cx);
              push (ys, panel->y_kind, s->cy);
            }
          break;
        case VESICLE_SERIES_HLINE:
          push (ys, panel->y_kind, s->y0);
          break;
        case VESICLE_SERIES_REFERENCE:
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static gboolean
limits_ok (VesicleScaleKind kind,
           double           lo,
           double           hi)
{
  return usable (kind, lo) && usable (kind, hi) && lo < hi;
}

/* Data limits with the fixed ends of @fixed_lo / @fixed_hi (NaN: free) put in. */
static void
resolve_axis (VesicleScale     *scale,
              VesicleScaleKind  kind,
              GArray           *values,
              double            fixed_lo,
              double            fixed_hi)
{
  gboolean has_lo = usable (kind, fixed_lo), has_hi = usable (kind, fixed_hi);

  if (has_lo && has_hi && limits_ok (kind, fixed_lo, fixed_hi))
    {
      *scale = (VesicleScale) { kind, fixed_lo, fixed_hi };
      return;
    }
  vesicle_scale_fit (scale, kind, (const double *) values->data, values->len,
                     VESICLE_PLOT_PADDING, NULL);
  vesicle_scale_frame_decades (scale, has_lo, has_hi);
  if (has_lo)
    scale->lo = fixed_lo;
  if (has_hi)
    scale->hi = fixed_hi;
  if (!limits_ok (kind, scale->lo, scale->hi))
    {
      /* one fixed end on the wrong side of all the data: a unit (a decade) beyond it */
      if (has_lo)
        scale->hi = kind == VESICLE_SCALE_LOG ? fixed_lo * 10.0 : fixed_lo + 1.0;
      else
        scale->lo = kind == VESICLE_SCALE_LOG ? fixed_hi / 10.0 : fixed_hi - 1.0;
    }
}

static void
union_scales (VesicleScale *scales,
              const guint  *members,
              guint         n)
{
  VesicleScale all;

  if (n < 2)
    return;
  all = scales[members[0]];
  for (guint i = 1; i < n; i++)
    if (scales[members[i]].kind == all.kind)
      {
        all.lo = MIN (all.lo, scales[members[i]].lo);
        all.hi = MAX (all.hi, scales[members[i]].hi);
      }
  for (guint i = 0; i < n; i++)
    if (scales[members[i]].kind == all.kind)
      {
        gboolean whole = scales[members[i]].whole;

        scales[members[i]] = all;
        scales[members[i]].whole = whole;
      }
}

void
vesicle_plot_resolve_limits (VesiclePlot  *plot,
                             VesicleScale *x_scales,
                             VesicleScale *y_scales)
{
  guint n = plot->rows * plot->columns;
  g_autofree guint *members = g_new (guint, MAX (plot->rows, plot->columns));

  for (guint p = 0; p < n; p++)
    {
      const VesiclePanel *panel = &plot->panels[p];
      g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));

      collect_values (panel, xs, ys);
      resolve_axis (&x_scales[p], panel->x_kind, xs, panel->x_lo, panel->x_hi);
      x_scales[p].whole = panel->x_whole;
      resolve_axis (&y_scales[p], panel->y_kind, ys, panel->y_lo, panel->y_hi);
    }

  if (plot->share_x)
    for (guint c = 0; c < plot->columns; c++)
      {
        guint m = 0;

        for (guint r = 0; r < plot->rows; r++)
          if (!plot->panels[r * plot->columns + c].hidden)
            members[m++] = r * plot->columns + c;
        union_scales (x_scales, members, m);
      }
  if (plot->share_y)
    for (guint r = 0; r < plot->rows; r++)
      {
        guint m = 0;

        for (guint c = 0; c < plot->columns; c++)
          if (!plot->panels[r * plot->columns + c].hidden)
            members[m++] = r * plot->columns + c;
        union_scales (y_scales, members, m);
      }
}

char *
vesicle_panel_letter (VesiclePanel *panel)
{
  VesiclePlot *plot = panel->plot;
  guint index = 0;

  if (panel->hidden || panel->legend_only)
    return NULL;
  for (VesiclePanel *p = plot->panels; p < panel; p++)
    index += !p->hidden && !p->legend_only;
  if (index < 26)
    return g_strdup_printf ("%c", 'a' + index);
  return g_strdup_printf ("%u", index + 1);
}

char *
vesicle_plot_markup_to_text (const char *markup)
{
  char *text = NULL;

  if (markup == NULL)
    return NULL;
  if (!pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL))
    return g_strdup (markup);
  return text;
}

double
vesicle_series_reference_y (const VesiclePanel  *panel,
                            const VesicleSeries *s,
                            double               x)
{
  gboolean xlog = panel->x_kind == VESICLE_SCALE_LOG, ylog = panel->y_kind == VESICLE_SCALE_LOG;

  if (xlog && ylog)
    return s->y0 * pow (x / s->x0, s->slope);
  if (xlog)
    return s->y0 + s->slope * log10 (x / s->x0);
  if (ylog)
    return s->y0 * pow (10.0, s->slope * (x - s->x0));
  return s->y0 + s->slope * (x - s->x0);
}

/* ---- panels ---------------------------------------------------------------------------- */

void
vesicle_panel_set_scales (VesiclePanel    *panel,
                          VesicleScaleKind x,
                          VesicleScaleKind y)
{
  g_return_if_fail (panel != NULL);
  panel->x_kind = x;
  panel->y_kind = y;
}

void
vesicle_panel_set_labels (VesiclePanel *panel,
                          const char   *x_markup,
                          const char   *y_markup)
{
  g_return_if_fail (panel != NULL);
  g_free (panel->x_label);
  g_free (panel->y_label);
  panel->x_label = g_strdup (x_markup);
  panel->y_label = g_strdup (y_markup);
}

void
vesicle_panel_set_title (VesiclePanel *panel,
                         const char   *markup)
{
  g_return_if_fail (panel != NULL);
  g_free (panel->title);
  panel->title = g_strdup (markup);
}

void
vesicle_panel_set_x_limits (VesiclePanel *panel,
                            double        lo,
                            double        hi)
{
  g_return_if_fail (panel != NULL);
  panel->x_lo = lo;
  panel->x_hi = hi;
}

void
vesicle_panel_set_y_limits (VesiclePanel *panel,
                            double        lo,
                            double        hi)
{
  g_return_if_fail (panel != NULL);
  panel->y_lo = lo;
  panel->y_hi = hi;
}

void
vesicle_panel_set_equal_aspect (VesiclePanel *panel,
                                gboolean      equal)
{
  g_return_if_fail (panel != NULL);
  panel->equal_aspect = !!equal;
}

void
vesicle_panel_set_hidden (VesiclePanel *panel,
                          gboolean      hidden)
{
  g_return_if_fail (panel != NULL);
  panel->hidden = !!hidden;
}

void
vesicle_panel_set_legend (VesiclePanel *panel,
                          gboolean      visible)
{
  g_return_if_fail (panel != NULL);
  panel->legend = !!visible;
}

void
vesicle_panel_set_legend_only (VesiclePanel *panel,
                               gboolean      legend_only)
{
  g_return_if_fail (panel != NULL);
  panel->legend_only = !!legend_only;
  if (legend_only)
    panel->legend = TRUE;
}

void
vesicle_panel_set_key (VesiclePanel *panel,
                       const char   *markup)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL && panel->series->len > 0);
  s = g_ptr_array_index (panel->series, panel->series->len - 1);
  g_free (s->key);
  s->key = g_strdup (markup);
  s->key_set = TRUE;
}

const char *
vesicle_series_key (const VesicleSeries *series)
{
  const char *key = series->key_set ? series->key : series->legend;

  return key != NULL && *key != '\0' ? key : NULL;
}

const GArray *
vesicle_plot_get_drawn_boxes (VesiclePlot *plot)
{
  return plot->drawn_boxes;
}

/* ---- series ---------------------------------------------------------------------------- */

static double *
copy_array (const double *values,
            gsize         n)
{
  if (values == NULL)
    return NULL;
  return g_memdup2 (values, n * sizeof (double));
}

static VesicleSeries *
series_add (VesiclePanel      *panel,
            VesicleSeriesKind  kind,
            VesicleColor       color,
            const char        *legend)
{
  VesicleSeries *s = g_new0 (VesicleSeries, 1);

  s->kind = kind;
  s->color = color;
  s->legend = g_strdup (legend);
  s->alpha = 1.0;
  g_ptr_array_add (panel->series, s);
  return s;
}

static double
opacity (double alpha)
{
  return isnan (alpha) ? 1.0 : CLAMP (alpha, 0.0, 1.0);
}

void
vesicle_panel_add_line (VesiclePanel *panel,
                        const double *x,
                        const double *y,
                        gsize         n,
                        VesicleColor  color,
                        VesicleDash   dash,
                        const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  s = series_add (panel, VESICLE_SERIES_LINE, color, legend);
  s->dash = dash;
  s->n = n;
  s->x = copy_array (x, n);
  s->y = copy_array (y, n);
}

void
vesicle_panel_add_scatter (VesiclePanel *panel,
                           const double *x,
                           const double *y,
                           gsize         n,
                           VesicleColor  color,
                           VesicleMarker marker,
                           double        size_pt,
                           double        alpha,
                           const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  s = series_add (panel, VESICLE_SERIES_SCATTER, color, legend);
  s->marker = marker == VESICLE_MARKER_NONE ? VESICLE_MARKER_CIRCLE : marker;
  s->size_pt = size_pt > 0.0 && isfinite (size_pt) ? size_pt : DEFAULT_MARKER_SIZE;
  s->alpha = opacity (alpha);
  s->n = n;
  s->x = copy_array (x, n);
  s->y = copy_array (y, n);
}

void
vesicle_panel_add_band (VesiclePanel *panel,
                        const double *x,
                        const double *y_low,
                        const double *y_high,
                        gsize         n,
                        VesicleColor  color,
                        double        alpha,
                        const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (n == 0 || (x != NULL && y_low != NULL && y_high != NULL));

  s = series_add (panel, VESICLE_SERIES_BAND, color, legend);
  s->alpha = opacity (alpha);
  s->n = n;
  s->x = copy_array (x, n);
  s->y_low = copy_array (y_low, n);
  s->y_high = copy_array (y_high, n);
}

void
vesicle_panel_add_errorbars (VesiclePanel *panel,
                             const double *x,
                             const double *y,
                             const double *y_low,
                             const double *y_high,
                             gsize         n,
                             VesicleColor  color,
                             VesicleMarker marker,
                             gboolean      joined,
                             const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  s = series_add (panel, VESICLE_SERIES_ERRORBARS, color, legend);
  s->marker = marker;
  s->joined = !!joined;
  s->dash = VESICLE_DASH_SOLID;
  s->n = n;
  s->x = copy_array (x, n);
  s->y = copy_array (y, n);
  s->y_low = copy_array (y_low, n);
  s->y_high = copy_array (y_high, n);
}

void
vesicle_panel_add_ellipse (VesiclePanel *panel,
                           double        cx,
                           double        cy,
                           double        cxx,
                           double        cxy,
                           double        cyy,
                           double        n_sigma,
                           VesicleColor  color,
                           double        fill_alpha,
                           VesicleDash   dash,
                           const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);

  s = series_add (panel, VESICLE_SERIES_ELLIPSE, color, legend);
  s->cx = cx;
  s->cy = cy;
  s->cxx = cxx;
  s->cxy = cxy;
  s->cyy = cyy;
  s->n_sigma = n_sigma;
  s->alpha = isnan (fill_alpha) ? 0.0 : CLAMP (fill_alpha, 0.0, 1.0);
  s->dash = dash;
}

void
vesicle_panel_add_reference (VesiclePanel *panel,
                             double        x0,
                             double        y0,
                             double        slope,
                             VesicleColor  color,
                             VesicleDash   dash,
                             const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);

  s = series_add (panel, VESICLE_SERIES_REFERENCE, color, legend);
  s->x0 = x0;
  s->y0 = y0;
  s->slope = slope;
  s->dash = dash;
}

void
vesicle_panel_add_hline (VesiclePanel *panel,
                         double        y,
                         VesicleColor  color,
                         VesicleDash   dash,
                         const char   *legend)
{
  VesicleSeries *s;

  g_return_if_fail (panel != NULL);

  s = series_add (panel, VESICLE_SERIES_HLINE, color, legend);
  s->y0 = y;
  s->dash = dash;
}

void
vesicle_panel_add_annotation (VesiclePanel *panel,
                              double        fx,
                              double        fy,
                              const char   *markup,
                              VesicleColor  color)
{
  VesicleAnnotation *a;

  g_return_if_fail (panel != NULL);
  g_return_if_fail (markup != NULL);

  a = g_new0 (VesicleAnnotation, 1);
  a->fx = fx;
  a->fy = fy;
  a->markup = g_strdup (markup);
  a->color = color;
  g_ptr_array_add (panel->annotations, a);
}

void
vesicle_panel_set_x_whole (VesiclePanel *panel,
                           gboolean      whole)
{
  g_return_if_fail (panel != NULL);
  panel->x_whole = whole;
}

int
vesicle_plot_panel_at (VesiclePlot *plot,
                       double       width,
                       double       height,
                       double       x,
                       double       y)
{
  g_auto(VesicleLayout) layout = { 0 };
  guint row, column;
  int cell;

  g_return_val_if_fail (plot != NULL, -1);
  if (!(width > 0 && height > 0 && x >= 0 && y >= 0 && x < width && y < height))
    return -1;
  /* the grid's cells share the figure evenly; the title and margins are thin beside them */
  vesicle_plot_layout_init (&layout, plot, width);
  row = MIN ((guint) (y / height * layout.rows), layout.rows - 1);
  column = MIN ((guint) (x / width * layout.columns), layout.columns - 1);
  cell = layout.cells[row * layout.columns + column];
  if (cell < 0 || plot->panels[cell].hidden)
    return -1;
  return cell;
}

static VesicleSeries *
series_copy (const VesicleSeries *s)
{
  VesicleSeries *copy = g_memdup2 (s, sizeof *s);

  copy->legend = g_strdup (s->legend);
  copy->key = g_strdup (s->key);
  copy->x = s->x ? g_memdup2 (s->x, sizeof (double) * s->n) : NULL;
  copy->y = s->y ? g_memdup2 (s->y, sizeof (double) * s->n) : NULL;
  copy->y_low = s->y_low ? g_memdup2 (s->y_low, sizeof (double) * s->n) : NULL;
  copy->y_high = s->y_high ? g_memdup2 (s->y_high, sizeof (double) * s->n) : NULL;
  return copy;
}

VesiclePlot *
vesicle_plot_extract_panel (VesiclePlot *plot,
                            guint        index)
{
  g_autofree VesicleScale *xs = NULL, *ys = NULL;
  const VesiclePanel *from;
  VesiclePanel *to;
  VesiclePlot *one;
  guint n;

  g_return_val_if_fail (plot != NULL, NULL);
  n = plot->rows * plot->columns;
  g_return_val_if_fail (index < n, NULL);

  xs = g_new0 (VesicleScale, n);
  ys = g_new0 (VesicleScale, n);
  vesicle_plot_resolve_limits (plot, xs, ys);
  from = &plot->panels[index];
  one = vesicle_plot_new (1, 1);
  one->letters = FALSE;
  /* larger: the text too */
  one->font_size = plot->font_size * 1.4;
  to = &one->panels[0];
  to->x_kind = from->x_kind;
  to->y_kind = from->y_kind;
  /* a grid labels its axes once, on the left column and the bottom row: alone, a panel takes
   * the labels of its row and its column */
  to->x_label = g_strdup (from->x_label);
  to->y_label = g_strdup (from->y_label);
  for (guint r = plot->rows; to->x_label == NULL && r-- > 0;)
    if (plot->panels[r * plot->columns + from->column].x_kind == from->x_kind)
      to->x_label = g_strdup (plot->panels[r * plot->columns + from->column].x_label);
  for (guint c = 0; to->y_label == NULL && c < plot->columns; c++)
    if (plot->panels[from->row * plot->columns + c].y_kind == from->y_kind)
      to->y_label = g_strdup (plot->panels[from->row * plot->columns + c].y_label);
  to->title = g_strdup (from->title);
  to->equal_aspect = from->equal_aspect;
  to->x_whole = from->x_whole;
  /* the legend of a figure sits in one panel; alone, each panel names its series */
  to->legend = TRUE;
  to->x_lo = xs[index].lo;
  to->x_hi = xs[index].hi;
  to->y_lo = ys[index].lo;
  to->y_hi = ys[index].hi;
  for (guint i = 0; i < from->series->len; i++)
    g_ptr_array_add (to->series, series_copy (g_ptr_array_index (from->series, i)));
  for (guint i = 0; i < from->annotations->len; i++)
    {
      const VesicleAnnotation *a = g_ptr_array_index (from->annotations, i);

      vesicle_panel_add_annotation (to, a->fx, a->fy, a->markup, a->color);
    }
  vesicle_plot_set_aspect (one, 0.62);
  return one;
}
