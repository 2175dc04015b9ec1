/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int vesicle_cli_train       (int argc, char **argv);
int vesicle_cli_bench       (int argc, char **argv);
int vesicle_cli_devices     (int argc, char **argv);
int vesicle_cli_experiment  (int argc, char **argv);
int vesicle_cli_figure      (int argc, char **argv);

/* Print "vesicle-cli COMMAND: message" to stderr and return 1; the caller keeps the error. */
int vesicle_cli_fail        (const char *command, const GError *error);
int vesicle_cli_fail_msg    (const char *command, const char *message);

G_END_DECLS
