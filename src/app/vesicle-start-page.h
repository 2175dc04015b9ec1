/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start page: recent experiments (title, type, preset, when, how it ended), each opening
 * its folder ("open-folder"), with "Reproduce the paper" and "Open…"; an AdwStatusPage when
 * there are none yet.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VESICLE_TYPE_START_PAGE (vesicle_start_page_get_type ())

G_DECLARE_FINAL_TYPE (VesicleStartPage, vesicle_start_page, VESICLE, START_PAGE, GtkWidget)

GtkWidget *vesicle_start_page_new     (void);
/* Reads the folders again (after a run, a rename, an open). */
void       vesicle_start_page_refresh (VesicleStartPage *self);

G_END_DECLS
