/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces shared by the vesicle-cli commands: errors on stderr, list parsing with errors naming
 * the option, where the bundled dataset lives, and running an experiment with its progress on
 * stderr and Ctrl-C cancelling it.
 */
#pragma once

#include <glib.h>
#include "vesicle-experiment.h"

G_BEGIN_DECLS

/* Print "vesicle-cli COMMAND: message" to stderr and return 1; the caller keeps the error. */
int     vesicle_cli_fail          (const char   *command,
                                   const GError *error);
int     vesicle_cli_fail_msg      (const char   *command,
                                   const char   *message);

/* @text (NULL: leave *out) as a whole number written in decimal, digits only (no sign, space or
 * 0x), from @min to @max; the error names --@option and the text. For every integer option:
 * GOption's G_OPTION_ARG_INT reads 0x10 as 16 and 010 as 8. */
gboolean vesicle_cli_parse_uint   (const char  *option,
                                   const char  *text,
                                   guint        min,
                                   guint        max,
                                   guint       *out,
                                   GError     **error);
/* "1e-2,0.1,1" -> doubles; each must be finite. */
GArray *vesicle_cli_parse_doubles (const char  *option,
                                   const char  *text,
                                   GError     **error);
/* "100,100" -> guints; "" or "none" -> empty. */
GArray *vesicle_cli_parse_uints   (const char  *option,
                                   const char  *text,
                                   gboolean     allow_empty,
                                   GError     **error);
/* The bundled MNIST subset: installed data dir, else the source tree's. */
char   *vesicle_cli_default_dataset (void);

/* The preset of @type (NULL: quick) with every KEY=VALUE of @sets applied. */
JsonObject *vesicle_cli_experiment_config (const VesicleExperimentType *type,
                                           const char                  *preset,
                                           char                       **sets,
                                           GError                     **error);

/* Runs the experiment with progress on stderr (nothing with @quiet); SIGINT and SIGTERM cancel
 * it, and the folder keeps what was done. Returns the exit status: 0, 1 (failed, the error
 * printed naming @command) or 130 (cancelled). */
int     vesicle_cli_run_experiment (const char                     *command,
                                    const VesicleExperimentType    *type,
                                    const VesicleExperimentOptions *options,
                                    gboolean                        quiet);

G_END_DECLS
