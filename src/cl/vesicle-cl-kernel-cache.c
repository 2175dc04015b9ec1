/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cl-kernel-cache.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>

char *
vesicle_cl_kernel_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "vesicle", "kernels", NULL);
}

guint64
vesicle_cl_kernel_cache_size (void)
{
  g_autofree char *dir = vesicle_cl_kernel_cache_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  return total;
}

gboolean
vesicle_cl_kernel_cache_clear (GError **error)
{
  g_autofree char *dir = vesicle_cl_kernel_cache_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  /* no cache yet is an empty one */
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_remove (path) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s: cannot remove: %s", path, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}
