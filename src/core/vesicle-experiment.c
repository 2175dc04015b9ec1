/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The experiment registry and what every experiment type shares: checking a configuration
 * against the type's fields, plans, the run folder and its experiment.json / summary.json, the
 * runner (in the calling thread or a worker, with progress), dataset loading from the config,
 * training a cohort into a subfolder, and progress messages.
 */
#include "vesicle-experiment.h"
#include "vesicle-main-context.h"
#include "vesicle-build-config.h"
#include "vesicle-config.h"
#include "vesicle-exp-common.h"
#include "vesicle-experiment-guard.h"
#include "vesicle-experiment-record.h"
#include "vesicle-file.h"
#include "vesicle-install.h"
#include "vesicle-process.h"
#include "vesicle-json.h"
#include "vesicle-run.h"
#include "vesicle-sweep.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

static const VesicleExperimentType *const types[] = {
  &vesicle_experiment_costs,
  &vesicle_experiment_tradeoff,
  &vesicle_experiment_importance,
  &vesicle_experiment_bayes,
  &vesicle_experiment_predictive,
  &vesicle_experiment_zero_hidden,
  &vesicle_experiment_train_type,
};

const VesicleExperimentType *const *
vesicle_experiment_types (guint *n_types)
{
  *n_types = G_N_ELEMENTS (types);
  return types;
}

const VesicleExperimentType *const *
vesicle_experiment_paper_types (guint *n_types)
{
  /* the registry holds them in the paper's order, custom training after them */
  g_assert (types[G_N_ELEMENTS (types) - 1] == &vesicle_experiment_train_type);
  *n_types = G_N_ELEMENTS (types) - 1;
  return types;
}

const VesicleExperimentType *
vesicle_experiment_find (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (types[i]->name, name))
      return types[i];
  return NULL;
}

/* ---- fields and checks ----------------------------------------------------------------------- */

GPtrArray *
vesicle_experiment_type_fields (const VesicleExperimentType *type)
{
  GPtrArray *fields = g_ptr_array_new ();

  g_return_val_if_fail (type != NULL, fields);
  if (type->uses_dataset)
    for (const VesicleConfigField *f = vesicle_exp_dataset_fields; f->key; f++)
      g_ptr_array_add (fields, (gpointer) f);
  if (type->trains)
    for (const VesicleConfigField *f = vesicle_exp_training_fields; f->key; f++)
      g_ptr_array_add (fields, (gpointer) f);
  for (const VesicleConfigField *f = type->fields; f && f->key; f++)
    g_ptr_array_add (fields, (gpointer) f);
  return fields;
}

const VesicleConfigField *
vesicle_experiment_type_field (const VesicleExperimentType *type,
                               const char                  *key)
{
  g_autoptr(GPtrArray) fields = vesicle_experiment_type_fields (type);

  for (guint i = 0; i < fields->len; i++)
    {
      const VesicleConfigField *f = g_ptr_array_index (fields, i);

      if (g_str_equal (f->key, key))
        return f;
    }
  return NULL;
}

void
vesicle_experiment_config_upgrade (const VesicleExperimentType *type,
                                   JsonObject                  *config)
{
  JsonNode *seed;

  g_return_if_fail (type != NULL && config != NULL);
  seed = json_object_get_member (config, "seed");
  if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed)
      && json_node_get_value_type (seed) == G_TYPE_INT64
      && !json_object_has_member (config, "seeds")
      && vesicle_experiment_type_field (type, "seed") == NULL
      && vesicle_experiment_type_field (type, "seeds") != NULL)
    {
      JsonArray *seeds = json_array_new ();

      json_array_add_int_element (seeds, json_node_get_int (seed));
      json_object_set_array_member (config, "seeds", seeds);
      json_object_remove_member (config, "seed");
    }
}

GPtrArray *
vesicle_experiment_check (const VesicleExperimentType *type,
                          JsonObject                  *config,
                          const VesicleDatasetInfo    *data)
{
  GPtrArray *problems = vesicle_config_problems_new ();
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (type != NULL && config != NULL, problems);

  fields = vesicle_experiment_type_fields (type);
  members = json_object_get_members (config);
  for (GList *l = members; l; l = l->next)
    if (vesicle_experiment_type_field (type, l->data) == NULL)
      g_ptr_array_add (problems,
                       vesicle_config_problem_new (l->data, NULL,
                                                   "'%s' is not a setting of the %s experiment",
                                                   (char *) l->data, type->name));
  for (guint i = 0; i < fields->len; i++)
    {
      const VesicleConfigField *f = g_ptr_array_index (fields, i);
      VesicleConfigProblem *p = vesicle_config_field_check (f, json_object_get_member (config,
                                                                                      f->key));
      if (p)
        g_ptr_array_add (problems, p);
    }
  /* what needs several fields (or the dataset) only makes sense once each field reads */
  if (problems->len == 0)
    {
      if (type->trains)
        vesicle_exp_training_check (config, data, problems);
      if (type->check)
        type->check (config, data, problems);
    }
  return problems;
}

void
vesicle_experiment_plan_init (VesicleExperimentPlan *plan)
{
  memset (plan, 0, sizeof *plan);
  plan->cohorts = g_array_new (FALSE, TRUE, sizeof (VesicleCohortPlan));
}

void
vesicle_experiment_plan_clear (VesicleExperimentPlan *plan)
{
  g_clear_pointer (&plan->cohorts, g_array_unref);
  plan->n_networks = 0;
  plan->analysis_flops = 0;
  plan->host_flops = 0;
  plan->analysis_steps = 0;
}

void
vesicle_experiment_plan_add (VesicleExperimentPlan   *plan,
                             const VesicleCohortPlan *cohort)
{
  g_array_append_val (plan->cohorts, *cohort);
  plan->n_networks += cohort->K;
}

double
vesicle_cohort_plan_flops (const VesicleCohortPlan *c)
{
  return (double) c->K * c->P * (6.0 * c->batch * c->steps + 2.0 * c->eval_examples);
}

double
vesicle_experiment_plan_flops (const VesicleExperimentPlan *plan)
{
  double sum = plan->analysis_flops;

  for (guint i = 0; plan->cohorts && i < plan->cohorts->len; i++)
    sum += vesicle_cohort_plan_flops (&g_array_index (plan->cohorts, VesicleCohortPlan, i));
  return sum;
}

double
vesicle_experiment_plan_seconds (const VesicleExperimentPlan *plan,
                                 const VesicleSpeed          *speed)
{
  double per_parameter = MAX (speed->seconds_per_parameter, 0);
  double per_layer = MAX (speed->seconds_per_layer, 0);
  double host_flops = CLAMP (plan->host_flops, 0, plan->analysis_flops);
  double seconds, last_step = 0;

  if (!(speed->flops_per_s > 0) || (host_flops > 0 && !(speed->host_flops_per_s > 0)))
    return NAN;
  seconds = (vesicle_experiment_plan_flops (plan) - host_flops) / speed->flops_per_s
            + (host_flops > 0 ? host_flops / speed->host_flops_per_s : 0);
  for (guint i = 0; plan->cohorts && i < plan->cohorts->len; i++)
    {
      const VesicleCohortPlan *c = &g_array_index (plan->cohorts, VesicleCohortPlan, i);

      /* beyond the products; a test minibatch draws its weights but does not update them:
       * charged as a step, which errs on the long side */
      last_step = (double) c->K * c->P * per_parameter + MAX (c->layers, 1) * per_layer;
      seconds += (c->steps + c->eval_steps) * last_step + MAX (speed->seconds_per_cohort, 0);
    }
  return seconds + plan->analysis_steps * last_step;
}

void
vesicle_speed_scale_time (VesicleSpeed *speed,
                          double        factor)
{
  g_return_if_fail (factor > 0);
  speed->flops_per_s /= factor;
  speed->host_flops_per_s /= factor;
  speed->seconds_per_parameter *= factor;
  speed->seconds_per_layer *= factor;
  speed->seconds_per_cohort *= factor;
}

static void
set_first_problem (GPtrArray  *problems,
                   GError    **error)
{
  VesicleConfigProblem *p = g_ptr_array_index (problems, 0);

  if (problems->len > 1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "config: %s (and %u more)",
                 p->message, problems->len - 1);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "config: %s", p->message);
}

gboolean
vesicle_experiment_plan (const VesicleExperimentType *type,
                         JsonObject                  *config,
                         const VesicleDatasetInfo    *data,
                         VesicleExperimentPlan       *plan,
                         GError                     **error)
{
  g_autoptr(GPtrArray) problems = vesicle_experiment_check (type, config, data);

  vesicle_experiment_plan_init (plan);
  if (problems->len > 0)
    {
      set_first_problem (problems, error);
      return FALSE;
    }
  if (type->plan)
    type->plan (config, type->uses_dataset ? data : NULL, plan);
  return TRUE;
}

char *
vesicle_experiment_objective_markup (const VesicleExperimentType *type,
                                     JsonObject                  *config,
                                     const VesicleDatasetInfo    *data)
{
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (type != NULL && config != NULL, NULL);
  if (!type->trains && type != &vesicle_experiment_predictive)
    return NULL;
  problems = vesicle_experiment_check (type, config, NULL);
  if (problems->len > 0)
    return NULL;
  return vesicle_exp_objective_markup (type, config, data);
}

/* ---- progress -------------------------------------------------------------------------------- */

void
vesicle_experiment_message (VesicleExperimentContext *ctx,
                            const char               *format,
                            ...)
{
  g_autofree char *text = NULL;
  va_list ap;

  if (ctx->tracker == NULL)
    return;
  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  vesicle_experiment_tracker_message (ctx->tracker, text);
}

void
vesicle_experiment_phase (VesicleExperimentContext *ctx,
                          const char               *format,
                          ...)
{
  g_autofree char *text = NULL;
  va_list ap;

  if (ctx->tracker == NULL)
    return;
  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  vesicle_experiment_tracker_phase (ctx->tracker, text, TRUE);
}

void
vesicle_experiment_analysis (VesicleExperimentContext *ctx,
                             double                    done,
                             double                    total)
{
  if (ctx->tracker)
    vesicle_experiment_tracker_analysis (ctx->tracker, done, total);
}

/* ---- experiment.json ------------------------------------------------------------------------- */

typedef struct {
  const VesicleExperimentType *type;
  VesicleExperimentContext    *ctx;
  GDateTime                   *started;  /* this session */
  GDateTime                   *first_started; /* the first session: before a resume */
  double                       earlier_seconds; /* what the sessions before this one ran */
  GPtrArray                   *runs;     /* the run folders written, relative to out_dir */
} Record;

static JsonNode *
experiment_json (const Record     *rec,
                 VesicleRunStatus  status,
                 const char       *error,
                 GDateTime        *finished)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *t0 = g_date_time_format_iso8601 (rec->first_started);
  g_autofree char *t1 = finished ? g_date_time_format_iso8601 (finished) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  VesicleExperimentContext *ctx = rec->ctx;
  double seconds = rec->earlier_seconds
                   + g_date_time_difference (finished ? finished : now, rec->started)
                     / (double) G_TIME_SPAN_SECOND;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "vesicle-experiment/1");
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, rec->type->name);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, rec->type->title);
  json_builder_set_member_name (b, "figures");
  json_builder_add_string_value (b, rec->type->figures);
  json_builder_set_member_name (b, "preset");
  json_builder_add_string_value (b, ctx->preset ? ctx->preset : "custom");
  json_builder_set_member_name (b, "vesicle_version");
  json_builder_add_string_value (b, VESICLE_VERSION);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, vesicle_run_status_to_string (status));
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
  /* a resumed experiment started long before it finished: the time it spent running is kept
   * apart, every session added, and the latest resume said */
  if (rec->first_started != rec->started)
    {
      g_autofree char *resumed = g_date_time_format_iso8601 (rec->started);

      json_builder_set_member_name (b, "resumed");
      json_builder_add_string_value (b, resumed);
    }
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, round (seconds * 1000) / 1000);
  /* who writes it: a reader tells a folder whose process is gone from one still running */
  json_builder_set_member_name (b, "process");
  json_builder_add_value (b, vesicle_process_self_to_json ());
  json_builder_set_member_name (b, "config");
  {
    JsonNode *config = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (config, ctx->config);
    json_builder_add_value (b, config);
  }
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < rec->runs->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (rec->runs, i));
  json_builder_end_array (b);
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
write_experiment_json (const Record     *rec,
                       VesicleRunStatus  status,
                       const char       *error_text,
                       GDateTime        *finished,
                       GError          **error)
{
  g_autoptr(JsonNode) node = experiment_json (rec, status, error_text, finished);
  g_autofree char *path = g_build_filename (rec->ctx->out_dir, "experiment.json", NULL);

  return vesicle_json_write (path, node, error);
}

static gboolean
write_summary (VesicleExperimentContext *ctx,
               GError                  **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = g_build_filename (ctx->out_dir, "summary.json", NULL);

  json_node_set_object (node, ctx->summary);
  return vesicle_json_write (path, node, error);
}

/* The runner's own state, reachable from the context the types see. */
struct _VesicleExperimentRunner {
  VesicleExperimentContext ctx;
  Record                   rec;
  /* the dataset, read before the folder is made (a bad file writes nothing), for data_load */
  char                    *dataset_path;
  VesicleDataset          *train;
  VesicleDataset          *test;
  VesicleExperimentMode    mode;
  guint                    cell;
  guint                    n_cohorts;   /* vesicle_experiment_train calls so far */
  /* whether anything has been written: a resume restores its finished cohorts and opens the
   * device before it changes a byte, so that one that fails early leaves the folder as it was */
  gboolean                 committed;
};
typedef VesicleExperimentRunner Runner;

G_DEFINE_QUARK (vesicle-experiment-error-quark, vesicle_experiment_error)

gboolean
vesicle_experiment_cohort_skipped (GError **error)
{
  if (error == NULL || !g_error_matches (*error, VESICLE_EXPERIMENT_ERROR,
                                         VESICLE_EXPERIMENT_ERROR_SKIPPED))
    return FALSE;
  g_clear_error (error);
  return TRUE;
}

/* A cell writes its cohort's run folder and nothing of the experiment's own. */
static gboolean
writes_experiment (VesicleExperimentContext *ctx)
{
  return ctx->runner == NULL || ctx->runner->mode != VESICLE_EXPERIMENT_CELL;
}

/* The first write: experiment.json, as running. Until then a failure leaves the folder as it
 * was (a fresh one is removed again). */
static gboolean
commit (Runner  *runner,
        GError **error)
{
  if (runner->committed)
    return TRUE;
  if (writes_experiment (&runner->ctx))
    {
      /* what a writer killed midway left: cleared by the next holder of the whole lock, once
       * it writes */
      vesicle_file_remove_stale_temporaries (runner->ctx.out_dir);
      if (!write_experiment_json (&runner->rec, VESICLE_RUN_RUNNING, NULL, NULL, error))
        return FALSE;
    }
  runner->committed = TRUE;
  return TRUE;
}

gboolean
vesicle_experiment_save_partial (VesicleExperimentContext *ctx,
                                 GError                  **error)
{
  /* nothing trained yet (a resume restoring finished cohorts): nothing new to write */
  if (ctx->runner && !ctx->runner->committed)
    {
      if (ctx->tracker)
        vesicle_experiment_tracker_partial (ctx->tracker);
      return TRUE;
    }
  if (writes_experiment (ctx)
      && (!write_summary (ctx, error)
          || (ctx->runner
              && !write_experiment_json (&ctx->runner->rec, VESICLE_RUN_RUNNING, NULL, NULL,
                                         error))))
    return FALSE;
  if (ctx->tracker)
    vesicle_experiment_tracker_partial (ctx->tracker);
  return TRUE;
}

/* ---- running --------------------------------------------------------------------------------- */

/* An experiment folder is a run folder (train writes its run there) that may also hold
 * experiment.json: refuses either unless overwrite, and drops a summary from before. */
static gboolean
prepare_folder (const char             *dir,
                gboolean                overwrite,
                VesicleExperimentMode   mode,
                GError                **error)
{
  g_autofree char *experiment = g_build_filename (dir, "experiment.json", NULL);
  g_autofree char *summary = g_build_filename (dir, "summary.json", NULL);

  /* going on in a folder (the guard found it): what it holds is the point */
  if (mode != VESICLE_EXPERIMENT_FRESH)
    return TRUE;

  if (!overwrite && g_file_test (experiment, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds an experiment (experiment.json); choose another --out or "
                   "pass --overwrite", dir);
      return FALSE;
    }
  if (!vesicle_run_prepare_dir (dir, overwrite, error))
    return FALSE;
  g_remove (summary);
  return TRUE;
}

char *
vesicle_experiment_dataset_path (JsonObject *config)
{
  const char *dataset = "";

  vesicle_config_get_string (config, "dataset", &dataset, NULL);
  return *dataset == '\0' || g_str_equal (dataset, "bundled")
         ? vesicle_experiment_default_dataset () : g_strdup (dataset);
}

static void
runner_clear_dataset (Runner *runner)
{
  g_clear_pointer (&runner->dataset_path, g_free);
  g_clear_pointer (&runner->train, vesicle_dataset_free);
  g_clear_pointer (&runner->test, vesicle_dataset_free);
}

/* Reads the dataset and checks what depends on its sizes, before anything is written. */
static gboolean
preload_dataset (Runner                      *runner,
                 const VesicleExperimentType *type,
                 JsonObject                  *config,
                 GError                     **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  VesicleDatasetInfo info;

  runner->dataset_path = vesicle_experiment_dataset_path (config);
  if (!vesicle_dataset_load_dir (runner->dataset_path, &runner->train, &runner->test, error))
    return FALSE;
  info = (VesicleDatasetInfo) {
    .n_train = runner->train->n, .n_test = runner->test->n, .rows = runner->train->rows,
    .cols = runner->train->cols, .dim = runner->train->dim,
    .n_classes = MAX (runner->train->n_classes, runner->test->n_classes),
  };
  problems = vesicle_experiment_check (type, config, &info);
  if (problems->len > 0)
    {
      set_first_problem (problems, error);
      return FALSE;
    }
  return TRUE;
}

static void
drop_checkpoints (Runner *runner)
{
  for (guint i = 0; i < runner->rec.runs->len; i++)
    {
      g_autofree char *path = g_build_filename (runner->ctx.out_dir,
                                                g_ptr_array_index (runner->rec.runs, i),
                                                "checkpoint.bin", NULL);
      g_remove (path);
    }
}

/* A cell succeeded when its cohort trained (the type was stopped right after it). */
static gboolean
finish_cell (Runner                   *runner,
             VesicleExperimentTracker *tracker,
             gboolean                  ok,
             GError                   *run_error,
             GError                  **error)
{
  guint n_cohorts = runner->n_cohorts;

  g_clear_pointer (&runner->ctx.device, g_hash_table_unref);
  vesicle_experiment_tracker_free (tracker);
  runner_clear_dataset (runner);
  if (!ok && g_error_matches (run_error, VESICLE_EXPERIMENT_ERROR,
                              VESICLE_EXPERIMENT_ERROR_CELL_DONE))
    {
      const char *run = g_ptr_array_index (runner->rec.runs, runner->rec.runs->len - 1);

      g_error_free (run_error);
      return vesicle_sweep_write_cell (runner->ctx.out_dir, runner->cell, run,
                                       VESICLE_RUN_COMPLETED, NULL, error);
    }
  if (!ok)
    {
      const char *run = runner->rec.runs->len > 0
                        ? g_ptr_array_index (runner->rec.runs, runner->rec.runs->len - 1) : NULL;

      /* the cell's own error matters more than one in recording it */
      vesicle_sweep_write_cell (runner->ctx.out_dir, runner->cell, run,
                                vesicle_run_status_from_error (run_error), run_error->message,
                                NULL);
      g_propagate_error (error, run_error);
      return FALSE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "cell %u: this experiment has %u cell%s (0 to %u)", runner->cell, n_cohorts,
               n_cohorts == 1 ? "" : "s", n_cohorts - 1);
  return FALSE;
}

gboolean
vesicle_experiment_run (const VesicleExperimentType    *type,
                        const VesicleExperimentOptions *options,
                        GCancellable                   *cancellable,
                        VesicleExperimentProgressFunc   progress,
                        gpointer                        progress_data,
                        GError                        **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) started = g_date_time_new_now_local ();
  g_autoptr(GDateTime) earlier_started = NULL;
  g_autoptr(GDateTime) finished = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autoptr(GError) write_error = NULL;
  g_autoptr(JsonObject) summary = json_object_new ();
  VesicleExperimentGuard guard;
  VesicleExperimentTracker *tracker;
  VesicleRunStatus status;
  Runner runner;
  gboolean ok;

  g_return_val_if_fail (type != NULL && options != NULL, FALSE);
  g_return_val_if_fail (options->out_dir != NULL && options->config != NULL, FALSE);

  /* everything that can be refused is refused before a file is written */
  problems = vesicle_experiment_check (type, options->config, NULL);
  if (problems->len > 0)
    {
      set_first_problem (problems, error);
      return FALSE;
    }
  if (type->trains && options->open_engine == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "no compute engine to train with");
      return FALSE;
    }
  memset (&runner, 0, sizeof runner);
  if (type->uses_dataset && !preload_dataset (&runner, type, options->config, error))
    {
      runner_clear_dataset (&runner);
      return FALSE;
    }
  /* one writer, inside the folder, and for a resume every checkpoint readable, before a byte
   * is written */
  if (!vesicle_experiment_guard_begin (&guard, options->out_dir, options->mode, options->cell,
                                       options->wait_for_lock, cancellable, error))
    {
      runner_clear_dataset (&runner);
      return FALSE;
    }
  if (!prepare_folder (guard.dir, options->overwrite, options->mode, error))
    {
      vesicle_experiment_guard_end (&guard, TRUE);
      runner_clear_dataset (&runner);
      return FALSE;
    }

  tracker = vesicle_experiment_tracker_new (progress, progress_data);
  runner.ctx = (VesicleExperimentContext) {
    .out_dir = guard.dir, .preset = options->preset, .config = options->config,
    .cancellable = cancellable, .summary = summary, .open_engine = options->open_engine,
    .prepare_device = options->prepare_device, .device_selector = options->device,
    .tracker = tracker, .runner = &runner,
  };
  runner.rec = (Record) { type, &runner.ctx, started, started, 0.0, runs };
  /* a resume goes on with the record of the sessions before it */
  if (options->mode == VESICLE_EXPERIMENT_RESUME)
    {
      g_autoptr(VesicleExperimentRecord) before = vesicle_experiment_record_load (guard.dir,
                                                                                NULL);

      if (before && before->started)
        {
          earlier_started = g_date_time_ref (before->started);
          runner.rec.first_started = earlier_started;
        }
      if (before && isfinite (vesicle_experiment_record_took (before)))
        runner.rec.earlier_seconds = vesicle_experiment_record_took (before);
    }
  runner.mode = options->mode;
  runner.cell = options->cell;

  /* a type that trains writes once its first cohort is about to (vesicle_experiment_train);
   * the others now */
  if (!type->trains && !commit (&runner, error))
    {
      vesicle_experiment_tracker_free (tracker);
      vesicle_experiment_guard_end (&guard, FALSE);
      runner_clear_dataset (&runner);
      return FALSE;
    }
  /* types without a dataset know their plan now; the others once the data is loaded */
  if (!type->uses_dataset)
    {
      VesicleExperimentPlan plan;

      if (vesicle_experiment_plan (type, options->config, NULL, &plan, NULL))
        vesicle_experiment_tracker_set_plan (tracker, plan.cohorts->len, plan.n_networks,
                                             vesicle_experiment_plan_flops (&plan)
                                             - plan.analysis_flops, plan.analysis_flops);
      vesicle_experiment_plan_clear (&plan);
    }

  ok = type->run (&runner.ctx, &run_error);
  if (options->mode == VESICLE_EXPERIMENT_CELL)
    {
      ok = finish_cell (&runner, tracker, ok, g_steal_pointer (&run_error), error);
      vesicle_experiment_guard_end (&guard, FALSE);
      return ok;
    }
  if (ok)
    vesicle_experiment_tracker_finish (tracker);
  finished = g_date_time_new_now_local ();
  status = vesicle_run_status_from_error (ok ? NULL : run_error);

  /* whatever the type put in the summary so far is kept, whatever happened; but a run that
   * failed before it wrote anything (no device, a checkpoint refused) leaves the folder as it
   * was */
  if (ok && !commit (&runner, &write_error))
    ok = FALSE;
  if ((ok || runner.committed)
      && (!write_summary (&runner.ctx, &write_error)
          || !write_experiment_json (&runner.rec, status,
                                     run_error ? run_error->message : NULL, finished,
                                     &write_error)))
    ok = FALSE;
  /* complete: the checkpoints have served; a stopped experiment keeps them to resume */
  if (ok && status == VESICLE_RUN_COMPLETED)
    drop_checkpoints (&runner);
  g_clear_pointer (&runner.ctx.device, g_hash_table_unref);
  vesicle_experiment_tracker_free (tracker);
  runner_clear_dataset (&runner);
  vesicle_experiment_guard_end (&guard, !ok && !runner.committed);
  if (run_error)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      return FALSE;
    }
  if (write_error)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  return ok;
}

/* ---- the same in a worker -------------------------------------------------------------------- */

typedef struct {
  const VesicleExperimentType  *type;
  char                         *out_dir;
  char                         *preset;
  char                         *device;
  JsonObject                   *config;
  VesicleExperimentOptions      options;
  VesicleExperimentProgressFunc progress;
  gpointer                      progress_data;
  GDestroyNotify                progress_notify;
  GMainContext                 *context;
} AsyncRun;

static void
async_run_free (gpointer data)
{
  AsyncRun *run = data;

  if (run->progress_notify)
    run->progress_notify (run->progress_data);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->config, json_object_unref);
  g_free (run->out_dir);
  g_free (run->preset);
  g_free (run->device);
  g_free (run);
}

typedef struct {
  AsyncRun                  *run;      /* alive until the task's data is freed, after this */
  VesicleExperimentProgress *progress;
  GTask                     *task;     /* holds run alive */
} ProgressCall;

static gboolean
progress_dispatch (gpointer data)
{
  ProgressCall *call = data;

  call->run->progress (call->progress, call->run->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  vesicle_experiment_progress_free (call->progress);
  g_object_unref (call->task);
  g_free (call);
}

typedef struct {
  AsyncRun *run;
  GTask    *task;
} WorkerSink;

static void
on_worker_progress (const VesicleExperimentProgress *p,
                    gpointer                         data)
{
  WorkerSink *sink = data;
  ProgressCall *call;

  if (sink->run->progress == NULL)
    return;
  call = g_new0 (ProgressCall, 1);
  call->run = sink->run;
  call->progress = vesicle_experiment_progress_copy (p);
  call->task = g_object_ref (sink->task);
  /* queued, never run here: reports arrive in order, in the main context's thread, and before
   * the task's own completion, which is queued after them */
  vesicle_main_context_post (sink->run->context, progress_dispatch, call, progress_call_free);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncRun *run = task_data;
  WorkerSink sink = { run, task };
  GError *error = NULL;

  if (vesicle_experiment_run (run->type, &run->options, cancellable, on_worker_progress, &sink,
                              &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vesicle_experiment_run_async (const VesicleExperimentType    *type,
                              const VesicleExperimentOptions *options,
                              GCancellable                   *cancellable,
                              VesicleExperimentProgressFunc   progress,
                              gpointer                        progress_data,
                              GDestroyNotify                  progress_notify,
                              GAsyncReadyCallback             callback,
                              gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncRun *run;

  g_return_if_fail (type != NULL && options != NULL && options->config != NULL);
  g_return_if_fail (options->out_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vesicle_experiment_run_async);
  /* the run checks the cancellable itself so that it can mark the folder cancelled */
  g_task_set_return_on_cancel (task, FALSE);
  run = g_new0 (AsyncRun, 1);
  run->type = type;
  run->out_dir = g_strdup (options->out_dir);
  run->preset = g_strdup (options->preset);
  run->device = g_strdup (options->device);
  /* a deep copy: the caller may go on editing its configuration while this runs */
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(JsonNode) copy = NULL;

    json_node_set_object (node, options->config);
    copy = json_node_copy (node);
    run->config = json_object_ref (json_node_get_object (copy));
  }
  run->options = (VesicleExperimentOptions) {
    .out_dir = run->out_dir, .preset = run->preset, .config = run->config,
    .overwrite = options->overwrite, .open_engine = options->open_engine,
    .prepare_device = options->prepare_device, .device = run->device, .mode = options->mode,
    .cell = options->cell,
    .wait_for_lock = options->wait_for_lock,
  };
  run->progress = progress;
  run->progress_data = progress_data;
  run->progress_notify = progress_notify;
  run->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, run, async_run_free);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
vesicle_experiment_run_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vesicle_experiment_run_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- folders --------------------------------------------------------------------------------- */

char *
vesicle_experiment_default_dataset (void)
{
  g_autofree char *datadir = vesicle_install_datadir ();

  return g_build_filename (datadir, "mnist-subset", NULL);
}

char *
vesicle_experiment_folder_name (const VesicleExperimentType *type,
                                GDateTime                   *when,
                                const char                  *parent)
{
  return vesicle_folder_name_at (type->name, when, parent);
}

char *
vesicle_folder_name_at (const char *prefix,
                        GDateTime  *when,
                        const char *parent)
{
  g_autofree char *stamp = g_date_time_format (when, "%Y-%m-%d-%H%M");
  g_autofree char *base = g_strdup_printf ("%s-%s", prefix, stamp);
  char *name = g_strdup (base);

  for (guint i = 2; parent != NULL; i++)
    {
      g_autofree char *path = g_build_filename (parent, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        break;
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, i);
    }
  return name;
}

/* ---- data ------------------------------------------------------------------------------------ */

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
  if (ctx->tracker)
    vesicle_experiment_tracker_phase (ctx->tracker, "Loading the dataset", FALSE);
  data->path = vesicle_experiment_dataset_path (ctx->config);
  if (ctx->runner && ctx->runner->train && g_strcmp0 (ctx->runner->dataset_path, data->path) == 0)
    {
      /* read already, when the run was checked */
      data->train = g_steal_pointer (&ctx->runner->train);
      data->test = g_steal_pointer (&ctx->runner->test);
    }
  else if (!vesicle_dataset_load_dir (data->path, &data->train, &data->test, error))
    return FALSE;
  data->normalised = normalise;
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

  /* now the sizes are known: check what depends on them, and plan */
  if (ctx->runner != NULL)
    {
      VesicleDatasetInfo info;
      VesicleExperimentPlan plan;
      gboolean planned;

      vesicle_experiment_data_info (data, &info);
      planned = vesicle_experiment_plan (ctx->runner->rec.type, ctx->config, &info, &plan, error);
      if (planned && ctx->tracker)
        vesicle_experiment_tracker_set_plan (ctx->tracker, plan.cohorts->len, plan.n_networks,
                                             vesicle_experiment_plan_flops (&plan)
                                             - plan.analysis_flops, plan.analysis_flops);
      vesicle_experiment_plan_clear (&plan);
      return planned;
    }
  return TRUE;
}

void
vesicle_experiment_data_info (const VesicleExperimentData *data,
                              VesicleDatasetInfo          *info)
{
  *info = (VesicleDatasetInfo) {
    .n_train = data->train_ex.n, .n_test = data->test_ex.n,
    .rows = data->train ? data->train->rows : 1, .cols = data->train ? data->train->cols : 1,
    .dim = data->train_ex.dim,
    .n_classes = data->train ? MAX (data->train->n_classes, data->test->n_classes) : 1,
  };
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

/* ---- training a cohort ----------------------------------------------------------------------- */

static void
on_train_progress (const VesicleProgress *p,
                   gpointer               data)
{
  VesicleExperimentContext *ctx = data;

  if (ctx->tracker)
    vesicle_experiment_tracker_trainer (ctx->tracker, p);
}

/* run.json says completed (and so mu.npy and sigma.npy were written before it). */
static gboolean
run_completed (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr(JsonNode) root = vesicle_json_load (path, NULL);
  VesicleRunStatus status;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  return vesicle_run_status_from_string (vesicle_json_get_string (json_node_get_object (root),
                                                                  "status"), &status)
         && status == VESICLE_RUN_COMPLETED;
}

/* A resumed cohort's epochs before the checkpoint, from its metrics.csv, to the progress
 * listener: the live curves then show the whole training, not only what follows the resume.
 * An epoch missing a network's row is left out (nothing is invented); an unreadable file is
 * reported as a message, and training goes on. */
static void
replay_earlier_epochs (VesicleExperimentContext *ctx,
                       const char               *dir,
                       guint                     K,
                       guint                     epochs_done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = vesicle_run_read_metrics (dir, &error);
  g_autofree VesicleEpochMetrics *metrics = g_new0 (VesicleEpochMetrics, K);
  g_autofree gboolean *seen = g_new0 (gboolean, K);

  if (rows == NULL)
    {
      vesicle_experiment_message (ctx, "The epochs before the resume are not shown: %s",
                                  error->message);
      return;
    }
  for (guint epoch = 1; epoch <= epochs_done; epoch++)
    {
      guint n_seen = 0;

      memset (seen, 0, sizeof (gboolean) * K);
      for (guint i = 0; i < rows->len; i++)
        {
          const VesicleMetricsRow *row = &g_array_index (rows, VesicleMetricsRow, i);
          guint k = row->metrics.network;

          if (row->metrics.epoch != epoch || k >= K || seen[k])
            continue;
          metrics[k] = row->metrics;
          seen[k] = TRUE;
          n_seen++;
        }
      if (n_seen == K)
        vesicle_experiment_tracker_earlier_epoch (ctx->tracker, epoch, metrics);
    }
}

static void
announce_phase (const char *phase,
                gpointer    data)
{
  VesicleExperimentContext *ctx = data;

  if (ctx->tracker)
    vesicle_experiment_tracker_phase (ctx->tracker, phase, FALSE);
}

/* The front end's device hook, once, before the first cohort that trains; what it did is logged,
 * and a failure too, for the run goes on without (only a cancellation stops it). */
static gboolean
prepare_device (VesicleExperimentContext  *ctx,
                GError                   **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *report = NULL;

  if (ctx->prepare_device == NULL || ctx->device_prepared)
    return TRUE;
  ctx->device_prepared = TRUE;
  if (ctx->prepare_device (ctx->device_selector, announce_phase, ctx, &report, ctx->cancellable,
                           &local))
    {
      if (report)
        vesicle_experiment_message (ctx, "%s", report);
      return TRUE;
    }
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  vesicle_experiment_message (ctx, "%s", local->message);
  return TRUE;
}

VesicleTrainer *
vesicle_experiment_train (VesicleExperimentContext    *ctx,
                          const char                  *subdir,
                          const VesicleCohortConfig   *cohort,
                          const VesicleTrainSchedule  *schedule,
                          const VesicleExperimentData *data,
                          GError                     **error)
{
  g_autofree char *dir = NULL;
  guint steps_per_epoch, n_epochs;
  VesicleEngine *engine;
  VesicleTrainer *trainer;
  VesicleRunInfo info;
  gboolean ok;

  VesicleExperimentMode mode = ctx->runner ? ctx->runner->mode : VESICLE_EXPERIMENT_FRESH;
  guint index = ctx->runner ? ctx->runner->n_cohorts++ : 0;
  g_autofree char *checkpoint = NULL;
  gboolean restore;
  gint64 opened_at;

  g_return_val_if_fail (ctx->open_engine != NULL, NULL);

  /* a run folder of this experiment's own, never a link to elsewhere */
  if (!(dir = *subdir ? vesicle_file_inside (ctx->out_dir, subdir, ctx->out_dir, error)
                      : g_strdup (ctx->out_dir))
      || !vesicle_file_check_real_dir (dir, error))
    return NULL;
  checkpoint = g_build_filename (dir, "checkpoint.bin", NULL);
  if (!vesicle_cohort_config_check (cohort, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return NULL;
  if (mode == VESICLE_EXPERIMENT_CELL && index != ctx->runner->cell)
    {
      g_set_error (error, VESICLE_EXPERIMENT_ERROR, VESICLE_EXPERIMENT_ERROR_SKIPPED,
                   "cohort %u belongs to another cell", index);
      return NULL;
    }
  restore = mode != VESICLE_EXPERIMENT_FRESH && g_file_test (checkpoint, G_FILE_TEST_EXISTS);
  if (mode == VESICLE_EXPERIMENT_MERGE && !restore)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: cell %u has not finished (no checkpoint)", dir, index);
      return NULL;
    }
  if (!restore && !prepare_device (ctx, error))
    return NULL;
  if (ctx->tracker)
    vesicle_experiment_tracker_phase (ctx->tracker, "Preparing the OpenCL device", FALSE);
  opened_at = g_get_monotonic_time ();
  if (!(engine = ctx->open_engine (cohort, ctx->device_selector, error)))
    return NULL;
  g_clear_pointer (&ctx->device, g_hash_table_unref);
  ctx->device = vesicle_engine_describe (engine);
  /* a cold cache is the one slow start there is: say so, and what it cost */
  if (g_strcmp0 (g_hash_table_lookup (ctx->device, "kernels_from_cache"), "no") == 0)
    vesicle_experiment_message (ctx, "Compiled the kernels for %s in %.0f s (first run on this "
                                "device; later runs load them from the cache)",
                                (const char *) g_hash_table_lookup (ctx->device, "device"),
                                (g_get_monotonic_time () - opened_at) * 1e-6);
  if (g_strcmp0 (g_hash_table_lookup (ctx->device, "cohorts"), "1") != 0
      && g_hash_table_lookup (ctx->device, "cohorts"))
    vesicle_experiment_message (ctx, "%s holds at most %s networks of this shape at once: "
                                "training the %u as %s cohorts in lockstep",
                                (const char *) g_hash_table_lookup (ctx->device, "device"),
                                (const char *) g_hash_table_lookup (ctx->device,
                                                                    "max_networks_per_cohort"),
                                cohort->K,
                                (const char *) g_hash_table_lookup (ctx->device, "cohorts"));
  if (!(trainer = vesicle_trainer_new (engine, schedule, &data->train_ex,
                                       data->test_ex.n ? &data->test_ex : NULL, error)))
    return NULL;

  steps_per_epoch = data->train_ex.n / cohort->batch;
  n_epochs = schedule->epochs + schedule->sigma_epochs;
  if (restore && !vesicle_trainer_resume (trainer, checkpoint, error))
    {
      vesicle_trainer_free (trainer);
      return NULL;
    }
  if (mode == VESICLE_EXPERIMENT_MERGE && vesicle_trainer_get_epochs_done (trainer) < n_epochs)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: cell %u has not finished (%u of %u epochs)", dir, index,
                   vesicle_trainer_get_epochs_done (trainer), n_epochs);
      vesicle_trainer_free (trainer);
      return NULL;
    }
  if (ctx->runner)
    g_ptr_array_add (ctx->runner->rec.runs, g_strdup (*subdir ? subdir : "."));
  if (!restore)
    vesicle_experiment_message (ctx, "%s: %u network%s, %u epochs", *subdir ? subdir : "run",
                                cohort->K, cohort->K == 1 ? "" : "s", n_epochs);
  else if (vesicle_trainer_get_epochs_done (trainer) < n_epochs)
    vesicle_experiment_message (ctx, "%s: %u network%s, going on after epoch %u of %u",
                                *subdir ? subdir : "run", cohort->K, cohort->K == 1 ? "" : "s",
                                vesicle_trainer_get_epochs_done (trainer), n_epochs);
  else
    vesicle_experiment_message (ctx, "%s: finished before, restored from its checkpoint",
                                *subdir ? subdir : "run");
  if (ctx->tracker)
    {
      guint64 eval_examples = vesicle_train_eval_examples (n_epochs, schedule->eval_every,
                                                           data->test_ex.n);

      vesicle_experiment_tracker_cohort_begin (ctx->tracker, dir, cohort, n_epochs,
                                               (guint64) steps_per_epoch * n_epochs,
                                               eval_examples / MAX (n_epochs, 1));
      if (restore && vesicle_trainer_get_epochs_done (trainer) > 0)
        replay_earlier_epochs (ctx, dir, cohort->K, vesicle_trainer_get_epochs_done (trainer));
    }

  info = (VesicleRunInfo) {
    .cohort = cohort, .schedule = schedule,
    .dataset_name = data->train ? data->train->name : "synthetic",
    .dataset_path = data->path, .normalised = data->normalised,
    .n_train = data->train_ex.n, .n_test = data->test_ex.n, .device = ctx->device,
  };
  /* the experiment drops the checkpoints once all of it is complete */
  info.keep_checkpoint = TRUE;
  if (restore && vesicle_trainer_get_epochs_done (trainer) == n_epochs
      && run_completed (dir))
    ok = vesicle_trainer_run (trainer, NULL, NULL, NULL, error);   /* trains nothing */
  else
    ok = (ctx->runner == NULL || commit (ctx->runner, error))
         && vesicle_run_train (dir, &info, TRUE, trainer, ctx->cancellable, on_train_progress,
                               ctx, error);
  if (!ok)
    {
      vesicle_trainer_free (trainer);
      return NULL;
    }
  /* only a cohort that trained to its end counts as done: one cancelled or failed does not */
  if (ctx->tracker)
    vesicle_experiment_tracker_cohort_end (ctx->tracker);
  if (mode == VESICLE_EXPERIMENT_CELL)
    {
      vesicle_trainer_free (trainer);
      g_set_error (error, VESICLE_EXPERIMENT_ERROR, VESICLE_EXPERIMENT_ERROR_CELL_DONE,
                   "cell %u is done", index);
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
  g_autofree char *path = vesicle_file_inside (ctx->out_dir, name, ctx->out_dir, error);

  /* an array is a write like any other: the folder changes from here on */
  return path && (ctx->runner == NULL || commit (ctx->runner, error))
         && vesicle_write_npy (path, values, dims, n_dims, error);
}
