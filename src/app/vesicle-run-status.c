/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-run-status.h"

#include <glib/gi18n.h>

const char *
vesicle_run_status_icon (VesicleRunStatus status)
{
  switch (status)
    {
    case VESICLE_RUN_COMPLETED: return "emblem-ok-symbolic";
    case VESICLE_RUN_CANCELLED: return "media-playback-stop-symbolic";
    case VESICLE_RUN_FAILED: return "dialog-error-symbolic";
    case VESICLE_RUN_RUNNING: return "content-loading-symbolic";
    case VESICLE_RUN_INTERRUPTED: return "dialog-warning-symbolic";
    }
  return "emblem-ok-symbolic";
}

const char *
vesicle_run_status_words (VesicleRunStatus status)
{
  switch (status)
    {
    case VESICLE_RUN_COMPLETED: return _("Completed");
    case VESICLE_RUN_CANCELLED: return _("Cancelled");
    case VESICLE_RUN_FAILED: return _("Failed");
    case VESICLE_RUN_RUNNING: return _("Running elsewhere, or did not finish");
    case VESICLE_RUN_INTERRUPTED: return _("Interrupted");
    }
  return "";
}
