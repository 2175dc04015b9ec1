/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Progress of a running experiment, as every front end shows it: the phase in words, networks
 * and cohorts done, the epoch and step of the running cohort, a fraction of the whole work (in
 * floating-point operations, so a cohort of 64 networks weighs 64 times one of 1), a smoothed
 * time remaining, and each epoch's metrics rows as they are produced, for live curves.
 *
 * The tracker turns what the trainer and the types report into these, in the worker thread.
 * Step reports are thinned to at most ten a second; phases, epochs, cohorts and messages always
 * go through.
 */
#pragma once

#include <glib.h>
#include "vesicle-trainer.h"

G_BEGIN_DECLS

typedef enum {
  VESICLE_PROGRESS_PHASE,     /* a new phase began */
  VESICLE_PROGRESS_STEPS,     /* steps went on (or an analysis advanced) */
  VESICLE_PROGRESS_EPOCH,     /* an epoch of the running cohort ended: metrics holds K rows */
  VESICLE_PROGRESS_COHORT,    /* a cohort finished and its run folder is complete */
  VESICLE_PROGRESS_PARTIAL,   /* summary.json was written with the results so far */
  VESICLE_PROGRESS_MESSAGE,   /* a line of the log */
} VesicleProgressKind;

typedef struct {
  VesicleProgressKind        kind;
  const char                *phase;            /* "Training cohort 2 of 4" */
  const char                *message;          /* MESSAGE: the line */
  guint                      cohort;           /* 1-based, the running or last cohort; 0 before */
  guint                      n_cohorts;
  const char                *cohort_dir;       /* its run folder, NULL before the first */
  guint                      networks_done;    /* in finished cohorts */
  guint                      networks_total;
  guint                      epoch;            /* of the running cohort, 1-based; 0 before */
  guint                      n_epochs;
  guint64                    step;             /* steps of the running cohort */
  guint64                    n_steps;
  double                     fraction;         /* of the whole experiment's work, 0..1 */
  double                     elapsed_s;
  double                     remaining_s;      /* smoothed; NAN while unknown */
  double                     work_done;        /* floating-point operations so far */
  double                     work_seconds;     /* seconds spent on that work (device set-up not
                                                * counted): work_done / work_seconds is this
                                                * device's speed for estimates */
  guint                      K;                /* networks in the running cohort */
  const VesicleHyper        *hyper;            /* (K) */
  const VesicleEpochMetrics *metrics;          /* EPOCH: (K) rows, else NULL */
  gboolean                   earlier;          /* EPOCH: trained before a resume, read back */
} VesicleExperimentProgress;

typedef void (*VesicleExperimentProgressFunc) (const VesicleExperimentProgress *progress,
                                               gpointer                         user_data);

/* A deep copy (strings, hyper and metrics), for handing to another thread. */
VesicleExperimentProgress *vesicle_experiment_progress_copy (const VesicleExperimentProgress *p);
void                       vesicle_experiment_progress_free (VesicleExperimentProgress       *p);

/* "Training 12 of 64 networks · epoch 31 of 50", or the phase when nothing trains. */
char *vesicle_experiment_progress_describe  (const VesicleExperimentProgress *p);
/* "About 3 minutes left", "Less than a minute left", NULL while unknown. */
char *vesicle_experiment_progress_remaining (const VesicleExperimentProgress *p);

/* ---- smoothing the time remaining ------------------------------------------------------------ */

typedef struct {
  double last_t;       /* when work last advanced; < 0: not yet */
  double last_work;
  double rate;         /* smoothed work per second; 0 while unknown */
  double weight;       /* seconds of measurement behind rate */
} VesicleEta;

void   vesicle_eta_init      (VesicleEta *eta);
/* Work went from its last value to @work at @t seconds. */
void   vesicle_eta_update    (VesicleEta *eta,
                              double      t,
                              double      work);
/* A pause (setting up a device): the next update starts a new interval instead of counting it. */
void   vesicle_eta_pause     (VesicleEta *eta);
/* Seconds until @total, NAN until a few seconds of steady work have been measured. */
double vesicle_eta_remaining (VesicleEta *eta,
                              double      work,
                              double      total);

/* ---- the tracker (for vesicle-experiment.c) -------------------------------------------------- */

typedef struct _VesicleExperimentTracker VesicleExperimentTracker;

VesicleExperimentTracker *vesicle_experiment_tracker_new   (VesicleExperimentProgressFunc func,
                                                            gpointer                      data);
void vesicle_experiment_tracker_free          (VesicleExperimentTracker *t);
/* Totals from the plan: cohorts, networks and work. */
void vesicle_experiment_tracker_set_plan      (VesicleExperimentTracker *t,
                                               guint                     n_cohorts,
                                               guint                     n_networks,
                                               double                    train_flops,
                                               double                    analysis_flops);
void vesicle_experiment_tracker_phase         (VesicleExperimentTracker *t,
                                               const char               *phase,
                                               gboolean                  working);
void vesicle_experiment_tracker_message       (VesicleExperimentTracker *t,
                                               const char               *message);
/* A cohort begins: its config (K, hyper, shape, batch) and schedule; @n_test: test examples
 * passed forward per epoch, on average (vesicle_train_eval_examples over the epochs). */
void vesicle_experiment_tracker_cohort_begin  (VesicleExperimentTracker  *t,
                                               const char                *dir,
                                               const VesicleCohortConfig *cohort,
                                               guint                      n_epochs,
                                               guint64                    n_steps,
                                               guint                      n_test);
/* The trainer's report for the running cohort. */
void vesicle_experiment_tracker_trainer       (VesicleExperimentTracker  *t,
                                               const VesicleProgress     *p);
/* An epoch the running cohort trained before a resume (its K networks' rows, from its
 * metrics.csv): delivered as an epoch, so that curves show the whole history, without counting
 * as work done now or moving the time left. */
void vesicle_experiment_tracker_earlier_epoch (VesicleExperimentTracker   *t,
                                               guint                       epoch,
                                               const VesicleEpochMetrics  *metrics);
void vesicle_experiment_tracker_cohort_end    (VesicleExperimentTracker  *t);
void vesicle_experiment_tracker_analysis      (VesicleExperimentTracker  *t,
                                               double                     done,
                                               double                     total);
void vesicle_experiment_tracker_partial       (VesicleExperimentTracker  *t);
/* The experiment completed: all its work is done (fraction 1). */
void vesicle_experiment_tracker_finish        (VesicleExperimentTracker  *t);

G_END_DECLS
