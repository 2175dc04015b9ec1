/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sweep handed to a scheduler (Slurm job arrays, GNU parallel, xargs -P): an experiment split
 * into cells, one cell = one cohort, each trained by its own process on any machine that sees the
 * folder. The folder:
 *   sweep.json        type, preset, full configuration, and the cells: index, networks, steps
 *   cells/N.json      cell N's status (completed, cancelled, failed with why) and run folder,
 *                     written by the cell when it ends
 *   cohort-N/ …       the cells' run folders, as the experiment itself would write them
 * and after the merge, experiment.json and summary.json: the folder is then the experiment's
 * own, bit-identical to a single-process run with the same configuration on the same device.
 */
#pragma once

#include "vesicle-experiment.h"
#include "vesicle-run.h"

G_BEGIN_DECLS

typedef struct {
  guint   index;
  guint   networks;
  guint64 steps;
} VesicleSweepCell;

typedef struct {
  const VesicleExperimentType *type;
  char                        *preset;
  JsonObject                  *config;
  GArray                      *cells;    /* VesicleSweepCell */
} VesicleSweep;

/* Checks the configuration like vesicle_experiment_run (reading the dataset for its sizes),
 * plans the cohorts and writes @dir/sweep.json; refuses a folder that holds a sweep or an
 * experiment unless @overwrite. */
gboolean      vesicle_sweep_expand      (const VesicleExperimentType *type,
                                         const char                  *preset,
                                         JsonObject                  *config,
                                         const char                  *dir,
                                         gboolean                     overwrite,
                                         GError                     **error);
/* @dir/sweep.json read back; the error names the file and the member at fault. */
VesicleSweep *vesicle_sweep_load        (const char                  *dir,
                                         GError                     **error);
void          vesicle_sweep_free        (VesicleSweep                *sweep);

/* cells/N.json: written atomically by the cell's process (vesicle_experiment_run in
 * VESICLE_EXPERIMENT_CELL mode); @run is its run folder relative to @dir. */
gboolean      vesicle_sweep_write_cell  (const char                  *dir,
                                         guint                        index,
                                         const char                  *run,
                                         VesicleRunStatus             status,
                                         const char                  *reason,
                                         GError                     **error);
/* What cells/N.json says: FALSE (no error) when the cell has not ended yet (never started,
 * still running, or killed); *reason is set for a cell that failed or was cancelled. */
gboolean      vesicle_sweep_cell_status (const char                  *dir,
                                         guint                        index,
                                         VesicleRunStatus            *status,
                                         char                       **reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleSweep, vesicle_sweep_free)

G_END_DECLS
