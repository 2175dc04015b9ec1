/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cohort configuration: defaults from the paper's Methods, and validation with errors that name
 * the field at fault.
 */
#include "vesicle-engine.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

void
vesicle_cohort_config_init (VesicleCohortConfig *config)
{
  memset (config, 0, sizeof *config);
  config->batch = 20;
  config->eval_batch = 20;
  config->lr = 5e-4;
  config->beta1 = 0.9;
  config->beta2 = 0.999;
  config->eps = 1e-8;
  config->init_range = 0.1;
  config->sigma_init = 1e-4;
}

void
vesicle_cohort_config_init_benchmark (VesicleCohortConfig *config,
                                      guint                K,
                                      guint                n_train)
{
  guint hidden[2] = { 100, 100 };

  vesicle_cohort_config_init (config);
  vesicle_shape_init (&config->shape, 784, hidden, 2, 10, VESICLE_HEAD_SOFTMAX, NULL);
  config->K = K;
  config->n_train = n_train;
  config->hyper = g_new0 (VesicleHyper, K);
  for (guint k = 0; k < K; k++)
    /* different c per network, one seed: a sweep over c with common random numbers */
    config->hyper[k] = (VesicleHyper) { 0.5, 1e-2 * (k + 1), 1e-4, VESICLE_SIGMA_HETERO, 1 };
}

void
vesicle_cohort_config_copy (VesicleCohortConfig       *dest,
                            const VesicleCohortConfig *src)
{
  *dest = *src;
  dest->hyper = g_memdup2 (src->hyper, sizeof (VesicleHyper) * src->K);
}

void
vesicle_cohort_config_clear (VesicleCohortConfig *config)
{
  g_clear_pointer (&config->hyper, g_free);
}

#define BAD(...) G_STMT_START { \
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

gboolean
vesicle_cohort_config_check (const VesicleCohortConfig *config,
                             GError                   **error)
{
  if (config->K == 0 || config->K > 4096)
    BAD ("cohort: %u networks; between 1 and 4096 are supported", config->K);
  if (config->batch == 0 || config->batch > 65536)
    BAD ("batch: %u; must be between 1 and 65536", config->batch);
  if (config->eval_batch == 0 || config->eval_batch > 65536)
    BAD ("eval-batch: %u; must be between 1 and 65536", config->eval_batch);
  if (config->n_train < config->batch)
    BAD ("batch: %u is larger than the %u training example%s", config->batch, config->n_train,
         config->n_train == 1 ? "" : "s");
  if (!(config->lr > 0 && isfinite (config->lr)))
    BAD ("lr: %g; must be a positive number", config->lr);
  if (!(config->beta1 >= 0 && config->beta1 < 1) || !(config->beta2 >= 0 && config->beta2 < 1))
    BAD ("betas: %g, %g; each must be in [0, 1)", config->beta1, config->beta2);
  if (!(config->eps > 0))
    BAD ("eps: %g; must be positive", config->eps);
  if (!(config->sigma_init > 0 && isfinite (config->sigma_init)))
    BAD ("sigma-init: %g; must be a positive number", config->sigma_init);
  if (!(config->init_range >= 0 && isfinite (config->init_range)))
    BAD ("init-range: %g; must be zero or positive", config->init_range);
  for (guint k = 0; k < config->K; k++)
    {
      const VesicleHyper *h = &config->hyper[k];

      if (h->cost == VESICLE_COST_POWER && !(h->rho > 0 && h->rho <= 16))
        BAD ("rho: %g (network %u); must be in (0, 16]", h->rho, k);
      if (!(h->prior_l1 >= 0 && isfinite (h->prior_l1))
          || !(h->prior_precision >= 0 && isfinite (h->prior_precision)))
        BAD ("prior: %g, %g (network %u); must be zero or positive", h->prior_l1,
             h->prior_precision, k);
      if (!(h->c >= 0 && isfinite (h->c)))
        BAD ("c: %g (network %u); must be zero or positive", h->c, k);
      if (!(h->lambda >= 0 && isfinite (h->lambda)))
        BAD ("lambda: %g (network %u); must be zero or positive", h->lambda, k);
    }
  return TRUE;
}

void
vesicle_engine_free (VesicleEngine *engine)
{
  if (engine == NULL)
    return;
  engine->vtable->free (engine);
}

static void
engine_steer (VesicleEngine *engine)
{
  if (engine->vtable->steer != NULL)
    engine->vtable->steer (engine);
}

void
vesicle_engine_stop_network (VesicleEngine *engine,
                             guint          k)
{
  g_return_if_fail (engine != NULL && k < engine->config.K);

  engine->config.hyper[k].stopped = TRUE;
  engine_steer (engine);
}

void
vesicle_engine_freeze_means (VesicleEngine *engine,
                             gboolean       freeze)
{
  g_return_if_fail (engine != NULL);

  engine->config.freeze_mu = freeze;
  engine_steer (engine);
}

const VesicleCohortConfig *
vesicle_engine_get_config (VesicleEngine *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->config;
}

gboolean
vesicle_engine_set_train_data (VesicleEngine *self,
                               const float   *x,
                               const float   *targets,
                               guint          n,
                               GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->set_train_data (self, x, targets, n, error);
}

gboolean
vesicle_engine_set_test_data (VesicleEngine *self,
                              const float   *x,
                              const float   *targets,
                              guint          n,
                              GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->set_test_data (self, x, targets, n, error);
}

gboolean
vesicle_engine_step (VesicleEngine *self,
                     guint          batch_index,
                     guint32        step,
                     GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->step (self, batch_index, step, error);
}

gboolean
vesicle_engine_read_train_stats (VesicleEngine *self,
                                 double        *nll_sum,
                                 double        *n_correct,
                                 GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->read_train_stats (self, nll_sum, n_correct, error);
}

gboolean
vesicle_engine_evaluate (VesicleEngine *self,
                         gboolean       mean_weights,
                         guint32        round,
                         double        *nll_sum,
                         double        *n_correct,
                         GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->evaluate (self, mean_weights, round, nll_sum, n_correct, error);
}

gboolean
vesicle_engine_read_params (VesicleEngine *self,
                            float         *mu,
                            float         *sigma,
                            GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->read_params (self, mu, sigma, error);
}

gboolean
vesicle_engine_write_params (VesicleEngine *self,
                             const float   *mu,
                             const float   *phi,
                             GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->write_params (self, mu, phi, error);
}

gboolean
vesicle_engine_accumulate_stats (VesicleEngine *self,
                                 guint          batch_index,
                                 GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->accumulate_stats (self, batch_index, error);
}

gboolean
vesicle_engine_read_stats (VesicleEngine *self,
                           float         *g2,
                           float         *gabs,
                           float         *rate,
                           guint         *n_batches,
                           guint         *n_examples,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->read_stats (self, g2, gabs, rate, n_batches, n_examples, error);
}

gboolean
vesicle_engine_read_adam_v (VesicleEngine *self,
                            float         *v_mu,
                            GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->read_adam_v (self, v_mu, error);
}

gboolean
vesicle_engine_predict (VesicleEngine *self,
                        const float   *x,
                        guint          n,
                        guint          n_samples,
                        guint32        stream,
                        float         *out,
                        GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->predict (self, x, n, n_samples, stream, out, error);
}

gsize
vesicle_engine_state_size (VesicleEngine *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->vtable->state_size (self);
}

gboolean
vesicle_engine_read_state (VesicleEngine *self,
                           float         *state,
                           guint64       *adam_steps,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->read_state (self, state, adam_steps, error);
}

gboolean
vesicle_engine_write_state (VesicleEngine *self,
                            const float   *state,
                            guint64        adam_steps,
                            GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->write_state (self, state, adam_steps, error);
}

gboolean
vesicle_engine_finish (VesicleEngine *self,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->finish (self, error);
}

GHashTable *
vesicle_engine_describe (VesicleEngine *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->vtable->describe (self);
}

void
vesicle_engine_set_keep_gradients (VesicleEngine *self,
                                   gboolean       keep)
{
  g_return_if_fail (self != NULL);

  self->vtable->set_keep_gradients (self, keep);
}

gboolean
vesicle_engine_read_gradients (VesicleEngine *self,
                               float         *grad_mu,
                               float         *grad_phi,
                               GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable->read_gradients (self, grad_mu, grad_phi, error);
}
