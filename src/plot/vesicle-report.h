/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reproduction report: one A4 PDF with the table of measured values beside the paper's
 * (vesicle_reproduction_rows), then each of the paper's figures on a page of its own, drawn from
 * the experiment folders under one reproduction folder by the same code as every export.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* @dir holds costs/, tradeoff/, … (vesicle-reproduction.h). Experiments missing or unfinished
 * are named on the first page; the error is only for what could not be read or written. */
gboolean vesicle_report_write_pdf (const char  *dir,
                                   const char  *path,
                                   GError     **error);

/* The same in a worker thread. */
void     vesicle_report_write_pdf_async  (const char          *dir,
                                          const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean vesicle_report_write_pdf_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
