/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-file-dialog.h"

#include <glib/gi18n.h>

typedef struct {
  VesicleFileChosen chosen;
  gpointer          user_data;
} Request;

static void
on_response (GtkNativeDialog *dialog,
             int              response,
             gpointer         data)
{
  Request *request = data;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      path = file ? g_file_get_path (file) : NULL;
    }
  request->chosen (path, request->user_data);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (request->user_data);
  g_free (request);
}

void
vesicle_file_dialog_run (GtkWindow            *parent,
                         const char           *title,
                         GtkFileChooserAction  action,
                         const char           *accept_label,
                         const char           *folder,
                         const char           *name,
                         VesicleFileChosen     chosen,
                         gpointer              user_data)
{
  Request *request = g_new0 (Request, 1);
  GtkNativeDialog *dialog;

  g_return_if_fail (G_IS_OBJECT (user_data));
  request->chosen = chosen;
  request->user_data = g_object_ref (user_data);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (title, parent, action, accept_label,
                                                           _("_Cancel")));
  if (name && action == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (folder && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) start = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), start, NULL);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_dialog_set_modal (dialog, TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), request);
  gtk_native_dialog_show (dialog);
}
