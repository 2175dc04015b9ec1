/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GEMM a cohort runs, chosen per device as CLBlast chooses its own kernel variants: on CPU
 * devices Vesicle's barrier-free kernels (kernels/gemm.cl), which PoCL runs in SIMD lanes, and
 * CLBlast everywhere else. VESICLE_GEMM=clblast forces CLBlast everywhere, VESICLE_GEMM=vesicle
 * forces Vesicle's kernels (so that tests exercise them on any device).
 */
#pragma once

#include "vesicle-blas.h"

G_BEGIN_DECLS

typedef struct _VesicleGemm VesicleGemm;

/* One product as vesicle_gemm_run received it (the tuner replays a step's products) */
typedef struct {
  gsize      batch, m, n, k;
  VesicleMat a, b, c;
} VesicleGemmCall;

/* Whether cohorts on a device of @type run CLBlast, after VESICLE_GEMM. */
gboolean     vesicle_gemm_uses_clblast (cl_device_type type);
/* @program holds kernels/gemm.cl (the cohort's program). */
VesicleGemm *vesicle_gemm_new  (VesicleClDevice  *device,
                                cl_program        program,
                                GError          **error);
void         vesicle_gemm_free (VesicleGemm      *gemm);
/* "vesicle" or "clblast": what vesicle_gemm_run uses (for run.json and the benchmark). */
const char  *vesicle_gemm_name (VesicleGemm      *gemm);
/* While @calls is set, every vesicle_gemm_run appends its VesicleGemmCall there; NULL stops. */
void         vesicle_gemm_record (VesicleGemm    *gemm,
                                  GArray         *calls);
/* C = op(A) op(B) for every batch member, as vesicle_blas_sgemm with alpha 1, beta 0. */
gboolean     vesicle_gemm_run  (VesicleGemm      *gemm,
                                gsize             batch,
                                gsize             m,
                                gsize             n,
                                gsize             k,
                                const VesicleMat *a,
                                const VesicleMat *b,
                                const VesicleMat *c,
                                GError          **error);

G_END_DECLS
