/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device discovery and selection. With no OpenCL platform at all the ICD loader reports
 * CL_PLATFORM_NOT_FOUND_KHR (-1001); that, and an empty list, become one clear message saying
 * how to install a device.
 */
#include "vesicle-cl-device.h"
#include "vesicle-blas.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define NO_DEVICE_HINT \
  "No OpenCL device found. Install an OpenCL driver: on Debian/Ubuntu 'apt install " \
  "pocl-opencl-icd' runs on any CPU (or your GPU vendor's ICD, e.g. mesa-opencl-icd, " \
  "nvidia-opencl-icd, intel-opencl-icd); 'clinfo -l' lists what is installed."

G_DEFINE_QUARK (vesicle-cl-error-quark, vesicle_cl_error)

const char *
vesicle_cl_status_name (cl_int status)
{
  switch (status)
    {
#define S(x) case x: return #x
    S (CL_SUCCESS);
    S (CL_DEVICE_NOT_FOUND);
    S (CL_DEVICE_NOT_AVAILABLE);
    S (CL_COMPILER_NOT_AVAILABLE);
    S (CL_MEM_OBJECT_ALLOCATION_FAILURE);
    S (CL_OUT_OF_RESOURCES);
    S (CL_OUT_OF_HOST_MEMORY);
    S (CL_BUILD_PROGRAM_FAILURE);
    S (CL_INVALID_VALUE);
    S (CL_INVALID_PLATFORM);
    S (CL_INVALID_DEVICE);
    S (CL_INVALID_CONTEXT);
    S (CL_INVALID_COMMAND_QUEUE);
    S (CL_INVALID_MEM_OBJECT);
    S (CL_INVALID_BINARY);
    S (CL_INVALID_BUILD_OPTIONS);
    S (CL_INVALID_PROGRAM);
    S (CL_INVALID_PROGRAM_EXECUTABLE);
    S (CL_INVALID_KERNEL_NAME);
    S (CL_INVALID_KERNEL);
    S (CL_INVALID_ARG_INDEX);
    S (CL_INVALID_ARG_VALUE);
    S (CL_INVALID_ARG_SIZE);
    S (CL_INVALID_KERNEL_ARGS);
    S (CL_INVALID_WORK_DIMENSION);
    S (CL_INVALID_WORK_GROUP_SIZE);
    S (CL_INVALID_WORK_ITEM_SIZE);
    S (CL_INVALID_GLOBAL_OFFSET);
    S (CL_INVALID_BUFFER_SIZE);
    S (CL_INVALID_GLOBAL_WORK_SIZE);
#undef S
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    default: return "unknown OpenCL status";
    }
}

gboolean
vesicle_cl_check (cl_int       status,
                  const char  *call,
                  GError     **error)
{
  if (status == CL_SUCCESS)
    return TRUE;
  g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_CALL, "%s failed: %s (%d)",
               call, vesicle_cl_status_name (status), status);
  return FALSE;
}

const char *
vesicle_cl_device_type_name (cl_device_type type)
{
  if (type & CL_DEVICE_TYPE_GPU)
    return "GPU";
  if (type & CL_DEVICE_TYPE_CPU)
    return "CPU";
  if (type & CL_DEVICE_TYPE_ACCELERATOR)
    return "accelerator";
  return "other";
}

static char *
platform_string (cl_platform_id platform, cl_platform_info what)
{
  size_t size = 0;
  char *s;

  if (clGetPlatformInfo (platform, what, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");
  s = g_malloc0 (size + 1);
  clGetPlatformInfo (platform, what, size, s, NULL);
  return g_strstrip (s);
}

static char *
device_string (cl_device_id device, cl_device_info what)
{
  size_t size = 0;
  char *s;

  if (clGetDeviceInfo (device, what, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");
  s = g_malloc0 (size + 1);
  clGetDeviceInfo (device, what, size, s, NULL);
  return g_strstrip (s);
}

void
vesicle_cl_device_info_free (VesicleClDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->platform_name);
  g_free (info->platform_version);
  g_free (info->name);
  g_free (info->vendor);
  g_free (info->driver_version);
  g_free (info->device_version);
  g_free (info);
}

static char *merged_vendors;

static void
remove_merged_vendors (void)
{
  g_autoptr(GDir) dir = g_dir_open (merged_vendors, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *link = g_build_filename (merged_vendors, name, NULL);

      g_unlink (link);
    }
  g_rmdir (merged_vendors);
}

void
vesicle_cl_merge_vendor_dirs (void)
{
  const char *dirs = g_getenv ("VESICLE_OPENCL_VENDOR_DIRS");
  g_auto(GStrv) list = NULL;

  if (dirs == NULL || *dirs == '\0' || g_getenv ("OCL_ICD_VENDORS") || merged_vendors)
    return;
  if (!(merged_vendors = g_dir_make_tmp ("vesicle-opencl-vendors-XXXXXX", NULL)))
    return;
  atexit (remove_merged_vendors);
  list = g_strsplit (dirs, ":", -1);
  for (guint i = 0; list[i]; i++)
    {
      g_autoptr(GDir) dir = *list[i] ? g_dir_open (list[i], 0, NULL) : NULL;
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *target = g_build_filename (list[i], name, NULL);
          g_autofree char *link = g_build_filename (merged_vendors, name, NULL);

          if (g_str_has_suffix (name, ".icd") && !g_file_test (link, G_FILE_TEST_EXISTS))
            symlink (target, link);
        }
    }
  g_setenv ("OCL_ICD_VENDORS", merged_vendors, TRUE);
}

GPtrArray *
vesicle_cl_list_devices (GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_cl_device_info_free);
  g_autofree cl_platform_id *platforms = NULL;
  cl_uint n_platforms = 0;
  cl_int status;

  status = clGetPlatformIDs (0, NULL, &n_platforms);
  if (status == -1001 || n_platforms == 0)
    return g_steal_pointer (&list);
  if (!vesicle_cl_check (status, "clGetPlatformIDs", error))
    return NULL;
  platforms = g_new0 (cl_platform_id, n_platforms);
  if (!vesicle_cl_check (clGetPlatformIDs (n_platforms, platforms, NULL), "clGetPlatformIDs", error))
    return NULL;

  for (cl_uint p = 0; p < n_platforms; p++)
    {
      g_autofree cl_device_id *devices = NULL;
      cl_uint n_devices = 0;

      if (clGetDeviceIDs (platforms[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n_devices) != CL_SUCCESS
          || n_devices == 0)
        continue;
      devices = g_new0 (cl_device_id, n_devices);
      if (clGetDeviceIDs (platforms[p], CL_DEVICE_TYPE_ALL, n_devices, devices, NULL) != CL_SUCCESS)
        continue;
      for (cl_uint d = 0; d < n_devices; d++)
        {
          VesicleClDeviceInfo *info = g_new0 (VesicleClDeviceInfo, 1);
          cl_uint cu = 0;
          cl_ulong mem = 0, alloc = 0;
          cl_device_fp_config fp64 = 0;
          size_t item_sizes[32] = { 0 };

          info->index = list->len;
          info->platform = platforms[p];
          info->device = devices[d];
          info->platform_name = platform_string (platforms[p], CL_PLATFORM_NAME);
          info->platform_version = platform_string (platforms[p], CL_PLATFORM_VERSION);
          info->name = device_string (devices[d], CL_DEVICE_NAME);
          info->vendor = device_string (devices[d], CL_DEVICE_VENDOR);
          info->driver_version = device_string (devices[d], CL_DRIVER_VERSION);
          info->device_version = device_string (devices[d], CL_DEVICE_VERSION);
          clGetDeviceInfo (devices[d], CL_DEVICE_TYPE, sizeof info->type, &info->type, NULL);
          clGetDeviceInfo (devices[d], CL_DEVICE_MAX_COMPUTE_UNITS, sizeof cu, &cu, NULL);
          clGetDeviceInfo (devices[d], CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL);
          clGetDeviceInfo (devices[d], CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof alloc, &alloc, NULL);
          clGetDeviceInfo (devices[d], CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL);
          clGetDeviceInfo (devices[d], CL_DEVICE_MAX_WORK_GROUP_SIZE,
                           sizeof info->max_work_group, &info->max_work_group, NULL);
          /* as many as the device has dimensions (at least 3): the first three */
          if (clGetDeviceInfo (devices[d], CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof item_sizes,
                               item_sizes, NULL) == CL_SUCCESS)
            memcpy (info->max_work_item, item_sizes, sizeof info->max_work_item);
          clGetDeviceInfo (devices[d], CL_DEVICE_LOCAL_MEM_SIZE, sizeof info->local_mem,
                           &info->local_mem, NULL);
          info->compute_units = cu;
          info->global_mem = mem;
          info->max_alloc = alloc;
          info->fp64 = fp64 != 0;
          g_ptr_array_add (list, info);
        }
    }
  return g_steal_pointer (&list);
}

static VesicleClDeviceInfo *
choose (GPtrArray   *list,
        const char  *selector,
        GError     **error)
{
  if (list->len == 0)
    {
      g_set_error_literal (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_NO_DEVICE, NO_DEVICE_HINT);
      return NULL;
    }
  if (selector == NULL || *selector == '\0')
    {
      for (guint i = 0; i < list->len; i++)
        {
          VesicleClDeviceInfo *info = g_ptr_array_index (list, i);
          if (info->type & CL_DEVICE_TYPE_GPU)
            return info;
        }
      return g_ptr_array_index (list, 0);
    }

  {
    char *end = NULL;
    guint64 index = g_ascii_strtoull (selector, &end, 10);

    if (end != selector && *end == '\0')
      {
        if (index >= list->len)
          {
            g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_NO_DEVICE,
                         "device: index %s is out of range; %u device(s) found "
                         "(see 'vesicle-cli devices')", selector, list->len);
            return NULL;
          }
        return g_ptr_array_index (list, index);
      }
  }

  {
    g_autofree char *want = g_utf8_casefold (selector, -1);

    for (guint i = 0; i < list->len; i++)
      {
        VesicleClDeviceInfo *info = g_ptr_array_index (list, i);
        g_autofree char *name = g_utf8_casefold (info->name, -1);
        g_autofree char *platform = g_utf8_casefold (info->platform_name, -1);

        if (strstr (name, want) != NULL || strstr (platform, want) != NULL)
          return info;
      }
  }
  g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_NO_DEVICE,
               "device: no device matches '%s' (see 'vesicle-cli devices')", selector);
  return NULL;
}

VesicleClDevice *
vesicle_cl_device_open (const char  *selector,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(VesicleClDevice) device = NULL;
  VesicleClDeviceInfo *info;
  cl_context_properties props[3];
  cl_int status = CL_SUCCESS;

  if (selector == NULL)
    selector = g_getenv ("VESICLE_DEVICE");
  if (!(list = vesicle_cl_list_devices (error)))
    return NULL;
  if (!(info = choose (list, selector, error)))
    return NULL;

  device = g_new0 (VesicleClDevice, 1);
  device->info = *info;
  device->info.platform_name = g_strdup (info->platform_name);
  device->info.platform_version = g_strdup (info->platform_version);
  device->info.name = g_strdup (info->name);
  device->info.vendor = g_strdup (info->vendor);
  device->info.driver_version = g_strdup (info->driver_version);
  device->info.device_version = g_strdup (info->device_version);

  props[0] = CL_CONTEXT_PLATFORM;
  props[1] = (cl_context_properties) info->platform;
  props[2] = 0;
  device->context = clCreateContext (props, 1, &info->device, NULL, NULL, &status);
  if (!vesicle_cl_check (status, "clCreateContext", error))
    return NULL;
  device->queue = clCreateCommandQueue (device->context, info->device, 0, &status);
  if (!vesicle_cl_check (status, "clCreateCommandQueue", error))
    return NULL;
  return g_steal_pointer (&device);
}

gboolean
vesicle_cl_device_is_simulator (const VesicleClDevice *device)
{
  return device->info.platform_name != NULL
         && strstr (device->info.platform_name, "Oclgrind") != NULL;
}

gboolean
vesicle_cl_zero_buffer (VesicleClDevice *device,
                        cl_mem           mem,
                        gsize            offset,
                        gsize            bytes,
                        GError         **error)
{
  static const float zero = 0.0f;

  g_return_val_if_fail (bytes % sizeof zero == 0, FALSE);
  if (bytes == 0)
    return TRUE;
  if (vesicle_cl_device_is_simulator (device))
    {
      g_autofree void *zeros = g_malloc0 (bytes);

      return vesicle_cl_check (clEnqueueWriteBuffer (device->queue, mem, CL_TRUE, offset, bytes,
                                                     zeros, 0, NULL, NULL),
                               "clEnqueueWriteBuffer", error);
    }
  return vesicle_cl_check (clEnqueueFillBuffer (device->queue, mem, &zero, sizeof zero, offset,
                                                bytes, 0, NULL, NULL),
                           "clEnqueueFillBuffer", error);
}

void
vesicle_cl_device_free (VesicleClDevice *device)
{
  if (device == NULL)
    return;
  /* the kernels it holds first, and CLBlast's programs: they belong to the context */
  g_clear_pointer (&device->kernel_limits, g_hash_table_unref);
  if (device->context)
    vesicle_blas_forget_programs ();
  if (device->queue)
    clReleaseCommandQueue (device->queue);
  if (device->context)
    clReleaseContext (device->context);
  g_free (device->info.platform_name);
  g_free (device->info.platform_version);
  g_free (device->info.name);
  g_free (device->info.vendor);
  g_free (device->info.driver_version);
  g_free (device->info.device_version);
  g_free (device);
}

typedef struct {
  gsize    work_group;    /* CL_KERNEL_WORK_GROUP_SIZE */
  gsize    required[3];   /* CL_KERNEL_COMPILE_WORK_GROUP_SIZE: reqd_work_group_size, or 0s */
  guint64  local_mem;     /* CL_KERNEL_LOCAL_MEM_SIZE */
  char     name[96];
} KernelLimits;

static void
release_kernel (gpointer kernel)
{
  clReleaseKernel (kernel);
}

static const KernelLimits *
kernel_limits (VesicleClDevice *device,
               cl_kernel        kernel)
{
  KernelLimits *k;

  /* keyed by the kernel, which the table retains: a kernel released elsewhere cannot be replaced
   * by a new one at the same address while its limits are cached */
  if (device->kernel_limits == NULL)
    device->kernel_limits = g_hash_table_new_full (NULL, NULL, release_kernel, g_free);
  if ((k = g_hash_table_lookup (device->kernel_limits, kernel)))
    return k;
  k = g_new0 (KernelLimits, 1);
  clGetKernelWorkGroupInfo (kernel, device->info.device, CL_KERNEL_WORK_GROUP_SIZE,
                            sizeof k->work_group, &k->work_group, NULL);
  clGetKernelWorkGroupInfo (kernel, device->info.device, CL_KERNEL_LOCAL_MEM_SIZE,
                            sizeof k->local_mem, &k->local_mem, NULL);
  clGetKernelWorkGroupInfo (kernel, device->info.device, CL_KERNEL_COMPILE_WORK_GROUP_SIZE,
                            sizeof k->required, k->required, NULL);
  if (clGetKernelInfo (kernel, CL_KERNEL_FUNCTION_NAME, sizeof k->name - 1, k->name, NULL)
      != CL_SUCCESS)
    g_strlcpy (k->name, "(unnamed)", sizeof k->name);
  clRetainKernel (kernel);
  g_hash_table_insert (device->kernel_limits, kernel, k);
  return k;
}

gboolean
vesicle_cl_check_launch (VesicleClDevice  *device,
                         cl_kernel         kernel,
                         guint             dims,
                         const gsize      *global,
                         const gsize      *local,
                         GError          **error)
{
  const KernelLimits *k = kernel_limits (device, kernel);
  const VesicleClDeviceInfo *info = &device->info;
  gsize items = 1;

#define REFUSE(...) G_STMT_START { \
    g_autofree char *what = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_LIMIT, \
                 "kernel %s cannot run as Vesicle launches it: %s", k->name, what); \
    return FALSE; \
  } G_STMT_END
  if (k->local_mem > 0 && info->local_mem > 0 && k->local_mem > info->local_mem)
    REFUSE ("it uses %" G_GUINT64_FORMAT " bytes of local memory, more than the %"
            G_GUINT64_FORMAT " the device has (CL_DEVICE_LOCAL_MEM_SIZE)", k->local_mem,
            info->local_mem);
  if (local == NULL)
    return TRUE;
  for (guint d = 0; d < dims; d++)
    {
      items *= local[d];
      if (d < 3 && info->max_work_item[d] > 0 && local[d] > info->max_work_item[d])
        REFUSE ("a work-group %zu work-items long in dimension %u, more than the %zu the device "
                "allows (CL_DEVICE_MAX_WORK_ITEM_SIZES)", local[d], d, info->max_work_item[d]);
      if (local[d] == 0 || global[d] % local[d] != 0)
        REFUSE ("%zu work-items in dimension %u, not a multiple of its work-groups of %zu",
                global[d], d, local[d]);
    }
  if (info->max_work_group > 0 && items > info->max_work_group)
    REFUSE ("work-groups of %zu work-items, more than the %zu the device allows "
            "(CL_DEVICE_MAX_WORK_GROUP_SIZE)", items, info->max_work_group);
  if (k->required[0] > 0)
    {
      /* a kernel built for one work-group size runs in that one. The compiler accepted it for
       * this device; rusticl 22.3 then reports a smaller CL_KERNEL_WORK_GROUP_SIZE (32 for the
       * reductions built for 64) and runs them right all the same (engine-rusticl), so that
       * report is not held against it */
      for (guint d = 0; d < dims && d < 3; d++)
        if (local[d] != k->required[d])
          REFUSE ("work-groups of %zu along dimension %u, where it was built for %zu "
                  "(reqd_work_group_size)", local[d], d, k->required[d]);
    }
  else if (k->work_group > 0 && items > k->work_group)
    REFUSE ("work-groups of %zu work-items, more than the %zu the device allows for this kernel "
            "as built (CL_KERNEL_WORK_GROUP_SIZE)", items, k->work_group);
#undef REFUSE
  return TRUE;
}

gsize
vesicle_cl_kernel_max_work_group (VesicleClDevice *device,
                                  cl_kernel        kernel)
{
  const KernelLimits *k = kernel_limits (device, kernel);
  gsize most = device->info.max_work_group > 0 ? device->info.max_work_group : 1;

  return k->work_group > 0 ? MIN (most, k->work_group) : most;
}
