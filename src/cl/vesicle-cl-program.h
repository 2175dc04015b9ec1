/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernels in kernels/ (*.cl), embedded as a GResource, built for one device at run time, and the
 * built binary cached on disk per device, driver and source ($XDG_CACHE_HOME/vesicle/kernels).
 */
#pragma once

#include "vesicle-cl-device.h"

G_BEGIN_DECLS

/* defines: "#define NAME VALUE" lines prepended to the source (kernel tunables). */
cl_program vesicle_cl_program_build  (VesicleClDevice *device,
                                      const char      *defines,
                                      gboolean        *from_cache,
                                      GError         **error);

/* The same for other kernel files: @files, NULL-terminated, in the order they are joined. */
cl_program vesicle_cl_program_build_files (VesicleClDevice   *device,
                                           const char *const *files,
                                           const char        *defines,
                                           gboolean          *from_cache,
                                           GError           **error);

/* Kernel @name of @program; the error names it and OpenCL's status. */
cl_kernel  vesicle_cl_kernel_new     (cl_program       program,
                                      const char      *name,
                                      GError         **error);

/* The concatenated source as built (for tests and for cache keys). */
char      *vesicle_cl_program_source (const char      *defines,
                                      GError         **error);

G_END_DECLS
