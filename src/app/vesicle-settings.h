/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app's settings (GSettings org.vesicle.Vesicle) without an application: the window reads
 * them through VesicleApplication, and the headless fallback, which has no display to start an
 * application on, reads where experiments go from them too.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The schema installed with the app, else the one compiled in the build tree (running
 * uninstalled, and the tests). */
GSettings *vesicle_settings_new                    (void);
/* Where new experiments go: the "experiments-folder" setting, else
 * $XDG_DATA_HOME/vesicle/experiments. */
char      *vesicle_settings_get_experiments_folder (GSettings *settings);

G_END_DECLS
