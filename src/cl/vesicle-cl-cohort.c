/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cohort of K stochastic networks of one shape on an OpenCL device.
 *
 * Dimensions: K networks, S distinct seeds (noise slots), B minibatch, L weight layers,
 * layer l maps I = sizes[l] inputs to O = sizes[l + 1] outputs, P parameters per network.
 *
 * Layout. Each per-network tensor t (W_l (O, I) or b_l (O)) has a per-network offset o_t in the
 * flat layout of vesicle-model.h; the cohort stores it for all K networks at K * o_t as (K, n_t),
 * so the first layer's weights of every network form one (K * O, I) matrix. Noise is stored the
 * same way per seed slot, (S, n_t) at S * o_t. Activations are (B, K * O): network k's units of
 * example b at b * K * O + k * O.
 *
 * One step: sample w = mu + sigma xi (one draw per seed slot serves all its networks); forward
 * with one GEMM for the first layer (the input is shared: (B, I) x (I, K * O)) and strided-batched
 * GEMMs for the rest; the head computes the loss and its gradient; backward GEMMs; one fused
 * gradient + Adam pass per tensor. Nothing waits for the device inside a step.
 */
#include "vesicle-cl-cohort.h"
#include "vesicle-cl-program.h"
#include "vesicle-blas.h"
#include "vesicle-blas-tuning.h"
#include "vesicle-gemm.h"
#include "vesicle_philox.h"

#include <gio/gio.h>

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define HEAD_LOCAL 32
#define ADAM_LOCAL 64
#define ADAM_MAX_GROUPS 64
#define N_TENSORS (2 * VESICLE_MAX_LAYERS)

typedef struct {
  gsize n;              /* elements per network */
  gsize net_off;        /* offset in one network's flat layout */
  guint id;             /* noise key: 2l weights, 2l + 1 biases */
  guint groups;         /* work-groups of adam_update */
  guint partial_base;   /* first homo_partial column of this tensor */
} Tensor;

/* One network's row of the table the update and sampling kernels read (NetHyper in
 * kernels/sample.cl, the same layout: ten 4-byte fields, no padding). */
typedef struct {
  cl_float cost_rho, scale_c_rho, scale_lambda, prior_l1, prior_precision, lr, lr_mu;
  cl_uint  homo, active, slot;
} NetHyper;

G_STATIC_ASSERT (sizeof (NetHyper) == 40);

typedef struct {
  VesicleEngine    parent;
  VesicleClDevice *device;
  cl_program       program;
  VesicleGemm     *gemm;
  char            *gemm_tuning;     /* CLBlast's parameters, as run.json says (CLBlast only) */
  gboolean         kernels_from_cache;
  cl_kernel        k_noise, k_sample, k_bias_act, k_relu_bwd, k_bias_bwd;
  cl_kernel        k_head, k_adam, k_keep, k_homo_reduce, k_homo_update;
  cl_kernel        k_stats, k_rate;

  /* importance statistics (accumulate_stats) */
  cl_mem           stats_g2, stats_gabs;                 /* (K, P) cohort layout */
  cl_mem           stats_rate;                           /* (I0) then (K * I_l) for l >= 1 */
  gsize            rate_len;
  guint            stats_batches, stats_examples;
  gsize            max_local; /* the device's largest work-group */

  guint            K, S, L, T;
  gsize            P;
  Tensor           tensors[N_TENSORS];
  guint            n_partials;
  guint            bmax;

  /* (K, P) in cohort layout */
  cl_mem           mu, phi, m_mu, v_mu, m_phi, v_phi, grad, keep_gmu, keep_gphi;
  cl_mem           w;                                    /* training weights */
  cl_mem           sigma;                                /* softplus (phi), carried by Adam */
  cl_mem           w_eval;                               /* evaluation's, so w survives it */
  cl_mem           xi[2];                                /* (S, P): this step's, the next's */
  cl_mem           xi_eval;
  guint            cur;                                  /* xi[cur] is this step's noise */
  gboolean         w_ready;                              /* w holds step next_step's weights */
  gboolean         sigma_carried;                        /* sigma holds softplus (phi) */
  guint32          next_step;
  cl_mem           phi_homo, m_phi_homo, v_phi_homo;     /* (K) */
  cl_mem           keep_gphi_homo;                       /* (K) */
  guint           *slot;                                 /* (K) seed slot of each network */
  NetHyper        *hyper_rows;                           /* (K) as last uploaded */
  cl_mem           hyper;                                /* (K) NetHyper */
  gboolean         any_homo;
  guint64         *seeds;                                /* (S) */
  cl_mem           partials;                             /* (K, n_partials) */
  cl_mem           act[VESICLE_MAX_LAYERS];              /* (bmax, K * O_l) */
  cl_mem           dact[VESICLE_MAX_LAYERS];
  cl_mem           train_loss, train_correct, eval_loss, eval_correct;   /* (K) */
  cl_mem           x_train, t_train, x_test, t_test;
  gsize            x_train_cap, x_test_cap;
  guint            n_test;

  guint64          t;       /* Adam steps taken */
  gboolean         keep;
  GHashTable      *profile; /* name -> total seconds; only with VESICLE_PROFILE=1 */
} VesicleClCohort;

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

static void
profile_print (VesicleClCohort *self)
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

static const VesicleEngineVTable cohort_vtable;

/* ---- small helpers ---------------------------------------------------------------------- */

/* An OpenCL call's failure, naming the device it failed on: with several devices (or a sweep's
 * cells on several nodes) "clEnqueueReadBuffer failed" alone does not say where to look. */
static gboolean
check (VesicleClCohort *self,
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

static gboolean
set_args (cl_kernel   kernel,
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

#define A(x) (gsize) sizeof (x), (const void *) &(x)
#define END (gsize) 0

static gboolean
launch (VesicleClCohort *self,
        cl_kernel        kernel,
        guint            dims,
        const gsize     *global,
        const gsize     *local,
        GError         **error)
{
  gint64 start = self->profile ? (clFinish (self->device->queue), g_get_monotonic_time ()) : 0;
  cl_int status = clEnqueueNDRangeKernel (self->device->queue, kernel, dims, NULL, global, local,
                                          0, NULL, NULL);
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

static cl_mem
buffer_new (VesicleClCohort *self,
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
  if (!check (self, status, "clCreateBuffer", error))
    return NULL;
  if (!check (self, clEnqueueFillBuffer (self->device->queue, mem, &(float) { 0.0f },
                                         sizeof (float), 0, MAX (bytes, 4) & ~(gsize) 3,
                                         0, NULL, NULL),
              "clEnqueueFillBuffer", error))
    {
      clReleaseMemObject (mem);
      return NULL;
    }
  return mem;
}

static gboolean
write_buffer (VesicleClCohort *self,
              cl_mem           mem,
              const void      *data,
              gsize            bytes,
              GError         **error)
{
  return check (self, clEnqueueWriteBuffer (self->device->queue, mem, CL_TRUE, 0, bytes,
                                            data, 0, NULL, NULL),
                "clEnqueueWriteBuffer", error);
}

static gboolean
read_buffer (VesicleClCohort *self,
             cl_mem           mem,
             void            *data,
             gsize            bytes,
             GError         **error)
{
  return check (self, clEnqueueReadBuffer (self->device->queue, mem, CL_TRUE, 0, bytes,
                                           data, 0, NULL, NULL),
                "clEnqueueReadBuffer", error);
}

static gboolean
zero_buffer (VesicleClCohort *self,
             cl_mem           mem,
             gsize            bytes,
             GError         **error)
{
  return check (self, clEnqueueFillBuffer (self->device->queue, mem, &(float) { 0.0f },
                                           sizeof (float), 0, bytes, 0, NULL, NULL),
                "clEnqueueFillBuffer", error);
}

/* (K, P) per-network flat layout <-> cohort layout */
static void
to_cohort (VesicleClCohort *self,
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

static void
from_cohort (VesicleClCohort *self,
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

static gsize
out_size (VesicleClCohort *self, guint l)
{
  return self->parent.config.shape.sizes[l + 1];
}

static gsize
in_size (VesicleClCohort *self, guint l)
{
  return self->parent.config.shape.sizes[l];
}

static gboolean
gemm (VesicleClCohort  *self,
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

static gboolean
elementwise (VesicleClCohort *self,
             cl_kernel        kernel,
             gsize            n,
             GError         **error)
{
  gsize local = MIN (ELEMENTWISE_LOCAL, self->max_local);
  gsize global = round_up (n, local);

  return launch (self, kernel, 1, &global, &local, error);
}

/* ---- one pass -------------------------------------------------------------------------- */

static gboolean
launch_1d (VesicleClCohort *self,
           cl_kernel        kernel,
           gsize            n,
           GError         **error)
{
  gsize local = MIN (ELEMENTWISE_LOCAL, self->max_local);
  gsize global = round_up (MAX (n, 1), local);

  return launch (self, kernel, 1, &global, &local, error);
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
  gsize local[2] = { MIN (VECTOR_LOCAL, self->max_local), 1 };
  gsize global[2] = { round_up ((n + 7) / 8, local[0]), self->K };

  return launch (self, kernel, 2, global, local, error);
}

/* The per-network table from the configuration; uploaded only when it changed (a network that
 * diverged stops being active), so a step does not wait on a write. */
static gboolean
upload_hyper (VesicleClCohort *self,
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
  return write_buffer (self, self->hyper, self->hyper_rows, self->K * sizeof (NetHyper), error);
}

/* Noise of one step for every tensor and seed slot into xi. */
static gboolean
draw_noise (VesicleClCohort *self,
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

          if (!set_args (self->k_noise, error, A (xi), A (n), A (seed), A (step), A (id),
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

  if (!upload_hyper (self, error))
    return FALSE;
  for (guint t = 0; t < 2 * self->L; t++)
    {
      const Tensor *ts = &self->tensors[t];
      cl_uint n = ts->n, off = self->K * ts->net_off, xoff = self->S * ts->net_off;

      if (!set_args (self->k_sample, error, A (w), A (self->mu), A (self->phi), A (xi),
                     A (self->phi_homo), A (self->hyper), A (n), A (off), A (xoff),
                     A (homo_only_arg), END)
          || !launch_per_network (self, self->k_sample, n, error))
        return FALSE;
    }
  return TRUE;
}

/* Sampled weights of one step into w (noise into xi), or the mean weights. */
static gboolean
sample (VesicleClCohort *self,
        cl_mem           w,
        cl_mem           xi,
        guint32          step,
        guint32          stream,
        gboolean         mean_only,
        GError         **error)
{
  if (mean_only)
    return check (self, clEnqueueCopyBuffer (self->device->queue, self->mu, w, 0, 0,
                                             self->K * self->P * sizeof (float), 0, NULL,
                                             NULL),
                  "clEnqueueCopyBuffer", error);
  return draw_noise (self, xi, step, stream, error)
         && sample_from (self, w, xi, FALSE, error);
}

/* Forward over B examples of x (ld I) at x_off, through the sampled weights w, then the head on
 * targets at t_off; leaves d(sum NLL)/d(output) in dact[L-1] and adds to loss/correct. */
static gboolean
forward (VesicleClCohort *self,
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
      gsize O = out_size (self, l), I = in_size (self, l);
      gsize w_off = self->K * self->tensors[2 * l].net_off;
      VesicleMat c = { self->act[l], 0, K * O, O, FALSE };
      VesicleMat wt = { w, w_off, I, O * I, TRUE };

      if (l == 0)
        {
          /* the input is shared: one (B, I) x (I, K * O) product serves every network */
          VesicleMat a = { x, x_off, I, 0, FALSE };
          if (!gemm (self, "gemm forward layer 1", 1, B, K * O, I, &a, &wt, &c, error))
            return FALSE;
        }
      else
        {
          VesicleMat a = { self->act[l - 1], 0, K * I, I, FALSE };
          if (!gemm (self, "gemm forward", K, B, O, I, &a, &wt, &c, error))
            return FALSE;
        }

      if (l + 1 < self->L)
        {
          cl_uint KO = K * O, total = B * K * O, bias_off = self->K * self->tensors[2 * l + 1].net_off;
          cl_int relu = 1;

          if (!set_args (self->k_bias_act, error, A (self->act[l]), A (w), A (KO), A (total),
                         A (relu), A (bias_off), END)
              || !elementwise (self, self->k_bias_act, total, error))
            return FALSE;
        }
    }

  if (targets == NULL)
    {
      /* predictions: the output layer's bias, no head */
      guint l = self->L - 1;
      cl_uint KO = K * out_size (self, l), total = B * KO;
      cl_uint bias_off = self->K * self->tensors[2 * l + 1].net_off;
      cl_int relu = 0;

      return set_args (self->k_bias_act, error, A (self->act[l]), A (w), A (KO), A (total),
                       A (relu), A (bias_off), END)
             && elementwise (self, self->k_bias_act, total, error);
    }

  {
    guint l = self->L - 1;
    cl_uint Bu = B, C = out_size (self, l);
    cl_uint bias_off = self->K * self->tensors[2 * l + 1].net_off, target_off = t_off;
    gsize global = (gsize) K * HEAD_LOCAL, local = HEAD_LOCAL;
    gboolean ok;

    if (shape->head == VESICLE_HEAD_SOFTMAX)
      ok = set_args (self->k_head, error, A (self->dact[l]), A (self->act[l]), A (w),
                     A (targets), A (Bu), A (K), A (C), A (loss), A (correct), A (bias_off),
                     A (target_off), END);
    else
      {
        float sd = shape->noise_sd;
        ok = set_args (self->k_head, error, A (self->dact[l]), A (self->act[l]), A (w),
                       A (targets), A (Bu), A (K), A (C), A (sd), A (loss), A (correct),
                       A (bias_off), A (target_off), END);
      }
    if (!ok || !launch (self, self->k_head, 1, &global, &local, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
backward (VesicleClCohort *self,
          cl_mem           w,
          guint            B,
          cl_mem           x,
          gsize            x_off,
          GError         **error)
{
  cl_uint K = self->K;

  for (guint l = self->L; l-- > 0;)
    {
      gsize O = out_size (self, l), I = in_size (self, l);
      gsize w_off = self->K * self->tensors[2 * l].net_off;
      cl_uint Bu = B, KO = K * O, db_off = self->K * self->tensors[2 * l + 1].net_off;
      VesicleMat dw = { self->grad, w_off, I, O * I, FALSE };

      if (!set_args (self->k_bias_bwd, error, A (self->grad), A (self->dact[l]), A (Bu), A (KO),
                     A (db_off), END)
          || !elementwise (self, self->k_bias_bwd, KO, error))
        return FALSE;

      if (l == 0)
        {
          VesicleMat da = { self->dact[0], 0, K * O, O, TRUE };
          VesicleMat a = { x, x_off, I, 0, FALSE };
          /* dW (K * O, I) = dA^T (K * O, B) x X (B, I), all networks at once */
          if (!gemm (self, "gemm dW layer 1", 1, K * O, I, B, &da, &a, &dw, error))
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

          if (!gemm (self, "gemm dW", K, O, I, B, &da_t, &h, &dw, error)
              || !gemm (self, "gemm dH", K, B, I, O, &da, &wl, &dh, error))
            return FALSE;
          if (!set_args (self->k_relu_bwd, error, A (self->dact[l - 1]), A (self->act[l - 1]),
                         A (total), END)
              || !elementwise (self, self->k_relu_bwd, total, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Gradients and Adam for step `step`, then the weights of step + 1: noise for step + 1 is drawn
 * first, so adam_hetero can write the next weights as it updates the parameters. */
static gboolean
update (VesicleClCohort *self,
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

  if (!draw_noise (self, xi_next, step + 1, VESICLE_STREAM_TRAIN, error)
      || !upload_hyper (self, error))
    return FALSE;

  /* one launch per tensor for all K networks; a diverged network holds still in each */
  for (guint t_i = 0; t_i < 2 * self->L; t_i++)
    {
      const Tensor *ts = &self->tensors[t_i];
      cl_uint n = ts->n, off = self->K * ts->net_off, xoff = self->S * ts->net_off;
      cl_uint partial_base = ts->partial_base;

      if (keep
          && (!set_args (self->k_keep, error, A (self->keep_gmu), A (self->keep_gphi),
                         A (self->mu), A (self->phi), A (self->sigma), A (self->grad),
                         A (self->w), A (xi), A (self->hyper), A (n), A (off), A (xoff),
                         A (carried), END)
              || !launch_per_network (self, self->k_keep, n, error)))
        return FALSE;
      if (!set_args (self->k_adam, error, A (self->w), A (self->mu), A (self->phi),
                     A (self->sigma), A (self->m_mu), A (self->v_mu), A (self->m_phi),
                     A (self->v_phi), A (self->grad), A (xi), A (xi_next), A (self->hyper),
                     A (n), A (off), A (xoff), A (inv_bc1), A (inv_bc2), A (beta1), A (beta2),
                     A (eps), A (carried), END)
          || !launch_per_network (self, self->k_adam, n, error))
        return FALSE;
      if (self->any_homo)
        {
          gsize local[2] = { ADAM_LOCAL, 1 };
          gsize global[2] = { (gsize) ts->groups * ADAM_LOCAL, self->K };

          if (!set_args (self->k_homo_reduce, error, A (self->partials), A (self->grad),
                         A (self->hyper), A (n), A (off), A (partial_base), A (n_partials), END)
              || !launch (self, self->k_homo_reduce, 2, global, local, error))
            return FALSE;
        }
    }

  if (self->any_homo)
    {
      gsize local = MIN (VECTOR_LOCAL, self->max_local), global = round_up (self->K, local);

      if (!set_args (self->k_homo_update, error, A (self->phi_homo), A (self->m_phi_homo),
                     A (self->v_phi_homo), A (self->keep_gphi_homo), A (self->partials),
                     A (self->hyper), A (K), A (n_partials), A (n_params), A (keep), A (inv_bc1),
                     A (inv_bc2), A (beta1), A (beta2), A (eps), END)
          || !launch (self, self->k_homo_update, 1, &global, &local, error))
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
vesicle_cl_cohort_step_bytes (const VesicleShape *shape)
{
  return VESICLE_CL_COHORT_BYTES_PER_PARAM * vesicle_shape_n_params (shape);
}

/* ---- VesicleEngine ------------------------------------------------------------------------ */

static gboolean
upload_examples (VesicleClCohort *self,
                 cl_mem          *x_mem,
                 cl_mem          *t_mem,
                 gsize           *cap,
                 const float     *x,
                 const float     *targets,
                 guint            n,
                 GError         **error)
{
  gsize I = in_size (self, 0);
  gsize x_bytes = (gsize) n * I * sizeof (float);
  gsize t_bytes = (gsize) n * self->T * sizeof (float);

  if (n > *cap)
    {
      g_clear_pointer (x_mem, clReleaseMemObject);
      g_clear_pointer (t_mem, clReleaseMemObject);
      if (!(*x_mem = buffer_new (self, x_bytes, error))
          || !(*t_mem = buffer_new (self, t_bytes, error)))
        return FALSE;
      *cap = n;
    }
  return write_buffer (self, *x_mem, x, x_bytes, error)
         && write_buffer (self, *t_mem, targets, t_bytes, error);
}

static gboolean
cohort_set_train_data (VesicleEngine *engine,
                       const float   *x,
                       const float   *targets,
                       guint          n,
                       GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;

  return upload_examples (self, &self->x_train, &self->t_train, &self->x_train_cap, x, targets,
                          n, error);
}

static gboolean
cohort_set_test_data (VesicleEngine *engine,
                      const float   *x,
                      const float   *targets,
                      guint          n,
                      GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;

  self->n_test = n;
  return upload_examples (self, &self->x_test, &self->t_test, &self->x_test_cap, x, targets, n,
                          error);
}

static gboolean
cohort_step (VesicleEngine *engine,
             guint          batch_index,
             guint32        step,
             GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  guint B = engine->config.batch;
  gsize first = (gsize) batch_index * B;
  gsize x_off = first * in_size (self, 0), t_off = first * self->T;

  if (self->x_train == NULL || first + B > self->x_train_cap)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "step: minibatch %u is beyond the uploaded training data", batch_index);
      return FALSE;
    }
  /* Usually the previous update already sampled this step's weights. */
  if ((!self->w_ready || step != self->next_step)
      && !sample (self, self->w, self->xi[self->cur], step, VESICLE_STREAM_TRAIN, FALSE, error))
    return FALSE;
  return forward (self, self->w, B, self->x_train, x_off, self->t_train, t_off, self->train_loss,
                  self->train_correct, error)
         && backward (self, self->w, B, self->x_train, x_off, error)
         && update (self, step, error);
}

static gboolean
read_and_reset (VesicleClCohort *self,
                cl_mem           loss,
                cl_mem           correct,
                double          *nll_sum,
                double          *n_correct,
                GError         **error)
{
  g_autofree float *a = g_new (float, self->K);
  g_autofree float *b = g_new (float, self->K);

  if (!read_buffer (self, loss, a, self->K * sizeof (float), error)
      || !read_buffer (self, correct, b, self->K * sizeof (float), error)
      || !zero_buffer (self, loss, self->K * sizeof (float), error)
      || !zero_buffer (self, correct, self->K * sizeof (float), error))
    return FALSE;
  for (guint k = 0; k < self->K; k++)
    {
      if (nll_sum)
        nll_sum[k] = a[k];
      if (n_correct)
        n_correct[k] = b[k];
    }
  return TRUE;
}

static gboolean
cohort_read_train_stats (VesicleEngine *engine,
                         double        *nll_sum,
                         double        *n_correct,
                         GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;

  return read_and_reset (self, self->train_loss, self->train_correct, nll_sum, n_correct, error);
}

static gboolean
cohort_evaluate (VesicleEngine *engine,
                 gboolean       mean_weights,
                 guint32        round,
                 double        *nll_sum,
                 double        *n_correct,
                 GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  guint Bt = engine->config.eval_batch;
  guint32 stream = VESICLE_STREAM_EVAL | (round << 2);

  if (self->x_test == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "evaluate: no test data was given");
      return FALSE;
    }
  if (!zero_buffer (self, self->eval_loss, self->K * sizeof (float), error)
      || !zero_buffer (self, self->eval_correct, self->K * sizeof (float), error))
    return FALSE;
  if (mean_weights && !sample (self, self->w_eval, self->xi_eval, 0, stream, TRUE, error))
    return FALSE;
  for (guint first = 0, b = 0; first < self->n_test; first += Bt, b++)
    {
      guint B = MIN (Bt, self->n_test - first);

      /* one weight sample per test minibatch, as the paper measured */
      if (!mean_weights && !sample (self, self->w_eval, self->xi_eval, b, stream, FALSE, error))
        return FALSE;
      if (!forward (self, self->w_eval, B, self->x_test, (gsize) first * in_size (self, 0), self->t_test,
                    (gsize) first * self->T, self->eval_loss, self->eval_correct, error))
        return FALSE;
    }
  return read_and_reset (self, self->eval_loss, self->eval_correct, nll_sum, n_correct, error);
}

static gboolean
cohort_read_params (VesicleEngine *engine,
                    float         *mu,
                    float         *sigma,
                    GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->K * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);
  g_autofree float *homo = g_new (float, self->K);

  if (mu)
    {
      if (!read_buffer (self, self->mu, tmp, bytes, error))
        return FALSE;
      from_cohort (self, mu, tmp);
    }
  if (sigma)
    {
      if (!read_buffer (self, self->phi, tmp, bytes, error)
          || !read_buffer (self, self->phi_homo, homo, self->K * sizeof (float), error))
        return FALSE;
      from_cohort (self, sigma, tmp);
      for (guint k = 0; k < self->K; k++)
        for (gsize i = 0; i < self->P; i++)
          {
            float p = engine->config.hyper[k].setting == VESICLE_SIGMA_HOMO
                      ? homo[k] : sigma[k * self->P + i];
            sigma[k * self->P + i] = (float) vesicle_softplus (p);
          }
    }
  return TRUE;
}

static gboolean
cohort_write_params (VesicleEngine *engine,
                     const float   *mu,
                     const float   *phi,
                     GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->K * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);
  g_autofree float *homo = g_new0 (float, self->K);

  self->w_ready = FALSE;
  self->sigma_carried = FALSE;
  for (guint k = 0; k < self->K; k++)
    homo[k] = phi[k * self->P];
  to_cohort (self, tmp, mu);
  if (!write_buffer (self, self->mu, tmp, bytes, error))
    return FALSE;
  to_cohort (self, tmp, phi);
  return write_buffer (self, self->phi, tmp, bytes, error)
         && write_buffer (self, self->phi_homo, homo, self->K * sizeof (float), error);
}

static void
cohort_set_keep_gradients (VesicleEngine *engine,
                           gboolean       keep)
{
  ((VesicleClCohort *) engine)->keep = keep;
}

static gboolean
cohort_read_gradients (VesicleEngine *engine,
                       float         *grad_mu,
                       float         *grad_phi,
                       GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->K * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);

  if (!read_buffer (self, self->keep_gmu, tmp, bytes, error))
    return FALSE;
  from_cohort (self, grad_mu, tmp);
  if (!read_buffer (self, self->keep_gphi, tmp, bytes, error))
    return FALSE;
  from_cohort (self, grad_phi, tmp);
  if (!read_buffer (self, self->keep_gphi_homo, tmp, self->K * sizeof (float), error))
    return FALSE;
  for (guint k = 0; k < self->K; k++)
    if (engine->config.hyper[k].setting == VESICLE_SIGMA_HOMO)
      grad_phi[k * self->P] = tmp[k];
  return TRUE;
}

static gboolean
cohort_accumulate_stats (VesicleEngine *engine,
                         guint          batch_index,
                         GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  guint B = engine->config.batch;
  gsize first = (gsize) batch_index * B, I0 = in_size (self, 0);
  gsize x_off = first * I0, t_off = first * self->T;
  cl_uint total = self->K * self->P, Bu = B, ld0 = I0, I0u = I0, zero = 0, xo = x_off;

  if (self->x_train == NULL || first + B > self->x_train_cap)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "statistics: minibatch %u is beyond the uploaded training data", batch_index);
      return FALSE;
    }
  if (!sample (self, self->w_eval, self->xi_eval, 0, 0, TRUE, error)
      || !forward (self, self->w_eval, B, self->x_train, x_off, self->t_train, t_off,
                   self->eval_loss, self->eval_correct, error)
      || !backward (self, self->w_eval, B, self->x_train, x_off, error)
      || !set_args (self->k_stats, error, A (self->stats_g2), A (self->stats_gabs),
                    A (self->grad), A (total), END)
      || !elementwise (self, self->k_stats, total, error)
      /* layer 1's input is shared by every network */
      || !set_args (self->k_rate, error, A (self->stats_rate), A (self->x_train), A (Bu),
                    A (I0u), A (ld0), A (zero), A (xo), END)
      || !elementwise (self, self->k_rate, I0, error))
    return FALSE;
  for (guint l = 1, off = I0; l < self->L; l++)
    {
      cl_uint KI = self->K * in_size (self, l), rate_off = off;

      if (!set_args (self->k_rate, error, A (self->stats_rate), A (self->act[l - 1]), A (Bu),
                     A (KI), A (KI), A (rate_off), A (zero), END)
          || !elementwise (self, self->k_rate, KI, error))
        return FALSE;
      off += KI;
    }
  self->stats_batches++;
  self->stats_examples += B;
  return TRUE;
}

static gboolean
cohort_read_stats (VesicleEngine *engine,
                   float         *g2,
                   float         *gabs,
                   float         *rate,
                   guint         *n_batches,
                   guint         *n_examples,
                   GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->K * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);
  g_autofree float *r = g_new (float, self->rate_len);
  gsize R = 0;

  for (guint l = 0; l < self->L; l++)
    R += in_size (self, l);
  if (!read_buffer (self, self->stats_g2, tmp, bytes, error))
    return FALSE;
  if (g2)
    from_cohort (self, g2, tmp);
  if (!read_buffer (self, self->stats_gabs, tmp, bytes, error))
    return FALSE;
  if (gabs)
    from_cohort (self, gabs, tmp);
  if (!read_buffer (self, self->stats_rate, r, self->rate_len * sizeof (float), error))
    return FALSE;
  if (rate)
    for (guint k = 0; k < self->K; k++)
      {
        gsize I0 = in_size (self, 0), src = I0, dst = I0;

        memcpy (rate + k * R, r, I0 * sizeof (float));
        for (guint l = 1; l < self->L; l++)
          {
            gsize I = in_size (self, l);

            memcpy (rate + k * R + dst, r + src + k * I, I * sizeof (float));
            src += self->K * I;
            dst += I;
          }
      }
  if (n_batches)
    *n_batches = self->stats_batches;
  if (n_examples)
    *n_examples = self->stats_examples;
  self->stats_batches = self->stats_examples = 0;
  return zero_buffer (self, self->stats_g2, bytes, error)
         && zero_buffer (self, self->stats_gabs, bytes, error)
         && zero_buffer (self, self->stats_rate, self->rate_len * sizeof (float), error);
}

static gboolean
cohort_read_adam_v (VesicleEngine *engine,
                    float         *v_mu,
                    GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->K * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);

  if (!read_buffer (self, self->v_mu, tmp, bytes, error))
    return FALSE;
  from_cohort (self, v_mu, tmp);
  return TRUE;
}

/* ---- checkpoints: the buffers training changes, in cohort layout -------------------------- */

typedef struct {
  cl_mem mem;
  gsize  n;     /* floats */
} StateBuffer;

static guint
state_buffers (VesicleClCohort *self,
               StateBuffer     *out)
{
  gsize KP = self->K * self->P;
  /* w and sigma too: adam_update carries sigma and writes the next step's weights by a Taylor
   * step of softplus (kernels/adam.cl), which a fresh softplus of the restored phi would match
   * only to the last bit or so, and a resumed run must be bit-identical */
  const StateBuffer buffers[] = {
    { self->mu, KP }, { self->phi, KP }, { self->m_mu, KP }, { self->v_mu, KP },
    { self->m_phi, KP }, { self->v_phi, KP },
    { self->phi_homo, self->K }, { self->m_phi_homo, self->K }, { self->v_phi_homo, self->K },
    { self->w, KP }, { self->sigma, KP },
  };

  memcpy (out, buffers, sizeof buffers);
  return G_N_ELEMENTS (buffers);
}

static gsize
cohort_state_size (VesicleEngine *engine)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  StateBuffer buffers[16];
  guint n = state_buffers (self, buffers);
  gsize size = 0;

  for (guint i = 0; i < n; i++)
    size += buffers[i].n;
  return size;
}

static gboolean
cohort_read_state (VesicleEngine *engine,
                   float         *state,
                   guint64       *adam_steps,
                   GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  StateBuffer buffers[16];
  guint n = state_buffers (self, buffers);

  for (guint i = 0; i < n; state += buffers[i].n, i++)
    if (!read_buffer (self, buffers[i].mem, state, buffers[i].n * sizeof (float), error))
      return FALSE;
  *adam_steps = self->t;
  return TRUE;
}

static gboolean
cohort_write_state (VesicleEngine *engine,
                    const float   *state,
                    guint64        adam_steps,
                    GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  StateBuffer buffers[16];
  guint n = state_buffers (self, buffers);

  for (guint i = 0; i < n; state += buffers[i].n, i++)
    if (!write_buffer (self, buffers[i].mem, state, buffers[i].n * sizeof (float), error))
      return FALSE;
  self->t = adam_steps;
  self->sigma_carried = adam_steps > 0;
  /* Steps are numbered from 0 without gaps, so the restored w is step t's; its noise is drawn
   * again (the same bits: Philox is keyed by the step). Before any step there is no w yet. */
  self->w_ready = FALSE;
  if (adam_steps == 0)
    return TRUE;
  self->next_step = adam_steps;
  if (!draw_noise (self, self->xi[self->cur], self->next_step, VESICLE_STREAM_TRAIN, error))
    return FALSE;
  self->w_ready = TRUE;
  return TRUE;
}

static gboolean
cohort_predict (VesicleEngine *engine,
                const float   *x,
                guint          n,
                guint          n_samples,
                guint32        stream,
                float         *out,
                GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize I = in_size (self, 0), O = out_size (self, self->L - 1), KO = self->K * O;
  guint draws = MAX (n_samples, 1);
  g_autofree float *rows = g_new (float, (gsize) self->bmax * KO);
  cl_mem xbuf;
  gboolean ok = TRUE;

  if (n == 0)
    return TRUE;
  if (!(xbuf = buffer_new (self, (gsize) n * I * sizeof (float), error)))
    return FALSE;
  ok = write_buffer (self, xbuf, x, (gsize) n * I * sizeof (float), error);
  for (guint s = 0; ok && s < draws; s++)
    {
      ok = sample (self, self->w_eval, self->xi_eval, s, stream, n_samples == 0, error);
      for (guint first = 0; ok && first < n; first += self->bmax)
        {
          guint B = MIN (self->bmax, n - first);

          ok = forward (self, self->w_eval, B, xbuf, (gsize) first * I, NULL, 0, NULL, NULL,
                        error)
               && read_buffer (self, self->act[self->L - 1], rows, (gsize) B * KO * sizeof (float),
                               error);
          for (guint b = 0; ok && b < B; b++)
            for (guint k = 0; k < self->K; k++)
              memcpy (out + (((gsize) k * draws + s) * n + first + b) * O, rows + b * KO + k * O,
                      O * sizeof (float));
        }
    }
  clReleaseMemObject (xbuf);
  return ok;
}

gboolean
vesicle_cl_cohort_read_noise (VesicleEngine *engine,
                              float         *xi,
                              guint         *n_slots,
                              GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->S * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);

  g_return_val_if_fail (engine->vtable == &cohort_vtable, FALSE);
  *n_slots = self->S;
  if (!read_buffer (self, self->xi[self->w_ready ? 1 - self->cur : self->cur], tmp, bytes,
                   error))
    return FALSE;
  for (guint t = 0; t < 2 * self->L; t++)
    {
      const Tensor *ts = &self->tensors[t];

      for (guint s = 0; s < self->S; s++)
        memcpy (xi + s * self->P + ts->net_off, tmp + self->S * ts->net_off + s * ts->n,
                ts->n * sizeof (float));
    }
  return TRUE;
}

static gboolean
cohort_finish (VesicleEngine *engine,
               GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;

  return check (self, clFinish (self->device->queue), "clFinish", error);
}

/* Where CLBlast runs, with the device's tuning (the user's, else the shipped one; see
 * vesicle-blas-tuning.h); VESICLE_CLBLAST_TUNING=none keeps CLBlast's own parameters. */
static gboolean
apply_gemm_tuning (VesicleClCohort  *self,
                   GError          **error)
{
  VesicleClDevice *device = self->device;
  g_autoptr(VesicleBlasTuning) tuning = NULL;
  g_autoptr(GError) local = NULL;

  if (!g_str_equal (vesicle_gemm_name (self->gemm), "clblast"))
    return TRUE;
  if (g_strcmp0 (g_getenv ("VESICLE_CLBLAST_TUNING"), "none") == 0)
    {
      self->gemm_tuning = g_strdup ("CLBlast's own parameters (VESICLE_CLBLAST_TUNING=none)");
      return TRUE;
    }
  tuning = vesicle_blas_tuning_find (&device->info, error);
  if (tuning == NULL && error && *error)
    return FALSE;
  if (tuning && !vesicle_blas_apply_parameters (device->info.device, tuning->parameters, &local))
    {
      g_set_error (error, local->domain, local->code, "%s: %s", tuning->path, local->message);
      return FALSE;
    }
  self->gemm_tuning = vesicle_blas_tuning_describe (tuning);
  return TRUE;
}

GArray *
vesicle_cl_cohort_record_gemms (VesicleEngine  *engine,
                                GError        **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (VesicleGemmCall));
  gboolean ok;

  vesicle_gemm_record (self->gemm, calls);
  ok = cohort_step (engine, 0, 0, error) && cohort_finish (engine, error);
  vesicle_gemm_record (self->gemm, NULL);
  if (!ok)
    return NULL;
  /* the shapes outlive the buffers */
  for (guint i = 0; i < calls->len; i++)
    {
      VesicleGemmCall *call = &g_array_index (calls, VesicleGemmCall, i);
      call->a.buffer = call->b.buffer = call->c.buffer = NULL;
    }
  return g_steal_pointer (&calls);
}

static GHashTable *
cohort_describe (VesicleEngine *engine)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  const VesicleClDeviceInfo *info = &self->device->info;
  GHashTable *d = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (d, "engine", g_strdup ("opencl"));
  g_hash_table_insert (d, "platform", g_strdup (info->platform_name));
  g_hash_table_insert (d, "platform_version", g_strdup (info->platform_version));
  g_hash_table_insert (d, "device", g_strdup (info->name));
  g_hash_table_insert (d, "device_type", g_strdup (vesicle_cl_device_type_name (info->type)));
  g_hash_table_insert (d, "device_vendor", g_strdup (info->vendor));
  g_hash_table_insert (d, "device_version", g_strdup (info->device_version));
  g_hash_table_insert (d, "driver_version", g_strdup (info->driver_version));
  g_hash_table_insert (d, "compute_units", g_strdup_printf ("%u", info->compute_units));
  g_hash_table_insert (d, "clblast", g_strdup (vesicle_blas_version ()));
  g_hash_table_insert (d, "gemm", g_strdup (vesicle_gemm_name (self->gemm)));
  if (self->gemm_tuning)
    g_hash_table_insert (d, "gemm_tuning", g_strdup (self->gemm_tuning));
  /* chosen from the device's memory (vesicle_cl_cohort_max_networks) */
  g_hash_table_insert (d, "cohorts", g_strdup ("1"));
  g_hash_table_insert (d, "max_networks_per_cohort",
                       g_strdup_printf ("%u", vesicle_cl_cohort_max_networks (info,
                                                                             &engine->config)));
  /* the update and sampling kernels: one launch per tensor for all K networks, float8 */
  g_hash_table_insert (d, "launches", g_strdup ("per tensor"));
  g_hash_table_insert (d, "kernels_from_cache", g_strdup (self->kernels_from_cache ? "yes" : "no"));
  g_hash_table_insert (d, "noise", g_strdup ("Philox4x32-10 keyed (seed, step, tensor, index); "
                                             "networks sharing a seed share noise"));
  return d;
}

static void
cohort_free (VesicleEngine *engine)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  cl_mem *mems[] = {
    &self->mu, &self->phi, &self->m_mu, &self->v_mu, &self->m_phi, &self->v_phi, &self->grad,
    &self->w, &self->sigma, &self->w_eval, &self->keep_gmu, &self->keep_gphi, &self->xi[0], &self->xi[1],
    &self->xi_eval, &self->phi_homo, &self->m_phi_homo,
    &self->v_phi_homo, &self->keep_gphi_homo, &self->partials, &self->train_loss, &self->train_correct, &self->eval_loss,
    &self->eval_correct, &self->hyper, &self->stats_g2, &self->stats_gabs, &self->stats_rate, &self->x_train, &self->t_train, &self->x_test, &self->t_test,
  };
  cl_kernel *kernels[] = {
    &self->k_noise, &self->k_sample, &self->k_bias_act,
    &self->k_relu_bwd, &self->k_bias_bwd, &self->k_head, &self->k_adam,
    &self->k_keep, &self->k_homo_reduce, &self->k_homo_update, &self->k_stats, &self->k_rate,
  };

  if (self->device)
    clFinish (self->device->queue);
  if (self->profile)
    {
      profile_print (self);
      g_hash_table_unref (self->profile);
    }
  for (guint i = 0; i < G_N_ELEMENTS (mems); i++)
    g_clear_pointer (mems[i], clReleaseMemObject);
  for (guint l = 0; l < VESICLE_MAX_LAYERS; l++)
    {
      g_clear_pointer (&self->act[l], clReleaseMemObject);
      g_clear_pointer (&self->dact[l], clReleaseMemObject);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kernels); i++)
    g_clear_pointer (kernels[i], clReleaseKernel);
  g_clear_pointer (&self->gemm, vesicle_gemm_free);
  g_free (self->gemm_tuning);
  g_clear_pointer (&self->program, clReleaseProgram);
  g_free (self->slot);
  g_free (self->hyper_rows);
  g_free (self->seeds);
  g_clear_pointer (&self->device, vesicle_cl_device_free);
  vesicle_cohort_config_clear (&self->parent.config);
  g_free (self);
}

static const VesicleEngineVTable cohort_vtable = {
  .free = cohort_free,
  .set_train_data = cohort_set_train_data,
  .set_test_data = cohort_set_test_data,
  .step = cohort_step,
  .read_train_stats = cohort_read_train_stats,
  .evaluate = cohort_evaluate,
  .read_params = cohort_read_params,
  .write_params = cohort_write_params,
  .set_keep_gradients = cohort_set_keep_gradients,
  .read_gradients = cohort_read_gradients,
  .accumulate_stats = cohort_accumulate_stats,
  .read_stats = cohort_read_stats,
  .read_adam_v = cohort_read_adam_v,
  .predict = cohort_predict,
  .state_size = cohort_state_size,
  .read_state = cohort_read_state,
  .write_state = cohort_write_state,
  .finish = cohort_finish,
  .describe = cohort_describe,
};

/* ---- construction ------------------------------------------------------------------------ */

static cl_kernel
kernel_new (VesicleClCohort *self,
            const char      *name,
            GError         **error)
{
  return vesicle_cl_kernel_new (self->program, name, error);
}

/* Seed slots: networks with equal seeds share one noise draw per step. */
static void
assign_slots (VesicleClCohort *self)
{
  const VesicleCohortConfig *cfg = &self->parent.config;

  self->slot = g_new0 (guint, self->K);
  self->seeds = g_new0 (guint64, self->K);
  self->S = 0;
  for (guint k = 0; k < self->K; k++)
    {
      guint s;

      for (s = 0; s < self->S && self->seeds[s] != cfg->hyper[k].seed; s++)
        ;
      if (s == self->S)
        self->seeds[self->S++] = cfg->hyper[k].seed;
      self->slot[k] = s;
    }
}

static gboolean
init_params (VesicleClCohort *self,
             GError         **error)
{
  const VesicleCohortConfig *cfg = &self->parent.config;
  g_autofree float *mu = g_new (float, self->K * self->P);
  g_autofree float *phi = g_new (float, self->K * self->P);
  g_autofree float *phi_one = g_new (float, self->P);

  for (guint k = 0; k < self->K; k++)
    {
      const VesicleHyper *h = &cfg->hyper[k];

      vesicle_model_init_params (mu + k * self->P, phi_one, &cfg->shape, VESICLE_SIGMA_HETERO,
                                 h->seed, cfg->init_range, cfg->sigma_init);
      memcpy (phi + k * self->P, phi_one, self->P * sizeof (float));
    }
  return cohort_write_params (&self->parent, mu, phi, error);
}

/* The cohort's buffers against the device, before anything is built or allocated: a cohort
 * too large is refused at once with the sizes, in MiB, not part-way through. (The datasets
 * come later; their upload is checked on its own.) */
/* What a cohort of @K networks of @config's shape holds on the device: 14 (K, P) buffers
 * (parameters, carried sigma, Adam, gradients, weights, kept gradients, statistics), three of noise (at most
 * as many seeds as networks) and two of activations per layer; *largest is the largest one. */
static guint64
cohort_bytes (const VesicleCohortConfig *config,
              guint                      K,
              guint64                   *largest)
{
  const VesicleShape *shape = &config->shape;
  guint64 kp = (guint64) K * vesicle_shape_n_params (shape) * sizeof (float);
  guint64 bmax = MAX (config->batch, config->eval_batch), total = 17 * kp;

  *largest = kp;
  for (guint l = 0; l < shape->n_layers; l++)
    {
      guint64 act = bmax * K * shape->sizes[l + 1] * sizeof (float);

      total += 2 * act;
      *largest = MAX (*largest, act);
    }
  return total;
}

guint
vesicle_cl_cohort_max_networks (const VesicleClDeviceInfo *info,
                                const VesicleCohortConfig *config)
{
  const VesicleShape *shape = &config->shape;
  guint64 largest, per_network = cohort_bytes (config, 1, &largest);
  /* the training data and a test set as large: uploaded once, beside the cohort */
  guint64 data = 2 * (guint64) config->n_train
                 * (shape->sizes[0] + shape->sizes[shape->n_layers]) * sizeof (float);
  /* a tenth left to the driver and to what else runs on the device */
  guint64 room = info->global_mem / 10 * 9;
  guint64 by_memory = room > data ? (room - data) / per_network : 0;
  guint64 by_buffer = info->max_alloc / MAX (largest, 1);
  guint64 by_index = (G_MAXUINT32 - 1) / MAX (vesicle_shape_n_params (shape), 1);

  const char *cap = g_getenv ("VESICLE_MAX_COHORT");
  guint64 most;

  if (info->global_mem == 0)
    by_memory = G_MAXUINT;
  most = MIN (MIN (by_memory, by_buffer), by_index);
  /* a smaller cap, for tests: the split engine on sweeps of a few networks */
  if (cap && g_ascii_strtoull (cap, NULL, 10) > 0)
    most = MIN (most, g_ascii_strtoull (cap, NULL, 10));
  return (guint) CLAMP (most, 1, G_MAXUINT);
}

static gboolean
check_memory (VesicleClCohort *self,
              GError         **error)
{
  const VesicleClDeviceInfo *info = &self->device->info;
  guint64 largest, total = cohort_bytes (&self->parent.config, self->K, &largest);

  /* one network cannot be split over cohorts: only narrower layers help it */
  if (largest > info->max_alloc && self->K == 1)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_OUT_OF_MEMORY,
                   "one network of %" G_GSIZE_FORMAT " parameters needs a buffer of %"
                   G_GUINT64_FORMAT " MiB, more than the largest allocation of %s (%"
                   G_GUINT64_FORMAT " MiB); a network cannot be split: use narrower layers",
                   self->P, largest >> 20, info->name, info->max_alloc >> 20);
      return FALSE;
    }
  if (largest > info->max_alloc)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_OUT_OF_MEMORY,
                   "cohort: %u networks of %" G_GSIZE_FORMAT " parameters need buffers of %"
                   G_GUINT64_FORMAT " MiB, more than the largest allocation of %s (%"
                   G_GUINT64_FORMAT " MiB); use fewer networks per cohort or narrower layers",
                   self->K, self->P, largest >> 20, info->name, info->max_alloc >> 20);
      return FALSE;
    }
  if (info->global_mem > 0 && total > info->global_mem && self->K == 1)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_OUT_OF_MEMORY,
                   "one network of %" G_GSIZE_FORMAT " parameters needs about %"
                   G_GUINT64_FORMAT " MiB, more than the %" G_GUINT64_FORMAT " MiB of %s; a "
                   "network cannot be split: use narrower layers",
                   self->P, total >> 20, info->global_mem >> 20, info->name);
      return FALSE;
    }
  if (info->global_mem > 0 && total > info->global_mem)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_OUT_OF_MEMORY,
                   "cohort: %u networks of %" G_GSIZE_FORMAT " parameters need about %"
                   G_GUINT64_FORMAT " MiB, more than the %" G_GUINT64_FORMAT " MiB of %s; use "
                   "fewer networks per cohort or narrower layers",
                   self->K, self->P, total >> 20, info->global_mem >> 20, info->name);
      return FALSE;
    }
  return TRUE;
}

VesicleEngine *
vesicle_cl_cohort_new (VesicleClDevice           *device,
                       const VesicleCohortConfig *config,
                       GError                   **error)
{
  VesicleClCohort *self;
  g_autoptr(VesicleEngine) engine = NULL;
  const VesicleShape *shape;
  g_autofree char *defines = NULL;
  gsize kp;

  g_return_val_if_fail (device != NULL, NULL);
  if (!vesicle_cohort_config_check (config, error))
    {
      vesicle_cl_device_free (device);
      return NULL;
    }

  self = g_new0 (VesicleClCohort, 1);
  engine = &self->parent;
  engine->vtable = &cohort_vtable;
  vesicle_cohort_config_copy (&engine->config, config);
  self->device = device;
  shape = &engine->config.shape;
  self->K = config->K;
  self->L = shape->n_layers;
  self->P = vesicle_shape_n_params (shape);
  self->T = shape->head == VESICLE_HEAD_SOFTMAX ? 1 : shape->sizes[shape->n_layers];
  self->bmax = MAX (config->batch, config->eval_batch);
  self->max_local = 64;
  clGetDeviceInfo (device->info.device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof self->max_local,
                   &self->max_local, NULL);
  if (g_strcmp0 (g_getenv ("VESICLE_PROFILE"), "1") == 0)
    self->profile = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if ((guint64) self->K * self->P >= G_MAXUINT32)
    {
      if (self->K == 1)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "one network of %" G_GSIZE_FORMAT " parameters, more than the 2^32 a "
                     "device can index; a network cannot be split: use narrower layers", self->P);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "cohort: %u networks of %" G_GSIZE_FORMAT " parameters exceed 2^32 "
                     "parameters; split the sweep", self->K, self->P);
      return NULL;
    }

  for (guint l = 0, p = 0; l < self->L; l++)
    for (guint b = 0; b < 2; b++)
      {
        Tensor *ts = &self->tensors[2 * l + b];
        gsize O = shape->sizes[l + 1], I = shape->sizes[l];

        ts->n = b == 0 ? O * I : O;
        ts->net_off = vesicle_shape_layer_offset (shape, l) + (b == 0 ? 0 : O * I);
        ts->id = 2 * l + b;
        ts->groups = CLAMP ((ts->n + ADAM_LOCAL * 16 - 1) / (ADAM_LOCAL * 16), 1, ADAM_MAX_GROUPS);
        ts->partial_base = p;
        p += ts->groups;
        self->n_partials = p;
      }

  if (!check_memory (self, error))
    return NULL;

  defines = g_strdup_printf ("#define HEAD_LOCAL %d\n#define ADAM_LOCAL %d\n", HEAD_LOCAL,
                             ADAM_LOCAL);
  if (!(self->program = vesicle_cl_program_build (device, defines, &self->kernels_from_cache, error))
      || !(self->k_noise = kernel_new (self, "noise_draw", error))
      || !(self->k_sample = kernel_new (self, "sample_weights", error))
      || !(self->k_bias_act = kernel_new (self, "bias_act_forward", error))
      || !(self->k_relu_bwd = kernel_new (self, "relu_backward", error))
      || !(self->k_bias_bwd = kernel_new (self, "bias_backward", error))
      || !(self->k_head = kernel_new (self, shape->head == VESICLE_HEAD_SOFTMAX
                                      ? "softmax_ce_forward_backward"
                                      : "gaussian_forward_backward", error))
      || !(self->k_adam = kernel_new (self, "adam_update", error))
      || !(self->k_keep = kernel_new (self, "keep_gradients", error))
      || !(self->k_homo_reduce = kernel_new (self, "homo_reduce", error))
      || !(self->k_homo_update = kernel_new (self, "homo_update", error))
      || !(self->k_stats = kernel_new (self, "stats_accumulate", error))
      || !(self->k_rate = kernel_new (self, "rate_accumulate", error))
      || !(self->gemm = vesicle_gemm_new (device, self->program, error))
      || !apply_gemm_tuning (self, error))
    return NULL;

  assign_slots (self);
  /* all bits set: never a real table, so the first upload_hyper writes it */
  self->hyper_rows = g_malloc (self->K * sizeof (NetHyper));
  memset (self->hyper_rows, 0xff, self->K * sizeof (NetHyper));
  for (guint k = 0; k < self->K; k++)
    self->any_homo |= config->hyper[k].setting == VESICLE_SIGMA_HOMO;
  kp = self->K * self->P * sizeof (float);
  if (!(self->mu = buffer_new (self, kp, error)) || !(self->phi = buffer_new (self, kp, error))
      || !(self->m_mu = buffer_new (self, kp, error)) || !(self->v_mu = buffer_new (self, kp, error))
      || !(self->m_phi = buffer_new (self, kp, error)) || !(self->v_phi = buffer_new (self, kp, error))
      || !(self->grad = buffer_new (self, kp, error)) || !(self->w = buffer_new (self, kp, error))
      || !(self->sigma = buffer_new (self, kp, error))
      || !(self->w_eval = buffer_new (self, kp, error))
      || !(self->keep_gmu = buffer_new (self, kp, error))
      || !(self->keep_gphi = buffer_new (self, kp, error))
      || !(self->xi[0] = buffer_new (self, self->S * self->P * sizeof (float), error))
      || !(self->xi[1] = buffer_new (self, self->S * self->P * sizeof (float), error))
      || !(self->xi_eval = buffer_new (self, self->S * self->P * sizeof (float), error))
      || !(self->phi_homo = buffer_new (self, self->K * sizeof (float), error))
      || !(self->m_phi_homo = buffer_new (self, self->K * sizeof (float), error))
      || !(self->v_phi_homo = buffer_new (self, self->K * sizeof (float), error))
      || !(self->keep_gphi_homo = buffer_new (self, self->K * sizeof (float), error))
      || !(self->partials = buffer_new (self, self->K * self->n_partials * sizeof (float), error))
      || !(self->hyper = buffer_new (self, self->K * sizeof (NetHyper), error))
      || !(self->train_loss = buffer_new (self, self->K * sizeof (float), error))
      || !(self->train_correct = buffer_new (self, self->K * sizeof (float), error))
      || !(self->eval_loss = buffer_new (self, self->K * sizeof (float), error))
      || !(self->eval_correct = buffer_new (self, self->K * sizeof (float), error))
      || !(self->stats_g2 = buffer_new (self, kp, error))
      || !(self->stats_gabs = buffer_new (self, kp, error)))
    return NULL;
  self->rate_len = in_size (self, 0);
  for (guint l = 1; l < self->L; l++)
    self->rate_len += self->K * in_size (self, l);
  if (!(self->stats_rate = buffer_new (self, self->rate_len * sizeof (float), error)))
    return NULL;
  for (guint l = 0; l < self->L; l++)
    {
      gsize bytes = (gsize) self->bmax * self->K * MAX (shape->sizes[l + 1], 1) * sizeof (float);

      if (!(self->act[l] = buffer_new (self, bytes, error))
          || !(self->dact[l] = buffer_new (self, bytes, error)))
        return NULL;
    }
  if (!init_params (self, error))
    return NULL;
  return g_steal_pointer (&engine);
}
