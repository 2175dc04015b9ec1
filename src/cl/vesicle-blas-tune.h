/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tuning CLBlast for a device on the products Vesicle runs. A cohort records the GEMMs of one
 * training step of the paper's network at K = 1 and at K = 16 (vesicle_cl_cohort_record_gemms:
 * both transposes, the shared-input first layer, the strided-batched rest); each candidate set
 * of parameters (XgemmDirect variants, and Xgemm ones with every product sent to the indirect
 * kernel) is applied, its results checked against a float64 reference on random inputs, and
 * the steps timed in interleaved rounds beside CLBlast's own parameters. The fastest (mean of
 * the two speed-ups) goes to the user's cache (vesicle-blas-tuning.h), where every later cohort
 * on that device, driver and CLBlast finds it.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @fraction in [0, 1] of the work, and what is being done. Called in the tuning thread. */
typedef void (*VesicleBlasTuneProgress) (double      fraction,
                                         const char *message,
                                         gpointer    user_data);

/* The candidates by label, "own" (CLBlast's own parameters) first; NULL-terminated. */
const char *const *vesicle_blas_tune_candidates      (void);
/* What a candidate is, one line, or NULL for an unknown label. */
const char        *vesicle_blas_tune_candidate_about (const char *label);

/* Tunes the device @selector opens (as vesicle_cl_device_open) over @labels (NULL: every
 * candidate; "own" is always timed, as the yardstick) in @rounds interleaved rounds. Writes and
 * returns the report: the chosen label and parameters, and for every candidate its status,
 * maximum error, step times, GFLOP/s and speed-ups; "path" names the file written. Nothing is
 * written when it fails or is cancelled. */
JsonObject        *vesicle_blas_tune (const char              *selector,
                                      const char *const       *labels,
                                      guint                    rounds,
                                      VesicleBlasTuneProgress  progress,
                                      gpointer                 user_data,
                                      GCancellable            *cancellable,
                                      GError                 **error);

G_END_DECLS
