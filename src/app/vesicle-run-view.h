/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run, watched: one experiment or a queue of them (reproducing the paper), each through
 * vesicle_experiment_run_async. Progress in words ("Training 12 of 64 networks · epoch 31 of
 * 50", "About 3 minutes left") and as a bar with a Cancel button; live training curves of every
 * network of the running cohort, coloured by c, redrawn at most three times a second; the
 * networks as their cohorts finish; the figures so far where the experiment saves them; and the
 * log. A queue ends with the report.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include "vesicle-experiment.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_RUN_VIEW (vesicle_run_view_get_type ())

G_DECLARE_FINAL_TYPE (VesicleRunView, vesicle_run_view, VESICLE, RUN_VIEW, GtkWidget)

typedef struct {
  const VesicleExperimentType *type;
  char                        *out_dir;
  char                        *preset;
  JsonObject                  *config;
  VesicleExperimentMode        mode;     /* FRESH, or RESUME to go on in out_dir */
} VesicleRunJob;

VesicleRunJob *vesicle_run_job_new   (const VesicleExperimentType *type,
                                      const char                  *out_dir,
                                      const char                  *preset,
                                      JsonObject                  *config);
void           vesicle_run_job_free  (VesicleRunJob               *job);

GtkWidget  *vesicle_run_view_new          (void);
/* Runs @jobs (VesicleRunJob, taken) in order on @device; with @report_dir, writes the report
 * of that folder after the last. Emits "job-finished" (index, folder, VesicleRunStatus, error
 * or NULL) after each and "finished" (whether all completed) at the end. */
void        vesicle_run_view_start        (VesicleRunView *self,
                                           const char     *title,
                                           GPtrArray      *jobs,
                                           const char     *device,
                                           const char     *report_dir);
/* Stops the running experiment after its current step; finished cohorts are kept and the
 * folder is marked cancelled. The queue stops too. */
void        vesicle_run_view_cancel       (VesicleRunView *self);
gboolean    vesicle_run_view_get_running  (VesicleRunView *self);
/* Of the whole queue, 0..1. */
double      vesicle_run_view_get_fraction (VesicleRunView *self);
/* Seconds since the queue started, and the running experiment's folder. */
double      vesicle_run_view_get_elapsed  (VesicleRunView *self);
const char *vesicle_run_view_get_folder   (VesicleRunView *self);
guint       vesicle_run_view_get_n_jobs   (VesicleRunView *self);
/* Whether the queue, while it runs, writes into @dir: one of its experiments' folders, or the
 * folder that holds them and the report (such a folder must not be renamed under it). */
gboolean    vesicle_run_view_uses_folder  (VesicleRunView *self,
                                           const char     *dir);
/* Figures drawn so far from the cohorts that have finished. */
guint       vesicle_run_view_get_n_partial (VesicleRunView *self);
/* The rows (one per network and epoch) of the running cohort the live chart draws: after a
 * resume, the epochs before it are among them. */
guint       vesicle_run_view_get_n_charted (VesicleRunView *self);
/* The folder that holds a queue's experiments and its report, or NULL for one experiment. */
const char *vesicle_run_view_get_queue_folder (VesicleRunView *self);
/* The report the queue wrote, or NULL. */
const char *vesicle_run_view_get_report   (VesicleRunView *self);

G_END_DECLS
