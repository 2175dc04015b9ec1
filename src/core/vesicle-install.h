/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the running program's files are: the prefix it was installed into, found from the
 * executable's own path so that an install moved elsewhere (meson install --destdir, a
 * relocated tarball, Flatpak's /app) still finds its data; or, run from the build tree, the
 * source and build folders.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *vesicle_install_prefix     (void);
char *vesicle_install_datadir    (void);
char *vesicle_install_localedir  (void);
char *vesicle_install_schemadir  (void);

G_END_DECLS
