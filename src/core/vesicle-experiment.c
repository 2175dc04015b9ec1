/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The experiment registry and what every experiment type shares: the run folder and its
 * experiment.json / summary.json, dataset loading from the config, training a cohort into a
 * subfolder, and progress messages.
 */
#include "vesicle-experiment.h"
#include "vesicle-build-config.h"
#include "vesicle-config.h"
#include "vesicle-json.h"
#include "vesicle-run.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static const VesicleExperimentType *const types[] = {
  &vesicle_experiment_costs,
  &vesicle_experiment_tradeoff,
  &vesicle_experiment_importance,
  &vesicle_experiment_bayes,
  &vesicle_experiment_predictive,
  &vesicle_experiment_zero_hidden,
};

const VesicleExperimentType *const *
vesicle_experiment_types (guint *n_types)
{
  *n_types = G_N_ELEMENTS (types);
  return types;
}

const VesicleExperimentType *
vesicle_experiment_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (types[i]->name, name))
      return types[i];
  return NULL;
}

void
vesicle_experiment_message (VesicleExperimentContext *ctx,
                            const char               *format,
                            ...)
{
  g_autofree char *text = NULL;
  va_list ap;

  if (ctx->message == NULL)
    return;
  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  ctx->message (text, ctx->message_data);
}

static JsonNode *
experiment_json (const VesicleExperimentType *type,
                 VesicleExperimentContext    *ctx,
                 const char                  *status,
                 const char                  *error,
                 GDateTime                   *started,
                 GDateTime                   *finished)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *t0 = g_date_time_format_iso8601 (started);
  g_autofree char *t1 = finished ? g_date_time_format_iso8601 (finished) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "vesicle-experiment/1");
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type->name);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, type->title);
  json_builder_set_member_name (b, "figures");
  json_builder_add_string_value (b, type->figures);
  json_builder_set_member_name (b, "preset");
  json_builder_add_string_value (b, ctx->preset ? ctx->preset : "custom");
  json_builder_set_member_name (b, "vesicle_version");
  json_builder_add_string_value (b, VESICLE_VERSION);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_set_member_name (b, "error");
  if (error)
    json_builder_add_string_value (b, error);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "started");
  json_builder_add_string_value (b, t0);
  json_builder_set_member_name (b, "finished");
  if (t1)
    json_builder_add_string_value (b, t1);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "config");
  {
    JsonNode *config = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (config, ctx->config);
    json_builder_add_value (b, config);
  }
  json_builder_set_member_name (b, "device");
  json_builder_begin_object (b);
  if (ctx->device)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (ctx->device),
                                           (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l; l = l->next)
        {
          json_builder_set_member_name (b, l->data);
          json_builder_add_string_value (b, g_hash_table_lookup (ctx->device, l->data));
        }
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
write_experiment_json (const VesicleExperimentType *type,
                       VesicleExperimentContext    *ctx,
                       const char                  *status,
                       const char                  *error_text,
                       GDateTime                   *started,
                       GDateTime                   *finished,
                       GError                     **error)
{
  g_autoptr(JsonNode) node = experiment_json (type, ctx, status, error_text, started, finished);
  g_autofree char *path = g_build_filename (ctx->out_dir, "experiment.json", NULL);

  return vesicle_json_write (path, node, error);
}

gboolean
vesicle_experiment_run (const VesicleExperimentType *type,
                        VesicleExperimentContext    *ctx,
                        gboolean                     overwrite,
                        GError                     **error)
{
  g_autofree char *marker = g_build_filename (ctx->out_dir, "experiment.json", NULL);
  g_autofree char *summary_path = g_build_filename (ctx->out_dir, "summary.json", NULL);
  g_autoptr(GDateTime) started = g_date_time_new_now_local ();
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GError) run_error = NULL;
  const char *status;
  gboolean ok;

  if (g_mkdir_with_parents (ctx->out_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot create the experiment folder: %s", ctx->out_dir,
                   g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (marker, G_FILE_TEST_EXISTS) && !overwrite)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds an experiment (experiment.json); choose another --out or "
                   "pass --overwrite", ctx->out_dir);
      return FALSE;
    }
  g_remove (summary_path);
  if (!write_experiment_json (type, ctx, "running", NULL, started, NULL, error))
    return FALSE;

  if (ctx->summary == NULL)
    ctx->summary = json_object_new ();
  ok = type->run (ctx, &run_error);
  finished = g_date_time_new_now_local ();
  status = ok ? "completed"
              : g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled"
                                                                              : "failed";

  /* whatever the type put in the summary so far is kept, even on failure */
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(GError) write_error = NULL;

    json_node_set_object (node, ctx->summary);
    if (!vesicle_json_write (summary_path, node, &write_error)
        || !write_experiment_json (type, ctx, status, run_error ? run_error->message : NULL,
                                   started, finished, &write_error))
      {
        g_propagate_error (error, g_steal_pointer (&write_error));
        return FALSE;
      }
  }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      return FALSE;
    }
  return TRUE;
}

char *
vesicle_experiment_default_dataset (void)
{
  g_autofree char *installed = g_build_filename (VESICLE_DATADIR, "mnist-subset", NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  return g_build_filename (VESICLE_SOURCE_DATADIR, "mnist-subset", NULL);
}

gboolean
vesicle_experiment_data_load (VesicleExperimentContext *ctx,
                              VesicleExperimentData    *data,
                              GError                  **error)
{
  const char *dataset;
  gboolean normalise;
  guint max_train;

  memset (data, 0, sizeof *data);
  if (!vesicle_config_get_string (ctx->config, "dataset", &dataset, error)
      || !vesicle_config_get_bool (ctx->config, "normalise", &normalise, error)
      || !vesicle_config_get_uint (ctx->config, "max_train", &max_train, error))
    return FALSE;
  data->path = *dataset == '\0' || g_str_equal (dataset, "bundled")
               ? vesicle_experiment_default_dataset () : g_strdup (dataset);
  if (!vesicle_dataset_load_dir (data->path, &data->train, &data->test, error))
    return FALSE;
  if (normalise)
    {
      vesicle_dataset_normalise (data->train, 0.1307f, 0.3081f);
      vesicle_dataset_normalise (data->test, 0.1307f, 0.3081f);
    }
  data->train_targets = vesicle_labels_as_targets (data->train->y, data->train->n);
  data->test_targets = vesicle_labels_as_targets (data->test->y, data->test->n);
  data->train_ex = (VesicleExamples) { data->train->n, data->train->dim, 1, data->train->x,
                                       data->train_targets };
  data->test_ex = (VesicleExamples) { data->test->n, data->test->dim, 1, data->test->x,
                                      data->test_targets };
  /* the first max_train examples: a quick run on a large dataset (IDX files come shuffled) */
  if (max_train > 0 && max_train < data->train_ex.n)
    data->train_ex.n = max_train;
  return TRUE;
}

void
vesicle_experiment_data_clear (VesicleExperimentData *data)
{
  g_clear_pointer (&data->train, vesicle_dataset_free);
  g_clear_pointer (&data->test, vesicle_dataset_free);
  g_clear_pointer (&data->train_targets, g_free);
  g_clear_pointer (&data->test_targets, g_free);
  g_clear_pointer (&data->path, g_free);
}

typedef struct {
  VesicleExperimentContext *ctx;
  const char               *dir;
  const VesicleCohortConfig *cohort;
  const char               *label;
  GError                   *write_error;
} TrainProgress;

static void
on_train_progress (const VesicleProgress *p,
                   gpointer               data)
{
  TrainProgress *tp = data;
  double best = 0, worst = 1, sigma = 0;

  if (p->metrics == NULL)
    return;
  if (tp->write_error == NULL)
    vesicle_run_append_metrics (tp->dir, tp->cohort, p->metrics, p->K, &tp->write_error);
  for (guint k = 0; k < p->K; k++)
    {
      best = MAX (best, p->metrics[k].test_accuracy);
      worst = MIN (worst, p->metrics[k].test_accuracy);
      sigma += p->metrics[k].mean_sigma / p->K;
    }
  vesicle_experiment_message (tp->ctx, "%s: epoch %u/%u, %.0f s, test accuracy %.3f..%.3f, "
                              "mean sigma %.3g", tp->label, p->epoch, p->n_epochs, p->elapsed_s,
                              worst, best, sigma);
}

VesicleTrainer *
vesicle_experiment_train (VesicleExperimentContext    *ctx,
                          const char                  *subdir,
                          const VesicleCohortConfig   *cohort,
                          const VesicleTrainSchedule  *schedule,
                          const VesicleExperimentData *data,
                          GError                     **error)
{
  g_autofree char *dir = g_build_filename (ctx->out_dir, subdir, NULL);
  g_autoptr(GDateTime) started = g_date_time_new_now_local ();
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GError) run_error = NULL;
  VesicleEngine *engine;
  VesicleTrainer *trainer;
  VesicleRunInfo info;
  TrainProgress tp = { ctx, dir, cohort, subdir, NULL };
  gboolean ok;

  if (!vesicle_run_prepare_dir (dir, TRUE, error))
    return NULL;
  vesicle_experiment_message (ctx, "%s: %u network(s), %u epochs", subdir, cohort->K,
                              schedule->epochs);
  if (!(engine = ctx->open_engine (cohort, ctx->open_engine_data, error)))
    return NULL;
  g_clear_pointer (&ctx->device, g_hash_table_unref);
  ctx->device = engine->vtable->describe (engine);
  if (!(trainer = vesicle_trainer_new (engine, schedule, &data->train_ex,
                                       data->test_ex.n ? &data->test_ex : NULL, error)))
    return NULL;

  info = (VesicleRunInfo) {
    .cohort = cohort, .schedule = schedule,
    .dataset_name = data->train ? data->train->name : "synthetic",
    .dataset_path = data->path, .n_train = data->train_ex.n, .n_test = data->test_ex.n,
    .device = ctx->device, .status = "running", .started = started,
  };
  if (!vesicle_run_write_info (dir, &info, error))
    {
      vesicle_trainer_free (trainer);
      return NULL;
    }
  ok = vesicle_trainer_run (trainer, ctx->cancellable, on_train_progress, &tp, &run_error);
  finished = g_date_time_new_now_local ();
  info.finished = finished;
  info.status = ok ? "completed" : g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? "cancelled" : "failed";
  info.error = ok ? NULL : run_error->message;
  if (vesicle_trainer_get_mu (trainer) != NULL)
    vesicle_run_write_params (dir, vesicle_trainer_get_mu (trainer),
                              vesicle_trainer_get_sigma (trainer), cohort->K,
                              vesicle_shape_n_params (&cohort->shape),
                              ok ? &tp.write_error : NULL);
  vesicle_run_write_info (dir, &info, ok && tp.write_error == NULL ? &tp.write_error : NULL);
  if (!ok || tp.write_error)
    {
      g_propagate_error (error, ok ? g_steal_pointer (&tp.write_error)
                                   : g_steal_pointer (&run_error));
      g_clear_error (&tp.write_error);
      vesicle_trainer_free (trainer);
      return NULL;
    }
  return trainer;
}

gboolean
vesicle_experiment_write_array (VesicleExperimentContext *ctx,
                                const char               *name,
                                const float              *values,
                                const gsize              *dims,
                                guint                     n_dims,
                                GError                  **error)
{
  g_autofree char *path = g_build_filename (ctx->out_dir, name, NULL);

  return vesicle_write_npy (path, values, dims, n_dims, error);
}
