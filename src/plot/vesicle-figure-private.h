/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the figure builders: each vesicle-figure-<experiment>.c builds the figures of one
 * experiment type from its saved folder; vesicle-figure.c holds the registry and the loading
 * helpers they share.
 */
#pragma once

#include "vesicle-figure.h"
#include "vesicle-format.h"
#include "vesicle-json.h"

#include <json-glib/json-glib.h>
#include "vesicle-experiment-record.h"

G_BEGIN_DECLS

/* Loads <run_dir>/summary.json and checks <run_dir>/experiment.json names @experiment (the
 * error names the folder, the file and what it found instead) and has completed, or with
 * @partial has any status. Returns the summary's root object, with a reference. */
JsonObject  *vesicle_figure_load_summary (const char  *run_dir,
                                          const char  *experiment,
                                          gboolean     partial,
                                          GError     **error);

/* Reading a summary: a member holding a list of numbers (null, as NaN/Inf are saved, reads as
 * NaN) as a new array of *n doubles, or NULL with an error naming <run_dir>/summary.json and the
 * member when it is missing or holds anything else. */
double      *vesicle_figure_get_doubles   (JsonObject  *object,
                                           const char  *member,
                                           gsize       *n,
                                           const char  *run_dir,
                                           GError     **error);
/* The same for a list already in hand (@what names it in the error). */
double      *vesicle_figure_array_doubles (JsonArray   *array,
                                           gsize       *n,
                                           const char  *what,
                                           const char  *run_dir,
                                           GError     **error);
/* A list member (of objects or lists), without a new reference. */
JsonArray   *vesicle_figure_get_array     (JsonObject  *object,
                                           const char  *member,
                                           const char  *run_dir,
                                           GError     **error);

/* One builder per figure, by the experiment it reads: costs (fig1, fig4), tradeoff (fig2, fig3),
 * importance (fig5, app6), zero-hidden (app5), bayes (fig7), predictive (app4), and any that
 * trains (training). @run_dir has been checked to exist; @partial draws the results a running,
 * cancelled or failed experiment has so far instead of refusing it. */
VesiclePlot *vesicle_figure_build_fig1     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_fig4     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_fig2     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_fig3     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_fig5     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_app6     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_app5     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_fig7     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_app4     (const char *run_dir, gboolean partial, GError **error);
VesiclePlot *vesicle_figure_build_training (const char *run_dir, gboolean partial, GError **error);

G_END_DECLS
