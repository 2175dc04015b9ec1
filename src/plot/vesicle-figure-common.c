/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the figure builders; see vesicle-figure-common.h. Numbers are printed with
 * g_ascii_formatd: the app calls setlocale, and a figure should not say "0,53" in one place and
 * "0.5" on its axis (the plotting library prints ticks in the C locale).
 */
#include "vesicle-figure-common.h"

#include <math.h>

#define MINUS "−"

JsonObject *
vesicle_figure_element_object (JsonArray *array,
                               guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

double
vesicle_figure_member_element (JsonObject *object,
                               const char *name,
                               guint       index)
{
  JsonArray *a = vesicle_figure_member_array (object, name);
  JsonNode *node;

  if (a == NULL || index >= json_array_get_length (a))
    return NAN;
  node = json_array_get_element (a, index);
  return JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

gint64
vesicle_figure_member_int (JsonObject *object,
                           const char *name,
                           gint64      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_int (node);
}

JsonArray *
vesicle_figure_member_array (JsonObject *object,
                             const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
vesicle_figure_member_object (JsonObject *object,
                              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* printf of one double in the C locale; @format is "%.<n>f" or "%.<n>g". */
static char *
format_double (const char *format,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

/* A leading '-' as U+2212. */
static char *
real_minus (char *text)
{
  char *out;

  if (text[0] != '-')
    return text;
  out = g_strconcat (MINUS, text + 1, NULL);
  g_free (text);
  return out;
}

char *
vesicle_figure_format_signed (double value,
                              int    decimals)
{
  char format[16];

  g_snprintf (format, sizeof format, "%%.%df", decimals);
  return real_minus (format_double (format, value));
}

char *
vesicle_figure_format_value (double value)
{
  g_autofree char *mantissa = NULL;
  double a = fabs (value), m;
  int e;

  if (!(a > 0) || !isfinite (a) || (a >= 1e-3 && a < 1e4))
    return real_minus (format_double ("%.3g", value));
  e = (int) floor (log10 (a));
  m = value / pow (10, e);
  if (fabs (m) >= 9.995)
    {
      m /= 10;
      e++;
    }
  mantissa = real_minus (format_double ("%.3g", m));
  if (g_str_equal (mantissa, "1"))
    return g_strdup_printf ("10<sup>%s%d</sup>", e < 0 ? MINUS : "", ABS (e));
  return g_strdup_printf ("%s×10<sup>%s%d</sup>", mantissa, e < 0 ? MINUS : "", ABS (e));
}

/* Whether lo, slope and hi print as three different numbers with @decimals places. */
static gboolean
distinct (double lo,
          double slope,
          double hi,
          int    decimals)
{
  double scale = pow (10, decimals);

  return round (lo * scale) != round (slope * scale)
         && round (slope * scale) != round (hi * scale);
}

char *
vesicle_figure_format_slope (const char *prefix,
                             double      slope,
                             double      ci_low,
                             double      ci_high)
{
  g_autofree char *s = NULL, *a = NULL, *b = NULL;
  int d = 2;

  if (!isfinite (ci_low) || !isfinite (ci_high))
    {
      s = vesicle_figure_format_signed (slope, d);
      return g_strconcat (prefix, s, NULL);
    }
  while (d < 4 && !distinct (ci_low, slope, ci_high, d))
    d++;
  s = vesicle_figure_format_signed (slope, d);
  a = vesicle_figure_format_signed (ci_low, d);
  b = vesicle_figure_format_signed (ci_high, d);
  return g_strdup_printf ("%s%s [%s, %s]", prefix, s, a, b);
}

char *
vesicle_figure_colored (VesicleColor color,
                        const char  *markup)
{
  return g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">%s</span>",
                          (int) round (255 * CLAMP (color.r, 0, 1)),
                          (int) round (255 * CLAMP (color.g, 0, 1)),
                          (int) round (255 * CLAMP (color.b, 0, 1)), markup);
}
