/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Setting an experiment up: its preset, then a form built from the type's settings
 * (vesicle-config-field.h) with editors for what researchers think in: the dataset (checked at
 * once), cost exponents by mechanism, cost multipliers as a range in decades, σ per synapse or
 * shared, and every other setting, rarely changed ones under "Advanced". Each change is
 * checked by the library; a field at fault is flagged with the reason and Run stays off until it
 * is fixed. The page shows the objective with the current numbers, how many networks and cohorts
 * it trains, and a run-time estimate for the device. Edits are kept per experiment while the
 * window lives.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include "vesicle-experiment.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_SETUP_PAGE (vesicle_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (VesicleSetupPage, vesicle_setup_page, VESICLE, SETUP_PAGE, GtkWidget)

GtkWidget                   *vesicle_setup_page_new         (void);
void                         vesicle_setup_page_set_type    (VesicleSetupPage            *self,
                                                             const VesicleExperimentType *type);
const VesicleExperimentType *vesicle_setup_page_get_experiment (VesicleSetupPage         *self);
/* Whether the configuration can run now ("can-run"): no problem, the dataset read, not busy. */
gboolean                     vesicle_setup_page_get_can_run (VesicleSetupPage            *self);
/* Seconds the setup shown will take at this device's measured rate; NaN while none is known
 * (the device is being measured, or the setup cannot run). */
double                       vesicle_setup_page_get_estimate (VesicleSetupPage           *self);
/* Another experiment is running: Run waits for it ("busy"). */
void                         vesicle_setup_page_set_busy    (VesicleSetupPage            *self,
                                                             gboolean                     busy);
/* A copy of the configuration as it stands, and its preset's name. */
JsonObject                  *vesicle_setup_page_dup_config  (VesicleSetupPage            *self);
const char                  *vesicle_setup_page_get_preset  (VesicleSetupPage            *self);
/* Sets one setting as typed into its field (tests drive the form through this): FALSE when
 * the page has no such field. */
gboolean                     vesicle_setup_page_set_text    (VesicleSetupPage            *self,
                                                             const char                  *key,
                                                             const char                  *text);
/* The reason shown on a field, or NULL when it is fine. */
const char                  *vesicle_setup_page_get_problem (VesicleSetupPage            *self,
                                                             const char                  *key);
/* Chooses a preset by name ("quick", "paper"). */
void                         vesicle_setup_page_set_preset  (VesicleSetupPage            *self,
                                                             const char                  *preset);

G_END_DECLS
