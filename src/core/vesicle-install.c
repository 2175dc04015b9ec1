/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-install.h"
#include "vesicle-build-config.h"

/* The prefix is the folder above the executable's bindir ("bin" in <prefix>/bin/vesicle); an
 * executable anywhere else runs from the build tree. Linux names the executable in /proc. */
char *
vesicle_install_prefix (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *bindir_suffix = NULL;

  if (exe == NULL)
    return NULL;
  dir = g_path_get_dirname (exe);
  bindir_suffix = g_strconcat (G_DIR_SEPARATOR_S, VESICLE_BINDIR, NULL);
  if (!g_str_has_suffix (dir, bindir_suffix))
    return NULL;
  return g_strndup (dir, strlen (dir) - strlen (bindir_suffix));
}

static char *
installed_path (const char *relative,
                const char *uninstalled)
{
  g_autofree char *prefix = vesicle_install_prefix ();

  if (prefix == NULL)
    return g_strdup (uninstalled);
  return g_build_filename (prefix, relative, NULL);
}

/* The bundled dataset and other read-only data: <datadir>/vesicle, or the source data/. */
char *
vesicle_install_datadir (void)
{
  return installed_path (VESICLE_DATADIR_REL G_DIR_SEPARATOR_S "vesicle",
                         VESICLE_SOURCE_DATADIR);
}

/* The compiled translations: <localedir>, or the build tree's po/ (where meson builds the
 * .mo files in <lang>/LC_MESSAGES). */
char *
vesicle_install_localedir (void)
{
  return installed_path (VESICLE_LOCALEDIR_REL, VESICLE_BUILD_LOCALEDIR);
}

/* The compiled settings schema next to the program: <datadir>/glib-2.0/schemas, or the build
 * tree's data/. The system's schema sources come first; this one is for a prefix they lack. */
char *
vesicle_install_schemadir (void)
{
  return installed_path (VESICLE_DATADIR_REL G_DIR_SEPARATOR_S "glib-2.0" G_DIR_SEPARATOR_S
                         "schemas", VESICLE_BUILD_SCHEMADIR);
}
