/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CLBlast's tuning parameters for a device, and which GEMM runs faster there, Vesicle's or
 * CLBlast's: where Vesicle keeps them and how it applies them.
 * CLBlast ships tuned parameters for the GPUs its authors measured and generic ones for
 * everything else (PoCL among them). `vesicle-cli tune` (vesicle-blas-tune.h) times candidates
 * on Vesicle's own GEMMs and writes the winner to the user's cache, one file per device, driver
 * and CLBlast version; data/clblast-tuning.json ships what the tuner found for PoCL's CPU
 * device, for machines that never ran it. Every cohort that runs CLBlast applies the first of
 * the two that exists, with CLBlastOverrideParameters.
 *
 * A tuning's parameters are one JSON object per CLBlast kernel ("GemmRoutine", "XgemmDirect",
 * "Xgemm"), each naming every parameter of that kernel, as CLBlast requires.
 */
#pragma once

#include "vesicle-cl-device.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char       *label;       /* the candidate that won, "own" for CLBlast's own parameters */
  char       *path;        /* the file it was read from */
  gboolean    shipped;     /* from Vesicle's data, not tuned on this machine */
  char       *tuned;       /* when (ISO 8601, UTC), if the file says */
  double      speedup;     /* CLBlast's own GEMM time over this one's, a K = 16 step; NaN if unknown */
  JsonObject *parameters;  /* kernel -> { parameter -> value }; NULL for "own" in the shipped
                            * table: CLBlast's own, nothing to apply */
  char       *gemm;        /* the GEMM that measured faster here: "vesicle" (kernels/gemm.cl) or
                            * "clblast" with these parameters; NULL if not timed against each other */
  double      gemm_speedup;  /* the winner's speed over the other's (mean of K = 1 and 16) */
  char       *measured_on; /* the shipped table's note of where the GEMMs were timed, or NULL */
  gboolean    quick;       /* only CLBlast's own parameters were timed against Vesicle's GEMM */
} VesicleBlasTuning;

void               vesicle_blas_tuning_free     (VesicleBlasTuning        *tuning);

/* $XDG_CACHE_HOME/vesicle/clblast, and the file in it for the device @info describes (named
 * after the device, keyed by its name, vendor, platform and driver versions and CLBlast's). */
char              *vesicle_blas_tuning_dir      (void);
char              *vesicle_blas_tuning_path     (const VesicleClDeviceInfo *info);

/* The tuning for @info: the user's, else the shipped one for its platform and device type,
 * else NULL without an error. A file that exists but cannot be used is an error naming it. */
VesicleBlasTuning *vesicle_blas_tuning_find     (const VesicleClDeviceInfo *info,
                                                 GError                  **error);
/* The shipped entry for @info's platform, device type and CLBlast, else NULL (an error only
 * when the table cannot be read). The table is <datadir>/clblast-tuning.json, or the file
 * $VESICLE_CLBLAST_TABLE names (a packager's own measurements; an empty table in the tests). */
VesicleBlasTuning *vesicle_blas_tuning_find_shipped (const VesicleClDeviceInfo *info,
                                                     GError                  **error);
/* Parses a tuning (@path for messages): label, parameters and what else it says. */
VesicleBlasTuning *vesicle_blas_tuning_parse    (JsonObject               *object,
                                                 const char               *path,
                                                 GError                  **error);
/* One sentence for run.json and the Preferences window: which parameters and where from. */
char              *vesicle_blas_tuning_describe (const VesicleBlasTuning  *tuning);

/* Overrides CLBlast's parameters for @device with @parameters. The first override of a device
 * in this process first remembers CLBlast's own, so that vesicle_blas_own_parameters can give
 * them back afterwards. Serialised: CLBlast's override table is process-wide. */
gboolean           vesicle_blas_apply_parameters (cl_device_id            device,
                                                  JsonObject             *parameters,
                                                  GError                **error);
/* CLBlast's own parameters for @device (a new reference), as they were before any override. */
JsonObject        *vesicle_blas_own_parameters   (cl_device_id            device,
                                                  GError                **error);

/* CLBlast's current parameters of @kernel for @device, single precision (a new object), NULL
 * when CLBlast has none (vesicle-blas-params.cc: CLBlast reports them only in C++). */
JsonObject        *vesicle_blas_retrieve_parameters (cl_device_id          device,
                                                     const char           *kernel);

/* The kernels a tuning sets, NULL-terminated. */
extern const char *const vesicle_blas_tuned_kernels[];

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleBlasTuning, vesicle_blas_tuning_free)

G_END_DECLS
