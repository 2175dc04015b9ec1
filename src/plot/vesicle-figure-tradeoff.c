/* SPDX-License-Identifier: GPL-3.0-or-later */
/* being written: figures of the tradeoff experiment */
#include "vesicle-figure-private.h"

VesiclePlot *
vesicle_figure_build_fig2 (const char *run_dir, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "fig2: not drawn yet");
  return NULL;
}

VesiclePlot *
vesicle_figure_build_fig3 (const char *run_dir, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "fig3: not drawn yet");
  return NULL;
}
