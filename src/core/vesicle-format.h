/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbers as people read them, for every front end and the figures: the C locale whatever the
 * user's (a window calls setlocale, and "0,25" would not read back), a real minus sign (U+2212),
 * powers of ten as Pango markup ("5×10<sup>−7</sup>"), and counts with thousands separators.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VESICLE_MINUS "\xe2\x88\x92"   /* U+2212 MINUS SIGN */

/* printf of one double in the C locale: @conversion 'f', 'g' or 'e' at @precision. */
char *vesicle_format_double       (char        conversion,
                                   int         precision,
                                   double      value);
/* @text with every ASCII '-' as U+2212. */
char *vesicle_format_real_minus   (const char *text);
/* "−0.53": @decimals places and a real minus. */
char *vesicle_format_signed       (double      value,
                                   int         decimals);
/* "0.0632", and outside 10^-3 .. 10^4 "5×10<sup>−7</sup>" or "10<sup>−4</sup>": three
 * significant digits, as Pango markup. */
char *vesicle_format_value_markup (double      value);
/* The same as plain text, powers of ten in superscript digits ("5×10⁻⁷", "3.17×10⁵"): for
 * labels and table cells, where markup is not read. */
char *vesicle_format_value        (double      value);
/* 0.5 -> "1/2", 1.3333 -> "4/3", 2 -> "2", 0.3 -> "0.3": cost exponents as the paper writes
 * them. */
char *vesicle_format_ratio        (double      value);
/* A duration as an estimate says it: "less than a minute", "about a minute", "about 28
 * minutes", "about an hour", "about 3 hours". */
char *vesicle_format_duration_about (double   seconds);
/* "2 min 5 s", "1 h 3 min", "8 s" ("–" when unknown): a duration as progress lines and
 * records print it. */
char *vesicle_format_duration     (double      seconds);
/* "8,000", "79,510". */
char *vesicle_format_count        (guint64     n);

G_END_DECLS
