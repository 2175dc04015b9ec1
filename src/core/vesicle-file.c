/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-file.h"
#include "vesicle-folder-lock.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
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

/* What a path is when it is not a regular file, in words; NULL for a regular file. */
static const char *
describe_not_regular (mode_t mode)
{
  if (S_ISREG (mode))
    return NULL;
  if (S_ISDIR (mode))
    return "is a folder, not a file";
  if (S_ISFIFO (mode))
    return "is a named pipe (FIFO), not a file";
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return "is a device, not a file";
  if (S_ISSOCK (mode))
    return "is a socket, not a file";
  return "is not a regular file";
}

static void
set_open_error (GError    **error,
                int          saved,
                const char  *path)
{
  switch (saved)
    {
    case ELOOP:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                   "%s: a loop of symbolic links", path);
      break;
    case EACCES:
    case EPERM:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "%s: permission denied", path);
      break;
    case ENOENT:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such file", path);
      break;
    default:
      set_errno_error (error, saved, path, "open");
    }
}

/* ---- reading --------------------------------------------------------------------------------- */

int
vesicle_file_open_regular (const char  *path,
                           struct stat *st,
                           GError     **error)
{
  struct stat local_st;
  const char *what;
  int fd;

  if (st == NULL)
    st = &local_st;
  /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_open_error (error, errno, path);
      return -1;
    }
  if (fstat (fd, st) != 0)
    {
      set_errno_error (error, errno, path, "read the file's status");
      close (fd);
      return -1;
    }
  if ((what = describe_not_regular (st->st_mode)) != NULL)
    {
      g_set_error (error, G_IO_ERROR,
                   S_ISDIR (st->st_mode) ? G_IO_ERROR_IS_DIRECTORY : G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s: %s", path, what);
      close (fd);
      return -1;
    }
  /* a regular file: reads block as usual */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

gboolean
vesicle_file_read_exact (int          fd,
                         void        *buffer,
                         gsize        length,
                         const char  *path,
                         GError     **error)
{
  char *p = buffer;

  while (length > 0)
    {
      /* in slices, so that no single call runs long */
      ssize_t n = read (fd, p, MIN (length, (gsize) 1 << 24));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, path, "read");
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                       "%s: ends before its end (cut short while being read?)", path);
          return FALSE;
        }
      p += n;
      length -= n;
    }
  return TRUE;
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

char *
vesicle_file_read_bounded (const char  *path,
                           gsize        max_length,
                           gsize       *length,
                           GError     **error)
{
  g_autofree char *data = NULL;
  struct stat st;
  int fd;

  if ((fd = vesicle_file_open_regular (path, &st, error)) < 0)
    return NULL;
  if ((guint64) st.st_size > max_length)
    {
      g_autofree char *size = format_size (st.st_size);
      g_autofree char *max = format_size (max_length);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "%s: %s, larger than the %s Vesicle reads from such a file", path, size, max);
      close (fd);
      return NULL;
    }
  /* what the file held when it was opened, and not a byte more even if it grows */
  data = g_malloc (st.st_size + 1);
  if (!vesicle_file_read_exact (fd, data, st.st_size, path, error))
    {
      close (fd);
      return NULL;
    }
  close (fd);
  data[st.st_size] = '\0';
  if (length)
    *length = st.st_size;
  return g_steal_pointer (&data);
}

/* ---- paths inside a folder ------------------------------------------------------------------- */

gboolean
vesicle_file_check_relative (const char  *relative,
                             const char  *source,
                             GError     **error)
{
  const char *why = NULL;

  if (relative == NULL || *relative == '\0')
    why = "is empty";
  else if (g_path_is_absolute (relative) || relative[0] == '~')
    why = "is not relative to the folder";
  else
    {
      g_auto(GStrv) parts = g_strsplit (relative, "/", -1);

      for (guint i = 0; parts[i] && why == NULL; i++)
        if (g_str_equal (parts[i], ".."))
          why = "leads out of the folder (\"..\")";
      for (const char *p = relative; *p && why == NULL; p++)
        if ((guchar) *p < 0x20 || *p == '\\')
          why = "holds a control character or a backslash";
    }
  if (why == NULL)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "%s: the path \"%s\" %s",
               source, relative ? relative : "", why);
  return FALSE;
}

char *
vesicle_file_inside (const char  *root,
                     const char  *relative,
                     const char  *source,
                     GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *path = NULL;

  if (!vesicle_file_check_relative (relative, source, error))
    return NULL;
  parts = g_strsplit (relative, "/", -1);
  path = g_strdup (root);
  for (guint i = 0; parts[i]; i++)
    {
      GStatBuf st;
      char *next;

      if (*parts[i] == '\0' || g_str_equal (parts[i], "."))
        continue;
      next = g_build_filename (path, parts[i], NULL);
      g_free (path);
      path = next;
      if (g_lstat (path, &st) != 0)
        break;   /* missing: nothing below it exists either */
      if (S_ISLNK (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "%s: %s is a symbolic link; Vesicle reads and writes only inside %s, "
                       "and does not follow links out of it", source, path, root);
          return NULL;
        }
    }
  return g_steal_pointer (&path);
}

gboolean
vesicle_file_check_real_dir (const char  *dir,
                             GError     **error)
{
  GStatBuf st;

  if (g_lstat (dir, &st) != 0)
    return TRUE;
  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s is a symbolic link: an experiment writes only into folders of its own, "
                   "never through a link to somewhere else", dir);
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   "%s %s, where a run folder belongs", dir, describe_not_regular (st.st_mode)
                   ? describe_not_regular (st.st_mode) : "is a file, not a folder");
      return FALSE;
    }
  return TRUE;
}

/* ---- writing --------------------------------------------------------------------------------- */

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

  /* DURABLE: fsync the temporary file before the rename, also for a new file. The rename
   * replaces whatever entry @path is, a link included, and never writes through it. */
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
  /* O_NOFOLLOW: a link planted in place of a results file must not carry rows elsewhere */
  int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                   0666);
  struct stat st;
  off_t start;

  if (fd < 0)
    {
      if (errno == ELOOP)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "%s: is a symbolic link; Vesicle appends only to its own files", path);
          return FALSE;
        }
      return set_errno_error (error, errno, path, "open for writing");
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "%s: %s", path,
                   describe_not_regular (st.st_mode) ? describe_not_regular (st.st_mode)
                                                     : "cannot be read");
      close (fd);
      return FALSE;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
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
vesicle_file_is_experiment_own (const char *name)
{
  static const char *const own[] = {
    "experiment.json", "summary.json", "run.json", "metrics.csv", "checkpoint.bin",
    "sweep.json", "cells", VESICLE_FOLDER_LOCK_NAME,
  };

  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    if (g_str_equal (name, own[i]))
      return TRUE;
  /* run folders are cohort-0, cohort-1, …: "cohort-3.png" is an export's own name */
  if (g_str_has_prefix (name, "cohort-") && name[7] != '\0'
      && strspn (name + 7, "0123456789") == strlen (name + 7))
    return TRUE;
  return g_str_has_suffix (name, ".npy");
}

static gboolean
holds_experiment (const char *dir)
{
  g_autofree char *experiment = g_build_filename (dir, "experiment.json", NULL);
  g_autofree char *sweep = g_build_filename (dir, "sweep.json", NULL);

  return g_file_test (experiment, G_FILE_TEST_EXISTS) || g_file_test (sweep, G_FILE_TEST_EXISTS);
}

/* The experiment folder @dir belongs to (itself, or the one above a run folder or a sweep's
 * cells/), or NULL. */
static char *
experiment_folder_of (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);

  if (holds_experiment (dir))
    return g_strdup (dir);
  if (holds_experiment (parent))
    return g_steal_pointer (&parent);
  return NULL;
}

gboolean
vesicle_file_write_export (const char  *path,
                           const char  *what,
                           const void  *data,
                           gsize        length,
                           GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *experiment = NULL;
  g_autoptr(VesicleFolderLock) lock = NULL;
  GError *local = NULL;
  GStatBuf st;

  /* a link is written through to the file it names, as cp does; the file it names must be a
   * file (a dangling link is refused, as cp refuses it) */
  if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
    {
      if (!(target = realpath (path, NULL)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "Cannot write the %s “%s”: it is a symbolic link to nothing that "
                       "exists", what, path);
          return FALSE;
        }
    }
  else
    target = g_strdup (path);
  if (g_stat (target, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "Cannot write the %s “%s”: it %s, and an export only creates or replaces "
                   "files", what, path, describe_not_regular (st.st_mode));
      return FALSE;
    }
  {
    g_autofree char *given_dir = g_path_get_dirname (target);
    char *real_dir = realpath (given_dir, NULL);

    dir = real_dir ? g_strdup (real_dir) : g_strdup (given_dir);
    free (real_dir);
  }
  name = g_path_get_basename (target);
  experiment = experiment_folder_of (dir);
  if (experiment && (vesicle_file_is_experiment_own (name) || g_str_has_suffix (dir, "/cells")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "Cannot write the %s “%s”: it is one of the experiment's own files in %s; "
                   "choose another name", what, path, experiment);
      return FALSE;
    }
  /* into an experiment folder: not while another process writes it */
  if (experiment && !(lock = vesicle_folder_lock_acquire (experiment, NULL, FALSE, FALSE, NULL,
                                                          &local)))
    {
      g_propagate_prefixed_error (error, local, "Cannot write the %s “%s”: ", what, path);
      return FALSE;
    }
  {
    g_autofree char *final = g_build_filename (dir, name, NULL);

    if (!vesicle_file_write_atomic (final, data, length, &local))
      {
        g_propagate_prefixed_error (error, local, "Cannot write the %s “%s”: ", what, path);
        return FALSE;
      }
  }
  return TRUE;
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

/* NAME.XXXXXX as g_file_set_contents names its temporary files (g_mkstemp's six letters and
 * digits), for a NAME that Vesicle writes. */
static gboolean
is_stale_temporary (const char *name)
{
  static const char *const suffixes[] = { ".json", ".npy", ".bin", ".csv" };
  gsize len = strlen (name);
  g_autofree char *base = NULL;

  if (len < 8 || name[len - 7] != '.')
    return FALSE;
  for (gsize i = len - 6; i < len; i++)
    if (!g_ascii_isalnum (name[i]))
      return FALSE;
  base = g_strndup (name, len - 7);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (base, suffixes[i]))
      return TRUE;
  return FALSE;
}

static guint
remove_stale_in (const char *dir,
                 gboolean    descend)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint removed = 0;

  if (listing == NULL)
    return 0;
  while ((name = g_dir_read_name (listing)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISREG (st.st_mode) && is_stale_temporary (name) && g_unlink (path) == 0)
        removed++;
      else if (descend && S_ISDIR (st.st_mode))
        removed += remove_stale_in (path, FALSE);
    }
  return removed;
}

guint
vesicle_file_remove_stale_temporaries (const char *dir)
{
  return remove_stale_in (dir, TRUE);
}
