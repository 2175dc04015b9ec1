/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reproduction folder read back as one saved thing: the experiments of
 * vesicle_reproduction_experiments in their subfolders (costs/, tradeoff/, …), the report PDF
 * beside them, and, on request, the report's rows. `vesicle-cli reproduce` and the window's
 * "Reproduce the paper" write such folders; the window reopens them from here.
 */
#pragma once

#include "vesicle-experiment-record.h"

G_BEGIN_DECLS

typedef struct {
  char                     *dir;
  guint                     n;            /* vesicle_reproduction_experiments' count */
  VesicleExperimentRecord **experiments;  /* n: each experiment's record, in the order they
                                           * run; NULL where it was not run or cannot be read */
  char                    **problems;     /* n: why that experiment cannot be read, or NULL */
  char                     *preset;       /* the experiments' preset; NULL when they differ */
  GDateTime                *started;      /* the first experiment's start, or NULL */
  char                     *report;       /* DIR/report.pdf when it exists, else NULL */
  GPtrArray                *rows;         /* VesicleReproductionRow, when loaded with rows */
  char                     *rows_error;   /* why the rows could not be made, or NULL */
} VesicleReproductionFolder;

/* The error of a folder that is not a reproduction (it may still be one experiment). */
#define VESICLE_REPRODUCTION_FOLDER_ERROR (vesicle_reproduction_folder_error_quark ())
typedef enum {
  VESICLE_REPRODUCTION_FOLDER_ERROR_NOT_ONE,
} VesicleReproductionFolderError;
GQuark                     vesicle_reproduction_folder_error_quark (void);

/* Whether @dir looks like a reproduction: no experiment.json of its own, and at least one
 * experiment subfolder of the reproduction. A handful of stat calls; reads no file. */
gboolean                   vesicle_reproduction_folder_detect      (const char   *dir);
/* Reads @dir, and with @rows the report's rows too. Fails when @dir is not a reproduction
 * folder (VESICLE_REPRODUCTION_FOLDER_ERROR_NOT_ONE, naming it) or is a symbolic link; an
 * experiment that cannot be read is kept in problems, so the rest still shows. */
VesicleReproductionFolder *vesicle_reproduction_folder_load        (const char   *dir,
                                                                    gboolean      rows,
                                                                    GError      **error);
void                       vesicle_reproduction_folder_free        (VesicleReproductionFolder *folder);
/* Where the report of @dir goes: DIR/report.pdf, refused (the error says why) when something
 * other than a regular file is there, a symbolic link above all: writing through it would write
 * outside the folder. */
char                      *vesicle_reproduction_folder_report_path (const char   *dir,
                                                                    GError      **error);
/* How many experiments completed. */
guint                      vesicle_reproduction_folder_n_completed (const VesicleReproductionFolder *folder);
/* The same, in a worker thread. */
void                       vesicle_reproduction_folder_load_async  (const char          *dir,
                                                                    gboolean             rows,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
VesicleReproductionFolder *vesicle_reproduction_folder_load_finish (GAsyncResult        *result,
                                                                    GError             **error);

/* The saved things directly under @parent, newest first: subfolders holding an experiment
 * (experiment.json) or a reproduction, at most @max. Symbolic links are not followed. An
 * unreadable or missing @parent lists nothing. */
GPtrArray                 *vesicle_saved_folders_list              (const char          *parent,
                                                                    guint                max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleReproductionFolder, vesicle_reproduction_folder_free)

G_END_DECLS
