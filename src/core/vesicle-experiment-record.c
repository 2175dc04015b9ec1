/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading experiment folders back (see vesicle-experiment-record.h).
 */
#define _GNU_SOURCE   /* renameat2 */
#include "vesicle-experiment-record.h"
#include "vesicle-file.h"
#include "vesicle-folder-lock.h"
#include "vesicle-folder-task.h"
#include "vesicle-json.h"
#include "vesicle-process.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

static JsonNode *
load_json (const char  *dir,
           const char  *name,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(JsonNode) root = NULL;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s holds no %s; it is not a finished experiment folder", dir, name);
      return NULL;
    }
  if (!(root = vesicle_json_load (path, error)))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: malformed: the top level is not a JSON object", path);
      return NULL;
    }
  return g_steal_pointer (&root);
}

static JsonObject *
object_member (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_ref (json_node_get_object (node));
  return json_object_new ();
}

static GDateTime *
time_member (JsonObject *o,
             const char *name)
{
  const char *text = vesicle_json_get_string (o, name);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static int
compare_run_names (gconstpointer a,
                   gconstpointer b)
{
  const char *x = *(const char *const *) a, *y = *(const char *const *) b;

  /* cohort-2 before cohort-10 */
  if (strlen (x) != strlen (y)
      && g_str_has_prefix (x, "cohort-") && g_str_has_prefix (y, "cohort-"))
    return strlen (x) < strlen (y) ? -1 : 1;
  return g_strcmp0 (x, y);
}

/* Folders written before experiment.json listed its runs: each subfolder holding a run.json,
 * and the folder itself when it holds one. */
static void
find_runs (const char *dir,
           GPtrArray  *runs)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *own = g_build_filename (dir, "run.json", NULL);
  const char *name;

  if (g_file_test (own, G_FILE_TEST_EXISTS))
    g_ptr_array_add (runs, g_strdup ("."));
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *sub = g_build_filename (dir, name, NULL);
      g_autofree char *marker = g_build_filename (dir, name, "run.json", NULL);
      GStatBuf st;

      /* a link is not one of this folder's runs, wherever it points */
      if (g_lstat (sub, &st) == 0 && S_ISDIR (st.st_mode)
          && g_file_test (marker, G_FILE_TEST_EXISTS))
        g_ptr_array_add (runs, g_strdup (name));
    }
  g_ptr_array_sort (runs, compare_run_names);
}

VesicleExperimentRecord *
vesicle_experiment_record_load (const char  *dir,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) listed = NULL;
  VesicleExperimentRecord *rec;
  JsonObject *o;
  JsonNode *runs;
  const char *format, *type, *status;

  g_return_val_if_fail (dir != NULL, NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   g_file_test (dir, G_FILE_TEST_EXISTS)
                   ? "%s is a file, not an experiment folder" : "%s: no such folder", dir);
      return NULL;
    }
  if (!(root = load_json (dir, "experiment.json", error)))
    return NULL;
  path = g_build_filename (dir, "experiment.json", NULL);
  o = json_node_get_object (root);
  format = vesicle_json_get_string (o, "format");
  type = vesicle_json_get_string (o, "type");
  if ((format != NULL && !g_str_has_prefix (format, "vesicle-experiment/")) || type == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a Vesicle experiment (no \"type\", or format '%s')", path,
                   format ? format : "none");
      return NULL;
    }
  status = vesicle_json_get_string (o, "status");

  rec = g_new0 (VesicleExperimentRecord, 1);
  rec->dir = g_strdup (dir);
  rec->type_name = g_strdup (type);
  rec->type = vesicle_experiment_find (type);
  rec->title = g_strdup (vesicle_json_get_string (o, "title") ? vesicle_json_get_string (o, "title")
                         : rec->type ? rec->type->title : type);
  rec->preset = g_strdup (vesicle_json_get_string (o, "preset"));
  if (!vesicle_run_status_from_string (status, &rec->status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: unknown status '%s' (expected running, completed, cancelled or failed)",
                   path, status ? status : "none");
      vesicle_experiment_record_free (rec);
      return NULL;
    }
  rec->error = g_strdup (vesicle_json_get_string (o, "error"));
  if (rec->status == VESICLE_RUN_RUNNING)
    {
      JsonNode *process = json_object_get_member (o, "process");
      g_autofree char *why = NULL;

      if (process != NULL && JSON_NODE_HOLDS_OBJECT (process)
          && vesicle_process_state (json_node_get_object (process), &why) == VESICLE_PROCESS_GONE)
        {
          rec->status = VESICLE_RUN_INTERRUPTED;
          g_free (rec->error);
          rec->error = g_steal_pointer (&why);
        }
    }
  rec->started = time_member (o, "started");
  rec->finished = time_member (o, "finished");
  /* a duration no run could have (negative, beyond 30 years, not a number) is not shown */
  rec->seconds = vesicle_json_get_double (o, "seconds");
  if (!(rec->seconds >= 0 && rec->seconds < 1e9))
    rec->seconds = NAN;
  rec->config = object_member (o, "config");
  if (rec->config && rec->type)
    vesicle_experiment_config_upgrade (rec->type, rec->config);
  rec->device = object_member (o, "device");
  rec->runs = g_ptr_array_new_with_free_func (g_free);
  /* each run once, in linear time however long the list (a hostile file may repeat one) */
  listed = g_hash_table_new (g_str_hash, g_str_equal);
  runs = json_object_get_member (o, "runs");
  if (runs != NULL && JSON_NODE_HOLDS_ARRAY (runs))
    {
      JsonArray *a = json_node_get_array (runs);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          const char *name = JSON_NODE_HOLDS_VALUE (e)
                             && json_node_get_value_type (e) == G_TYPE_STRING
                             ? json_node_get_string (e) : NULL;
          g_autofree char *inside = NULL;

          if (name == NULL || g_hash_table_contains (listed, name))
            continue;
          /* only folders inside this one, reached through no link */
          if (!(inside = vesicle_file_inside (dir, name, path, error)))
            {
              vesicle_experiment_record_free (rec);
              return NULL;
            }
          g_hash_table_add (listed, (char *) name);
          g_ptr_array_add (rec->runs, g_strdup (name));
        }
    }
  else
    find_runs (dir, rec->runs);
  /* a folder that stopped early (or is still running) may hold a run started after
   * experiment.json last listed them: what trained so far counts too */
  if (rec->status != VESICLE_RUN_COMPLETED)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < rec->runs->len; i++)
        g_hash_table_add (known, rec->runs->pdata[i]);
      find_runs (dir, found);
      for (guint i = 0; i < found->len; i++)
        if (!g_hash_table_contains (known, found->pdata[i]))
          g_ptr_array_add (rec->runs, g_strdup (found->pdata[i]));
    }
  return rec;
}

double
vesicle_experiment_record_took (const VesicleExperimentRecord *rec)
{
  if (isfinite (rec->seconds))
    return rec->seconds;
  if (rec->started && rec->finished)
    return g_date_time_difference (rec->finished, rec->started) / (double) G_TIME_SPAN_SECOND;
  return NAN;
}

void
vesicle_experiment_record_free (VesicleExperimentRecord *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->dir);
  g_free (rec->type_name);
  g_free (rec->title);
  g_free (rec->preset);
  g_free (rec->error);
  g_clear_pointer (&rec->started, g_date_time_unref);
  g_clear_pointer (&rec->finished, g_date_time_unref);
  g_clear_pointer (&rec->config, json_object_unref);
  g_clear_pointer (&rec->device, json_object_unref);
  g_clear_pointer (&rec->runs, g_ptr_array_unref);
  g_clear_pointer (&rec->networks, g_array_unref);
  g_free (rec);
}

JsonObject *
vesicle_experiment_record_load_summary (const VesicleExperimentRecord  *rec,
                                        GError                        **error)
{
  g_autoptr(JsonNode) root = load_json (rec->dir, "summary.json", error);

  return root ? json_object_ref (json_node_get_object (root)) : NULL;
}

static char *
run_dir (const VesicleExperimentRecord *rec,
         guint                          run)
{
  const char *name = g_ptr_array_index (rec->runs, run);

  return g_str_equal (name, ".") ? g_strdup (rec->dir) : g_build_filename (rec->dir, name, NULL);
}

GArray *
vesicle_experiment_record_metrics (const VesicleExperimentRecord  *rec,
                                   guint                           run,
                                   GError                        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;

  g_return_val_if_fail (run < rec->runs->len, NULL);
  dir = run_dir (rec, run);
  csv = g_build_filename (dir, "metrics.csv", NULL);
  /* a run stopped before its first epoch ended has none yet */
  if (!g_file_test (csv, G_FILE_TEST_EXISTS))
    return g_array_new (FALSE, TRUE, sizeof (VesicleMetricsRow));
  return vesicle_run_read_metrics (dir, error);
}

/* Which networks of a run trained on the ELBO, from its run.json ("cost": "entropy ..."). */
/* From the run folder's run.json: which networks train on the ELBO (variational Bayes), and
 * whether the run completed (its networks trained every epoch). An unreadable run.json: none,
 * and not completed. */
static GArray *
read_run_info (const char *dir,
               gboolean   *completed)
{
  g_autoptr(JsonNode) root = load_json (dir, "run.json", NULL);
  GArray *flags = g_array_new (FALSE, TRUE, sizeof (gboolean));
  JsonNode *networks;

  *completed = FALSE;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return flags;
  *completed = g_strcmp0 (vesicle_json_get_string (json_node_get_object (root), "status"),
                          "completed") == 0;
  networks = json_object_get_member (json_node_get_object (root), "networks");
  if (networks == NULL || !JSON_NODE_HOLDS_ARRAY (networks))
    return flags;
  for (guint k = 0; k < json_array_get_length (json_node_get_array (networks)); k++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (networks), k);
      const char *cost = JSON_NODE_HOLDS_OBJECT (e) ? vesicle_json_get_string (json_node_get_object (e),
                                                                     "cost") : NULL;
      gboolean vb = cost != NULL && g_str_has_prefix (cost, "entropy");

      g_array_append_val (flags, vb);
    }
  return flags;
}

GArray *
vesicle_experiment_record_networks (const VesicleExperimentRecord  *rec,
                                    GError                        **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (VesicleNetworkSummary));

  for (guint r = 0; r < rec->runs->len; r++)
    {
      g_autofree char *dir = run_dir (rec, r);
      g_autofree char *csv = g_build_filename (dir, "metrics.csv", NULL);
      g_autoptr(GArray) rows = NULL;
      g_autoptr(GArray) vb = NULL;
      guint first = out->len;
      gboolean completed;

      if (!g_file_test (csv, G_FILE_TEST_EXISTS))
        continue;
      if (!(rows = vesicle_run_read_metrics (dir, error)))
        return NULL;
      vb = read_run_info (dir, &completed);
      for (guint i = 0; i < rows->len; i++)
        {
          const VesicleMetricsRow *row = &g_array_index (rows, VesicleMetricsRow, i);
          guint k = row->metrics.network;
          VesicleNetworkSummary *n;

          if (k > 65536)
            continue;
          while (out->len < first + k + 1)
            {
              VesicleNetworkSummary empty = { .run = r, .network = out->len - first,
                                              .test_accuracy = NAN };

              g_array_append_val (out, empty);
            }
          n = &g_array_index (out, VesicleNetworkSummary, first + k);
          /* rows come in epoch order: the last one wins, but a test accuracy measured in an
           * earlier epoch stays until a later one is */
          *n = (VesicleNetworkSummary) {
            .run = r, .network = k,
            .variational = k < vb->len && g_array_index (vb, gboolean, k),
            .rho = row->rho, .c = row->c, .setting = row->setting, .seed = row->seed,
            .epoch = row->metrics.epoch,
            .finished = completed,
            .test_accuracy = isfinite (row->metrics.test_accuracy) ? row->metrics.test_accuracy
                                                                   : n->test_accuracy,
            .train_nll = row->metrics.train_nll, .mean_sigma = row->metrics.mean_sigma,
            .rms_sigma = row->metrics.rms_sigma,
            .reliability_cost = row->metrics.reliability_cost_s1,
          };
        }
    }
  return g_steal_pointer (&out);
}

/* The record, and with @networks each network's last epoch: what a window shows. */
static gpointer
load_record (const char  *dir,
             gboolean     networks,
             GError     **error)
{
  VesicleExperimentRecord *rec = vesicle_experiment_record_load (dir, error);

  if (rec && networks && !(rec->networks = vesicle_experiment_record_networks (rec, error)))
    g_clear_pointer (&rec, vesicle_experiment_record_free);
  return rec;
}

void
vesicle_experiment_record_load_async (const char          *dir,
                                      gboolean             networks,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  vesicle_folder_task_run (dir, networks, load_record,
                           (GDestroyNotify) vesicle_experiment_record_free,
                           vesicle_experiment_record_load_async, cancellable, callback,
                           user_data);
}

VesicleExperimentRecord *
vesicle_experiment_record_load_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return vesicle_folder_task_finish (result, vesicle_experiment_record_load_async, error);
}

gboolean
vesicle_experiment_record_can_resume (const VesicleExperimentRecord *rec,
                                      GError                       **error)
{
  if (rec->type == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: experiment type '%s' is not one this version knows", rec->dir,
                   rec->type_name);
      return FALSE;
    }
  switch (rec->status)
    {
    case VESICLE_RUN_COMPLETED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s: the experiment completed; there is nothing to resume", rec->dir);
      return FALSE;
    case VESICLE_RUN_RUNNING:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   "%s: the experiment is still running (see 'process' in experiment.json); "
                   "stop it first", rec->dir);
      return FALSE;
    default:
      return TRUE;
    }
}

gboolean
vesicle_experiment_folder_rename (const char  *dir,
                                  const char  *target,
                                  GError     **error)
{
  g_autoptr(VesicleFolderLock) lock = NULL;

  if (!(lock = vesicle_folder_lock_acquire (dir, NULL, FALSE, FALSE, NULL, error)))
    return FALSE;
  /* RENAME_NOREPLACE: a folder made at @target since it was checked is not replaced */
  if (renameat2 (AT_FDCWD, dir, AT_FDCWD, target, RENAME_NOREPLACE) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
