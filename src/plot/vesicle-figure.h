/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The paper's figures, each drawn from a saved experiment folder (experiment.json, summary.json
 * and the arrays beside them) without retraining. A builder checks the folder holds the
 * experiment type it needs and says so by name when it does not.
 */
#pragma once

#include "vesicle-plot.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;          /* "fig1", "fig2", "fig3", "fig5", "fig7", "app4", "app5", "app6" */
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

VesiclePlot *vesicle_figure_build (const char  *name,
                                   const char  *run_dir,
                                   GError     **error);

G_END_DECLS
