/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-sweep.h"
#include "vesicle-file.h"
#include "vesicle-folder-lock.h"
#include "vesicle-build-config.h"
#include "vesicle-json.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <errno.h>

static char *
cell_path (const char *dir,
           guint       index)
{
  g_autofree char *name = g_strdup_printf ("%u.json", index);

  return g_build_filename (dir, "cells", name, NULL);
}

/* checkpoint.bin of every run folder directly under @dir (those holding run.json). */
static void
drop_run_checkpoints (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing && (name = g_dir_read_name (listing)))
    {
      g_autofree char *sub = g_build_filename (dir, name, NULL);
      g_autofree char *run = g_build_filename (dir, name, "run.json", NULL);
      g_autofree char *checkpoint = g_build_filename (dir, name, "checkpoint.bin", NULL);
      GStatBuf st;

      /* never through a link: what it points to is not this sweep's */
      if (g_lstat (sub, &st) == 0 && S_ISDIR (st.st_mode)
          && g_file_test (run, G_FILE_TEST_IS_REGULAR))
        g_remove (checkpoint);
    }
}

gboolean
vesicle_sweep_expand (const VesicleExperimentType *type,
                      const char                  *preset,
                      JsonObject                  *config,
                      const char                  *dir,
                      gboolean                     overwrite,
                      GError                     **error)
{
  g_autofree char *manifest = g_build_filename (dir, "sweep.json", NULL);
  g_autofree char *experiment = g_build_filename (dir, "experiment.json", NULL);
  g_autofree char *cells = g_build_filename (dir, "cells", NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) config_node = json_node_new (JSON_NODE_OBJECT);
  /* expanding again must not pull the cells from under a run-cell or a merge */
  g_autoptr(VesicleFolderLock) lock = NULL;
  VesicleDatasetInfo info, *data = NULL;
  VesicleExperimentPlan plan;

  if (!type->trains)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s trains no networks: there is nothing to sweep", type->name);
      return FALSE;
    }
  if (type->uses_dataset)
    {
      g_autofree char *path = vesicle_experiment_dataset_path (config);

      if (!vesicle_dataset_probe_dir (path, &info, error))
        return FALSE;
      data = &info;
    }
  if (!vesicle_experiment_plan (type, config, data, &plan, error))
    return FALSE;
  if (!overwrite && (g_file_test (manifest, G_FILE_TEST_EXISTS)
                     || g_file_test (experiment, G_FILE_TEST_EXISTS)))
    {
      vesicle_experiment_plan_clear (&plan);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds a sweep or an experiment; choose another --out or pass "
                   "--overwrite", dir);
      return FALSE;
    }
  if (!vesicle_file_check_real_dir (cells, error) || !vesicle_file_make_dir (cells, error)
      || !(lock = vesicle_folder_lock_acquire (dir, NULL, FALSE, FALSE, NULL, error)))
    {
      vesicle_experiment_plan_clear (&plan);
      return FALSE;
    }
  /* a sweep expanded again starts its cells afresh: no cell status, and no run folder's
   * checkpoint for a cell to go on from */
  for (guint i = 0; i < plan.cohorts->len; i++)
    {
      g_autofree char *path = cell_path (dir, i);

      g_remove (path);
    }
  drop_run_checkpoints (dir);

  json_node_set_object (config_node, config);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "vesicle-sweep/1");
  json_builder_set_member_name (b, "vesicle_version");
  json_builder_add_string_value (b, VESICLE_VERSION);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type->name);
  json_builder_set_member_name (b, "preset");
  json_builder_add_string_value (b, preset ? preset : "custom");
  json_builder_set_member_name (b, "config");
  json_builder_add_value (b, json_node_copy (config_node));
  json_builder_set_member_name (b, "networks");
  json_builder_add_int_value (b, plan.n_networks);
  json_builder_set_member_name (b, "cells");
  json_builder_begin_array (b);
  for (guint i = 0; i < plan.cohorts->len; i++)
    {
      const VesicleCohortPlan *c = &g_array_index (plan.cohorts, VesicleCohortPlan, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      json_builder_set_member_name (b, "networks");
      json_builder_add_int_value (b, c->K);
      json_builder_set_member_name (b, "steps");
      json_builder_add_int_value (b, (gint64) c->steps);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  vesicle_experiment_plan_clear (&plan);
  root = json_builder_get_root (b);
  return vesicle_json_write (manifest, root, error);
}

static gboolean
bad_manifest (GError    **error,
              const char *path,
              const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, why);
  return FALSE;
}

VesicleSweep *
vesicle_sweep_load (const char  *dir,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "sweep.json", NULL);
  g_autoptr(VesicleSweep) sweep = g_new0 (VesicleSweep, 1);
  g_autoptr(JsonNode) root = NULL;
  GError *local = NULL;
  JsonObject *o, *config;
  JsonArray *cells;
  const char *type;

  if (!(root = vesicle_json_load (path, &local)))
    {
      g_set_error (error, G_IO_ERROR, local->code == G_IO_ERROR_NOT_FOUND
                                      ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_INVALID_DATA,
                   "%s (is this a folder made by 'vesicle-cli sweep expand'?)", local->message);
      g_error_free (local);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return bad_manifest (error, path, "not a JSON object"), NULL;
  o = json_node_get_object (root);
  if (g_strcmp0 (vesicle_json_get_string (o, "format"), "vesicle-sweep/1") != 0)
    return bad_manifest (error, path, "'format' is not vesicle-sweep/1"), NULL;
  type = vesicle_json_get_string (o, "type");
  if (type == NULL || !(sweep->type = vesicle_experiment_find (type)))
    return bad_manifest (error, path, "'type' names no experiment this version knows"), NULL;
  if (!(config = vesicle_json_get_object (o, "config")))
    return bad_manifest (error, path, "'config' is missing or not an object"), NULL;
  if (!(cells = vesicle_json_get_array (o, "cells")) || json_array_get_length (cells) == 0)
    return bad_manifest (error, path, "'cells' is missing or empty"), NULL;
  sweep->preset = g_strdup (vesicle_json_get_string (o, "preset"));
  sweep->config = json_object_ref (config);
  sweep->cells = g_array_new (FALSE, TRUE, sizeof (VesicleSweepCell));
  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonObject *c = vesicle_json_array_get_object (cells, i);
      gint64 networks = c ? vesicle_json_get_int (c, "networks", 0) : 0;
      gint64 steps = c ? vesicle_json_get_int (c, "steps", -1) : -1;
      VesicleSweepCell cell = { i, networks, steps };

      if (c == NULL || vesicle_json_get_int (c, "index", -1) != i || networks <= 0
          || networks > G_MAXUINT || steps < 0)
        return bad_manifest (error, path, "a cell lacks its index, networks or steps"), NULL;
      g_array_append_val (sweep->cells, cell);
    }
  return g_steal_pointer (&sweep);
}

void
vesicle_sweep_free (VesicleSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_free (sweep->preset);
  g_clear_pointer (&sweep->config, json_object_unref);
  g_clear_pointer (&sweep->cells, g_array_unref);
  g_free (sweep);
}

gboolean
vesicle_sweep_write_cell (const char        *dir,
                          guint              index,
                          const char        *run,
                          VesicleRunStatus   status,
                          const char        *reason,
                          GError           **error)
{
  g_autofree char *path = cell_path (dir, index);
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  when = g_date_time_format_iso8601 (now);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, index);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, vesicle_run_status_to_string (status));
  json_builder_set_member_name (b, "run");
  json_builder_add_string_value (b, run);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, g_get_host_name ());
  json_builder_set_member_name (b, "finished");
  json_builder_add_string_value (b, when);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return vesicle_json_write (path, root, error);
}

gboolean
vesicle_sweep_cell_status (const char        *dir,
                           guint              index,
                           VesicleRunStatus  *status,
                           char             **reason)
{
  g_autofree char *path = cell_path (dir, index);
  g_autoptr(JsonNode) root = vesicle_json_load (path, NULL);
  JsonObject *o;

  *reason = NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  if (!vesicle_run_status_from_string (vesicle_json_get_string (o, "status"), status))
    return FALSE;
  *reason = g_strdup (vesicle_json_get_string (o, "error"));
  return TRUE;
}
