/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli devices: the OpenCL platforms and devices, one block each.
 */
#include "vesicle-cli.h"
#include "vesicle-cl-device.h"

#include <stdio.h>

int
vesicle_cli_devices (int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = vesicle_cl_list_devices (&error);

  if (list == NULL)
    return vesicle_cli_fail ("devices", error);
  if (list->len == 0)
    {
      fprintf (stderr, "vesicle-cli devices: no OpenCL device found. Install an OpenCL driver: "
               "'apt install pocl-opencl-icd' runs on any CPU, or your GPU vendor's ICD.\n");
      return 1;
    }
  for (guint i = 0; i < list->len; i++)
    {
      VesicleClDeviceInfo *d = g_ptr_array_index (list, i);

      printf ("%u  %s  [%s]\n   platform: %s (%s)\n   driver %s, %s, %u compute units, "
              "%" G_GUINT64_FORMAT " MiB, fp64 %s\n",
              d->index, d->name, vesicle_cl_device_type_name (d->type), d->platform_name,
              d->platform_version, d->driver_version, d->device_version, d->compute_units,
              d->global_mem >> 20, d->fp64 ? "yes" : "no");
    }
  return 0;
}
