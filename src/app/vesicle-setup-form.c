/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setup form's editors (see vesicle-setup-page-private.h): one per setting, each writing
 * JSON into the working configuration through vesicle_config_field_parse and asking for a
 * check on every change; and the form built from a type's fields, one group per field group,
 * rarely changed settings folded under "Advanced".
 */
#include "vesicle-setup-page-private.h"
#include "vesicle-combo-row.h"
#include "vesicle-config.h"
#include "vesicle-format.h"
#include "vesicle-json.h"

#include <glib/gi18n.h>
#include <math.h>

/* The paper's four mechanisms (Fig 1c). */
static const struct {
  const char *name;
  double      rho;
  const char *ratio;
} mechanisms[] = {
  { N_("Calcium efflux"), 0.5, "1/2" },
  { N_("Vesicle membrane"), 2.0 / 3.0, "2/3" },
  { N_("Actin"), 4.0 / 3.0, "4/3" },
  { N_("Trafficking"), 2.0, "2" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (mechanisms) == N_MECHANISMS);

void
setup_editor_free (gpointer data)
{
  Editor *e = data;

  g_free (e->parse_error);
  g_free (e->shown);
  g_clear_pointer (&e->exact, json_node_unref);
  g_free (e);
}


/* The field's value as JSON, built from the editor; NULL with parse_error set when it does not
 * read. */
static JsonNode *
editor_value (Editor *e)
{
  const VesicleConfigField *f = e->field;
  g_autoptr(GError) error = NULL;
  JsonNode *node = NULL;

  g_clear_pointer (&e->parse_error, g_free);
  if (f->kind == VESICLE_FIELD_CHOICES && e->combo != NULL)
    {
      /* of two choices: the first, the second, or both */
      guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (e->combo));
      JsonArray *a = json_array_new ();

      if (i != 1)
        json_array_add_string_element (a, f->choices[0]);
      if (i != 0)
        json_array_add_string_element (a, f->choices[1]);
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, a);
      return node;
    }
  if (f->kind == VESICLE_FIELD_CHOICE)
    {
      guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (e->combo));

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, f->choices[MIN (i, g_strv_length ((char **) f->choices) - 1)]);
      return node;
    }
  if (f->kind == VESICLE_FIELD_BOOLEAN)
    {
      GtkWidget *toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (e->row));

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, toggle && gtk_switch_get_active (GTK_SWITCH (toggle)));
      return node;
    }
  if (f->flags & VESICLE_FIELD_EXPONENTS && f->kind == VESICLE_FIELD_NUMBERS)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint m = 0; m < N_MECHANISMS; m++)
        if (gtk_check_button_get_active (GTK_CHECK_BUTTON (e->toggle[m])))
          g_string_append_printf (text, "%s%s", text->len ? ", " : "", mechanisms[m].ratio);
      g_string_append_printf (text, " %s", gtk_editable_get_text (GTK_EDITABLE (e->other)));
      node = vesicle_config_field_parse (f, text->str, &error);
    }
  else if (f->flags & VESICLE_FIELD_EXPONENTS && f->kind == VESICLE_FIELD_NUMBER)
    {
      guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (e->combo));

      if (i < N_MECHANISMS)
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_double (node, mechanisms[i].rho);
        }
      else
        node = vesicle_config_field_parse (f, gtk_editable_get_text (GTK_EDITABLE (e->other)),
                                           &error);
    }
  else if (f->flags & VESICLE_FIELD_DECADES && e->mode != NULL
           && adw_combo_row_get_selected (ADW_COMBO_ROW (e->mode)) == 0)
    {
      /* a range in decades: from, to, points per decade */
      double from, to;
      guint64 per;
      g_autoptr(GArray) values = NULL;
      JsonArray *a;

      if (!vesicle_config_parse_number (gtk_editable_get_text (GTK_EDITABLE (e->from)), &from)
          || !vesicle_config_parse_number (gtk_editable_get_text (GTK_EDITABLE (e->to)), &to)
          || !g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (e->per_decade)),
                                          10, 1, 1000, &per, NULL))
        {
          e->parse_error = g_strdup (_("the range needs a first and a last value and a whole "
                                       "number of points per decade"));
          return NULL;
        }
      if (!(from > 0 && to >= from))
        {
          e->parse_error = g_strdup (_("a range in decades runs from a positive value up to a "
                                       "larger one"));
          return NULL;
        }
      values = vesicle_config_decade_range (from, to, (guint) per);
      a = vesicle_json_double_array ((double *) values->data, values->len);
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, a);
      return node;
    }
  else if (e->exact && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (e->entry)), e->shown) == 0)
    return json_node_copy (e->exact);   /* untouched: the preset's value, not its rounding */
  else
    node = vesicle_config_field_parse (f, gtk_editable_get_text (GTK_EDITABLE (e->entry)), &error);

  if (node == NULL)
    {
      /* the reason without the field's name: the field is beside it */
      const char *colon = strstr (error->message, "): ");

      e->parse_error = g_strdup (colon ? colon + 3 : error->message);
    }
  return node;
}

/* "1/2, 2/3, 4/3, 2" or "7 values from 10<sup>−3</sup> to 10<sup>3</sup>": what a folded
 * expander holds. */
static void
update_expander (Editor *e)
{
  g_autoptr(GArray) values = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  if (e->expander == NULL)
    return;
  values = vesicle_config_get_doubles (e->page->config, e->field->key, NULL);
  if (values == NULL || values->len == 0)
    g_string_append (s, _("None chosen"));
  else if (e->field->flags & VESICLE_FIELD_EXPONENTS)
    for (guint i = 0; i < values->len; i++)
      {
        g_autofree char *r = vesicle_format_ratio (g_array_index (values, double, i));

        g_string_append_printf (s, "%sρ = %s", i ? ", " : "", r);
      }
  else
    {
      double lo = g_array_index (values, double, 0), hi = lo;
      g_autofree char *a = NULL, *b = NULL;

      for (guint i = 1; i < values->len; i++)
        {
          lo = MIN (lo, g_array_index (values, double, i));
          hi = MAX (hi, g_array_index (values, double, i));
        }
      a = vesicle_format_value_markup (lo);
      b = vesicle_format_value_markup (hi);
      if (values->len == 1)
        g_string_append_printf (s, _("One value: %s"), a);
      else
        g_string_append_printf (s, _("%u values from %s to %s"), values->len, a, b);
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (e->expander), s->str);
}

static void
on_editor_changed (Editor *e)
{
  VesicleSetupPage *self = e->page;
  JsonNode *node;

  if (self->building)
    return;
  node = editor_value (e);
  if (node != NULL)
    {
      json_object_set_member (self->config, e->field->key, node);
      update_expander (e);
    }
  setup_validate (self);
}

static void
on_editable_changed (GtkEditable *editable,
                     Editor      *e)
{
  on_editor_changed (e);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Editor     *e)
{
  on_editor_changed (e);
}

static void
on_toggled (GtkCheckButton *button,
            Editor         *e)
{
  on_editor_changed (e);
}

static char *
field_text (VesicleSetupPage         *self,
            const VesicleConfigField *f)
{
  return vesicle_config_field_format (f, json_object_get_member (self->config, f->key));
}

static GtkWidget *
entry_row_new (const char *title,
               const char *text,
               const char *tooltip)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  if (tooltip)
    gtk_widget_set_tooltip_text (row, tooltip);
  return row;
}

/* Cost exponents as the paper's mechanisms, each a check box, and any others as text. */
static GtkWidget *
exponents_editor (Editor *e)
{
  VesicleSetupPage *self = e->page;
  g_autoptr(GArray) values = NULL;
  g_autoptr(GString) others = g_string_new (NULL);
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(e->field->label));
  gtk_widget_set_tooltip_text (row, _(e->field->help));
  e->expander = row;
  update_expander (e);
  values = vesicle_config_get_doubles (self->config, e->field->key, NULL);
  for (guint m = 0; m < N_MECHANISMS; m++)
    {
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *item = adw_action_row_new ();
      g_autofree char *sub = g_strdup_printf ("ρ = %s", mechanisms[m].ratio);
      gboolean on = FALSE;

      for (guint i = 0; values && i < values->len; i++)
        on |= fabs (g_array_index (values, double, i) - mechanisms[m].rho) < 1e-6;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), on);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item), _(mechanisms[m].name));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (item), sub);
      adw_action_row_add_prefix (ADW_ACTION_ROW (item), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (item), check);
      g_signal_connect (check, "toggled", G_CALLBACK (on_toggled), e);
      e->toggle[m] = check;
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), item);
    }
  for (guint i = 0; values && i < values->len; i++)
    {
      double v = g_array_index (values, double, i);
      gboolean known = FALSE;

      for (guint m = 0; m < N_MECHANISMS; m++)
        known |= fabs (v - mechanisms[m].rho) < 1e-6;
      if (!known)
        {
          g_autofree char *t = vesicle_config_format_number (v);

          g_string_append_printf (others, "%s%s", others->len ? ", " : "", t);
        }
    }
  e->other = entry_row_new (_("Other exponents"), others->str,
                            _("Further values of ρ, e.g. 1 or 3/2"));
  g_signal_connect (e->other, "changed", G_CALLBACK (on_editable_changed), e);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), e->other);
  return row;
}

/* One cost exponent: a mechanism, or another value. */
static GtkWidget *
exponent_editor (Editor    *e,
                 GtkWidget *group)
{
  VesicleSetupPage *self = e->page;
  const char *items[N_MECHANISMS + 2];
  double v = json_object_get_double_member_with_default (self->config, e->field->key, 0.5);
  guint selected = N_MECHANISMS;
  g_autofree char *labels[N_MECHANISMS] = { NULL };
  g_autofree char *text = vesicle_config_format_number (v);

  for (guint m = 0; m < N_MECHANISMS; m++)
    {
      labels[m] = g_strdup_printf ("%s (%s)", _(mechanisms[m].name), mechanisms[m].ratio);
      items[m] = labels[m];
      if (fabs (v - mechanisms[m].rho) < 1e-6)
        selected = m;
    }
  items[N_MECHANISMS] = _("Other");
  items[N_MECHANISMS + 1] = NULL;
  e->combo = vesicle_combo_row_new (_(e->field->label), items, selected);
  gtk_widget_set_tooltip_text (e->combo, _(e->field->help));
  g_signal_connect (e->combo, "notify::selected", G_CALLBACK (on_notify), e);
  e->other = entry_row_new (_("Other exponent"), selected == N_MECHANISMS ? text : "",
                            _("ρ as a number or a fraction, e.g. 3/2"));
  g_object_bind_property_full (e->combo, "selected", e->other, "visible",
                               G_BINDING_SYNC_CREATE, NULL, NULL, NULL, NULL);
  gtk_widget_set_visible (e->other, selected == N_MECHANISMS);
  g_signal_connect (e->other, "changed", G_CALLBACK (on_editable_changed), e);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), e->combo);
  return e->other;
}

static void
on_mode_changed (GObject    *object,
                 GParamSpec *pspec,
                 Editor     *e)
{
  gboolean range = adw_combo_row_get_selected (ADW_COMBO_ROW (e->mode)) == 0;

  gtk_widget_set_visible (e->from, range);
  gtk_widget_set_visible (e->to, range);
  gtk_widget_set_visible (e->per_decade, range);
  gtk_widget_set_visible (e->entry, !range);
  on_editor_changed (e);
}

/* Values over decades: a range (from, to, points per decade) or a list. */
static GtkWidget *
decades_editor (Editor *e)
{
  VesicleSetupPage *self = e->page;
  g_autofree char *text = field_text (self, e->field);
  g_autoptr(GArray) values = vesicle_config_get_doubles (self->config, e->field->key, NULL);
  GtkWidget *row = adw_expander_row_new ();
  const char *modes[] = { _("Range in decades"), _("List of values"), NULL };
  double from = 1e-3, to = 1e3;
  guint per = 1;
  gboolean range = FALSE;
  g_autofree char *from_text = NULL, *to_text = NULL, *per_text = NULL;

  if (values)
    range = vesicle_config_is_decade_range ((const double *) (gpointer) values->data, values->len,
                                            &from, &to, &per);
  from_text = vesicle_config_format_number (from);
  to_text = vesicle_config_format_number (to);
  per_text = g_strdup_printf ("%u", per);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(e->field->label));
  gtk_widget_set_tooltip_text (row, _(e->field->help));
  e->expander = row;
  update_expander (e);
  e->mode = vesicle_combo_row_new (_("Given as"), modes, range ? 0 : 1);
  e->from = entry_row_new (_("From"), from_text, _("The smallest value, e.g. 1e-3"));
  e->to = entry_row_new (_("To"), to_text, _("The largest value, e.g. 1e3"));
  e->per_decade = entry_row_new (_("Points per decade"), per_text,
                                 _("1: whole decades; 4: quarter decades, as the paper"));
  e->entry = entry_row_new (_("Values"), text, _("Numbers separated by commas"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), e->mode);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), e->from);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), e->to);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), e->per_decade);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), e->entry);
  gtk_widget_set_visible (e->from, range);
  gtk_widget_set_visible (e->to, range);
  gtk_widget_set_visible (e->per_decade, range);
  gtk_widget_set_visible (e->entry, !range);
  g_signal_connect (e->mode, "notify::selected", G_CALLBACK (on_mode_changed), e);
  g_signal_connect (e->from, "changed", G_CALLBACK (on_editable_changed), e);
  g_signal_connect (e->to, "changed", G_CALLBACK (on_editable_changed), e);
  g_signal_connect (e->per_decade, "changed", G_CALLBACK (on_editable_changed), e);
  g_signal_connect (e->entry, "changed", G_CALLBACK (on_editable_changed), e);
  return row;
}

/* The editor for one setting, added to @group (or to the advanced expander). */
/* The row under an editor that says why its value is refused, hidden while it is fine: the
 * reason where the eye already is, not at the foot of the page. */
static GtkWidget *
problem_row_new (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "field-problem");
  gtk_widget_set_visible (row, FALSE);
  return row;
}

static void
add_to (GtkWidget *group,
        GtkWidget *row)
{
  if (ADW_IS_EXPANDER_ROW (group))
    adw_expander_row_add_row (ADW_EXPANDER_ROW (group), row);
  else
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_editor (VesicleSetupPage         *self,
            const VesicleConfigField *f,
            GtkWidget                *group)
{
  Editor *e = g_new0 (Editor, 1);
  GtkWidget *row = NULL;
  JsonNode *node = json_object_get_member (self->config, f->key);
  g_autofree char *text = field_text (self, f);

  e->page = self;
  e->field = f;
  if (f->kind == VESICLE_FIELD_DATASET)
    {
      row = setup_dataset_row_new (self);
      g_ptr_array_add (self->editors, e);
      e->row = row;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return;
    }
  if (f->kind == VESICLE_FIELD_BOOLEAN)
    {
      GtkWidget *sw = gtk_switch_new ();

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(f->label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(f->help));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), node && JSON_NODE_HOLDS_VALUE (node)
                                              && json_node_get_boolean (node));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_notify), e);
    }
  else if (f->kind == VESICLE_FIELD_CHOICES && g_strv_length ((char **) f->choices) == 2)
    {
      /* a list of two choices reads best as "this one, that one, or both" */
      const char *items[] = { _(vesicle_config_field_choice_label (f, 0)),
                              _(vesicle_config_field_choice_label (f, 1)), _("Both"), NULL };
      gboolean first = vesicle_config_field_has_choice (f, node, 0);
      gboolean second = vesicle_config_field_has_choice (f, node, 1);

      row = e->combo = vesicle_combo_row_new (_(f->label), items,
                                              first && second ? 2 : second ? 1 : 0);
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_notify), e);
    }
  else if (f->kind == VESICLE_FIELD_CHOICE)
    {
      guint n = g_strv_length ((char **) f->choices), selected = 0;
      g_autofree const char **items = g_new0 (const char *, n + 1);

      for (guint i = 0; i < n; i++)
        {
          items[i] = _(vesicle_config_field_choice_label (f, i));
          if (vesicle_config_field_has_choice (f, node, i))
            selected = i;
        }
      row = e->combo = vesicle_combo_row_new (_(f->label), items, selected);
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_notify), e);
    }
  else if (f->flags & VESICLE_FIELD_EXPONENTS && f->kind == VESICLE_FIELD_NUMBERS)
    row = exponents_editor (e);
  else if (f->flags & VESICLE_FIELD_EXPONENTS && f->kind == VESICLE_FIELD_NUMBER)
    {
      /* a combo and, below it, the other value */
      row = exponent_editor (e, group);
      e->row = e->combo;
      g_ptr_array_add (self->editors, e);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      add_to (group, e->problem = problem_row_new ());
      return;
    }
  else if (f->flags & VESICLE_FIELD_DECADES && f->kind == VESICLE_FIELD_NUMBERS)
    row = decades_editor (e);
  else
    {
      /* shown to read; the exact value kept for as long as the text is left as shown */
      e->shown = vesicle_config_field_format_short (f, node);
      e->exact = node ? json_node_copy (node) : NULL;
      row = e->entry = entry_row_new (_(f->label), e->shown, _(f->help));
      g_signal_connect (row, "changed", G_CALLBACK (on_editable_changed), e);
    }
  if (gtk_widget_get_tooltip_text (row) == NULL)
    gtk_widget_set_tooltip_text (row, _(f->help));
  e->row = row;
  g_ptr_array_add (self->editors, e);
  add_to (group, row);
  add_to (group, e->problem = problem_row_new ());
}

static void
clear_form (VesicleSetupPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->fields_box, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->editors, 0);
  self->advanced = NULL;
  self->dataset_row = NULL;
  self->dataset_reset = NULL;
}

/* The groups are the field table's (marked there for translation); "Cost" holds several. */
static const char *
group_title (const char *group)
{
  if (g_str_equal (group, "Cost"))
    return _("Costs");
  return _(group);
}

/* The form of the current type from its fields: one group per field group, in the order the
 * groups first appear, and the advanced fields folded away at the end. */
void
setup_build_form (VesicleSetupPage *self)
{
  g_autoptr(GPtrArray) fields = vesicle_experiment_type_fields (self->type);
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *advanced_group = NULL;

  self->building = TRUE;
  clear_form (self);
  for (guint i = 0; i < fields->len; i++)
    {
      const VesicleConfigField *f = g_ptr_array_index (fields, i);
      GtkWidget *group;

      if (f->flags & VESICLE_FIELD_ADVANCED)
        {
          if (self->advanced == NULL)
            {
              advanced_group = adw_preferences_group_new ();
              self->advanced = adw_expander_row_new ();
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advanced), _("Advanced"));
              adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->advanced),
                                             _("Settings the paper leaves at their defaults"));
              adw_preferences_group_add (ADW_PREFERENCES_GROUP (advanced_group), self->advanced);
            }
          add_editor (self, f, self->advanced);
          continue;
        }
      if (!(group = g_hash_table_lookup (groups, f->group)))
        {
          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), group_title (f->group));
          g_hash_table_insert (groups, (gpointer) f->group, group);
          gtk_box_append (self->fields_box, group);
          g_ptr_array_add (self->groups, group);
        }
      add_editor (self, f, group);
    }
  if (advanced_group)
    {
      gtk_box_append (self->fields_box, advanced_group);
      g_ptr_array_add (self->groups, advanced_group);
    }
  self->building = FALSE;
  setup_update_dataset_row (self);
  setup_probe_dataset (self);
  setup_validate (self);
}

