/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the window shows an experiment's status, the same on every page: its icon and its word.
 */
#pragma once

#include "vesicle-run.h"

G_BEGIN_DECLS

/* A symbolic icon name: a tick, a stop sign, an error, a warning, or loading. */
const char *vesicle_run_status_icon  (VesicleRunStatus status);
/* "Completed", "Cancelled", … (translated) */
const char *vesicle_run_status_words (VesicleRunStatus status);

G_END_DECLS
