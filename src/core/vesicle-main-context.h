/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Handing a worker's reports to the thread that runs a main context.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Queues @func (@data) to run in @context's own thread, after whatever was queued before it,
 * and never in the calling thread. g_main_context_invoke_full is not that: called from a
 * thread without a thread-default context while nobody iterates the default one, it runs
 * @func at once in the caller (a worker then draws widgets, and reports overtake each other). */
void vesicle_main_context_post (GMainContext   *context,
                                GSourceFunc     func,
                                gpointer        data,
                                GDestroyNotify  notify);

G_END_DECLS
