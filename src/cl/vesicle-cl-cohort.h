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

/* Bytes a training step of a cohort of @K networks of @shape with a sigma per synapse, drawing
 * @n_seeds noise streams, at minibatch @batch, reads and writes in memory, kernel by kernel:
 *   - noise_draw writes the next step's noise: 4 bytes a parameter for each seed;
 *   - adam_update reads mu, phi, the sigma it carries, Adam's four moments, the gradient and both
 *     steps' noise, and writes the next weights, mu, phi, sigma and the four moments: 18 floats,
 *     72 bytes a parameter (sample_weights runs only for homogeneous networks);
 *   - the GEMMs read each layer's weights for the forward pass and again for the input gradient
 *     (not in the first layer, which has none), and write the weight gradient: 12 bytes a
 *     parameter, 8 in the first layer;
 *   - the activations: each unit's value per example written by its GEMM, read and written by
 *     bias and ReLU, read by the next layer's, and as much again backward: 32 bytes per unit and
 *     example, inputs read twice.
 * No cache is assumed: the benchmark divides the bandwidth STREAM measures at this working set
 * by it, the memory-traffic floor (vesicle-cli bench). */
gsize          vesicle_cl_cohort_step_bytes (const VesicleShape *shape,
                                             guint               K,
                                             guint               n_seeds,
                                             guint               batch);

G_END_DECLS
