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
} VesicleClDeviceInfo;

typedef struct {
  VesicleClDeviceInfo info;
  cl_context          context;
  cl_command_queue    queue;
} VesicleClDevice;

GQuark           vesicle_cl_error_quark     (void);
const char      *vesicle_cl_status_name     (cl_int             status);
gboolean         vesicle_cl_check           (cl_int             status,
                                             const char        *call,
                                             GError           **error);

/* All devices of all platforms; an empty array (not an error) when there are none. */
GPtrArray       *vesicle_cl_list_devices    (GError           **error);
const char      *vesicle_cl_device_type_name (cl_device_type    type);

/* selector: NULL (then $VESICLE_DEVICE, then the first GPU, else the first device), an index
 * from vesicle_cl_list_devices, or a case-insensitive substring of the device name. */
VesicleClDevice *vesicle_cl_device_open     (const char        *selector,
                                             GError           **error);
void             vesicle_cl_device_free     (VesicleClDevice   *device);
void             vesicle_cl_device_info_free (VesicleClDeviceInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleClDevice, vesicle_cl_device_free)

G_END_DECLS
