/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The OpenCL engine as the front ends see it, without OpenCL types: the VesicleEngineOpenFunc
 * every experiment trains through, the devices as plain descriptions (listed in a worker: an
 * ICD loader may take seconds to wake a driver), a block of diagnostics to paste into a bug
 * report, and the disk cache of built kernels.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "vesicle-engine.h"
#include "vesicle-experiment.h"
#include "vesicle-cl-kernel-cache.h"

G_BEGIN_DECLS

typedef struct {
  guint     index;             /* as `vesicle-cli devices` numbers them */
  char     *name;
  char     *platform;
  char     *platform_version;
  char     *vendor;
  char     *driver;
  char     *version;           /* "OpenCL 3.0 PoCL …" */
  char     *type;              /* "CPU", "GPU", "accelerator" */
  gboolean  gpu;
  guint     compute_units;
  guint64   memory;            /* bytes */
  guint64   max_alloc;         /* bytes */
  gboolean  fp64;
} VesicleDeviceDescription;

void           vesicle_device_description_free (VesicleDeviceDescription *d);

/* A VesicleEngineOpenFunc: the cohort on the device @device selects (an index or part of its
 * name; NULL or "" for $VESICLE_DEVICE, else the first GPU, else the first device). */
VesicleEngine *vesicle_cl_open_engine       (const VesicleCohortConfig *config,
                                             const char                *device,
                                             GError                   **error);

/* A VesicleDevicePrepareFunc: on a device that neither the user's tuning nor the shipped table
 * covers (vesicle_gemm_choose), a quick timing of Vesicle's GEMM against CLBlast's own
 * parameters on a training step's products (vesicle_blas_tune, about ten seconds on PoCL),
 * kept in the user's cache like a tuning, so that this and every later run on the device runs
 * the faster. Nothing to do under VESICLE_GEMM, or where a tuning file exists. */
gboolean       vesicle_cl_prepare_device    (const char                *device,
                                             VesiclePhaseAnnounce       announce,
                                             gpointer                   data,
                                             char                     **report,
                                             GCancellable              *cancellable,
                                             GError                   **error);

/* Every device of every platform (an empty array when there are none). */
GPtrArray     *vesicle_cl_describe_devices  (GError                   **error);
void           vesicle_cl_describe_devices_async  (GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray     *vesicle_cl_describe_devices_finish (GAsyncResult        *result,
                                                   GError             **error);
/* The device @selector would open among @devices (VesicleDeviceDescription), or NULL. */
const VesicleDeviceDescription *vesicle_cl_choose_device (GPtrArray  *devices,
                                                          const char *selector);

/* Vesicle, CLBlast and the device, platform and driver, one "key: value" per line. */
char          *vesicle_cl_diagnostics       (const VesicleDeviceDescription *device);
/* A name for people: "Intel Xeon Processor, 2 cores · PoCL" for PoCL's
 * "pthread-skylake-avx512-Intel(R) Xeon(R) Processor" (the driver's prefix, trademark signs and
 * clock speed dropped; a CPU's cores; the platform's short name). The full strings stay in the
 * diagnostics. */
char          *vesicle_cl_device_display_name (const VesicleDeviceDescription *device);
/* Whether experiments on @device multiply matrices with CLBlast, else Vesicle's own GEMM; and
 * (@measured, may be NULL) whether that was measured faster there, by `vesicle-cli tune` or in
 * Vesicle's table, rather than CLBlast by default (vesicle-gemm.h). */
gboolean       vesicle_cl_device_uses_clblast (const VesicleDeviceDescription *device,
                                               gboolean                       *measured);


/* CLBlast's tuning (vesicle-blas-tuning.h, vesicle-blas-tune.h). The status is one sentence for
 * the device: the parameters CLBlast runs with and where they come from, whether cohorts on it
 * use CLBlast at all, or what is wrong with its tuning file. */
char          *vesicle_cl_gemm_tuning_status (const VesicleDeviceDescription *device);

typedef void (*VesicleTuneProgressFunc) (double      fraction,
                                         const char *message,
                                         gpointer    user_data);

/* vesicle_blas_tune for the device @selector names, every candidate (or those in
 * $VESICLE_TUNE_CANDIDATES, comma-separated) in three rounds, in a worker thread. @progress
 * runs in the thread-default main context of the caller, which must keep @progress_data alive
 * until the task's callback (cancel and wait, as for any task). The result is the report. */
void           vesicle_cl_tune_gemm_async   (const char              *selector,
                                             VesicleTuneProgressFunc  progress,
                                             gpointer                 progress_data,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
JsonObject    *vesicle_cl_tune_gemm_finish  (GAsyncResult            *result,
                                             GError                 **error);

G_END_DECLS
