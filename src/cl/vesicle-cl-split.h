/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sweep of more networks than one cohort on the device holds, as one VesicleEngine: cohorts
 * of at most @max networks (vesicle_cl_cohort_max_networks), as even as can be, each on its own
 * context of the device @selector opens, stepped together. Results are those of one cohort.
 */
#pragma once

#include "vesicle-engine.h"

G_BEGIN_DECLS

VesicleEngine *vesicle_cl_split_new (const char                *selector,
                                     const VesicleCohortConfig *config,
                                     guint                      max,
                                     GError                   **error);

G_END_DECLS
