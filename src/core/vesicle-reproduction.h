/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducing the paper: every experiment in one folder, each in a subfolder named after its
 * type (costs/, tradeoff/, importance/, bayes/, predictive/, zero-hidden/), and the table of what
 * was measured beside what the paper reports, read from their summaries. `vesicle-cli reproduce`
 * and the window's "Reproduce the paper" run the list in order; the report (src/plot) prints
 * the table and every figure.
 */
#pragma once

#include "vesicle-experiment.h"

G_BEGIN_DECLS

/* The experiments in the order they run: the quick analytic one first, the longest last. */
const VesicleExperimentType *const *vesicle_reproduction_experiments (guint *n);

/* The text fields are Pango markup ("c = 10<sup>−3</sup>"). */
typedef struct {
  char     *figure;     /* "Fig 2" */
  char     *quantity;   /* what is compared, in words */
  char     *paper;      /* what the paper reports or predicts */
  char     *measured;   /* what this folder holds */
  gboolean  agrees;     /* the measured value goes the way the paper's does */
} VesicleReproductionRow;

void       vesicle_reproduction_row_free (VesicleReproductionRow *row);
/* The rows of every finished experiment under @dir (subfolders by type name); experiments that
 * are missing or did not complete are listed by name in @missing (may be NULL). Errors only for
 * a folder that exists but cannot be read. */
GPtrArray *vesicle_reproduction_rows     (const char             *dir,
                                          GPtrArray              *missing,
                                          GError                **error);

G_END_DECLS
