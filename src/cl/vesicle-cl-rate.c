/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cl-rate.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-experiment.h"

#include <string.h>

#define N_TRIAL_EXAMPLES 2000
#define WARMUP_STEPS 5

/* Steps a second of a cohort of K networks with @n_hidden hidden layers of 100 over about
 * @seconds, after a warm-up; @plan gets the cohort's shape. */
static gboolean
time_steps (const char         *device,
            guint               K,
            guint               n_hidden,
            double              seconds,
            const float        *x,
            const float        *t,
            VesicleCohortPlan  *plan,
            double             *steps_per_s,
            double             *open_seconds,
            char              **device_name,
            GError            **error)
{
  g_autoptr(GTimer) opening = g_timer_new ();
  VesicleCohortConfig cfg;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GTimer) timer = NULL;
  VesicleClDevice *dev;
  guint hidden[2] = { 100, 100 }, batches, steps = 0;
  double elapsed;

  vesicle_cohort_config_init_benchmark (&cfg, K, N_TRIAL_EXAMPLES);
  vesicle_shape_init (&cfg.shape, 784, hidden, n_hidden, 10, VESICLE_HEAD_SOFTMAX, NULL);
  batches = N_TRIAL_EXAMPLES / cfg.batch;
  *plan = (VesicleCohortPlan) { .K = K, .steps = 1, .P = vesicle_shape_n_params (&cfg.shape),
                                .batch = cfg.batch };
  if (!(dev = vesicle_cl_device_open (device, error)))
    {
      vesicle_cohort_config_clear (&cfg);
      return FALSE;
    }
  if (device_name && *device_name == NULL)
    *device_name = g_strdup (dev->info.name);
  /* the engine owns the device from here */
  engine = vesicle_cl_cohort_new (dev, &cfg, error);
  vesicle_cohort_config_clear (&cfg);
  if (engine == NULL || !vesicle_engine_set_train_data (engine, x, t, N_TRIAL_EXAMPLES, error))
    return FALSE;
  for (guint s = 0; s < WARMUP_STEPS; s++)
    if (!vesicle_engine_step (engine, s % batches, s, error))
      return FALSE;
  if (!vesicle_engine_finish (engine, error))
    return FALSE;
  if (open_seconds)
    *open_seconds = g_timer_elapsed (opening, NULL);
  timer = g_timer_new ();
  do
    {
      /* in groups, so that the timer does not interrupt the queue at every step */
      for (guint s = 0; s < 5; s++, steps++)
        if (!vesicle_engine_step (engine, steps % batches, WARMUP_STEPS + steps, error))
          return FALSE;
      if (!vesicle_engine_finish (engine, error))
        return FALSE;
    }
  while ((elapsed = g_timer_elapsed (timer, NULL)) < seconds);
  *steps_per_s = steps / elapsed;
  return TRUE;
}

gboolean
vesicle_cl_measure_training_rate (const char           *device,
                                  guint                 K,
                                  double                seconds,
                                  VesicleTrainingRate  *rate,
                                  GError              **error)
{
  g_autofree float *x = NULL, *t = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  VesicleCohortPlan big, tiny;
  double big_steps, tiny_steps;

  g_return_val_if_fail (K > 0 && rate != NULL, FALSE);
  memset (rate, 0, sizeof *rate);
  x = g_new (float, (gsize) N_TRIAL_EXAMPLES * 784);
  t = g_new0 (float, (gsize) N_TRIAL_EXAMPLES * 10);
  for (gsize i = 0; i < (gsize) N_TRIAL_EXAMPLES * 784; i++)
    x[i] = (float) g_rand_double (rand);
  for (guint i = 0; i < N_TRIAL_EXAMPLES; i++)
    t[i * 10 + i % 10] = 1.0f;

  /* the arithmetic rate, on the paper's network; then the cost of a step that does almost no
   * arithmetic (one 784-10 network), which dominates small networks' runs */
  /* the second opening finds the kernels built: what every cohort of an experiment pays */
  if (!time_steps (device, K, 2, seconds, x, t, &big, &big_steps, NULL, &rate->device_name,
                   error)
      || !time_steps (device, 1, 0, seconds / 4, x, t, &tiny, &tiny_steps,
                      &rate->seconds_per_cohort, NULL, error))
    return FALSE;
  rate->K = K;
  rate->network_steps_per_s = big_steps * K;
  rate->flops_per_s = vesicle_cohort_plan_flops (&big) * big_steps;
  rate->seconds_per_step = MAX (0.0, 1.0 / tiny_steps
                                     - vesicle_cohort_plan_flops (&tiny) / rate->flops_per_s);
  return TRUE;
}

void
vesicle_training_rate_clear (VesicleTrainingRate *rate)
{
  g_clear_pointer (&rate->device_name, g_free);
}
