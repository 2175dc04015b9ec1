/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the experiment runner as front ends use it (OpenCL device: PoCL will do):
 * vesicle_experiment_run_async delivers its progress in the caller's main context, in order and
 * before completion, with the phases in words, every epoch's rows, a fraction that only rises
 * and ends at 1; a bad setting or dataset is refused before anything is written; cancelling
 * after the first of two cohorts stops the second within a quarter second of steps, marks the
 * folder cancelled and keeps the finished cohort, whose networks are in the partial summary; the
 * folder then reads back through vesicle-experiment-record. A device that fails in the second
 * cohort marks the folder failed with the device's error and keeps the first; an experiments
 * folder that cannot be made is refused with its path.
 */
#include "vesicle-test-experiment.h"
#include "vesicle-experiment-record.h"
#include "vesicle-run.h"

#include <math.h>

typedef struct {
  GThread      *main_thread;
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      cancel_after_cohort;
  gboolean      done;
  gboolean      ok;
  GError       *error;
  GPtrArray    *phases;
  guint         n_rows;
  guint         n_cohorts_done;
  guint         n_partial;
  double        last_fraction;
  gboolean      went_back;
  gboolean      off_thread;
  gboolean      after_done;
  double        remaining_seen;
} Watch;

static void
on_watch_progress (const VesicleExperimentProgress *p,
                   gpointer                         data)
{
  Watch *w = data;

  if (g_thread_self () != w->main_thread)
    w->off_thread = TRUE;
  if (w->done)
    w->after_done = TRUE;
  if (p->fraction + 1e-12 < w->last_fraction)
    w->went_back = TRUE;
  w->last_fraction = p->fraction;
  if (isfinite (p->remaining_s))
    w->remaining_seen = p->remaining_s;
  switch (p->kind)
    {
    case VESICLE_PROGRESS_PHASE:
      g_ptr_array_add (w->phases, g_strdup (p->phase));
      g_test_message ("[%3.0f%%] %s", 100 * p->fraction, p->phase);
      break;
    case VESICLE_PROGRESS_EPOCH:
      g_assert_nonnull (p->metrics);
      g_assert_nonnull (p->hyper);
      for (guint k = 0; k < p->K; k++)
        g_assert_cmpuint (p->metrics[k].epoch, ==, p->epoch);
      w->n_rows += p->K;
      break;
    case VESICLE_PROGRESS_COHORT:
      w->n_cohorts_done++;
      if (w->cancel_after_cohort)
        g_cancellable_cancel (w->cancellable);
      break;
    case VESICLE_PROGRESS_PARTIAL:
      w->n_partial++;
      break;
    default:
      break;
    }
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Watch *w = data;

  w->ok = vesicle_experiment_run_finish (result, &w->error);
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

static void
watch_init (Watch *w)
{
  memset (w, 0, sizeof *w);
  w->main_thread = g_thread_self ();
  w->loop = g_main_loop_new (NULL, FALSE);
  w->cancellable = g_cancellable_new ();
  w->phases = g_ptr_array_new_with_free_func (g_free);
}

static void
watch_clear (Watch *w)
{
  g_main_loop_unref (w->loop);
  g_object_unref (w->cancellable);
  g_ptr_array_unref (w->phases);
  g_clear_error (&w->error);
}

/* The experiment in a worker on engines from @open, until it completes; @w sees its progress. */
static void
run_on (Watch                       *w,
        const VesicleExperimentType *type,
        const char                  *dir,
        JsonObject                  *config,
        VesicleEngineOpenFunc        open)
{
  VesicleExperimentOptions options = {
    .out_dir = dir, .preset = "quick", .config = config, .open_engine = open,
  };

  vesicle_experiment_run_async (type, &options, w->cancellable, on_watch_progress, w, NULL,
                                on_done, w);
  g_main_loop_run (w->loop);
  /* anything still queued would arrive now: nothing may */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run (Watch                       *w,
     const VesicleExperimentType *type,
     const char                  *dir,
     JsonObject                  *config)
{
  run_on (w, type, dir, config, open_engine);
}

static gboolean
has_phase (Watch      *w,
           const char *phase)
{
  for (guint i = 0; i < w->phases->len; i++)
    if (g_str_equal (g_ptr_array_index (w->phases, i), phase))
      return TRUE;
  return FALSE;
}

static void
test_async (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_train_type.preset ("quick");
  g_autofree char *dir = vesicle_test_tmp_dir ("run-async");
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  g_autoptr(GArray) networks = NULL;
  Watch w;

  g_assert_true (vesicle_config_apply_set (config, "hidden=[16]", NULL));
  g_assert_true (vesicle_config_apply_set (config, "epochs=3", NULL));
  g_assert_true (vesicle_config_apply_set (config, "max_train=1000", NULL));
  g_assert_true (vesicle_config_apply_set (config, "c=[0.01,100]", NULL));
  g_assert_true (vesicle_config_apply_set (config, "settings=[\"hetero\"]", NULL));
  watch_init (&w);
  run (&w, &vesicle_experiment_train_type, dir, config);

  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_false (w.off_thread);
  g_assert_false (w.after_done);
  g_assert_false (w.went_back);
  g_assert_cmpfloat (w.last_fraction, ==, 1.0);
  g_assert_true (has_phase (&w, "Loading the dataset"));
  g_assert_true (has_phase (&w, "Preparing the OpenCL device"));
  g_assert_true (has_phase (&w, "Training 2 networks"));
  g_assert_true (has_phase (&w, "Finished"));
  g_assert_cmpuint (w.n_rows, ==, 2 * 3);
  g_assert_cmpuint (w.n_cohorts_done, ==, 1);

  /* the folder: one run in itself, its networks at their last epoch */
  rec = vesicle_experiment_record_load (dir, NULL);
  g_assert_nonnull (rec);
  g_assert_cmpstr (rec->type_name, ==, "train");
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_COMPLETED);
  g_assert_cmpuint (rec->runs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rec->runs, 0), ==, ".");
  networks = vesicle_experiment_record_networks (rec, NULL);
  g_assert_cmpuint (networks->len, ==, 2);
  for (guint k = 0; k < 2; k++)
    {
      VesicleNetworkSummary *n = &g_array_index (networks, VesicleNetworkSummary, k);

      g_assert_cmpuint (n->epoch, ==, 3);
      g_assert_true (n->test_accuracy > 0.1 && n->test_accuracy <= 1.0);
      g_assert_false (n->variational);
    }
  /* every epoch tested at sampled weights (the curves); at the means after the last only */
  {
    g_autoptr(GArray) rows = vesicle_experiment_record_metrics (rec, 0, NULL);

    g_assert_cmpuint (rows->len, ==, 2 * 3);
    for (guint i = 0; i < rows->len; i++)
      {
        const VesicleEpochMetrics *m = &g_array_index (rows, VesicleMetricsRow, i).metrics;

        g_assert_true (isfinite (m->test_accuracy));
        g_assert_true (isfinite (m->test_accuracy_mean) == (m->epoch == 3));
      }
  }
  /* more noise at the larger cost */
  g_assert_cmpfloat (g_array_index (networks, VesicleNetworkSummary, 1).mean_sigma, >,
                     g_array_index (networks, VesicleNetworkSummary, 0).mean_sigma);
  watch_clear (&w);
  vesicle_test_remove_tree (dir);
}

static void
test_refused_before_writing (void)
{
  g_autoptr(JsonObject) bad = vesicle_experiment_train_type.preset ("quick");
  g_autoptr(JsonObject) missing = vesicle_experiment_train_type.preset ("quick");
  g_autofree char *tmp = vesicle_test_tmp_dir ("run-refused");
  g_autofree char *dir = g_build_filename (tmp, "never", NULL);
  g_autofree char *nowhere = g_build_filename (tmp, "no-dataset", NULL);
  Watch w;

  g_assert_true (vesicle_config_apply_set (bad, "sigma_init=0", NULL));
  watch_init (&w);
  run (&w, &vesicle_experiment_train_type, dir, bad);
  g_assert_false (w.ok);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (w.error->message, "'sigma_init'"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  watch_clear (&w);

  json_object_set_string_member (missing, "dataset", nowhere);
  watch_init (&w);
  run (&w, &vesicle_experiment_train_type, dir, missing);
  g_assert_false (w.ok);
  g_assert_nonnull (strstr (w.error->message, nowhere));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  watch_clear (&w);
  vesicle_test_remove_tree (tmp);
}

static void
test_cancel_keeps_cohort (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_tradeoff.preset ("quick");
  g_autofree char *dir = vesicle_test_tmp_dir ("run-cancel");
  g_autofree char *second = g_build_filename (dir, "cohort-1", "run.json", NULL);
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  g_autoptr(JsonObject) summary = NULL;
  Watch w;
  const char *sets[] = {
    "hidden=[16]", "rho=[0.5]", "c=[0.01,1]", "settings=[\"hetero\"]", "seeds=[1]",
    "max_cohort=1", "max_train=200", "epochs=200",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    g_assert_true (vesicle_config_apply_set (config, sets[i], NULL));
  watch_init (&w);
  w.cancel_after_cohort = TRUE;
  run (&w, &vesicle_experiment_tradeoff, dir, config);

  g_assert_false (w.ok);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (w.n_cohorts_done, ==, 1);
  /* the first cohort's results were saved before the second began */
  g_assert_cmpuint (w.n_partial, ==, 1);
  g_assert_false (has_phase (&w, "Finished"));

  rec = vesicle_experiment_record_load (dir, NULL);
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_CANCELLED);
  summary = vesicle_experiment_record_load_summary (rec, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary, "networks")),
                    ==, 1);
  /* the second cohort stopped before it finished, or never began */
  if (g_file_test (second, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (second, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, "\"cancelled\""));
    }
  watch_clear (&w);
  vesicle_test_remove_tree (dir);
}

/* ---- a device that fails mid-run ---------------------------------------------------------- */

/* The second cohort's engine fails its fourth step with an OpenCL error, as a device lost
 * mid-run would: the real engine, with its step wrapped. */
static guint n_opened;
static guint n_steps;
static VesicleEngineVTable failing_vtable;
static gboolean (*real_step) (VesicleEngine *, guint, guint32, GError **);

static gboolean
failing_step (VesicleEngine  *self,
              guint           batch_index,
              guint32         step,
              GError        **error)
{
  if (++n_steps == 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "clEnqueueNDRangeKernel (train_forward): CL_OUT_OF_RESOURCES (-5)");
      return FALSE;
    }
  return real_step (self, batch_index, step, error);
}

static VesicleEngine *
open_failing_second (const VesicleCohortConfig *config,
                     const char                *selector,
                     GError                   **error)
{
  VesicleEngine *engine = open_engine (config, selector, error);

  if (engine != NULL && ++n_opened == 2)
    {
      failing_vtable = *engine->vtable;
      real_step = failing_vtable.step;
      failing_vtable.step = failing_step;
      engine->vtable = &failing_vtable;
    }
  return engine;
}

static void
test_device_fails (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_tradeoff.preset ("quick");
  g_autofree char *dir = vesicle_test_tmp_dir ("run-device-fails");
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  g_autoptr(JsonObject) summary = NULL;
  Watch w;
  const char *sets[] = {
    "hidden=[16]", "rho=[0.5]", "c=[0.01,1]", "settings=[\"hetero\"]", "seeds=[1]",
    "max_cohort=1", "max_train=200", "epochs=2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    g_assert_true (vesicle_config_apply_set (config, sets[i], NULL));
  n_opened = n_steps = 0;
  watch_init (&w);
  run_on (&w, &vesicle_experiment_tradeoff, dir, config, open_failing_second);

  /* the device's own words reach the caller */
  g_assert_false (w.ok);
  g_assert_nonnull (w.error);
  g_assert_nonnull (strstr (w.error->message, "CL_OUT_OF_RESOURCES"));
  g_assert_cmpuint (n_opened, ==, 2);
  g_assert_cmpuint (w.n_cohorts_done, ==, 1);

  /* failed, with the reason, and the first cohort's network kept */
  rec = vesicle_experiment_record_load (dir, NULL);
  g_assert_nonnull (rec);
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_FAILED);
  g_assert_nonnull (rec->error);
  g_assert_nonnull (strstr (rec->error, "CL_OUT_OF_RESOURCES"));
  summary = vesicle_experiment_record_load_summary (rec, NULL);
  g_assert_nonnull (summary);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary, "networks")),
                    ==, 1);
  watch_clear (&w);
  vesicle_test_remove_tree (dir);
}

/* An experiments folder under a file cannot be made (even as root): the error names it and
 * nothing trains. */
static void
test_unwritable_folder (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_train_type.preset ("quick");
  g_autofree char *tmp = vesicle_test_tmp_dir ("run-unwritable");
  g_autofree char *file = g_build_filename (tmp, "a-file", NULL);
  g_autofree char *dir = g_build_filename (file, "experiment", NULL);
  Watch w;

  g_assert_true (g_file_set_contents (file, "not a folder", -1, NULL));
  watch_init (&w);
  run (&w, &vesicle_experiment_train_type, dir, config);
  g_assert_false (w.ok);
  g_assert_nonnull (w.error);
  g_test_message ("%s", w.error->message);
  g_assert_nonnull (strstr (w.error->message, dir));
  g_assert_cmpuint (w.n_rows, ==, 0);
  watch_clear (&w);
  vesicle_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/experiment-run/async", test_async);
  g_test_add_func ("/experiment-run/refused-before-writing", test_refused_before_writing);
  g_test_add_func ("/experiment-run/cancel-keeps-cohort", test_cancel_keeps_cohort);
  g_test_add_func ("/experiment-run/device-fails", test_device_fails);
  g_test_add_func ("/experiment-run/unwritable-folder", test_unwritable_folder);

  return g_test_run ();
}
