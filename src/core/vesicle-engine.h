/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the trainer needs from a compute engine: a cohort of K networks of one shape, trained in
 * lockstep on one minibatch stream, each with its own hyperparameters (K = 1 is a plain run).
 * core/ defines the interface; cl/ implements it with OpenCL kernels and CLBlast. Calls may
 * enqueue work and return before it is done; every read waits for what came before it.
 */
#pragma once

#include "vesicle-model.h"

G_BEGIN_DECLS

typedef struct {
  VesicleShape  shape;
  guint         K;            /* networks */
  VesicleHyper *hyper;        /* (K) */
  guint         batch;        /* B: training minibatch */
  guint         eval_batch;   /* test minibatch: one weight sample each, as the paper measured */
  guint         n_train;      /* N, for the scale B/N of the regularisers */
  double        lr;
  double        beta1;
  double        beta2;
  double        eps;
  double        init_range;   /* mu ~ U(-init_range, init_range) */
  double        sigma_init;
  gboolean      freeze_mu;    /* mu holds still, only phi learns: sigma's optimum at fixed
                               * means (vesicle_engine_freeze_means, for sigma_epochs) */
} VesicleCohortConfig;

typedef struct _VesicleEngine VesicleEngine;

typedef struct {
  void        (*free)            (VesicleEngine *self);
  /* Training examples for the coming epoch, already in epoch order: x (n, I), targets (n, T)
   * with T = 1 (class label as a float) for softmax heads and T = outputs for Gaussian heads. */
  gboolean    (*set_train_data)  (VesicleEngine *self, const float *x, const float *targets,
                                  guint n, GError **error);
  gboolean    (*set_test_data)   (VesicleEngine *self, const float *x, const float *targets,
                                  guint n, GError **error);
  /* One Adam step on minibatch `batch_index` of the epoch data; `step` counts from 0 over the run
   * and keys the noise. Train NLL and correct counts accumulate until read_train_stats. */
  gboolean    (*step)            (VesicleEngine *self, guint batch_index, guint32 step,
                                  GError **error);
  gboolean    (*read_train_stats)(VesicleEngine *self, double *nll_sum, double *n_correct,
                                  GError **error);                        /* (K), (K); resets */
  /* Over the whole test set: NLL sum and correct count per network, with one weight sample per
   * test minibatch (noise keyed by round) or at the mean weights. */
  gboolean    (*evaluate)        (VesicleEngine *self, gboolean mean_weights, guint32 round,
                                  double *nll_sum, double *n_correct, GError **error);
  /* Parameters in the per-network flat layout of vesicle-model.h: mu (K, P), sigma (K, P)
   * (homogeneous networks repeat their one sigma). */
  gboolean    (*read_params)     (VesicleEngine *self, float *mu, float *sigma, GError **error);
  gboolean    (*write_params)    (VesicleEngine *self, const float *mu, const float *phi,
                                  GError **error);                          /* phi (K, P) */
  /* Gradients of the last step, before Adam (tests): (K, P) each; homogeneous networks put
   * their one d/dphi in element 0. Only after set_keep_gradients (TRUE). */
  void        (*set_keep_gradients) (VesicleEngine *self, gboolean keep);
  gboolean    (*read_gradients)  (VesicleEngine *self, float *grad_mu, float *grad_phi,
                                  GError **error);
  /* Importance statistics at the current, frozen parameters (w = mu): for minibatch
   * `batch_index` of the epoch data, adds g^2 and |g| of the data term's gradient for every
   * parameter, and |presynaptic activity| for every layer's inputs. No update happens. */
  gboolean    (*accumulate_stats)(VesicleEngine *self, guint batch_index, GError **error);
  /* Sums so far, then reset: g2, gabs (K, P) flat layout; rate (K, R) with R = sum_l sizes[l]
   * (layer l's inputs at sum_{j<l} sizes[j]); per-example sums over *n_examples examples and
   * *n_batches minibatches. */
  gboolean    (*read_stats)      (VesicleEngine *self, float *g2, float *gabs, float *rate,
                                  guint *n_batches, guint *n_examples, GError **error);
  /* Adam's second moment of d/dmu, (K, P): the effective learning rate is lr / sqrt(v). */
  gboolean    (*read_adam_v)     (VesicleEngine *self, float *v_mu, GError **error);
  /* Outputs (K, n_samples, n, O) for inputs x (n, I), each sample a fresh weight draw (sample s
   * keyed as step s of stream `stream`), or the mean weights when n_samples is 0 (then (K, n, O)). */
  gboolean    (*predict)         (VesicleEngine *self, const float *x, guint n, guint n_samples,
                                  guint32 stream, float *out, GError **error);
  /* Everything training changes that the next step reads (parameters, Adam's moments and step
   * count, the next step's sampled weights), as state_size floats in the engine's own layout: what a checkpoint holds.
   * write_state puts it back into an engine of the same configuration on the same device, and
   * the steps that follow are bit-identical to those of the engine it was read from. */
  gsize       (*state_size)      (VesicleEngine *self);
  gboolean    (*read_state)      (VesicleEngine *self, float *state, guint64 *adam_steps,
                                  GError **error);
  gboolean    (*write_state)     (VesicleEngine *self, const float *state, guint64 adam_steps,
                                  GError **error);
  gboolean    (*finish)          (VesicleEngine *self, GError **error);
  /* Free-form description of the device, for run.json: a JSON-able list of key/value pairs. */
  GHashTable *(*describe)        (VesicleEngine *self);
  /* The steering in config (hyper[k].stopped, freeze_mu) changed: an engine that keeps copies
   * of it (one per part of a split cohort) updates them. NULL: the engine reads config itself.
   * Called only by the vesicle_engine_* steering calls below. */
  void        (*steer)           (VesicleEngine *self);
} VesicleEngineVTable;

struct _VesicleEngine {
  const VesicleEngineVTable *vtable;
  VesicleCohortConfig        config;   /* owns config.hyper */
};

void     vesicle_cohort_config_init  (VesicleCohortConfig       *config);
/* The paper's 784-100-100-10 network at batch 20, K networks with sigma per synapse, rho 1/2
 * and c = 0.01 k, one seed: what `vesicle-cli bench` and the GEMM tuner run (config_clear it). */
void     vesicle_cohort_config_init_benchmark (VesicleCohortConfig *config,
                                               guint                K,
                                               guint                n_train);
void     vesicle_cohort_config_copy  (VesicleCohortConfig       *dest,
                                      const VesicleCohortConfig *src);
void     vesicle_cohort_config_clear (VesicleCohortConfig       *config);
gboolean vesicle_cohort_config_check (const VesicleCohortConfig *config,
                                      GError                   **error);

void     vesicle_engine_free         (VesicleEngine             *engine);

/* The engine through thin calls, one per entry of its vtable (documented there), never through
 * engine->vtable directly; its configuration read only, through the getter. */
const VesicleCohortConfig *
           vesicle_engine_get_config (VesicleEngine *self);
gboolean   vesicle_engine_set_train_data (VesicleEngine *self, const float *x,
                                          const float *targets, guint n, GError **error);
gboolean   vesicle_engine_set_test_data (VesicleEngine *self, const float *x, const float *targets,
                                         guint n, GError **error);
gboolean   vesicle_engine_step (VesicleEngine *self, guint batch_index, guint32 step,
                                GError **error);
gboolean   vesicle_engine_read_train_stats (VesicleEngine *self, double *nll_sum,
                                            double *n_correct, GError **error);
gboolean   vesicle_engine_evaluate (VesicleEngine *self, gboolean mean_weights, guint32 round,
                                    double *nll_sum, double *n_correct, GError **error);
gboolean   vesicle_engine_read_params (VesicleEngine *self, float *mu, float *sigma,
                                       GError **error);
gboolean   vesicle_engine_write_params (VesicleEngine *self, const float *mu, const float *phi,
                                        GError **error);
gboolean   vesicle_engine_accumulate_stats (VesicleEngine *self, guint batch_index,
                                            GError **error);
gboolean   vesicle_engine_read_stats (VesicleEngine *self, float *g2, float *gabs, float *rate,
                                      guint *n_batches, guint *n_examples, GError **error);
gboolean   vesicle_engine_read_adam_v (VesicleEngine *self, float *v_mu, GError **error);
gboolean   vesicle_engine_predict (VesicleEngine *self, const float *x, guint n, guint n_samples,
                                   guint32 stream, float *out, GError **error);
gsize      vesicle_engine_state_size (VesicleEngine *self);
gboolean   vesicle_engine_read_state (VesicleEngine *self, float *state, guint64 *adam_steps,
                                      GError **error);
gboolean   vesicle_engine_write_state (VesicleEngine *self, const float *state, guint64 adam_steps,
                                       GError **error);
gboolean   vesicle_engine_finish (VesicleEngine *self, GError **error);
GHashTable *vesicle_engine_describe (VesicleEngine *self);

/* ---- for tests only: the gradients of the last step, before Adam ---- */
void       vesicle_engine_set_keep_gradients (VesicleEngine *self, gboolean keep);
gboolean   vesicle_engine_read_gradients (VesicleEngine *self, float *grad_mu, float *grad_phi,
                                          GError **error);

/* Steering during a run, always through these calls and never by writing engine->config: a
 * split cohort's parts hold their own copies, which a write to the config would never reach.
 * Network @k stops for good (it diverged): its parameters hold still from the next step on. */
void     vesicle_engine_stop_network  (VesicleEngine            *engine,
                                       guint                     k);
/* The means hold still from the next step on, and only phi learns (@freeze), or learn again. */
void     vesicle_engine_freeze_means  (VesicleEngine            *engine,
                                       gboolean                  freeze);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleEngine, vesicle_engine_free)

G_END_DECLS
