/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-blas-tuning.h"
#include "vesicle-blas.h"
#include "vesicle-install.h"
#include "vesicle-json.h"

#include <clblast_c.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

const char *const vesicle_blas_tuned_kernels[] = { "GemmRoutine", "XgemmDirect", "Xgemm", NULL };

/* what CLBlast used for each device before Vesicle's first override: cl_device_id -> JsonObject */
static GMutex      override_lock;
static GHashTable *own_parameters;

void
vesicle_blas_tuning_free (VesicleBlasTuning *tuning)
{
  if (tuning == NULL)
    return;
  g_free (tuning->label);
  g_free (tuning->path);
  g_free (tuning->tuned);
  g_free (tuning->gemm);
  g_free (tuning->measured_on);
  g_clear_pointer (&tuning->parameters, json_object_unref);
  g_free (tuning);
}

char *
vesicle_blas_tuning_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "vesicle", "clblast", NULL);
}

char *
vesicle_blas_tuning_path (const VesicleClDeviceInfo *info)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s\n%s\n%s", info->name, info->vendor,
                                          info->platform_version, info->driver_version,
                                          vesicle_blas_version ());
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *dir = vesicle_blas_tuning_dir ();
  g_autofree char *base = g_strndup (info->name, 48);
  g_autofree char *file = NULL;

  /* readable and safe as a file name: the device's name, then the key */
  for (char *c = base; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '.')
      *c = '-';
  file = g_strdup_printf ("%s-%.12s.json", base, hash);
  return g_build_filename (dir, file, NULL);
}

static gboolean
parameters_check (JsonObject  *parameters,
                  const char  *path,
                  GError     **error)
{
  for (guint i = 0; vesicle_blas_tuned_kernels[i]; i++)
    {
      const char *kernel = vesicle_blas_tuned_kernels[i];
      JsonObject *values = vesicle_json_get_object (parameters, kernel);
      g_autoptr(GList) names = values ? json_object_get_members (values) : NULL;

      if (values == NULL || names == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: parameters.%s: missing (a tuning names every parameter of %s)",
                       path, kernel, kernel);
          return FALSE;
        }
      for (GList *l = names; l; l = l->next)
        if (vesicle_json_get_int (values, l->data, -1) < 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s: parameters.%s.%s: not a whole number of 0 or more", path, kernel,
                         (const char *) l->data);
            return FALSE;
          }
    }
  return TRUE;
}

VesicleBlasTuning *
vesicle_blas_tuning_parse (JsonObject  *object,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(VesicleBlasTuning) tuning = g_new0 (VesicleBlasTuning, 1);
  const char *label = vesicle_json_get_string (object, "label");
  JsonObject *parameters = vesicle_json_get_object (object, "parameters");
  const char *gemm = vesicle_json_get_string (object, "gemm");
  JsonNode *quick;

  if (label == NULL || *label == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: label: missing", path);
      return NULL;
    }
  /* CLBlast's own parameters need not be written out: there is nothing to override */
  if (parameters == NULL && !g_str_equal (label, "own"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: parameters: missing", path);
      return NULL;
    }
  if (parameters && !parameters_check (parameters, path, error))
    return NULL;
  if (gemm && !g_str_equal (gemm, "vesicle") && !g_str_equal (gemm, "clblast"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: gemm: '%s' is neither 'vesicle' nor 'clblast'", path, gemm);
      return NULL;
    }
  /* the winner's margin: absent or null when only one GEMM passed the check */
  if (json_object_has_member (object, "gemm_speedup")
      && !json_object_get_null_member (object, "gemm_speedup")
      && !(vesicle_json_get_double (object, "gemm_speedup") >= 1
           && isfinite (vesicle_json_get_double (object, "gemm_speedup"))))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: gemm_speedup: must be a number of 1 or more (the faster GEMM's speed "
                   "over the other's)", path);
      return NULL;
    }
  tuning->label = g_strdup (label);
  tuning->path = g_strdup (path);
  tuning->tuned = g_strdup (vesicle_json_get_string (object, "tuned"));
  tuning->speedup = vesicle_json_get_double (object, "speedup");
  tuning->parameters = parameters ? json_object_ref (parameters) : NULL;
  tuning->gemm = g_strdup (gemm);
  tuning->gemm_speedup = vesicle_json_get_double (object, "gemm_speedup");
  tuning->measured_on = g_strdup (vesicle_json_get_string (object, "gemm_measured_on"));
  quick = json_object_get_member (object, "quick");
  tuning->quick = quick && JSON_NODE_HOLDS_VALUE (quick)
                  && json_node_get_value_type (quick) == G_TYPE_BOOLEAN
                  && json_node_get_boolean (quick);
  return g_steal_pointer (&tuning);
}

static JsonObject *
read_object (const char  *path,
             GError     **error)
{
  return vesicle_json_load_object (path, error);
}

/* CLBlast's parameter names change between its minor versions: "1.5.3" matches "1.5" */
static gboolean
same_minor_version (const char *version,
                    const char *wanted)
{
  gsize n = strlen (wanted);

  return g_str_has_prefix (version, wanted) && (version[n] == '\0' || version[n] == '.');
}

VesicleBlasTuning *
vesicle_blas_tuning_find_shipped (const VesicleClDeviceInfo *info,
                                  GError                  **error)
{
  g_autofree char *datadir = vesicle_install_datadir ();
  const char *table_file = g_getenv ("VESICLE_CLBLAST_TABLE");
  g_autofree char *path = table_file && *table_file ? g_strdup (table_file)
                          : g_build_filename (datadir, "clblast-tuning.json", NULL);
  g_autoptr(JsonObject) table = NULL;
  JsonArray *tunings;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  if (!(table = read_object (path, error)))
    return NULL;
  if (!(tunings = vesicle_json_get_array (table, "tunings")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: tunings: missing", path);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (tunings); i++)
    {
      JsonObject *entry = vesicle_json_array_get_object (tunings, i);
      const char *platform = vesicle_json_get_string (entry, "platform");
      const char *type = vesicle_json_get_string (entry, "device_type");
      const char *clblast = vesicle_json_get_string (entry, "clblast");
      VesicleBlasTuning *tuning;

      if (platform == NULL || type == NULL || clblast == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: tunings[%u]: needs platform, device_type and clblast", path, i);
          return NULL;
        }
      if (!g_str_equal (platform, info->platform_name)
          || !g_str_equal (type, vesicle_cl_device_type_name (info->type))
          || !same_minor_version (vesicle_blas_version (), clblast))
        continue;
      if ((tuning = vesicle_blas_tuning_parse (entry, path, error)))
        tuning->shipped = TRUE;
      return tuning;
    }
  return NULL;
}

VesicleBlasTuning *
vesicle_blas_tuning_find (const VesicleClDeviceInfo *info,
                          GError                  **error)
{
  g_autofree char *path = vesicle_blas_tuning_path (info);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) local = NULL;
  VesicleBlasTuning *tuning = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return vesicle_blas_tuning_find_shipped (info, error);
  if (!(object = read_object (path, &local))
      || !(tuning = vesicle_blas_tuning_parse (object, path, &local)))
    g_set_error (error, local->domain, local->code,
                 "GEMM tuning %s (run 'vesicle-cli tune' again, or delete the file)",
                 local->message);
  return tuning;
}

char *
vesicle_blas_tuning_describe (const VesicleBlasTuning *tuning)
{
  g_autofree char *speed = NULL;

  if (tuning == NULL)
    return g_strdup ("CLBlast's own parameters (this device is not tuned)");
  if (isfinite (tuning->speedup) && tuning->speedup > 0)
    speed = g_strdup_printf (", %.2fx CLBlast's own on a step of 16 networks", tuning->speedup);
  if (tuning->shipped)
    return g_strdup_printf ("%s, shipped for this platform (%s%s)", tuning->label, tuning->path,
                            speed ? speed : "");
  return g_strdup_printf ("%s, tuned on this machine%s%s (%s%s)", tuning->label,
                          tuning->tuned ? " on " : "", tuning->tuned ? tuning->tuned : "",
                          tuning->path, speed ? speed : "");
}

static JsonObject *
retrieve_own (cl_device_id device)
{
  JsonObject *own = json_object_new ();

  for (guint i = 0; vesicle_blas_tuned_kernels[i]; i++)
    {
      JsonObject *values = vesicle_blas_retrieve_parameters (device, vesicle_blas_tuned_kernels[i]);

      if (values)
        json_object_set_object_member (own, vesicle_blas_tuned_kernels[i], values);
    }
  return own;
}

JsonObject *
vesicle_blas_own_parameters (cl_device_id   device,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&override_lock);
  JsonObject *own = own_parameters ? g_hash_table_lookup (own_parameters, device) : NULL;
  g_autoptr(JsonObject) fresh = own ? NULL : retrieve_own (device);

  if (!parameters_check (own ? own : fresh, "CLBlast", error))
    return NULL;
  return json_object_ref (own ? own : fresh);
}

static gboolean
override_kernel (cl_device_id  device,
                 const char   *kernel,
                 JsonObject   *values,
                 GError      **error)
{
  g_autoptr(GList) members = json_object_get_members (values);
  guint n = g_list_length (members), i = 0;
  g_autofree const char **names = g_new (const char *, n);
  g_autofree size_t *numbers = g_new (size_t, n);
  CLBlastStatusCode status;

  for (GList *l = members; l; l = l->next, i++)
    {
      names[i] = l->data;
      numbers[i] = (size_t) json_object_get_int_member (values, l->data);
    }
  status = CLBlastOverrideParameters (device, kernel, CLBlastPrecisionSingle, n, names, numbers);
  if (status == CLBlastSuccess)
    return TRUE;
  g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_BLAS,
               "CLBlastOverrideParameters (%s) failed: CLBlast status %d%s", kernel, (int) status,
               status == CLBlastMissingOverrideParameter
               ? " (a parameter is missing: the tuning was made for another CLBlast)"
               : status == CLBlastInvalidOverrideKernel ? " (CLBlast has no such kernel)" : "");
  return FALSE;
}

gboolean
vesicle_blas_apply_parameters (cl_device_id   device,
                               JsonObject    *parameters,
                               GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&override_lock);

  if (!parameters_check (parameters, "parameters", error))
    return FALSE;
  if (own_parameters == NULL)
    own_parameters = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_object_unref);
  if (!g_hash_table_contains (own_parameters, device))
    g_hash_table_insert (own_parameters, device, retrieve_own (device));
  for (guint i = 0; vesicle_blas_tuned_kernels[i]; i++)
    if (!override_kernel (device, vesicle_blas_tuned_kernels[i],
                          json_object_get_object_member (parameters, vesicle_blas_tuned_kernels[i]),
                          error))
      return FALSE;
  return TRUE;
}
