/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one file that talks to CLBlast: row-major SGEMM, plain and strided-batched, with CLBlast's
 * status codes turned into GErrors.
 */
#pragma once

#include "vesicle-cl-device.h"

G_BEGIN_DECLS

typedef struct {
  cl_mem buffer;
  gsize  offset;   /* elements */
  gsize  ld;       /* leading dimension (row-major: elements per row) */
  gsize  stride;   /* elements between batch members (batched only) */
  gboolean trans;  /* use the transpose (ignored for C) */
} VesicleMat;

/* C = alpha * op(A) op(B) + beta * C, with op(A) (m, k), op(B) (k, n), C (m, n); batch members
 * 0 .. batch-1 at their strides (batch 1 runs a plain SGEMM). */
gboolean    vesicle_blas_sgemm        (cl_command_queue  queue,
                                       gsize             batch,
                                       gsize             m,
                                       gsize             n,
                                       gsize             k,
                                       float             alpha,
                                       const VesicleMat *a,
                                       const VesicleMat *b,
                                       float             beta,
                                       const VesicleMat *c,
                                       GError          **error);

/* Empties CLBlast's caches of compiled programs (every context's: CLBlast has no call for one).
 * vesicle_cl_device_free calls it before it releases a context: CLBlast keeps a program for
 * every context it ever ran in, and a program kept past its context is never used again, holds
 * memory for as long as the process runs, and is released only when C++ tears the cache down at
 * exit, after the OpenCL runtime may be gone. Under oclgrind that release corrupts the heap. */
void        vesicle_blas_forget_programs (void);
const char *vesicle_blas_version      (void);

G_END_DECLS
