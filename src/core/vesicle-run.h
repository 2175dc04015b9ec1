/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run folder: run.json (the full configuration, versions, device, times and status),
 * metrics.csv (one row per network per epoch, appended as epochs finish so nothing is lost), and
 * the trained parameters mu.npy and sigma.npy, (K, P) float32 in NumPy's format.
 */
#pragma once

#include <json-glib/json-glib.h>
#include "vesicle-trainer.h"

G_BEGIN_DECLS

typedef struct {
  const VesicleCohortConfig  *cohort;
  const VesicleTrainSchedule *schedule;
  const char                 *dataset_name;
  const char                 *dataset_path;
  gboolean                    normalised;
  guint                       n_train;
  guint                       n_test;
  GHashTable                 *device;        /* from VesicleEngineVTable.describe, may be NULL */
  const char                 *status;        /* "running", "completed", "cancelled", "failed" */
  const char                 *error;         /* for "failed", else NULL */
  GDateTime                  *started;
  GDateTime                  *finished;      /* NULL while running */
} VesicleRunInfo;

/* Creates dir; refuses a folder that already holds a run.json unless overwrite. */
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

G_END_DECLS
