/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces the training experiments share: the cohort configuration from an experiment config's
 * common keys (hidden, batch, eval_batch, lr, sigma_init, lambda, epochs, ...), and small JSON
 * helpers for summaries.
 */
#pragma once

#include "vesicle-experiment.h"

G_BEGIN_DECLS

/* The keys every training experiment has, with the paper's values; presets start from these. */
JsonObject *vesicle_exp_training_defaults (void);

/* Shape (softmax head on data's dimensions) and optimiser settings from config; K networks with
 * hyper left zeroed for the caller to fill. */
gboolean    vesicle_exp_cohort_from_config (VesicleCohortConfig         *cohort,
                                            VesicleTrainSchedule        *schedule,
                                            JsonObject                  *config,
                                            const VesicleExperimentData *data,
                                            guint                        K,
                                            GError                     **error);

JsonArray  *vesicle_exp_double_array (const double *values,
                                      gsize         n);
void        vesicle_exp_set_double   (JsonObject   *object,
                                      const char   *name,
                                      double        value);

G_END_DECLS
