/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-reproduction-folder.h"
#include "vesicle-folder-task.h"
#include "vesicle-reproduction.h"
#include "vesicle-file.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

G_DEFINE_QUARK (vesicle-reproduction-folder-error-quark, vesicle_reproduction_folder_error)

static gboolean
has_experiment_json (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "experiment.json", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
vesicle_reproduction_folder_detect (const char *dir)
{
  const VesicleExperimentType *const *types;
  guint n;

  g_return_val_if_fail (dir != NULL, FALSE);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) || has_experiment_json (dir))
    return FALSE;
  types = vesicle_reproduction_experiments (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, types[i]->name, NULL);

      if (has_experiment_json (sub))
        return TRUE;
    }
  return FALSE;
}

void
vesicle_reproduction_folder_free (VesicleReproductionFolder *folder)
{
  if (folder == NULL)
    return;
  for (guint i = 0; i < folder->n; i++)
    {
      vesicle_experiment_record_free (folder->experiments[i]);
      g_free (folder->problems[i]);
    }
  g_free (folder->experiments);
  g_free (folder->problems);
  g_free (folder->dir);
  g_free (folder->preset);
  g_clear_pointer (&folder->started, g_date_time_unref);
  g_free (folder->report);
  g_clear_pointer (&folder->rows, g_ptr_array_unref);
  g_free (folder->rows_error);
  g_free (folder);
}

guint
vesicle_reproduction_folder_n_completed (const VesicleReproductionFolder *folder)
{
  guint done = 0;

  for (guint i = 0; i < folder->n; i++)
    if (folder->experiments[i] && folder->experiments[i]->status == VESICLE_RUN_COMPLETED)
      done++;
  return done;
}

VesicleReproductionFolder *
vesicle_reproduction_folder_load (const char  *dir,
                                  gboolean     rows,
                                  GError     **error)
{
  g_autoptr(VesicleReproductionFolder) folder = NULL;
  const VesicleExperimentType *const *types;
  g_autofree char *report = NULL;
  gboolean presets_differ = FALSE;

  g_return_val_if_fail (dir != NULL, NULL);
  /* first whether it is one at all: a folder that is not may still be an experiment */
  if (!vesicle_reproduction_folder_detect (dir))
    {
      g_set_error (error, VESICLE_REPRODUCTION_FOLDER_ERROR,
                   VESICLE_REPRODUCTION_FOLDER_ERROR_NOT_ONE,
                   "%s: holds neither an experiment (experiment.json) nor a reproduction of "
                   "the paper (costs/, tradeoff/, … each with its experiment.json)", dir);
      return NULL;
    }
  if (!vesicle_file_check_real_dir (dir, error))
    return NULL;
  folder = g_new0 (VesicleReproductionFolder, 1);
  folder->dir = g_strdup (dir);
  types = vesicle_reproduction_experiments (&folder->n);
  folder->experiments = g_new0 (VesicleExperimentRecord *, folder->n);
  folder->problems = g_new0 (char *, folder->n);
  for (guint i = 0; i < folder->n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, types[i]->name, NULL);
      g_autoptr(GError) local = NULL;
      VesicleExperimentRecord *rec;

      if (!has_experiment_json (sub))
        continue;
      if (!(rec = vesicle_experiment_record_load (sub, &local)))
        {
          folder->problems[i] = g_strdup (local->message);
          continue;
        }
      folder->experiments[i] = rec;
      if (folder->started == NULL && rec->started)
        folder->started = g_date_time_ref (rec->started);
      if (folder->preset == NULL && !presets_differ)
        folder->preset = g_strdup (rec->preset);
      else if (g_strcmp0 (folder->preset, rec->preset) != 0)
        {
          presets_differ = TRUE;
          g_clear_pointer (&folder->preset, g_free);
        }
    }
  report = g_build_filename (dir, "report.pdf", NULL);
  if (g_file_test (report, G_FILE_TEST_IS_REGULAR)
      && !g_file_test (report, G_FILE_TEST_IS_SYMLINK))
    folder->report = g_steal_pointer (&report);
  if (rows)
    {
      g_autoptr(GError) local = NULL;

      if (!(folder->rows = vesicle_reproduction_rows (dir, NULL, &local)))
        folder->rows_error = g_strdup (local->message);
    }
  return g_steal_pointer (&folder);
}

char *
vesicle_reproduction_folder_report_path (const char  *dir,
                                         GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s is not a regular file (%s); the report is not written through it",
                   path, S_ISLNK (st.st_mode) ? "a symbolic link" : "a folder or a device");
      return NULL;
    }
  return g_steal_pointer (&path);
}

static gpointer
load_folder (const char  *dir,
             gboolean     rows,
             GError     **error)
{
  return vesicle_reproduction_folder_load (dir, rows, error);
}

void
vesicle_reproduction_folder_load_async (const char          *dir,
                                        gboolean             rows,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  vesicle_folder_task_run (dir, rows, load_folder,
                           (GDestroyNotify) vesicle_reproduction_folder_free,
                           vesicle_reproduction_folder_load_async, cancellable, callback,
                           user_data);
}

VesicleReproductionFolder *
vesicle_reproduction_folder_load_finish (GAsyncResult  *result,
                                         GError       **error)
{
  return vesicle_folder_task_finish (result, vesicle_reproduction_folder_load_async, error);
}

typedef struct {
  char   *path;
  gint64  modified;
} Saved;

static void
saved_free (gpointer data)
{
  Saved *saved = data;

  g_free (saved->path);
  g_free (saved);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const Saved *x = *(Saved *const *) a, *y = *(Saved *const *) b;

  return x->modified < y->modified ? 1 : x->modified > y->modified ? -1
                                       : g_strcmp0 (x->path, y->path);
}

GPtrArray *
vesicle_saved_folders_list (const char *parent,
                            guint       max)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (saved_free);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = parent ? g_dir_open (parent, 0, NULL) : NULL;
  const char *name;

  /* a folder of thousands is read once, and only its names and a stat each */
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (parent, name, NULL);
      g_autofree char *json = g_build_filename (path, "experiment.json", NULL);
      GStatBuf st;
      Saved *saved;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      if (!g_file_test (json, G_FILE_TEST_IS_REGULAR) && !vesicle_reproduction_folder_detect (path))
        continue;
      saved = g_new0 (Saved, 1);
      saved->modified = g_stat (path, &st) == 0 ? (gint64) st.st_mtime : 0;
      saved->path = g_steal_pointer (&path);
      g_ptr_array_add (found, saved);
    }
  g_ptr_array_sort (found, newest_first);
  for (guint i = 0; i < found->len && i < max; i++)
    g_ptr_array_add (out, g_strdup (((Saved *) g_ptr_array_index (found, i))->path));
  return out;
}
