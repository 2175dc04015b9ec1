/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed access to experiment configurations (see vesicle-config.h).
 */
#include "vesicle-config.h"
#include "vesicle-config-field.h"
#include "vesicle-json.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define CONFIG_ERROR(...) g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, __VA_ARGS__)

/* json-glib reads more than JSON's numbers: 0x10 as 16, 010 as 8, 0b1 as 1, and an integer
 * beyond 64 bits wraps (99999999999999999999 became -1). Every number of @value, outside its
 * strings, must be decimal as JSON writes it (no leading zero) and fit. */
static gboolean
check_numbers (const char  *key,
               const char  *value,
               GError     **error)
{
  const char *p = value;

  while (*p != '\0')
    {
      if (*p == '"' || *p == '\'')
        {
          char quote = *p++;

          while (*p != '\0' && *p != quote)
            p += p[0] == '\\' && p[1] != '\0' ? 2 : 1;
          if (*p != '\0')
            p++;
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          /* true, false, null */
          while (g_ascii_isalnum (*p) || *p == '_')
            p++;
        }
      else if (g_ascii_isdigit (*p) || *p == '-' || *p == '+' || *p == '.')
        {
          const char *start = p;
          g_autofree char *number = NULL;
          const char *digits;

          while (g_ascii_isalnum (*p) || *p == '_' || *p == '.' || *p == '+' || *p == '-')
            p++;
          number = g_strndup (start, p - start);
          digits = number + (number[0] == '-');
          if (!vesicle_config_is_decimal (number, -1)
              || (digits[0] == '0' && g_ascii_isdigit (digits[1])))
            {
              CONFIG_ERROR ("--set %s: '%s' is not a number in decimal (such as 16, 0.5 or 1e-3)",
                            key, number);
              return FALSE;
            }
          if (strpbrk (number, ".eE") == NULL
              ? !g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64, NULL, NULL)
              : !isfinite (g_ascii_strtod (number, NULL)))
            {
              CONFIG_ERROR ("--set %s: %s is too %s", key, number,
                            number[0] == '-' ? "far below zero" : "large");
              return FALSE;
            }
        }
      else
        p++;
    }
  return TRUE;
}

gboolean
vesicle_config_apply_set (JsonObject  *config,
                          const char  *assignment,
                          GError     **error)
{
  const char *eq = strchr (assignment, '=');
  g_autofree char *key = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  const char *value;

  if (eq == NULL || eq == assignment)
    {
      CONFIG_ERROR ("--set '%s': expected key=value, e.g. epochs=5 or c=[0.01,1,100]", assignment);
      return FALSE;
    }
  key = g_strndup (assignment, eq - assignment);
  g_strstrip (key);
  value = eq + 1;
  if (!json_object_has_member (config, key))
    {
      g_autoptr(GList) names = json_object_get_members (config);
      g_autoptr(GString) known = g_string_new (NULL);

      for (GList *l = names; l; l = l->next)
        g_string_append_printf (known, "%s%s", known->len ? ", " : "", (char *) l->data);
      CONFIG_ERROR ("--set %s: this experiment has no setting '%s' (it has: %s)", key, key,
                    known->str);
      return FALSE;
    }
  /* JSON when it parses (numbers, lists, true/false), a plain string otherwise */
  if ((parsed = vesicle_json_parse (value, strlen (value), "--set", NULL)))
    {
      if (!check_numbers (key, value, error))
        return FALSE;
      json_object_set_member (config, key, g_steal_pointer (&parsed));
    }
  else
    json_object_set_string_member (config, key, value);
  return TRUE;
}

static JsonNode *
member (JsonObject  *config,
        const char  *key,
        GError     **error)
{
  JsonNode *node = json_object_get_member (config, key);

  if (node == NULL)
    CONFIG_ERROR ("config: the setting '%s' is missing", key);
  return node;
}

static gboolean
node_double (JsonNode   *node,
             const char *key,
             double     *out,
             GError    **error)
{
  if (JSON_NODE_HOLDS_VALUE (node)
      && (json_node_get_value_type (node) == G_TYPE_DOUBLE
          || json_node_get_value_type (node) == G_TYPE_INT64))
    {
      *out = json_node_get_double (node);
      if (isfinite (*out))
        return TRUE;
    }
  CONFIG_ERROR ("config: '%s' must be a number", key);
  return FALSE;
}

gboolean
vesicle_config_get_double (JsonObject  *config,
                           const char  *key,
                           double      *out,
                           GError     **error)
{
  JsonNode *node = member (config, key, error);

  return node != NULL && node_double (node, key, out, error);
}

gboolean
vesicle_config_get_uint (JsonObject  *config,
                         const char  *key,
                         guint       *out,
                         GError     **error)
{
  double v;

  if (!vesicle_config_get_double (config, key, &v, error))
    return FALSE;
  if (v < 0 || v > G_MAXUINT32 || v != floor (v))
    {
      CONFIG_ERROR ("config: '%s' must be a whole number ≥ 0, not %g", key, v);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

gboolean
vesicle_config_get_bool (JsonObject  *config,
                         const char  *key,
                         gboolean    *out,
                         GError     **error)
{
  JsonNode *node = member (config, key, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      CONFIG_ERROR ("config: '%s' must be true or false", key);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
vesicle_config_get_string (JsonObject  *config,
                           const char  *key,
                           const char **out,
                           GError     **error)
{
  JsonNode *node = member (config, key, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      CONFIG_ERROR ("config: '%s' must be a string", key);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

GArray *
vesicle_config_get_doubles (JsonObject  *config,
                            const char  *key,
                            GError     **error)
{
  JsonNode *node = member (config, key, error);
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (double));

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          double v;

          if (!node_double (json_array_get_element (array, i), key, &v, error))
            return NULL;
          g_array_append_val (out, v);
        }
    }
  else
    {
      double v;

      if (!node_double (node, key, &v, error))
        return NULL;
      g_array_append_val (out, v);
    }
  if (out->len == 0)
    {
      CONFIG_ERROR ("config: '%s' is an empty list", key);
      return NULL;
    }
  return g_steal_pointer (&out);
}

GArray *
vesicle_config_get_uints (JsonObject  *config,
                          const char  *key,
                          GError     **error)
{
  JsonNode *node = member (config, key, error);
  g_autoptr(GArray) d = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));

  if (node == NULL)
    return NULL;
  /* an empty list is allowed here: "hidden": [] is a network with no hidden layer */
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    return g_steal_pointer (&out);
  if (!(d = vesicle_config_get_doubles (config, key, error)))
    return NULL;
  for (guint i = 0; i < d->len; i++)
    {
      double v = g_array_index (d, double, i);

      if (v < 0 || v > G_MAXUINT32 || v != floor (v))
        {
          CONFIG_ERROR ("config: '%s' must hold whole numbers ≥ 0, not %g", key, v);
          return NULL;
        }
      g_array_append_val (out, (guint) { (guint) v });
    }
  return g_steal_pointer (&out);
}
