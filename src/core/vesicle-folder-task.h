/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a folder on a worker thread: the one _async/_finish pair behind every loader that a
 * window calls (an experiment's record, a reproduction), so that no main loop reads a file.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads @dir (@more: whatever the loader reads beyond the essentials); NULL with @error set. */
typedef gpointer (*VesicleFolderLoadFunc) (const char  *dir,
                                           gboolean     more,
                                           GError     **error);

/* Runs @load (@dir, @more) in a worker. Its result goes to @callback through
 * vesicle_folder_task_finish with the same @source_tag, and is freed with @free_result when
 * nobody takes it. */
void     vesicle_folder_task_run    (const char            *dir,
                                     gboolean               more,
                                     VesicleFolderLoadFunc  load,
                                     GDestroyNotify         free_result,
                                     gpointer               source_tag,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data);
gpointer vesicle_folder_task_finish (GAsyncResult          *result,
                                     gpointer               source_tag,
                                     GError               **error);

G_END_DECLS
