/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experiments: each of the paper's figures comes from a named experiment type with a JSON
 * configuration (presets "quick" and "paper", overridable key by key) and a run folder:
 *   experiment.json   type, preset, full config, versions, status, start/end time
 *   summary.json      what the experiment's figures need (written by the type's run)
 *   …                 per-network run folders (run.json, metrics.csv, mu.npy, sigma.npy) and
 *                     arrays (.npy) as each type documents
 * The CLI and the GUI run the same code; reopening a folder gives back everything a figure needs.
 */
#pragma once

#include <json-glib/json-glib.h>
#include "vesicle-dataset.h"
#include "vesicle-trainer.h"

G_BEGIN_DECLS

/* Engines come from the front end (core cannot see OpenCL). */
typedef VesicleEngine *(*VesicleEngineOpenFunc) (const VesicleCohortConfig *config,
                                                 gpointer                   data,
                                                 GError                   **error);
typedef void           (*VesicleMessageFunc)    (const char                *text,
                                                 gpointer                   data);

typedef struct {
  const char            *out_dir;
  const char            *preset;
  JsonObject            *config;        /* the preset with overrides applied */
  VesicleEngineOpenFunc  open_engine;
  gpointer               open_engine_data;
  GCancellable          *cancellable;
  VesicleMessageFunc     message;       /* progress lines; may be NULL */
  gpointer               message_data;
  JsonObject            *summary;       /* filled by the type's run; written as summary.json */
  GHashTable            *device;        /* engine description of the last engine, for the record */
} VesicleExperimentContext;

typedef struct {
  const char *name;          /* "tradeoff" */
  const char *title;
  const char *figures;       /* "fig2, fig3, app6" */
  const char *description;   /* what it computes, and how "quick" differs from "paper" */
  JsonObject *(*preset) (const char *preset);     /* NULL for an unknown preset */
  gboolean    (*run)    (VesicleExperimentContext *ctx,
                         GError                  **error);
} VesicleExperimentType;

const VesicleExperimentType *const *vesicle_experiment_types (guint *n_types);
const VesicleExperimentType        *vesicle_experiment_find  (const char *name);

/* Makes the run folder (refusing one that holds experiment.json unless overwrite), writes
 * experiment.json, runs the type, writes summary.json and the final status. */
gboolean vesicle_experiment_run (const VesicleExperimentType *type,
                                 VesicleExperimentContext    *ctx,
                                 gboolean                     overwrite,
                                 GError                     **error);

/* The bundled MNIST subset: the installed copy, else the source tree's. */
char    *vesicle_experiment_default_dataset (void);

/* ---- for the types ------------------------------------------------------------------------ */

void     vesicle_experiment_message (VesicleExperimentContext *ctx,
                                     const char               *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* The dataset named by config "dataset" ("" or "bundled": the MNIST subset) and "normalise";
 * train/test examples point into the datasets' memory and the returned targets. */
typedef struct {
  VesicleDataset  *train;
  VesicleDataset  *test;
  float           *train_targets;
  float           *test_targets;
  VesicleExamples  train_ex;
  VesicleExamples  test_ex;
  char            *path;
} VesicleExperimentData;

gboolean vesicle_experiment_data_load  (VesicleExperimentContext *ctx,
                                        VesicleExperimentData    *data,
                                        GError                  **error);
void     vesicle_experiment_data_clear (VesicleExperimentData    *data);

/* Trains a cohort and writes its run folder under out_dir/subdir (run.json, metrics.csv,
 * mu.npy, sigma.npy). The trainer (and its engine) is returned for further analysis. */
VesicleTrainer *vesicle_experiment_train (VesicleExperimentContext    *ctx,
                                          const char                  *subdir,
                                          const VesicleCohortConfig   *cohort,
                                          const VesicleTrainSchedule  *schedule,
                                          const VesicleExperimentData *data,
                                          GError                     **error);

/* Writes a float32 array as out_dir/name (.npy). */
gboolean vesicle_experiment_write_array (VesicleExperimentContext *ctx,
                                         const char               *name,
                                         const float              *values,
                                         const gsize              *dims,
                                         guint                     n_dims,
                                         GError                  **error);

/* The types */
extern const VesicleExperimentType vesicle_experiment_costs;
extern const VesicleExperimentType vesicle_experiment_tradeoff;
extern const VesicleExperimentType vesicle_experiment_importance;
extern const VesicleExperimentType vesicle_experiment_bayes;
extern const VesicleExperimentType vesicle_experiment_predictive;
extern const VesicleExperimentType vesicle_experiment_zero_hidden;

G_END_DECLS
