/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A saved experiment folder read back: experiment.json (type, preset, status and why, times,
 * configuration, device, the run folders it wrote), its summary.json, and every network's last
 * epoch from the run folders' metrics.csv. The figures, the window's reopen and the report all
 * read folders through this; every error names the file and what is wrong with it.
 *
 * A folder whose experiment.json says "running" while the process it names is gone (killed,
 * or its machine restarted) reads as interrupted, with why; one run from another host still
 * reads as running, as it may be.
 */
#pragma once

#include <json-glib/json-glib.h>
#include "vesicle-experiment.h"
#include "vesicle-run.h"

G_BEGIN_DECLS

typedef struct {
  char                        *dir;
  char                        *type_name;   /* as written, e.g. "tradeoff" */
  const VesicleExperimentType *type;        /* NULL for a type this version does not know */
  char                        *title;
  char                        *preset;
  VesicleRunStatus             status;
  char                        *error;       /* why it failed or was interrupted, or NULL */
  GDateTime                   *started;     /* NULL when unreadable */
  GDateTime                   *finished;    /* NULL while running */
  double                       seconds;     /* time spent running, every resume counted;
                                             * NaN when not written (older folders) */
  JsonObject                  *config;      /* never NULL (empty when absent) */
  JsonObject                  *device;      /* never NULL */
  GPtrArray                   *runs;        /* run folders, relative to dir ("." for dir) */
  GArray                      *networks;    /* VesicleNetworkSummary: only after
                                             * vesicle_experiment_record_load_async with
                                             * networks, else NULL */
} VesicleExperimentRecord;

/* One network's last recorded epoch, for a table of the networks. */
typedef struct {
  guint               run;             /* index into the record's runs */
  guint               network;         /* within its run */
  gboolean            variational;     /* trained on the ELBO (variational Bayes) */
  double              rho;
  double              c;
  VesicleSigmaSetting setting;
  guint64             seed;
  guint               epoch;
  gboolean            finished;        /* its run completed: it trained every epoch */
  double              test_accuracy;   /* NaN if never measured */
  double              train_nll;
  double              mean_sigma;
  double              rms_sigma;
  double              reliability_cost;
} VesicleNetworkSummary;

/* How long the experiment ran, in seconds, over every session that trained it (a resumed one
 * counts what came before); for a folder without that record, finished − started; NaN when
 * neither is known. */
double                   vesicle_experiment_record_took          (const VesicleExperimentRecord *rec);
VesicleExperimentRecord *vesicle_experiment_record_load          (const char     *dir,
                                                                  GError        **error);
void                     vesicle_experiment_record_free          (VesicleExperimentRecord *rec);
/* Renames the experiment folder @dir to @target (a sibling), holding its lock (so never while
 * another process writes it) and never replacing what is at @target; the error says why. */
gboolean                 vesicle_experiment_folder_rename        (const char                    *dir,
                                                                  const char                    *target,
                                                                  GError                       **error);
/* Whether vesicle_experiment_run can go on with this folder (VESICLE_EXPERIMENT_RESUME, with
 * the record's preset and configuration): it must be of a known type and interrupted,
 * cancelled or failed; not completed, and not still running. */
gboolean                 vesicle_experiment_record_can_resume    (const VesicleExperimentRecord *rec,
                                                                  GError        **error);
/* summary.json, with a reference; the error names the file. */
JsonObject              *vesicle_experiment_record_load_summary  (const VesicleExperimentRecord *rec,
                                                                  GError        **error);
/* The last epoch of every network of every run folder, in order; runs without metrics.csv
 * (an experiment stopped before its first epoch) add nothing. */
GArray                  *vesicle_experiment_record_networks      (const VesicleExperimentRecord *rec,
                                                                  GError        **error);
/* The record, and with @networks every network's last epoch too, read in a worker thread. */
void                     vesicle_experiment_record_load_async    (const char          *dir,
                                                                  gboolean             networks,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
VesicleExperimentRecord *vesicle_experiment_record_load_finish   (GAsyncResult        *result,
                                                                  GError             **error);
/* Every metrics.csv row of run @run, in file order (for training curves); empty when the run
 * has no metrics.csv yet. */
GArray                  *vesicle_experiment_record_metrics       (const VesicleExperimentRecord *rec,
                                                                  guint          run,
                                                                  GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleExperimentRecord, vesicle_experiment_record_free)

G_END_DECLS
