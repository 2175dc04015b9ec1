/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checkpoints and divergence, through the trainer and the OpenCL engine on a small slice of the
 * bundled MNIST subset:
 *  - a run stopped mid-epoch and resumed from its last checkpoint in a fresh engine ends with
 *    bit-identical parameters and metrics to a run that never stopped (heterogeneous and
 *    homogeneous networks, a sigma-only epoch at the end);
 *  - a damaged, truncated or foreign checkpoint is refused with the file named;
 *  - a network driven to divergence by a huge learning rate stops with a reason, and the rest of
 *    its cohort is bit-identical to the same cohort without it diverging.
 */
#include "vesicle-checkpoint.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-dataset.h"
#include "vesicle-trainer.h"
#include "vesicle-build-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define N_TRAIN 400
#define N_TEST 200

typedef struct {
  VesicleDataset  *train;
  VesicleDataset  *test;
  float           *train_t;
  float           *test_t;
  VesicleExamples  tr;
  VesicleExamples  te;
} Data;

static Data data;

static void
data_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (VESICLE_SOURCE_DATADIR, "mnist-subset", NULL);

  g_assert_true (vesicle_dataset_load_dir (dir, &data.train, &data.test, &error));
  g_assert_no_error (error);
  data.train_t = vesicle_labels_as_targets (data.train->y, data.train->n);
  data.test_t = vesicle_labels_as_targets (data.test->y, data.test->n);
  data.tr = (VesicleExamples) { N_TRAIN, data.train->dim, 1, data.train->x, data.train_t };
  data.te = (VesicleExamples) { N_TEST, data.test->dim, 1, data.test->x, data.test_t };
}

static void
data_clear (void)
{
  vesicle_dataset_free (data.train);
  vesicle_dataset_free (data.test);
  g_free (data.train_t);
  g_free (data.test_t);
}

/* Three networks: heterogeneous, homogeneous, heterogeneous at another cost and seed. */
static void
cohort_init (VesicleCohortConfig *cfg)
{
  guint hidden[] = { 30 };

  vesicle_cohort_config_init (cfg);
  g_assert_true (vesicle_shape_init (&cfg->shape, 784, hidden, 1, 10, VESICLE_HEAD_SOFTMAX, NULL));
  cfg->K = 3;
  cfg->hyper = g_new0 (VesicleHyper, 3);
  cfg->hyper[0] = (VesicleHyper) { 0.5, 1e-2, 1e-4, VESICLE_SIGMA_HETERO, 1 };
  cfg->hyper[1] = (VesicleHyper) { 2.0, 1e-1, 1e-4, VESICLE_SIGMA_HOMO, 1 };
  cfg->hyper[2] = (VesicleHyper) { 4.0 / 3, 1.0, 0.0, VESICLE_SIGMA_HETERO, 7 };
  cfg->n_train = N_TRAIN;
  cfg->sigma_init = 1e-2;
  cfg->lr = 4e-3;
}

static VesicleTrainer *
trainer_new (const VesicleCohortConfig *cfg)
{
  VesicleTrainSchedule schedule = { .epochs = 3, .eval_every = 1, .data_seed = 5,
                                    .progress_every = 5, .sigma_epochs = 1 };
  g_autoptr(GError) error = NULL;
  VesicleClDevice *dev = vesicle_cl_device_open (NULL, &error);
  VesicleEngine *engine;
  VesicleTrainer *trainer;

  g_assert_no_error (error);
  engine = vesicle_cl_cohort_new (dev, cfg, &error);
  g_assert_no_error (error);
  trainer = vesicle_trainer_new (engine, &schedule, &data.tr, &data.te, &error);
  g_assert_no_error (error);
  return trainer;
}

static void
assert_same_results (VesicleTrainer            *a,
                     VesicleTrainer            *b,
                     const VesicleCohortConfig *cfg)
{
  gsize KP = cfg->K * vesicle_shape_n_params (&cfg->shape);
  const VesicleEpochMetrics *ma, *mb;
  guint na, nb;

  ma = vesicle_trainer_get_metrics (a, &na);
  mb = vesicle_trainer_get_metrics (b, &nb);
  g_assert_cmpuint (na, ==, nb);
  g_assert_cmpuint (na, ==, 4 * cfg->K);
  /* bit for bit: memcmp, not a tolerance */
  g_assert_cmpmem (ma, na * sizeof *ma, mb, nb * sizeof *mb);
  g_assert_cmpmem (vesicle_trainer_get_mu (a), KP * sizeof (float),
                   vesicle_trainer_get_mu (b), KP * sizeof (float));
  g_assert_cmpmem (vesicle_trainer_get_sigma (a), KP * sizeof (float),
                   vesicle_trainer_get_sigma (b), KP * sizeof (float));
}

typedef struct {
  GCancellable *cancellable;
  guint         epoch;
  guint64       after_step;
} StopAt;

/* Mid-epoch, as a kill would: no epoch end to save at. */
static void
stop_at (const VesicleProgress *p,
         gpointer               user_data)
{
  StopAt *at = user_data;

  if (p->epoch == at->epoch && p->metrics == NULL && p->step > at->after_step)
    g_cancellable_cancel (at->cancellable);
}

/* As the epoch's report comes, as Cancel in the window or Ctrl-C may. */
static void
stop_at_epoch_end (const VesicleProgress *p,
                   gpointer               user_data)
{
  StopAt *at = user_data;

  if (p->epoch == at->epoch && p->metrics != NULL)
    g_cancellable_cancel (at->cancellable);
}

static void
test_resume_bit_identical (void)
{
  VesicleCohortConfig cfg;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vesicle-checkpoint-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "checkpoint.bin", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VesicleTrainer) whole = NULL;
  g_autoptr(VesicleTrainer) stopped = NULL;
  g_autoptr(VesicleTrainer) resumed = NULL;
  StopAt at = { cancellable, 3, 2 * (N_TRAIN / 20) + 7 };
  guint n_rows;

  g_assert_no_error (error);
  cohort_init (&cfg);
  whole = trainer_new (&cfg);
  g_assert_true (vesicle_trainer_run (whole, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* stopped in the third epoch, as a kill would: the checkpoint holds the first epoch, always
   * written, or the second too, where its spacing (a twentieth of the time) allowed it */
  stopped = trainer_new (&cfg);
  vesicle_trainer_set_checkpoint (stopped, path);
  g_assert_false (vesicle_trainer_run (stopped, cancellable, stop_at, &at, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  vesicle_trainer_get_metrics (stopped, &n_rows);
  g_assert_cmpuint (n_rows, ==, 2 * cfg.K);

  resumed = trainer_new (&cfg);
  g_assert_true (vesicle_trainer_resume (resumed, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vesicle_trainer_get_epochs_done (resumed), >=, 1);
  g_assert_cmpuint (vesicle_trainer_get_epochs_done (resumed), <=, 2);
  vesicle_trainer_set_checkpoint (resumed, path);
  g_assert_true (vesicle_trainer_run (resumed, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_results (whole, resumed, &cfg);

  /* cancelled as the second epoch ends: that epoch is checkpointed, whatever the spacing */
  g_clear_pointer (&stopped, vesicle_trainer_free);
  g_clear_pointer (&resumed, vesicle_trainer_free);
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  at = (StopAt) { cancellable, 2, 0 };
  stopped = trainer_new (&cfg);
  vesicle_trainer_set_checkpoint (stopped, path);
  g_assert_false (vesicle_trainer_run (stopped, cancellable, stop_at_epoch_end, &at, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  resumed = trainer_new (&cfg);
  g_assert_true (vesicle_trainer_resume (resumed, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vesicle_trainer_get_epochs_done (resumed), ==, 2);
  vesicle_trainer_set_checkpoint (resumed, path);
  g_assert_true (vesicle_trainer_run (resumed, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_same_results (whole, resumed, &cfg);

  /* the last epoch's checkpoint leaves nothing to train, and the same results */
  g_clear_pointer (&resumed, vesicle_trainer_free);
  resumed = trainer_new (&cfg);
  g_assert_true (vesicle_trainer_resume (resumed, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vesicle_trainer_get_epochs_done (resumed), ==, 4);
  g_assert_true (vesicle_trainer_run (resumed, NULL, NULL, NULL, &error));
  assert_same_results (whole, resumed, &cfg);

  g_unlink (path);
  g_rmdir (dir);
  vesicle_cohort_config_clear (&cfg);
}

static void
assert_refused (VesicleTrainer *trainer,
                const char     *path,
                const char     *why)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vesicle_trainer_resume (trainer, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, why));
}

static void
test_refused (void)
{
  VesicleCohortConfig cfg, other;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vesicle-checkpoint-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "checkpoint.bin", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.bin", NULL);
  g_autoptr(VesicleTrainer) trainer = NULL;
  g_autoptr(VesicleTrainer) foreign = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  cohort_init (&cfg);
  trainer = trainer_new (&cfg);
  vesicle_trainer_set_checkpoint (trainer, path);
  g_assert_true (vesicle_trainer_run (trainer, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* cut short */
  g_assert_true (g_file_set_contents (bad, contents, length - 5, NULL));
  assert_refused (trainer, bad, "length");
  /* one bit flipped in the state */
  contents[length - 4000] ^= 0x10;
  g_assert_true (g_file_set_contents (bad, contents, length, NULL));
  assert_refused (trainer, bad, "checksum");
  /* not a checkpoint */
  g_assert_true (g_file_set_contents (bad, "{\"K\": 3}\n", -1, NULL));
  assert_refused (trainer, bad, "start");

  /* another learning rate: another run */
  cohort_init (&other);
  other.lr = 1e-3;
  foreign = trainer_new (&other);
  assert_refused (foreign, path, "another configuration");

  g_unlink (path);
  g_unlink (bad);
  g_rmdir (dir);
  vesicle_cohort_config_clear (&cfg);
  vesicle_cohort_config_clear (&other);
}

static void
test_divergence (void)
{
  VesicleCohortConfig cfg, wild;
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleTrainer) tame = NULL;
  g_autoptr(VesicleTrainer) diverged = NULL;
  const VesicleEpochMetrics *mt, *md;
  gsize P;
  guint nt, nd;
  const char *reason;

  cohort_init (&cfg);
  cohort_init (&wild);
  wild.hyper[1].lr = 1e30;
  P = vesicle_shape_n_params (&cfg.shape);

  tame = trainer_new (&cfg);
  g_assert_true (vesicle_trainer_run (tame, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  diverged = trainer_new (&wild);
  g_assert_true (vesicle_trainer_run (diverged, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  reason = vesicle_trainer_get_stop_reason (diverged, 1);
  g_assert_nonnull (reason);
  g_test_message ("network 1: %s", reason);
  g_assert_true (g_str_has_prefix (reason, "diverged in epoch 1:"));
  g_assert_null (vesicle_trainer_get_stop_reason (diverged, 0));
  g_assert_null (vesicle_trainer_get_stop_reason (diverged, 2));
  g_assert_null (vesicle_trainer_get_stop_reason (tame, 1));

  /* the others trained on, untouched by their neighbour's NaN */
  mt = vesicle_trainer_get_metrics (tame, &nt);
  md = vesicle_trainer_get_metrics (diverged, &nd);
  g_assert_cmpuint (nt, ==, nd);
  for (guint r = 0; r < nd; r++)
    if (md[r].network != 1)
      g_assert_cmpmem (&mt[r], sizeof mt[r], &md[r], sizeof md[r]);
    else
      g_assert_false (isfinite (md[r].train_nll) && isfinite (md[r].mean_sigma));
  for (guint k = 0; k < 3; k += 2)
    g_assert_cmpmem (vesicle_trainer_get_mu (tame) + k * P, P * sizeof (float),
                     vesicle_trainer_get_mu (diverged) + k * P, P * sizeof (float));
  g_assert_cmpfloat (md[nd - 1].test_accuracy, >, 0.5);

  vesicle_cohort_config_clear (&cfg);
  vesicle_cohort_config_clear (&wild);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  data_load ();
  g_test_add_func ("/checkpoint/resume-bit-identical", test_resume_bit_identical);
  g_test_add_func ("/checkpoint/refused", test_refused);
  g_test_add_func ("/checkpoint/divergence", test_divergence);
  status = g_test_run ();
  data_clear ();
  return status;
}
