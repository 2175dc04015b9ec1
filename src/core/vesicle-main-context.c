/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-main-context.h"

void
vesicle_main_context_post (GMainContext   *context,
                           GSourceFunc     func,
                           gpointer        data,
                           GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  /* one priority for every report: sources of equal priority run in the order attached */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "vesicle report");
  g_source_attach (source, context);
  g_source_unref (source);
}
