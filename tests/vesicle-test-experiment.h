/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the experiment tests share: an engine on the default OpenCL device, progress into the
 * test log, reading a run folder back, and checking that a bad setting is refused by name.
 */
#pragma once

#include "vesicle-test-files.h"
#include "vesicle-experiment.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-config.h"

#include <glib/gstdio.h>
#include <string.h>

static G_GNUC_UNUSED VesicleEngine *
open_engine (const VesicleCohortConfig *config,
             const char                *selector,
             GError                   **error)
{
  VesicleClDevice *device = vesicle_cl_device_open (selector, error);

  if (device == NULL)
    return NULL;
  return vesicle_cl_cohort_new (device, config, error);
}

/* Progress into the test log; @data, when not NULL, counts the log messages. */
static G_GNUC_UNUSED void
on_progress (const VesicleExperimentProgress *p,
             gpointer                         data)
{
  if (p->kind == VESICLE_PROGRESS_PHASE)
    g_test_message ("[%3.0f%%] %s", 100 * p->fraction, p->phase);
  if (p->kind != VESICLE_PROGRESS_MESSAGE)
    return;
  g_test_message ("%s", p->message);
  if (data != NULL)
    (*(guint *) data)++;
}

/* vesicle_experiment_run into @dir on the default device, progress into the log. */
static G_GNUC_UNUSED gboolean
run_experiment (const VesicleExperimentType *type,
                const char                  *dir,
                JsonObject                  *config,
                guint                       *n_messages,
                GError                     **error)
{
  VesicleExperimentOptions options = {
    .out_dir = dir, .preset = "quick", .config = config, .open_engine = open_engine,
  };

  return vesicle_experiment_run (type, &options, NULL, on_progress, n_messages, error);
}

static G_GNUC_UNUSED JsonObject *
read_json (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static G_GNUC_UNUSED double
element (JsonArray *a,
         guint      i)
{
  return json_node_get_double (json_array_get_element (a, i));
}

/* The quick preset with @assignment is refused before anything is written, by a message naming
 * @key. */
static G_GNUC_UNUSED void
assert_refused_by (const VesicleExperimentType *type,
                   const char                  *assignment,
                   const char                  *key)
{
  g_autoptr(JsonObject) config = type->preset ("quick");
  g_autofree char *tmp = vesicle_test_tmp_dir ("refused");
  g_autofree char *dir = g_build_filename (tmp, "never", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (vesicle_config_apply_set (config, assignment, NULL));
  g_assert_false (run_experiment (type, dir, config, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, key) == NULL)
    g_error ("error message '%s' does not name '%s'", error->message, key);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  vesicle_test_remove_tree (tmp);
}
