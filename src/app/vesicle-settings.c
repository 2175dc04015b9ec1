/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-settings.h"
#include "vesicle-build-config.h"
#include "vesicle-install.h"

GSettings *
vesicle_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VESICLE_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_autofree char *dir = vesicle_install_schemadir ();
      g_autoptr(GSettingsSchemaSource) own = NULL;
      g_autoptr(GError) error = NULL;

      /* a prefix outside XDG_DATA_DIRS, or the build tree: the schema beside the program */
      own = g_settings_schema_source_new_from_directory (dir, source, FALSE, &error);
      if (own == NULL)
        g_error ("No settings schema %s installed, nor in %s: %s", VESICLE_SCHEMA_ID, dir,
                 error->message);
      schema = g_settings_schema_source_lookup (own, VESICLE_SCHEMA_ID, FALSE);
      if (schema == NULL)
        g_error ("No settings schema %s installed, nor in %s", VESICLE_SCHEMA_ID, dir);
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
