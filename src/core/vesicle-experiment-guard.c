/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-experiment-guard.h"
#include "vesicle-experiment-record.h"
#include "vesicle-file.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <stdlib.h>

/* Refuses a link among the names @dir's experiment writes, in @dir and in its run folders
 * (@depth 1). */
static gboolean
check_entries (const char  *dir,
               guint        depth,
               GError     **error)
{
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *local = NULL;
  const char *name;

  if (!(listing = g_dir_open (dir, 0, &local)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot list the folder: %s", dir,
                   local->message);
      g_error_free (local);
      return FALSE;
    }
  while ((name = g_dir_read_name (listing)))
    g_ptr_array_add (names, g_strdup (name));
  /* the same order every time, so that the same folder gives the same first error */
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      GStatBuf st;

      if (!vesicle_file_is_experiment_own (entry) || g_lstat (path, &st) != 0)
        continue;
      if (S_ISLNK (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "%s is a symbolic link: an experiment writes only into its own folder, "
                       "never through a link to somewhere else; replace the link by what it "
                       "points to, or remove it", path);
          return FALSE;
        }
      if (S_ISDIR (st.st_mode) && depth == 0 && g_str_has_prefix (entry, "cohort-")
          && !check_entries (path, 1, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
vesicle_experiment_guard_begin (VesicleExperimentGuard *guard,
                                const char             *out_dir,
                                VesicleExperimentMode   mode,
                                guint                   cell,
                                gboolean                wait,
                                GCancellable           *cancellable,
                                GError                **error)
{
  char *resolved;

  memset (guard, 0, sizeof *guard);
  if (!g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      /* going on in a folder: it must be there; what it holds is the point */
      if (mode != VESICLE_EXPERIMENT_FRESH)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "%s: no such experiment folder to go on in", out_dir);
          return FALSE;
        }
      if (!vesicle_file_make_dir (out_dir, error))
        return FALSE;
      guard->created = TRUE;
    }
  else if (!g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   "%s is not a folder; an experiment needs a folder of its own", out_dir);
      return FALSE;
    }
  /* once: a link given as the folder is followed here, and every path below is inside it */
  if (!(resolved = realpath (out_dir, NULL)))
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot resolve the folder: %s", out_dir, g_strerror (saved));
      return FALSE;
    }
  guard->dir = g_strdup (resolved);
  free (resolved);

  if (mode == VESICLE_EXPERIMENT_CELL)
    {
      g_autofree char *name = g_strdup_printf ("cells/%u.lock", cell);
      g_autofree char *cells = g_build_filename (guard->dir, "cells", NULL);

      /* cells train side by side; the same cell never twice at once */
      if (!vesicle_file_check_real_dir (cells, error)
          || !vesicle_file_make_dir (cells, error)
          || !(guard->lock = vesicle_folder_lock_acquire (guard->dir, NULL, TRUE, wait,
                                                          cancellable, error))
          || !(guard->cell_lock = vesicle_folder_lock_acquire (guard->dir, name, FALSE, wait,
                                                               cancellable, error)))
        {
          g_prefix_error (error, "cell %u: ", cell);
          vesicle_experiment_guard_end (guard, FALSE);
          return FALSE;
        }
    }
  else
    {
      if (!(guard->lock = vesicle_folder_lock_acquire (guard->dir, NULL, FALSE, wait, cancellable,
                                                       error)))
        {
          vesicle_experiment_guard_end (guard, FALSE);
          return FALSE;
        }
    }
  /* what the folder says, now that no other process here can change it: a resume that waited
   * for another may find its work done */
  if (mode == VESICLE_EXPERIMENT_RESUME)
    {
      VesicleExperimentRecord *rec = vesicle_experiment_record_load (guard->dir, error);
      gboolean ok = rec && vesicle_experiment_record_can_resume (rec, error);

      vesicle_experiment_record_free (rec);
      if (!ok)
        {
          vesicle_experiment_guard_end (guard, FALSE);
          return FALSE;
        }
    }
  if (!check_entries (guard->dir, 0, error))
    {
      vesicle_experiment_guard_end (guard, FALSE);
      return FALSE;
    }
  return TRUE;
}

void
vesicle_experiment_guard_end (VesicleExperimentGuard *guard,
                              gboolean                discard)
{
  if (discard && guard->created && guard->dir)
    {
      g_autofree char *lock = g_build_filename (guard->dir, VESICLE_FOLDER_LOCK_NAME, NULL);

      /* only what the lock left: a folder that holds anything else stays */
      g_unlink (lock);
      if (g_rmdir (guard->dir) != 0)
        g_debug ("%s: kept: %s", guard->dir, g_strerror (errno));
    }
  g_clear_pointer (&guard->cell_lock, vesicle_folder_lock_release);
  g_clear_pointer (&guard->lock, vesicle_folder_lock_release);
  g_clear_pointer (&guard->dir, g_free);
}
