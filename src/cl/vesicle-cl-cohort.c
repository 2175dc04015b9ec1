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
#include "vesicle-cl-cohort-private.h"
#include "vesicle_philox.h"

#include <math.h>
#include <string.h>

static const VesicleEngineVTable cohort_vtable;

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
  gsize I = cohort_in_size (self, 0);
  gsize x_bytes = (gsize) n * I * sizeof (float);
  gsize t_bytes = (gsize) n * self->T * sizeof (float);

  if (n > *cap)
    {
      g_clear_pointer (x_mem, clReleaseMemObject);
      g_clear_pointer (t_mem, clReleaseMemObject);
      if (!(*x_mem = cohort_buffer_new (self, x_bytes, error))
          || !(*t_mem = cohort_buffer_new (self, t_bytes, error)))
        return FALSE;
      *cap = n;
    }
  return cohort_write_buffer (self, *x_mem, x, x_bytes, error)
         && cohort_write_buffer (self, *t_mem, targets, t_bytes, error);
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
  gsize x_off = first * cohort_in_size (self, 0), t_off = first * self->T;

  if (self->x_train == NULL || first + B > self->x_train_cap)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "step: minibatch %u is beyond the uploaded training data", batch_index);
      return FALSE;
    }
  /* Usually the previous update already sampled this step's weights. */
  if ((!self->w_ready || step != self->next_step)
      && !cohort_sample (self, self->w, self->xi[self->cur], step, VESICLE_STREAM_TRAIN, FALSE,
                         error))
    return FALSE;
  return cohort_forward (self, self->w, B, self->x_train, x_off, self->t_train, t_off,
                         self->train_loss, self->train_correct, error)
         && cohort_backward (self, self->w, B, self->x_train, x_off, error)
         && cohort_update (self, step, error);
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

  if (!cohort_read_buffer (self, loss, a, self->K * sizeof (float), error)
      || !cohort_read_buffer (self, correct, b, self->K * sizeof (float), error)
      || !cohort_zero_buffer (self, loss, self->K * sizeof (float), error)
      || !cohort_zero_buffer (self, correct, self->K * sizeof (float), error))
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
  if (!cohort_zero_buffer (self, self->eval_loss, self->K * sizeof (float), error)
      || !cohort_zero_buffer (self, self->eval_correct, self->K * sizeof (float), error))
    return FALSE;
  if (mean_weights && !cohort_sample (self, self->w_eval, self->xi_eval, 0, stream, TRUE, error))
    return FALSE;
  for (guint first = 0, b = 0; first < self->n_test; first += Bt, b++)
    {
      guint B = MIN (Bt, self->n_test - first);

      /* one weight sample per test minibatch, as the paper measured */
      if (!mean_weights
          && !cohort_sample (self, self->w_eval, self->xi_eval, b, stream, FALSE, error))
        return FALSE;
      if (!cohort_forward (self, self->w_eval, B, self->x_test,
                           (gsize) first * cohort_in_size (self, 0), self->t_test,
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
      if (!cohort_read_buffer (self, self->mu, tmp, bytes, error))
        return FALSE;
      cohort_out_of_layout (self, mu, tmp);
    }
  if (sigma)
    {
      if (!cohort_read_buffer (self, self->phi, tmp, bytes, error)
          || !cohort_read_buffer (self, self->phi_homo, homo, self->K * sizeof (float), error))
        return FALSE;
      cohort_out_of_layout (self, sigma, tmp);
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
  cohort_into_layout (self, tmp, mu);
  if (!cohort_write_buffer (self, self->mu, tmp, bytes, error))
    return FALSE;
  cohort_into_layout (self, tmp, phi);
  return cohort_write_buffer (self, self->phi, tmp, bytes, error)
         && cohort_write_buffer (self, self->phi_homo, homo, self->K * sizeof (float), error);
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

  if (!cohort_read_buffer (self, self->keep_gmu, tmp, bytes, error))
    return FALSE;
  cohort_out_of_layout (self, grad_mu, tmp);
  if (!cohort_read_buffer (self, self->keep_gphi, tmp, bytes, error))
    return FALSE;
  cohort_out_of_layout (self, grad_phi, tmp);
  if (!cohort_read_buffer (self, self->keep_gphi_homo, tmp, self->K * sizeof (float), error))
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
  gsize first = (gsize) batch_index * B, I0 = cohort_in_size (self, 0);
  gsize x_off = first * I0, t_off = first * self->T;
  cl_uint total = self->K * self->P, Bu = B, ld0 = I0, I0u = I0, zero = 0, xo = x_off;

  if (self->x_train == NULL || first + B > self->x_train_cap)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "statistics: minibatch %u is beyond the uploaded training data", batch_index);
      return FALSE;
    }
  if (!cohort_sample (self, self->w_eval, self->xi_eval, 0, 0, TRUE, error)
      || !cohort_forward (self, self->w_eval, B, self->x_train, x_off, self->t_train, t_off,
                          self->eval_loss, self->eval_correct, error)
      || !cohort_backward (self, self->w_eval, B, self->x_train, x_off, error)
      || !cohort_set_args (self->k_stats, error, A (self->stats_g2), A (self->stats_gabs),
                           A (self->grad), A (total), END)
      || !cohort_elementwise (self, self->k_stats, total, error)
      /* layer 1's input is shared by every network */
      || !cohort_set_args (self->k_rate, error, A (self->stats_rate), A (self->x_train), A (Bu),
                           A (I0u), A (ld0), A (zero), A (xo), END)
      || !cohort_elementwise (self, self->k_rate, I0, error))
    return FALSE;
  for (guint l = 1, off = I0; l < self->L; l++)
    {
      cl_uint KI = self->K * cohort_in_size (self, l), rate_off = off;

      if (!cohort_set_args (self->k_rate, error, A (self->stats_rate), A (self->act[l - 1]), A (Bu),
                            A (KI), A (KI), A (rate_off), A (zero), END)
          || !cohort_elementwise (self, self->k_rate, KI, error))
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
    R += cohort_in_size (self, l);
  if (!cohort_read_buffer (self, self->stats_g2, tmp, bytes, error))
    return FALSE;
  if (g2)
    cohort_out_of_layout (self, g2, tmp);
  if (!cohort_read_buffer (self, self->stats_gabs, tmp, bytes, error))
    return FALSE;
  if (gabs)
    cohort_out_of_layout (self, gabs, tmp);
  if (!cohort_read_buffer (self, self->stats_rate, r, self->rate_len * sizeof (float), error))
    return FALSE;
  if (rate)
    for (guint k = 0; k < self->K; k++)
      {
        gsize I0 = cohort_in_size (self, 0), src = I0, dst = I0;

        memcpy (rate + k * R, r, I0 * sizeof (float));
        for (guint l = 1; l < self->L; l++)
          {
            gsize I = cohort_in_size (self, l);

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
  return cohort_zero_buffer (self, self->stats_g2, bytes, error)
         && cohort_zero_buffer (self, self->stats_gabs, bytes, error)
         && cohort_zero_buffer (self, self->stats_rate, self->rate_len * sizeof (float), error);
}

static gboolean
cohort_read_adam_v (VesicleEngine *engine,
                    float         *v_mu,
                    GError       **error)
{
  VesicleClCohort *self = (VesicleClCohort *) engine;
  gsize bytes = self->K * self->P * sizeof (float);
  g_autofree float *tmp = g_malloc (bytes);

  if (!cohort_read_buffer (self, self->v_mu, tmp, bytes, error))
    return FALSE;
  cohort_out_of_layout (self, v_mu, tmp);
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
    if (!cohort_read_buffer (self, buffers[i].mem, state, buffers[i].n * sizeof (float), error))
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
    if (!cohort_write_buffer (self, buffers[i].mem, state, buffers[i].n * sizeof (float), error))
      return FALSE;
  self->t = adam_steps;
  self->sigma_carried = adam_steps > 0;
  /* Steps are numbered from 0 without gaps, so the restored w is step t's; its noise is drawn
   * again (the same bits: Philox is keyed by the step). Before any step there is no w yet. */
  self->w_ready = FALSE;
  if (adam_steps == 0)
    return TRUE;
  self->next_step = adam_steps;
  if (!cohort_draw_noise (self, self->xi[self->cur], self->next_step, VESICLE_STREAM_TRAIN, error))
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
  gsize I = cohort_in_size (self, 0), O = cohort_out_size (self, self->L - 1), KO = self->K * O;
  guint draws = MAX (n_samples, 1);
  g_autofree float *rows = g_new (float, (gsize) self->bmax * KO);
  cl_mem xbuf;
  gboolean ok = TRUE;

  if (n == 0)
    return TRUE;
  if (!(xbuf = cohort_buffer_new (self, (gsize) n * I * sizeof (float), error)))
    return FALSE;
  ok = cohort_write_buffer (self, xbuf, x, (gsize) n * I * sizeof (float), error);
  for (guint s = 0; ok && s < draws; s++)
    {
      ok = cohort_sample (self, self->w_eval, self->xi_eval, s, stream, n_samples == 0, error);
      for (guint first = 0; ok && first < n; first += self->bmax)
        {
          guint B = MIN (self->bmax, n - first);

          ok = cohort_forward (self, self->w_eval, B, xbuf, (gsize) first * I, NULL, 0, NULL, NULL,
                               error)
               && cohort_read_buffer (self, self->act[self->L - 1], rows,
                                      (gsize) B * KO * sizeof (float), error);
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
  if (!cohort_read_buffer (self, self->xi[self->w_ready ? 1 - self->cur : self->cur], tmp, bytes,
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

  return cohort_check (self, clFinish (self->device->queue), "clFinish", error);
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
  if (tuning && tuning->parameters
      && !vesicle_blas_apply_parameters (device->info.device, tuning->parameters, &local))
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
  if (vesicle_gemm_origin (self->gemm))
    g_hash_table_insert (d, "gemm_choice", g_strdup (vesicle_gemm_origin (self->gemm)));
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
      cohort_profile_print (self);
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

cl_program
vesicle_cl_cohort_build_program (VesicleClDevice  *device,
                                 gboolean         *from_cache,
                                 GError          **error)
{
  g_autofree char *defines = g_strdup_printf ("#define HEAD_LOCAL %d\n#define ADAM_LOCAL %d\n",
                                              HEAD_LOCAL, ADAM_LOCAL);

  return vesicle_cl_program_build (device, defines, from_cache, error);
}

VesicleEngine *
vesicle_cl_cohort_new (VesicleClDevice           *device,
                       const VesicleCohortConfig *config,
                       GError                   **error)
{
  VesicleClCohort *self;
  g_autoptr(VesicleEngine) engine = NULL;
  const VesicleShape *shape;
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

  if (!(self->program = vesicle_cl_cohort_build_program (device, &self->kernels_from_cache,
                                                        error))
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
  if (!(self->mu = cohort_buffer_new (self, kp, error))
      || !(self->phi = cohort_buffer_new (self, kp, error))
      || !(self->m_mu = cohort_buffer_new (self, kp, error))
      || !(self->v_mu = cohort_buffer_new (self, kp, error))
      || !(self->m_phi = cohort_buffer_new (self, kp, error))
      || !(self->v_phi = cohort_buffer_new (self, kp, error))
      || !(self->grad = cohort_buffer_new (self, kp, error))
      || !(self->w = cohort_buffer_new (self, kp, error))
      || !(self->sigma = cohort_buffer_new (self, kp, error))
      || !(self->w_eval = cohort_buffer_new (self, kp, error))
      || !(self->keep_gmu = cohort_buffer_new (self, kp, error))
      || !(self->keep_gphi = cohort_buffer_new (self, kp, error))
      || !(self->xi[0] = cohort_buffer_new (self, self->S * self->P * sizeof (float), error))
      || !(self->xi[1] = cohort_buffer_new (self, self->S * self->P * sizeof (float), error))
      || !(self->xi_eval = cohort_buffer_new (self, self->S * self->P * sizeof (float), error))
      || !(self->phi_homo = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->m_phi_homo = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->v_phi_homo = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->keep_gphi_homo = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->partials = cohort_buffer_new (self, self->K * self->n_partials * sizeof (float),
                                               error))
      || !(self->hyper = cohort_buffer_new (self, self->K * sizeof (NetHyper), error))
      || !(self->train_loss = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->train_correct = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->eval_loss = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->eval_correct = cohort_buffer_new (self, self->K * sizeof (float), error))
      || !(self->stats_g2 = cohort_buffer_new (self, kp, error))
      || !(self->stats_gabs = cohort_buffer_new (self, kp, error)))
    return NULL;
  self->rate_len = cohort_in_size (self, 0);
  for (guint l = 1; l < self->L; l++)
    self->rate_len += self->K * cohort_in_size (self, l);
  if (!(self->stats_rate = cohort_buffer_new (self, self->rate_len * sizeof (float), error)))
    return NULL;
  for (guint l = 0; l < self->L; l++)
    {
      gsize bytes = (gsize) self->bmax * self->K * MAX (shape->sizes[l + 1], 1) * sizeof (float);

      if (!(self->act[l] = cohort_buffer_new (self, bytes, error))
          || !(self->dact[l] = cohort_buffer_new (self, bytes, error)))
        return NULL;
    }
  if (!init_params (self, error))
    return NULL;
  return g_steal_pointer (&engine);
}
