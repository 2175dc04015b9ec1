/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cl-roofline.h"
#include "vesicle-cl-program.h"

#define REPEATS 6
#define LOCAL NULL
#define FMA_ROUNDS 512            /* ROOFLINE_FMA_ROUNDS in roofline.cl */
#define STREAM_BYTES (128u << 20) /* per array: well past any CPU's last-level cache */

static const char *const roofline_files[] = { "roofline.cl", NULL };

/* Seconds of the fastest of REPEATS runs of @kernel over @global work-items (one untimed run
 * first: allocation on first touch and the driver's own warm-up are not bandwidth). */
static gboolean
best_time (VesicleClDevice *device,
           cl_kernel        kernel,
           gsize            global,
           const gsize     *local,
           double          *seconds,
           GError         **error)
{
  g_autoptr(GTimer) timer = g_timer_new ();

  *seconds = G_MAXDOUBLE;
  if (!vesicle_cl_check_launch (device, kernel, 1, &global, local, error))
    return FALSE;
  for (guint r = 0; r <= REPEATS; r++)
    {
      g_timer_start (timer);
      if (!vesicle_cl_check (clEnqueueNDRangeKernel (device->queue, kernel, 1, NULL, &global,
                                                     local, 0, NULL, NULL),
                             "clEnqueueNDRangeKernel", error)
          || !vesicle_cl_check (clFinish (device->queue), "clFinish", error))
        return FALSE;
      if (r > 0)
        *seconds = MIN (*seconds, g_timer_elapsed (timer, NULL));
    }
  return TRUE;
}

static gboolean
set_arg (cl_kernel   kernel,
         cl_uint     index,
         gsize       size,
         const void *value,
         GError    **error)
{
  return vesicle_cl_check (clSetKernelArg (kernel, index, size, value), "clSetKernelArg", error);
}

/* STREAM copy from @b to @a, @bytes each: bytes read plus written a second, in 1e9. */
static gboolean
time_copy (VesicleClDevice  *device,
           cl_kernel         copy,
           cl_mem            a,
           cl_mem            b,
           gsize             bytes,
           double           *gbps,
           GError          **error)
{
  double t;

  if (!set_arg (copy, 0, sizeof a, &a, error) || !set_arg (copy, 1, sizeof b, &b, error)
      || !best_time (device, copy, bytes / 32, LOCAL, &t, error))
    return FALSE;
  *gbps = 2.0 * bytes / t / 1e9;
  return TRUE;
}

gboolean
vesicle_cl_roofline_measure (VesicleClDevice  *device,
                             VesicleRoofline  *roofline,
                             GError          **error)
{
  cl_program program = NULL;
  cl_kernel copy = NULL, triad = NULL, fma = NULL;
  cl_mem a = NULL, b = NULL, c = NULL;
  gsize bytes = MIN ((gsize) STREAM_BYTES, MIN (device->info.max_alloc, device->info.global_mem / 8));
  gsize n8 = bytes / 32;                            /* float8 elements */
  gsize fma_items = (gsize) MAX (device->info.compute_units, 1) * 4096;
  cl_float s = 3.0f, x = 0.999f, y = 0.001f;
  cl_int status = CL_SUCCESS;
  double t;
  gboolean ok = FALSE;

  bytes = n8 * 32;
  roofline->buffer_bytes = bytes;
  if (!(program = vesicle_cl_program_build_files (device, roofline_files, NULL, NULL, error))
      || !(copy = vesicle_cl_kernel_new (program, "stream_copy", error))
      || !(triad = vesicle_cl_kernel_new (program, "stream_triad", error))
      || !(fma = vesicle_cl_kernel_new (program, "fma_peak", error)))
    goto out;

  a = clCreateBuffer (device->context, CL_MEM_READ_WRITE, bytes, NULL, &status);
  if (status == CL_SUCCESS)
    b = clCreateBuffer (device->context, CL_MEM_READ_WRITE, bytes, NULL, &status);
  if (status == CL_SUCCESS)
    c = clCreateBuffer (device->context, CL_MEM_READ_WRITE, MAX (bytes, fma_items * 4), NULL,
                        &status);
  if (!vesicle_cl_check (status, "clCreateBuffer", error))
    goto out;
  /* untouched pages would read as the zero page on CPU devices: fill them first */
  if (!vesicle_cl_zero_buffer (device, b, 0, bytes, error)
      || !vesicle_cl_zero_buffer (device, c, 0, bytes, error))
    goto out;

  if (!time_copy (device, copy, a, b, bytes, &roofline->copy_gbps, error))
    goto out;

  if (!set_arg (triad, 0, sizeof a, &a, error) || !set_arg (triad, 1, sizeof b, &b, error)
      || !set_arg (triad, 2, sizeof c, &c, error) || !set_arg (triad, 3, sizeof s, &s, error)
      || !best_time (device, triad, n8, LOCAL, &t, error))
    goto out;
  roofline->triad_gbps = 3.0 * bytes / t / 1e9;

  if (!set_arg (fma, 0, sizeof c, &c, error) || !set_arg (fma, 1, sizeof x, &x, error)
      || !set_arg (fma, 2, sizeof y, &y, error)
      || !best_time (device, fma, fma_items, LOCAL, &t, error))
    goto out;
  roofline->fma_gflops = (double) fma_items * 8 * 8 * 2 * FMA_ROUNDS / t / 1e9;
  ok = TRUE;

out:
  g_clear_pointer (&a, clReleaseMemObject);
  g_clear_pointer (&b, clReleaseMemObject);
  g_clear_pointer (&c, clReleaseMemObject);
  g_clear_pointer (&copy, clReleaseKernel);
  g_clear_pointer (&triad, clReleaseKernel);
  g_clear_pointer (&fma, clReleaseKernel);
  g_clear_pointer (&program, clReleaseProgram);
  return ok;
}

gboolean
vesicle_cl_roofline_copy_at (VesicleClDevice  *device,
                             gsize             bytes,
                             double           *copy_gbps,
                             GError          **error)
{
  cl_program program = NULL;
  cl_kernel copy = NULL;
  cl_mem a = NULL, b = NULL;
  cl_int status = CL_SUCCESS;
  gsize n8;
  gboolean ok = FALSE;

  /* two arrays, each half the working set, within what the device allocates */
  bytes = CLAMP (bytes / 2, (gsize) 1 << 20, MIN (device->info.max_alloc, device->info.global_mem / 8));
  n8 = bytes / 32;
  bytes = n8 * 32;
  if (!(program = vesicle_cl_program_build_files (device, roofline_files, NULL, NULL, error))
      || !(copy = vesicle_cl_kernel_new (program, "stream_copy", error)))
    goto out;
  a = clCreateBuffer (device->context, CL_MEM_READ_WRITE, bytes, NULL, &status);
  if (status == CL_SUCCESS)
    b = clCreateBuffer (device->context, CL_MEM_READ_WRITE, bytes, NULL, &status);
  if (!vesicle_cl_check (status, "clCreateBuffer", error)
      || !vesicle_cl_zero_buffer (device, b, 0, bytes, error)
      || !time_copy (device, copy, a, b, bytes, copy_gbps, error))
    goto out;
  ok = TRUE;

out:
  g_clear_pointer (&a, clReleaseMemObject);
  g_clear_pointer (&b, clReleaseMemObject);
  g_clear_pointer (&copy, clReleaseKernel);
  g_clear_pointer (&program, clReleaseProgram);
  return ok;
}
