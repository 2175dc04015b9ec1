/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli experiment: `list` describes the experiment types; `NAME --preset quick|paper
 * [--set key=value …] --out DIR` runs one into a run folder (experiment.json, summary.json, …).
 */
#include "vesicle-cli.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-config.h"
#include "vesicle-experiment.h"
#include "vesicle-json.h"

#include <glib-unix.h>
#include <stdio.h>

static VesicleEngine *
open_engine (const VesicleCohortConfig *config,
             gpointer                   data,
             GError                   **error)
{
  VesicleClDevice *dev = vesicle_cl_device_open (data, error);

  return dev ? vesicle_cl_cohort_new (dev, config, error) : NULL;
}

static void
on_message (const char *text,
            gpointer    data)
{
  if (!GPOINTER_TO_INT (data))
    fprintf (stderr, "  %s\n", text);
}

static gboolean
on_interrupt (gpointer data)
{
  fprintf (stderr, "\nvesicle-cli: interrupted; stopping and saving what is done\n");
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

static int
list_types (void)
{
  guint n;
  const VesicleExperimentType *const *types = vesicle_experiment_types (&n);

  for (guint i = 0; i < n; i++)
    {
      printf ("%-12s %s  [figures: %s]\n", types[i]->name, types[i]->title, types[i]->figures);
      printf ("             %s\n\n", types[i]->description);
    }
  return 0;
}

typedef struct {
  const VesicleExperimentType *type;
  VesicleExperimentContext    *ctx;
  gboolean                     overwrite;
  gboolean                     ok;
  GError                      *error;
  GMainLoop                   *loop;
} Job;

static gpointer
run_job (gpointer data)
{
  Job *job = data;

  job->ok = vesicle_experiment_run (job->type, job->ctx, job->overwrite, &job->error);
  g_main_loop_quit (job->loop);
  return NULL;
}

int
vesicle_cli_experiment (int    argc,
                        char **argv)
{
  g_autofree char *preset = NULL, *out = NULL, *device = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean overwrite = FALSE, quiet = FALSE, show_config = FALSE;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "quick (default) or paper", "P" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a setting (repeatable), e.g. epochs=3 or c=[0.01,1]", "KEY=VALUE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Experiment folder to write (required)", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace an experiment already in --out", NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name", "D" },
    { "show-config", 0, 0, G_OPTION_ARG_NONE, &show_config, "Print the configuration and stop", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("list | NAME --out DIR — run one of the paper's experiments");
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(JsonObject) config = NULL;
  const VesicleExperimentType *type;
  VesicleExperimentContext ctx = { 0 };
  Job job = { 0 };
  GThread *thread;
  guint sigint, sigterm;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("experiment", error);
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
  if (!(config = type->preset (preset ? preset : "quick")))
    return vesicle_cli_fail_msg ("experiment", "--preset must be quick or paper");
  for (guint i = 0; sets && sets[i]; i++)
    if (!vesicle_config_apply_set (config, sets[i], &error))
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
  if (out == NULL)
    return vesicle_cli_fail_msg ("experiment", "--out DIR is required (the folder to write)");

  ctx = (VesicleExperimentContext) {
    .out_dir = out, .preset = preset ? preset : "quick", .config = config,
    .open_engine = open_engine, .open_engine_data = device, .cancellable = cancellable,
    .message = on_message, .message_data = GINT_TO_POINTER (quiet),
  };
  job = (Job) { type, &ctx, overwrite, FALSE, NULL, loop };
  sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, cancellable);
  /* the experiment runs off the main thread so Ctrl-C can cancel it between steps */
  thread = g_thread_new ("experiment", run_job, &job);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_pointer (&ctx.device, g_hash_table_unref);
  g_clear_pointer (&ctx.summary, json_object_unref);
  if (!job.ok)
    {
      gboolean cancelled = g_error_matches (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (!cancelled)
        vesicle_cli_fail ("experiment", job.error);
      g_clear_error (&job.error);
      return cancelled ? 130 : 1;
    }
  if (!quiet)
    fprintf (stderr, "vesicle-cli: experiment written to %s (summary.json)\n", out);
  return 0;
}
