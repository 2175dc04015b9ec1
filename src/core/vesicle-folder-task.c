/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-folder-task.h"

typedef struct {
  char                  *dir;
  gboolean               more;
  VesicleFolderLoadFunc  load;
  GDestroyNotify         free_result;
} FolderJob;

static void
folder_job_free (gpointer data)
{
  FolderJob *job = data;

  g_free (job->dir);
  g_free (job);
}

static void
load_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FolderJob *job = task_data;
  GError *error = NULL;
  gpointer result = job->load (job->dir, job->more, &error);

  if (result)
    g_task_return_pointer (task, result, job->free_result);
  else
    g_task_return_error (task, error);
}

void
vesicle_folder_task_run (const char            *dir,
                         gboolean               more,
                         VesicleFolderLoadFunc  load,
                         GDestroyNotify         free_result,
                         gpointer               source_tag,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  FolderJob *job;

  g_return_if_fail (dir != NULL && load != NULL);
  task = g_task_new (NULL, cancellable, callback, user_data);
  job = g_new0 (FolderJob, 1);
  job->dir = g_strdup (dir);
  job->more = more;
  job->load = load;
  job->free_result = free_result;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, folder_job_free);
  g_task_run_in_thread (task, load_in_thread);
}

gpointer
vesicle_folder_task_finish (GAsyncResult  *result,
                            gpointer       source_tag,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
