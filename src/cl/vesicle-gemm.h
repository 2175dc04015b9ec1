/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GEMM a cohort runs, chosen per device by measurement: Vesicle's barrier-free kernels
 * (kernels/gemm.cl), which PoCL runs in SIMD lanes, or CLBlast. `vesicle-cli tune` times both on
 * the products of a training step and keeps the faster for the device, driver and CLBlast in the
 * user's cache (vesicle-blas-tune.h); data/clblast-tuning.json ships what it measured on PoCL and
 * on Mesa rusticl's CPU device; a device in neither is timed quickly on its first use
 * (vesicle_cl_prepare_device), and runs CLBlast until then. VESICLE_GEMM=clblast or
 * =vesicle overrides all of it (so that tests exercise either on any device).
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

/* Whether cohorts on the device @info describes run CLBlast: VESICLE_GEMM, else the faster one
 * measured there (the user's tuning, else the shipped table; *@measured says so), else CLBlast;
 * VESICLE_GEMM leaves *@measured FALSE.
 * @origin gets why, one phrase for run.json and bench. Either may be NULL. */
gboolean     vesicle_gemm_choose (const VesicleClDeviceInfo  *info,
                                  gboolean                   *measured,
                                  char                      **origin);
/* The GEMM vesicle_gemm_choose picks; @program holds kernels/gemm.cl (the cohort's program). */
VesicleGemm *vesicle_gemm_new  (VesicleClDevice  *device,
                                cl_program        program,
                                GError          **error);
/* Vesicle's kernels (@own) or CLBlast, whatever the choice: for the tuner that times both. */
VesicleGemm *vesicle_gemm_new_for (VesicleClDevice  *device,
                                   cl_program        program,
                                   gboolean          own,
                                   GError          **error);
void         vesicle_gemm_free (VesicleGemm      *gemm);
/* "vesicle" or "clblast": what vesicle_gemm_run uses (for run.json and the benchmark). */
const char  *vesicle_gemm_name (VesicleGemm      *gemm);
/* Why it runs that one (vesicle_gemm_choose), NULL from vesicle_gemm_new_for. */
const char  *vesicle_gemm_origin (VesicleGemm    *gemm);
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
