/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli train: one cohort (the product of the --rho, --c, --setting and --seed lists) on an
 * IDX dataset, written to a run folder. The options become the configuration of the "train"
 * experiment, so the folder is written by the same runner as every experiment (run.json,
 * metrics.csv, mu.npy, sigma.npy, with experiment.json and summary.json beside them). Ctrl-C
 * stops between steps and still saves the run.
 */
#include "vesicle-cli.h"
#include "vesicle-cl-engine.h"
#include "vesicle-cl-device.h"
#include "vesicle-config.h"
#include "vesicle-json.h"

#include <stdio.h>
#include <string.h>

static gboolean
parse_setting (const char  *text,
               JsonArray   *out,
               GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  gboolean hetero = FALSE, homo = FALSE;

  for (guint i = 0; parts[i]; i++)
    {
      const char *s = g_strstrip (parts[i]);

      if (g_str_equal (s, "hetero") || g_str_equal (s, "heterogeneous"))
        hetero = TRUE;
      else if (g_str_equal (s, "homo") || g_str_equal (s, "homogeneous"))
        homo = TRUE;
      else if (g_str_equal (s, "both"))
        hetero = homo = TRUE;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--setting: '%s' is not one of hetero, homo, both", s);
          return FALSE;
        }
    }
  if (hetero)
    json_array_add_string_element (out, "hetero");
  if (homo)
    json_array_add_string_element (out, "homo");
  return TRUE;
}

/* The option that sets a configuration key, for messages: "eval_batch" -> "--eval-batch". */
static char *
option_for_key (const char *key)
{
  char *option;

  if (g_strcmp0 (key, "settings") == 0)
    return g_strdup ("--setting");
  if (g_strcmp0 (key, "seeds") == 0)
    return g_strdup ("--seed");
  option = g_strconcat ("--", key, NULL);
  g_strdelimit (option, "_", '-');
  return option;
}

int
vesicle_cli_train (int    argc,
                   char **argv)
{
  g_autofree char *dataset = NULL, *hidden = NULL, *rho = NULL, *c = NULL, *setting = NULL;
  g_autofree char *seed = NULL, *device = NULL, *out = NULL;
  double lambda = 1e-4, lr = 5e-4, sigma_init = 1e-4, init_range = 0.1;
  double beta1 = 0.9, beta2 = 0.999, adam_eps = 1e-8;
  /* integers arrive as text, read in decimal only (vesicle_cli_parse_uint) */
  g_autofree char *batch_text = NULL, *eval_batch_text = NULL, *epochs_text = NULL;
  g_autofree char *sigma_epochs_text = NULL, *eval_every_text = NULL, *max_train_text = NULL;
  g_autofree char *data_seed_text = NULL;
  guint batch = 20, eval_batch = 20, epochs = 50, eval_every = 1, data_seed = 0, sigma_epochs = 0;
  guint max_train = 0;
  gboolean normalise = FALSE, overwrite = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &dataset, "IDX folder (default: the bundled MNIST subset)", "DIR" },
    { "hidden", 0, 0, G_OPTION_ARG_STRING, &hidden, "Hidden layer widths (default 100,100; 'none' for no hidden layer)", "W,W" },
    { "rho", 0, 0, G_OPTION_ARG_STRING, &rho, "Cost exponent(s): 0.5 calcium, 0.6667 membrane, 1.3333 actin, 2 trafficking (default 0.5)", "R[,R…]" },
    { "c", 0, 0, G_OPTION_ARG_STRING, &c, "Cost multiplier(s); several values train one cohort (default 0.01)", "C[,C…]" },
    { "setting", 0, 0, G_OPTION_ARG_STRING, &setting, "hetero (per-synapse sigma), homo (one sigma) or both (default hetero)", "S" },
    { "lambda", 0, 0, G_OPTION_ARG_DOUBLE, &lambda, "L1 weight on mu (default 1e-4)", "L" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, "Adam learning rate (default 5e-4)", "LR" },
    { "beta1", 0, 0, G_OPTION_ARG_DOUBLE, &beta1, "Adam beta1 (default 0.9)", "B1" },
    { "beta2", 0, 0, G_OPTION_ARG_DOUBLE, &beta2, "Adam beta2 (default 0.999)", "B2" },
    { "adam-eps", 0, 0, G_OPTION_ARG_DOUBLE, &adam_eps, "Adam epsilon (default 1e-8)", "E" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, "Minibatch size (default 20)", "B" },
    { "eval-batch", 0, 0, G_OPTION_ARG_STRING, &eval_batch_text, "Test minibatch: one weight sample each (default 20)", "B" },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &epochs_text, "Epochs (default 50)", "N" },
    { "sigma-epochs", 0, 0, G_OPTION_ARG_STRING, &sigma_epochs_text, "Further epochs with mu held, so sigma settles (default 0)", "N" },
    { "eval-every", 0, 0, G_OPTION_ARG_STRING, &eval_every_text, "Evaluate every N epochs (default 1)", "N" },
    { "max-train", 0, 0, G_OPTION_ARG_STRING, &max_train_text, "Train on the first N training examples (default 0: all)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed(s) for initialisation and noise (default 1)", "S[,S…]" },
    { "data-seed", 0, 0, G_OPTION_ARG_STRING, &data_seed_text, "Seed of the minibatch order (default 0)", "S" },
    { "sigma-init", 0, 0, G_OPTION_ARG_DOUBLE, &sigma_init, "Initial sigma (default 1e-4, the paper's)", "S" },
    { "init-range", 0, 0, G_OPTION_ARG_DOUBLE, &init_range, "mu ~ U(-r, r) (default 0.1)", "R" },
    { "normalise", 0, 0, G_OPTION_ARG_NONE, &normalise, "Normalise inputs with 0.1307/0.3081 as the authors' code", NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name (default $VESICLE_DEVICE, else the first GPU, else the first device)", "D" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Run folder to write (required)", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace a run already in --out", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--out DIR — train a cohort of stochastic networks");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) widths = NULL, rhos = NULL, cs = NULL, seeds = NULL;
  g_autoptr(JsonObject) config = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  JsonArray *settings;
  VesicleExperimentOptions options;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("train", error);
  if (out == NULL)
    return vesicle_cli_fail_msg ("train", "--out DIR is required (the run folder to write)");
  /* the ranges each setting allows are the experiment check's, below */
  if (!vesicle_cli_parse_uint ("batch", batch_text, 1, G_MAXUINT32, &batch, &error)
      || !vesicle_cli_parse_uint ("eval-batch", eval_batch_text, 1, G_MAXUINT32, &eval_batch,
                                  &error)
      || !vesicle_cli_parse_uint ("epochs", epochs_text, 1, G_MAXUINT32, &epochs, &error)
      || !vesicle_cli_parse_uint ("sigma-epochs", sigma_epochs_text, 0, G_MAXUINT32,
                                  &sigma_epochs, &error)
      || !vesicle_cli_parse_uint ("eval-every", eval_every_text, 1, G_MAXUINT32, &eval_every,
                                  &error)
      || !vesicle_cli_parse_uint ("max-train", max_train_text, 0, G_MAXUINT32, &max_train,
                                  &error)
      || !vesicle_cli_parse_uint ("data-seed", data_seed_text, 0, G_MAXUINT32, &data_seed,
                                  &error))
    return vesicle_cli_fail ("train", error);

  settings = json_array_new ();
  if (!(widths = vesicle_cli_parse_uints ("hidden", hidden ? hidden : "100,100", TRUE, &error))
      || !(rhos = vesicle_cli_parse_doubles ("rho", rho ? rho : "0.5", &error))
      || !(cs = vesicle_cli_parse_doubles ("c", c ? c : "0.01", &error))
      || !(seeds = vesicle_cli_parse_uints ("seed", seed ? seed : "1", FALSE, &error))
      || !parse_setting (setting ? setting : "hetero", settings, &error))
    {
      json_array_unref (settings);
      return vesicle_cli_fail ("train", error);
    }

  config = vesicle_experiment_train_type.preset ("paper");
  json_object_set_string_member (config, "dataset", dataset ? dataset : "bundled");
  json_object_set_boolean_member (config, "normalise", normalise);
  json_object_set_int_member (config, "max_train", max_train);
  json_object_set_array_member (config, "hidden", vesicle_json_uint_array ((guint *) widths->data, widths->len));
  json_object_set_int_member (config, "epochs", epochs);
  json_object_set_int_member (config, "sigma_epochs", sigma_epochs);
  json_object_set_int_member (config, "batch", batch);
  json_object_set_int_member (config, "eval_batch", eval_batch);
  json_object_set_int_member (config, "eval_every", eval_every);
  json_object_set_int_member (config, "data_seed", data_seed);
  json_object_set_double_member (config, "lr", lr);
  json_object_set_double_member (config, "beta1", beta1);
  json_object_set_double_member (config, "beta2", beta2);
  json_object_set_double_member (config, "adam_eps", adam_eps);
  json_object_set_double_member (config, "lambda", lambda);
  json_object_set_double_member (config, "sigma_init", sigma_init);
  json_object_set_double_member (config, "init_range", init_range);
  json_object_set_array_member (config, "rho", vesicle_json_double_array ((double *) rhos->data, rhos->len));
  json_object_set_array_member (config, "c", vesicle_json_double_array ((double *) cs->data, cs->len));
  json_object_set_array_member (config, "settings", settings);
  json_object_set_array_member (config, "seeds", vesicle_json_uint_array ((guint *) seeds->data, seeds->len));

  /* refused settings, said with the option that set them; nothing is written */
  problems = vesicle_experiment_check (&vesicle_experiment_train_type, config, NULL);
  if (problems->len > 0)
    {
      VesicleConfigProblem *p = g_ptr_array_index (problems, 0);
      g_autofree char *option = p->key ? option_for_key (p->key) : NULL;
      g_autofree char *msg = option ? g_strdup_printf ("%s: %s", option, p->message)
                                    : g_strdup (p->message);

      return vesicle_cli_fail_msg ("train", msg);
    }
  /* a device that does not exist is refused before the folder is made */
  {
    g_autoptr(VesicleClDevice) dev = vesicle_cl_device_open (device, &error);

    if (dev == NULL)
      return vesicle_cli_fail ("train", error);
  }

  options = (VesicleExperimentOptions) {
    .out_dir = out, .preset = "custom", .config = config, .overwrite = overwrite,
    .open_engine = vesicle_cl_open_engine, .prepare_device = vesicle_cl_prepare_device,
    .device = device,
  };
  return vesicle_cli_run_experiment ("train", &vesicle_experiment_train_type, &options, quiet);
}
