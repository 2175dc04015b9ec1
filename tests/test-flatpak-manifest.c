/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Flatpak manifests (flatpak/, stable and Devel) as far as they can be checked without the
 * GNOME runtime, Flathub's linter rules that matter among them:
 * - valid JSON; the desktop app as the command; a GNOME runtime that is not end-of-life today
 *   (the table below), with the LLVM extension PoCL's pinned version accepts;
 * - every source pinned (git by commit, archives and files by sha256), updates tracked
 *   (x-checker-data), and no `dir` source in the stable manifest, which Flathub builds: the app
 *   comes from its repository by commit; only the Devel manifest builds this tree;
 * - the runtime's OpenCL loader (no ocl-icd of our own), and Vesicle's own vendors folder beside
 *   the runtime's (VESICLE_OPENCL_VENDOR_DIRS); PoCL loadable in the sandbox (an install RPATH
 *   to the LLVM copy) and able to link kernels (libm.so and -L/app/lib: test-flatpak-link.sh
 *   repeats that link); the LLVM copy trimmed and without debug info; CLBlast with the CMake
 *   policy floor CMake 4 needs;
 * - --device=dri (which also passes NVIDIA's device nodes), not all; Wayland with an X11
 *   fallback; no --filesystem: files go through portals;
 * - the same finish-args and cleanup in both manifests, so that they cannot drift apart.
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
check_source (const char *manifest,
              const char *module,
              JsonObject *source,
              gboolean    development)
{
  const char *type = json_object_get_string_member (source, "type");

  if (g_str_equal (type, "git"))
    {
      const char *commit = json_object_get_string_member_with_default (source, "commit", NULL);

      if (!is_hex (commit, 40))
        g_error ("%s: module %s: a git source must be pinned by a 40-digit commit, not %s",
                 manifest, module, commit ? commit : "a branch or tag alone");
      /* Flathub's bot opens a pull request for each new tag of the others */
      if (!g_str_equal (module, "vesicle") && !json_object_has_member (source, "x-checker-data"))
        g_error ("%s: module %s: no x-checker-data, so its updates go unnoticed", manifest,
                 module);
    }
  else if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
    {
      const char *sha = json_object_get_string_member_with_default (source, "sha256", NULL);

      if (!is_hex (sha, 64))
        g_error ("%s: module %s: an %s source must carry its sha256", manifest, module, type);
    }
  else if (g_str_equal (type, "dir"))
    {
      /* flatpak-builder-lint: module-...-source-dir-not-allowed */
      if (!development)
        g_error ("%s: module %s: Flathub refuses a dir source; pin a git commit", manifest,
                 module);
      g_assert_cmpstr (json_object_get_string_member (source, "path"), ==, "..");
    }
  else
    g_error ("%s: module %s: source type %s is not one this test knows to be pinned", manifest,
             module, type);
}

/* Every module under @modules (inline or a file beside the manifest), into @names. */
static void
check_modules (const char *manifest,
               gboolean    development,
               JsonArray  *modules,
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
      g_hash_table_insert (names, g_strdup (name), json_object_ref (m));
      /* flatpak-builder builds cmake-ninja modules in a folder of their own anyway */
      if (json_object_has_member (m, "builddir"))
        g_error ("%s: module %s: builddir does nothing for %s", manifest, name,
                 json_object_get_string_member_with_default (m, "buildsystem", "?"));
      if (json_object_has_member (m, "config-opts"))
        g_hash_table_insert (config, g_strdup (name),
                             json_array_ref (json_object_get_array_member (m, "config-opts")));
      if (json_object_has_member (m, "sources"))
        {
          JsonArray *sources = json_object_get_array_member (m, "sources");

          for (guint s = 0; s < json_array_get_length (sources); s++)
            check_source (manifest, name, json_array_get_object_element (sources, s),
                          development);
        }
      if (json_object_has_member (m, "modules"))
        check_modules (manifest, development, json_object_get_array_member (m, "modules"),
                       names, config);
    }
}

/* GNOME runtimes and the day each reached its end of life: the release of GNOME N + 2, as
 * Flathub's linter has it (47 and 48: the dates it gave; 49: GNOME 51's release in September
 * 2026). NULL: supported today. A version missing here is a failure: add its row. */
static const struct {
  int         version;
  const char *end_of_life;   /* ISO 8601 */
} gnome_runtimes[] = {
  { 45, "2024-09-18" },
  { 46, "2025-03-19" },
  { 47, "2025-10-15" },
  { 48, "2026-03-24" },
  { 49, "2026-09-16" },
  { 50, NULL },
};

static void
check_runtime (const char *manifest,
               JsonObject *o)
{
  const char *version = json_object_get_string_member (o, "runtime-version");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_assert_cmpstr (json_object_get_string_member (o, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (o, "sdk"), ==, "org.gnome.Sdk");
  for (guint i = 0; i < G_N_ELEMENTS (gnome_runtimes); i++)
    if (gnome_runtimes[i].version == atoi (version))
      {
        const char *eol = gnome_runtimes[i].end_of_life;

        if (eol && strcmp (today, eol) >= 0)
          g_error ("%s: GNOME %s reached its end of life on %s: move to a supported runtime",
                   manifest, version, eol);
        return;
      }
  g_error ("%s: GNOME %s is not in this test's table of runtimes", manifest, version);
}

static JsonArray *
module_array (GHashTable *modules,
              const char *module,
              const char *member)
{
  JsonObject *m = g_hash_table_lookup (modules, module);

  if (m == NULL)
    g_error ("no module %s", module);
  return json_object_get_array_member (m, member);
}

static gboolean
array_has_prefix (JsonArray  *array,
                  const char *prefix)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_str_has_prefix (json_array_get_string_element (array, i), prefix))
      return TRUE;
  return FALSE;
}

static char *
array_joined (JsonArray *array)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    g_string_append_printf (s, "%s\n", json_array_get_string_element (array, i));
  return g_string_free (s, FALSE);
}

static void
check_manifest (const char *name,
                const char *app_id,
                gboolean    development)
{
  g_autoptr(JsonNode) root = load (name);
  JsonObject *o = json_node_get_object (root);
  JsonArray *finish = json_object_get_array_member (o, "finish-args");
  JsonArray *extensions = json_object_get_array_member (o, "sdk-extensions");
  g_autoptr(GHashTable) modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) json_array_unref);
  g_autofree char *llvm_commands = NULL;
  JsonObject *llvm, *llvm_options;
  JsonArray *opts;

  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, app_id);
  check_runtime (name, o);
  g_assert_cmpstr (json_object_get_string_member (o, "command"), ==, "vesicle");
  for (guint i = 0; i < json_array_get_length (finish); i++)
    {
      const char *arg = json_array_get_string_element (finish, i);

      if (g_str_has_prefix (arg, "--filesystem"))
        g_error ("%s: %s: files go through portals, the experiments live in the app's data "
                 "folder", name, arg);
      if (g_str_equal (arg, "--device=all"))
        g_error ("%s: --device=all: --device=dri passes the GPUs, NVIDIA's nodes included", name);
      g_assert_cmpstr (arg, !=, "--socket=x11");
      g_assert_false (g_str_has_prefix (arg, "--env=OCL_ICD_VENDORS="));
    }
  g_assert_true (array_has (finish, "--socket=wayland"));
  g_assert_true (array_has (finish, "--socket=fallback-x11"));
  g_assert_true (array_has (finish, "--device=dri"));
  /* PoCL in the app's vendors folder, the GPU drivers in the runtime's merged one: both seen */
  g_assert_true (array_has (finish, "--env=VESICLE_OPENCL_VENDOR_DIRS=/app/etc/OpenCL/vendors:"
                                    "/usr/lib/x86_64-linux-gnu/GL/OpenCL/vendors"));

  check_modules (name, development, json_object_get_array_member (o, "modules"), modules,
                 config);
  for (const char *const *m = (const char *[]) { "opencl-headers", "llvm", "libm-link", "pocl",
                                                  "clblast", "vesicle", NULL }; *m; m++)
    if (!g_hash_table_contains (modules, *m))
      g_error ("%s: no module %s", name, *m);
  if (g_hash_table_contains (modules, "ocl-icd"))
    g_error ("%s: the runtime has an OpenCL loader, newer than a bundled one", name);

  /* PoCL 7.0 accepts LLVM 14 to 20 (its cmake/LLVM.cmake); the copy comes from that extension */
  g_assert_true (array_has (extensions, "org.freedesktop.Sdk.Extension.llvm20"));
  llvm = g_hash_table_lookup (modules, "llvm");
  llvm_commands = array_joined (json_object_get_array_member (llvm, "build-commands"));
  g_assert_nonnull (strstr (llvm_commands, "/usr/lib/sdk/llvm20/"));
  g_assert_null (strstr (llvm_commands, "/usr/lib/sdk/llvm20/lib /"));  /* not the whole lib */
  llvm_options = json_object_get_object_member (llvm, "build-options");
  g_assert_true (llvm_options && json_object_get_boolean_member_with_default (llvm_options,
                                                                              "no-debuginfo",
                                                                              FALSE));
  g_assert_nonnull (strstr (array_joined (module_array (modules, "libm-link", "build-commands")),
                            "/app/lib/libm.so"));

  opts = g_hash_table_lookup (config, "pocl");
  g_assert_true (array_has (opts, "-DENABLE_ICD=ON"));
  g_assert_true (array_has (opts, "-DPOCL_INSTALL_ICD_VENDORDIR=/app/etc/OpenCL/vendors"));
  /* the loader finds libpocl only if libpocl finds LLVM: not on the path at run time */
  g_assert_true (array_has (opts, "-DCMAKE_INSTALL_RPATH=/app/llvm/lib"));
  g_assert_true (array_has_prefix (opts, "-DEXTRA_HOST_LD_FLAGS="));
  for (guint i = 0; i < json_array_get_length (opts); i++)
    if (g_str_has_prefix (json_array_get_string_element (opts, i), "-DEXTRA_HOST_LD_FLAGS="))
      g_assert_nonnull (strstr (json_array_get_string_element (opts, i), "-L/app/lib"));

  opts = g_hash_table_lookup (config, "clblast");
  g_assert_true (array_has (opts, "-DTUNERS=OFF"));
  g_assert_true (array_has (opts, "-DCMAKE_POLICY_VERSION_MINIMUM=3.5"));
  opts = g_hash_table_lookup (config, "vesicle");
  g_assert_true (array_has (opts, "-Dtests=false"));
  g_assert_cmpint (array_has (opts, "-Ddevelopment=true"), ==, development);
}

/* One set of finish-args and cleanup for both: the Devel build must be the stable one's twin */
static void
test_no_drift (void)
{
  g_autoptr(JsonNode) stable = load ("org.vesicle.Vesicle.json");
  g_autoptr(JsonNode) devel = load ("org.vesicle.Vesicle.Devel.json");

  for (const char *const *m = (const char *[]) { "finish-args", "cleanup", "sdk-extensions",
                                                  "runtime-version", NULL }; *m; m++)
    if (!json_node_equal (json_object_get_member (json_node_get_object (stable), *m),
                          json_object_get_member (json_node_get_object (devel), *m)))
      g_error ("%s differ between the stable and the Devel manifest", *m);
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
  g_test_add_func ("/flatpak/manifest/no-drift", test_no_drift);
  return g_test_run ();
}
