/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Combo rows whose choices are never cut short. libadwaita 1.2's default item factory caps every
 * choice at 20 characters, in the row and in its popover alike, so "Per synapse (heterogeneous)"
 * read "Per synapse (heteroge…" in both. These factories let the popover wrap a long choice and
 * the row ellipsize only when the window really is too narrow.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Gives @row (whose model holds GtkStringObjects) the factories described above. */
void       vesicle_combo_row_show_whole_choices (AdwComboRow       *row);

/* A combo row titled @title over @items (NULL-terminated), with @selected chosen. */
GtkWidget *vesicle_combo_row_new                (const char        *title,
                                                 const char *const *items,
                                                 guint              selected);

G_END_DECLS
