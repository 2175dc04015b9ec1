/* SPDX-License-Identifier: GPL-3.0-or-later */
/* being written: figures of the bayes experiment */
#include "vesicle-figure-private.h"

VesiclePlot *
vesicle_figure_build_fig7 (const char *run_dir, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "fig7: not drawn yet");
  return NULL;
}
