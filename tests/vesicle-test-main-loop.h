/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Driving the main loop from a window's test: for a while, or until something holds.
 */
#pragma once

#include <glib.h>

/* Runs the main loop for @seconds. */
static G_GNUC_UNUSED void
vesicle_test_spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef gboolean (*VesicleTestCondition) (gpointer data);

/* Runs the main loop until @cond holds; fails after @timeout_s, naming @what. */
static G_GNUC_UNUSED void
vesicle_test_wait_until (VesicleTestCondition  cond,
                         gpointer              data,
                         double                timeout_s,
                         const char           *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %.0f s waiting for %s", timeout_s, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}
