/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The --set key=value parser and the checks behind it: the first byte picks an experiment type
 * and a preset, each further line is one assignment (vesicle-cli experiment --set), and the
 * result is checked, planned and written out as the objective, as the CLI and the window do.
 */
#include "vesicle-fuzz.h"
#include "vesicle-config.h"
#include "vesicle-experiment.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const VesicleExperimentType *const *types;
  const VesicleExperimentType *type;
  g_autoptr(JsonObject) config = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  VesicleExperimentPlan plan;
  g_autoptr(GError) error = NULL;
  g_autofree char *markup = NULL;
  guint n_types;

  if (size < 1)
    return 0;
  types = vesicle_experiment_types (&n_types);
  type = types[(data[0] >> 1) % n_types];
  config = type->preset (data[0] & 1 ? "paper" : "quick");
  g_assert (config != NULL);
  text = g_strndup ((const char *) data + 1, size - 1);
  lines = g_strsplit (text, "\n", 64);
  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(GError) e = NULL;

      if (!vesicle_config_apply_set (config, lines[i], &e))
        g_assert (e != NULL && e->message != NULL);
    }
  vesicle_experiment_plan_init (&plan);
  if (vesicle_experiment_plan (type, config, NULL, &plan, &error))
    markup = vesicle_experiment_objective_markup (type, config, NULL);
  else
    g_assert (error != NULL);
  vesicle_experiment_plan_clear (&plan);
  return 0;
}
