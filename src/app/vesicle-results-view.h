/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A finished (or stopped) experiment: what it was and how it ended, every figure it produces
 * drawn from its folder, each shown alone and larger on a click, and its networks in a sortable
 * table. Everything is read in workers; "loaded" or "failed" (with the message naming the file)
 * says how opening went.
 */
#pragma once

#include <gtk/gtk.h>
#include "vesicle-experiment-record.h"
#include "vesicle-plot.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_RESULTS_VIEW (vesicle_results_view_get_type ())

G_DECLARE_FINAL_TYPE (VesicleResultsView, vesicle_results_view, VESICLE, RESULTS_VIEW, GtkWidget)

GtkWidget                     *vesicle_results_view_new          (void);
void                           vesicle_results_view_load         (VesicleResultsView *self,
                                                                  const char         *dir);
const char                    *vesicle_results_view_get_folder   (VesicleResultsView *self);
/* NULL until loaded. */
const VesicleExperimentRecord *vesicle_results_view_get_record   (VesicleResultsView *self);
/* The figure the user is looking at: the one shown alone, else the one that fills most of the
 * visible part of the overview (the first when none is drawn yet). */
const char                    *vesicle_results_view_get_figure   (VesicleResultsView *self);
/* Every figure of the experiment, in order (names such as "fig2"). */
GPtrArray                     *vesicle_results_view_get_figures  (VesicleResultsView *self);
/* Whether the figures are drawn from a partial summary (a run that did not complete). */
gboolean                       vesicle_results_view_get_partial  (VesicleResultsView *self);
/* The plot drawn for @name in the overview, or NULL (not drawn yet, or it failed). */
VesiclePlot                   *vesicle_results_view_get_plot     (VesicleResultsView *self,
                                                                  const char         *name);
/* Figures still being drawn. */
guint                          vesicle_results_view_get_pending  (VesicleResultsView *self);
void                           vesicle_results_view_show_figure  (VesicleResultsView *self,
                                                                  const char         *name);
/* One panel of @name's figure alone (-1: the whole figure), larger. */
void                           vesicle_results_view_show_panel   (VesicleResultsView *self,
                                                                  const char         *name,
                                                                  int                 panel);
/* Whether one figure (or one panel) is shown alone; "shown-changed" says when this changes. */
gboolean                       vesicle_results_view_get_showing_one (VesicleResultsView *self);
/* The panel shown alone, or -1. */
int                            vesicle_results_view_get_panel    (VesicleResultsView *self);
void                           vesicle_results_view_show_overview (VesicleResultsView *self);

G_END_DECLS
