/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What stands between an experiment run and its folder, before the first byte is written: the
 * folder resolved once (a link given as the folder is followed there and nowhere after), the
 * folder's lock (one writer; a sweep cell shares it and holds its own cell's), no symbolic link
 * where the experiment writes (a run folder or result file planted as a link to elsewhere is
 * refused), and, for a resume, the record read again under the lock. Checkpoints are not read
 * here: the runner restores each one (header, size and CRC checked) before its first write, so a
 * damaged one is refused while every file is still as it was.
 * Private to the runner (vesicle-experiment.c).
 */
#pragma once

#include "vesicle-experiment.h"
#include "vesicle-folder-lock.h"

G_BEGIN_DECLS

typedef struct {
  char              *dir;        /* the folder, resolved */
  VesicleFolderLock *lock;
  VesicleFolderLock *cell_lock;  /* a sweep cell's own */
  gboolean           created;    /* the folder did not exist before */
} VesicleExperimentGuard;

gboolean vesicle_experiment_guard_begin (VesicleExperimentGuard *guard,
                                         const char             *out_dir,
                                         VesicleExperimentMode   mode,
                                         guint                   cell,
                                         gboolean                wait,
                                         GCancellable           *cancellable,
                                         GError                **error);
/* Releases the locks; with @discard, removes a folder that begin created and that nothing
 * else was written into (a run that failed before it wrote anything leaves no trace). */
void     vesicle_experiment_guard_end   (VesicleExperimentGuard *guard,
                                         gboolean                discard);

G_END_DECLS
