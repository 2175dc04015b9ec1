/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-combo-row.h"

/* In the popover a choice wraps at about this many characters instead of being cut. */
#define WRAP_CHARS 40

static void
setup_row_item (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* the whole choice where the row has room; an ellipsis only where it has not */
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, label);
}

static void
bind_row_item (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkStringObject *choice = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (choice));
}

static void
setup_list_item (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), WRAP_CHARS);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
mark_if_selected (AdwComboRow *row,
                  GParamSpec  *pspec,
                  GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected_item (row)
                                 == gtk_list_item_get_item (item) ? 1.0 : 0.0);
}

static void
bind_list_item (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AdwComboRow              *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *choice = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)),
                       gtk_string_object_get_string (choice));
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (mark_if_selected), item);
  mark_if_selected (row, NULL, item);
}

static void
unbind_list_item (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, mark_if_selected, item);
}

void
vesicle_combo_row_show_whole_choices (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) in_row = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) in_list = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_signal_connect (in_row, "setup", G_CALLBACK (setup_row_item), NULL);
  g_signal_connect (in_row, "bind", G_CALLBACK (bind_row_item), NULL);
  /* the factories live no longer than the row, which they hold no reference to */
  g_signal_connect (in_list, "setup", G_CALLBACK (setup_list_item), NULL);
  g_signal_connect_object (in_list, "bind", G_CALLBACK (bind_list_item), row, 0);
  g_signal_connect_object (in_list, "unbind", G_CALLBACK (unbind_list_item), row, 0);
  adw_combo_row_set_factory (row, in_row);
  adw_combo_row_set_list_factory (row, in_list);
}

GtkWidget *
vesicle_combo_row_new (const char        *title,
                       const char *const *items,
                       guint              selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  vesicle_combo_row_show_whole_choices (ADW_COMBO_ROW (row));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  return row;
}
