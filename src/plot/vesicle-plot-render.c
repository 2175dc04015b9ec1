/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout and drawing (vesicle_plot_render). Units are points, y grows downwards. This file lays
 * the figure out and draws each panel; its parts live beside it over vesicle-plot-render-private.h:
 * text (Pango), clip (geometry and clipping), series, legend (where the data is, and legends) and
 * layout (ticks and margins).
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
#include "vesicle-plot-render-private.h"

#include <math.h>

/* ---- drawing a panel ------------------------------------------------------------------- */

static void
draw_axes (Ctx *c,
           Box *b)
{
  cairo_t *cr = c->cr;
  double fs = c->fs, tl = TICK_LENGTH (fs), pad = TICK_PAD (fs);
  double bottom = b->y + b->h;
  TickExtents ex = render_measure_ticks (c, b->xt, &b->xs, b->w, TRUE);

  cairo_save (cr);
  render_set_color (c, c->fg, 1.0);
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
        render_text_init (&text, c, t->label, 1.0);
        /* baselines in one line, whatever superscripts raise some of them */
        render_text_show (c, &text, px (b, t->value) - 0.5 * text.w,
                   bottom + tl + pad + ex.max_base - text.base, c->fg);
      }
  if (b->y_ticklabels)
    for (guint i = 0; i < b->yt->len; i++)
      {
        VesicleTick *t = &g_array_index (b->yt, VesicleTick, i);
        g_auto(Text) text = { 0 };

        if (t->label == NULL)
          continue;
        render_text_init (&text, c, t->label, 1.0);
        /* the digits' middle on the tick, not the middle of a box a superscript made taller */
        render_text_show (c, &text, b->x - tl - pad - text.w,
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

      render_text_init (&t, c, b->x_label, 1.0);
      o = render_keep_inside (c, b->x + 0.5 * (b->w - t.w), b->xlabel_top - t.h, t.w, t.h);
      render_text_show (c, &t, o.x, o.y, c->fg);
    }
  if (b->show_ylabel)
    {
      g_auto(Text) t = { 0 };

      render_text_init (&t, c, b->y_label, 1.0);
      cairo_save (cr);
      cairo_translate (cr, b->cell_left, b->y + 0.5 * b->h);
      cairo_rotate (cr, -G_PI / 2.0);
      render_text_show (c, &t, -0.5 * t.w, 0.0, c->fg);
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
          render_text_init (&letter, c, b->letter, 1.0);
          desc = letter.h - letter.base;
        }
      if (render_title_init (c, b, &title, &title_x))
        desc = MAX (desc, title.h - title.last_base);
      baseline = b->y - 0.4 * c->fs - desc;
      if (letter.layout != NULL)
        render_text_show (c, &letter, b->cell_left, baseline - letter.base, c->fg);
      if (title.layout != NULL)
        {
          Point o = render_keep_inside (c, title_x, baseline - title.last_base, title.w, title.h);

          render_text_show (c, &title, o.x, o.y, c->fg);
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

      render_annotation_text (c, b, a, &t);
      r = render_annotation_rect (c, b, a, &t);
      render_text_show (c, &t, r.x0, r.y0, a->color);
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
  g_autoptr(GArray) pts = render_sample_panel (b);
  if (b->legend != NULL && b->legend_loc != LEGEND_NONE)
    {
      Point o = render_legend_origin (c, b, b->legend_loc);
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

      render_annotation_text (c, b, a, &t);
      r = render_annotation_rect (c, b, a, &t);
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
      render_legend_draw (c, b);
      return;
    }
  cairo_save (cr);
  cairo_rectangle (cr, b->x, b->y, b->w, b->h);
  cairo_clip (cr);
  for (guint j = 0; j < b->panel->series->len; j++)
    render_draw_series (c, b, g_ptr_array_index (b->panel->series, j));
  cairo_restore (cr);

  draw_axes (c, b);
  draw_labels (c, b);
  render_legend_draw (c, b);
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
  render_text_init (t, c, plot->title, 1.15);
  render_text_fit (t, c->width - 2.0 * OUTER, PANGO_ALIGN_CENTER);
}

void
vesicle_plot_render (VesiclePlot *plot,
                     cairo_t     *cr,
                     double       width,
                     double       height,
                     VesicleTheme theme)
{
  vesicle_plot_render_with_text (plot, cr, width, height, theme, NULL);
}

void
vesicle_plot_render_with_text (VesiclePlot *plot,
                               cairo_t     *cr,
                               double       width,
                               double       height,
                               VesicleTheme theme,
                               GString     *svg_text)
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
  c.svg_text = svg_text;
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
          render_measure_panel (&c, b, &xs[p], &ys[p]);
          render_legend_place (&c, b);
          if (b->legend_outside && !c.below)
            b->m_right = MAX (b->m_right, 0.6 * c.fs + b->lg_w);
          if (b->legend_outside && c.below)
            n.band[b->row] = MAX (n.band[b->row], render_legend_band (&c, b));
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
      render_text_show (&c, &t, 0.5 * (width - t.w), OUTER, c.fg);
    }

  for (guint p = 0; p < N; p++)
    box_clear (&boxes[p]);
  cairo_font_options_destroy (c.font_options);
  cairo_restore (cr);
}
