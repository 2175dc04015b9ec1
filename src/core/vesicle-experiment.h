/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experiments: each of the paper's figures comes from a named experiment type with a JSON
 * configuration (presets "quick" and "paper", overridable key by key) and a run folder:
 *   experiment.json   type, preset, full config, versions, status, start/end time
 *   summary.json      what the experiment's figures need (written by the type's run, and again
 *                     after each cohort so a window can show results as they come)
 *   …                 per-cohort run folders (run.json, metrics.csv, mu.npy, sigma.npy) and
 *                     arrays (.npy) as each type documents
 * The CLI and the GUI run the same code; reopening a folder gives back everything a figure needs.
 *
 * A type describes its settings (vesicle-config-field.h), checks them field by field before
 * anything is written, and plans its work (cohorts of K networks, steps, parameters) so a
 * front end can say how many networks it trains and roughly how long that takes, and so that
 * progress has a fraction and a time remaining.
 */
#pragma once

#include <json-glib/json-glib.h>
#include "vesicle-config-field.h"
#include "vesicle-dataset.h"
#include "vesicle-experiment-progress.h"
#include "vesicle-trainer.h"

G_BEGIN_DECLS

/* Engines come from the front end (core cannot see OpenCL); @device selects one (NULL: the
 * default choice). Called in the worker thread. */
typedef VesicleEngine *(*VesicleEngineOpenFunc) (const VesicleCohortConfig *config,
                                                 const char                *device,
                                                 GError                   **error);

/* Says what a front end's device hook is about to do that takes a while, as a new phase. */
typedef void (*VesiclePhaseAnnounce) (const char *phase,
                                      gpointer    data);

/* Readies the device @device selects for the cohorts about to train on it: called once per
 * experiment, in the worker thread, before its first cohort opens (the OpenCL one times the two
 * GEMMs on a device that neither a tuning nor the shipped table covers). Whatever takes a while
 * it first names through @announce; *@report gets one line on what it did, or NULL when there
 * was nothing to do. A failure is reported and the run goes on, unless it was cancelled. */
typedef gboolean (*VesicleDevicePrepareFunc) (const char           *device,
                                              VesiclePhaseAnnounce  announce,
                                              gpointer              data,
                                              char                **report,
                                              GCancellable         *cancellable,
                                              GError              **error);

/* ---- plans: what an experiment will train ---------------------------------------------------- */

typedef struct {
  guint   K;              /* networks trained in lockstep */
  guint64 steps;          /* minibatch steps, sigma_epochs included */
  gsize   P;              /* parameters per network */
  guint   layers;         /* weight layers: hidden layers + 1 */
  guint   batch;          /* B */
  guint   epochs;         /* epochs, sigma_epochs included */
  guint64 eval_examples;  /* test examples passed forward over all evaluations */
  guint64 eval_steps;     /* the test minibatches of all evaluations: each draws its weights */
} VesicleCohortPlan;

typedef struct {
  GArray *cohorts;          /* VesicleCohortPlan, in training order */
  guint   n_networks;
  double  analysis_flops;   /* what follows training: statistics passes, Fisher, analytics */
  double  host_flops;       /* the part of analysis_flops the host computes (the Fisher) */
  guint64 analysis_steps;   /* minibatch passes among them (statistics epochs), of the last
                             * cohort's networks */
} VesicleExperimentPlan;

/* How fast this machine runs a plan, measured on it (vesicle-cl-rate.h): the model of a
 * minibatch step of K networks of P parameters at batch B is
 *   K P (6 B / flops_per_s + seconds_per_parameter) + layers seconds_per_layer,
 * the matrix products, then the work done once per parameter whatever the batch (drawing the
 * noise and the weights, the update), then what a step costs whatever its size, for each weight
 * layer (the kernels it launches, the queue). Test minibatches and statistics passes are charged as steps; each cohort costs
 * seconds_per_cohort to open; the host's part of the analysis runs at host_flops_per_s. */
typedef struct {
  double flops_per_s;
  double seconds_per_parameter;
  double seconds_per_layer;
  double seconds_per_cohort;
  double host_flops_per_s;
} VesicleSpeed;

void     vesicle_experiment_plan_init   (VesicleExperimentPlan       *plan);
void     vesicle_experiment_plan_clear  (VesicleExperimentPlan       *plan);
void     vesicle_experiment_plan_add    (VesicleExperimentPlan       *plan,
                                         const VesicleCohortPlan     *cohort);
/* Floating-point work: 6 P B per network step (forward, and the two backward products), 2 P per
 * test example forward; the measure progress is made in. */
double   vesicle_cohort_plan_flops      (const VesicleCohortPlan     *cohort);
double   vesicle_experiment_plan_flops  (const VesicleExperimentPlan *plan);
/* Seconds the plan takes at @speed (the model above); NAN when @speed is unknown. */
double   vesicle_experiment_plan_seconds (const VesicleExperimentPlan *plan,
                                          const VesicleSpeed          *speed);
/* Every term of @speed multiplied by @factor's time: the speed at which a run that took
 * @factor times its estimate would have been predicted exactly. */
void     vesicle_speed_scale_time        (VesicleSpeed                *speed,
                                          double                       factor);

/* ---- types ----------------------------------------------------------------------------------- */

typedef struct _VesicleExperimentContext VesicleExperimentContext;
typedef struct _VesicleExperimentRunner  VesicleExperimentRunner;

typedef struct {
  const char *name;          /* "tradeoff" */
  const char *title;
  const char *figures;       /* "fig2, fig3" */
  const char *summary;       /* one plain sentence: what it computes */
  const char *description;   /* what it computes, and how "quick" differs from "paper" */
  gboolean    uses_dataset;  /* reads an IDX dataset ("dataset", "normalise", "max_train") */
  gboolean    trains;        /* takes the settings every training experiment has */
  const VesicleConfigField *fields;   /* its own settings, ending with a { NULL } entry */
  JsonObject *(*preset) (const char *preset);     /* NULL for an unknown preset */
  /* Problems across fields, beyond each field's own range (@data: the dataset when known);
   * appended to @problems. May be NULL. */
  void        (*check)  (JsonObject               *config,
                         const VesicleDatasetInfo *data,
                         GPtrArray                *problems);
  /* The cohorts of a checked @config; @data is NULL for types that read no dataset. */
  void        (*plan)   (JsonObject               *config,
                         const VesicleDatasetInfo *data,
                         VesicleExperimentPlan    *plan);
  gboolean    (*run)    (VesicleExperimentContext *ctx,
                         GError                  **error);
} VesicleExperimentType;

const VesicleExperimentType *const *vesicle_experiment_types (guint *n_types);
const VesicleExperimentType        *vesicle_experiment_find  (const char *name);
/* The paper's six experiments in the order of its figures (the registry less custom
 * training). */
const VesicleExperimentType *const *vesicle_experiment_paper_types (guint *n_types);

/* Its settings in form order (the training settings first for training types); free the
 * array only. */
GPtrArray                 *vesicle_experiment_type_fields (const VesicleExperimentType *type);
const VesicleConfigField  *vesicle_experiment_type_field  (const VesicleExperimentType *type,
                                                           const char                  *key);

/* Brings a config saved by an older Vesicle up to @type's fields, in place: "seed": n where
 * the type now has "seeds" becomes "seeds": [n]. What it cannot place is left for the check. */
void       vesicle_experiment_config_upgrade    (const VesicleExperimentType *type,
                                                JsonObject                  *config);
/* Every problem of @config, field by field and then across fields, with what depends on the
 * dataset (a minibatch larger than it) when @data is given. Empty: it can run. Unknown keys
 * are problems too. */
GPtrArray *vesicle_experiment_check            (const VesicleExperimentType *type,
                                                JsonObject                  *config,
                                                const VesicleDatasetInfo    *data);
/* The check, then the type's plan; the error is the first problem. */
gboolean   vesicle_experiment_plan             (const VesicleExperimentType *type,
                                                JsonObject                  *config,
                                                const VesicleDatasetInfo    *data,
                                                VesicleExperimentPlan       *plan,
                                                GError                     **error);
/* The objective the networks minimise, with this configuration's numbers and its per-minibatch
 * scaling, as Pango markup (one or more lines); NULL for types that train nothing. */
char      *vesicle_experiment_objective_markup (const VesicleExperimentType *type,
                                                JsonObject                  *config,
                                                const VesicleDatasetInfo    *data);

/* ---- running --------------------------------------------------------------------------------- */

/* How a run treats the cohorts already in its folder. Each cohort's run folder keeps a
 * checkpoint after every epoch (vesicle-checkpoint.h) until the whole experiment completes. */
typedef enum {
  VESICLE_EXPERIMENT_FRESH,    /* a new experiment */
  VESICLE_EXPERIMENT_RESUME,   /* go on in out_dir: cohorts that finished are restored from
                                * their checkpoints, an interrupted one continues after its
                                * last complete epoch, the rest train */
  VESICLE_EXPERIMENT_CELL,     /* train only cohort `cell` (resuming it if interrupted) into
                                * its run folder, write nothing else: one task of a sweep */
  VESICLE_EXPERIMENT_MERGE,    /* restore every cohort from its checkpoint, train none, and
                                * write the experiment's summary: gathers a sweep's cells */
} VesicleExperimentMode;

typedef struct {
  const char            *out_dir;
  const char            *preset;       /* recorded in experiment.json; NULL: "custom" */
  JsonObject            *config;       /* the preset with overrides applied */
  gboolean               overwrite;    /* replace an experiment already in out_dir */
  VesicleEngineOpenFunc  open_engine;
  VesicleDevicePrepareFunc prepare_device; /* NULL: nothing to ready */
  const char            *device;       /* for open_engine */
  VesicleExperimentMode  mode;
  guint                  cell;         /* for VESICLE_EXPERIMENT_CELL: the cohort, from 0 */
  gboolean               wait_for_lock; /* another process writes out_dir: wait for it (else
                                         * refused at once, naming it) */
} VesicleExperimentOptions;

/* What vesicle_experiment_train says to a type that should not train a cohort now: SKIPPED
 * (another cell's; go on to the next) and CELL_DONE (the cell's cohort is trained: stop). */
#define VESICLE_EXPERIMENT_ERROR (vesicle_experiment_error_quark ())
typedef enum {
  VESICLE_EXPERIMENT_ERROR_SKIPPED,
  VESICLE_EXPERIMENT_ERROR_CELL_DONE,
} VesicleExperimentError;

GQuark   vesicle_experiment_error_quark (void);

/* Checks the configuration (nothing is written when it is refused), makes the folder (refusing
 * one that holds experiment.json or run.json unless overwrite), takes its lock (one writer per
 * folder: vesicle-folder-lock.h), writes experiment.json as running once the first cohort is
 * about to train (so that a run or resume that fails before, for want of a device, say, leaves
 * every file as it was, and a fresh folder is removed again), runs the type, writes summary.json
 * and the final status: completed, cancelled (the folder keeps every finished cohort) or failed
 * with the reason. Progress reaches @progress in the calling thread. */
gboolean vesicle_experiment_run        (const VesicleExperimentType    *type,
                                        const VesicleExperimentOptions *options,
                                        GCancellable                   *cancellable,
                                        VesicleExperimentProgressFunc   progress,
                                        gpointer                        progress_data,
                                        GError                        **error);
/* The same in a worker thread; @progress runs in the thread-default main context of the caller,
 * in order, each report before the completion callback. The options are copied. */
void     vesicle_experiment_run_async  (const VesicleExperimentType    *type,
                                        const VesicleExperimentOptions *options,
                                        GCancellable                   *cancellable,
                                        VesicleExperimentProgressFunc   progress,
                                        gpointer                        progress_data,
                                        GDestroyNotify                  progress_notify,
                                        GAsyncReadyCallback             callback,
                                        gpointer                        user_data);
gboolean vesicle_experiment_run_finish (GAsyncResult                   *result,
                                        GError                        **error);

/* The bundled MNIST subset: the installed copy, else the source tree's. */
char    *vesicle_experiment_default_dataset (void);
/* The folder config "dataset" names: the bundled subset for "bundled", "" or none. */
char    *vesicle_experiment_dataset_path    (JsonObject                  *config);
/* A fresh folder name for an experiment of @type started at @when: "tradeoff-2026-12-01-1403"
 * (with "-2", "-3", … when @parent already holds one of that name). */
char    *vesicle_experiment_folder_name     (const VesicleExperimentType *type,
                                             GDateTime                   *when,
                                             const char                  *parent);
/* The same for any name: "reproduction-2026-12-01-1403". */
char    *vesicle_folder_name_at             (const char                  *name,
                                             GDateTime                   *when,
                                             const char                  *parent);

/* ---- for the types --------------------------------------------------------------------------- */

struct _VesicleExperimentContext {
  const char               *out_dir;
  const char               *preset;
  JsonObject               *config;        /* checked against the type's fields */
  GCancellable             *cancellable;
  JsonObject               *summary;       /* filled by the type's run; written as summary.json */
  GHashTable               *device;        /* description of the last engine, for the record */
  VesicleEngineOpenFunc     open_engine;
  VesicleDevicePrepareFunc  prepare_device;  /* NULL: nothing to ready */
  gboolean                  device_prepared; /* prepare_device ran */
  const char               *device_selector;
  VesicleExperimentTracker *tracker;       /* progress; NULL reports nothing */
  VesicleExperimentRunner  *runner;        /* vesicle_experiment_run's own; NULL when a type's
                                            * run is called directly (tests) */
};

/* A log line (also printed by the CLI), and a new phase ("Measuring the Fisher information"). */
void     vesicle_experiment_message  (VesicleExperimentContext *ctx,
                                      const char               *format,
                                      ...) G_GNUC_PRINTF (2, 3);
void     vesicle_experiment_phase    (VesicleExperimentContext *ctx,
                                      const char               *format,
                                      ...) G_GNUC_PRINTF (2, 3);
/* Within the analysis that follows training: @done of @total parts finished. */
void     vesicle_experiment_analysis (VesicleExperimentContext *ctx,
                                      double                    done,
                                      double                    total);
/* Writes summary.json as it stands, still marked running in experiment.json, and reports the
 * cohort done: results so far for a window (tradeoff calls it after each cohort). */
gboolean vesicle_experiment_save_partial (VesicleExperimentContext *ctx,
                                          GError                  **error);

/* The dataset named by config "dataset" ("" or "bundled": the MNIST subset) and "normalise";
 * train/test examples point into the datasets' memory and the returned targets. Reports the
 * phase "Loading the dataset". */
typedef struct {
  VesicleDataset  *train;
  VesicleDataset  *test;
  float           *train_targets;
  float           *test_targets;
  VesicleExamples  train_ex;
  VesicleExamples  test_ex;
  char            *path;
  gboolean         normalised;
} VesicleExperimentData;

gboolean vesicle_experiment_data_load  (VesicleExperimentContext *ctx,
                                        VesicleExperimentData    *data,
                                        GError                  **error);
void     vesicle_experiment_data_clear (VesicleExperimentData    *data);
/* The sizes of loaded data, as a plan wants them (n_train after max_train). */
void     vesicle_experiment_data_info  (const VesicleExperimentData *data,
                                        VesicleDatasetInfo          *info);

/* Trains a cohort and writes its run folder under out_dir/subdir ("" for out_dir itself:
 * run.json, metrics.csv, mu.npy, sigma.npy, checkpoint.bin) through vesicle_run_train,
 * reporting the phases "Preparing the OpenCL device" and "Training cohort i of n". The trainer
 * (and its engine) is returned for further analysis. Resuming, a cohort that finished is
 * restored from its checkpoint instead, and an interrupted one continues; see
 * VesicleExperimentMode for cells. */
VesicleTrainer *vesicle_experiment_train (VesicleExperimentContext    *ctx,
                                          const char                  *subdir,
                                          const VesicleCohortConfig   *cohort,
                                          const VesicleTrainSchedule  *schedule,
                                          const VesicleExperimentData *data,
                                          GError                     **error);

/* TRUE, clearing *error, when vesicle_experiment_train skipped another cell's cohort: a type
 * with several cohorts goes on to the next. */
gboolean vesicle_experiment_cohort_skipped (GError **error);

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
extern const VesicleExperimentType vesicle_experiment_train_type;   /* "train": custom training */

G_END_DECLS
