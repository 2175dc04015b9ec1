/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Flatpak manifests (flatpak/, stable and Devel) as far as they can be checked without the
 * GNOME runtime: valid JSON; a GNOME runtime with libadwaita >= 1.2 (GNOME 43 or later); the
 * desktop app as the command; every source pinned (git by commit, archives and files by
 * sha256; the app itself from this tree); CLBlast with tuners, samples, clients and tests off;
 * PoCL so that a CPU device always exists, and the GPU vendors' ICDs; Wayland with an X11
 * fallback; and no broad filesystem access, files going through portals.
 */
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

static char *flatpak_dir;

static JsonNode *
load (const char *name)
{
  g_autofree char *path = g_build_filename (flatpak_dir, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
is_hex (const char *s,
        gsize       length)
{
  if (s == NULL || strlen (s) != length)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isxdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
array_has (JsonArray  *array,
           const char *value)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
check_source (const char *module,
              JsonObject *source)
{
  const char *type = json_object_get_string_member (source, "type");

  if (g_str_equal (type, "git"))
    {
      const char *commit = json_object_get_string_member_with_default (source, "commit", NULL);

      if (!is_hex (commit, 40))
        g_error ("module %s: a git source must be pinned by a 40-digit commit, not %s", module,
                 commit ? commit : "a branch or tag alone");
    }
  else if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
    {
      const char *sha = json_object_get_string_member_with_default (source, "sha256", NULL);

      if (!is_hex (sha, 64))
        g_error ("module %s: an %s source must carry its sha256", module, type);
    }
  else if (g_str_equal (type, "dir"))
    g_assert_cmpstr (json_object_get_string_member (source, "path"), ==, "..");
  else
    g_error ("module %s: source type %s is not one this test knows to be pinned", module, type);
}

/* Every module under @modules (inline or a file beside the manifest), into @names. */
static void
check_modules (JsonArray  *modules,
               GHashTable *names,
               GHashTable *config)
{
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);
      g_autoptr(JsonNode) file = NULL;
      JsonObject *m;
      const char *name;

      if (JSON_NODE_HOLDS_VALUE (node))
        node = file = load (json_node_get_string (node));
      m = json_node_get_object (node);
      name = json_object_get_string_member (m, "name");
      g_hash_table_add (names, g_strdup (name));
      if (json_object_has_member (m, "config-opts"))
        g_hash_table_insert (config, g_strdup (name),
                             json_array_ref (json_object_get_array_member (m, "config-opts")));
      if (json_object_has_member (m, "sources"))
        {
          JsonArray *sources = json_object_get_array_member (m, "sources");

          for (guint s = 0; s < json_array_get_length (sources); s++)
            check_source (name, json_array_get_object_element (sources, s));
        }
      if (json_object_has_member (m, "modules"))
        check_modules (json_object_get_array_member (m, "modules"), names, config);
    }
}

static void
check_manifest (const char *name,
                const char *app_id,
                gboolean    development)
{
  g_autoptr(JsonNode) root = load (name);
  JsonObject *o = json_node_get_object (root);
  JsonArray *finish = json_object_get_array_member (o, "finish-args");
  g_autoptr(GHashTable) modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) json_array_unref);
  JsonArray *opts;

  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, app_id);
  g_assert_cmpstr (json_object_get_string_member (o, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (o, "sdk"), ==, "org.gnome.Sdk");
  /* libadwaita 1.2 came with GNOME 43 */
  g_assert_cmpint (atoi (json_object_get_string_member (o, "runtime-version")), >=, 43);
  g_assert_cmpstr (json_object_get_string_member (o, "command"), ==, "vesicle");

  for (guint i = 0; i < json_array_get_length (finish); i++)
    {
      const char *arg = json_array_get_string_element (finish, i);

      if (g_str_has_prefix (arg, "--filesystem="))
        g_error ("%s: %s: files go through portals, the experiments live in the app's data "
                 "folder", name, arg);
      g_assert_cmpstr (arg, !=, "--socket=x11");
    }
  g_assert_true (array_has (finish, "--socket=wayland"));
  g_assert_true (array_has (finish, "--socket=fallback-x11"));
  /* GPUs: /dev/dri for Mesa's rusticl, all devices for NVIDIA's /dev/nvidia* */
  g_assert_true (array_has (finish, "--device=all"));
  g_assert_true (array_has (finish, "--env=OCL_ICD_VENDORS=/app/etc/OpenCL/vendors"));

  check_modules (json_object_get_array_member (o, "modules"), modules, config);
  g_assert_true (g_hash_table_contains (modules, "pocl"));
  g_assert_true (g_hash_table_contains (modules, "ocl-icd"));
  g_assert_true (g_hash_table_contains (modules, "opencl-vendors"));
  g_assert_true (g_hash_table_contains (modules, "clblast"));
  g_assert_true (g_hash_table_contains (modules, "vesicle"));
  opts = g_hash_table_lookup (config, "clblast");
  g_assert_nonnull (opts);
  for (const char *const *off = (const char *[]) { "-DTUNERS=OFF", "-DSAMPLES=OFF",
                                                    "-DCLIENTS=OFF", "-DTESTS=OFF", NULL };
       *off; off++)
    if (!array_has (opts, *off))
      g_error ("%s: CLBlast is built without %s", name, *off);
  g_assert_true (array_has (g_hash_table_lookup (config, "pocl"), "-DENABLE_ICD=ON"));
  opts = g_hash_table_lookup (config, "vesicle");
  g_assert_true (array_has (opts, "-Dtests=false"));
  g_assert_cmpint (array_has (opts, "-Ddevelopment=true"), ==, development);
}

static void
test_stable (void)
{
  check_manifest ("org.vesicle.Vesicle.json", "org.vesicle.Vesicle", FALSE);
}

static void
test_devel (void)
{
  check_manifest ("org.vesicle.Vesicle.Devel.json", "org.vesicle.Vesicle.Devel", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  flatpak_dir = g_test_build_filename (G_TEST_DIST, "..", "flatpak", NULL);
  g_test_add_func ("/flatpak/manifest/stable", test_stable);
  g_test_add_func ("/flatpak/manifest/devel", test_devel);
  return g_test_run ();
}
