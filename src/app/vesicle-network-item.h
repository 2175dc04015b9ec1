/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One trained network as a list item: its hyperparameters and last-epoch results, as
 * properties a GtkColumnView sorts by.
 */
#pragma once

#include <glib-object.h>
#include "vesicle-experiment-record.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_NETWORK_ITEM (vesicle_network_item_get_type ())

G_DECLARE_FINAL_TYPE (VesicleNetworkItem, vesicle_network_item, VESICLE, NETWORK_ITEM, GObject)

/* @run names its run folder ("cohort-2"; "." for the experiment folder itself). */
VesicleNetworkItem *vesicle_network_item_new           (const VesicleNetworkSummary *summary,
                                                        const char                  *run);
const VesicleNetworkSummary *
                    vesicle_network_item_get_summary   (VesicleNetworkItem          *self);
const char         *vesicle_network_item_get_run       (VesicleNetworkItem          *self);

G_END_DECLS
