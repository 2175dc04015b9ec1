/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle: the desktop application. Without a display it says so and runs the headless quick
 * reproduction instead (vesicle-cli reproduce, the same engine), into the experiments folder
 * the settings name.
 */
#include "vesicle-application.h"
#include "vesicle-build-config.h"
#include "vesicle-cli.h"
#include "vesicle-experiment.h"
#include "vesicle-install.h"
#include "vesicle-settings.h"
#include "vesicle-cl-device.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

static int
run_headless (void)
{
  g_autoptr(GSettings) settings = vesicle_settings_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *parent = vesicle_settings_get_experiments_folder (settings);
  g_autofree char *name = vesicle_folder_name_at ("reproduction", now, parent);
  g_autofree char *out = g_build_filename (parent, name, NULL);
  char *argv[] = { "reproduce", "--out", out, NULL };

  fprintf (stderr, _("vesicle: no display to open a window on; running the quick reproduction "
                     "headless instead (vesicle-cli reproduce --out %s): the figures and "
                     "report.pdf go there.\n"), out);
  return vesicle_cli_reproduce (G_N_ELEMENTS (argv) - 1, argv);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VesicleApplication) app = NULL;
  g_autofree char *localedir = vesicle_install_localedir ();

  setlocale (LC_ALL, "");
  vesicle_cl_merge_vendor_dirs ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    return run_headless ();
  app = vesicle_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
