/* SPDX-License-Identifier: GPL-3.0-or-later */
/* being written: figures of the importance experiment */
#include "vesicle-figure-private.h"

VesiclePlot *
vesicle_figure_build_fig5 (const char *run_dir, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "fig5: not drawn yet");
  return NULL;
}

VesiclePlot *
vesicle_figure_build_app6 (const char *run_dir, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "app6: not drawn yet");
  return NULL;
}

VesiclePlot *
vesicle_figure_build_app5 (const char *run_dir, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "app5: not drawn yet");
  return NULL;
}
