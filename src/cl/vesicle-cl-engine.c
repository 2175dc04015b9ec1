/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cl-engine.h"
#include "vesicle-main-context.h"
#include "vesicle-blas.h"
#include "vesicle-blas-tune.h"
#include "vesicle-blas-tuning.h"
#include "vesicle-gemm.h"
#include "vesicle-i18n.h"
#include "vesicle-json.h"
#include "vesicle-build-config.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-cl-device.h"
#include "vesicle-cl-split.h"

#include <math.h>

void
vesicle_device_description_free (VesicleDeviceDescription *d)
{
  if (d == NULL)
    return;
  g_free (d->name);
  g_free (d->platform);
  g_free (d->platform_version);
  g_free (d->vendor);
  g_free (d->driver);
  g_free (d->version);
  g_free (d->type);
  g_free (d);
}

VesicleEngine *
vesicle_cl_open_engine (const VesicleCohortConfig *config,
                        const char                *device,
                        GError                   **error)
{
  const char *selector = device && *device ? device : NULL;
  VesicleClDevice *dev = vesicle_cl_device_open (selector, error);
  guint max;

  if (dev == NULL)
    return NULL;
  /* more networks than the device holds at once: cohorts of as many as it does, in lockstep */
  max = vesicle_cl_cohort_max_networks (&dev->info, config);
  if (config->K <= max)
    return vesicle_cl_cohort_new (dev, config, error);
  vesicle_cl_device_free (dev);
  return vesicle_cl_split_new (selector, config, max, error);
}

gboolean
vesicle_cl_prepare_device (const char           *device,
                           VesiclePhaseAnnounce  announce,
                           gpointer              data,
                           char                **report,
                           GCancellable         *cancellable,
                           GError              **error)
{
  static const char *const own_only[] = { "own", NULL };
  const char *selector = device && *device ? device : NULL;
  const char *env = g_getenv ("VESICLE_GEMM");
  g_autoptr(VesicleClDevice) dev = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *name = NULL, *tuning = NULL, *phase = NULL, *margin = NULL;
  gboolean measured = FALSE;
  const char *gemm;
  double speedup;

  *report = NULL;
  if (env && *env)
    return TRUE;
  if (!(dev = vesicle_cl_device_open (selector, error)))
    return FALSE;
  vesicle_gemm_choose (&dev->info, &measured, NULL);
  tuning = vesicle_blas_tuning_path (&dev->info);
  /* a tuning file of the user's, even one that cannot be read, is theirs: the cohort reports a
   * bad one, and only vesicle-cli tune replaces it */
  if (measured || g_file_test (tuning, G_FILE_TEST_EXISTS))
    return TRUE;
  name = g_strdup (dev->info.name);
  g_clear_pointer (&dev, vesicle_cl_device_free);

  phase = g_strdup_printf (_("Timing Vesicle’s and CLBlast’s matrix products on %s (first use "
                             "of this device)"), name);
  announce (phase, data);
  if (!(result = vesicle_blas_tune (selector, own_only, 2, NULL, NULL, cancellable, error)))
    {
      if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (error, "Could not time the matrix products on %s, so cohorts there run "
                        "CLBlast’s: ", name);
      return FALSE;
    }
  gemm = vesicle_json_get_string (result, "gemm");
  speedup = vesicle_json_get_double (result, "gemm_speedup");
  margin = isfinite (speedup) ? g_strdup_printf ("measured %.2f× faster", speedup)
                              : g_strdup ("the only one that passed the check against float64");
  *report = g_strdup_printf ("%s runs %s GEMM, %s in a quick timing on its first use (kept for "
                             "later runs in %s; vesicle-cli tune also tunes CLBlast)", name,
                             g_strcmp0 (gemm, "vesicle") == 0 ? "Vesicle’s" : "CLBlast’s",
                             margin, vesicle_json_get_string (result, "path"));
  return TRUE;
}

GPtrArray *
vesicle_cl_describe_devices (GError **error)
{
  g_autoptr(GPtrArray) list = vesicle_cl_list_devices (error);
  GPtrArray *out;

  if (list == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_device_description_free);
  for (guint i = 0; i < list->len; i++)
    {
      VesicleClDeviceInfo *info = g_ptr_array_index (list, i);
      VesicleDeviceDescription *d = g_new0 (VesicleDeviceDescription, 1);

      d->index = info->index;
      d->name = g_strdup (info->name);
      d->platform = g_strdup (info->platform_name);
      d->platform_version = g_strdup (info->platform_version);
      d->vendor = g_strdup (info->vendor);
      d->driver = g_strdup (info->driver_version);
      d->version = g_strdup (info->device_version);
      d->type = g_strdup (vesicle_cl_device_type_name (info->type));
      d->gpu = (info->type & CL_DEVICE_TYPE_GPU) != 0;
      d->compute_units = info->compute_units;
      d->memory = info->global_mem;
      d->max_alloc = info->max_alloc;
      d->fp64 = info->fp64;
      g_ptr_array_add (out, d);
    }
  return out;
}

static void
describe_in_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = vesicle_cl_describe_devices (&error);

  if (devices)
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
vesicle_cl_describe_devices_async (GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vesicle_cl_describe_devices_async);
  g_task_run_in_thread (task, describe_in_thread);
}

GPtrArray *
vesicle_cl_describe_devices_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const VesicleDeviceDescription *
vesicle_cl_choose_device (GPtrArray  *devices,
                          const char *selector)
{
  guint64 index;

  if (devices == NULL || devices->len == 0)
    return NULL;
  if (selector == NULL || *selector == '\0')
    selector = g_getenv ("VESICLE_DEVICE");
  if (selector == NULL || *selector == '\0')
    {
      /* as vesicle_cl_device_open: the first GPU, else the first device */
      for (guint i = 0; i < devices->len; i++)
        if (((VesicleDeviceDescription *) g_ptr_array_index (devices, i))->gpu)
          return g_ptr_array_index (devices, i);
      return g_ptr_array_index (devices, 0);
    }
  if (g_ascii_string_to_unsigned (selector, 10, 0, G_MAXUINT, &index, NULL))
    return index < devices->len ? g_ptr_array_index (devices, index) : NULL;
  for (guint i = 0; i < devices->len; i++)
    {
      VesicleDeviceDescription *d = g_ptr_array_index (devices, i);
      g_autofree char *name = g_utf8_casefold (d->name, -1);
      g_autofree char *want = g_utf8_casefold (selector, -1);

      if (strstr (name, want) != NULL)
        return d;
    }
  return NULL;
}

/* What the tuning files are keyed on, from a description (no device opened) */
static VesicleClDeviceInfo
info_from_description (const VesicleDeviceDescription *d)
{
  return (VesicleClDeviceInfo) {
    .name = d->name, .vendor = d->vendor, .platform_name = d->platform,
    .platform_version = d->platform_version, .driver_version = d->driver,
    .type = g_str_equal (d->type, "CPU") ? CL_DEVICE_TYPE_CPU
          : d->gpu ? CL_DEVICE_TYPE_GPU : CL_DEVICE_TYPE_ACCELERATOR,
  };
}

char *
vesicle_cl_diagnostics (const VesicleDeviceDescription *d)
{
  g_autofree char *cache = vesicle_cl_kernel_cache_dir ();
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "Vesicle: %s\nCLBlast: %s\n", VESICLE_VERSION, vesicle_blas_version ());
  if (d != NULL)
    g_string_append_printf (s, "Device: %s (%s)\nVendor: %s\nPlatform: %s (%s)\nDriver: %s\n"
                               "OpenCL: %s\nCompute units: %u\nMemory: %" G_GUINT64_FORMAT
                               " MiB (largest allocation %" G_GUINT64_FORMAT " MiB)\nfp64: %s\n",
                            d->name, d->type, d->vendor, d->platform, d->platform_version,
                            d->driver, d->version, d->compute_units, d->memory >> 20,
                            d->max_alloc >> 20, d->fp64 ? "yes" : "no");
  else
    g_string_append (s, "Device: none found\n");
  if (d != NULL)
    {
      VesicleClDeviceInfo info = info_from_description (d);
      g_autoptr(GError) error = NULL;
      g_autoptr(VesicleBlasTuning) tuning = vesicle_blas_tuning_find (&info, &error);
      g_autofree char *what = error ? g_strdup (error->message)
                                    : vesicle_blas_tuning_describe (tuning);

      g_autofree char *origin = NULL;
      gboolean clblast = vesicle_gemm_choose (&info, NULL, &origin);

      g_string_append_printf (s, "GEMM: %s, %s; CLBlast tuning: %s\n",
                              clblast ? "CLBlast" : "Vesicle's", origin, what);
    }
  g_string_append_printf (s, "Kernel cache: %s\n", cache);
  if (g_getenv ("OCL_ICD_VENDORS"))
    g_string_append_printf (s, "OCL_ICD_VENDORS: %s\n", g_getenv ("OCL_ICD_VENDORS"));
  if (g_getenv ("VESICLE_DEVICE"))
    g_string_append_printf (s, "VESICLE_DEVICE: %s\n", g_getenv ("VESICLE_DEVICE"));
  return g_string_free (s, FALSE);
}

/* ---- CLBlast tuning -------------------------------------------------------------------------- */

/* Without trademark signs, a clock speed or a trailing " CPU", in single spaces. */
static char *
plain_name (const char *text)
{
  static const char *const marks[] = { "(R)", "(r)", "(TM)", "(tm)", "(C)" };
  g_autofree char *name = g_strdup (text ? text : "");
  g_autoptr(GString) out = g_string_new (NULL);
  char *at;

  for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
    while ((at = strstr (name, marks[m])))
      memmove (at, at + strlen (marks[m]), strlen (at + strlen (marks[m])) + 1);
  /* "… CPU @ 2.10GHz": the clock says nothing about training */
  if ((at = strstr (name, " @ ")))
    *at = '\0';
  g_strstrip (name);
  if (g_str_has_suffix (name, " CPU"))
    name[strlen (name) - 4] = '\0';
  for (const char *c = name; *c; c++)
    if (!(*c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' ')))
      g_string_append_c (out, *c);
  while (out->len && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The platform's everyday name. */
static char *
platform_short_name (const char *platform)
{
  if (platform == NULL)
    return NULL;
  if (strstr (platform, "Portable Computing Language"))
    return g_strdup ("PoCL");
  if (g_ascii_strcasecmp (platform, "rusticl") == 0)
    return g_strdup ("Mesa rusticl");
  if (g_str_equal (platform, "Clover"))
    return g_strdup ("Mesa Clover");
  return plain_name (platform);
}

char *
vesicle_cl_device_display_name (const VesicleDeviceDescription *device)
{
  g_autofree char *model = NULL, *platform = NULL;
  g_auto(GStrv) parts = NULL;
  GString *out;

  g_return_val_if_fail (device != NULL, NULL);
  /* PoCL's CPU devices are "<driver>-<cpu-arch>-<model>": the model starts at the first part
   * that begins with a capital */
  parts = g_strsplit (device->name ? device->name : "", "-", -1);
  for (guint i = 0; parts[i] && model == NULL; i++)
    if (g_ascii_isupper (parts[i][0]))
      {
        g_autofree char *joined = g_strjoinv ("-", parts + i);

        model = plain_name (joined);
      }
  if (model == NULL)
    model = plain_name (device->name);
  out = g_string_new (model);
  if (!device->gpu && device->compute_units > 0)
    g_string_append_printf (out, g_dngettext (NULL, ", %u core", ", %u cores",
                                              device->compute_units), device->compute_units);
  platform = platform_short_name (device->platform);
  if (platform && *platform)
    g_string_append_printf (out, " · %s", platform);
  return g_string_free (out, FALSE);
}

gboolean
vesicle_cl_device_uses_clblast (const VesicleDeviceDescription *device,
                                gboolean                       *measured)
{
  VesicleClDeviceInfo info = info_from_description (device);

  return vesicle_gemm_choose (&info, measured, NULL);
}

char *
vesicle_cl_gemm_tuning_status (const VesicleDeviceDescription *d)
{
  VesicleClDeviceInfo info = info_from_description (d);
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleBlasTuning) tuning = vesicle_blas_tuning_find (&info, &error);
  g_autofree char *what = NULL, *speed = NULL;

  if (error)
    return g_strdup_printf (_("The tuning cannot be used: %s"), error->message);
  if (tuning && isfinite (tuning->speedup) && tuning->speedup > 0)
    /* TRANSLATORS: how much faster the tuned GEMMs of a training step are, e.g. "1.72×" */
    speed = g_strdup_printf (_("%.2f× CLBlast's own speed"), tuning->speedup);
  if (tuning == NULL)
    what = g_strdup (_("CLBlast's own parameters: this device is not tuned"));
  else if (tuning->shipped)
    what = g_strdup_printf (_("%s, shipped for this platform%s%s"), tuning->label,
                            speed ? ", " : "", speed ? speed : "");
  else
    what = g_strdup_printf (_("%s, tuned on this machine on %.10s%s%s"), tuning->label,
                            tuning->tuned ? tuning->tuned : "?", speed ? ", " : "",
                            speed ? speed : "");
  /* which products the experiments run is the Preferences group's to say */
  return g_steal_pointer (&what);
}

typedef struct {
  char                    *selector;
  VesicleTuneProgressFunc  func;
  gpointer                 data;
  GMainContext            *context;
} TuneJob;

typedef struct {
  VesicleTuneProgressFunc  func;
  gpointer                 data;
  GCancellable            *cancellable;
  double                   fraction;
  char                    *message;
} TuneProgress;

static void
tune_job_free (TuneJob *job)
{
  g_free (job->selector);
  g_main_context_unref (job->context);
  g_free (job);
}

static void
tune_progress_free (TuneProgress *p)
{
  g_clear_object (&p->cancellable);
  g_free (p->message);
  g_free (p);
}

static gboolean
tune_progress_deliver (gpointer data)
{
  TuneProgress *p = data;

  /* after a cancel the receiver may be going away: it waits only for the task's callback */
  if (!g_cancellable_is_cancelled (p->cancellable))
    p->func (p->fraction, p->message, p->data);
  return G_SOURCE_REMOVE;
}

static void
tune_progress_in_thread (double      fraction,
                         const char *message,
                         gpointer    user_data)
{
  GTask *task = user_data;
  TuneJob *job = g_task_get_task_data (task);
  TuneProgress *p;

  if (job->func == NULL)
    return;
  p = g_new0 (TuneProgress, 1);
  p->func = job->func;
  p->data = job->data;
  p->cancellable = g_task_get_cancellable (task) ? g_object_ref (g_task_get_cancellable (task))
                                                 : g_cancellable_new ();
  p->fraction = fraction;
  p->message = g_strdup (message);
  vesicle_main_context_post (job->context, tune_progress_deliver, p,
                             (GDestroyNotify) tune_progress_free);
}

static void
tune_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TuneJob *job = task_data;
  const char *env = g_getenv ("VESICLE_TUNE_CANDIDATES");
  g_auto(GStrv) labels = env && *env ? g_strsplit (env, ",", -1) : NULL;
  GError *error = NULL;
  JsonObject *report = vesicle_blas_tune (job->selector, (const char *const *) labels, 3,
                                          tune_progress_in_thread, task, cancellable, &error);

  if (report)
    g_task_return_pointer (task, report, (GDestroyNotify) json_object_unref);
  else
    g_task_return_error (task, error);
}

void
vesicle_cl_tune_gemm_async (const char              *selector,
                            VesicleTuneProgressFunc  progress,
                            gpointer                 progress_data,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TuneJob *job = g_new0 (TuneJob, 1);

  job->selector = g_strdup (selector);
  job->func = progress;
  job->data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, vesicle_cl_tune_gemm_async);
  g_task_set_task_data (task, job, (GDestroyNotify) tune_job_free);
  g_task_run_in_thread (task, tune_in_thread);
}

JsonObject *
vesicle_cl_tune_gemm_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
