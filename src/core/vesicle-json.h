/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON text from a json-glib tree, with numbers written so any JSON reader takes them back.
 * json-glib 1.6's generator (Debian 12) appends ".0" to doubles printed without a '.', which
 * turns 1e-08 into the invalid 1e-08.0; Vesicle writes every JSON file through this instead.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char     *vesicle_json_to_string (JsonNode    *node,
                                  gboolean     pretty);
gboolean  vesicle_json_write     (const char  *path,
                                  JsonNode    *node,
                                  GError     **error);

G_END_DECLS
