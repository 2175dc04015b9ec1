/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small JSON writer over json-glib's tree (see vesicle-json.h for why). Doubles are written
 * with 17 significant digits (round-trip exact) in the C locale; non-finite ones, which JSON
 * cannot hold, as null.
 */
#include "vesicle-json.h"
#include "vesicle-file.h"

#include <string.h>
#include <math.h>

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
newline (GString  *out,
         gboolean  pretty,
         guint     depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            gboolean  pretty,
            guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          {
            double v = json_node_get_double (node);
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            if (isfinite (v))
              g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
            else
              g_string_append (out, "null");
          }
        else
          write_string (out, json_node_get_string (node));
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            newline (out, pretty, depth + 1);
            write_node (out, json_array_get_element (array, i), pretty, depth + 1);
          }
        if (n > 0)
          newline (out, pretty, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *l = members; l; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            newline (out, pretty, depth + 1);
            write_string (out, l->data);
            g_string_append (out, pretty ? ": " : ":");
            write_node (out, json_object_get_member (object, l->data), pretty, depth + 1);
          }
        if (!first)
          newline (out, pretty, depth);
        g_string_append_c (out, '}');
      }
      break;
    }
}

char *
vesicle_json_to_string (JsonNode *node,
                        gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  write_node (out, node, pretty, 0);
  return g_string_free (out, FALSE);
}

gboolean
vesicle_json_write (const char  *path,
                    JsonNode    *node,
                    GError     **error)
{
  g_autofree char *text = vesicle_json_to_string (node, TRUE);
  g_autofree char *with_newline = g_strconcat (text, "\n", NULL);

  return vesicle_file_write_atomic (path, with_newline, strlen (with_newline), error);
}

/* ---- reading members ------------------------------------------------------------------------ */

double
vesicle_json_get_double (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    return NAN;
  return json_node_get_double (node);
}

double
vesicle_json_get_double_element (JsonObject *object,
                                 const char *name,
                                 guint       index)
{
  JsonArray *a = vesicle_json_get_array (object, name);
  JsonNode *node;

  if (a == NULL || index >= json_array_get_length (a))
    return NAN;
  node = json_array_get_element (a, index);
  if (!JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    return NAN;
  return json_node_get_double (node);
}

gint64
vesicle_json_get_int (JsonObject *object,
                      const char *name,
                      gint64      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return fallback;
  return json_node_get_int (node);
}

const char *
vesicle_json_get_string (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonArray *
vesicle_json_get_array (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
vesicle_json_get_object (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
vesicle_json_array_get_object (JsonArray *array,
                               guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
vesicle_json_double_array (const double *values,
                           gsize         n)
{
  JsonArray *a = json_array_sized_new (n);

  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_array_add_double_element (a, values[i]);
    else
      json_array_add_null_element (a);
  return a;
}

JsonArray *
vesicle_json_uint_array (const guint *values,
                         gsize        n)
{
  JsonArray *a = json_array_sized_new (n);

  for (gsize i = 0; i < n; i++)
    json_array_add_int_element (a, values[i]);
  return a;
}

/* ---- reading --------------------------------------------------------------------------------- */

/* The deepest nesting of arrays and objects in @text, outside strings; stops counting once past
 * VESICLE_JSON_MAX_DEPTH. Invalid JSON is left to the parser. */
static guint
max_depth (const char *text,
           gsize       length)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > deepest && (deepest = depth) > VESICLE_JSON_MAX_DEPTH)
            return deepest;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

JsonNode *
vesicle_json_parse (const char  *text,
                    gsize        length,
                    const char  *source,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  GError *local = NULL;
  JsonNode *root;

  if (length > VESICLE_JSON_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "%s: more than the %u MiB of JSON Vesicle reads", source,
                   VESICLE_JSON_MAX_BYTES >> 20);
      return NULL;
    }
  if (max_depth (text, length) > VESICLE_JSON_MAX_DEPTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: nested deeper than %u levels of arrays and objects (Vesicle's files "
                   "nest a few levels); not read", source, VESICLE_JSON_MAX_DEPTH);
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, length, &local))
    {
      /* json-glib names the text "<data>": say where in the file instead */
      const char *where = g_str_has_prefix (local->message, "<data>:")
                          ? local->message + strlen ("<data>:") : local->message;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: malformed JSON at %s",
                   source, where);
      g_error_free (local);
      return NULL;
    }
  if ((root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: empty, no JSON in it",
                   source);
      return NULL;
    }
  return json_node_ref (root);
}

JsonNode *
vesicle_json_load (const char  *path,
                   GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!(text = vesicle_file_read_bounded (path, VESICLE_JSON_MAX_BYTES, &length, error)))
    return NULL;
  return vesicle_json_parse (text, length, path, error);
}

JsonObject *
vesicle_json_load_object (const char  *path,
                          GError     **error)
{
  g_autoptr(JsonNode) root = vesicle_json_load (path, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a JSON object", path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}
