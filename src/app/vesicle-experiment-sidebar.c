/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-experiment-sidebar.h"
#include "vesicle-experiment.h"
#include "vesicle-figure.h"

#include <glib/gi18n.h>

struct _VesicleExperimentSidebar {
  GtkWidget   parent_instance;

  GtkListBox *list;
  gboolean    selecting;   /* set while selecting from code: no "activated" */
};

G_DEFINE_FINAL_TYPE (VesicleExperimentSidebar, vesicle_experiment_sidebar, GTK_TYPE_WIDGET)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* An icon per experiment, from the icon theme every GNOME desktop has. */
static const char *
icon_for (const char *name)
{
  static const struct { const char *name, *icon; } icons[] = {
    { "costs", "power-profile-power-saver-symbolic" },
    { "tradeoff", "view-continuous-symbolic" },
    { "importance", "starred-symbolic" },
    { "bayes", "find-location-symbolic" },
    { "predictive", "display-brightness-symbolic" },
    { "zero-hidden", "view-dual-symbolic" },
    { "train", "document-edit-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_str_equal (icons[i].name, name))
      return icons[i].icon;
  return "view-continuous-symbolic";
}

static GtkWidget *
row_new (const char *id,
         const char *icon,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (text), label);
  if (subtitle)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (text), sub);
    }
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, id);
  return row;
}

/* Section titles above the first experiment and above "Reproduce the paper". */
static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       data)
{
  const char *id = gtk_widget_get_name (GTK_WIDGET (row));
  const char *title = NULL;
  GtkWidget *label;

  if (before != NULL && g_str_equal (gtk_widget_get_name (GTK_WIDGET (before)), "start"))
    title = _("Experiments");
  else if (g_str_equal (id, "reproduce"))
    title = _("The whole paper");
  if (title == NULL)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_list_box_row_set_header (row, label);
}

/* A click or Enter; also on the row already selected, so a folded window shows its content. */
static void
on_row_activated (GtkListBox               *list,
                  GtkListBoxRow            *row,
                  VesicleExperimentSidebar *self)
{
  if (!self->selecting)
    g_signal_emit (self, signals[ACTIVATED], 0, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
vesicle_experiment_sidebar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VESICLE_TYPE_EXPERIMENT_SIDEBAR);
  /* a GtkWidget removes its children itself: the template's root is not a bound child */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (vesicle_experiment_sidebar_parent_class)->dispose (object);
}

static void
vesicle_experiment_sidebar_class_init (VesicleExperimentSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_experiment_sidebar_dispose;
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/vesicle/Vesicle/ui/vesicle-experiment-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleExperimentSidebar, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_experiment_sidebar_init (VesicleExperimentSidebar *self)
{
  guint n;
  const VesicleExperimentType *const *types = vesicle_experiment_types (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->list, update_header, NULL, NULL);
  gtk_list_box_append (self->list, row_new ("start", "go-home-symbolic", _("Start"),
                                            _("Recent experiments")));
  /* the registry's order: the paper's experiments, then custom training */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *figures = vesicle_figure_names_text (types[i]->figures);

      gtk_list_box_append (self->list, row_new (types[i]->name, icon_for (types[i]->name),
                                                _(types[i]->title), figures));
    }
  gtk_list_box_append (self->list, row_new ("reproduce", "media-playlist-consecutive-symbolic",
                                            _("Reproduce the paper"),
                                            _("Every experiment, then one PDF report")));
}

GtkWidget *
vesicle_experiment_sidebar_new (void)
{
  return g_object_new (VESICLE_TYPE_EXPERIMENT_SIDEBAR, NULL);
}

void
vesicle_experiment_sidebar_select (VesicleExperimentSidebar *self,
                                   const char               *id)
{
  g_return_if_fail (VESICLE_IS_EXPERIMENT_SIDEBAR (self));

  self->selecting = TRUE;
  gtk_list_box_unselect_all (self->list);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row && id;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_str_equal (gtk_widget_get_name (row), id))
      {
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
        break;
      }
  self->selecting = FALSE;
}

const char *
vesicle_experiment_sidebar_get_selected (VesicleExperimentSidebar *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (VESICLE_IS_EXPERIMENT_SIDEBAR (self), NULL);
  row = gtk_list_box_get_selected_row (self->list);
  return row ? gtk_widget_get_name (GTK_WIDGET (row)) : NULL;
}
