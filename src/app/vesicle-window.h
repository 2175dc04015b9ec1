/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the experiments in a sidebar (an AdwLeaflet that folds on narrow windows), and
 * beside it the start page, an experiment's setup, a run, or a saved experiment's results. Its
 * actions: open (Ctrl+O), export (Ctrl+E), run (Ctrl+Return), cancel (Escape), reproduce the
 * paper, rename and show the folder, close (Ctrl+W; a running experiment is asked about first).
 */
#pragma once

#include <adwaita.h>
#include "vesicle-application.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_WINDOW (vesicle_window_get_type ())

G_DECLARE_FINAL_TYPE (VesicleWindow, vesicle_window, VESICLE, WINDOW, AdwApplicationWindow)

VesicleWindow *vesicle_window_new         (VesicleApplication *app);
/* Shows a saved experiment (its results), or says why it cannot. */
void           vesicle_window_open_folder (VesicleWindow      *self,
                                           const char         *dir);
/* The page showing: "start", "setup", "run" or "results". */
const char    *vesicle_window_get_page    (VesicleWindow      *self);
/* Whether an experiment is training in this window. */
gboolean       vesicle_window_get_running (VesicleWindow      *self);
/* Shows @id's page as the sidebar would: "start", an experiment type, or "reproduce". */
void           vesicle_window_select      (VesicleWindow      *self,
                                           const char         *id);
/* Where the next experiment of @type would be saved. */
char          *vesicle_window_new_folder  (VesicleWindow      *self,
                                           const char         *name);

G_END_DECLS
