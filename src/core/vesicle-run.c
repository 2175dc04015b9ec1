/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run folders (see vesicle-run.h). Files are written whole, synced and renamed into place
 * (vesicle-file.h), except metrics.csv, which grows an epoch at a time, synced after each.
 */
#include "vesicle-run.h"
#include "vesicle-build-config.h"
#include "vesicle-file.h"
#include "vesicle-json.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* metrics.csv: a row of ~300 bytes per network per epoch; a million rows is far beyond any sweep */
#define METRICS_MAX_BYTES ((gsize) 512 << 20)

const char *
vesicle_setting_name (VesicleSigmaSetting setting)
{
  return setting == VESICLE_SIGMA_HOMO ? "homo" : "hetero";
}

static const char *const status_names[] = {
  [VESICLE_RUN_RUNNING] = "running",
  [VESICLE_RUN_COMPLETED] = "completed",
  [VESICLE_RUN_CANCELLED] = "cancelled",
  [VESICLE_RUN_FAILED] = "failed",
  [VESICLE_RUN_INTERRUPTED] = "interrupted",
};

const char *
vesicle_run_status_to_string (VesicleRunStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), "failed");
  return status_names[status];
}

gboolean
vesicle_run_status_from_string (const char       *text,
                                VesicleRunStatus *status)
{
  for (guint i = 0; text && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

VesicleRunStatus
vesicle_run_status_from_error (const GError *error)
{
  if (error == NULL)
    return VESICLE_RUN_COMPLETED;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return VESICLE_RUN_CANCELLED;
  return VESICLE_RUN_FAILED;
}

gboolean
vesicle_run_prepare_dir (const char  *dir,
                         gboolean     overwrite,
                         GError     **error)
{
  g_autofree char *info = g_build_filename (dir, "run.json", NULL);
  g_autofree char *metrics = g_build_filename (dir, "metrics.csv", NULL);

  if (!vesicle_file_make_dir (dir, error))
    return FALSE;
  if (g_access (dir, W_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot write into the folder: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (info, G_FILE_TEST_EXISTS) && !overwrite)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds a run (run.json); choose another --out or pass --overwrite",
                   dir);
      return FALSE;
    }
  g_remove (metrics);
  return TRUE;
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *v)
{
  json_builder_set_member_name (b, name);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          GDateTime   *t)
{
  g_autofree char *s = t ? g_date_time_format_iso8601 (t) : NULL;

  add_string (b, name, s);
}

JsonNode *
vesicle_run_info_to_json (const VesicleRunInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const VesicleCohortConfig *c = info->cohort;
  const VesicleShape *shape = &c->shape;

  json_builder_begin_object (b);
  add_string (b, "format", "vesicle-run/1");
  add_string (b, "vesicle_version", VESICLE_VERSION);
  add_string (b, "status", vesicle_run_status_to_string (info->status));
  add_string (b, "error", info->error);
  add_time (b, "started", info->started);
  add_time (b, "finished", info->finished);
  if (info->resumed_after > 0)
    add_int (b, "resumed_after_epoch", info->resumed_after);

  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  add_string (b, "name", info->dataset_name);
  add_string (b, "path", info->dataset_path);
  add_int (b, "n_train", info->n_train);
  add_int (b, "n_test", info->n_test);
  json_builder_set_member_name (b, "normalised");
  json_builder_add_boolean_value (b, info->normalised);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sizes");
  json_builder_begin_array (b);
  for (guint l = 0; l <= shape->n_layers; l++)
    json_builder_add_int_value (b, shape->sizes[l]);
  json_builder_end_array (b);
  add_string (b, "head", shape->head == VESICLE_HEAD_SOFTMAX ? "softmax" : "gaussian");
  if (shape->head == VESICLE_HEAD_GAUSSIAN)
    add_double (b, "noise_sd", shape->noise_sd);
  add_int (b, "n_params", vesicle_shape_n_params (shape));
  add_string (b, "stochastic", "weights and biases");
  add_string (b, "hidden_activation", "relu");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "training");
  json_builder_begin_object (b);
  add_int (b, "epochs", info->schedule->epochs);
  add_int (b, "sigma_epochs", info->schedule->sigma_epochs);
  add_int (b, "batch", c->batch);
  add_int (b, "eval_batch", c->eval_batch);
  add_int (b, "eval_every", info->schedule->eval_every);
  add_int (b, "data_seed", (gint64) info->schedule->data_seed);
  add_string (b, "optimizer", "adam");
  add_double (b, "lr", c->lr);
  add_double (b, "beta1", c->beta1);
  add_double (b, "beta2", c->beta2);
  add_double (b, "eps", c->eps);
  add_double (b, "mu_init_range", c->init_range);
  add_double (b, "sigma_init", c->sigma_init);
  add_string (b, "objective", "sum_batch NLL + (B/N) (lambda sum|mu| + c sum sigma^-rho)");
  add_string (b, "noise", "Philox4x32-10 keyed (seed, step, tensor, index): one draw per "
                          "minibatch shared by its examples; networks with equal seeds share "
                          "noise (common random numbers)");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "networks");
  json_builder_begin_array (b);
  for (guint k = 0; k < c->K; k++)
    {
      const VesicleHyper *h = &c->hyper[k];

      json_builder_begin_object (b);
      add_int (b, "network", k);
      add_double (b, "rho", h->rho);
      add_double (b, "c", h->c);
      add_double (b, "lambda", h->lambda);
      add_string (b, "setting", vesicle_setting_name (h->setting));
      add_int (b, "seed", (gint64) h->seed);
      add_string (b, "cost", h->cost == VESICLE_COST_ENTROPY ? "entropy (variational Bayes)"
                                                              : "power");
      if (h->prior_l1 > 0 || h->prior_precision > 0)
        {
          add_double (b, "prior_l1", h->prior_l1);
          add_double (b, "prior_precision", h->prior_precision);
        }
      if (h->lr > 0)
        add_double (b, "lr", h->lr);
      add_string (b, "status", info->stop_reasons && info->stop_reasons[k] ? "diverged"
                                                                           : "trained");
      if (info->stop_reasons && info->stop_reasons[k])
        add_string (b, "stopped", info->stop_reasons[k]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "device");
  json_builder_begin_object (b);
  if (info->device)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (info->device),
                                           (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l; l = l->next)
        add_string (b, l->data, g_hash_table_lookup (info->device, l->data));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
vesicle_run_write_info (const char           *dir,
                        const VesicleRunInfo *info,
                        GError              **error)
{
  g_autoptr(JsonNode) root = vesicle_run_info_to_json (info);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);

  return vesicle_json_write (path, root, error);
}

gboolean
vesicle_run_append_metrics (const char                *dir,
                            const VesicleCohortConfig *cohort,
                            const VesicleEpochMetrics *rows,
                            guint                      n_rows,
                            GError                   **error)
{
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  gboolean header = !g_file_test (path, G_FILE_TEST_EXISTS);
  g_autoptr(GString) s = g_string_new (NULL);
  guint L = cohort->shape.n_layers;

  if (header)
    {
      g_string_append (s, "network,epoch,rho,c,lambda,setting,seed,train_nll,train_accuracy,"
                          "l1,cost,objective,test_accuracy,test_nll,test_accuracy_mean,"
                          "mean_sigma,rms_sigma,reliability_cost_s1");
      for (guint l = 0; l < L; l++)
        g_string_append_printf (s, ",mean_sigma_layer%u,rms_sigma_layer%u", l + 1, l + 1);
      g_string_append (s, ",status\n");
    }
  for (guint r = 0; r < n_rows; r++)
    {
      const VesicleEpochMetrics *m = &rows[r];
      const VesicleHyper *h = &cohort->hyper[m->network];
      double v[] = { m->train_nll, m->train_accuracy, m->l1, m->cost, m->objective,
                     m->test_accuracy, m->test_nll, m->test_accuracy_mean, m->mean_sigma,
                     m->rms_sigma, m->reliability_cost_s1 };
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (s, "%u,%u,", m->network, m->epoch);
      g_string_append_printf (s, "%s,", g_ascii_formatd (buf, sizeof buf, "%.10g", h->rho));
      g_string_append_printf (s, "%s,", g_ascii_formatd (buf, sizeof buf, "%.10g", h->c));
      g_string_append_printf (s, "%s,", g_ascii_formatd (buf, sizeof buf, "%.10g", h->lambda));
      g_string_append_printf (s, "%s,%" G_GUINT64_FORMAT, vesicle_setting_name (h->setting),
                              h->seed);
      for (guint i = 0; i < G_N_ELEMENTS (v); i++)
        g_string_append_printf (s, ",%s", isfinite (v[i])
                                ? g_ascii_formatd (buf, sizeof buf, "%.8g", v[i]) : "");
      for (guint l = 0; l < L; l++)
        {
          g_string_append_printf (s, ",%s", g_ascii_formatd (buf, sizeof buf, "%.8g",
                                                             m->layer_mean_sigma[l]));
          g_string_append_printf (s, ",%s", g_ascii_formatd (buf, sizeof buf, "%.8g",
                                                             m->layer_rms_sigma[l]));
        }
      /* a diverged network's rows say so (its reason is in run.json) */
      g_string_append (s, m->stopped ? ",diverged\n" : ",trained\n");
    }

  return vesicle_file_append_synced (path, s->str, s->len, error);
}

gboolean
vesicle_write_npy (const char   *path,
                   const float  *data,
                   const gsize  *dims,
                   guint         n_dims,
                   GError      **error)
{
  g_autoptr(GString) header = g_string_new ("{'descr': '<f4', 'fortran_order': False, 'shape': (");
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize count = 1;
  guint16 header_len;

  for (guint d = 0; d < n_dims; d++)
    {
      g_string_append_printf (header, "%" G_GSIZE_FORMAT "%s", dims[d],
                              n_dims == 1 || d + 1 < n_dims ? ", " : "");
      count *= dims[d];
    }
  g_string_append (header, "), }");
  /* magic (6) + version (2) + length (2) + header, padded with spaces to 64 bytes, '\n' last */
  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  header_len = GUINT16_TO_LE ((guint16) header->len);

  g_byte_array_append (out, (const guint8 *) "\x93NUMPY\x01\x00", 8);
  g_byte_array_append (out, (const guint8 *) &header_len, 2);
  g_byte_array_append (out, (const guint8 *) header->str, header->len);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_byte_array_append (out, (const guint8 *) data, count * sizeof (float));
#else
  for (gsize i = 0; i < count; i++)
    {
      guint32 v;
      memcpy (&v, &data[i], 4);
      v = GUINT32_TO_LE (v);
      g_byte_array_append (out, (const guint8 *) &v, 4);
    }
#endif
  return vesicle_file_write_atomic (path, out->data, out->len, error);
}

float *
vesicle_read_npy (const char  *path,
                  gsize       *dims,
                  guint       *n_dims,
                  GError     **error)
{
  guint8 preamble[10];
  g_autofree char *header = NULL;
  g_autofree float *data = NULL;
  gsize count = 1, header_len;
  const char *shape;
  struct stat st;
  char *end;
  int fd;

  /* a regular file only, read no further than its header's shape says and its size confirms */
  if ((fd = vesicle_file_open_regular (path, &st, error)) < 0)
    return NULL;
  if (st.st_size < 10
      || !vesicle_file_read_exact (fd, preamble, sizeof preamble, path, NULL)
      || memcmp (preamble, "\x93NUMPY", 6) != 0)
    goto bad;
  header_len = preamble[8] | ((gsize) preamble[9] << 8);
  if (10 + header_len > (guint64) st.st_size)
    goto bad;
  header = g_malloc (header_len + 1);
  if (!vesicle_file_read_exact (fd, header, header_len, path, NULL))
    goto bad;
  header[header_len] = '\0';
  if (!g_strstr_len (header, header_len, "'<f4'")
      || g_strstr_len (header, header_len, "'fortran_order': True")
      || !(shape = g_strstr_len (header, header_len, "'shape': (")))
    goto bad;
  shape += strlen ("'shape': (");
  *n_dims = 0;
  while (*n_dims < 4)
    {
      guint64 v;

      if (!g_ascii_isdigit (*shape))
        break;
      v = g_ascii_strtoull (shape, &end, 10);
      if (end == shape || (v != 0 && count > G_MAXSIZE / sizeof (float) / v))
        goto bad;
      dims[(*n_dims)++] = v;
      count *= v;
      shape = end;
      while (*shape == ',' || *shape == ' ')
        shape++;
    }
  if (*n_dims == 0 || count == 0 || 10 + header_len + count * sizeof (float) != (guint64) st.st_size)
    goto bad;
  data = g_new (float, count);
  if (!vesicle_file_read_exact (fd, data, count * sizeof (float), path, error))
    {
      close (fd);
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&data);

bad:
  close (fd);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: not a non-empty float32 C-order .npy array as Vesicle writes them", path);
  return NULL;
}

gboolean
vesicle_run_write_params (const char   *dir,
                          const float  *mu,
                          const float  *sigma,
                          guint         K,
                          gsize         P,
                          GError      **error)
{
  gsize dims[2] = { K, P };
  g_autofree char *mu_path = g_build_filename (dir, "mu.npy", NULL);
  g_autofree char *sigma_path = g_build_filename (dir, "sigma.npy", NULL);

  return vesicle_write_npy (mu_path, mu, dims, 2, error)
         && vesicle_write_npy (sigma_path, sigma, dims, 2, error);
}

typedef struct {
  const char                *dir;
  const VesicleCohortConfig *cohort;
  VesicleProgressFunc        progress;
  gpointer                   user_data;
  GError                    *write_error;
} RunSink;

static void
on_run_progress (const VesicleProgress *p,
                 gpointer               data)
{
  RunSink *sink = data;

  /* the epoch's rows go to disk first: a crash after this loses nothing already done */
  if (p->metrics != NULL && sink->write_error == NULL)
    vesicle_run_append_metrics (sink->dir, sink->cohort, p->metrics, p->K, &sink->write_error);
  if (sink->progress)
    sink->progress (p, sink->user_data);
}

/* The trainer's reasons, (K), borrowed: free the array only. */
static const char **
stop_reasons (VesicleTrainer *trainer,
              guint           K)
{
  const char **reasons = g_new0 (const char *, K + 1);

  for (guint k = 0; k < K; k++)
    reasons[k] = vesicle_trainer_get_stop_reason (trainer, k);
  return reasons;
}

/* vesicle_run_train without its clean-up of @info, which borrows what lives here. */
static gboolean
train_and_record (const char          *dir,
                  VesicleRunInfo      *info,
                  gboolean             overwrite,
                  VesicleTrainer      *trainer,
                  GCancellable        *cancellable,
                  VesicleProgressFunc  progress,
                  gpointer             user_data,
                  GDateTime           *started,
                  GError             **error)
{
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GError) train_error = NULL;
  g_autoptr(GError) save_error = NULL;
  const VesicleCohortConfig *cohort = info->cohort;
  RunSink sink = { dir, cohort, progress, user_data, NULL };
  g_autofree char *checkpoint = g_build_filename (dir, "checkpoint.bin", NULL);
  g_autofree const char **reasons_before = stop_reasons (trainer, cohort->K);
  g_autofree const char **reasons_after = NULL;
  const float *mu;
  gboolean trained;

  if (!vesicle_run_prepare_dir (dir, overwrite, error))
    return FALSE;
  info->status = VESICLE_RUN_RUNNING;
  info->error = NULL;
  info->started = started;
  info->finished = NULL;
  info->resumed_after = vesicle_trainer_get_epochs_done (trainer);
  info->stop_reasons = reasons_before;
  if (!vesicle_run_write_info (dir, info, error))
    return FALSE;
  /* resumed: metrics.csv starts again from the checkpoint's rows, the rows it can trust */
  if (info->resumed_after > 0)
    {
      guint n_rows;
      const VesicleEpochMetrics *rows = vesicle_trainer_get_metrics (trainer, &n_rows);

      if (!vesicle_run_append_metrics (dir, cohort, rows, n_rows, error))
        return FALSE;
    }
  vesicle_trainer_set_checkpoint (trainer, checkpoint);

  trained = vesicle_trainer_run (trainer, cancellable, on_run_progress, &sink, &train_error);
  info->stop_reasons = reasons_after = stop_reasons (trainer, cohort->K);

  finished = g_date_time_new_now_local ();
  info->finished = finished;
  info->status = vesicle_run_status_from_error (train_error);
  info->error = train_error ? train_error->message : NULL;
  /* the parameters as they stand, also after a cancel or a failure mid-epoch */
  mu = vesicle_trainer_get_mu (trainer);
  if (mu != NULL)
    vesicle_run_write_params (dir, mu, vesicle_trainer_get_sigma (trainer), cohort->K,
                              vesicle_shape_n_params (&cohort->shape), &save_error);
  vesicle_run_write_info (dir, info, save_error ? NULL : &save_error);
  if (trained && !info->keep_checkpoint)
    g_remove (checkpoint);

  if (!trained)
    {
      g_clear_error (&sink.write_error);
      g_propagate_error (error, g_steal_pointer (&train_error));
      return FALSE;
    }
  if (sink.write_error || save_error)
    {
      g_propagate_error (error, sink.write_error ? sink.write_error : g_steal_pointer (&save_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
vesicle_run_train (const char          *dir,
                   VesicleRunInfo      *info,
                   gboolean             overwrite,
                   VesicleTrainer      *trainer,
                   GCancellable        *cancellable,
                   VesicleProgressFunc  progress,
                   gpointer             user_data,
                   GError             **error)
{
  g_autoptr(GDateTime) started = g_date_time_new_now_local ();
  gboolean ok;

  g_return_val_if_fail (dir != NULL && info != NULL && trainer != NULL, FALSE);

  ok = train_and_record (dir, info, overwrite, trainer, cancellable, progress, user_data,
                         started, error);
  /* what info borrowed dies with this call, however it ended */
  info->started = info->finished = NULL;
  info->stop_reasons = NULL;
  info->error = NULL;
  return ok;
}

/* ---- reading metrics.csv -------------------------------------------------------------------- */

static gboolean
parse_field (const char *text,
             double     *out)
{
  char *end = NULL;

  if (*text == '\0')
    {
      *out = NAN;
      return TRUE;
    }
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

GArray *
vesicle_run_read_metrics (const char  *dir,
                          GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (VesicleMetricsRow));
  /* columns this reader needs, by name, so that files with more columns still read */
  static const char *const names[] = {
    "network", "epoch", "rho", "c", "lambda", "setting", "seed", "train_nll", "train_accuracy",
    "l1", "cost", "objective", "test_accuracy", "test_nll", "test_accuracy_mean", "mean_sigma",
    "rms_sigma", "reliability_cost_s1",
  };
  int col[G_N_ELEMENTS (names)];
  guint n_header, n_layers = 0;
  int layer_col[VESICLE_MAX_LAYERS][2];

  if (!(text = vesicle_file_read_bounded (path, METRICS_MAX_BYTES, NULL, error)))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL || *lines[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: empty, no header", path);
      return NULL;
    }
  header = g_strsplit (lines[0], ",", -1);
  n_header = g_strv_length (header);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      col[i] = -1;
      for (guint j = 0; j < n_header; j++)
        if (g_str_equal (header[j], names[i]))
          col[i] = j;
      if (col[i] < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: the header has no column '%s'", path, names[i]);
          return NULL;
        }
    }
  for (guint l = 0; l < VESICLE_MAX_LAYERS; l++)
    {
      g_autofree char *mean = g_strdup_printf ("mean_sigma_layer%u", l + 1);
      g_autofree char *rms = g_strdup_printf ("rms_sigma_layer%u", l + 1);

      layer_col[l][0] = layer_col[l][1] = -1;
      for (guint j = 0; j < n_header; j++)
        {
          if (g_str_equal (header[j], mean))
            layer_col[l][0] = j;
          if (g_str_equal (header[j], rms))
            layer_col[l][1] = j;
        }
      if (layer_col[l][0] < 0 || layer_col[l][1] < 0)
        break;
      n_layers = l + 1;
    }

  for (guint line = 1; lines[line]; line++)
    {
      g_auto(GStrv) f = NULL;
      VesicleMetricsRow row = { 0 };
      double v[G_N_ELEMENTS (names)];

      if (*lines[line] == '\0')
        continue;
      f = g_strsplit (lines[line], ",", -1);
      if (g_strv_length (f) != n_header)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s, line %u: %u fields, the header has %u", path, line + 1,
                       g_strv_length (f), n_header);
          return NULL;
        }
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (i != 5 && i != 6 && !parse_field (f[col[i]], &v[i]))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s, line %u: '%s' is not a number (column %s)", path, line + 1,
                         f[col[i]], names[i]);
            return NULL;
          }
      if (!(v[0] >= 0 && v[1] >= 1 && v[0] < G_MAXUINT32 && v[1] < G_MAXUINT32))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s, line %u: no network and epoch", path, line + 1);
          return NULL;
        }
      /* The seed is written as a whole number, and read as one: a double could not hold
       * every 64-bit seed, and one out of range must not reach a cast. */
      if (!g_ascii_string_to_unsigned (f[col[6]], 10, 0, G_MAXUINT64, &row.seed, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s, line %u: the seed '%s' is not a whole number from 0 to %"
                       G_GUINT64_FORMAT, path, line + 1, f[col[6]], G_MAXUINT64);
          return NULL;
        }
      if (!g_str_equal (f[col[5]], "homo") && !g_str_equal (f[col[5]], "hetero"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s, line %u: the setting '%s' is neither homo nor hetero", path,
                       line + 1, f[col[5]]);
          return NULL;
        }
      row.metrics.network = (guint) v[0];
      row.metrics.epoch = (guint) v[1];
      row.rho = v[2];
      row.c = v[3];
      row.lambda = v[4];
      row.setting = g_str_equal (f[col[5]], "homo") ? VESICLE_SIGMA_HOMO : VESICLE_SIGMA_HETERO;
      row.metrics.train_nll = v[7];
      row.metrics.train_accuracy = v[8];
      row.metrics.l1 = v[9];
      row.metrics.cost = v[10];
      row.metrics.objective = v[11];
      row.metrics.test_accuracy = v[12];
      row.metrics.test_nll = v[13];
      row.metrics.test_accuracy_mean = v[14];
      row.metrics.mean_sigma = v[15];
      row.metrics.rms_sigma = v[16];
      row.metrics.reliability_cost_s1 = v[17];
      row.metrics.n_layers = n_layers;
      for (guint l = 0; l < n_layers; l++)
        if (!parse_field (f[layer_col[l][0]], &row.metrics.layer_mean_sigma[l])
            || !parse_field (f[layer_col[l][1]], &row.metrics.layer_rms_sigma[l]))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s, line %u: a layer's sigma is not a number", path, line + 1);
            return NULL;
          }
      g_array_append_val (rows, row);
    }
  return g_steal_pointer (&rows);
}
