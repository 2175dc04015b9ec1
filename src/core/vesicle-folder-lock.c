/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * flock(2) rather than fcntl locks: two opens in one process conflict too (the window running
 * an experiment and exporting into the same folder), and the lock goes with the open file, so
 * that closing any other descriptor of the file does not drop it.
 */
#include "vesicle-folder-lock.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* a lock file holds one line; anything longer was not written by Vesicle */
#define HOLDER_MAX 1024

struct _VesicleFolderLock {
  int   fd;
  char *path;
  gboolean shared;
};

/* "pid 1234 on vm: vesicle-cli experiment --resume DIR (since 2026-12-07 08:41:07)" */
static char *
describe_self (void)
{
  g_autofree char *cmdline = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *since = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  g_autoptr(GString) command = g_string_new (NULL);
  gsize length = 0;

  if (g_file_get_contents ("/proc/self/cmdline", &cmdline, &length, NULL))
    for (gsize i = 0; i < length && command->len < 300; i++)
      g_string_append_c (command, cmdline[i] == '\0' ? ' ' : cmdline[i]);
  g_strstrip (command->str);
  if (command->len == 0)
    g_string_assign (command, g_get_prgname () ? g_get_prgname () : "vesicle");
  /* just the program's name, not the folder it was started from */
  {
    g_autofree char *first = g_strndup (command->str, strcspn (command->str, " "));
    g_autofree char *base = g_path_get_basename (first);

    g_string_erase (command, 0, strlen (first));
    g_string_prepend (command, base);
  }
  return g_strdup_printf ("pid %d on %s: %s (since %s)\n", (int) getpid (), g_get_host_name (),
                          command->str, since);
}

/* What the holder wrote into the lock file, made printable; NULL if nothing. */
static char *
read_holder (int fd)
{
  char buffer[HOLDER_MAX + 1];
  ssize_t n = pread (fd, buffer, HOLDER_MAX, 0);

  if (n <= 0)
    return NULL;
  buffer[n] = '\0';
  buffer[strcspn (buffer, "\n")] = '\0';
  for (char *p = buffer; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p == 0x7f)
      *p = '?';
  if (!g_utf8_validate (buffer, -1, NULL) || *buffer == '\0')
    return NULL;
  return g_strdup (buffer);
}

static void
set_busy (GError    **error,
          const char *dir,
          int         fd,
          gboolean    shared_holders)
{
  g_autofree char *holder = read_holder (fd);

  if (holder)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 "%s is being written by another process (%s); only one may write a folder at "
                 "a time: wait for it to finish", dir, holder);
  else if (shared_holders)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 "%s is being written by sweep cells that are training; only one may write a "
                 "folder at a time: wait for them to finish", dir);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 "%s is being written by another process; only one may write a folder at a "
                 "time: wait for it to finish", dir);
}

VesicleFolderLock *
vesicle_folder_lock_acquire (const char    *dir,
                             const char    *name,
                             gboolean       shared,
                             gboolean       wait,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *path = g_build_filename (dir, name ? name : VESICLE_FOLDER_LOCK_NAME, NULL);
  VesicleFolderLock *lock;
  struct stat st;
  int fd;

  /* O_NOFOLLOW and a regular-file check: a link or a FIFO planted as the lock file is no lock */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot open the folder's lock file: %s", path,
                   saved == ELOOP ? "it is a symbolic link" : g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s: the folder's lock file is not a regular file", path);
      close (fd);
      return NULL;
    }
  for (;;)
    {
      if (flock (fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0)
        break;
      if (errno == EINTR)
        continue;
      if (errno != EWOULDBLOCK)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s: cannot lock the folder: %s", path, g_strerror (saved));
          close (fd);
          return NULL;
        }
      if (!wait)
        {
          /* a holder of the whole lock writes its name; shared holders (cells) write none */
          set_busy (error, dir, fd, !shared);
          close (fd);
          return NULL;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }
      /* polled, so that cancelling (Ctrl-C, the window's Stop) ends the wait at once */
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }

  lock = g_new0 (VesicleFolderLock, 1);
  lock->fd = fd;
  lock->path = g_steal_pointer (&path);
  lock->shared = shared;
  /* the whole lock's holder says who it is; shared holders leave the file empty, so that no
   * earlier holder's name is taken for theirs */
  if (ftruncate (fd, 0) != 0)
    g_debug ("%s: cannot empty the lock file: %s", lock->path, g_strerror (errno));
  if (!shared)
    {
      g_autofree char *self = describe_self ();

      if (pwrite (fd, self, strlen (self), 0) < 0)
        g_debug ("%s: cannot write the holder: %s", lock->path, g_strerror (errno));
    }
  return lock;
}

void
vesicle_folder_lock_release (VesicleFolderLock *lock)
{
  if (lock == NULL)
    return;
  if (!lock->shared && ftruncate (lock->fd, 0) != 0)
    g_debug ("%s: cannot empty the lock file: %s", lock->path, g_strerror (errno));
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}
