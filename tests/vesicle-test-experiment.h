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
             gpointer                   data,
             GError                   **error)
{
  VesicleClDevice *device = vesicle_cl_device_open (NULL, error);

  if (device == NULL)
    return NULL;
  return vesicle_cl_cohort_new (device, config, error);
}

static G_GNUC_UNUSED void
on_message (const char *text,
            gpointer    data)
{
  g_test_message ("%s", text);
  if (data != NULL)
    (*(guint *) data)++;    /* a message counter, when the test wants one */
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

static G_GNUC_UNUSED void
assert_refused_by (const VesicleExperimentType *type,
                   const char                  *assignment,
                   const char                  *key)
{
  g_autoptr(JsonObject) config = type->preset ("quick");
  g_autoptr(JsonObject) summary = json_object_new ();
  g_autoptr(GError) error = NULL;
  VesicleExperimentContext ctx = {
    .out_dir = g_get_tmp_dir (), .config = config, .open_engine = open_engine,
    .summary = summary,
  };

  g_assert_true (vesicle_config_apply_set (config, assignment, NULL));
  g_assert_false (type->run (&ctx, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, key) == NULL)
    g_error ("error message '%s' does not name '%s'", error->message, key);
}
