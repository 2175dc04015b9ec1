/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setup form checked (see vesicle-setup-page-private.h): the library's check of the working
 * configuration, so that what the form refuses is exactly what a run would refuse; each
 * field's problem on the row under it, all of them in words by Run, the objective with the
 * current numbers, the plan and its time on this device, and the preset's note.
 */
#include "vesicle-setup-page-private.h"
#include "vesicle-application.h"
#include "vesicle-config.h"
#include "vesicle-format.h"

#include <glib/gi18n.h>
#include <math.h>


Editor *
setup_find_editor (VesicleSetupPage *self,
                   const char       *key)
{
  for (guint i = 0; key && i < self->editors->len; i++)
    {
      Editor *e = g_ptr_array_index (self->editors, i);

      if (g_str_equal (e->field->key, key))
        return e;
    }
  return NULL;
}

static void
flag_row (GtkWidget  *row,
          const char *reason,
          const char *help)
{
  if (reason)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, reason);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, help);
    }
}

static void
update_plan (VesicleSetupPage         *self,
             const VesicleDatasetInfo *info)
{
  VesicleApplication *app = vesicle_application_get_default ();
  const VesicleDeviceDescription *device = vesicle_application_get_device (app);
  VesicleExperimentPlan plan;
  g_autoptr(GString) s = g_string_new (NULL);
  VesicleDeviceRate rate;
  double seconds;

  if (!vesicle_experiment_plan (self->type, self->config, info, &plan, NULL))
    {
      gtk_label_set_text (self->plan, "");
      return;
    }
  if (plan.n_networks > 0)
    {
      guint64 steps = 0;

      for (guint i = 0; i < plan.cohorts->len; i++)
        steps += g_array_index (plan.cohorts, VesicleCohortPlan, i).steps;
      g_string_append_printf (s, g_dngettext (NULL, "%u network", "%u networks",
                                              plan.n_networks), plan.n_networks);
      g_string_append_printf (s, g_dngettext (NULL, " in %u cohort", " in %u cohorts",
                                              plan.cohorts->len), plan.cohorts->len);
      {
        g_autofree char *steps_text = vesicle_format_count (steps);

        g_string_append_printf (s, _(" · %s steps"), steps_text);
      }
    }
  else
    g_string_append (s, _("Nothing to train: computed in a moment"));
  vesicle_application_get_device_rate (app, device, &rate);
  seconds = vesicle_experiment_plan_seconds (&plan, &rate.speed);
  self->estimate_s = plan.n_networks > 0 ? seconds : NAN;
  if (plan.n_networks > 0 && isfinite (seconds))
    {
      g_autofree char *duration = vesicle_format_duration_about (seconds);
      g_autofree char *name = device ? vesicle_cl_device_display_name (device) : NULL;

      /* TRANSLATORS: " · about 3 minutes on Intel Xeon, 2 cores · PoCL (how it was measured)" */
      g_string_append_printf (s, _(" · %s on %s (%s)"), duration,
                              name ? name : _("the default device"),
                              vesicle_device_rate_describe (&rate));
    }
  else if (plan.n_networks > 0 && device)
    g_string_append_printf (s, " · %s", vesicle_device_rate_describe (&rate));
  vesicle_experiment_plan_clear (&plan);
  gtk_label_set_text (self->plan, s->str);
}

/* Under the preset: what it trains on, what that changes, and how long it takes here. The
 * Paper preset on the bundled subset says plainly that it is not the paper's 60,000 digits. */
static void
update_preset_note (VesicleSetupPage         *self,
                    const VesicleDatasetInfo *info)
{
  const char *preset = g_hash_table_lookup (self->presets, self->type->name);
  gboolean paper = g_strcmp0 (preset, "paper") == 0;
  g_autofree char *path = vesicle_experiment_dataset_path (self->config);
  g_autofree char *bundled = vesicle_experiment_default_dataset ();
  g_autofree char *duration = isfinite (self->estimate_s)
                              ? vesicle_format_duration_about (self->estimate_s) : NULL;
  g_autofree char *count = info ? vesicle_format_count (info->n_train) : NULL;
  g_autoptr(GString) note = g_string_new (NULL);

  if (!self->type->uses_dataset)
    g_string_append (note, paper ? _("The paper’s values, computed without training.")
                                 : _("Computed without training."));
  else if (paper && info && g_str_equal (path, bundled))
    g_string_append_printf (note, _("The paper’s Methods, on the bundled %s training digits: "
                                    "the paper trained on 60,000, so expect lower accuracy "
                                    "and wider intervals than its figures."), count);
  else if (paper && info)
    g_string_append_printf (note, _("The paper’s Methods, on %s training images."), count);
  else if (paper)
    g_string_append (note, _("The paper’s Methods."));
  else
    g_string_append (note, _("Short runs that show each effect."));
  if (duration)
    {
      g_string_append_c (note, ' ');
      /* TRANSLATORS: "About 3 minutes on this device." */
      g_string_append_printf (note, _("Takes %s on this device."), duration);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preset_row), note->str);
}

/* Checks the configuration as it stands: every field's problem on its row, all of them in
 * words by the Run button, the objective, the plan, and whether Run may start. */
void
setup_validate (VesicleSetupPage *self)
{
  const VesicleDatasetInfo *info;
  g_autoptr(GString) words = g_string_new (NULL);
  g_autofree char *objective = NULL;
  g_autofree char *path = NULL;
  const char *dataset_error = NULL;
  gboolean waiting = FALSE;
  guint n_problems = 0;

  if (self->type == NULL || self->building)
    return;
  info = setup_dataset_info (self);
  if (self->type->uses_dataset)
    {
      path = vesicle_experiment_dataset_path (self->config);
      dataset_error = g_hash_table_lookup (self->probe_errors, path);
      waiting = info == NULL && dataset_error == NULL;
    }
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = vesicle_experiment_check (self->type, self->config, info);

  for (guint i = 0; i < self->editors->len; i++)
    {
      Editor *e = g_ptr_array_index (self->editors, i);
      VesicleConfigProblem *p = vesicle_config_problems_find (self->problems, e->field->key);
      const char *reason = e->parse_error ? e->parse_error : p ? p->reason : NULL;

      if (e->field->kind == VESICLE_FIELD_DATASET)
        continue;
      flag_row (e->row, reason, _(e->field->help));
      if (e->problem)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (e->problem), reason ? reason : "");
          gtk_widget_set_visible (e->problem, reason != NULL);
        }
      if (reason)
        {
          g_string_append_printf (words, "%s%s: %s", words->len ? "\n" : "", _(e->field->label),
                                  reason);
          n_problems++;
          /* a problem folded away is shown */
          if (self->advanced && e->field->flags & VESICLE_FIELD_ADVANCED)
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->advanced), TRUE);
          if (GTK_IS_WIDGET (gtk_widget_get_ancestor (e->row, ADW_TYPE_EXPANDER_ROW))
              && gtk_widget_get_ancestor (e->row, ADW_TYPE_EXPANDER_ROW) != e->row)
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_ancestor (
                                             e->row, ADW_TYPE_EXPANDER_ROW)), TRUE);
        }
    }
  /* problems of the whole configuration, and of the dataset */
  for (guint i = 0; i < self->problems->len; i++)
    {
      VesicleConfigProblem *p = g_ptr_array_index (self->problems, i);

      if (p->key == NULL || setup_find_editor (self, p->key) == NULL
          || g_str_equal (p->key, "dataset"))
        {
          g_string_append_printf (words, "%s%s", words->len ? "\n" : "", p->message);
          n_problems++;
        }
    }
  if (dataset_error)
    {
      g_string_append_printf (words, "%s%s", words->len ? "\n" : "", dataset_error);
      n_problems++;
    }
  if (n_problems == 0 && self->busy)
    g_string_append (words, _("Another experiment is running; Run waits until it ends."));
  gtk_label_set_text (self->problems_label, words->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), words->len > 0);
  if (n_problems > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->problems_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->problems_label), "error");

  objective = n_problems == 0 ? vesicle_experiment_objective_markup (self->type, self->config, info)
                              : NULL;
  /* the box stays where it is, so the page does not jump while a value is being typed */
  if (objective)
    gtk_label_set_markup (self->objective, objective);
  else
    gtk_label_set_text (self->objective, _("Shown once every setting above is valid."));
  if (objective)
    gtk_widget_remove_css_class (GTK_WIDGET (self->objective), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->objective), "dim-label");
  if (n_problems == 0)
    update_plan (self, info);
  else
    {
      gtk_label_set_text (self->plan, "");
      self->estimate_s = NAN;
    }
  update_preset_note (self, info);
  setup_set_can_run (self, n_problems == 0 && !waiting && !self->busy);
}

