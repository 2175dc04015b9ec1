/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What confines a folder: a path read from a file (summary.json's arrays, experiment.json's
 * runs) resolved inside it (vesicle_file_inside), and the lock file's holder line, as a second
 * writer reads it to name the holder (vesicle-folder-lock.c). Input: the path, then the lock
 * file's content, separated by a "\n--8<--\n" line. The folder holds a run folder, a file, and
 * a symbolic link out of it, made once.
 */
#include "vesicle-fuzz.h"
#include "vesicle-file.h"
#include "vesicle-folder-lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
folder (void)
{
  static char *root;

  if (root == NULL)
    {
      g_autofree char *run = NULL, *file = NULL, *link = NULL;

      root = g_build_filename (vesicle_fuzz_dir (), "exp", NULL);
      run = g_build_filename (root, "cohort-0", NULL);
      file = g_build_filename (run, "mu.npy", NULL);
      link = g_build_filename (root, "out", NULL);
      g_assert (g_mkdir_with_parents (run, 0755) == 0);
      g_assert (g_file_set_contents (file, "x", 1, NULL));
      g_assert (symlink (g_get_tmp_dir (), link) == 0);
    }
  return root;
}

/* No part of @path below @root is a link, and it has no ".." part. */
static void
assert_confined (const char *root,
                 const char *path)
{
  g_autofree char *sub = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *walk = g_strdup (root);

  g_assert (g_str_has_prefix (path, root));
  g_assert (path[strlen (root)] == '\0' || path[strlen (root)] == '/');
  sub = g_strdup (path + strlen (root));
  parts = g_strsplit (sub, "/", -1);
  for (guint i = 0; parts[i]; i++)
    {
      GStatBuf st;
      char *next;

      g_assert_cmpstr (parts[i], !=, "..");
      if (*parts[i] == '\0')
        continue;
      next = g_build_filename (walk, parts[i], NULL);
      g_free (walk);
      walk = next;
      if (g_lstat (walk, &st) == 0)
        g_assert (!S_ISLNK (st.st_mode));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *root = folder ();
  const uint8_t *part;
  size_t part_size;

  if (vesicle_fuzz_next_part (&data, &size, &part, &part_size))
    {
      g_autofree char *relative = g_strndup ((const char *) part, part_size);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = vesicle_file_inside (root, relative, "summary.json", &error);

      g_assert ((path == NULL) == (error != NULL));
      if (path)
        assert_confined (root, path);
      else
        g_assert (g_utf8_validate (error->message, -1, NULL) || !g_utf8_validate (relative, -1, NULL));
    }
  if (vesicle_fuzz_next_part (&data, &size, &part, &part_size))
    {
      g_autofree char *lock_path = g_build_filename (root, VESICLE_FOLDER_LOCK_NAME, NULL);
      g_autoptr(GError) error = NULL;
      VesicleFolderLock *lock;
      int held;

      /* another process's lock, with this as its holder line */
      g_assert (g_file_set_contents (lock_path, (const char *) part, (gssize) part_size, NULL));
      held = g_open (lock_path, O_RDWR | O_CLOEXEC, 0);
      g_assert (held >= 0 && flock (held, LOCK_EX) == 0);
      lock = vesicle_folder_lock_acquire (root, NULL, FALSE, FALSE, NULL, &error);
      g_assert_null (lock);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      /* the holder is named in printable text on one line, whatever the file held */
      g_assert (g_utf8_validate (error->message, -1, NULL));
      for (const char *p = error->message; *p; p++)
        g_assert ((guchar) *p >= 0x20);
      close (held);
      /* free again: taken, and given back */
      lock = vesicle_folder_lock_acquire (root, NULL, FALSE, FALSE, NULL, &error);
      g_assert_nonnull (lock);
      vesicle_folder_lock_release (lock);
    }
  return 0;
}
