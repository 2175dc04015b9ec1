/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass of a cohort through the device's queue: the helpers that set arguments, launch and
 * move buffers, then sampling the weights, the forward and backward passes and the fused update.
 * Nothing here waits for the device (vesicle-cl-cohort-private.h).
 */
#include "vesicle-cl-cohort-private.h"
#include "vesicle_philox.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* VESICLE_PROFILE=1: wait after every kernel and GEMM and add up wall time per operation, printed
 * when the engine is freed. It serialises the queue, so only the proportions mean anything. */
static void
profile_add (VesicleClCohort *self,
             const char      *name,
             gint64           start)
{
  double *total;

  clFinish (self->device->queue);
  total = g_hash_table_lookup (self->profile, name);
  if (total == NULL)
    g_hash_table_insert (self->profile, g_strdup (name), total = g_new0 (double, 1));
  *total += (g_get_monotonic_time () - start) * 1e-6;
}

void
cohort_profile_print (VesicleClCohort *self)
{
  GHashTableIter iter;
  gpointer key, value;
  double sum = 0;

  g_hash_table_iter_init (&iter, self->profile);
  while (g_hash_table_iter_next (&iter, &key, &value))
    sum += *(double *) value;
  g_hash_table_iter_init (&iter, self->profile);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_printerr ("profile %-32s %8.3f s %5.1f%% (per step %.1f us)\n", (char *) key,
                *(double *) value, 100 * *(double *) value / sum,
                1e6 * *(double *) value / MAX (self->t, 1));
}

/* ---- small helpers ---------------------------------------------------------------------- */

/* An OpenCL call's failure, naming the device it failed on: with several devices (or a sweep's
 * cells on several nodes) "clEnqueueReadBuffer failed" alone does not say where to look. */
gboolean
cohort_check (VesicleClCohort *self,
              cl_int           status,
              const char      *call,
              GError         **error)
{
  if (vesicle_cl_check (status, call, error))
    return TRUE;
  g_prefix_error (error, "%s: ", self->device->info.name);
  return FALSE;
}

/* The device name of a kernel's context, for errors where only the kernel is at hand. */
static void
kernel_device_name (cl_kernel kernel,
                    char     *name,
                    gsize     size)
{
  cl_context context = NULL;
  cl_device_id device = NULL;

  name[0] = '\0';
  if (clGetKernelInfo (kernel, CL_KERNEL_CONTEXT, sizeof context, &context, NULL) == CL_SUCCESS
      && clGetContextInfo (context, CL_CONTEXT_DEVICES, sizeof device, &device, NULL) == CL_SUCCESS)
    clGetDeviceInfo (device, CL_DEVICE_NAME, size - 1, name, NULL);
}

gboolean
cohort_set_args (cl_kernel   kernel,
                 GError    **error,
                 ...)
{
  va_list ap;
  cl_uint index = 0;
  gsize size;

  va_start (ap, error);
  while ((size = va_arg (ap, gsize)) != 0)
    {
      const void *value = va_arg (ap, const void *);
      cl_int status = clSetKernelArg (kernel, index, size, value);

      if (status != CL_SUCCESS)
        {
          char name[128] = "", device[256];

          clGetKernelInfo (kernel, CL_KERNEL_FUNCTION_NAME, sizeof name - 1, name, NULL);
          kernel_device_name (kernel, device, sizeof device);
          g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_CALL,
                       "%s: clSetKernelArg (%s, argument %u) failed: %s (%d)",
                       device, name, index, vesicle_cl_status_name (status), status);
          va_end (ap);
          return FALSE;
        }
      index++;
    }
  va_end (ap);
  return TRUE;
}


gboolean
cohort_launch (VesicleClCohort *self,
               cl_kernel        kernel,
               guint            dims,
               const gsize     *global,
               const gsize     *local,
               GError         **error)
{
  gint64 start;
  cl_int status;

  if (!vesicle_cl_check_launch (self->device, kernel, dims, global, local, error))
    {
      g_prefix_error (error, "%s: ", self->device->info.name);
      return FALSE;
    }
  start = self->profile ? (clFinish (self->device->queue), g_get_monotonic_time ()) : 0;
  status = clEnqueueNDRangeKernel (self->device->queue, kernel, dims, NULL, global, local, 0,
                                   NULL, NULL);
  if (self->profile && status == CL_SUCCESS)
    {
      char name[128] = "";

      clGetKernelInfo (kernel, CL_KERNEL_FUNCTION_NAME, sizeof name - 1, name, NULL);
      profile_add (self, name, start);
    }
  if (status != CL_SUCCESS)
    {
      char name[128] = "";

      clGetKernelInfo (kernel, CL_KERNEL_FUNCTION_NAME, sizeof name - 1, name, NULL);
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_CALL,
                   "%s: clEnqueueNDRangeKernel (%s) failed: %s (%d)",
                   self->device->info.name, name, vesicle_cl_status_name (status), status);
      return FALSE;
    }
  return TRUE;
}

cl_mem
cohort_buffer_new (VesicleClCohort *self,
                   gsize            bytes,
                   GError         **error)
{
  cl_int status = CL_SUCCESS;
  cl_mem mem;

  if (bytes > self->device->info.max_alloc)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_OUT_OF_MEMORY,
                   "a buffer of %" G_GSIZE_FORMAT " MiB exceeds the device's largest allocation "
                   "(%" G_GUINT64_FORMAT " MiB on %s); use fewer networks or a smaller dataset",
                   bytes >> 20, self->device->info.max_alloc >> 20, self->device->info.name);
      return NULL;
    }
  mem = clCreateBuffer (self->device->context, CL_MEM_READ_WRITE, MAX (bytes, 4), NULL, &status);
  if (!cohort_check (self, status, "clCreateBuffer", error))
    return NULL;
  if (!cohort_zero_buffer (self, mem, MAX (bytes, 4) & ~(gsize) 3, error))
    {
      clReleaseMemObject (mem);
      return NULL;
    }
  return mem;
}

gboolean
cohort_write_buffer (VesicleClCohort *self,
                     cl_mem           mem,
                     const void      *data,
                     gsize            bytes,
                     GError         **error)
{
  return cohort_check (self, clEnqueueWriteBuffer (self->device->queue, mem, CL_TRUE, 0, bytes,
                                            data, 0, NULL, NULL),
                       "clEnqueueWriteBuffer", error);
}

gboolean
cohort_read_buffer (VesicleClCohort *self,
                    cl_mem           mem,
                    void            *data,
                    gsize            bytes,
                    GError         **error)
{
  return cohort_check (self, clEnqueueReadBuffer (self->device->queue, mem, CL_TRUE, 0, bytes,
                                           data, 0, NULL, NULL),
                       "clEnqueueReadBuffer", error);
}

gboolean
cohort_zero_buffer (VesicleClCohort *self,
                    cl_mem           mem,
                    gsize            bytes,
                    GError         **error)
{
  if (vesicle_cl_zero_buffer (self->device, mem, 0, bytes, error))
    return TRUE;
  g_prefix_error (error, "%s: ", self->device->info.name);
  return FALSE;
}

/* (K, P) per-network flat layout <-> cohort layout */
void
cohort_into_layout (VesicleClCohort *self,
                    float           *dst,
                    const float     *src)
{
  for (guint t = 0; t < 2 * self->L; t++)
    {
      const Tensor *ts = &self->tensors[t];

      for (guint k = 0; k < self->K; k++)
        memcpy (dst + self->K * ts->net_off + k * ts->n, src + k * self->P + ts->net_off,
                ts->n * sizeof (float));
    }
}

void
cohort_out_of_layout (VesicleClCohort *self,
                      float           *dst,
                      const float     *src)
{
  for (guint t = 0; t < 2 * self->L; t++)
    {
      const Tensor *ts = &self->tensors[t];

      for (guint k = 0; k < self->K; k++)
        memcpy (dst + k * self->P + ts->net_off, src + self->K * ts->net_off + k * ts->n,
                ts->n * sizeof (float));
    }
}

gsize
cohort_out_size (VesicleClCohort *self, guint l)
{
  return self->parent.config.shape.sizes[l + 1];
}

gsize
cohort_in_size (VesicleClCohort *self, guint l)
{
  return self->parent.config.shape.sizes[l];
}

gboolean
cohort_gemm (VesicleClCohort  *self,
             const char       *name,
             gsize             batch,
             gsize             m,
             gsize             n,
             gsize             k,
             const VesicleMat *a,
             const VesicleMat *b,
             const VesicleMat *c,
             GError          **error)
{
  gint64 start = self->profile ? (clFinish (self->device->queue), g_get_monotonic_time ()) : 0;
  gboolean ok = vesicle_gemm_run (self->gemm, batch, m, n, k, a, b, c, error);

  if (!ok)
    g_prefix_error (error, "%s: ", self->device->info.name);

  if (self->profile && ok)
    profile_add (self, name, start);
  return ok;
}

/* Elementwise kernels get explicit, generous work-groups: left to choose, CPU drivers may pick
 * tiny ones and pay their overhead per group. Kernels check their own bounds. */
#define ELEMENTWISE_LOCAL 256

static gsize
round_up (gsize n, gsize m)
{
  return (n + m - 1) / m * m;
}

gboolean
cohort_elementwise (VesicleClCohort *self,
                    cl_kernel        kernel,
                    gsize            n,
                    GError         **error)
{
  gsize local = MIN (ELEMENTWISE_LOCAL, vesicle_cl_kernel_max_work_group (self->device, kernel));
  gsize global = round_up (n, local);

  return cohort_launch (self, kernel, 1, &global, &local, error);
}

/* ---- one pass -------------------------------------------------------------------------- */

static gboolean
launch_1d (VesicleClCohort *self,
           cl_kernel        kernel,
           gsize            n,
           GError         **error)
{
  gsize local = MIN (ELEMENTWISE_LOCAL, vesicle_cl_kernel_max_work_group (self->device, kernel));
  gsize global = round_up (MAX (n, 1), local);

  return cohort_launch (self, kernel, 1, &global, &local, error);
}

/* One work-item per eight elements of a tensor (dimension 0) for each of the K networks
 * (dimension 1): the per-network kernels of adam.cl and sample.cl. */
#define VECTOR_LOCAL 64

static gboolean
launch_per_network (VesicleClCohort *self,
                    cl_kernel        kernel,
                    gsize            n,
                    GError         **error)
{
  gsize local[2] = { MIN (VECTOR_LOCAL, vesicle_cl_kernel_max_work_group (self->device, kernel)),
                     1 };
  gsize global[2] = { round_up ((n + 7) / 8, local[0]), self->K };

  return cohort_launch (self, kernel, 2, global, local, error);
}

/* The per-network table from the configuration; uploaded only when it changed (a network that
 * diverged stops being active), so a step does not wait on a write. */
gboolean
cohort_upload_hyper (VesicleClCohort *self,
                     GError         **error)
{
  const VesicleCohortConfig *cfg = &self->parent.config;
  double scale = (double) cfg->batch / cfg->n_train;
  g_autofree NetHyper *rows = g_new0 (NetHyper, self->K);

  for (guint k = 0; k < self->K; k++)
    {
      const VesicleHyper *h = &cfg->hyper[k];
      gboolean entropy = h->cost == VESICLE_COST_ENTROPY;
      double lr = h->lr > 0 ? h->lr : cfg->lr;

      rows[k] = (NetHyper) {
        .cost_rho = entropy ? 0.0 : h->rho,
        .scale_c_rho = scale * h->c * (entropy ? 1.0 : h->rho),
        .scale_lambda = scale * h->lambda,
        .prior_l1 = scale * h->prior_l1,
        .prior_precision = scale * h->prior_precision,
        .lr = lr,
        .lr_mu = cfg->freeze_mu ? 0.0 : lr,
        .homo = h->setting == VESICLE_SIGMA_HOMO,
        .active = !h->stopped,
        .slot = self->slot[k],
      };
    }
  if (memcmp (rows, self->hyper_rows, self->K * sizeof (NetHyper)) == 0)
    return TRUE;
  memcpy (self->hyper_rows, rows, self->K * sizeof (NetHyper));
  return cohort_write_buffer (self, self->hyper, self->hyper_rows, self->K * sizeof (NetHyper),
                              error);
}

/* Noise of one step for every tensor and seed slot into xi. */
gboolean
cohort_draw_noise (VesicleClCohort *self,
                   cl_mem           xi,
                   guint32          step,
                   guint32          stream,
                   GError         **error)
{
  for (guint t = 0; t < 2 * self->L; t++)
    {
      const Tensor *ts = &self->tensors[t];
      cl_uint n = ts->n, id = ts->id;

      for (guint s = 0; s < self->S; s++)
        {
          cl_ulong seed = self->seeds[s];
          cl_uint xoff = self->S * ts->net_off + s * ts->n;

          if (!cohort_set_args (self->k_noise, error, A (xi), A (n), A (seed), A (step), A (id),
                                A (stream), A (xoff), END)
              || !launch_1d (self, self->k_noise, (ts->n + 31) / 32, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* w = mu + sigma xi for every network, or only the homogeneous ones: one launch per tensor. */
static gboolean
sample_from (VesicleClCohort *self,
             cl_mem           w,
             cl_mem           xi,
             gboolean         homo_only,
             GError         **error)
{
  cl_int homo_only_arg = homo_only;

  if (!cohort_upload_hyper (self, error))
    return FALSE;
  for (guint t = 0; t < 2 * self->L; t++)
    {
      const Tensor *ts = &self->tensors[t];
      cl_uint n = ts->n, off = self->K * ts->net_off, xoff = self->S * ts->net_off;

      if (!cohort_set_args (self->k_sample, error, A (w), A (self->mu), A (self->phi), A (xi),
                            A (self->phi_homo), A (self->hyper), A (n), A (off), A (xoff),
                            A (homo_only_arg), END)
          || !launch_per_network (self, self->k_sample, n, error))
        return FALSE;
    }
  return TRUE;
}

/* Sampled weights of one step into w (noise into xi), or the mean weights. */
gboolean
cohort_sample (VesicleClCohort *self,
               cl_mem           w,
               cl_mem           xi,
               guint32          step,
               guint32          stream,
               gboolean         mean_only,
               GError         **error)
{
  if (mean_only)
    return cohort_check (self, clEnqueueCopyBuffer (self->device->queue, self->mu, w, 0, 0,
                                             self->K * self->P * sizeof (float), 0, NULL,
                                             NULL),
                         "clEnqueueCopyBuffer", error);
  return cohort_draw_noise (self, xi, step, stream, error)
         && sample_from (self, w, xi, FALSE, error);
}

/* Forward over B examples of x (ld I) at x_off, through the sampled weights w, then the head on
 * targets at t_off; leaves d(sum NLL)/d(output) in dact[L-1] and adds to loss/correct. */
gboolean
cohort_forward (VesicleClCohort *self,
                cl_mem           w,
                guint            B,
                cl_mem           x,
                gsize            x_off,
                cl_mem           targets,
                gsize            t_off,
                cl_mem           loss,
                cl_mem           correct,
                GError         **error)
{
  const VesicleShape *shape = &self->parent.config.shape;
  cl_uint K = self->K;

  for (guint l = 0; l < self->L; l++)
    {
      gsize O = cohort_out_size (self, l), I = cohort_in_size (self, l);
      gsize w_off = self->K * self->tensors[2 * l].net_off;
      VesicleMat c = { self->act[l], 0, K * O, O, FALSE };
      VesicleMat wt = { w, w_off, I, O * I, TRUE };

      if (l == 0)
        {
          /* the input is shared: one (B, I) x (I, K * O) product serves every network */
          VesicleMat a = { x, x_off, I, 0, FALSE };
          if (!cohort_gemm (self, "gemm forward layer 1", 1, B, K * O, I, &a, &wt, &c, error))
            return FALSE;
        }
      else
        {
          VesicleMat a = { self->act[l - 1], 0, K * I, I, FALSE };
          if (!cohort_gemm (self, "gemm forward", K, B, O, I, &a, &wt, &c, error))
            return FALSE;
        }

      if (l + 1 < self->L)
        {
          cl_uint KO = K * O, total = B * K * O, bias_off = self->K * self->tensors[2 * l + 1].net_off;
          cl_int relu = 1;

          if (!cohort_set_args (self->k_bias_act, error, A (self->act[l]), A (w), A (KO), A (total),
                                A (relu), A (bias_off), END)
              || !cohort_elementwise (self, self->k_bias_act, total, error))
            return FALSE;
        }
    }

  if (targets == NULL)
    {
      /* predictions: the output layer's bias, no head */
      guint l = self->L - 1;
      cl_uint KO = K * cohort_out_size (self, l), total = B * KO;
      cl_uint bias_off = self->K * self->tensors[2 * l + 1].net_off;
      cl_int relu = 0;

      return cohort_set_args (self->k_bias_act, error, A (self->act[l]), A (w), A (KO), A (total),
                              A (relu), A (bias_off), END)
             && cohort_elementwise (self, self->k_bias_act, total, error);
    }

  {
    guint l = self->L - 1;
    cl_uint Bu = B, C = cohort_out_size (self, l);
    cl_uint bias_off = self->K * self->tensors[2 * l + 1].net_off, target_off = t_off;
    gsize global = (gsize) K * HEAD_LOCAL, local = HEAD_LOCAL;
    gboolean ok;

    if (shape->head == VESICLE_HEAD_SOFTMAX)
      ok = cohort_set_args (self->k_head, error, A (self->dact[l]), A (self->act[l]), A (w),
                            A (targets), A (Bu), A (K), A (C), A (loss), A (correct), A (bias_off),
                            A (target_off), END);
    else
      {
        float sd = shape->noise_sd;
        ok = cohort_set_args (self->k_head, error, A (self->dact[l]), A (self->act[l]), A (w),
                              A (targets), A (Bu), A (K), A (C), A (sd), A (loss), A (correct),
                              A (bias_off), A (target_off), END);
      }
    if (!ok || !cohort_launch (self, self->k_head, 1, &global, &local, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
cohort_backward (VesicleClCohort *self,
                 cl_mem           w,
                 guint            B,
                 cl_mem           x,
                 gsize            x_off,
                 GError         **error)
{
  cl_uint K = self->K;

  for (guint l = self->L; l-- > 0;)
    {
      gsize O = cohort_out_size (self, l), I = cohort_in_size (self, l);
      gsize w_off = self->K * self->tensors[2 * l].net_off;
      cl_uint Bu = B, KO = K * O, db_off = self->K * self->tensors[2 * l + 1].net_off;
      VesicleMat dw = { self->grad, w_off, I, O * I, FALSE };

      if (!cohort_set_args (self->k_bias_bwd, error, A (self->grad), A (self->dact[l]), A (Bu),
                            A (KO), A (db_off), END)
          || !cohort_elementwise (self, self->k_bias_bwd, KO, error))
        return FALSE;

      if (l == 0)
        {
          VesicleMat da = { self->dact[0], 0, K * O, O, TRUE };
          VesicleMat a = { x, x_off, I, 0, FALSE };
          /* dW (K * O, I) = dA^T (K * O, B) x X (B, I), all networks at once */
          if (!cohort_gemm (self, "gemm dW layer 1", 1, K * O, I, B, &da, &a, &dw, error))
            return FALSE;
        }
      else
        {
          VesicleMat da_t = { self->dact[l], 0, K * O, O, TRUE };
          VesicleMat da = { self->dact[l], 0, K * O, O, FALSE };
          VesicleMat h = { self->act[l - 1], 0, K * I, I, FALSE };
          VesicleMat wl = { w, w_off, I, O * I, FALSE };
          VesicleMat dh = { self->dact[l - 1], 0, K * I, I, FALSE };
          cl_uint total = B * K * I;

          if (!cohort_gemm (self, "gemm dW", K, O, I, B, &da_t, &h, &dw, error)
              || !cohort_gemm (self, "gemm dH", K, B, I, O, &da, &wl, &dh, error))
            return FALSE;
          if (!cohort_set_args (self->k_relu_bwd, error, A (self->dact[l - 1]),
                                A (self->act[l - 1]), A (total), END)
              || !cohort_elementwise (self, self->k_relu_bwd, total, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Gradients and Adam for step `step`, then the weights of step + 1: noise for step + 1 is drawn
 * first, so adam_hetero can write the next weights as it updates the parameters. */
gboolean
cohort_update (VesicleClCohort *self,
               guint32          step,
               GError         **error)
{
  cl_mem xi = self->xi[self->cur], xi_next = self->xi[1 - self->cur];
  const VesicleCohortConfig *cfg = &self->parent.config;
  double t = (double) ++self->t;
  cl_float inv_bc1 = (float) (1.0 / (1.0 - pow (cfg->beta1, t)));
  cl_float inv_bc2 = (float) (1.0 / sqrt (1.0 - pow (cfg->beta2, t)));
  cl_float beta1 = cfg->beta1, beta2 = cfg->beta2, eps = cfg->eps;
  cl_float n_params = self->P;
  cl_uint K = self->K, n_partials = self->n_partials;
  cl_int keep = self->keep;
  /* sigma as the last update carried it, but afresh from phi every 64th step (kernels/adam.cl) */
  cl_int carried = self->sigma_carried && step % 64 != 0;

  if (!cohort_draw_noise (self, xi_next, step + 1, VESICLE_STREAM_TRAIN, error)
      || !cohort_upload_hyper (self, error))
    return FALSE;

  /* one launch per tensor for all K networks; a diverged network holds still in each */
  for (guint t_i = 0; t_i < 2 * self->L; t_i++)
    {
      const Tensor *ts = &self->tensors[t_i];
      cl_uint n = ts->n, off = self->K * ts->net_off, xoff = self->S * ts->net_off;
      cl_uint partial_base = ts->partial_base;

      if (keep
          && (!cohort_set_args (self->k_keep, error, A (self->keep_gmu), A (self->keep_gphi),
                                A (self->mu), A (self->phi), A (self->sigma), A (self->grad),
                                A (self->w), A (xi), A (self->hyper), A (n), A (off), A (xoff),
                                A (carried), END)
              || !launch_per_network (self, self->k_keep, n, error)))
        return FALSE;
      if (!cohort_set_args (self->k_adam, error, A (self->w), A (self->mu), A (self->phi),
                            A (self->sigma), A (self->m_mu), A (self->v_mu), A (self->m_phi),
                            A (self->v_phi), A (self->grad), A (xi), A (xi_next), A (self->hyper),
                            A (n), A (off), A (xoff), A (inv_bc1), A (inv_bc2), A (beta1),
                            A (beta2), A (eps), A (carried), END)
          || !launch_per_network (self, self->k_adam, n, error))
        return FALSE;
      if (self->any_homo)
        {
          gsize local[2] = { ADAM_LOCAL, 1 };
          gsize global[2] = { (gsize) ts->groups * ADAM_LOCAL, self->K };

          if (!cohort_set_args (self->k_homo_reduce, error, A (self->partials), A (self->grad),
                                A (self->hyper), A (n), A (off), A (partial_base), A (n_partials),
                                END)
              || !cohort_launch (self, self->k_homo_reduce, 2, global, local, error))
            return FALSE;
        }
    }

  if (self->any_homo)
    {
      gsize local = MIN (VECTOR_LOCAL, vesicle_cl_kernel_max_work_group (self->device,
                                                                         self->k_homo_update));
      gsize global = round_up (self->K, local);

      if (!cohort_set_args (self->k_homo_update, error, A (self->phi_homo), A (self->m_phi_homo),
                            A (self->v_phi_homo), A (self->keep_gphi_homo), A (self->partials),
                            A (self->hyper), A (K), A (n_partials), A (n_params), A (keep),
                            A (inv_bc1), A (inv_bc2), A (beta1), A (beta2), A (eps), END)
          || !cohort_launch (self, self->k_homo_update, 1, &global, &local, error))
        return FALSE;
    }

  /* homogeneous networks know their new sigma only now */
  if (self->any_homo && !sample_from (self, self->w, xi_next, TRUE, error))
    return FALSE;
  self->cur = 1 - self->cur;
  self->next_step = step + 1;
  self->w_ready = TRUE;
  self->sigma_carried = TRUE;
  return TRUE;
}

gsize
vesicle_cl_cohort_step_bytes (const VesicleShape *shape,
                              guint               K,
                              guint               n_seeds,
                              guint               batch)
{
  gsize P = vesicle_shape_n_params (shape), per_network = 72 * P, units = 0;

  for (guint l = 0; l < shape->n_layers; l++)
    {
      per_network += (l == 0 ? 8 : 12) * vesicle_shape_layer_n_params (shape, l);
      units += shape->sizes[l + 1];
    }
  per_network += (gsize) 32 * units * batch;
  return (gsize) K * per_network + (gsize) 4 * P * n_seeds
         + (gsize) 2 * 4 * shape->sizes[0] * batch;
}

