/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experiment progress on stderr, as `vesicle-cli train` and `experiment` print it. On a terminal:
 * one line that updates itself (percent, the phase or networks and epoch, time remaining), with
 * log lines printed above it. Elsewhere (a pipe, a log file, CI): plain lines, one per phase, per
 * epoch and per log message. An epoch's line shows only values that were measured.
 */
#pragma once

#include <stdio.h>
#include "vesicle-experiment.h"

G_BEGIN_DECLS

typedef struct _VesicleCliProgress VesicleCliProgress;

VesicleCliProgress *vesicle_cli_progress_new    (FILE                            *out,
                                                 gboolean                         quiet);
void                vesicle_cli_progress_free   (VesicleCliProgress              *self);
/* A VesicleExperimentProgressFunc; @data is the VesicleCliProgress. */
void                vesicle_cli_progress_report (const VesicleExperimentProgress *p,
                                                 gpointer                         data);
/* Ends the updating line, if one is showing, so the next output starts on a line of its own. */
void                vesicle_cli_progress_finish (VesicleCliProgress              *self);
/* The line an epoch ended with: "epoch 3/5: test accuracy 0.912–0.951, mean σ 0.0123–0.456
 * (4 networks)"; NULL when nothing was measured. */
char               *vesicle_cli_progress_epoch_line (const VesicleExperimentProgress *p);

G_END_DECLS
