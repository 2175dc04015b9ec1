/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-format.h"
#include "vesicle-i18n.h"

#include <math.h>
#include <string.h>

char *
vesicle_format_double (char   conversion,
                       int    precision,
                       double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];

  g_snprintf (format, sizeof format, "%%.%d%c", precision, conversion);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

char *
vesicle_format_real_minus (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 4);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '-')
        g_string_append (out, VESICLE_MINUS);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
vesicle_format_signed (double value,
                       int    decimals)
{
  g_autofree char *plain = vesicle_format_double ('f', decimals, value);

  return vesicle_format_real_minus (plain);
}

char *
vesicle_format_value_markup (double value)
{
  g_autofree char *plain = NULL;
  g_autofree char *mantissa = NULL;
  double a = fabs (value), m;
  int e;

  if (!(a > 0) || !isfinite (a) || (a >= 1e-3 && a < 1e4))
    {
      /* %.3g writes 1000 as 1e+03: four-digit numbers as they are */
      plain = a >= 1000 ? vesicle_format_double ('f', 0, value)
                        : vesicle_format_double ('g', 3, value);
      return vesicle_format_real_minus (plain);
    }
  e = (int) floor (log10 (a));
  m = value / pow (10, e);
  if (fabs (m) >= 9.995)
    {
      m /= 10;
      e++;
    }
  plain = vesicle_format_double ('g', 3, m);
  mantissa = vesicle_format_real_minus (plain);
  if (g_str_equal (mantissa, "1"))
    return g_strdup_printf ("10<sup>%s%d</sup>", e < 0 ? VESICLE_MINUS : "", ABS (e));
  return g_strdup_printf ("%s×10<sup>%s%d</sup>", mantissa, e < 0 ? VESICLE_MINUS : "", ABS (e));
}

char *
vesicle_format_value (double value)
{
  static const char *const superscript[10] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  g_autofree char *markup = vesicle_format_value_markup (value);
  const char *sup = strstr (markup, "<sup>");
  GString *out;

  if (sup == NULL)
    return g_steal_pointer (&markup);
  out = g_string_new_len (markup, sup - markup);
  for (const char *p = sup + strlen ("<sup>"); *p && *p != '<';)
    {
      if (g_str_has_prefix (p, VESICLE_MINUS))
        {
          g_string_append (out, "⁻");
          p += strlen (VESICLE_MINUS);
        }
      else
        {
          if (g_ascii_isdigit (*p))
            g_string_append (out, superscript[*p - '0']);
          p++;
        }
    }
  return g_string_free (out, FALSE);
}

char *
vesicle_format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
vesicle_format_ratio (double value)
{
  /* the paper's exponents are ratios of small integers; anything else prints as a number */
  for (int d = 1; d <= 6; d++)
    {
      double num = round (value * d);

      if (num != 0 && fabs (value * d - num) < 1e-6 * d)
        return d == 1 ? g_strdup_printf ("%.0f", num) : g_strdup_printf ("%.0f/%d", num, d);
    }
  return vesicle_format_double ('g', 3, value);
}

char *
vesicle_format_duration_about (double seconds)
{
  guint n;

  if (!isfinite (seconds) || seconds < 0)
    return g_strdup (_("an unknown time"));
  if (seconds < 50)
    return g_strdup (_("less than a minute"));
  if (seconds < 90)
    return g_strdup (_("about a minute"));
  if (seconds < 3600 - 30)
    {
      n = (guint) lround (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute", "about %u minutes",
                                           n), n);
    }
  if (seconds < 5400)
    return g_strdup (_("about an hour"));
  n = (guint) lround (seconds / 3600);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u hour", "about %u hours", n), n);
}

char *
vesicle_format_duration (double seconds)
{
  guint64 s;

  if (!isfinite (seconds) || seconds < 0)
    return g_strdup ("–");
  s = (guint64) llround (seconds);
  if (s < 60)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " s", s);
  if (s < 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " min %" G_GUINT64_FORMAT " s", s / 60, s % 60);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " h %" G_GUINT64_FORMAT " min", s / 3600,
                          (s % 3600) / 60);
}
