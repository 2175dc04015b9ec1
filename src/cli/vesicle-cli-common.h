/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces shared by the vesicle-cli commands: list parsing with errors naming the option, and
 * where the bundled dataset lives.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "1e-2,0.1,1" -> doubles; each must be finite. */
GArray *vesicle_cli_parse_doubles (const char  *option,
                                   const char  *text,
                                   GError     **error);
/* "100,100" -> guints; "" or "none" -> empty. */
GArray *vesicle_cli_parse_uints   (const char  *option,
                                   const char  *text,
                                   gboolean     allow_empty,
                                   GError     **error);
/* The bundled MNIST subset: installed data dir, else the source tree's. */
char   *vesicle_cli_default_dataset (void);

G_END_DECLS
