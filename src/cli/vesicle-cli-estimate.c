/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cli-estimate.h"
#include "vesicle-cl-rate.h"
#include "vesicle-dataset.h"
#include "vesicle-format.h"

#include <stdio.h>

/* A trial of about three seconds in all (vesicle-cl-rate.h): long enough that the timer's
 * resolution and the first steps' noise are far below the estimate's other uncertainties
 * (cohorts of other shapes run at other efficiencies), short beside any experiment worth
 * estimating. */
#define TRIAL_SECONDS 2.0
#define MAX_TRIAL_K 64

static void
plan_free (gpointer plan)
{
  vesicle_experiment_plan_clear (plan);
  g_free (plan);
}

gboolean
vesicle_cli_estimate (const VesicleExperimentType *const *types,
                      JsonObject                  *const *configs,
                      guint                               n,
                      const char                         *device,
                      GError                            **error)
{
  VesicleTrainingRate rate;
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func (plan_free);
  double flops = 0, seconds = 0;
  guint networks = 0, largest_K = 1;
  g_autofree char *duration = NULL, *steps_text = NULL, *networks_text = NULL;

  for (guint i = 0; i < n; i++)
    {
      VesicleExperimentPlan *plan = g_new0 (VesicleExperimentPlan, 1);
      VesicleDatasetInfo info, *data = NULL;
      g_autofree char *path = types[i]->uses_dataset
                              ? vesicle_experiment_dataset_path (configs[i]) : NULL;

      g_ptr_array_add (plans, plan);
      /* a dataset of its own: its sizes decide the steps */
      if (path != NULL)
        {
          if (!vesicle_dataset_probe_dir (path, &info, error))
            return FALSE;
          data = &info;
        }
      if (!vesicle_experiment_plan (types[i], configs[i], data, plan, error))
        {
          g_prefix_error (error, "%s: ", types[i]->name);
          return FALSE;
        }
      flops += vesicle_experiment_plan_flops (plan);
      networks += plan->n_networks;
      for (guint c = 0; plan->cohorts && c < plan->cohorts->len; c++)
        largest_K = MAX (largest_K, g_array_index (plan->cohorts, VesicleCohortPlan, c).K);
    }
  if (!vesicle_cl_measure_training_rate (device, MIN (largest_K, MAX_TRIAL_K), TRIAL_SECONDS,
                                         &rate, error))
    return FALSE;
  for (guint i = 0; i < plans->len; i++)
    seconds += vesicle_experiment_plan_seconds (g_ptr_array_index (plans, i), &rate.speed);
  duration = vesicle_format_duration_about (seconds);
  steps_text = vesicle_format_count ((guint64) (rate.network_steps_per_s + 0.5));
  networks_text = vesicle_format_count (networks);
  /* the seconds too, for a table of estimates against actual times (tools/docs-estimates) */
  fprintf (stderr, "vesicle-cli: %s network%s, %.3g TFLOP of work: %s (%.0f s) on %s (measured "
           "just now: %s network steps a second, 784-100-100-10 at batch 20 in a cohort of %u)\n",
           networks_text, networks == 1 ? "" : "s", flops / 1e12, duration, seconds,
           rate.device_name, steps_text, rate.K);
  vesicle_training_rate_clear (&rate);
  return TRUE;
}
