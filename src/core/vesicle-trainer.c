/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training loop. Each epoch the training examples are put in that epoch's order (one stream for
 * the whole cohort) and uploaded once; the steps then run without waiting for the device, which
 * is only synchronised at progress reports and at the end of an epoch. A step that drops the
 * last partial minibatch keeps every minibatch at exactly B examples, as in the paper (60,000
 * and 8,000 are multiples of 20).
 */
#include "vesicle-trainer.h"
#include "vesicle-main-context.h"
#include "vesicle-checkpoint.h"
#include "vesicle-dataset.h"

#include <math.h>
#include <string.h>

/* Seconds between progress reports (and cancellation checks) at most, however slow a step. */
#define REPORT_INTERVAL_S 0.25
/* A checkpoint is written durably (an fsync, 35 ms for a small cohort on the reference machine):
 * after the first epoch, the last, a cancelled one, and otherwise after an epoch only once the
 * training since the last checkpoint has taken this many times as long as writing it did. So
 * checkpoints cost at most 1/20 of the time however short the epochs (a 784-10 cohort's take
 * 0.1 s), and a crash loses at most the epoch under way and twenty checkpoints' worth. */
#define CHECKPOINT_SPACING 20.0

struct _VesicleTrainer {
  VesicleEngine        *engine;
  VesicleTrainSchedule  schedule;
  VesicleExamples       train;
  VesicleExamples       test;
  GArray               *metrics;    /* VesicleEpochMetrics, (epochs, K) */
  float                *mu;         /* (K, P) */
  float                *sigma;      /* (K, P) */
  gboolean              running;
  guint                 done;       /* epochs of the schedule done (a resumed run skips them) */
  char                 *checkpoint; /* written after epochs (CHECKPOINT_SPACING); NULL: none */
  char                **stop_reasons;  /* (K): NULL, or why that network stopped */
};

static gboolean read_params (VesicleTrainer *self,
                             GError        **error);

float *
vesicle_labels_as_targets (const guint8 *labels,
                           guint         n)
{
  float *t = g_new (float, n);

  for (guint i = 0; i < n; i++)
    t[i] = labels[i];
  return t;
}

static gboolean
check_examples (const VesicleExamples *ex,
                const char            *what,
                const VesicleShape    *shape,
                GError               **error)
{
  guint T = shape->head == VESICLE_HEAD_SOFTMAX ? 1 : shape->sizes[shape->n_layers];

  if (ex->n == 0 || ex->x == NULL || ex->targets == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s data: no examples", what);
      return FALSE;
    }
  if (ex->dim != shape->sizes[0])
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s data: %u inputs per example, but the network takes %u",
                   what, ex->dim, shape->sizes[0]);
      return FALSE;
    }
  if (ex->T != T)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s data: %u targets per example, the network's head needs %u", what, ex->T, T);
      return FALSE;
    }
  if (shape->head == VESICLE_HEAD_SOFTMAX)
    for (guint i = 0; i < ex->n; i++)
      if (!(ex->targets[i] >= 0 && ex->targets[i] < shape->sizes[shape->n_layers]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s data: example %u has label %g, but the network has %u outputs",
                       what, i, ex->targets[i], shape->sizes[shape->n_layers]);
          return FALSE;
        }
  return TRUE;
}

VesicleTrainer *
vesicle_trainer_new (VesicleEngine              *engine,
                     const VesicleTrainSchedule *schedule,
                     const VesicleExamples      *train,
                     const VesicleExamples      *test,
                     GError                    **error)
{
  const VesicleShape *shape = &vesicle_engine_get_config (engine)->shape;
  VesicleTrainer *self;

  if (schedule->epochs == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "epochs: must be at least 1");
      vesicle_engine_free (engine);
      return NULL;
    }
  if (!check_examples (train, "training", shape, error)
      || (test && !check_examples (test, "test", shape, error)))
    {
      vesicle_engine_free (engine);
      return NULL;
    }
  if (train->n < vesicle_engine_get_config (engine)->batch)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "batch: %u is larger than the %u training example%s",
                   vesicle_engine_get_config (engine)->batch, train->n,
                   train->n == 1 ? "" : "s");
      vesicle_engine_free (engine);
      return NULL;
    }

  self = g_new0 (VesicleTrainer, 1);
  self->engine = engine;
  self->schedule = *schedule;
  if (self->schedule.progress_every == 0)
    self->schedule.progress_every = 50;
  if (self->schedule.eval_every == 0)
    self->schedule.eval_every = 1;
  self->train = *train;
  if (test)
    self->test = *test;
  self->metrics = g_array_new (FALSE, TRUE, sizeof (VesicleEpochMetrics));
  self->stop_reasons = g_new0 (char *, vesicle_engine_get_config (engine)->K + 1);
  return self;
}

void
vesicle_trainer_free (VesicleTrainer *self)
{
  if (self == NULL)
    return;
  g_return_if_fail (!self->running);
  vesicle_engine_free (self->engine);
  g_array_unref (self->metrics);
  g_free (self->mu);
  g_free (self->sigma);
  g_free (self->checkpoint);
  g_strfreev (self->stop_reasons);
  g_free (self);
}

const char *
vesicle_trainer_get_stop_reason (VesicleTrainer *self,
                                 guint           network)
{
  g_return_val_if_fail (network < vesicle_engine_get_config (self->engine)->K, NULL);
  return self->stop_reasons[network];
}

guint
vesicle_trainer_get_epochs_done (VesicleTrainer *self)
{
  return self->done;
}

void
vesicle_trainer_set_checkpoint (VesicleTrainer *self,
                                const char     *path)
{
  g_return_if_fail (!self->running);
  g_free (self->checkpoint);
  self->checkpoint = g_strdup (path);
}

static char *
fingerprint (VesicleTrainer *self)
{
  return vesicle_checkpoint_fingerprint (vesicle_engine_get_config (self->engine),
                                         &self->schedule, self->train.n, self->test.n);
}

static gboolean
save_checkpoint (VesicleTrainer *self,
                 GError        **error)
{
  VesicleEngine *engine = self->engine;
  g_autofree char *digest = fingerprint (self);
  g_autofree float *state = g_new (float, MAX (vesicle_engine_state_size (engine), 1));
  VesicleCheckpoint cp = {
    digest, vesicle_engine_get_config (engine)->K, self->done, 0, state,
    vesicle_engine_state_size (engine),
    (VesicleEpochMetrics *) (gpointer) self->metrics->data, self->metrics->len, self->stop_reasons,
  };

  return vesicle_engine_read_state (engine, state, &cp.adam_steps, error)
         && vesicle_checkpoint_write (self->checkpoint, &cp, error);
}

gboolean
vesicle_trainer_resume (VesicleTrainer *self,
                        const char     *path,
                        GError        **error)
{
  VesicleEngine *engine = self->engine;
  g_autofree char *digest = fingerprint (self);
  VesicleCheckpoint cp;
  guint K = vesicle_engine_get_config (engine)->K;
  gboolean ok;

  g_return_val_if_fail (!self->running, FALSE);
  if (!vesicle_checkpoint_read (path, &cp, error))
    return FALSE;
  if (g_str_equal (cp.fingerprint, digest) && cp.K == K
      && cp.n_state != vesicle_engine_state_size (engine))
    {
      /* the same configuration: the engine's state changed between versions */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: written by another version of Vesicle (its state holds %" G_GSIZE_FORMAT
                   " values, this version's %" G_GSIZE_FORMAT "), so the run cannot continue "
                   "from it; start it again", path, cp.n_state,
                   vesicle_engine_state_size (engine));
      vesicle_checkpoint_clear (&cp);
      return FALSE;
    }
  if (!g_str_equal (cp.fingerprint, digest) || cp.K != K)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: written for another configuration (networks, settings, schedule or "
                   "data differ), so the run cannot continue from it", path);
      vesicle_checkpoint_clear (&cp);
      return FALSE;
    }
  if (cp.epochs_done > self->schedule.epochs + self->schedule.sigma_epochs
      || cp.n_metrics != (guint64) cp.epochs_done * K)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: holds %u epoch%s and %u metric row%s, which this schedule cannot "
                   "have", path, cp.epochs_done, cp.epochs_done == 1 ? "" : "s", cp.n_metrics,
                   cp.n_metrics == 1 ? "" : "s");
      vesicle_checkpoint_clear (&cp);
      return FALSE;
    }
  ok = vesicle_engine_write_state (engine, cp.state, cp.adam_steps, error);
  if (ok)
    {
      g_array_set_size (self->metrics, 0);
      g_array_append_vals (self->metrics, cp.metrics, cp.n_metrics);
      for (guint k = 0; k < K; k++)
        {
          g_free (self->stop_reasons[k]);
          self->stop_reasons[k] = g_strdup (cp.stop_reasons[k]);
          if (cp.stop_reasons[k] != NULL)
            vesicle_engine_stop_network (engine, k);
        }
      self->done = cp.epochs_done;
      ok = read_params (self, error);
    }
  vesicle_checkpoint_clear (&cp);
  return ok;
}

VesicleEngine *
vesicle_trainer_get_engine (VesicleTrainer *self)
{
  return self->engine;
}

const VesicleEpochMetrics *
vesicle_trainer_get_metrics (VesicleTrainer *self,
                             guint          *n_rows)
{
  *n_rows = self->metrics->len;
  return (const VesicleEpochMetrics *) (gpointer) self->metrics->data;
}

const float *
vesicle_trainer_get_mu (VesicleTrainer *self)
{
  return self->mu;
}

const float *
vesicle_trainer_get_sigma (VesicleTrainer *self)
{
  return self->sigma;
}

void
vesicle_metrics_from_params (VesicleEpochMetrics *m,
                             const VesicleShape  *shape,
                             const VesicleHyper  *hyper,
                             const float         *mu,
                             const float         *sigma)
{
  gsize P = vesicle_shape_n_params (shape);
  double sum = 0, sum2 = 0, l1 = 0, inv = 0;

  m->n_layers = shape->n_layers;
  for (guint l = 0; l < shape->n_layers; l++)
    {
      gsize off = vesicle_shape_layer_offset (shape, l), n = vesicle_shape_layer_n_params (shape, l);
      double ls = 0, ls2 = 0;

      for (gsize i = off; i < off + n; i++)
        {
          double s = sigma[i];

          ls += s;
          ls2 += s * s;
          l1 += fabs (mu[i]);
          inv += hyper->cost == VESICLE_COST_ENTROPY ? -log (s) : pow (s, -hyper->rho);
        }
      m->layer_mean_sigma[l] = ls / n;
      m->layer_rms_sigma[l] = sqrt (ls2 / n);
      sum += ls;
      sum2 += ls2;
    }
  m->mean_sigma = sum / P;
  m->rms_sigma = sqrt (sum2 / P);
  m->l1 = hyper->lambda * l1;
  /* homogeneous networks repeat their one sigma P times: the same P c sigma^-rho */
  m->cost = hyper->c * inv;
  /* the paper's Fig 3 cost (s = 1) only exists for the power-law costs */
  m->reliability_cost_s1 = hyper->cost == VESICLE_COST_ENTROPY ? NAN : inv / hyper->rho;
}

typedef struct {
  VesicleProgressFunc func;
  gpointer            data;
  GMainContext       *context;   /* NULL: call directly in the training thread */
} ProgressSink;

typedef struct {
  ProgressSink        sink;
  VesicleProgress     progress;
  VesicleEpochMetrics *metrics;
} ProgressCall;

static gboolean
progress_call_dispatch (gpointer data)
{
  ProgressCall *call = data;

  call->sink.func (&call->progress, call->sink.data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  g_free (call->metrics);
  g_free (call);
}

static void
report (const ProgressSink  *sink,
        VesicleProgress     *progress)
{
  ProgressCall *call;

  if (sink->func == NULL)
    return;
  if (sink->context == NULL)
    {
      sink->func (progress, sink->data);
      return;
    }
  /* Copy: the worker goes on while the main context runs the callback. */
  call = g_new0 (ProgressCall, 1);
  call->sink = *sink;
  call->progress = *progress;
  if (progress->metrics)
    {
      call->metrics = g_memdup2 (progress->metrics, sizeof (VesicleEpochMetrics) * progress->K);
      call->progress.metrics = call->metrics;
    }
  vesicle_main_context_post (sink->context, progress_call_dispatch, call, progress_call_free);
}

static gboolean
read_params (VesicleTrainer *self,
             GError        **error)
{
  gsize P = vesicle_shape_n_params (&vesicle_engine_get_config (self->engine)->shape);
  guint K = vesicle_engine_get_config (self->engine)->K;

  if (self->mu == NULL)
    {
      self->mu = g_new (float, K * P);
      self->sigma = g_new (float, K * P);
    }
  return vesicle_engine_read_params (self->engine, self->mu, self->sigma, error);
}

/* A network whose loss or parameters are no longer finite stops there, with the reason; the
 * rest of the cohort trains on (the GEMMs keep networks apart, so NaN does not spread). */
static void
stop_diverged (VesicleTrainer *self,
               guint           epoch,
               const double   *nll)
{
  const VesicleCohortConfig *cfg = vesicle_engine_get_config (self->engine);
  gsize P = vesicle_shape_n_params (&cfg->shape);

  for (guint k = 0; k < cfg->K; k++)
    {
      const float *mu = self->mu + k * P, *sigma = self->sigma + k * P;
      gsize bad = P;

      if (cfg->hyper[k].stopped)
        continue;
      for (gsize i = 0; i < P && bad == P; i++)
        if (!isfinite (mu[i]) || !isfinite (sigma[i]))
          bad = i;
      if (isfinite (nll[k]) && bad == P)
        continue;
      vesicle_engine_stop_network (self->engine, k);
      self->stop_reasons[k] = !isfinite (nll[k])
        ? g_strdup_printf ("diverged in epoch %u: the training loss became %g", epoch, nll[k])
        : g_strdup_printf ("diverged in epoch %u: parameter %" G_GSIZE_FORMAT " became %g",
                           epoch, bad, isfinite (mu[bad]) ? sigma[bad] : mu[bad]);
    }
}

/* @evaluate: test at sampled weights; @at_means too: at the mean weights (after the last epoch:
 * an intermediate one would cost a second pass over the test set for a number no curve shows) */
static gboolean
end_epoch (VesicleTrainer *self,
           guint           epoch,
           guint           n_steps,
           gboolean        evaluate,
           gboolean        at_means,
           GError        **error)
{
  VesicleEngine *engine = self->engine;
  const VesicleCohortConfig *cfg = vesicle_engine_get_config (engine);
  gsize P = vesicle_shape_n_params (&cfg->shape);
  guint K = cfg->K;
  g_autofree double *nll = g_new0 (double, K);
  g_autofree double *correct = g_new0 (double, K);
  g_autofree double *test_nll = g_new0 (double, K);
  g_autofree double *test_correct = g_new0 (double, K);
  g_autofree double *mean_correct = g_new0 (double, K);
  double n_seen = (double) n_steps * cfg->batch;

  if (!vesicle_engine_read_train_stats (engine, nll, correct, error) || !read_params (self, error))
    return FALSE;
  evaluate = evaluate && self->test.n > 0;
  at_means = at_means && evaluate;
  if (evaluate && !vesicle_engine_evaluate (engine, FALSE, epoch, test_nll, test_correct, error))
    return FALSE;
  if (at_means && !vesicle_engine_evaluate (engine, TRUE, epoch, NULL, mean_correct, error))
    return FALSE;

  stop_diverged (self, epoch, nll);
  for (guint k = 0; k < K; k++)
    {
      VesicleEpochMetrics m = { 0 };

      m.network = k;
      m.epoch = epoch;
      m.stopped = cfg->hyper[k].stopped;
      vesicle_metrics_from_params (&m, &cfg->shape, &cfg->hyper[k], self->mu + k * P,
                                   self->sigma + k * P);
      m.train_nll = nll[k] / n_seen;
      m.train_accuracy = correct[k] / n_seen;
      m.objective = nll[k] * ((double) self->train.n / n_seen) + m.l1 + m.cost;
      m.test_accuracy = evaluate ? test_correct[k] / self->test.n : NAN;
      m.test_nll = evaluate ? test_nll[k] / self->test.n : NAN;
      m.test_accuracy_mean = at_means ? mean_correct[k] / self->test.n : NAN;
      g_array_append_val (self->metrics, m);
    }
  return TRUE;
}

guint64
vesicle_train_eval_examples (guint n_epochs,
                             guint eval_every,
                             guint n_test)
{
  guint64 n_evals = 0;

  for (guint e = 1; e <= n_epochs; e++)
    n_evals += e % MAX (eval_every, 1) == 0 || e == n_epochs;
  return (n_evals + (n_epochs > 0)) * n_test;
}

void
vesicle_examples_gather (float                 *x,
        float                 *t,
        const VesicleExamples *ex,
        const guint32         *order)
{
  for (guint i = 0; i < ex->n; i++)
    {
      memcpy (x + (gsize) i * ex->dim, ex->x + (gsize) order[i] * ex->dim, ex->dim * sizeof (float));
      memcpy (t + (gsize) i * ex->T, ex->targets + (gsize) order[i] * ex->T, ex->T * sizeof (float));
    }
}

static gboolean
run_epochs (VesicleTrainer     *self,
            GCancellable       *cancellable,
            const ProgressSink *sink,
            GError            **error)
{
  VesicleEngine *engine = self->engine;
  const VesicleCohortConfig *cfg = vesicle_engine_get_config (engine);
  guint B = cfg->batch, K = cfg->K;
  guint steps_per_epoch = self->train.n / B;
  guint n_epochs = self->schedule.epochs + self->schedule.sigma_epochs;
  guint64 total = (guint64) steps_per_epoch * n_epochs;
  g_autofree guint32 *order = g_new (guint32, self->train.n);
  g_autofree float *x = g_new (float, (gsize) self->train.n * self->train.dim);
  g_autofree float *t = g_new (float, (gsize) self->train.n * self->train.T);
  g_autoptr(GTimer) timer = g_timer_new ();
  double last_report = 0, last_checkpoint = 0, checkpoint_cost = 0;
  guint64 step = (guint64) steps_per_epoch * self->done;
  /* a resumed run starts after its checkpoint's epochs; a second run continues the epochs */
  guint epoch0 = self->metrics->len / K - self->done;
  guint first = self->done;

  if (self->test.n > 0
      && !vesicle_engine_set_test_data (engine, self->test.x, self->test.targets, self->test.n,
                                        error))
    return FALSE;

  for (guint e = self->done; e < n_epochs; e++)
    {
      guint epoch = epoch0 + e + 1;
      gboolean evaluate = epoch % self->schedule.eval_every == 0 || e + 1 == n_epochs;

      /* the schedule's last sigma_epochs hold mu: sigma settles at fixed means */
      vesicle_engine_freeze_means (engine, e >= self->schedule.epochs);
      vesicle_dataset_epoch_order (order, self->train.n, self->schedule.data_seed, epoch - 1);
      vesicle_examples_gather (x, t, &self->train, order);
      if (!vesicle_engine_set_train_data (engine, x, t, self->train.n, error))
        return FALSE;

      for (guint b = 0; b < steps_per_epoch; b++, step++)
        {
          /* the noise key counts steps over the whole run, so epochs never repeat noise */
          guint64 global_step = (guint64) (epoch - 1) * steps_per_epoch + b;

          if (!vesicle_engine_step (engine, b, (guint32) global_step, error))
            return FALSE;
          /* every progress_every steps, and at least every REPORT_INTERVAL_S: a slow cohort
           * still reports (and can be cancelled) a few times a second */
          if ((step + 1) % self->schedule.progress_every == 0
              || g_timer_elapsed (timer, NULL) - last_report >= REPORT_INTERVAL_S)
            {
              VesicleProgress p = { epoch, epoch0 + n_epochs, step + 1, total,
                                    0, K, NULL };

              if (!vesicle_engine_finish (engine, error))
                return FALSE;
              p.elapsed_s = last_report = g_timer_elapsed (timer, NULL);
              report (sink, &p);
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                {
                  read_params (self, NULL);
                  return FALSE;
                }
            }
        }

      if (!end_epoch (self, epoch, steps_per_epoch, evaluate, e + 1 == n_epochs, error))
        return FALSE;
      self->done = e + 1;
      {
        VesicleProgress p = { epoch, epoch0 + n_epochs, step, total,
                              g_timer_elapsed (timer, NULL), K,
                              &g_array_index (self->metrics, VesicleEpochMetrics,
                                              self->metrics->len - K) };
        report (sink, &p);
      }
      /* after the report, which puts the epoch's rows on disk: a checkpoint that cannot be
       * written (disk full) still leaves them; a resume trusts the checkpoint's own rows */
      if (self->checkpoint
          && (e == first || e + 1 == n_epochs
              || g_cancellable_is_cancelled (cancellable)
              || g_timer_elapsed (timer, NULL) - last_checkpoint
                 >= CHECKPOINT_SPACING * checkpoint_cost))
        {
          double started = g_timer_elapsed (timer, NULL);

          if (!save_checkpoint (self, error))
            return FALSE;
          last_checkpoint = g_timer_elapsed (timer, NULL);
          checkpoint_cost = last_checkpoint - started;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  /* done: a further run starts a new schedule after these epochs */
  self->done = 0;
  return self->mu != NULL || read_params (self, error);
}

/* The epochs, then the engine back to training mu too, however they ended. */
static gboolean
run (VesicleTrainer     *self,
     GCancellable       *cancellable,
     const ProgressSink *sink,
     GError            **error)
{
  gboolean ok = run_epochs (self, cancellable, sink, error);

  vesicle_engine_freeze_means (self->engine, FALSE);
  return ok;
}

gboolean
vesicle_trainer_run (VesicleTrainer      *self,
                     GCancellable        *cancellable,
                     VesicleProgressFunc  progress,
                     gpointer             user_data,
                     GError             **error)
{
  ProgressSink sink = { progress, user_data, NULL };
  gboolean ok;

  g_return_val_if_fail (!self->running, FALSE);
  self->running = TRUE;
  ok = run (self, cancellable, &sink, error);
  self->running = FALSE;
  return ok;
}

typedef struct {
  VesicleTrainer *trainer;     /* not a GObject: it rides in the task data */
  ProgressSink    sink;
  GDestroyNotify  notify;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *d = data;

  if (d->notify)
    d->notify (d->sink.data);
  g_clear_pointer (&d->sink.context, g_main_context_unref);
  g_free (d);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *d = task_data;
  GError *error = NULL;

  if (run (d->trainer, cancellable, &d->sink, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vesicle_trainer_run_async (VesicleTrainer      *self,
                           GCancellable        *cancellable,
                           VesicleProgressFunc  progress,
                           gpointer             user_data,
                           GDestroyNotify       notify,
                           GAsyncReadyCallback  callback,
                           gpointer             callback_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *d;

  g_return_if_fail (!self->running);
  task = g_task_new (NULL, cancellable, callback, callback_data);
  g_task_set_source_tag (task, vesicle_trainer_run_async);
  /* cancellation is checked by the loop itself, which saves the parameters first */
  g_task_set_return_on_cancel (task, FALSE);
  d = g_new0 (AsyncData, 1);
  d->trainer = self;
  d->sink.func = progress;
  d->sink.data = user_data;
  d->sink.context = g_main_context_ref_thread_default ();
  d->notify = notify;
  g_task_set_task_data (task, d, async_data_free);
  self->running = TRUE;
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
vesicle_trainer_run_finish (VesicleTrainer  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  self->running = FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}
