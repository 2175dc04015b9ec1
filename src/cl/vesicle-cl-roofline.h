/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device's roofline, measured on the device itself (kernels/roofline.cl): memory bandwidth
 * as STREAM measures it (copy and triad, bytes read plus bytes written) and the float32
 * multiply-add rate. The benchmark sets the engine's speed against it.
 */
#pragma once

#include "vesicle-cl-device.h"

G_BEGIN_DECLS

typedef struct {
  double copy_gbps;      /* STREAM copy, 1e9 bytes/s */
  double triad_gbps;     /* STREAM triad, 1e9 bytes/s */
  double fma_gflops;     /* float32, 1e9 flop/s (a multiply-add is two) */
  gsize  buffer_bytes;   /* the size of each STREAM array */
} VesicleRoofline;

/* Best of several timed repetitions of each kernel, after an untimed one. */
gboolean vesicle_cl_roofline_measure (VesicleClDevice  *device,
                                      VesicleRoofline  *roofline,
                                      GError          **error);

/* STREAM copy over a working set of @bytes (two arrays of half of it, at least 1 MiB each): a
 * small one stays in the caches, as a small cohort's does. */
gboolean vesicle_cl_roofline_copy_at (VesicleClDevice  *device,
                                      gsize             bytes,
                                      double           *copy_gbps,
                                      GError          **error);

G_END_DECLS
