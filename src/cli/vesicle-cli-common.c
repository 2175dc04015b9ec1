/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cli-common.h"
#include "vesicle-experiment.h"

#include <gio/gio.h>
#include <math.h>

GArray *
vesicle_cli_parse_doubles (const char  *option,
                           const char  *text,
                           GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *end = NULL;
      const char *s = g_strstrip (parts[i]);
      double v = g_ascii_strtod (s, &end);

      if (*s == '\0' || end == s || *end != '\0' || !isfinite (v))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--%s: '%s' is not a number (expected e.g. 0.5 or 1e-2,1e-1,1)",
                       option, s);
          return NULL;
        }
      g_array_append_val (out, v);
    }
  if (out->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--%s: no value given", option);
      return NULL;
    }
  return g_steal_pointer (&out);
}

GArray *
vesicle_cli_parse_uints (const char  *option,
                         const char  *text,
                         gboolean     allow_empty,
                         GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = NULL;

  if (allow_empty && (*text == '\0' || g_ascii_strcasecmp (text, "none") == 0
                      || g_str_equal (text, "0")))
    return g_steal_pointer (&out);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      guint64 v = 0;
      const char *s = g_strstrip (parts[i]);

      if (!g_ascii_string_to_unsigned (s, 10, 1, G_MAXUINT32, &v, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--%s: '%s' is not a positive whole number", option, s);
          return NULL;
        }
      g_array_append_val (out, (guint) { (guint) v });
    }
  if (out->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--%s: no value given", option);
      return NULL;
    }
  return g_steal_pointer (&out);
}

char *
vesicle_cli_default_dataset (void)
{
  return vesicle_experiment_default_dataset ();
}
