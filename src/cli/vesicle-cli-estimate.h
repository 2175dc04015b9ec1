/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long experiments will take on this device, said before they start: their plans' work at
 * the rate a short trial on the device measures just now (vesicle-cl-rate.h), not a guess.
 */
#pragma once

#include "vesicle-experiment.h"

G_BEGIN_DECLS

/* Plans each (type, config), times a trial cohort as large as the largest planned one (at most
 * 64 networks) on @device, and prints to stderr the networks, the work and the time it will
 * take, with the rate measured. */
gboolean vesicle_cli_estimate (const VesicleExperimentType *const *types,
                               JsonObject                  *const *configs,
                               guint                               n,
                               const char                         *device,
                               GError                            **error);

G_END_DECLS
