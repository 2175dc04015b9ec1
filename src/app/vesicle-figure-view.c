/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-figure-view.h"

#include <adwaita.h>
#include <math.h>

/* Figures are designed in points; on screen one point is one logical pixel times this, so
 * 7-point text reads as a figure on a page does at arm's length. */
#define SCREEN_SCALE 1.45

struct _VesicleFigureView {
  GtkWidget    parent_instance;

  VesiclePlot *plot;
  char        *message;
  double       aspect;
  double       page_width;    /* > 0: a preview of a page this many points wide */
  double       page_height;
  gboolean     activatable;
};

G_DEFINE_FINAL_TYPE (VesicleFigureView, vesicle_figure_view, GTK_TYPE_WIDGET)

enum {
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
aspect_at (VesicleFigureView *self,
           double             width_px)
{
  if (self->page_width > 0)
    return self->page_height / self->page_width;
  if (self->aspect > 0)
    return self->aspect;
  if (self->plot == NULL)
    return 0.5;
  return vesicle_plot_get_aspect_for_width (self->plot, width_px / SCREEN_SCALE);
}

static GtkSizeRequestMode
vesicle_figure_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
vesicle_figure_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  VesicleFigureView *self = VESICLE_FIGURE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* narrow enough for a folded window; the plot reflows its panels below ~40 mm a column;
       * a page's preview is only scaled, and may be small */
      *minimum = self->page_width > 0 ? 120 : 240;
      *natural = 720;
    }
  else if (self->page_width > 0)
    {
      int width = for_size > 0 ? for_size : 720;

      /* the page's own proportions, whatever the width it is shown at */
      *minimum = *natural = MAX ((int) ceil (width * self->page_height / self->page_width), 1);
    }
  else
    {
      int width = for_size > 0 ? for_size : 720;
      int height = (int) ceil (width * aspect_at (self, width));

      *minimum = *natural = MAX (height, 120);
    }
}

static void
vesicle_figure_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  VesicleFigureView *self = VESICLE_FIGURE_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  if (self->plot == NULL)
    {
      /* the message, centred and dim, as a label would draw it */
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, self->message ? self->message
                                                                                  : "");
      int lw, lh;
      GdkRGBA color;

      pango_layout_set_width (layout, (width - 24) * PANGO_SCALE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      /* GTK 4.10 deprecates style contexts (for gtk_widget_get_color, which 4.8 lacks); the
       * call still works there, so newer GTK builds it with the warning silenced */
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
      G_GNUC_END_IGNORE_DEPRECATIONS
      color.alpha *= 0.55f;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (12, (height - lh) / 2.0f));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
      g_object_unref (layout);
      return;
    }
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->page_width > 0)
    {
      /* a preview is of the file, which is always light */
      double scale = MIN (width / self->page_width, height / self->page_height);

      cairo_scale (cr, scale, scale);
      vesicle_plot_render (self->plot, cr, self->page_width, self->page_height,
                           VESICLE_THEME_LIGHT);
    }
  else
    {
      cairo_scale (cr, SCREEN_SCALE, SCREEN_SCALE);
      vesicle_plot_render (self->plot, cr, width / SCREEN_SCALE, height / SCREEN_SCALE,
                           dark ? VESICLE_THEME_DARK : VESICLE_THEME_LIGHT);
    }
  cairo_destroy (cr);
}

static void
on_dark_changed (VesicleFigureView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_released (GtkGestureClick   *gesture,
             int                n_press,
             double             x,
             double             y,
             VesicleFigureView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int panel;

  if (!self->activatable || self->plot == NULL)
    return;
  /* the panel under the pointer, in the figure's own points */
  panel = vesicle_plot_panel_at (self->plot, width / SCREEN_SCALE, height / SCREEN_SCALE,
                                 x / SCREEN_SCALE, y / SCREEN_SCALE);
  g_signal_emit (self, signals[ACTIVATE], 0, panel);
}

static void
vesicle_figure_view_finalize (GObject *object)
{
  VesicleFigureView *self = VESICLE_FIGURE_VIEW (object);

  g_clear_pointer (&self->plot, vesicle_plot_free);
  g_free (self->message);
  G_OBJECT_CLASS (vesicle_figure_view_parent_class)->finalize (object);
}

static void
vesicle_figure_view_class_init (VesicleFigureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vesicle_figure_view_finalize;
  widget_class->get_request_mode = vesicle_figure_view_get_request_mode;
  widget_class->measure = vesicle_figure_view_measure;
  widget_class->snapshot = vesicle_figure_view_snapshot;

  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  gtk_widget_class_set_css_name (widget_class, "figure");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vesicle_figure_view_init (VesicleFigureView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
  self->message = g_strdup ("");
}

GtkWidget *
vesicle_figure_view_new (void)
{
  return g_object_new (VESICLE_TYPE_FIGURE_VIEW, NULL);
}

void
vesicle_figure_view_set_plot (VesicleFigureView *self,
                              VesiclePlot       *plot)
{
  g_return_if_fail (VESICLE_IS_FIGURE_VIEW (self));

  if (plot == self->plot)
    return;
  g_clear_pointer (&self->plot, vesicle_plot_free);
  self->plot = plot;
  /* a new figure may have another aspect */
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

VesiclePlot *
vesicle_figure_view_get_plot (VesicleFigureView *self)
{
  g_return_val_if_fail (VESICLE_IS_FIGURE_VIEW (self), NULL);
  return self->plot;
}

void
vesicle_figure_view_set_message (VesicleFigureView *self,
                                 const char        *message)
{
  g_return_if_fail (VESICLE_IS_FIGURE_VIEW (self));

  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  if (self->plot == NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vesicle_figure_view_set_aspect (VesicleFigureView *self,
                                double             aspect)
{
  g_return_if_fail (VESICLE_IS_FIGURE_VIEW (self));

  self->aspect = aspect;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
vesicle_figure_view_set_activatable (VesicleFigureView *self,
                                     gboolean           activatable)
{
  g_return_if_fail (VESICLE_IS_FIGURE_VIEW (self));

  self->activatable = activatable;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), activatable ? "pointer" : NULL);
}

void
vesicle_figure_view_set_page_size (VesicleFigureView *self,
                                   double             width_pt,
                                   double             height_pt)
{
  g_return_if_fail (VESICLE_IS_FIGURE_VIEW (self));

  self->page_width = width_pt > 0 && height_pt > 0 ? width_pt : 0;
  self->page_height = width_pt > 0 && height_pt > 0 ? height_pt : 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
