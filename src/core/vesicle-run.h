/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run folder: run.json (the full configuration, versions, device, times and status),
 * metrics.csv (one row per network per epoch, appended as epochs finish so nothing is lost), and
 * the trained parameters mu.npy and sigma.npy, (K, P) float32 in NumPy's format.
 *
 * vesicle_run_train is the one writer of that lifecycle: `vesicle-cli train`, every experiment
 * and the window all train through it. Status is an enum; the strings live only in the files.
 */
#pragma once

#include <json-glib/json-glib.h>
#include "vesicle-trainer.h"

G_BEGIN_DECLS

typedef enum {
  VESICLE_RUN_RUNNING,
  VESICLE_RUN_COMPLETED,
  VESICLE_RUN_CANCELLED,
  VESICLE_RUN_FAILED,
  VESICLE_RUN_INTERRUPTED,   /* read back only: "running", but the process that ran it is gone */
} VesicleRunStatus;

typedef struct {
  const VesicleCohortConfig  *cohort;
  const VesicleTrainSchedule *schedule;
  const char                 *dataset_name;
  const char                 *dataset_path;
  gboolean                    normalised;
  guint                       n_train;
  guint                       n_test;
  GHashTable                 *device;        /* from VesicleEngineVTable.describe, may be NULL */
  VesicleRunStatus            status;
  const char                 *error;         /* for a failed run, else NULL */
  GDateTime                  *started;
  GDateTime                  *finished;      /* NULL while running */
  guint                       resumed_after;  /* epochs a checkpoint had done; 0: from the start */
  const char *const          *stop_reasons;  /* (K) why each network stopped early, or NULL */
  gboolean                    keep_checkpoint; /* after completing (an experiment drops them
                                                * once all its cohorts are done) */
} VesicleRunInfo;

/* "running", "completed", "cancelled", "failed": the words run.json and experiment.json hold;
 * and "interrupted", which a reader says of a "running" folder whose process is gone. */
const char *vesicle_run_status_to_string   (VesicleRunStatus           status);
gboolean    vesicle_run_status_from_string (const char                *text,
                                            VesicleRunStatus          *status);
/* How a run that ended with @error (NULL: none) ended: completed, cancelled or failed. */
VesicleRunStatus vesicle_run_status_from_error (const GError          *error);

/* Creates dir; refuses one it cannot write into, or that already holds a run.json unless
 * overwrite (then drops its metrics.csv, so rows start afresh). */
gboolean    vesicle_run_prepare_dir     (const char                *dir,
                                         gboolean                   overwrite,
                                         GError                   **error);
JsonNode   *vesicle_run_info_to_json    (const VesicleRunInfo      *info);
gboolean    vesicle_run_write_info      (const char                *dir,
                                         const VesicleRunInfo      *info,
                                         GError                   **error);
gboolean    vesicle_run_append_metrics  (const char                *dir,
                                         const VesicleCohortConfig *cohort,
                                         const VesicleEpochMetrics *rows,
                                         guint                      n_rows,
                                         GError                   **error);
gboolean    vesicle_run_write_params    (const char                *dir,
                                         const float               *mu,
                                         const float               *sigma,
                                         guint                      K,
                                         gsize                      P,
                                         GError                   **error);
gboolean    vesicle_write_npy           (const char                *path,
                                         const float               *data,
                                         const gsize               *dims,
                                         guint                      n_dims,
                                         GError                   **error);
/* Reads a float32 .npy written by vesicle_write_npy (C order, little endian). */
float      *vesicle_read_npy            (const char                *path,
                                         gsize                     *dims,
                                         guint                     *n_dims,
                                         GError                   **error);
const char *vesicle_setting_name        (VesicleSigmaSetting        setting);

/* The whole life of a run folder around one training run: dir prepared (refusing a run.json
 * there unless @overwrite), run.json written as running, every epoch's rows appended to
 * metrics.csv as the epoch ends, then the parameters and the final status, however training
 * ended: a cancelled or failed run keeps every epoch it finished. @info gives everything but the
 * status and the times, which this sets. Progress reaches @progress in this thread, after the
 * epoch's rows are on disk. On failure the training's error comes back (or else the first
 * write error). */
gboolean    vesicle_run_train           (const char                *dir,
                                         VesicleRunInfo            *info,
                                         gboolean                   overwrite,
                                         VesicleTrainer            *trainer,
                                         GCancellable              *cancellable,
                                         VesicleProgressFunc        progress,
                                         gpointer                   user_data,
                                         GError                   **error);

/* One row of metrics.csv, with the network's hyperparameters as written there. */
typedef struct {
  VesicleEpochMetrics metrics;
  double              rho;
  double              c;
  double              lambda;
  VesicleSigmaSetting setting;
  guint64             seed;
} VesicleMetricsRow;

/* Every row of <dir>/metrics.csv in file order (empty fields read as NaN); the error names the
 * file and the line at fault. */
GArray     *vesicle_run_read_metrics    (const char                *dir,
                                         GError                   **error);

G_END_DECLS
