/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The OpenCL implementation of VesicleEngine: a cohort of K networks trained in lockstep with
 * CLBlast GEMMs and the kernels in kernels/ (*.cl).
 */
#pragma once

#include "vesicle-engine.h"
#include "vesicle-cl-device.h"

G_BEGIN_DECLS

/* Takes ownership of device. Parameters start from each network's seed (vesicle-model.h). */
VesicleEngine *vesicle_cl_cohort_new (VesicleClDevice           *device,
                                      const VesicleCohortConfig *config,
                                      GError                   **error);

/* The noise of the last step, (S, P) in the per-network flat layout, S = distinct seeds in order
 * of first appearance (tests: the device must draw what vesicle_model_draw_noise draws). */
gboolean       vesicle_cl_cohort_read_noise (VesicleEngine *engine,
                                             float         *xi,
                                             guint         *n_slots,
                                             GError       **error);

G_END_DECLS
