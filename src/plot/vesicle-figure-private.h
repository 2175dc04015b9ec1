/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the figure builders: each vesicle-figure-<experiment>.c builds the figures of one
 * experiment type from its saved folder; vesicle-figure.c holds the registry and the loading
 * helpers they share.
 */
#pragma once

#include "vesicle-figure.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Loads <run_dir>/summary.json and checks <run_dir>/experiment.json names @experiment (the
 * error names the folder, the file and what it found instead). Returns the summary's root
 * object, with a reference. */
JsonObject  *vesicle_figure_load_summary (const char  *run_dir,
                                          const char  *experiment,
                                          GError     **error);

/* One builder per figure; @run_dir has been checked to exist. */
VesiclePlot *vesicle_figure_build_fig1 (const char *run_dir, GError **error);  /* costs */
VesiclePlot *vesicle_figure_build_fig2 (const char *run_dir, GError **error);  /* tradeoff */
VesiclePlot *vesicle_figure_build_fig3 (const char *run_dir, GError **error);  /* tradeoff */
VesiclePlot *vesicle_figure_build_fig5 (const char *run_dir, GError **error);  /* importance */
VesiclePlot *vesicle_figure_build_app6 (const char *run_dir, GError **error);  /* importance */
VesiclePlot *vesicle_figure_build_app5 (const char *run_dir, GError **error);  /* zero-hidden */
VesiclePlot *vesicle_figure_build_fig7 (const char *run_dir, GError **error);  /* bayes */
VesiclePlot *vesicle_figure_build_app4 (const char *run_dir, GError **error);  /* predictive */

G_END_DECLS
