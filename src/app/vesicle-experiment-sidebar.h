/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sidebar: the start page (recent experiments), the paper's six experiments and custom
 * training, each with the figures it reproduces, and "Reproduce the paper". Choosing a row
 * emits "activated" with its id: "start", an experiment type's name, or "reproduce".
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VESICLE_TYPE_EXPERIMENT_SIDEBAR (vesicle_experiment_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (VesicleExperimentSidebar, vesicle_experiment_sidebar, VESICLE,
                      EXPERIMENT_SIDEBAR, GtkWidget)

GtkWidget  *vesicle_experiment_sidebar_new      (void);
/* Selects the row with @id without emitting "activated" (NULL: none). */
void        vesicle_experiment_sidebar_select   (VesicleExperimentSidebar *self,
                                                 const char               *id);
const char *vesicle_experiment_sidebar_get_selected (VesicleExperimentSidebar *self);

G_END_DECLS
