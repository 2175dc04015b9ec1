/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setup page's parts, over one struct, the way GNOME Text Editor splits its window:
 * vesicle-setup-page.c is the widget, its presets and its device; vesicle-setup-dataset.c the
 * dataset row and reading the dataset's sizes in a worker; vesicle-setup-form.c the editors, one
 * per setting, and the form built from a type's fields; vesicle-setup-check.c the library's
 * check of what the form holds, shown on each field, with the objective, the plan and the
 * estimate.
 */
#pragma once

#include "vesicle-setup-page.h"

#include <adwaita.h>

G_BEGIN_DECLS

/* The paper's four mechanisms (Fig 1c), by which exponents are chosen. */
#define N_MECHANISMS 4

/* One setting's editor and the row that shows its problem. */
typedef struct {
  VesicleSetupPage         *page;
  const VesicleConfigField *field;
  GtkWidget                *row;                     /* flagged when the field is at fault */
  GtkWidget                *entry;                   /* text editors */
  GtkWidget                *combo;                   /* choices, settings, one exponent */
  GtkWidget                *toggle[N_MECHANISMS];    /* exponents */
  GtkWidget                *other;                   /* exponents: others, as text */
  GtkWidget                *mode;                    /* decades: range or list */
  GtkWidget                *from, *to, *per_decade;  /* decades as a range */
  GtkWidget                *expander;                /* says the values while folded */
  GtkWidget                *problem;                 /* under the row: why it is refused */
  char                     *parse_error;             /* text that does not read */
  char                     *shown;                   /* text editors: the value as first shown,
                                                      * rounded to read */
  JsonNode                 *exact;                   /* ... and the value it stands for */
} Editor;

struct _VesicleSetupPage {
  GtkWidget                    parent_instance;

  double                       estimate_s;   /* the plan's, at this device's rate; NaN if none */
  GtkLabel                    *title;
  GtkLabel                    *summary;
  GtkLabel                    *figures;
  AdwComboRow                 *preset_row;
  GtkLabel                    *description;
  AdwExpanderRow              *description_row;
  GtkScrolledWindow           *scroller;
  GtkBox                      *fields_box;
  AdwComboRow                 *device_row;
  GtkLabel                    *objective;
  GtkLabel                    *plan;
  GtkLabel                    *problems_label;
  GtkButton                   *run_button;

  const VesicleExperimentType *type;
  JsonObject                  *config;          /* the working copy, this type's */
  GHashTable                  *configs;         /* type name -> JsonObject: edits kept */
  GHashTable                  *presets;         /* type name -> preset name */
  GPtrArray                   *editors;         /* Editor */
  GPtrArray                   *groups;          /* the groups added to fields_box */
  GtkWidget                   *advanced;        /* AdwExpanderRow, or NULL */
  GtkWidget                   *dataset_row;     /* AdwActionRow, or NULL */
  GtkWidget                   *dataset_reset;

  GHashTable                  *probed;          /* dataset path -> VesicleDatasetInfo */
  GHashTable                  *probe_errors;    /* dataset path -> message */
  GCancellable                *cancellable;
  GPtrArray                   *problems;        /* VesicleConfigProblem of the last check */
  gboolean                     can_run;
  gboolean                     busy;
  gboolean                     building;        /* editors are being filled: no checks */
};

/* vesicle-setup-page.c */
void                      setup_set_can_run        (VesicleSetupPage *self,
                                                    gboolean          can_run);

/* vesicle-setup-dataset.c */
const VesicleDatasetInfo *setup_dataset_info       (VesicleSetupPage *self);
void                      setup_update_dataset_row (VesicleSetupPage *self);
void                      setup_probe_dataset      (VesicleSetupPage *self);
void                      setup_set_dataset        (VesicleSetupPage *self,
                                                    const char       *path);
GtkWidget                *setup_dataset_row_new    (VesicleSetupPage *self);

/* vesicle-setup-form.c */
void                      setup_editor_free        (gpointer          editor);
void                      setup_build_form         (VesicleSetupPage *self);

/* vesicle-setup-check.c */
Editor                   *setup_find_editor        (VesicleSetupPage *self,
                                                    const char       *key);
void                      setup_validate           (VesicleSetupPage *self);

G_END_DECLS
