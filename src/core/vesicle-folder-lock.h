/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One writer per folder. Every process that writes an experiment folder (a training run, a
 * resume, a merge, a rename, an export into it, the window) first takes an advisory lock
 * (flock) on a lock file in it, .vesicle.lock. The kernel releases it when the process ends, so
 * a crash never leaves a stale lock. A second writer is refused at once, with a message naming
 * the holder (host, pid, command and since when, which the holder writes into the lock file), or
 * waits for it if asked. Readers (figures, reopening) take no lock: every file is replaced
 * whole (vesicle-file.h), so they never see half of one.
 *
 * A sweep's cells train into one experiment folder at once: each takes the folder's lock shared
 * (so a merge, which takes it whole, waits for them all) and its own cell's lock whole (so the
 * same cell never trains twice at once, as a scheduler that reruns a task would make it).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VESICLE_FOLDER_LOCK_NAME ".vesicle.lock"

typedef struct _VesicleFolderLock VesicleFolderLock;

/* Takes the lock of @dir (@name: the lock file's name in it; NULL: the folder's own lock),
 * shared or whole. Refused with G_IO_ERROR_BUSY while another process holds it in a way that
 * conflicts, unless @wait: then it waits (until @cancellable is cancelled). The error names the
 * folder and the holder. */
VesicleFolderLock *vesicle_folder_lock_acquire (const char    *dir,
                                                const char    *name,
                                                gboolean       shared,
                                                gboolean       wait,
                                                GCancellable  *cancellable,
                                                GError       **error);
/* Releases it (closes the lock file; the file itself stays, empty). */
void               vesicle_folder_lock_release (VesicleFolderLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleFolderLock, vesicle_folder_lock_release)

G_END_DECLS
