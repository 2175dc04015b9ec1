/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli sweep: an experiment split into cells for a scheduler (see vesicle-sweep.h and
 * docs/cluster.md).
 *   expand NAME [--preset P] [--set key=value …] --out DIR   writes DIR/sweep.json, prints the
 *                                                            number of cells
 *   run-cell DIR --index N                                   trains cell N; exits 0 at once
 *                                                            when it has finished before
 *   merge DIR                                                writes the experiment, or lists
 *                                                            the cells to rerun
 */
#include "vesicle-cli.h"
#include "vesicle-cl-engine.h"
#include "vesicle-experiment-record.h"
#include "vesicle-sweep.h"

#include <stdio.h>

static int
expand (int    argc,
        char **argv)
{
  g_autofree char *preset = NULL, *out = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "quick (default) or paper", "P" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a setting (repeatable), as for 'experiment'", "KEY=VALUE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Sweep folder to write (required)", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace a sweep already in --out", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME --out DIR — split an experiment into cells");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) config = NULL;
  g_autoptr(VesicleSweep) sweep = NULL;
  const VesicleExperimentType *type;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("sweep expand", error);
  if (argc < 2 || !(type = vesicle_experiment_find (argv[1])))
    return vesicle_cli_fail_msg ("sweep expand", "name an experiment ('vesicle-cli experiment "
                                                 "list' shows them)");
  if (out == NULL)
    return vesicle_cli_fail_msg ("sweep expand", "--out DIR is required (the folder to write)");
  if (!(config = vesicle_cli_experiment_config (type, preset, sets, &error))
      || !vesicle_sweep_expand (type, preset ? preset : "quick", config, out, overwrite, &error)
      || !(sweep = vesicle_sweep_load (out, &error)))
    return vesicle_cli_fail ("sweep expand", error);
  /* the one line a script needs: how many tasks to ask the scheduler for */
  printf ("%u\n", sweep->cells->len);
  if (sweep->cells->len == 1)
    fprintf (stderr, "vesicle-cli: 1 cell in %s; run it with 'vesicle-cli sweep run-cell %s "
                     "--index 0', then 'vesicle-cli sweep merge %s'\n", out, out, out);
  else
    fprintf (stderr, "vesicle-cli: %u cells in %s; run each with 'vesicle-cli sweep run-cell %s "
                     "--index N' (N from 0 to %u), then 'vesicle-cli sweep merge %s'\n",
             sweep->cells->len, out, out, sweep->cells->len - 1, out);
  return 0;
}

static int
run_cell (int    argc,
          char **argv)
{
  g_autofree char *index_text = NULL;
  guint index = 0;
  g_autofree char *device = NULL;
  gboolean quiet = FALSE, wait = FALSE;
  GOptionEntry entries[] = {
    { "index", 0, 0, G_OPTION_ARG_STRING, &index_text, "The cell to train, from 0 (e.g. $SLURM_ARRAY_TASK_ID)", "N" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name", "D" },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, "If another process trains this cell, wait for it to finish (else refused at once)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR --index N — train one cell of a sweep");
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleSweep) sweep = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *cells = NULL;
  VesicleExperimentOptions options;
  VesicleRunStatus status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("sweep run-cell", error);
  if (argc < 2)
    return vesicle_cli_fail_msg ("sweep run-cell", "name the sweep folder");
  if (!(sweep = vesicle_sweep_load (argv[1], &error)))
    return vesicle_cli_fail ("sweep run-cell", error);
  cells = sweep->cells->len == 1 ? g_strdup ("its only cell is 0")
          : g_strdup_printf ("its cells run from 0 to %u", sweep->cells->len - 1);
  if (index_text == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("--index N is required: the cell of %s to train "
                                              "(%s)", argv[1], cells);
      return vesicle_cli_fail_msg ("sweep run-cell", msg);
    }
  if (!vesicle_cli_parse_uint ("index", index_text, 0, G_MAXUINT32, &index, &error))
    return vesicle_cli_fail ("sweep run-cell", error);
  if (index >= sweep->cells->len)
    {
      g_autofree char *msg = g_strdup_printf ("--index: %u is not a cell of %s (%s)", index,
                                              argv[1], cells);
      return vesicle_cli_fail_msg ("sweep run-cell", msg);
    }
  /* idempotent: a scheduler may run a task twice */
  if (vesicle_sweep_cell_status (argv[1], index, &status, &reason)
      && status == VESICLE_RUN_COMPLETED)
    {
      if (!quiet)
        fprintf (stderr, "vesicle-cli: cell %u of %s has finished before; nothing to do\n",
                 index, argv[1]);
      return 0;
    }
  options = (VesicleExperimentOptions) {
    .out_dir = argv[1], .preset = sweep->preset, .config = sweep->config,
    .open_engine = vesicle_cl_open_engine, .prepare_device = vesicle_cl_prepare_device,
    .device = device, .mode = VESICLE_EXPERIMENT_CELL,
    .cell = index, .wait_for_lock = wait,
  };
  return vesicle_cli_run_experiment ("sweep run-cell", sweep->type, &options, quiet);
}

static int
merge (int    argc,
       char **argv)
{
  gboolean quiet = FALSE, wait = FALSE;
  GOptionEntry entries[] = {
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, "If another process writes the folder, wait for it to finish (else refused at once)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR — gather a sweep's cells into its experiment");
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleSweep) sweep = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) array = g_string_new (NULL);
  VesicleExperimentOptions options;
  guint n_missing = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("sweep merge", error);
  if (argc < 2)
    return vesicle_cli_fail_msg ("sweep merge", "name the sweep folder");
  if (!(sweep = vesicle_sweep_load (argv[1], &error)))
    return vesicle_cli_fail ("sweep merge", error);
  /* merged before (its checkpoints are gone): nothing to do, as for a finished cell */
  {
    g_autoptr(VesicleExperimentRecord) rec = vesicle_experiment_record_load (argv[1], NULL);

    if (rec && rec->status == VESICLE_RUN_COMPLETED)
      {
        if (!quiet)
          fprintf (stderr, "vesicle-cli: %s is merged already; nothing to do\n", argv[1]);
        return 0;
      }
  }

  for (guint i = 0; i < sweep->cells->len; i++)
    {
      g_autofree char *reason = NULL;
      VesicleRunStatus status;

      if (vesicle_sweep_cell_status (argv[1], i, &status, &reason)
          && status == VESICLE_RUN_COMPLETED)
        continue;
      if (vesicle_sweep_cell_status (argv[1], i, &status, &reason))
        g_string_append_printf (missing, "  cell %u: %s%s%s\n", i,
                                vesicle_run_status_to_string (status), reason ? ": " : "",
                                reason ? reason : "");
      else
        g_string_append_printf (missing, "  cell %u: not finished (never run, still running, "
                                         "or killed)\n", i);
      g_string_append_printf (missing, "    vesicle-cli sweep run-cell %s --index %u\n",
                              argv[1], i);
      g_string_append_printf (array, "%s%u", n_missing++ ? "," : "", i);
    }
  if (n_missing > 0)
    {
      fprintf (stderr, "vesicle-cli sweep merge: %u of %u cell%s of %s %s not finished:\n%s"
                       "(with Slurm: sbatch --array=%s …)\n",
               n_missing, sweep->cells->len, sweep->cells->len == 1 ? "" : "s", argv[1],
               n_missing == 1 ? "has" : "have", missing->str, array->str);
      return 1;
    }

  options = (VesicleExperimentOptions) {
    .out_dir = argv[1], .preset = sweep->preset, .config = sweep->config,
    .open_engine = vesicle_cl_open_engine, .prepare_device = vesicle_cl_prepare_device,
    .mode = VESICLE_EXPERIMENT_MERGE,
    .wait_for_lock = wait,
  };
  return vesicle_cli_run_experiment ("sweep merge", sweep->type, &options, quiet);
}

int
vesicle_cli_sweep (int    argc,
                   char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "expand"))
    return expand (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "run-cell"))
    return run_cell (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "merge"))
    return merge (argc - 1, argv + 1);
  fprintf (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
           ? stdout : stderr,
           "Usage: vesicle-cli sweep expand NAME [--preset P] [--set KEY=VALUE …] --out DIR\n"
           "       vesicle-cli sweep run-cell DIR --index N [--device D] [--wait]\n"
           "       vesicle-cli sweep merge DIR [--wait]\n\n"
           "Split an experiment into cells (one cohort each) for a scheduler such as a Slurm job\n"
           "array or GNU parallel, train them anywhere that sees DIR, then gather them into the\n"
           "experiment's folder. See docs/cluster.md.\n");
  return argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")) ? 0 : 2;
}
