/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The setup form (see vesicle-setup-page.h). Each setting gets one editor; every editor writes
 * JSON into the working configuration through vesicle_config_field_parse, and every change runs
 * the library's check, so what the form refuses is exactly what a run would refuse.
 */
#include "vesicle-setup-page.h"
#include "vesicle-application.h"
#include "vesicle-config.h"
#include "vesicle-file-dialog.h"
#include "vesicle-figure.h"
#include "vesicle-format.h"
#include "vesicle-json.h"

#include <adwaita.h>
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
#define N_MECHANISMS G_N_ELEMENTS (mechanisms)

typedef struct _VesicleSetupPage VesicleSetupPage;

/* One setting's editor and the row that shows its problem. */
typedef struct {
  VesicleSetupPage         *page;
  const VesicleConfigField *field;
  GtkWidget                *row;                     /* flagged when the field is at fault */
  GtkWidget                *entry;                   /* text editors */
  GtkWidget                *combo;                   /* choices, settings, one exponent */
  GtkWidget                *toggle[N_MECHANISMS];    /* exponents */
  GtkWidget                *other;                   /* exponents: others, as text */
  GtkWidget                *mode;                    /* decades: range or list */
  GtkWidget                *from, *to, *per_decade;  /* decades as a range */
  GtkWidget                *expander;                /* says the values while folded */
  GtkWidget                *problem;                 /* under the row: why it is refused */
  char                     *parse_error;             /* text that does not read */
} Editor;

struct _VesicleSetupPage {
  GtkWidget                    parent_instance;

  double                       estimate_s;   /* the plan's, at this device's rate; NaN if none */
  GtkLabel                    *title;
  GtkLabel                    *summary;
  GtkLabel                    *figures;
  AdwComboRow                 *preset_row;
  GtkLabel                    *description;
  AdwExpanderRow              *description_row;
  GtkScrolledWindow           *scroller;
  GtkBox                      *fields_box;
  AdwComboRow                 *device_row;
  GtkLabel                    *objective;
  GtkLabel                    *plan;
  GtkLabel                    *problems_label;
  GtkButton                   *run_button;

  const VesicleExperimentType *type;
  JsonObject                  *config;          /* the working copy, this type's */
  GHashTable                  *configs;         /* type name -> JsonObject: edits kept */
  GHashTable                  *presets;         /* type name -> preset name */
  GPtrArray                   *editors;         /* Editor */
  GPtrArray                   *groups;          /* the groups added to fields_box */
  GtkWidget                   *advanced;        /* AdwExpanderRow, or NULL */
  GtkWidget                   *dataset_row;     /* AdwActionRow, or NULL */
  GtkWidget                   *dataset_reset;

  GHashTable                  *probed;          /* dataset path -> VesicleDatasetInfo */
  GHashTable                  *probe_errors;    /* dataset path -> message */
  GCancellable                *cancellable;
  GPtrArray                   *problems;        /* VesicleConfigProblem of the last check */
  gboolean                     can_run;
  gboolean                     busy;
  gboolean                     building;        /* editors are being filled: no checks */
};

G_DEFINE_FINAL_TYPE (VesicleSetupPage, vesicle_setup_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAN_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void validate (VesicleSetupPage *self);

static void
editor_free (gpointer data)
{
  Editor *e = data;

  g_free (e->parse_error);
  g_free (e);
}

/* ---- the dataset --------------------------------------------------------------------------- */

/* The sizes of this type's dataset when it has been read, else NULL. */
static const VesicleDatasetInfo *
dataset_info (VesicleSetupPage *self)
{
  g_autofree char *path = NULL;

  if (self->type == NULL || !self->type->uses_dataset)
    return NULL;
  path = vesicle_experiment_dataset_path (self->config);
  return g_hash_table_lookup (self->probed, path);
}

static void
update_dataset_row (VesicleSetupPage *self)
{
  g_autofree char *path = NULL, *text = NULL;
  const VesicleDatasetInfo *info;
  const char *error;
  const char *dataset;

  if (self->dataset_row == NULL)
    return;
  path = vesicle_experiment_dataset_path (self->config);
  dataset = json_object_get_string_member_with_default (self->config, "dataset", "bundled");
  info = g_hash_table_lookup (self->probed, path);
  error = g_hash_table_lookup (self->probe_errors, path);
  if (info)
    {
      g_autofree char *train = vesicle_format_count (info->n_train);
      g_autofree char *test = vesicle_format_count (info->n_test);
      g_autofree char *name = g_str_equal (dataset, "bundled")
                              ? g_strdup (_("Bundled MNIST subset"))
                              : g_path_get_basename (path);

      text = g_strdup_printf (_("%s · %s training / %s test images, %u×%u, %u classes"), name,
                              train, test, info->rows, info->cols, info->n_classes);
    }
  else if (error)
    text = g_strdup (error);
  else
    text = g_strdup_printf (_("Reading %s…"), path);
  {
    g_autofree char *escaped = g_markup_escape_text (text, -1);

    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->dataset_row), escaped);
  }
  gtk_widget_set_tooltip_text (self->dataset_row, path);
  gtk_widget_set_visible (self->dataset_reset, !g_str_equal (dataset, "bundled"));
  if (error)
    gtk_widget_add_css_class (self->dataset_row, "error");
  else
    gtk_widget_remove_css_class (self->dataset_row, "error");
}

typedef struct {
  VesicleSetupPage *self;
  char             *path;
} Probe;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Probe *probe = data;
  VesicleSetupPage *self = probe->self;
  g_autoptr(GError) error = NULL;
  VesicleDatasetInfo info;

  if (vesicle_dataset_probe_dir_finish (result, &info, &error))
    g_hash_table_insert (self->probed, g_strdup (probe->path), g_memdup2 (&info, sizeof info));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_hash_table_insert (self->probe_errors, g_strdup (probe->path), g_strdup (error->message));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      update_dataset_row (self);
      validate (self);
    }
  g_object_unref (self);
  g_free (probe->path);
  g_free (probe);
}

/* Reads the dataset once per folder, in a worker: every file checked, the sizes kept. */
static void
probe_dataset (VesicleSetupPage *self)
{
  g_autofree char *path = NULL;
  Probe *probe;

  if (self->type == NULL || !self->type->uses_dataset)
    return;
  path = vesicle_experiment_dataset_path (self->config);
  if (g_hash_table_contains (self->probed, path)
      || g_hash_table_contains (self->probe_errors, path))
    return;
  probe = g_new0 (Probe, 1);
  probe->self = g_object_ref (self);
  probe->path = g_strdup (path);
  vesicle_dataset_probe_dir_async (path, self->cancellable, on_probed, probe);
}

static void
set_dataset (VesicleSetupPage *self,
             const char       *dataset)
{
  json_object_set_string_member (self->config, "dataset", dataset);
  update_dataset_row (self);
  probe_dataset (self);
  validate (self);
}

static void
on_dataset_chosen (const char *path,
                   gpointer    data)
{
  VesicleSetupPage *self = data;

  if (path == NULL)
    return;
  /* a folder chosen again is read again: its files may have changed */
  g_hash_table_remove (self->probed, path);
  g_hash_table_remove (self->probe_errors, path);
  set_dataset (self, path);
}

static void
on_dataset_open (GtkButton        *button,
                 VesicleSetupPage *self)
{
  g_autofree char *current = vesicle_experiment_dataset_path (self->config);
  g_autofree char *parent = g_path_get_dirname (current);

  vesicle_file_dialog_run (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                           _("Choose a Dataset Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                           _("_Choose"), parent, NULL, on_dataset_chosen, self);
}

static void
on_dataset_reset (GtkButton        *button,
                  VesicleSetupPage *self)
{
  set_dataset (self, "bundled");
}

static GtkWidget *
dataset_row_new (VesicleSetupPage *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open…"));
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Bundled"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Dataset"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, _("Any folder of MNIST-format IDX files, such as "
                                       "Fashion-MNIST"));
  gtk_widget_set_tooltip_text (reset, _("The bundled 10,000-digit MNIST subset"));
  gtk_widget_add_css_class (reset, "flat");
  g_signal_connect (open, "clicked", G_CALLBACK (on_dataset_open), self);
  g_signal_connect (reset, "clicked", G_CALLBACK (on_dataset_reset), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  self->dataset_row = row;
  self->dataset_reset = reset;
  return row;
}

/* ---- editors -------------------------------------------------------------------------------- */

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
  validate (self);
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

static GtkWidget *
combo_row_new (const char        *title,
               const char *const *items,
               guint              selected)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *model = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_unref (model);
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
  e->combo = combo_row_new (_(e->field->label), items, selected);
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
  e->mode = combo_row_new (_("Given as"), modes, range ? 0 : 1);
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
      row = dataset_row_new (self);
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

      row = e->combo = combo_row_new (_(f->label), items, first && second ? 2 : second ? 1 : 0);
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
      row = e->combo = combo_row_new (_(f->label), items, selected);
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
      row = e->entry = entry_row_new (_(f->label), text, _(f->help));
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
static void
build_form (VesicleSetupPage *self)
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
  update_dataset_row (self);
  probe_dataset (self);
  validate (self);
}

/* ---- checking -------------------------------------------------------------------------------- */

static Editor *
find_editor (VesicleSetupPage *self,
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
  seconds = vesicle_experiment_plan_seconds (&plan, rate.flops_per_s, rate.seconds_per_step,
                                                   rate.seconds_per_cohort);
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

static void
set_can_run (VesicleSetupPage *self,
             gboolean          can_run)
{
  if (self->can_run == can_run)
    return;
  self->can_run = can_run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RUN]);
}

/* Checks the configuration as it stands: every field's problem on its row, all of them in
 * words by the Run button, the objective, the plan, and whether Run may start. */
static void
validate (VesicleSetupPage *self)
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
  info = dataset_info (self);
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

      if (p->key == NULL || find_editor (self, p->key) == NULL
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
  set_can_run (self, n_problems == 0 && !waiting && !self->busy);
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
  build_form (self);
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
  build_form (self);
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
  validate (self);
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
  self->editors = g_ptr_array_new_with_free_func (editor_free);
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
                           G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
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
  validate (self);
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
      set_dataset (self, text);
      return TRUE;
    }
  if (!(e = find_editor (self, key)))
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
  if ((e = find_editor (self, key)) && e->parse_error)
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
