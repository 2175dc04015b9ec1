/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reproduction of the paper, reopened or just finished: how far it got, the report PDF (or a
 * button that writes it), each experiment with how it ended (activating one opens it), and the
 * report's table of the paper's claims beside what was measured. Read in a worker; "loaded" or
 * "failed" (with the message naming the folder) says how opening went, and nothing shown
 * changes before it has read; "not-reproduction" (the folder) says it is no reproduction, so
 * the caller can open it as one experiment. Whether it is one is found in the worker too.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VESICLE_TYPE_REPRODUCTION_VIEW (vesicle_reproduction_view_get_type ())

G_DECLARE_FINAL_TYPE (VesicleReproductionView, vesicle_reproduction_view, VESICLE,
                      REPRODUCTION_VIEW, GtkWidget)

GtkWidget  *vesicle_reproduction_view_new        (void);
void        vesicle_reproduction_view_load       (VesicleReproductionView *self,
                                                  const char              *dir);
/* The folder shown, or NULL before the first load. */
const char *vesicle_reproduction_view_get_folder (VesicleReproductionView *self);
/* Rows of the claims table shown (0 until loaded), and the experiments that completed. */
guint       vesicle_reproduction_view_get_n_claims    (VesicleReproductionView *self);
guint       vesicle_reproduction_view_get_n_completed (VesicleReproductionView *self);
/* Whether the report PDF exists. */
gboolean    vesicle_reproduction_view_has_report (VesicleReproductionView *self);

G_END_DECLS
