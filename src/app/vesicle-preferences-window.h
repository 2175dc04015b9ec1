/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: the OpenCL device (with its platform, driver, compute units and memory, and
 * diagnostics to copy), the kernel cache (where, how big, clear it), the export defaults and the
 * experiments folder. Everything is a GSettings key; the window only shows and sets them.
 */
#pragma once

#include <adwaita.h>
#include "vesicle-application.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_PREFERENCES_WINDOW (vesicle_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (VesiclePreferencesWindow, vesicle_preferences_window, VESICLE,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow *vesicle_preferences_window_new (VesicleApplication *app,
                                           GtkWindow          *parent);

G_END_DECLS
