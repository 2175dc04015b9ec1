/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CLBlast wrapper. CLBlast compiles each routine on first use (seconds on PoCL, then cached in
 * memory by CLBlast and on disk by PoCL), so the first step of a run is slow, later ones not.
 */
#include "vesicle-blas.h"

#include <clblast_c.h>

static gboolean
blas_check (CLBlastStatusCode  status,
            const char        *call,
            GError           **error)
{
  if (status == CLBlastSuccess)
    return TRUE;
  g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_BLAS, "%s failed: CLBlast status %d%s",
               call, (int) status,
               status == CLBlastInvalidLocalMemUsage || status == CLBlastOpenCLOutOfResources
               ? " (out of device resources)" : "");
  return FALSE;
}

gboolean
vesicle_blas_sgemm (cl_command_queue  queue,
                    gsize             batch,
                    gsize             m,
                    gsize             n,
                    gsize             k,
                    float             alpha,
                    const VesicleMat *a,
                    const VesicleMat *b,
                    float             beta,
                    const VesicleMat *c,
                    GError          **error)
{
  CLBlastTranspose ta = a->trans ? CLBlastTransposeYes : CLBlastTransposeNo;
  CLBlastTranspose tb = b->trans ? CLBlastTransposeYes : CLBlastTransposeNo;

  if (batch == 1)
    return blas_check (CLBlastSgemm (CLBlastLayoutRowMajor, ta, tb, m, n, k, alpha,
                                     a->buffer, a->offset, a->ld,
                                     b->buffer, b->offset, b->ld, beta,
                                     c->buffer, c->offset, c->ld, &queue, NULL),
                       "CLBlastSgemm", error);
  return blas_check (CLBlastSgemmStridedBatched (CLBlastLayoutRowMajor, ta, tb, m, n, k, alpha,
                                                 a->buffer, a->offset, a->ld, a->stride,
                                                 b->buffer, b->offset, b->ld, b->stride, beta,
                                                 c->buffer, c->offset, c->ld, c->stride,
                                                 batch, &queue, NULL),
                     "CLBlastSgemmStridedBatched", error);
}

void
vesicle_blas_forget_programs (void)
{
  CLBlastClearCache ();
}

const char *
vesicle_blas_version (void)
{
  return G_STRINGIFY (CLBLAST_VERSION_MAJOR) "." G_STRINGIFY (CLBLAST_VERSION_MINOR) "."
         G_STRINGIFY (CLBLAST_VERSION_PATCH);
}
