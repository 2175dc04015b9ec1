/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-gemm.h"
#include "vesicle-blas-tuning.h"
#include "vesicle-cl-program.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

/* the work-items' tiles, as kernels/gemm.cl defines them */
#define GEMM_TM 8
#define GEMM_NT_M 4
#define GEMM_NT_N 2

struct _VesicleGemm {
  VesicleClDevice *device;
  gboolean         own;                 /* Vesicle's kernels, else CLBlast */
  char            *origin;              /* why: for run.json and bench */
  cl_kernel        nn, tn, nt;
  GArray          *recording;           /* of VesicleGemmCall, or NULL */
};

/* "measured faster (5.68x)": the winner's margin, when both were timed */
static char *
margin (const VesicleBlasTuning *tuning)
{
  if (isfinite (tuning->gemm_speedup) && tuning->gemm_speedup > 0)
    return g_strdup_printf ("measured faster (%.2fx)", tuning->gemm_speedup);
  /* Vesicle's kernels failed the tuner's check against float64: only CLBlast could run */
  return g_strdup ("the one that passed the check against float64");
}

gboolean
vesicle_gemm_choose (const VesicleClDeviceInfo  *info,
                     gboolean                   *measured,
                     char                      **origin)
{
  const char *choice = g_getenv ("VESICLE_GEMM");
  g_autoptr(VesicleBlasTuning) tuning = NULL;
  g_autofree char *why = NULL, *how = NULL;
  gboolean clblast;

  if (measured)
    *measured = FALSE;
  if (g_strcmp0 (choice, "clblast") == 0 || g_strcmp0 (choice, "vesicle") == 0)
    {
      clblast = g_str_equal (choice, "clblast");
      why = g_strdup_printf ("set by VESICLE_GEMM=%s", choice);
      if (origin)
        *origin = g_steal_pointer (&why);
      return clblast;
    }
  /* the user's tuning, else the shipped table's entry; a user's tuning from before the two
   * GEMMs were timed against each other leaves the choice to the table. A tuning file that
   * cannot be read is the cohort's to report, when it applies CLBlast's parameters. */
  tuning = vesicle_blas_tuning_find (info, NULL);
  if (tuning && tuning->gemm == NULL && !tuning->shipped)
    {
      g_clear_pointer (&tuning, vesicle_blas_tuning_free);
      tuning = vesicle_blas_tuning_find_shipped (info, NULL);
    }
  if (tuning && tuning->gemm)
    {
      clblast = g_str_equal (tuning->gemm, "clblast");
      how = margin (tuning);
      if (tuning->shipped)
        why = g_strdup_printf ("%s on this platform's %s devices, Vesicle's table (%s)", how,
                               vesicle_cl_device_type_name (info->type),
                               tuning->measured_on ? tuning->measured_on : tuning->path);
      else if (tuning->quick)
        why = g_strdup_printf ("%s on this device in a quick timing on %.10s, against CLBlast's "
                               "own parameters (%s)", how,
                               tuning->tuned ? tuning->tuned : "?", tuning->path);
      else
        why = g_strdup_printf ("%s on this device by vesicle-cli tune on %.10s (%s)", how,
                               tuning->tuned ? tuning->tuned : "?", tuning->path);
      if (measured)
        *measured = TRUE;
    }
  else
    {
      clblast = TRUE;
      why = g_strdup ("CLBlast, as for any device not timed yet: a run times both on a device's "
                      "first use, and vesicle-cli tune as well");
    }
  if (origin)
    *origin = g_steal_pointer (&why);
  return clblast;
}

VesicleGemm *
vesicle_gemm_new (VesicleClDevice  *device,
                  cl_program        program,
                  GError          **error)
{
  const char *choice = g_getenv ("VESICLE_GEMM");
  g_autofree char *origin = NULL;
  VesicleGemm *gemm;

  if (choice && *choice && !g_str_equal (choice, "clblast") && !g_str_equal (choice, "vesicle"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "VESICLE_GEMM: '%s' is neither 'clblast' nor 'vesicle'", choice);
      return NULL;
    }
  if (!(gemm = vesicle_gemm_new_for (device, program,
                                     !vesicle_gemm_choose (&device->info, NULL, &origin), error)))
    return NULL;
  gemm->origin = g_steal_pointer (&origin);
  return gemm;
}

VesicleGemm *
vesicle_gemm_new_for (VesicleClDevice  *device,
                      cl_program        program,
                      gboolean          own,
                      GError          **error)
{
  VesicleGemm *gemm = g_new0 (VesicleGemm, 1);

  gemm->device = device;
  gemm->own = own;
  if (gemm->own
      && (!(gemm->nn = vesicle_cl_kernel_new (program, "gemm_nn", error))
          || !(gemm->tn = vesicle_cl_kernel_new (program, "gemm_tn", error))
          || !(gemm->nt = vesicle_cl_kernel_new (program, "gemm_nt", error))))
    {
      vesicle_gemm_free (gemm);
      return NULL;
    }
  return gemm;
}

void
vesicle_gemm_free (VesicleGemm *gemm)
{
  if (gemm == NULL)
    return;
  g_clear_pointer (&gemm->nn, clReleaseKernel);
  g_clear_pointer (&gemm->tn, clReleaseKernel);
  g_clear_pointer (&gemm->nt, clReleaseKernel);
  g_free (gemm->origin);
  g_free (gemm);
}

void
vesicle_gemm_record (VesicleGemm *gemm,
                     GArray      *calls)
{
  gemm->recording = calls;
}

const char *
vesicle_gemm_name (VesicleGemm *gemm)
{
  return gemm->own ? "vesicle" : "clblast";
}

const char *
vesicle_gemm_origin (VesicleGemm *gemm)
{
  return gemm->origin;
}

static gsize
round_up (gsize n,
          gsize to)
{
  return (n + to - 1) / to * to;
}

gboolean
vesicle_gemm_run (VesicleGemm      *gemm,
                  gsize             batch,
                  gsize             m,
                  gsize             n,
                  gsize             k,
                  const VesicleMat *a,
                  const VesicleMat *b,
                  const VesicleMat *c,
                  GError          **error)
{
  cl_kernel kernel = !a->trans && !b->trans ? gemm->nn
                   : a->trans && !b->trans ? gemm->tn
                   : !a->trans && b->trans ? gemm->nt : NULL;
  cl_uint args[15] = {
    m, n, k, 0, a->offset, a->ld, a->stride, 0, b->offset, b->ld, b->stride,
    0, c->offset, c->ld, c->stride,
  };
  const cl_mem mems[3] = { a->buffer, b->buffer, c->buffer };
  /* the tile a work-item computes (kernels/gemm.cl): 8 columns x GEMM_TM rows, work-groups of
   * 16 tiles along the columns; for NT GEMM_NT_N columns x GEMM_NT_M rows, the row tiles along
   * dimension 0, so that the work-items reading the same rows of B (the weights, large) run one
   * after another on a CPU and find them in cache: B read once from memory, not m / 4 times */
  gboolean nt = kernel == gemm->nt;
  gsize col_tiles = (n + (nt ? GEMM_NT_N : 8) - 1) / (nt ? GEMM_NT_N : 8);
  gsize row_tiles = (m + (nt ? GEMM_NT_M : GEMM_TM) - 1) / (nt ? GEMM_NT_M : GEMM_TM);
  gsize local[3] = { MIN (16, col_tiles), 1, 1 };
  gsize global[3] = { round_up (col_tiles, local[0]), row_tiles, batch };
  cl_int status = CL_SUCCESS;

  if (gemm->recording)
    g_array_append_val (gemm->recording, ((VesicleGemmCall) { batch, m, n, k, *a, *b, *c }));
  if (nt)
    {
      local[0] = MIN (16, row_tiles);
      local[1] = MIN (8, col_tiles);
      global[0] = round_up (row_tiles, local[0]);
      global[1] = round_up (col_tiles, local[1]);
    }

  if (!gemm->own || kernel == NULL)   /* both transposed: no product of a step needs it */
    return vesicle_blas_sgemm (gemm->device->queue, batch, m, n, k, 1.0f, a, b, 0.0f, c, error);
  if (m == 0 || n == 0 || batch == 0)
    return TRUE;
  for (cl_uint i = 0; i < G_N_ELEMENTS (args) && status == CL_SUCCESS; i++)
    status = i == 3 || i == 7 || i == 11
             ? clSetKernelArg (kernel, i, sizeof (cl_mem), &mems[(i - 3) / 4])
             : clSetKernelArg (kernel, i, sizeof (cl_uint), &args[i]);
  if (status == CL_SUCCESS
      && !vesicle_cl_check_launch (gemm->device, kernel, 3, global, local, error))
    return FALSE;
  if (status == CL_SUCCESS)
    status = clEnqueueNDRangeKernel (gemm->device->queue, kernel, 3, NULL, global, local, 0, NULL,
                                     NULL);
  if (status != CL_SUCCESS)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_CALL,
                   "%s: Vesicle's GEMM (%zu x %zu x %zu, batch %zu) failed: %s (%d)",
                   gemm->device->info.name, m, n, k, batch, vesicle_cl_status_name (status),
                   status);
      return FALSE;
    }
  return TRUE;
}
