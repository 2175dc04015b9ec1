/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cli-peer.h"
#include "vesicle-install.h"
#include "vesicle-json.h"

#include <gio/gio.h>

char *
vesicle_cli_peer_script (void)
{
  const char *env = g_getenv ("VESICLE_TORCH_BENCH");
  g_autofree char *datadir = vesicle_install_datadir ();
  g_autofree char *installed = g_build_filename (datadir, "bench", "torch_bench.py", NULL);

  if (env && *env)
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  /* uninstalled, the data folder is the source tree's data/: tools/ is beside it */
  return g_build_filename (datadir, "..", "tools", "bench", "torch_bench.py", NULL);
}

JsonNode *
vesicle_cli_peer_run (const char         *python,
                      const char         *script,
                      const char         *ks,
                      guint               steps,
                      guint               processes,
                      VesiclePeerResult  *result,
                      GError            **error)
{
  g_autofree char *steps_arg = g_strdup_printf ("%u", steps);
  g_autofree char *processes_arg = g_strdup_printf ("%u", processes);
  const char *argv[] = {
    python, script, "--K", ks, "--steps", steps_arg, "--sequential", "0",
    "--processes", processes_arg, NULL,
  };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *results;
  int status = 0;

  *result = (VesiclePeerResult) { 0 };
  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: no such file (the PyTorch peer; set VESICLE_TORCH_BENCH)", script);
      return NULL;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, error))
    {
      g_prefix_error (error, "%s: ", python);
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s failed (does %s have torch and "
                   "numpy? set VESICLE_PYTHON): %s", python, script, python, g_strstrip (err));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, out, -1, error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s did not print the JSON it should: %.200s", script, out);
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  results = json_object_has_member (root, "results")
            ? json_object_get_array_member (root, "results") : NULL;
  for (guint i = 0; results && i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *mode = json_object_get_string_member_with_default (r, "mode", "");
      double nsps = json_object_get_double_member_with_default (r, "network_steps_per_s", 0);

      if (g_str_equal (mode, "plain"))
        result->plain = nsps;
      else if (g_str_equal (mode, "sweep"))
        result->best_sweep = MAX (result->best_sweep, nsps);
    }
  if (result->plain <= 0 || result->best_sweep <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: no plain or sweep result in its JSON", script);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}
