/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "vesicle-cli-common.h"

G_BEGIN_DECLS

int vesicle_cli_train       (int argc, char **argv);
int vesicle_cli_bench       (int argc, char **argv);
int vesicle_cli_devices     (int argc, char **argv);
int vesicle_cli_experiment  (int argc, char **argv);
int vesicle_cli_figure      (int argc, char **argv);
int vesicle_cli_report      (int argc, char **argv);
int vesicle_cli_reproduce   (int argc, char **argv);
int vesicle_cli_sweep       (int argc, char **argv);
int vesicle_cli_tune        (int argc, char **argv);

G_END_DECLS
