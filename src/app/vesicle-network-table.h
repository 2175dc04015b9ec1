/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The networks of an experiment in a table sortable by every column: run folder, ρ, c,
 * setting, seed, test accuracy, mean and RMS σ, and the reliability cost (s = 1).
 */
#pragma once

#include <gtk/gtk.h>
#include "vesicle-experiment-record.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_NETWORK_TABLE (vesicle_network_table_get_type ())

G_DECLARE_FINAL_TYPE (VesicleNetworkTable, vesicle_network_table, VESICLE, NETWORK_TABLE,
                      GtkWidget)

GtkWidget *vesicle_network_table_new          (void);
/* The networks of @record (its networks loaded); NULL empties the table. */
void       vesicle_network_table_set_record   (VesicleNetworkTable           *self,
                                               const VesicleExperimentRecord *record);
/* Networks of a running cohort, appended as cohorts finish: @summaries (n) in run @run. */
void       vesicle_network_table_add          (VesicleNetworkTable           *self,
                                               const VesicleNetworkSummary   *summaries,
                                               guint                          n,
                                               const char                    *run);
guint      vesicle_network_table_get_n_items  (VesicleNetworkTable           *self);

G_END_DECLS
