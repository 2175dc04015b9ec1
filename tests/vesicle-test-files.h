/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Temporary folders for the tests: one made per test, removed with everything in it.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* A new empty folder under the temporary directory, "vesicle-<what>-XXXXXX". */
static G_GNUC_UNUSED char *
vesicle_test_tmp_dir (const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pattern = g_strdup_printf ("vesicle-%s-XXXXXX", what);
  char *dir = g_dir_make_tmp (pattern, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/* Removes @path and everything under it (never following a link out of it). */
static G_GNUC_UNUSED void
vesicle_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        vesicle_test_remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}
