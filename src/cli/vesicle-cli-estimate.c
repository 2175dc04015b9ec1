/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cli-estimate.h"
#include "vesicle-cl-rate.h"
#include "vesicle-dataset.h"
#include "vesicle-format.h"

#include <stdio.h>

/* A trial of two seconds (and half a second for the step cost): long enough that the timer's resolution and the first steps' noise
 * are far below the estimate's other uncertainties (cohorts of other shapes run at other
 * efficiencies), short beside any experiment worth estimating. */
#define TRIAL_SECONDS 2.0
#define MAX_TRIAL_K 64

gboolean
vesicle_cli_estimate (const VesicleExperimentType *const *types,
                      JsonObject                  *const *configs,
                      guint                               n,
                      const char                         *device,
                      GError                            **error)
{
  VesicleTrainingRate rate;
  g_autoptr(GArray) cohorts = g_array_new (FALSE, FALSE, sizeof (VesicleCohortPlan));
  double flops = 0, seconds;
  guint networks = 0, largest_K = 1;
  g_autofree char *duration = NULL, *steps_text = NULL, *networks_text = NULL;

  for (guint i = 0; i < n; i++)
    {
      VesicleExperimentPlan plan;
      VesicleDatasetInfo info, *data = NULL;
      g_autofree char *path = types[i]->uses_dataset
                              ? vesicle_experiment_dataset_path (configs[i]) : NULL;

      /* a dataset of its own: its sizes decide the steps */
      if (path != NULL)
        {
          if (!vesicle_dataset_probe_dir (path, &info, error))
            return FALSE;
          data = &info;
        }
      if (!vesicle_experiment_plan (types[i], configs[i], data, &plan, error))
        {
          g_prefix_error (error, "%s: ", types[i]->name);
          return FALSE;
        }
      flops += vesicle_experiment_plan_flops (&plan);
      networks += plan.n_networks;
      for (guint c = 0; plan.cohorts && c < plan.cohorts->len; c++)
        {
          largest_K = MAX (largest_K, g_array_index (plan.cohorts, VesicleCohortPlan, c).K);
          g_array_append_val (cohorts, g_array_index (plan.cohorts, VesicleCohortPlan, c));
        }
      vesicle_experiment_plan_clear (&plan);
    }
  if (!vesicle_cl_measure_training_rate (device, MIN (largest_K, MAX_TRIAL_K), TRIAL_SECONDS,
                                         &rate, error))
    return FALSE;
  /* the arithmetic at the measured rate, and every step's fixed cost */
  {
    VesicleExperimentPlan all;

    vesicle_experiment_plan_init (&all);
    for (guint c = 0; c < cohorts->len; c++)
      vesicle_experiment_plan_add (&all, &g_array_index (cohorts, VesicleCohortPlan, c));
    all.analysis_flops = flops;
    for (guint c = 0; c < cohorts->len; c++)
      all.analysis_flops -= vesicle_cohort_plan_flops (&g_array_index (cohorts, VesicleCohortPlan,
                                                                       c));
    seconds = vesicle_experiment_plan_seconds (&all, rate.flops_per_s, rate.seconds_per_step,
                                               rate.seconds_per_cohort);
    vesicle_experiment_plan_clear (&all);
  }
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
