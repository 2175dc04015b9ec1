/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON text from a json-glib tree, with numbers written so any JSON reader takes them back.
 * json-glib 1.6's generator (Debian 12) appends ".0" to doubles printed without a '.', which
 * turns 1e-08 into the invalid 1e-08.0; Vesicle writes every JSON file through this instead.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Reading: every JSON file and string Vesicle reads goes through these, which refuse what
 * json-glib's recursive parser cannot take safely: a file over VESICLE_JSON_MAX_BYTES, or
 * nesting deeper than VESICLE_JSON_MAX_DEPTH (Vesicle's own files nest 5 levels at most;
 * json-glib recurses once per level and a file of a few hundred KiB of "[" overflows the stack).
 * The error names @source (a path, or what the text is) and the problem. */
#define VESICLE_JSON_MAX_BYTES (256u << 20)
#define VESICLE_JSON_MAX_DEPTH 64

JsonNode *vesicle_json_parse      (const char  *text,
                                   gsize        length,
                                   const char  *source,
                                   GError     **error);
/* The file's root, read with vesicle_file_read_bounded (a regular file only). */
JsonNode *vesicle_json_load       (const char  *path,
                                   GError     **error);
/* The same, when the root must be an object; a new reference. */
JsonObject *vesicle_json_load_object (const char  *path,
                                      GError     **error);

char     *vesicle_json_to_string (JsonNode    *node,
                                  gboolean     pretty);
gboolean  vesicle_json_write     (const char  *path,
                                  JsonNode    *node,
                                  GError     **error);

/* Reading members that may be absent without that being an error. */
/* A number member; missing, null or not a number reads as NaN. */
double      vesicle_json_get_double         (JsonObject  *object,
                                             const char  *name);
/* Element @index of a number-array member, NaN when missing. */
double      vesicle_json_get_double_element (JsonObject  *object,
                                             const char  *name,
                                             guint        index);
/* An integer member, @fallback when absent or null. */
gint64      vesicle_json_get_int            (JsonObject  *object,
                                             const char  *name,
                                             gint64       fallback);
/* A string member, NULL when absent or of another kind. */
const char *vesicle_json_get_string         (JsonObject  *object,
                                             const char  *name);
/* Array and object members, NULL when absent or of another kind (no new reference). */
JsonArray  *vesicle_json_get_array          (JsonObject  *object,
                                             const char  *name);
JsonObject *vesicle_json_get_object         (JsonObject  *object,
                                             const char  *name);
/* Element @index of @array when it is an object, else NULL. */
JsonObject *vesicle_json_array_get_object   (JsonArray   *array,
                                             guint        index);

/* Writing arrays: numbers, with NaN and infinities as null (JSON has no such numbers). */
JsonArray  *vesicle_json_double_array       (const double *values,
                                             gsize         n);
JsonArray  *vesicle_json_uint_array         (const guint  *values,
                                             gsize         n);

G_END_DECLS
