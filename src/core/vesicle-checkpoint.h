/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cohort's checkpoint: everything a run needs to go on after the last complete epoch as if it
 * had never stopped (the engine's state, the epochs done, every metric so far, the networks that
 * diverged), in one file written atomically. Noise and minibatch order are keyed by step and
 * epoch (Philox), so no generator state needs saving. The file is for the machine and device
 * that wrote it: a fingerprint of the configuration guards against resuming something else.
 *
 *   "VESICLE CHECKPOINT 1\n", a JSON header line (sizes, fingerprint, CRC-32 of the rest),
 *   the engine state (float32, little-endian), the metrics ((rows, 15 + 2 * MAX_LAYERS) float64)
 */
#pragma once

#include "vesicle-trainer.h"

G_BEGIN_DECLS

typedef struct {
  char                *fingerprint;
  guint                K;
  guint                epochs_done;   /* of the schedule, sigma_epochs included */
  guint64              adam_steps;
  float               *state;         /* (n_state) from VesicleEngineVTable.read_state */
  gsize                n_state;
  VesicleEpochMetrics *metrics;       /* (n_metrics) rows, epochs x K in order */
  guint                n_metrics;
  char               **stop_reasons;  /* (K): NULL, or why that network stopped */
} VesicleCheckpoint;

/* A digest of what makes two runs the same run: shape, K, every network's hyperparameters,
 * the optimiser, the schedule, and the number of training and test examples. */
char    *vesicle_checkpoint_fingerprint (const VesicleCohortConfig  *cohort,
                                         const VesicleTrainSchedule *schedule,
                                         guint                       n_train,
                                         guint                       n_test);
gboolean vesicle_checkpoint_write       (const char                 *path,
                                         const VesicleCheckpoint    *checkpoint,
                                         GError                    **error);
/* Errors name the file and what is wrong with it (truncated, corrupt, another version). */
gboolean vesicle_checkpoint_read        (const char                 *path,
                                         VesicleCheckpoint          *checkpoint,
                                         GError                    **error);
void     vesicle_checkpoint_clear       (VesicleCheckpoint          *checkpoint);

G_END_DECLS
