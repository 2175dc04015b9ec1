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

/* The kernels a cohort runs, built for @device (or found in the kernel cache: *@from_cache). */
cl_program     vesicle_cl_cohort_build_program (VesicleClDevice  *device,
                                                gboolean         *from_cache,
                                                GError          **error);

/* The most networks of @config's shape one cohort on the device @info describes can hold: its
 * memory less the data and a tenth, its largest allocation, 32-bit indices; and at most
 * $VESICLE_MAX_COHORT, where that is set (tests). Measured on PoCL, a cohort's speed per network
 * is flat from K = 64 to K = 256 (docs/benchmarks.md): no cache size to fit it into pays. */
guint          vesicle_cl_cohort_max_networks (const VesicleClDeviceInfo *info,
                                               const VesicleCohortConfig *config);

/* The noise of the last step, (S, P) in the per-network flat layout, S = distinct seeds in order
 * of first appearance (tests: the device must draw what vesicle_model_draw_noise draws). */
gboolean       vesicle_cl_cohort_read_noise (VesicleEngine *engine,
                                             float         *xi,
                                             guint         *n_slots,
                                             GError       **error);

/* The GEMMs of one training step (minibatch 0 of the training data), in the order the step runs
 * them, as VesicleGemmCall with the buffers cleared: shapes, transposes, leading dimensions,
 * strides and offsets. The step is really taken. What the CLBlast tuner times. */
GArray        *vesicle_cl_cohort_record_gemms (VesicleEngine *engine,
                                               GError       **error);

/* Bytes a training step must move per network of @shape with a sigma per synapse, at least,
 * whatever the kernels: Adam reads w, its gradient, mu, phi, their four moments and two noise
 * draws and writes seven of those back (68 bytes a parameter); the forward and the two backward
 * GEMMs read W twice and write its gradient (12). Activations are small beside them. The
 * benchmark divides the device's measured bandwidth by this: the memory-traffic floor. */
#define VESICLE_CL_COHORT_BYTES_PER_PARAM 80
gsize          vesicle_cl_cohort_step_bytes (const VesicleShape *shape);

G_END_DECLS
