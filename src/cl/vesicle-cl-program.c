/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kernel program: concatenates the embedded sources in dependency order (Philox first: the other
 * files call it), builds them, and keeps the device binary in a disk cache keyed by a SHA-256 of
 * the source, build options, device, driver and platform. A cache entry that fails to load is
 * ignored and rebuilt: the cache can only save time, never change a result.
 */
#include "vesicle-cl-program.h"
#include "vesicle-cl-kernel-cache.h"
#include "vesicle-kernels.h"
#include "vesicle-build-config.h"
#include "vesicle-file.h"

/* a program binary is a few MiB; anything far larger in the cache is not one of ours */
#define CACHE_MAX_BYTES ((gsize) 256 << 20)

#include <gio/gio.h>
#include <string.h>

#define RESOURCE_DIR "/org/vesicle/Vesicle/kernels/"

/* The kernels' restrict qualifiers, unless the build defines RESTRICT itself. */
#define RESTRICT_PREAMBLE \
  "#ifndef RESTRICT\n#define RESTRICT restrict\n#endif\n"

/* The build's options: $VESICLE_CL_OPTIONS, else OpenCL C 1.2; on oclgrind, restrict dropped.
 * Its LLVM cannot run the llvm.experimental.noalias.scope.decl intrinsic that clang emits for
 * restrict pointers after inlining, and stops at the first kernel that has one; the checks it
 * makes (bounds, races, uninitialised reads) do not depend on the promise. */
static char *
build_options (VesicleClDevice *device)
{
  const char *options = g_getenv ("VESICLE_CL_OPTIONS");
  gboolean simulator = vesicle_cl_device_is_simulator (device);

  return g_strconcat (options ? options : "-cl-std=CL1.2",
                      simulator ? " -DRESTRICT=" : "", NULL);
}

/* The engine's program; the roofline's (roofline.cl) is built on its own. */
static const char *const engine_files[] = {
  "vesicle_philox.h", "sample.cl", "mlp.cl", "heads.cl", "adam.cl", "gemm.cl", NULL,
};

static char *
files_source (const char *const  *kernel_files,
              const char         *defines,
              GError            **error)
{
  GResource *resource = vesicle_kernels_get_resource ();
  GString *source = g_string_new (defines ? defines : "");

  g_string_append (source, RESTRICT_PREAMBLE);

  for (guint i = 0; kernel_files[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_DIR, kernel_files[i], NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (resource, path, 0, error);
      g_auto(GStrv) lines = NULL;

      if (bytes == NULL)
        {
          g_string_free (source, TRUE);
          return NULL;
        }
      g_string_append_printf (source, "\n/* ---- %s ---- */\n", kernel_files[i]);
      lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        if (!g_str_has_prefix (lines[l], "#pragma once"))
          g_string_append_printf (source, "%s\n", lines[l]);
    }
  return g_string_free (source, FALSE);
}

char *
vesicle_cl_program_source (const char  *defines,
                           GError     **error)
{
  return files_source (engine_files, defines, error);
}

static char *
cache_path (VesicleClDevice *device,
            const char      *source)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *options = build_options (device);
  const char *parts[] = {
    source, options, device->info.name, device->info.vendor, device->info.driver_version,
    device->info.platform_name, device->info.platform_version, VESICLE_VERSION,
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_checksum_update (sum, (const guchar *) parts[i], strlen (parts[i]));
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  {
    g_autofree char *dir = vesicle_cl_kernel_cache_dir ();

    return g_build_filename (dir, g_checksum_get_string (sum), NULL);
  }
}

static char *
build_log (VesicleClDevice *device,
           cl_program       program)
{
  size_t size = 0;
  char *log;

  clGetProgramBuildInfo (program, device->info.device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size);
  log = g_malloc0 (size + 1);
  clGetProgramBuildInfo (program, device->info.device, CL_PROGRAM_BUILD_LOG, size, log, NULL);
  return log;
}

static cl_program
load_cached (VesicleClDevice *device,
             const char      *path)
{
  g_autofree char *binary = NULL;
  g_autofree char *options = build_options (device);
  gsize length = 0;
  cl_int status = CL_SUCCESS, binary_status = CL_SUCCESS;
  cl_program program;

  /* a regular file of bounded size only: a FIFO or a device planted in the cache is skipped
   * (the kernels are built instead), never read forever */
  if (!(binary = vesicle_file_read_bounded (path, CACHE_MAX_BYTES, &length, NULL)) || length == 0)
    return NULL;
  program = clCreateProgramWithBinary (device->context, 1, &device->info.device, &length,
                                       (const unsigned char **) &binary, &binary_status, &status);
  if (status != CL_SUCCESS || binary_status != CL_SUCCESS)
    return NULL;
  if (clBuildProgram (program, 1, &device->info.device, options, NULL, NULL) != CL_SUCCESS)
    {
      clReleaseProgram (program);
      return NULL;
    }
  return program;
}

static void
store_cached (VesicleClDevice *device,
              cl_program       program,
              const char      *path)
{
  g_autofree unsigned char *binary = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  size_t size = 0;

  if (clGetProgramInfo (program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS
      || size == 0)
    return;
  binary = g_malloc (size);
  if (clGetProgramInfo (program, CL_PROGRAM_BINARIES, sizeof binary, &binary, NULL) != CL_SUCCESS)
    return;
  /* Best effort: a read-only cache folder only costs the next start a rebuild. */
  if (g_mkdir_with_parents (dir, 0755) == 0)
    g_file_set_contents (path, (const char *) binary, size, NULL);
}

cl_program
vesicle_cl_program_build (VesicleClDevice *device,
                          const char      *defines,
                          gboolean        *from_cache,
                          GError         **error)
{
  return vesicle_cl_program_build_files (device, engine_files, defines, from_cache, error);
}

cl_program
vesicle_cl_program_build_files (VesicleClDevice   *device,
                                const char *const *files,
                                const char        *defines,
                                gboolean          *from_cache,
                                GError           **error)
{
  g_autofree char *source = files_source (files, defines, error);
  g_autofree char *options = build_options (device);
  g_autofree char *path = NULL;
  cl_program program;
  cl_int status = CL_SUCCESS;
  const char *no_cache = g_getenv ("VESICLE_NO_KERNEL_CACHE");
  gboolean use_cache = no_cache == NULL || *no_cache == '\0' || g_str_equal (no_cache, "0");

  if (from_cache)
    *from_cache = FALSE;
  if (source == NULL)
    return NULL;
  path = cache_path (device, source);
  if (use_cache && (program = load_cached (device, path)) != NULL)
    {
      if (from_cache)
        *from_cache = TRUE;
      return program;
    }

  program = clCreateProgramWithSource (device->context, 1, (const char **) &source, NULL, &status);
  if (!vesicle_cl_check (status, "clCreateProgramWithSource", error))
    return NULL;
  status = clBuildProgram (program, 1, &device->info.device, options, NULL, NULL);
  if (status != CL_SUCCESS)
    {
      g_autofree char *log = build_log (device, program);

      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_BUILD,
                   "clBuildProgram failed for the Vesicle kernels on %s: %s (%d)\n%s",
                   device->info.name, vesicle_cl_status_name (status), status, log);
      clReleaseProgram (program);
      return NULL;
    }
  if (use_cache)
    store_cached (device, program, path);
  return program;
}

cl_kernel
vesicle_cl_kernel_new (cl_program   program,
                       const char  *name,
                       GError     **error)
{
  cl_int status = CL_SUCCESS;
  cl_kernel kernel = clCreateKernel (program, name, &status);

  if (status != CL_SUCCESS)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_CALL,
                   "clCreateKernel (%s) failed: %s (%d)", name, vesicle_cl_status_name (status),
                   status);
      return NULL;
    }
  return kernel;
}
