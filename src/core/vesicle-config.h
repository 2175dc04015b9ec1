/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experiment configurations are flat JSON objects (json-glib): typed getters whose errors name the
 * field and say what was expected, and "key=value" overrides (vesicle-cli --set) whose value is
 * read as JSON when it parses (numbers, lists, booleans) and as a string otherwise.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  vesicle_config_apply_set      (JsonObject   *config,
                                         const char   *assignment,
                                         GError      **error);
gboolean  vesicle_config_get_double     (JsonObject   *config,
                                         const char   *key,
                                         double       *out,
                                         GError      **error);
gboolean  vesicle_config_get_uint       (JsonObject   *config,
                                         const char   *key,
                                         guint        *out,
                                         GError      **error);
gboolean  vesicle_config_get_bool       (JsonObject   *config,
                                         const char   *key,
                                         gboolean     *out,
                                         GError      **error);
/* The string is owned by config. */
gboolean  vesicle_config_get_string     (JsonObject   *config,
                                         const char   *key,
                                         const char  **out,
                                         GError      **error);
/* A list of numbers (a single number counts as a list of one); free with g_array_unref. */
GArray   *vesicle_config_get_doubles    (JsonObject   *config,
                                         const char   *key,
                                         GError      **error);
GArray   *vesicle_config_get_uints      (JsonObject   *config,
                                         const char   *key,
                                         GError      **error);

G_END_DECLS
