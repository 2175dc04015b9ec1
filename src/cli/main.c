/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli: the headless front end. Commands: train, devices, experiment, figure, report,
 * reproduce, sweep, bench, tune. Each lives in its own vesicle-cli-<command>.c; this file only dispatches.
 */
#include "vesicle-cli.h"
#include "vesicle-build-config.h"
#include "vesicle-cl-device.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

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
           "  report     write one PDF of every figure and the measured values beside the\n"
           "             paper's, from a reproduction folder\n"
           "  reproduce  run every experiment's quick preset, then the report\n"
           "  sweep      split an experiment into cells for a cluster scheduler, run one, and\n"
           "             merge them ('sweep --help')\n"
           "  bench      measure training steps per second for cohorts of 1, 4 and 16 (JSON)\n"
           "  tune       tune CLBlast's GEMM for a device, once, for every later run\n"
           "  version    print the version\n\n"
           "'vesicle-cli COMMAND --help' describes a command's options.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  vesicle_cl_merge_vendor_dirs ();
  /* a file-size limit (ulimit -f) then fails the write with EFBIG, an error naming the file,
   * as a full disk does, instead of killing the process mid-write */
  signal (SIGXFSZ, SIG_IGN);
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
  if (g_str_equal (argv[1], "report"))
    return vesicle_cli_report (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "reproduce"))
    return vesicle_cli_reproduce (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "sweep"))
    return vesicle_cli_sweep (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "bench"))
    return vesicle_cli_bench (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "tune"))
    return vesicle_cli_tune (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "version") || g_str_equal (argv[1], "--version"))
    {
      printf ("vesicle-cli %s\n", VESICLE_VERSION);
      return 0;
    }
  fprintf (stderr, "vesicle-cli: unknown command '%s'\n\n", argv[1]);
  usage (stderr);
  return 2;
}
