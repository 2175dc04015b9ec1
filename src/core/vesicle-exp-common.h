/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces the training experiments share: the cohort configuration from an experiment config's
 * common keys (hidden, batch, eval_batch, lr, sigma_init, lambda, epochs, ...), and small JSON
 * helpers for summaries.
 */
#pragma once

#include "vesicle-experiment.h"
#include "vesicle-i18n.h"
#include "vesicle-json.h"

G_BEGIN_DECLS

/* The keys every training experiment has, with the paper's values; presets start from these. */
JsonObject *vesicle_exp_training_defaults (void);

/* Their fields: the dataset's ("dataset", "normalise", "max_train") and the training's
 * (network, optimiser, schedule), each ending with a { NULL } entry. */
extern const VesicleConfigField vesicle_exp_dataset_fields[];
extern const VesicleConfigField vesicle_exp_training_fields[];

/* What the training settings need across fields and of the dataset (a minibatch no larger than
 * the training set, as many hidden layers as the engine takes). */
void        vesicle_exp_training_check    (JsonObject               *config,
                                           const VesicleDatasetInfo *data,
                                           GPtrArray                *problems);
/* One cohort's plan from the training settings: @K networks on @data (NULL: the bundled
 * subset's sizes, 8,000 / 2,000 images of 28 x 28 in 10 classes). */
void        vesicle_exp_cohort_plan       (VesicleCohortPlan        *cohort,
                                           JsonObject               *config,
                                           const VesicleDatasetInfo *data,
                                           guint                     K);
/* Parameters of a network with these hidden widths on @data's inputs and classes. */
gsize       vesicle_exp_n_params          (JsonObject               *config,
                                           const VesicleDatasetInfo *data);
/* Weight layers: the hidden layers and the output. */
guint       vesicle_exp_n_layers          (JsonObject               *config);
/* The markup vesicle_experiment_objective_markup returns (config already checked). */
char       *vesicle_exp_objective_markup  (const VesicleExperimentType *type,
                                           JsonObject                  *config,
                                           const VesicleDatasetInfo    *data);

/* Shape (softmax head on data's dimensions) and optimiser settings from config; K networks with
 * hyper left zeroed for the caller to fill. */
gboolean    vesicle_exp_cohort_from_config (VesicleCohortConfig         *cohort,
                                            VesicleTrainSchedule        *schedule,
                                            JsonObject                  *config,
                                            const VesicleExperimentData *data,
                                            guint                        K,
                                            GError                     **error);

/* "hetero", "homo": the values of a "settings" field, and how a form names them. */
extern const char *const vesicle_exp_setting_choices[];
extern const char *const vesicle_exp_setting_labels[];

/* The sweep fields a grid of networks shares (train, tradeoff): which sigma settings, which
 * seeds. Macros, so that each experiment's static field table can hold them. */
#define VESICLE_EXP_FIELD_SETTINGS \
  { "settings", VESICLE_FIELD_CHOICES, N_("σ per synapse or shared"), N_("Cost"), \
    N_("Heterogeneous: one σ per synapse; homogeneous: one σ for the whole network"), 0, 0, 1, \
    2, 0, \
    vesicle_exp_setting_choices, vesicle_exp_setting_labels }
#define VESICLE_EXP_FIELD_SEEDS \
  { "seeds", VESICLE_FIELD_COUNTS, N_("Seeds"), N_("Training"), \
    N_("One network per seed for every setting; equal seeds share initial weights and noise"), \
    0, 4294967295.0, 1, 1000, 0, NULL }

/* The seeds of an experiment repeated once per seed (importance, zero-hidden, bayes): the first
 * seed's networks draw the figures, and the report states each quantity's mean and 95%
 * interval over all of them. */
#define VESICLE_EXP_FIELD_REPEAT_SEEDS \
  { "seeds", VESICLE_FIELD_COUNTS, N_("Seeds"), N_("Training"), \
    /* xgettext:no-c-format */ \
    N_("Every network is trained once per seed; the figures show the first seed, the report " \
       "each slope's mean and 95% interval over all of them"), \
    0, 4294967295.0, 1, 16, 0, NULL }
/* [1, 2, 3]: the seeds of a preset whose claims are quantitative */
JsonArray  *vesicle_exp_three_seeds    (void);

/* Networks in the grid rho x c x settings x seeds of a checked config (saturates at
 * G_MAXUINT, so that a check can refuse an absurd grid). */
guint       vesicle_exp_grid_size      (JsonObject                *config);
/* The quick protocol the tradeoff found (see vesicle-exp-tradeoff.c): one hidden layer of 100,
 * 5 epochs at lr 4e-3 from sigma 0.1, so that a few minutes show the whole tradeoff. */
void        vesicle_exp_set_quick_protocol (JsonObject            *config);
/* config "settings" as VesicleSigmaSettings appended to @out. */
gboolean    vesicle_exp_parse_settings (JsonObject                *config,
                                        GArray                    *out,
                                        GError                   **error);
/* One network's entry in a summary's "networks": its hyperparameters and final metrics
 * (rho, c, setting, seed, test_accuracy, test_accuracy_mean, test_nll, mean_sigma, rms_sigma,
 * reliability_cost, train_nll, l1, cost, objective, cohort). */
void        vesicle_exp_add_network    (JsonArray                 *networks,
                                        const VesicleHyper        *h,
                                        const VesicleEpochMetrics *m,
                                        guint                      cohort);

void        vesicle_exp_set_double   (JsonObject   *object,
                                      const char   *name,
                                      double        value);

G_END_DECLS
