/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The training loop over a VesicleEngine: epochs of shuffled minibatches, evaluation, and per
 * network, per epoch metrics. Runs in the calling thread (vesicle_trainer_run) or in a worker
 * thread (_async/_finish, progress delivered in the caller's main context); cancellable between
 * steps. The trainer never touches GTK or OpenCL.
 */
#pragma once

#include <gio/gio.h>
#include "vesicle-engine.h"

G_BEGIN_DECLS

typedef struct {
  guint        n;          /* examples */
  guint        dim;        /* inputs per example */
  guint        T;          /* targets per example: 1 (class label) or the outputs */
  const float *x;          /* (n, dim) */
  const float *targets;    /* (n, T) */
} VesicleExamples;

typedef struct {
  guint   epochs;
  guint   eval_every;          /* test with sampled weights every this many epochs (and always
                                * after the last); at the mean weights after the last only */
  guint64 data_seed;           /* minibatch order; the same stream for every network */
  guint   progress_every;      /* steps between progress reports (and cancellation checks), at
                                * most; a report also comes every quarter second */
  guint   sigma_epochs;        /* further epochs with mu held: only sigma learns, so it settles
                                * at its optimum for the final means (0: none, the paper) */
} VesicleTrainSchedule;

typedef struct {
  guint  network;
  guint  epoch;                /* 1-based */
  double train_nll;            /* mean NLL per training example over the epoch */
  double train_accuracy;       /* on the sampled weights of each step, 0-1 */
  double l1;                   /* lambda * sum|mu| at the end of the epoch */
  double cost;                 /* c * sum sigma^-rho (homogeneous: P c sigma^-rho) */
  double objective;            /* sum of the epoch's NLL + l1 + cost: Eq. 2 */
  double test_accuracy;        /* one weight sample per test minibatch; NAN if not evaluated */
  double test_nll;             /* mean per test example, same samples */
  double test_accuracy_mean;   /* at the mean weights mu; NAN but after the last epoch */
  double mean_sigma;
  double rms_sigma;
  double reliability_cost_s1;  /* sum (1/rho) sigma^-rho: the paper's Fig 3 with s = 1 */
  gboolean stopped;            /* the network diverged by this epoch and holds still */
  guint  n_layers;
  double layer_mean_sigma[VESICLE_MAX_LAYERS];
  double layer_rms_sigma[VESICLE_MAX_LAYERS];
} VesicleEpochMetrics;

typedef struct {
  guint                      epoch;            /* 1-based, the epoch in progress or just done */
  guint                      n_epochs;
  guint64                    step;             /* steps done over the run */
  guint64                    total_steps;
  double                     elapsed_s;
  guint                      K;
  const VesicleEpochMetrics *metrics;          /* (K) at the end of an epoch, else NULL */
} VesicleProgress;

typedef void (*VesicleProgressFunc) (const VesicleProgress *progress,
                                     gpointer               user_data);

typedef struct _VesicleTrainer VesicleTrainer;

/* The trainer takes the engine; the examples must outlive it. */
VesicleTrainer            *vesicle_trainer_new          (VesicleEngine              *engine,
                                                         const VesicleTrainSchedule *schedule,
                                                         const VesicleExamples      *train,
                                                         const VesicleExamples      *test,
                                                         GError                    **error);
void                       vesicle_trainer_free         (VesicleTrainer             *trainer);

gboolean                   vesicle_trainer_run          (VesicleTrainer             *trainer,
                                                         GCancellable               *cancellable,
                                                         VesicleProgressFunc         progress,
                                                         gpointer                    user_data,
                                                         GError                    **error);
void                       vesicle_trainer_run_async    (VesicleTrainer             *trainer,
                                                         GCancellable               *cancellable,
                                                         VesicleProgressFunc         progress,
                                                         gpointer                    user_data,
                                                         GDestroyNotify              notify,
                                                         GAsyncReadyCallback         callback,
                                                         gpointer                    callback_data);
gboolean                   vesicle_trainer_run_finish   (VesicleTrainer             *trainer,
                                                         GAsyncResult               *result,
                                                         GError                    **error);

/* A checkpoint written atomically to @path after the first epoch, the last, a cancelled one, and
 * in between as often as costs at most a twentieth of the training time (NULL: none); see
 * vesicle-checkpoint.h. */
void                       vesicle_trainer_set_checkpoint (VesicleTrainer           *trainer,
                                                           const char               *path);
/* Restores a checkpoint a run of this very configuration wrote: the next run continues after
 * its last epoch, bit-identical to a run that never stopped (a checkpoint of the last epoch
 * leaves nothing to train, and the results read as if it had just finished). */
gboolean                   vesicle_trainer_resume       (VesicleTrainer             *trainer,
                                                         const char                 *path,
                                                         GError                    **error);
/* Epochs of the schedule done so far (a resumed trainer starts with its checkpoint's); back
 * to 0 once a run has finished the schedule. */
guint                      vesicle_trainer_get_epochs_done (VesicleTrainer          *trainer);
/* Why network @network stopped early (its loss or a parameter stopped being finite), or NULL
 * while it trains. */
const char                *vesicle_trainer_get_stop_reason (VesicleTrainer          *trainer,
                                                            guint                    network);

VesicleEngine             *vesicle_trainer_get_engine   (VesicleTrainer             *trainer);
/* Every epoch's metrics so far, (epochs done, K) in order. */
const VesicleEpochMetrics *vesicle_trainer_get_metrics  (VesicleTrainer             *trainer,
                                                         guint                      *n_rows);
/* Final parameters, (K, P) each, valid after a run (also a cancelled one). */
const float               *vesicle_trainer_get_mu       (VesicleTrainer             *trainer);
const float               *vesicle_trainer_get_sigma    (VesicleTrainer             *trainer);

/* Metrics of one network's parameters (sigma terms, l1, cost); the data terms are left alone. */
void                       vesicle_metrics_from_params  (VesicleEpochMetrics        *m,
                                                         const VesicleShape         *shape,
                                                         const VesicleHyper         *hyper,
                                                         const float                *mu,
                                                         const float                *sigma);

/* Rows of ex in the given order, contiguous, for one upload: x (n, dim), t (n, T). */
/* Test examples a run of @n_epochs passes forward: the sampled weights at every evaluation
 * (every @eval_every epochs and after the last), the means once after the last. */
guint64                    vesicle_train_eval_examples  (guint                       n_epochs,
                                                         guint                       eval_every,
                                                         guint                       n_test);
void                       vesicle_examples_gather      (float                      *x,
                                                         float                      *t,
                                                         const VesicleExamples      *ex,
                                                         const guint32              *order);

/* The class labels of a dataset as float targets (n, 1). */
float                     *vesicle_labels_as_targets    (const guint8               *labels,
                                                         guint                       n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleTrainer, vesicle_trainer_free)

G_END_DECLS
