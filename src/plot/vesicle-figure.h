/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The paper's figures, each drawn from a saved experiment folder (experiment.json, summary.json
 * and the arrays beside them) without retraining. A builder checks the folder holds the
 * experiment type it needs and says so by name when it does not.
 */
#pragma once

#include "vesicle-plot.h"
#include "vesicle-run.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;          /* "fig1", "fig2", "fig3", "fig5", "fig7", "app4", "app5", "app6",
                              * and "training" (curves of any experiment that trains) */
  const char *experiment;    /* the experiment type whose folder it reads, e.g. "tradeoff" */
  const char *title;         /* one line: what the figure shows */
  double      width_mm;      /* default export size, the width the figure is designed for */
  double      height_mm;     /* at width_mm only: another width reflows the panels and takes
                              * vesicle_plot_get_aspect_for_width */
} VesicleFigureInfo;

const VesicleFigureInfo *vesicle_figure_list   (gsize      *n_figures);
const VesicleFigureInfo *vesicle_figure_lookup (const char *name);
/* The figures that can be drawn from a folder of experiment type @experiment (NULL-terminated,
 * free the array only). */
const VesicleFigureInfo **vesicle_figure_for_experiment (const char *experiment);

/* "fig2, fig3" (an experiment type's figures) as people name them: "Fig 2 · Fig 3";
 * "app4" is "Appendix 4", "training" "Training curves". */
char        *vesicle_figure_names_text (const char *figures);

VesiclePlot *vesicle_figure_build (const char  *name,
                                   const char  *run_dir,
                                   GError     **error);
/* The same, but a running, cancelled or failed experiment is drawn from the results it has so
 * far (a window showing results as cohorts finish) instead of refused. */
VesiclePlot *vesicle_figure_build_partial (const char  *name,
                                           const char  *run_dir,
                                           gboolean     partial,
                                           GError     **error);

/* vesicle_figure_build_partial in a worker thread. */
void         vesicle_figure_build_async  (const char          *name,
                                          const char          *run_dir,
                                          gboolean             partial,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
VesiclePlot *vesicle_figure_build_finish (GAsyncResult        *result,
                                          GError             **error);

/* Draws the figure afresh from @run_dir in a worker thread and writes it to @path
 * (vesicle_plot_export: height_mm <= 0 for the figure's own height at that width). */
void         vesicle_figure_export_async  (const char          *name,
                                           const char          *run_dir,
                                           gboolean             partial,
                                           const char          *path,
                                           VesicleExportFormat  format,
                                           double               width_mm,
                                           double               height_mm,
                                           double               dpi,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean     vesicle_figure_export_finish (GAsyncResult        *result,
                                           GError             **error);

/* Training curves of networks, as the "training" figure and a window's live chart draw them:
 * panels of the training NLL, the L1 term, the reliability cost, the objective, test accuracy
 * and mean sigma against the epoch, one line per network coloured by log c (dashed: homogeneous
 * sigma). @rows in any order; rows of one network are joined in epoch order. */
VesiclePlot *vesicle_figure_training_curves (const VesicleMetricsRow *rows,
                                             guint                    n_rows);

G_END_DECLS
