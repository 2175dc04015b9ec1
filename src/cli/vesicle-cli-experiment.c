/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli experiment: `list` describes the experiment types; `NAME --preset quick|paper
 * [--set key=value …] --out DIR` runs one into a run folder (experiment.json, summary.json, …);
 * `--resume DIR` goes on with one that stopped.
 */
#include "vesicle-cli.h"
#include "vesicle-cl-engine.h"
#include "vesicle-config.h"
#include "vesicle-experiment.h"
#include "vesicle-experiment-record.h"
#include "vesicle-json.h"
#include "vesicle-cli-estimate.h"

#include <stdio.h>

static int
list_types (void)
{
  guint n;
  const VesicleExperimentType *const *types = vesicle_experiment_types (&n);

  for (guint i = 0; i < n; i++)
    {
      printf ("%-12s %s  [figures: %s]\n", types[i]->name, types[i]->title, types[i]->figures);
      printf ("             %s\n             %s\n\n", types[i]->summary, types[i]->description);
    }
  return 0;
}

/* The folder's own type, preset and configuration, from experiment.json. */
static int
resume_experiment (const char *dir,
                   const char *device,
                   gboolean    wait,
                   gboolean    quiet)
{
  g_autoptr(GError) error = NULL;
  VesicleExperimentRecord *rec = vesicle_experiment_record_load (dir, &error);
  VesicleExperimentOptions options;
  int status;

  /* one still running here is left to the folder's lock, which names the process that holds it
   * (the runner checks the record again once it holds the lock) */
  if (rec == NULL
      || (rec->status != VESICLE_RUN_RUNNING && !vesicle_experiment_record_can_resume (rec, &error)))
    {
      vesicle_experiment_record_free (rec);
      return vesicle_cli_fail ("experiment", error);
    }
  options = (VesicleExperimentOptions) {
    .out_dir = dir, .preset = rec->preset, .config = rec->config,
    .open_engine = vesicle_cl_open_engine, .prepare_device = vesicle_cl_prepare_device,
    .device = device, .mode = VESICLE_EXPERIMENT_RESUME,
    .wait_for_lock = wait,
  };
  status = vesicle_cli_run_experiment ("experiment", rec->type, &options, quiet);
  vesicle_experiment_record_free (rec);
  return status;
}

int
vesicle_cli_experiment (int    argc,
                        char **argv)
{
  g_autofree char *preset = NULL, *out = NULL, *device = NULL, *resume = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean overwrite = FALSE, quiet = FALSE, show_config = FALSE, wait = FALSE;
  gboolean estimate = FALSE;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "quick (default) or paper", "P" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a setting (repeatable), e.g. epochs=3 or c=[0.01,1]", "KEY=VALUE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Experiment folder to write (required)", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace an experiment already in --out", NULL },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &resume, "Go on with the interrupted, cancelled or failed experiment in DIR, from each cohort's last complete epoch", "DIR" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name", "D" },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, "If another process writes the folder, wait for it to finish (else refused at once)", NULL },
    { "show-config", 0, 0, G_OPTION_ARG_NONE, &show_config, "Print the configuration and stop", NULL },
    { "estimate", 0, 0, G_OPTION_ARG_NONE, &estimate, "Say how long it would take on this device (a two-second trial) and stop", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("list | NAME --out DIR | --resume DIR — run one of the paper's experiments");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) config = NULL;
  const VesicleExperimentType *type;
  VesicleExperimentOptions options;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("experiment", error);
  if (resume)
    return resume_experiment (resume, device, wait, quiet);
  if (argc < 2)
    return vesicle_cli_fail_msg ("experiment", "name an experiment, or 'list' to see them");
  if (g_str_equal (argv[1], "list"))
    return list_types ();
  if (!(type = vesicle_experiment_find (argv[1])))
    {
      g_autofree char *msg = g_strdup_printf ("no experiment '%s' (see 'vesicle-cli experiment "
                                              "list')", argv[1]);
      return vesicle_cli_fail_msg ("experiment", msg);
    }
  if (!(config = vesicle_cli_experiment_config (type, preset, sets, &error)))
    return vesicle_cli_fail ("experiment", error);
  if (show_config)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_set_object (node, config);
      text = vesicle_json_to_string (node, TRUE);
      printf ("%s\n", text);
      return 0;
    }
  if (estimate)
    {
      JsonObject *configs[1] = { config };

      if (!vesicle_cli_estimate (&type, configs, 1, device, &error))
        return vesicle_cli_fail ("experiment", error);
      return 0;
    }
  if (out == NULL)
    return vesicle_cli_fail_msg ("experiment", "--out DIR is required (the folder to write)");

  options = (VesicleExperimentOptions) {
    .out_dir = out, .preset = preset ? preset : "quick", .config = config,
    .overwrite = overwrite, .open_engine = vesicle_cl_open_engine,
    .prepare_device = vesicle_cl_prepare_device, .device = device,
    .wait_for_lock = wait,
  };
  return vesicle_cli_run_experiment ("experiment", type, &options, quiet);
}
