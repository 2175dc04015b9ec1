/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing a file or folder: GtkFileChooserNative, which goes through the file chooser portal
 * inside a Flatpak. GTK 4.10 deprecates it for GtkFileDialog, which GTK 4.8 (Debian 12) lacks:
 * this is the one place that uses it, with the deprecation silenced, and it works on both.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @path: what was chosen, or NULL when the dialog was cancelled. */
typedef void (*VesicleFileChosen) (const char *path,
                                   gpointer    user_data);

/* @folder (may be NULL): where the dialog starts; @name (SAVE only, may be NULL): the file name
 * it suggests. @user_data is held with g_object_ref while the dialog is open. */
void vesicle_file_dialog_run (GtkWindow            *parent,
                              const char           *title,
                              GtkFileChooserAction  action,
                              const char           *accept_label,
                              const char           *folder,
                              const char           *name,
                              VesicleFileChosen     chosen,
                              gpointer              user_data);

G_END_DECLS
