/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setup page (see vesicle-setup-page.h): the widget, its presets and its device. The form's
 * editors, its check and its dataset row are in vesicle-setup-form.c, vesicle-setup-check.c and
 * vesicle-setup-dataset.c, over vesicle-setup-page-private.h.
 */
#include "vesicle-setup-page-private.h"
#include "vesicle-combo-row.h"
#include "vesicle-application.h"
#include "vesicle-config.h"
#include "vesicle-figure.h"
#include "vesicle-format.h"

#include <glib/gi18n.h>
#include <math.h>

G_DEFINE_FINAL_TYPE (VesicleSetupPage, vesicle_setup_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAN_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
setup_set_can_run (VesicleSetupPage *self,
                   gboolean          can_run)
{
  if (self->can_run == can_run)
    return;
  self->can_run = can_run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RUN]);
}

/* ---- presets and types ----------------------------------------------------------------------- */

static const char *const preset_names[] = { "quick", "paper" };

static void
on_preset_selected (GObject          *object,
                    GParamSpec       *pspec,
                    VesicleSetupPage *self)
{
  guint i = adw_combo_row_get_selected (self->preset_row);
  JsonObject *config;

  if (self->type == NULL || self->building || i >= G_N_ELEMENTS (preset_names))
    return;
  config = self->type->preset (preset_names[i]);
  /* the dataset chosen stays: a preset says how to train, not on what */
  if (self->type->uses_dataset && json_object_has_member (self->config, "dataset"))
    json_object_set_string_member (config, "dataset",
                                   json_object_get_string_member (self->config, "dataset"));
  g_hash_table_insert (self->configs, (gpointer) self->type->name, config);
  g_hash_table_insert (self->presets, (gpointer) self->type->name, (gpointer) preset_names[i]);
  self->config = config;
  setup_build_form (self);
}

void
vesicle_setup_page_set_type (VesicleSetupPage            *self,
                             const VesicleExperimentType *type)
{
  g_autofree char *figures = NULL;
  const char *preset;

  g_return_if_fail (VESICLE_IS_SETUP_PAGE (self));
  g_return_if_fail (type != NULL);

  self->type = type;
  if (!(self->config = g_hash_table_lookup (self->configs, type->name)))
    {
      self->config = type->preset ("quick");
      g_hash_table_insert (self->configs, (gpointer) type->name, self->config);
      g_hash_table_insert (self->presets, (gpointer) type->name, (gpointer) "quick");
    }
  preset = g_hash_table_lookup (self->presets, type->name);
  gtk_label_set_text (self->title, _(type->title));
  gtk_label_set_text (self->summary, _(type->summary));
  gtk_label_set_text (self->description, _(type->description));
  /* each experiment opens at its top with the presets' details folded */
  adw_expander_row_set_expanded (self->description_row, FALSE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  {
    g_autofree char *names = vesicle_figure_names_text (type->figures);

    figures = g_strdup_printf (type == &vesicle_experiment_train_type ? _("Draws: %s")
                                                                       : _("Reproduces: %s"),
                               names);
  }
  gtk_label_set_text (self->figures, figures);
  self->building = TRUE;
  adw_combo_row_set_selected (self->preset_row, g_strcmp0 (preset, "paper") == 0 ? 1 : 0);
  self->building = FALSE;
  setup_build_form (self);
}

const VesicleExperimentType *
vesicle_setup_page_get_experiment (VesicleSetupPage *self)
{
  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), NULL);
  return self->type;
}

/* ---- the device ------------------------------------------------------------------------------ */

static void
update_devices (VesicleSetupPage *self)
{
  VesicleApplication *app = vesicle_application_get_default ();
  GPtrArray *devices = vesicle_application_get_devices (app);
  const VesicleDeviceDescription *chosen = vesicle_application_get_device (app);
  guint selected;
  g_autoptr(GtkStringList) model = vesicle_application_dup_device_choices (app, &selected);

  self->building = TRUE;
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->device_row, selected);
  self->building = FALSE;
  if (devices == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row), _("Looking for devices…"));
  else if (chosen)
    {
      g_autofree char *memory = vesicle_format_count (chosen->memory >> 20);
      g_autofree char *sub = g_markup_printf_escaped (_("%s · %s · %u compute units · %s MiB"),
                                                      chosen->platform, chosen->type,
                                                      chosen->compute_units, memory);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row), sub);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (
        vesicle_application_get_devices_error (app) ? vesicle_application_get_devices_error (app)
                                                    : _("No such device"), -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row), escaped);
    }
  setup_validate (self);
}

static void
on_device_selected (GObject          *object,
                    GParamSpec       *pspec,
                    VesicleSetupPage *self)
{
  if (self->building)
    return;
  vesicle_application_choose_device (vesicle_application_get_default (),
                                     adw_combo_row_get_selected (self->device_row));
}

static void
on_devices_changed (VesicleSetupPage *self)
{
  update_devices (self);
}

/* ---- the widget ------------------------------------------------------------------------------ */

static void
vesicle_setup_page_dispose (GObject *object)
{
  VesicleSetupPage *self = VESICLE_SETUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_SETUP_PAGE);
  /* a GtkWidget removes its children itself: the template's root is not a bound child */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->configs, g_hash_table_unref);
  g_clear_pointer (&self->presets, g_hash_table_unref);
  g_clear_pointer (&self->probed, g_hash_table_unref);
  g_clear_pointer (&self->probe_errors, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vesicle_setup_page_parent_class)->dispose (object);
}

static void
vesicle_setup_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VesicleSetupPage *self = VESICLE_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAN_RUN:
      g_value_set_boolean (value, self->can_run);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vesicle_setup_page_class_init (VesicleSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_setup_page_dispose;
  object_class->get_property = vesicle_setup_page_get_property;

  properties[PROP_CAN_RUN] =
    g_param_spec_boolean ("can-run", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, title);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, summary);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, figures);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, preset_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, description);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, description_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, objective);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, plan);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, VesicleSetupPage, run_button);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_device_selected);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_setup_page_init (VesicleSetupPage *self)
{
  VesicleApplication *app = vesicle_application_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  vesicle_combo_row_show_whole_choices (self->preset_row);
  vesicle_combo_row_show_whole_choices (self->device_row);
  self->editors = g_ptr_array_new_with_free_func (setup_editor_free);
  self->groups = g_ptr_array_new ();
  self->configs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) json_object_unref);
  self->presets = g_hash_table_new (g_str_hash, g_str_equal);
  self->probed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->probe_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (app, "notify::devices", G_CALLBACK (on_devices_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (vesicle_application_get_settings (app), "changed::device",
                           G_CALLBACK (on_devices_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vesicle_application_get_settings (app), "changed::device-rates",
                           G_CALLBACK (setup_validate), self, G_CONNECT_SWAPPED);
  update_devices (self);
}

GtkWidget *
vesicle_setup_page_new (void)
{
  return g_object_new (VESICLE_TYPE_SETUP_PAGE, NULL);
}

double
vesicle_setup_page_get_estimate (VesicleSetupPage *self)
{
  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), NAN);
  return self->can_run ? self->estimate_s : NAN;
}

gboolean
vesicle_setup_page_get_can_run (VesicleSetupPage *self)
{
  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), FALSE);
  return self->can_run;
}

void
vesicle_setup_page_set_busy (VesicleSetupPage *self,
                             gboolean          busy)
{
  g_return_if_fail (VESICLE_IS_SETUP_PAGE (self));
  self->busy = busy;
  setup_validate (self);
}

JsonObject *
vesicle_setup_page_dup_config (VesicleSetupPage *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), NULL);
  g_return_val_if_fail (self->config != NULL, NULL);
  json_node_set_object (node, self->config);
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

const char *
vesicle_setup_page_get_preset (VesicleSetupPage *self)
{
  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), NULL);
  return self->type ? g_hash_table_lookup (self->presets, self->type->name) : NULL;
}

gboolean
vesicle_setup_page_set_text (VesicleSetupPage *self,
                             const char       *key,
                             const char       *text)
{
  Editor *e;

  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), FALSE);
  if (g_strcmp0 (key, "dataset") == 0)
    {
      setup_set_dataset (self, text);
      return TRUE;
    }
  if (!(e = setup_find_editor (self, key)))
    return FALSE;
  if (e->field->kind == VESICLE_FIELD_BOOLEAN)
    {
      GtkWidget *sw = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (e->row));

      gtk_switch_set_active (GTK_SWITCH (sw), g_ascii_strcasecmp (text, "true") == 0);
      return TRUE;
    }
  if (e->combo != NULL && e->other == NULL)
    {
      /* choices by their values, as a configuration writes them: "hetero, homo" */
      if (e->field->kind == VESICLE_FIELD_CHOICES)
        {
          g_autoptr(JsonNode) node = vesicle_config_field_parse (e->field, text, NULL);
          gboolean first = vesicle_config_field_has_choice (e->field, node, 0);
          gboolean second = vesicle_config_field_has_choice (e->field, node, 1);

          if (!first && !second)
            return FALSE;
          adw_combo_row_set_selected (ADW_COMBO_ROW (e->combo),
                                      first && second ? 2 : second ? 1 : 0);
          return TRUE;
        }
      for (guint i = 0; e->field->choices[i]; i++)
        if (g_str_equal (e->field->choices[i], text))
          {
            adw_combo_row_set_selected (ADW_COMBO_ROW (e->combo), i);
            return TRUE;
          }
      return FALSE;
    }
  if (e->mode != NULL)
    adw_combo_row_set_selected (ADW_COMBO_ROW (e->mode), 1);
  if (e->entry != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (e->entry), text);
      return TRUE;
    }
  if (e->other != NULL)
    {
      /* exponents: only the typed values */
      for (guint m = 0; m < N_MECHANISMS && e->toggle[0]; m++)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (e->toggle[m]), FALSE);
      if (e->combo)
        adw_combo_row_set_selected (ADW_COMBO_ROW (e->combo), N_MECHANISMS);
      gtk_editable_set_text (GTK_EDITABLE (e->other), text);
      return TRUE;
    }
  return FALSE;
}

const char *
vesicle_setup_page_get_problem (VesicleSetupPage *self,
                                const char       *key)
{
  Editor *e;
  VesicleConfigProblem *p;

  g_return_val_if_fail (VESICLE_IS_SETUP_PAGE (self), NULL);
  if (g_strcmp0 (key, "dataset") == 0 && self->type && self->type->uses_dataset)
    {
      g_autofree char *path = vesicle_experiment_dataset_path (self->config);
      const char *why = g_hash_table_lookup (self->probe_errors, path);

      if (why)
        return why;
    }
  if ((e = setup_find_editor (self, key)) && e->parse_error)
    return e->parse_error;
  p = self->problems ? vesicle_config_problems_find (self->problems, key) : NULL;
  return p ? p->reason : NULL;
}

void
vesicle_setup_page_set_preset (VesicleSetupPage *self,
                               const char       *preset)
{
  g_return_if_fail (VESICLE_IS_SETUP_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (preset_names); i++)
    if (g_str_equal (preset_names[i], preset))
      {
        if (adw_combo_row_get_selected (self->preset_row) == i)
          on_preset_selected (NULL, NULL, self);
        else
          adw_combo_row_set_selected (self->preset_row, i);
      }
}
