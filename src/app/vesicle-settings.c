/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-settings.h"
#include "vesicle-build-config.h"

GSettings *
vesicle_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VESICLE_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) build = NULL;
      g_autoptr(GError) error = NULL;

      build = g_settings_schema_source_new_from_directory (VESICLE_BUILD_SCHEMADIR, source,
                                                           FALSE, &error);
      if (build == NULL)
        g_error ("No settings schema %s installed, nor in %s: %s", VESICLE_APP_ID,
                 VESICLE_BUILD_SCHEMADIR, error->message);
      schema = g_settings_schema_source_lookup (build, VESICLE_APP_ID, FALSE);
      if (schema == NULL)
        g_error ("No settings schema %s installed, nor in %s", VESICLE_APP_ID,
                 VESICLE_BUILD_SCHEMADIR);
    }
  return g_settings_new_full (schema, NULL, NULL);
}

char *
vesicle_settings_get_experiments_folder (GSettings *settings)
{
  g_autofree char *folder = g_settings_get_string (settings, "experiments-folder");

  if (folder && *folder)
    return g_steal_pointer (&folder);
  return g_build_filename (g_get_user_data_dir (), "vesicle", "experiments", NULL);
}
