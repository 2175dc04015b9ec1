/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A figure on screen: a VesiclePlot drawn by src/plot through gtk_snapshot_append_cairo, so the
 * window and every export share one drawing path, sharp at any scale factor. Its height follows
 * its width by the figure's aspect at that width; light or dark follows the system. Clicking it
 * emits "activate" with the panel clicked (-1 between panels), to show that panel alone and
 * larger. Without a plot it shows a message instead.
 */
#pragma once

#include <gtk/gtk.h>
#include "vesicle-plot.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_FIGURE_VIEW (vesicle_figure_view_get_type ())

G_DECLARE_FINAL_TYPE (VesicleFigureView, vesicle_figure_view, VESICLE, FIGURE_VIEW, GtkWidget)

GtkWidget   *vesicle_figure_view_new         (void);
/* Takes @plot (NULL clears it). */
void         vesicle_figure_view_set_plot    (VesicleFigureView *self,
                                              VesiclePlot       *plot);
VesiclePlot *vesicle_figure_view_get_plot    (VesicleFigureView *self);
/* What shows while there is no plot: "Drawing…", or why there is none. */
void         vesicle_figure_view_set_message (VesicleFigureView *self,
                                              const char        *message);
/* Height over width to keep when laid out; <= 0 takes the plot's own at each width. */
void         vesicle_figure_view_set_aspect  (VesicleFigureView *self,
                                              double             aspect);
/* Draw the figure as it will be exported, @width_pt x @height_pt points, scaled to the widget's
 * width (a preview); 0 x 0 goes back to laying the figure out for the widget itself. */
void         vesicle_figure_view_set_page_size (VesicleFigureView *self,
                                                double             width_pt,
                                                double             height_pt);
/* Whether clicks activate it (and the pointer says so). */
void         vesicle_figure_view_set_activatable (VesicleFigureView *self,
                                                  gboolean           activatable);

G_END_DECLS
