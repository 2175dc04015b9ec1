/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli reproduce: every experiment's quick (or paper) preset into one folder, one
 * subfolder each, then the report; vesicle-cli report: the report alone, from such a folder
 * (report.pdf: the measured values beside the paper's, then every figure).
 */
#include "vesicle-cli.h"
#include "vesicle-cl-engine.h"
#include "vesicle-report.h"
#include "vesicle-reproduction.h"
#include "vesicle-cli-estimate.h"

#include <stdio.h>

int
vesicle_cli_report (int    argc,
                    char **argv)
{
  g_autofree char *from = NULL, *out = NULL;
  gboolean quiet = FALSE, markdown = FALSE;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "Reproduction folder (costs/, tradeoff/, …)", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "PDF to write (default DIR/report.pdf)", "FILE" },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print the table as Markdown instead (for docs/reproduction.md)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--from DIR — one PDF of the reproduction");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("report", error);
  if (from == NULL)
    return vesicle_cli_fail_msg ("report", "--from DIR is required (a folder written by "
                                           "'vesicle-cli reproduce')");
  if (markdown)
    {
      g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) rows = vesicle_reproduction_rows (from, missing, &error);
      g_autofree char *table = NULL;

      if (rows == NULL)
        return vesicle_cli_fail ("report", error);
      table = vesicle_reproduction_markdown (rows);
      fputs (table, stdout);
      for (guint i = 0; i < missing->len; i++)
        printf ("%s*Not in this table (missing or unfinished): %s*\n", i ? "" : "\n",
                (const char *) g_ptr_array_index (missing, i));
      return 0;
    }
  path = out ? g_strdup (out) : g_build_filename (from, "report.pdf", NULL);
  if (!vesicle_report_write_pdf (from, path, &error))
    return vesicle_cli_fail ("report", error);
  if (!quiet)
    fprintf (stderr, "vesicle-cli: report written to %s\n", path);
  return 0;
}

int
vesicle_cli_reproduce (int    argc,
                       char **argv)
{
  g_autofree char *out = NULL, *preset = NULL, *device = NULL;
  gboolean quiet = FALSE, overwrite = FALSE, estimate_only = FALSE;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder to write (required)", "DIR" },
    { "estimate", 0, 0, G_OPTION_ARG_NONE, &estimate_only,
      "Say how long it would take on this device (a two-second trial) and stop", NULL },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "quick (default) or paper", "P" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name", "D" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace experiments already there", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--out DIR — run every experiment, then the report");
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  const VesicleExperimentType *const *types;
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint n;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("reproduce", error);
  if (out == NULL && !estimate_only)
    return vesicle_cli_fail_msg ("reproduce", "--out DIR is required (the folder to write)");
  if (preset == NULL)
    preset = g_strdup ("quick");
  if (!g_str_equal (preset, "quick") && !g_str_equal (preset, "paper"))
    return vesicle_cli_fail_msg ("reproduce", "--preset must be quick or paper");

  types = vesicle_reproduction_experiments (&n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (configs, types[i]->preset (preset));
  /* before anything is written: how long all of it will take here */
  if ((!quiet || estimate_only)
      && !vesicle_cli_estimate (types, (JsonObject *const *) configs->pdata, n, device, &error))
    return vesicle_cli_fail ("reproduce", error);
  if (estimate_only)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *dir = g_build_filename (out, types[i]->name, NULL);
      JsonObject *config = configs->pdata[i];
      VesicleExperimentOptions options = {
        .out_dir = dir, .preset = preset, .config = config, .overwrite = overwrite,
        .open_engine = vesicle_cl_open_engine, .prepare_device = vesicle_cl_prepare_device,
        .device = device,
      };
      int status;

      if (!quiet)
        fprintf (stderr, "vesicle-cli: experiment %u of %u, %s: %s\n", i + 1, n, types[i]->name,
                 types[i]->title);
      status = vesicle_cli_run_experiment ("reproduce", types[i], &options, quiet);
      if (status != 0)
        return status;
    }
  report = g_build_filename (out, "report.pdf", NULL);
  if (!vesicle_report_write_pdf (out, report, &error))
    return vesicle_cli_fail ("reproduce", error);
  if (!quiet)
    fprintf (stderr, "vesicle-cli: report written to %s\n", report);
  return 0;
}
