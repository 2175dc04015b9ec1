/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-network-table.h"
#include "vesicle-format.h"
#include "vesicle-network-item.h"

#include <glib/gi18n.h>
#include <math.h>

struct _VesicleNetworkTable {
  GtkWidget       parent_instance;

  GtkColumnView  *view;
  GListStore     *store;
};

G_DEFINE_FINAL_TYPE (VesicleNetworkTable, vesicle_network_table, GTK_TYPE_WIDGET)

typedef enum {
  COL_RUN,
  COL_RHO,
  COL_C,
  COL_SETTING,
  COL_SEED,
  COL_EPOCHS,
  COL_ACCURACY,
  COL_MEAN_SIGMA,
  COL_RMS_SIGMA,
  COL_COST,
  N_COLUMNS
} Column;

static const struct {
  const char *title;
  const char *property;
  gboolean    numeric;
} columns[N_COLUMNS] = {
  [COL_RUN] = { N_("Run"), "network", FALSE },
  [COL_RHO] = { N_("ρ"), "rho", TRUE },
  [COL_C] = { N_("c"), "c", TRUE },
  [COL_SETTING] = { N_("σ"), "setting", FALSE },
  [COL_SEED] = { N_("Seed"), "seed", TRUE },
  [COL_EPOCHS] = { N_("Epochs"), "epoch", TRUE },
  [COL_ACCURACY] = { N_("Test accuracy"), "accuracy", TRUE },
  [COL_MEAN_SIGMA] = { N_("Mean σ"), "mean-sigma", TRUE },
  [COL_RMS_SIGMA] = { N_("RMS σ"), "rms-sigma", TRUE },
  [COL_COST] = { N_("Reliability cost"), "reliability-cost", TRUE },
};

static char *
number (double v,
        char   conversion,
        int    precision)
{
  g_autofree char *plain = NULL;

  if (!isfinite (v))
    return g_strdup ("–");
  plain = vesicle_format_double (conversion, precision, v);
  return vesicle_format_real_minus (plain);
}

/* One formatter for every magnitude in the table: three significant digits, powers of ten
 * written out, so that a column never mixes "2.4e+05" with "5e−05". */
static char *
value (double v)
{
  return isfinite (v) ? vesicle_format_value (v) : g_strdup ("–");
}

static char *
cell_text (VesicleNetworkItem *item,
           Column              column)
{
  const VesicleNetworkSummary *s = vesicle_network_item_get_summary (item);
  const char *run = vesicle_network_item_get_run (item);

  switch (column)
    {
    case COL_RUN:
      return g_str_equal (run, ".") ? g_strdup_printf ("%u", s->network + 1)
                                    : g_strdup_printf ("%s · %u", run, s->network + 1);
    case COL_RHO:
      return s->variational ? g_strdup (_("Bayes")) : vesicle_format_ratio (s->rho);
    case COL_C:
      return value (s->c);
    case COL_SETTING:
      return g_strdup (s->setting == VESICLE_SIGMA_HOMO ? _("shared") : _("per synapse"));
    case COL_SEED:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed);
    case COL_EPOCHS:
      /* a network whose cohort stopped before its last epoch says so: its values are a
       * training run's middle, not its end */
      return s->finished ? g_strdup_printf ("%u", s->epoch)
                         : g_strdup_printf (_("%u, unfinished"), s->epoch);
    case COL_ACCURACY:
      return number (s->test_accuracy, 'f', 4);
    case COL_MEAN_SIGMA:
      return value (s->mean_sigma);
    case COL_RMS_SIGMA:
      return value (s->rms_sigma);
    case COL_COST:
      return value (s->reliability_cost);
    case N_COLUMNS:
      break;
    }
  g_assert_not_reached ();
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  /* under its header, which GTK 4.8 aligns left; tabular figures keep the digits in columns */
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  VesicleNetworkItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = cell_text (item, column);

  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
vesicle_network_table_dispose (GObject *object)
{
  VesicleNetworkTable *self = VESICLE_NETWORK_TABLE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_NETWORK_TABLE);

  /* a GtkWidget removes its children itself: the template's root is not a bound child */

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)

    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (vesicle_network_table_parent_class)->dispose (object);
}

static void
vesicle_network_table_class_init (VesicleNetworkTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_network_table_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-network-table.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleNetworkTable, view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_network_table_init (VesicleNetworkTable *self)
{
  GtkSortListModel *sorted;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->store = g_list_store_new (VESICLE_TYPE_NETWORK_ITEM);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                    g_object_ref (gtk_column_view_get_sorter (self->view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkExpression *expression = gtk_property_expression_new (VESICLE_TYPE_NETWORK_ITEM, NULL,
                                                               columns[c].property);
      GtkSorter *sorter = c == COL_SETTING
                          ? GTK_SORTER (gtk_string_sorter_new (expression))
                          : GTK_SORTER (gtk_numeric_sorter_new (expression));
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (on_setup), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (on_bind), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_expand (column, c == COL_RUN || c == COL_SETTING);
      gtk_column_view_append_column (self->view, column);
      g_object_unref (sorter);
      g_object_unref (column);
    }
}

GtkWidget *
vesicle_network_table_new (void)
{
  return g_object_new (VESICLE_TYPE_NETWORK_TABLE, NULL);
}

void
vesicle_network_table_set_record (VesicleNetworkTable           *self,
                                  const VesicleExperimentRecord *record)
{
  g_return_if_fail (VESICLE_IS_NETWORK_TABLE (self));

  g_list_store_remove_all (self->store);
  if (record == NULL || record->networks == NULL)
    return;
  for (guint i = 0; i < record->networks->len; i++)
    {
      const VesicleNetworkSummary *s = &g_array_index (record->networks, VesicleNetworkSummary, i);
      g_autoptr(VesicleNetworkItem) item =
        vesicle_network_item_new (s, g_ptr_array_index (record->runs, s->run));

      g_list_store_append (self->store, item);
    }
}

void
vesicle_network_table_add (VesicleNetworkTable         *self,
                           const VesicleNetworkSummary *summaries,
                           guint                        n,
                           const char                  *run)
{
  g_return_if_fail (VESICLE_IS_NETWORK_TABLE (self));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VesicleNetworkItem) item = vesicle_network_item_new (&summaries[i], run);

      g_list_store_append (self->store, item);
    }
}

guint
vesicle_network_table_get_n_items (VesicleNetworkTable *self)
{
  g_return_val_if_fail (VESICLE_IS_NETWORK_TABLE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}
