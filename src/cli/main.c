/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli: the headless front end. Commands: train, devices, experiment, figure, bench.
 */
#include "vesicle-cli.h"
#include "vesicle-cl-device.h"
#include "vesicle-build-config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

int
vesicle_cli_fail (const char   *command,
                  const GError *error)
{
  fprintf (stderr, "vesicle-cli %s: %s\n", command, error ? error->message : "failed");
  return 1;
}

int
vesicle_cli_fail_msg (const char *command,
                      const char *message)
{
  fprintf (stderr, "vesicle-cli %s: %s\n", command, message);
  return 1;
}

int
vesicle_cli_devices (int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = vesicle_cl_list_devices (&error);

  if (list == NULL)
    return vesicle_cli_fail ("devices", error);
  if (list->len == 0)
    {
      fprintf (stderr, "vesicle-cli devices: no OpenCL device found. Install an OpenCL driver: "
               "'apt install pocl-opencl-icd' runs on any CPU, or your GPU vendor's ICD.\n");
      return 1;
    }
  for (guint i = 0; i < list->len; i++)
    {
      VesicleClDeviceInfo *d = g_ptr_array_index (list, i);

      printf ("%u  %s  [%s]\n   platform: %s (%s)\n   driver %s, %s, %u compute units, "
              "%" G_GUINT64_FORMAT " MiB, fp64 %s\n",
              d->index, d->name, vesicle_cl_device_type_name (d->type), d->platform_name,
              d->platform_version, d->driver_version, d->device_version, d->compute_units,
              d->global_mem >> 20, d->fp64 ? "yes" : "no");
    }
  return 0;
}

static void
usage (FILE *f)
{
  fprintf (f,
           "Usage: vesicle-cli COMMAND [OPTIONS]\n\n"
           "Train and study networks with energy-efficient stochastic synapses.\n\n"
           "Commands:\n"
           "  train      train a cohort of networks and write a run folder\n"
           "  devices    list OpenCL platforms and devices\n"
           "  experiment run one of the paper's experiments ('experiment list' describes them)\n"
           "  figure     draw one of the paper's figures from an experiment folder (SVG, PDF,\n"
           "             PNG or CSV; 'figure list' names them)\n"
           "  bench      measure training steps per second for cohorts of 1, 4 and 16 (JSON)\n"
           "  version    print the version\n\n"
           "'vesicle-cli COMMAND --help' describes a command's options.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (g_str_equal (argv[1], "train"))
    return vesicle_cli_train (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "devices"))
    return vesicle_cli_devices (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "experiment"))
    return vesicle_cli_experiment (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "figure"))
    return vesicle_cli_figure (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "bench"))
    return vesicle_cli_bench (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "version") || g_str_equal (argv[1], "--version"))
    {
      printf ("vesicle-cli %s\n", VESICLE_VERSION);
      return 0;
    }
  fprintf (stderr, "vesicle-cli: unknown command '%s'\n\n", argv[1]);
  usage (stderr);
  return 2;
}
