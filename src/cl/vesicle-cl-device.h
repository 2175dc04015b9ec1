/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenCL platforms and devices: listing, choosing (by index or name, or $VESICLE_DEVICE), and a
 * context + in-order queue on the chosen device. Errors name the OpenCL call and its status.
 */
#pragma once

#include <glib.h>
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

G_BEGIN_DECLS

#define VESICLE_CL_ERROR (vesicle_cl_error_quark ())

typedef enum {
  VESICLE_CL_ERROR_NO_DEVICE,
  VESICLE_CL_ERROR_CALL,        /* an OpenCL call failed */
  VESICLE_CL_ERROR_BUILD,       /* kernel build failed; the log is in the message */
  VESICLE_CL_ERROR_BLAS,        /* CLBlast failed */
  VESICLE_CL_ERROR_OUT_OF_MEMORY, /* more than the device holds, refused before allocating */
  VESICLE_CL_ERROR_LIMIT,       /* a launch beyond the device's limits, refused before it runs */
} VesicleClError;

typedef struct {
  guint            index;          /* across all platforms, in listing order */
  cl_platform_id   platform;
  cl_device_id     device;
  char            *platform_name;
  char            *platform_version;
  char            *name;
  char            *vendor;
  char            *driver_version;
  char            *device_version;
  cl_device_type   type;
  guint            compute_units;
  guint64          global_mem;
  guint64          max_alloc;
  gboolean         fp64;
  gsize            max_work_group;     /* work-items in one work-group, any kernel */
  gsize            max_work_item[3];   /* along each dimension */
  guint64          local_mem;          /* bytes of local memory a work-group may use */
} VesicleClDeviceInfo;

typedef struct {
  VesicleClDeviceInfo info;
  cl_context          context;
  cl_command_queue    queue;
  GHashTable         *kernel_limits;   /* cl_kernel -> its limits on this device, as built */
} VesicleClDevice;

GQuark           vesicle_cl_error_quark     (void);
const char      *vesicle_cl_status_name     (cl_int             status);
gboolean         vesicle_cl_check           (cl_int             status,
                                             const char        *call,
                                             GError           **error);

/* The OpenCL drivers of several vendors folders at once. ocl-icd reads one folder of .icd files
 * (OCL_ICD_VENDORS replaces its default, and it has no list). Where $VESICLE_OPENCL_VENDOR_DIRS
 * names several (colon-separated; the Flatpak names Vesicle's own, with PoCL, and the runtime's,
 * where the GL extensions merge Mesa's and NVIDIA's), this links every .icd file of them, the
 * first of a name winning, into one private folder and points OCL_ICD_VENDORS there; the folder
 * goes at exit. Nothing happens when OCL_ICD_VENDORS is set already. Call it first in main(),
 * before any thread starts: it sets an environment variable, which is not thread-safe. */
void             vesicle_cl_merge_vendor_dirs (void);

/* All devices of all platforms; an empty array (not an error) when there are none. */
GPtrArray       *vesicle_cl_list_devices    (GError           **error);
const char      *vesicle_cl_device_type_name (cl_device_type    type);

/* selector: NULL (then $VESICLE_DEVICE, then the first GPU, else the first device), an index
 * from vesicle_cl_list_devices, or a case-insensitive substring of the device name. */
VesicleClDevice *vesicle_cl_device_open     (const char        *selector,
                                             GError           **error);
void             vesicle_cl_device_free     (VesicleClDevice   *device);

/* The largest work-group @kernel can run in on @device: the device's, or less where the kernel
 * as built allows fewer (rusticl's llvmpipe allows 32 work-items for noise_draw, of 1,024);
 * what kernels free to choose their work-groups launch with, at most. */
gsize            vesicle_cl_kernel_max_work_group (VesicleClDevice *device,
                                                   cl_kernel        kernel);
/* Whether a launch of @kernel over @global in work-groups of @local (NULL: the driver picks)
 * fits the device and the kernel as built for it: the work-group within the device's and the
 * kernel's largest (CL_KERNEL_WORK_GROUP_SIZE, smaller where a kernel uses many registers),
 * within the largest along each dimension, dividing the range evenly (OpenCL 1.2), and the
 * kernel's local memory within the device's. Else an error naming the device, the kernel, what
 * was asked and the limit: a device that cannot run a kernel as Vesicle launches it says so
 * before it runs, never with a wrong result. Every launch of the engine passes through it. */
gboolean         vesicle_cl_check_launch    (VesicleClDevice   *device,
                                             cl_kernel          kernel,
                                             guint              dims,
                                             const gsize       *global,
                                             const gsize       *local,
                                             GError           **error);

/* Whether @device is oclgrind's simulator, which the build and the zeroing below treat apart. */
gboolean         vesicle_cl_device_is_simulator (const VesicleClDevice *device);

/* @bytes (a multiple of 4) of @mem from @offset set to zero, in order on the device's queue:
 * clEnqueueFillBuffer, except on oclgrind, where a host write of zeros does it. oclgrind 21.10's
 * --uninitialized check loses track of a filled buffer: it reports as uninitialised every value
 * a kernel later writes there and another reads back (tools/oclgrind-repro.c shows it in
 * one buffer and two kernels); a host write leaves its tracking intact. */
gboolean         vesicle_cl_zero_buffer     (VesicleClDevice   *device,
                                             cl_mem             mem,
                                             gsize              offset,
                                             gsize              bytes,
                                             GError           **error);
void             vesicle_cl_device_info_free (VesicleClDeviceInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleClDevice, vesicle_cl_device_free)

G_END_DECLS
