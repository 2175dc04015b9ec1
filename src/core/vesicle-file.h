/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file Vesicle reads or writes goes through here, because each may be hostile: a folder,
 * a named pipe or a device where a file belongs, a symbolic link out of the folder, a file that
 * never ends.
 *
 * Reading: only regular files are read (a FIFO, device, socket or folder is refused at once,
 * named, and never blocks), and never more than the caller's cap or the size the file had when
 * it was opened.
 *
 * Writing: results are written whole to a temporary file, synced, renamed over the old one and
 * the folder synced, so a reader sees either the previous complete file or the new one, never
 * half of one. Exports (figures, reports, tables) replace only regular files, write through a
 * symbolic link to the file it names (as cp does), and never replace a file an experiment wrote.
 *
 * Paths inside a folder (run folders, arrays named in summary.json) are relative, free of "..",
 * and pass through no symbolic link, so that nothing is read or written outside the folder.
 */
#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* ---- reading --------------------------------------------------------------------------------- */

/* Opens @path for reading if it is a regular file; else -1 with an error that names @path and
 * says what it is instead (a folder, a named pipe, a device, a socket, a symbolic link loop,
 * permission denied, missing). @st receives its status. Close with close(). */
int       vesicle_file_open_regular  (const char  *path,
                                      struct stat *st,
                                      GError     **error);
/* Reads exactly @length bytes from @fd (EINTR retried); a short file is an error naming @path. */
gboolean  vesicle_file_read_exact    (int          fd,
                                      void        *buffer,
                                      gsize        length,
                                      const char  *path,
                                      GError     **error);
/* The whole of a regular file of at most @max_length bytes, NUL-terminated (the NUL not counted
 * in @length, which may be NULL); a larger file is refused, naming both sizes. */
char     *vesicle_file_read_bounded  (const char  *path,
                                      gsize        max_length,
                                      gsize       *length,
                                      GError     **error);

/* ---- paths inside a folder ------------------------------------------------------------------- */

/* @relative, read from a file (@source, for the message), is a path inside a folder: not empty,
 * not absolute, no "..", no backslash or control character. */
gboolean  vesicle_file_check_relative (const char  *relative,
                                       const char  *source,
                                       GError     **error);
/* <@root>/<@relative>, after vesicle_file_check_relative and a check that no part of it that
 * exists below @root is a symbolic link (so it cannot lead outside); NULL with an error. */
char     *vesicle_file_inside         (const char  *root,
                                       const char  *relative,
                                       const char  *source,
                                       GError     **error);

/* ---- writing --------------------------------------------------------------------------------- */

/* The error names @path and the system's reason; the previous file survives a failure. A
 * symbolic link at @path is replaced, not followed. */
gboolean vesicle_file_write_atomic  (const char  *path,
                                     const void  *data,
                                     gsize        length,
                                     GError     **error);
/* Appends @length bytes to @path (created if missing; a symbolic link is refused) and syncs it:
 * a row that was reported written is on the disk, and one that failed (disk full) is cut off
 * again. */
gboolean vesicle_file_append_synced (const char  *path,
                                     const void  *data,
                                     gsize        length,
                                     GError     **error);
/* An export (@what: "PDF figure") of @length bytes to @path, which may be anywhere the user
 * chose. Refused when @path is not a regular file (a device, a FIFO, a socket, a folder), is a
 * dangling symbolic link, or is one of an experiment folder's own files (experiment.json,
 * summary.json, run.json, metrics.csv, a .npy array, a checkpoint, a sweep's files). A symbolic
 * link is written through to the file it names. Into an experiment folder, the write takes the
 * folder's lock (vesicle-folder-lock.h), and is refused while another process writes there. */
gboolean vesicle_file_write_export  (const char  *path,
                                     const char  *what,
                                     const void  *data,
                                     gsize        length,
                                     GError     **error);

/* A name an experiment folder, its run folders or a sweep write (experiment.json, summary.json,
 * run.json, metrics.csv, checkpoint.bin, sweep.json, cells, cohort-N (N a number), *.npy, the
 * lock file):
 * never replaced by an export, and never a symbolic link where an experiment writes. */
gboolean vesicle_file_is_experiment_own (const char *name);

/* Creates @path and the folders above it that are missing; the error names @path. */
gboolean vesicle_file_make_dir      (const char  *path,
                                     GError     **error);
/* Refuses @dir when it is a symbolic link or not a folder (an experiment's run folders must be
 * its own); a missing @dir is fine. */
gboolean vesicle_file_check_real_dir (const char  *dir,
                                      GError     **error);

/* Removes the temporary files that an atomic write killed midway leaves (NAME.XXXXXX, where
 * NAME is one Vesicle writes) in @dir and in the folders directly below it; only a process
 * that holds @dir's lock may call it. Returns how many it removed. */
guint    vesicle_file_remove_stale_temporaries (const char *dir);

G_END_DECLS
