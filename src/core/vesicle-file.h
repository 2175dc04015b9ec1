/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Result files that survive a crash or a power cut: written whole to a temporary file, synced,
 * renamed over the old one and the folder synced, so a reader sees either the previous complete
 * file or the new one, never half of one. Every result Vesicle writes goes through here.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The error names @path and the system's reason; the previous file survives a failure. */
gboolean vesicle_file_write_atomic  (const char  *path,
                                     const void  *data,
                                     gsize        length,
                                     GError     **error);
/* Appends @length bytes to @path (created if missing) and syncs it: a row that was reported
 * written is on the disk, and one that failed (disk full) is cut off again. */
gboolean vesicle_file_append_synced (const char  *path,
                                     const void  *data,
                                     gsize        length,
                                     GError     **error);

/* Creates @path and the folders above it that are missing; the error names @path. */
gboolean vesicle_file_make_dir      (const char  *path,
                                     GError     **error);

G_END_DECLS
