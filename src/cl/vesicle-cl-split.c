/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sweep larger than one cohort on the device: VesicleEngine over several cohorts of at most
 * max networks each, on one device, stepped in lockstep on the same minibatches. Networks are
 * independent of their neighbours in a cohort (the noise is keyed by seed, step, tensor and
 * index), so each trains exactly as it would in one cohort of all of them; every per-network
 * array is the parts' arrays end to end.
 */
#include "vesicle-cl-split.h"
#include "vesicle-cl-cohort.h"

#include <gio/gio.h>

typedef struct {
  VesicleEngine  parent;
  GPtrArray     *parts;     /* VesicleEngine */
  guint         *first;     /* first network of each part */
  guint          max;
} VesicleClSplit;

#define PART(self, i) ((VesicleEngine *) g_ptr_array_index ((self)->parts, (i)))
#define EACH(self, i) for (guint i = 0; i < (self)->parts->len; i++)

static void
split_free (VesicleEngine *engine)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  g_ptr_array_unref (self->parts);
  g_free (self->first);
  vesicle_cohort_config_clear (&engine->config);
  g_free (self);
}

static gboolean
split_set_train_data (VesicleEngine *engine, const float *x, const float *targets, guint n,
                      GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    if (!PART (self, i)->vtable->set_train_data (PART (self, i), x, targets, n, error))
      return FALSE;
  return TRUE;
}

static gboolean
split_set_test_data (VesicleEngine *engine, const float *x, const float *targets, guint n,
                     GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    if (!PART (self, i)->vtable->set_test_data (PART (self, i), x, targets, n, error))
      return FALSE;
  return TRUE;
}

static gboolean
split_step (VesicleEngine *engine, guint batch_index, guint32 step, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  /* each part's queue runs on while the next part enqueues */
  EACH (self, i)
    if (!PART (self, i)->vtable->step (PART (self, i), batch_index, step, error))
      return FALSE;
  return TRUE;
}

/* @n per network of the part, at its first network */
#define AT(self, i, array, n) ((array) ? (array) + (gsize) (self)->first[i] * (n) : NULL)

static gboolean
split_read_train_stats (VesicleEngine *engine, double *nll_sum, double *n_correct,
                        GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    if (!PART (self, i)->vtable->read_train_stats (PART (self, i), AT (self, i, nll_sum, 1),
                                                   AT (self, i, n_correct, 1), error))
      return FALSE;
  return TRUE;
}

static gboolean
split_evaluate (VesicleEngine *engine, gboolean mean_weights, guint32 round, double *nll_sum,
                double *n_correct, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    if (!PART (self, i)->vtable->evaluate (PART (self, i), mean_weights, round,
                                           AT (self, i, nll_sum, 1), AT (self, i, n_correct, 1),
                                           error))
      return FALSE;
  return TRUE;
}

static gsize
n_params (VesicleEngine *engine)
{
  return vesicle_shape_n_params (&engine->config.shape);
}

static gboolean
split_read_params (VesicleEngine *engine, float *mu, float *sigma, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  gsize P = n_params (engine);

  EACH (self, i)
    if (!PART (self, i)->vtable->read_params (PART (self, i), AT (self, i, mu, P),
                                              AT (self, i, sigma, P), error))
      return FALSE;
  return TRUE;
}

static gboolean
split_write_params (VesicleEngine *engine, const float *mu, const float *phi, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  gsize P = n_params (engine);

  EACH (self, i)
    if (!PART (self, i)->vtable->write_params (PART (self, i), AT (self, i, mu, P),
                                               AT (self, i, phi, P), error))
      return FALSE;
  return TRUE;
}

static void
split_set_keep_gradients (VesicleEngine *engine, gboolean keep)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    PART (self, i)->vtable->set_keep_gradients (PART (self, i), keep);
}

static gboolean
split_read_gradients (VesicleEngine *engine, float *grad_mu, float *grad_phi, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  gsize P = n_params (engine);

  EACH (self, i)
    if (!PART (self, i)->vtable->read_gradients (PART (self, i), AT (self, i, grad_mu, P),
                                                 AT (self, i, grad_phi, P), error))
      return FALSE;
  return TRUE;
}

static gboolean
split_accumulate_stats (VesicleEngine *engine, guint batch_index, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    if (!PART (self, i)->vtable->accumulate_stats (PART (self, i), batch_index, error))
      return FALSE;
  return TRUE;
}

static gboolean
split_read_stats (VesicleEngine *engine, float *g2, float *gabs, float *rate, guint *n_batches,
                  guint *n_examples, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  const VesicleShape *shape = &engine->config.shape;
  gsize P = n_params (engine), R = 0;

  for (guint l = 0; l < shape->n_layers; l++)
    R += shape->sizes[l];
  EACH (self, i)
    if (!PART (self, i)->vtable->read_stats (PART (self, i), AT (self, i, g2, P),
                                             AT (self, i, gabs, P), AT (self, i, rate, R),
                                             n_batches, n_examples, error))
      return FALSE;
  return TRUE;
}

static gboolean
split_read_adam_v (VesicleEngine *engine, float *v_mu, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  gsize P = n_params (engine);

  EACH (self, i)
    if (!PART (self, i)->vtable->read_adam_v (PART (self, i), AT (self, i, v_mu, P), error))
      return FALSE;
  return TRUE;
}

static gboolean
split_predict (VesicleEngine *engine, const float *x, guint n, guint n_samples, guint32 stream,
               float *out, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  const VesicleShape *shape = &engine->config.shape;
  gsize per_network = (gsize) MAX (n_samples, 1) * n * shape->sizes[shape->n_layers];

  EACH (self, i)
    if (!PART (self, i)->vtable->predict (PART (self, i), x, n, n_samples, stream,
                                          AT (self, i, out, per_network), error))
      return FALSE;
  return TRUE;
}

static gsize
split_state_size (VesicleEngine *engine)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  gsize total = 0;

  EACH (self, i)
    total += PART (self, i)->vtable->state_size (PART (self, i));
  return total;
}

static gboolean
split_read_state (VesicleEngine *engine, float *state, guint64 *adam_steps, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    {
      if (!PART (self, i)->vtable->read_state (PART (self, i), state, adam_steps, error))
        return FALSE;
      state += PART (self, i)->vtable->state_size (PART (self, i));
    }
  return TRUE;
}

static gboolean
split_write_state (VesicleEngine *engine, const float *state, guint64 adam_steps,
                   GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    {
      if (!PART (self, i)->vtable->write_state (PART (self, i), state, adam_steps, error))
        return FALSE;
      state += PART (self, i)->vtable->state_size (PART (self, i));
    }
  return TRUE;
}

static gboolean
split_finish (VesicleEngine *engine, GError **error)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    if (!PART (self, i)->vtable->finish (PART (self, i), error))
      return FALSE;
  return TRUE;
}

static GHashTable *
split_describe (VesicleEngine *engine)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;
  GHashTable *d = PART (self, 0)->vtable->describe (PART (self, 0));

  g_hash_table_insert (d, "cohorts", g_strdup_printf ("%u", self->parts->len));
  g_hash_table_insert (d, "max_networks_per_cohort", g_strdup_printf ("%u", self->max));
  return d;
}

/* Each part reads its own copy of the configuration: the split's steering goes to every copy. */
static void
split_steer (VesicleEngine *engine)
{
  VesicleClSplit *self = (VesicleClSplit *) engine;

  EACH (self, i)
    {
      VesicleCohortConfig *part = &PART (self, i)->config;

      part->freeze_mu = engine->config.freeze_mu;
      for (guint j = 0; j < part->K; j++)
        part->hyper[j].stopped = engine->config.hyper[self->first[i] + j].stopped;
    }
}

static const VesicleEngineVTable split_vtable = {
  .free = split_free,
  .set_train_data = split_set_train_data,
  .set_test_data = split_set_test_data,
  .step = split_step,
  .read_train_stats = split_read_train_stats,
  .evaluate = split_evaluate,
  .read_params = split_read_params,
  .write_params = split_write_params,
  .set_keep_gradients = split_set_keep_gradients,
  .read_gradients = split_read_gradients,
  .accumulate_stats = split_accumulate_stats,
  .read_stats = split_read_stats,
  .read_adam_v = split_read_adam_v,
  .predict = split_predict,
  .state_size = split_state_size,
  .read_state = split_read_state,
  .write_state = split_write_state,
  .finish = split_finish,
  .describe = split_describe,
  .steer = split_steer,
};

VesicleEngine *
vesicle_cl_split_new (const char                *selector,
                      const VesicleCohortConfig *config,
                      guint                      max,
                      GError                   **error)
{
  VesicleClSplit *self;
  g_autoptr(VesicleEngine) engine = NULL;
  guint n_parts;

  g_return_val_if_fail (max > 0, NULL);
  if (!vesicle_cohort_config_check (config, error))
    return NULL;
  self = g_new0 (VesicleClSplit, 1);
  engine = &self->parent;
  engine->vtable = &split_vtable;
  vesicle_cohort_config_copy (&engine->config, config);
  self->max = max;
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_engine_free);
  /* parts as even as they can be: 100 at most 64 apiece is 50 + 50, not 64 + 36 */
  n_parts = (config->K + max - 1) / max;
  self->first = g_new0 (guint, n_parts + 1);
  for (guint i = 0; i < n_parts; i++)
    {
      VesicleCohortConfig part = *config;
      VesicleClDevice *device;
      VesicleEngine *cohort;

      self->first[i + 1] = (guint) ((guint64) config->K * (i + 1) / n_parts);
      part.K = self->first[i + 1] - self->first[i];
      part.hyper = config->hyper + self->first[i];
      if (!(device = vesicle_cl_device_open (selector, error))
          || !(cohort = vesicle_cl_cohort_new (device, &part, error)))
        return NULL;
      g_ptr_array_add (self->parts, cohort);
    }
  return g_steal_pointer (&engine);
}
