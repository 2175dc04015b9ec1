/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checking, showing and reading back the settings of a configuration (see vesicle-config-field.h).
 */
#include "vesicle-config-field.h"
#include "vesicle-i18n.h"

#include <gio/gio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

VesicleConfigProblem *
vesicle_config_problem_new (const char *key,
                            const char *label,
                            const char *format,
                            ...)
{
  VesicleConfigProblem *problem = g_new0 (VesicleConfigProblem, 1);
  va_list ap;

  problem->key = g_strdup (key);
  va_start (ap, format);
  problem->reason = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (label != NULL && key != NULL)
    problem->message = g_strdup_printf (_("%s ('%s'): %s"), _(label), key, problem->reason);
  else
    problem->message = g_strdup (problem->reason);
  return problem;
}

void
vesicle_config_problem_free (VesicleConfigProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->key);
  g_free (problem->reason);
  g_free (problem->message);
  g_free (problem);
}

GPtrArray *
vesicle_config_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_config_problem_free);
}

VesicleConfigProblem *
vesicle_config_problems_find (GPtrArray  *problems,
                              const char *key)
{
  for (guint i = 0; i < problems->len; i++)
    {
      VesicleConfigProblem *p = g_ptr_array_index (problems, i);

      if (g_strcmp0 (p->key, key) == 0)
        return p;
    }
  return NULL;
}

char *
vesicle_config_format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup (isnan (value) ? "NaN" : value > 0 ? "Inf" : "-Inf");
  g_ascii_formatd (buf, sizeof buf, "%.6g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  return g_strdup (buf);
}

/* ---- checking ------------------------------------------------------------------------------ */

/* A problem of the field being checked, named by its label and key. */
#define PROBLEM(...) vesicle_config_problem_new (field->key, field->label, __VA_ARGS__)

/* "greater than 0", "between 0 and 1", "at least 1": what the field's range allows. */
static char *
describe_range (const VesicleConfigField *field)
{
  g_autofree char *lo = vesicle_config_format_number (field->min);
  g_autofree char *hi = vesicle_config_format_number (field->max);
  gboolean has_lo = isfinite (field->min), has_hi = isfinite (field->max);
  gboolean lo_open = field->flags & VESICLE_FIELD_MIN_OPEN;
  gboolean hi_open = field->flags & VESICLE_FIELD_MAX_OPEN;

  /* whole phrases, one per case, so that a translation can order them */
  if (has_lo && has_hi)
    {
      if (!lo_open && !hi_open)
        return g_strdup_printf (_("from %s to %s"), lo, hi);
      if (lo_open && hi_open)
        return g_strdup_printf (_("greater than %s and less than %s"), lo, hi);
      if (lo_open)
        return g_strdup_printf (_("greater than %s and at most %s"), lo, hi);
      return g_strdup_printf (_("at least %s and less than %s"), lo, hi);
    }
  if (has_lo)
    return g_strdup_printf (lo_open ? _("greater than %s") : _("at least %s"), lo);
  if (has_hi)
    return g_strdup_printf (hi_open ? _("less than %s") : _("at most %s"), hi);
  return g_strdup (_("any finite number"));
}

static gboolean
in_range (const VesicleConfigField *field,
          double                    v)
{
  if (!isfinite (v))
    return FALSE;
  if (field->flags & VESICLE_FIELD_MIN_OPEN ? !(v > field->min) : !(v >= field->min))
    return FALSE;
  if (field->flags & VESICLE_FIELD_MAX_OPEN ? !(v < field->max) : !(v <= field->max))
    return FALSE;
  return TRUE;
}

static gboolean
node_number (JsonNode *node,
             double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE
      && json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_choice (const VesicleConfigField *field,
           const char               *s)
{
  for (guint i = 0; s && field->choices && field->choices[i]; i++)
    if (g_str_equal (field->choices[i], s))
      return TRUE;
  return FALSE;
}

const char *
vesicle_config_field_choice_label (const VesicleConfigField *field,
                                   guint                     index)
{
  g_return_val_if_fail (field->choices != NULL
                        && index < g_strv_length ((char **) field->choices), NULL);
  return field->choice_labels ? field->choice_labels[index] : field->choices[index];
}

gboolean
vesicle_config_field_has_choice (const VesicleConfigField *field,
                                 JsonNode                 *node,
                                 guint                     index)
{
  const char *choice;

  g_return_val_if_fail (field->choices != NULL
                        && index < g_strv_length ((char **) field->choices), FALSE);
  choice = field->choices[index];
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_str_equal (json_node_get_string (node), choice);
  if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (node), i);

        if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
            && g_str_equal (json_node_get_string (e), choice))
          return TRUE;
      }
  return FALSE;
}

static char *
choices_text (const VesicleConfigField *field)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; field->choices && field->choices[i]; i++)
    g_string_append_printf (s, "%s\"%s\"",
                            i == 0 ? "" : field->choices[i + 1] ? ", " : _(" or "),
                            field->choices[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* One element of a number or count list (@each), or the value of a number or count field. */
static VesicleConfigProblem *
check_number (const VesicleConfigField *field,
              JsonNode                 *node,
              gboolean                  whole,
              gboolean                  each)
{
  g_autofree char *range = describe_range (field);
  g_autofree char *text = NULL;
  double v;

  if (!node_number (node, &v) || !isfinite (v))
    {
      const char *s = node_string (node);

      /* a string is what --set keeps of a value that is not JSON, such as "+5": say it back */
      if (s != NULL && s[0] == '[')
        return PROBLEM (whole ? _("'%s' is not a list of whole numbers")
                              : _("'%s' is not a list of numbers"), s);
      if (s != NULL)
        return PROBLEM (whole ? _("'%s' is not a whole number") : _("'%s' is not a number"), s);
      if (each)
        return PROBLEM ("%s", whole ? _("every value must be a whole number")
                                    : _("every value must be a number"));
      return PROBLEM ("%s", whole ? _("the value must be a whole number")
                                  : _("the value must be a number"));
    }
  text = vesicle_config_format_number (v);
  if (whole && v != floor (v))
    return PROBLEM (each ? _("every value is %s, not a whole number")
                         : _("the value is %s, not a whole number"), text);
  if (!in_range (field, v))
    /* Translators: "−1 is not allowed; it must be greater than 0" */
    return PROBLEM (each ? _("%s is not allowed; each must be %s")
                         : _("%s is not allowed; it must be %s"), text, range);
  return NULL;
}

static VesicleConfigProblem *
check_list (const VesicleConfigField *field,
            JsonNode                 *node)
{
  JsonArray *array;
  guint n;

  /* a single number stands for a list of one, as the config readers take it */
  if (field->kind != VESICLE_FIELD_CHOICES && node != NULL && JSON_NODE_HOLDS_VALUE (node))
    return field->min_len > 1
           ? PROBLEM (_("needs a list of %u values"), field->min_len)
           : check_number (field, node, field->kind == VESICLE_FIELD_COUNTS, FALSE);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return PROBLEM ("%s", _("must be a list"));
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < field->min_len || (field->max_len > 0 && n > field->max_len))
    {
      if (field->min_len == field->max_len)
        return PROBLEM (_("needs exactly %u values, not %u"), field->min_len, n);
      if (n < field->min_len)
        return PROBLEM (g_dngettext (GETTEXT_PACKAGE, "needs at least %u value",
                                     "needs at least %u values", field->min_len),
                        field->min_len);
      return PROBLEM (_("at most %u values, not %u"), field->max_len, n);
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      VesicleConfigProblem *p;

      if (field->kind == VESICLE_FIELD_CHOICES)
        {
          const char *s = node_string (e);

          if (!is_choice (field, s))
            {
              g_autofree char *allowed = choices_text (field);
              return PROBLEM (_("'%s' is not one of %s"), s ? s : _("(not a string)"),
                              allowed);
            }
          for (guint j = 0; j < i; j++)
            if (g_strcmp0 (node_string (json_array_get_element (array, j)), s) == 0)
              return PROBLEM (_("'%s' is listed twice"), s);
          continue;
        }
      if ((p = check_number (field, e, field->kind == VESICLE_FIELD_COUNTS, TRUE)))
        return p;
    }
  return NULL;
}

VesicleConfigProblem *
vesicle_config_field_check (const VesicleConfigField *field,
                            JsonNode                 *node)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (node == NULL)
    return PROBLEM ("%s", _("the setting is missing"));
  switch (field->kind)
    {
    case VESICLE_FIELD_NUMBER:
      return check_number (field, node, FALSE, FALSE);
    case VESICLE_FIELD_COUNT:
      return check_number (field, node, TRUE, FALSE);
    case VESICLE_FIELD_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return PROBLEM ("%s", _("must be true or false"));
      return NULL;
    case VESICLE_FIELD_CHOICE:
      if (!is_choice (field, node_string (node)))
        {
          g_autofree char *allowed = choices_text (field);
          return PROBLEM (_("must be %s"), allowed);
        }
      return NULL;
    case VESICLE_FIELD_DATASET:
      if (node_string (node) == NULL)
        return PROBLEM ("%s", _("must be \"bundled\" or the path of an IDX folder"));
      return NULL;
    case VESICLE_FIELD_NUMBERS:
    case VESICLE_FIELD_COUNTS:
    case VESICLE_FIELD_CHOICES:
      return check_list (field, node);
    }
  g_assert_not_reached ();
}

/* ---- showing and reading back -------------------------------------------------------------- */

static char *
format_scalar (const VesicleConfigField *field,
               JsonNode                 *node,
               gboolean                  exact)
{
  double v;
  const char *s;

  if ((s = node_string (node)))
    return g_strdup (s);
  /* a form says "all", not a sentinel 0 the reader must know about */
  if (field->flags & VESICLE_FIELD_ZERO_ALL && node_number (node, &v) && v == 0.0)
    return g_strdup ("all");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (node_number (node, &v) && exact)
    return vesicle_config_format_number (v);
  if (node_number (node, &v))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (isfinite (v) ? g_ascii_formatd (buf, sizeof buf, "%.6g", v)
                                    : vesicle_config_format_number (v));
    }
  return g_strdup ("");
}

static char *
format_field (const VesicleConfigField *field,
              JsonNode                 *node,
              gboolean                  exact)
{
  g_autoptr(GString) s = g_string_new (NULL);
  JsonArray *array;

  g_return_val_if_fail (field != NULL, NULL);
  if (node == NULL)
    return g_strdup ("");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return format_scalar (field, node, exact);
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0 && field->flags & VESICLE_FIELD_LAYERS)
    return g_strdup ("none");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *e = format_scalar (field, json_array_get_element (array, i), exact);

      g_string_append_printf (s, "%s%s", i ? ", " : "", e);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
vesicle_config_field_format (const VesicleConfigField *field,
                             JsonNode                 *node)
{
  return format_field (field, node, TRUE);
}

char *
vesicle_config_field_format_short (const VesicleConfigField *field,
                                   JsonNode                 *node)
{
  return format_field (field, node, FALSE);
}

gboolean
vesicle_config_is_decimal (const char *text,
                           gssize      len)
{
  const char *p = text, *end;
  guint digits = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  end = text + (len < 0 ? strlen (text) : (gsize) len);
  if (p < end && *p == '-')
    p++;
  for (; p < end && g_ascii_isdigit (*p); p++)
    digits++;
  if (p < end && *p == '.')
    for (p++; p < end && g_ascii_isdigit (*p); p++)
      digits++;
  if (digits == 0)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      guint exponent_digits = 0;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      for (; p < end && g_ascii_isdigit (*p); p++)
        exponent_digits++;
      if (exponent_digits == 0)
        return FALSE;
    }
  return p == end;
}

gboolean
vesicle_config_parse_number (const char *text,
                             double     *out)
{
  const char *slash = strchr (text, '/');
  char *end = NULL;
  gsize len = strlen (text);

  if (len == 0)
    return FALSE;
  /* space around a number in a form's entry is harmless; inside it, it is not */
  if (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      return *stripped != '\0' && vesicle_config_parse_number (stripped, out);
    }
  if (slash != NULL)
    {
      g_autofree char *num = g_strndup (text, slash - text);
      double a, b;

      if (!vesicle_config_parse_number (num, &a) || !vesicle_config_parse_number (slash + 1, &b) || b == 0)
        return FALSE;
      *out = a / b;
      return isfinite (*out);
    }
  /* decimal only: g_ascii_strtod alone would also read "0x10", "+5" and "0x1p3" */
  if (!vesicle_config_is_decimal (text, -1))
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static JsonNode *
parse_scalar (const VesicleConfigField *field,
              VesicleFieldKind          kind,
              const char               *text,
              GError                  **error)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  double v;

  switch (kind)
    {
    case VESICLE_FIELD_NUMBER:
    case VESICLE_FIELD_COUNT:
      if (!vesicle_config_parse_number (text, &v))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s ('%s'): '%s' is not a number"), _(field->label), field->key,
                       text);
          json_node_unref (node);
          return NULL;
        }
      if (kind == VESICLE_FIELD_COUNT && v == floor (v) && fabs (v) < 9e15)
        json_node_set_int (node, (gint64) v);
      else
        json_node_set_double (node, v);
      return node;
    case VESICLE_FIELD_BOOLEAN:
      if (g_ascii_strcasecmp (text, "true") == 0 || g_ascii_strcasecmp (text, "yes") == 0
          || g_str_equal (text, "1"))
        json_node_set_boolean (node, TRUE);
      else if (g_ascii_strcasecmp (text, "false") == 0 || g_ascii_strcasecmp (text, "no") == 0
               || g_str_equal (text, "0"))
        json_node_set_boolean (node, FALSE);
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s ('%s'): '%s' is neither true nor false"), _(field->label),
                       field->key, text);
          json_node_unref (node);
          return NULL;
        }
      return node;
    default:
      json_node_set_string (node, text);
      return node;
    }
}

JsonNode *
vesicle_config_field_parse (const VesicleConfigField *field,
                            const char               *text,
                            GError                  **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  g_auto(GStrv) parts = NULL;
  JsonArray *array;
  JsonNode *node;
  VesicleFieldKind element;

  g_return_val_if_fail (field != NULL, NULL);
  switch (field->kind)
    {
    case VESICLE_FIELD_NUMBERS:
      element = VESICLE_FIELD_NUMBER;
      break;
    case VESICLE_FIELD_COUNTS:
      element = VESICLE_FIELD_COUNT;
      break;
    case VESICLE_FIELD_CHOICES:
      element = VESICLE_FIELD_CHOICE;
      break;
    default:
      if (field->flags & VESICLE_FIELD_ZERO_ALL && g_ascii_strcasecmp (stripped, "all") == 0)
        {
          JsonNode *all = json_node_new (JSON_NODE_VALUE);

          json_node_set_int (all, 0);
          return all;
        }
      return parse_scalar (field, field->kind, stripped, error);
    }

  /* an empty layer list is a slip, not a choice: "none" says no hidden layer */
  if (field->flags & VESICLE_FIELD_LAYERS && *stripped == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s ('%s') is empty: give the widths, or “none” for no hidden layer"),
                   _(field->label), field->key);
      return NULL;
    }
  array = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  if (field->flags & VESICLE_FIELD_LAYERS && g_ascii_strcasecmp (stripped, "none") == 0)
    return node;
  parts = g_regex_split_simple ("[\\s,;]+", stripped, 0, 0);
  for (guint i = 0; parts[i]; i++)
    {
      JsonNode *e;

      if (*parts[i] == '\0')
        continue;
      if (!(e = parse_scalar (field, element, parts[i], error)))
        {
          json_node_unref (node);
          return NULL;
        }
      json_array_add_element (array, e);
    }
  return node;
}

/* ---- ranges in decades ----------------------------------------------------------------------- */

GArray *
vesicle_config_decade_range (double from,
                             double to,
                             guint  per_decade)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));
  double lo, hi;

  if (!(from > 0 && to >= from && isfinite (to) && per_decade > 0))
    return values;
  /* the grid 10^(k / n); the small slack keeps 10^-3 on it despite rounding in log10 */
  lo = ceil (log10 (from) * per_decade - 1e-9);
  hi = floor (log10 (to) * per_decade + 1e-9);
  for (double k = lo; k <= hi && values->len < 100000; k++)
    {
      double v = pow (10.0, k / per_decade);

      g_array_append_val (values, v);
    }
  return values;
}

gboolean
vesicle_config_is_decade_range (const double *values,
                                guint         n,
                                double       *from,
                                double       *to,
                                guint        *per_decade)
{
  double step, k0;
  guint per;

  if (n < 2 || !(values[0] > 0))
    return FALSE;
  step = log10 (values[1]) - log10 (values[0]);
  if (!(step > 0))
    return FALSE;
  per = (guint) lround (1.0 / step);
  if (per == 0 || per > 1000 || fabs (per * step - 1.0) > 1e-6)
    return FALSE;
  k0 = log10 (values[0]) * per;
  if (fabs (k0 - round (k0)) > 1e-6)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      double expected = pow (10.0, (round (k0) + i) / per);

      if (!(values[i] > 0) || fabs (values[i] - expected) > 1e-9 * expected)
        return FALSE;
    }
  *from = values[0];
  *to = values[n - 1];
  *per_decade = per;
  return TRUE;
}
