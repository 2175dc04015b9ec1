/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-file.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static gboolean
set_errno_error (GError    **error,
                 int          saved,
                 const char  *path,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: cannot %s: %s", path,
               what, g_strerror (saved));
  return FALSE;
}

/* The rename is only durable once the folder's entry is: sync the folder too. Some file
 * systems cannot sync a folder (EINVAL); their rename is as durable as they make it. */
static gboolean
sync_folder_of (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return set_errno_error (error, errno, dir, "open the folder to sync it");
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS)
    {
      int saved = errno;

      close (fd);
      return set_errno_error (error, saved, dir, "sync the folder");
    }
  close (fd);
  return TRUE;
}

gboolean
vesicle_file_write_atomic (const char  *path,
                           const void  *data,
                           gsize        length,
                           GError     **error)
{
  GError *local = NULL;

  /* DURABLE: fsync the temporary file before the rename, also for a new file */
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0666, &local))
    {
      /* GLib's message names the temporary file or the path already */
      g_propagate_error (error, local);
      return FALSE;
    }
  return sync_folder_of (path, error);
}

gboolean
vesicle_file_append_synced (const char  *path,
                            const void  *data,
                            gsize        length,
                            GError     **error)
{
  const char *bytes = data;
  gboolean existed = g_file_test (path, G_FILE_TEST_EXISTS);
  int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  off_t start;

  if (fd < 0)
    return set_errno_error (error, errno, path, "open for writing");
  start = lseek (fd, 0, SEEK_END);
  while (length > 0)
    {
      ssize_t n = write (fd, bytes, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : ENOSPC;

          /* no half row left behind: the file ends where it did */
          if (start >= 0 && ftruncate (fd, start) != 0)
            g_debug ("%s: cannot cut a failed append back: %s", path, g_strerror (errno));
          close (fd);
          return set_errno_error (error, saved, path, "write");
        }
      bytes += n;
      length -= n;
    }
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;

      close (fd);
      return set_errno_error (error, saved, path, "sync");
    }
  if (close (fd) != 0)
    return set_errno_error (error, errno, path, "write");
  return existed || sync_folder_of (path, error);
}

gboolean
vesicle_file_make_dir (const char  *path,
                       GError     **error)
{
  int saved;

  if (g_mkdir_with_parents (path, 0755) == 0)
    return TRUE;
  saved = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "%s: cannot create the folder: %s", path, g_strerror (saved));
  return FALSE;
}
