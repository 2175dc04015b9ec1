/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli train: one cohort (the product of the --rho, --c, --setting and --seed lists) on an
 * IDX dataset, written to a run folder. Ctrl-C stops between steps and still saves the run.
 */
#include "vesicle-cli.h"
#include "vesicle-cli-common.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-dataset.h"
#include "vesicle-run.h"

#include <glib-unix.h>
#include <math.h>
#include <stdio.h>

typedef struct {
  GMainLoop     *loop;
  GCancellable  *cancellable;
  VesicleTrainer *trainer;
  const char    *out;
  const VesicleCohortConfig *cohort;
  gboolean       quiet;
  gboolean       ok;
  GError        *error;
  GError        *write_error;
} TrainState;

static void
on_progress (const VesicleProgress *p,
             gpointer               data)
{
  TrainState *st = data;

  if (p->metrics == NULL)
    {
      if (!st->quiet && isatty (fileno (stderr)))
        fprintf (stderr, "\r  epoch %u/%u  step %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                 "  %.1f s   ", p->epoch, p->n_epochs, p->step, p->total_steps, p->elapsed_s);
      return;
    }

  /* append the epoch's rows at once: a crash later loses nothing already done */
  if (st->write_error == NULL)
    vesicle_run_append_metrics (st->out, st->cohort, p->metrics, p->K, &st->write_error);

  if (!st->quiet)
    {
      double acc_min = INFINITY, acc_max = -INFINITY, sig_min = INFINITY, sig_max = -INFINITY;

      for (guint k = 0; k < p->K; k++)
        {
          acc_min = fmin (acc_min, p->metrics[k].test_accuracy);
          acc_max = fmax (acc_max, p->metrics[k].test_accuracy);
          sig_min = fmin (sig_min, p->metrics[k].mean_sigma);
          sig_max = fmax (sig_max, p->metrics[k].mean_sigma);
        }
      if (p->K == 1)
        fprintf (stderr, "\r  epoch %u/%u  %.1f s  train NLL %.4f  test accuracy %.4f  "
                 "mean sigma %.3g\n", p->epoch, p->n_epochs, p->elapsed_s,
                 p->metrics[0].train_nll, p->metrics[0].test_accuracy, p->metrics[0].mean_sigma);
      else
        fprintf (stderr, "\r  epoch %u/%u  %.1f s  test accuracy %.4f..%.4f  "
                 "mean sigma %.3g..%.3g  (%u networks)\n", p->epoch, p->n_epochs, p->elapsed_s,
                 acc_min, acc_max, sig_min, sig_max, p->K);
    }
}

static void
on_trained (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  TrainState *st = data;

  st->ok = vesicle_trainer_run_finish (st->trainer, result, &st->error);
  g_main_loop_quit (st->loop);
}

static gboolean
on_interrupt (gpointer data)
{
  TrainState *st = data;

  fprintf (stderr, "\nvesicle-cli: interrupted; stopping after this step and saving the run\n");
  g_cancellable_cancel (st->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_setting (const char          *text,
               GArray              *out,
               GError             **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      const char *s = g_strstrip (parts[i]);
      VesicleSigmaSetting v;

      if (g_str_equal (s, "hetero") || g_str_equal (s, "heterogeneous"))
        v = VESICLE_SIGMA_HETERO;
      else if (g_str_equal (s, "homo") || g_str_equal (s, "homogeneous"))
        v = VESICLE_SIGMA_HOMO;
      else if (g_str_equal (s, "both"))
        {
          g_array_append_val (out, (VesicleSigmaSetting) { VESICLE_SIGMA_HETERO });
          v = VESICLE_SIGMA_HOMO;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--setting: '%s' is not one of hetero, homo, both", s);
          return FALSE;
        }
      g_array_append_val (out, v);
    }
  return TRUE;
}

int
vesicle_cli_train (int    argc,
                   char **argv)
{
  g_autofree char *dataset = NULL, *hidden = NULL, *rho = NULL, *c = NULL, *setting = NULL;
  g_autofree char *seed = NULL, *device = NULL, *out = NULL;
  double lambda = 1e-4, lr = 5e-4, sigma_init = 1e-4, init_range = 0.1;
  double beta1 = 0.9, beta2 = 0.999, adam_eps = 1e-8;
  int batch = 20, eval_batch = 20, epochs = 50, eval_every = 1, data_seed = 0;
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
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Minibatch size (default 20)", "B" },
    { "eval-batch", 0, 0, G_OPTION_ARG_INT, &eval_batch, "Test minibatch: one weight sample each (default 20)", "B" },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs, "Epochs (default 50)", "N" },
    { "eval-every", 0, 0, G_OPTION_ARG_INT, &eval_every, "Evaluate every N epochs (default 1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed(s) for initialisation and noise (default 1)", "S[,S…]" },
    { "data-seed", 0, 0, G_OPTION_ARG_INT, &data_seed, "Seed of the minibatch order (default 0)", "S" },
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
  g_autoptr(GArray) widths = NULL, rhos = NULL, cs = NULL, seeds_d = NULL;
  g_autoptr(GArray) settings = g_array_new (FALSE, FALSE, sizeof (VesicleSigmaSetting));
  g_autoptr(VesicleDataset) train = NULL, test = NULL;
  g_autofree float *train_t = NULL, *test_t = NULL;
  g_autoptr(GDateTime) started = NULL, finished = NULL;
  g_autoptr(GHashTable) described = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = NULL;
  VesicleCohortConfig cohort;
  VesicleTrainSchedule schedule = { 0 };
  VesicleClDevice *dev;
  VesicleEngine *engine;
  VesicleTrainer *trainer;
  VesicleRunInfo info = { 0 };
  TrainState st = { 0 };
  guint sigint, sigterm;
  guint64 n_networks;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("train", error);
  if (out == NULL)
    return vesicle_cli_fail_msg ("train", "--out DIR is required (the run folder to write)");
  if (epochs < 1 || batch < 1 || eval_batch < 1 || eval_every < 1 || data_seed < 0)
    return vesicle_cli_fail_msg ("train", "--epochs, --batch, --eval-batch and --eval-every must "
                                          "be at least 1, --data-seed at least 0");

  if (!(widths = vesicle_cli_parse_uints ("hidden", hidden ? hidden : "100,100", TRUE, &error))
      || !(rhos = vesicle_cli_parse_doubles ("rho", rho ? rho : "0.5", &error))
      || !(cs = vesicle_cli_parse_doubles ("c", c ? c : "0.01", &error))
      || !(seeds_d = vesicle_cli_parse_uints ("seed", seed ? seed : "1", FALSE, &error))
      || !parse_setting (setting ? setting : "hetero", settings, &error))
    return vesicle_cli_fail ("train", error);

  n_networks = (guint64) rhos->len * cs->len * settings->len * seeds_d->len;
  if (n_networks > 4096)
    return vesicle_cli_fail_msg ("train", "the cohort would hold more than 4096 networks; "
                                          "split the sweep");

  if (dataset == NULL)
    dataset = vesicle_cli_default_dataset ();
  if (!vesicle_dataset_load_dir (dataset, &train, &test, &error))
    return vesicle_cli_fail ("train", error);
  if (normalise)
    {
      vesicle_dataset_normalise (train, 0.1307f, 0.3081f);
      vesicle_dataset_normalise (test, 0.1307f, 0.3081f);
    }

  vesicle_cohort_config_init (&cohort);
  if (!vesicle_shape_init (&cohort.shape, train->dim, (const guint *) (gpointer) widths->data,
                           widths->len, MAX (train->n_classes, test->n_classes),
                           VESICLE_HEAD_SOFTMAX, &error))
    return vesicle_cli_fail ("train", error);
  cohort.K = n_networks;
  cohort.hyper = g_new0 (VesicleHyper, cohort.K);
  {
    guint k = 0;
    for (guint a = 0; a < settings->len; a++)
      for (guint r = 0; r < rhos->len; r++)
        for (guint i = 0; i < cs->len; i++)
          for (guint s = 0; s < seeds_d->len; s++, k++)
            cohort.hyper[k] = (VesicleHyper) {
              .rho = g_array_index (rhos, double, r),
              .c = g_array_index (cs, double, i),
              .lambda = lambda,
              .setting = g_array_index (settings, VesicleSigmaSetting, a),
              .seed = g_array_index (seeds_d, guint, s),
            };
  }
  cohort.batch = batch;
  cohort.eval_batch = eval_batch;
  cohort.n_train = train->n;
  cohort.lr = lr;
  cohort.beta1 = beta1;
  cohort.beta2 = beta2;
  cohort.eps = adam_eps;
  cohort.sigma_init = sigma_init;
  cohort.init_range = init_range;
  schedule.epochs = epochs;
  schedule.eval_every = eval_every;
  schedule.data_seed = data_seed;
  schedule.progress_every = 50;

  /* everything that can be refused is checked before the run folder is made */
  if (!vesicle_cohort_config_check (&cohort, &error)
      || !(dev = vesicle_cl_device_open (device, &error)))
    {
      vesicle_cohort_config_clear (&cohort);
      return vesicle_cli_fail ("train", error);
    }
  if (!vesicle_run_prepare_dir (out, overwrite, &error))
    {
      vesicle_cl_device_free (dev);
      vesicle_cohort_config_clear (&cohort);
      return vesicle_cli_fail ("train", error);
    }
  if (!quiet)
    fprintf (stderr, "vesicle-cli: %u network(s) %s on %s (%s); building kernels…\n", cohort.K,
             hidden ? hidden : "100,100", dev->info.name, dev->info.platform_name);
  engine = vesicle_cl_cohort_new (dev, &cohort, &error);
  if (engine == NULL)
    {
      vesicle_cohort_config_clear (&cohort);
      return vesicle_cli_fail ("train", error);
    }
  described = engine->vtable->describe (engine);

  train_t = vesicle_labels_as_targets (train->y, train->n);
  test_t = vesicle_labels_as_targets (test->y, test->n);
  {
    VesicleExamples tr = { train->n, train->dim, 1, train->x, train_t };
    VesicleExamples te = { test->n, test->dim, 1, test->x, test_t };

    trainer = vesicle_trainer_new (engine, &schedule, &tr, &te, &error);
  }
  if (trainer == NULL)
    {
      vesicle_cohort_config_clear (&cohort);
      return vesicle_cli_fail ("train", error);
    }

  started = g_date_time_new_now_local ();
  info = (VesicleRunInfo) {
    .cohort = &cohort, .schedule = &schedule, .dataset_name = train->name,
    .dataset_path = dataset, .normalised = normalise, .n_train = train->n, .n_test = test->n,
    .device = described, .status = "running", .started = started,
  };
  if (!vesicle_run_write_info (out, &info, &error))
    {
      vesicle_trainer_free (trainer);
      vesicle_cohort_config_clear (&cohort);
      return vesicle_cli_fail ("train", error);
    }

  loop = g_main_loop_new (NULL, FALSE);
  st = (TrainState) { loop, cancellable, trainer, out, &cohort, quiet, FALSE, NULL, NULL };
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &st);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &st);
  vesicle_trainer_run_async (trainer, cancellable, on_progress, &st, NULL, on_trained, &st);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  /* progress callbacks still queued in the main context carry the last epoch's rows */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  finished = g_date_time_new_now_local ();
  info.finished = finished;
  if (st.ok)
    info.status = "completed";
  else if (g_error_matches (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    info.status = "cancelled";
  else
    {
      info.status = "failed";
      info.error = st.error->message;
    }

  {
    g_autoptr(GError) save_error = NULL;
    const float *mu = vesicle_trainer_get_mu (trainer);
    const float *sigma = vesicle_trainer_get_sigma (trainer);
    gsize P = vesicle_shape_n_params (&cohort.shape);

    if ((mu && !vesicle_run_write_params (out, mu, sigma, cohort.K, P, &save_error))
        || !vesicle_run_write_info (out, &info, save_error ? NULL : &save_error))
      {
        vesicle_trainer_free (trainer);
        vesicle_cohort_config_clear (&cohort);
        g_clear_error (&st.error);
        g_clear_error (&st.write_error);
        return vesicle_cli_fail ("train", save_error);
      }
  }
  vesicle_trainer_free (trainer);
  vesicle_cohort_config_clear (&cohort);

  if (st.write_error)
    {
      vesicle_cli_fail ("train", st.write_error);
      g_clear_error (&st.write_error);
      g_clear_error (&st.error);
      return 1;
    }
  if (!st.ok)
    {
      int rc = g_str_equal (info.status, "cancelled") ? 130 : 1;
      if (rc == 1)
        vesicle_cli_fail ("train", st.error);
      g_clear_error (&st.error);
      return rc;
    }
  if (!quiet)
    fprintf (stderr, "vesicle-cli: run written to %s\n", out);
  return 0;
}
