/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The disk cache of built kernels ($XDG_CACHE_HOME/vesicle/kernels): where it is, how many bytes
 * it takes, and emptying it (the next run builds the kernels again). The program builder fills
 * it; Preferences and the diagnostics show and clear it. A leaf: GLib only.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *vesicle_cl_kernel_cache_dir   (void);
guint64   vesicle_cl_kernel_cache_size  (void);
gboolean  vesicle_cl_kernel_cache_clear (GError **error);

G_END_DECLS
