/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cl-rate.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-experiment.h"
#include "vesicle-fisher.h"

#include <string.h>

#define N_TRIAL_EXAMPLES 2000
#define WARMUP_STEPS 5

/* Seconds a step of a cohort of K networks 784-@width-@width-10 at minibatch @batch takes, over
 * about @seconds, after a warm-up; @n_params gets a network's size. */
static gboolean
time_steps (const char         *device,
            guint               K,
            guint               width,
            guint               batch,
            double              seconds,
            const float        *x,
            const float        *t,
            gsize              *n_params,
            double             *seconds_per_step,
            double             *open_seconds,
            char              **device_name,
            GError            **error)
{
  g_autoptr(GTimer) opening = g_timer_new ();
  VesicleCohortConfig cfg;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GTimer) timer = NULL;
  VesicleClDevice *dev;
  guint hidden[2] = { width, width }, batches, steps = 0;
  double elapsed;

  vesicle_cohort_config_init_benchmark (&cfg, K, N_TRIAL_EXAMPLES);
  vesicle_shape_init (&cfg.shape, 784, hidden, 2, 10, VESICLE_HEAD_SOFTMAX, NULL);
  /* a sweep's mix, not bench's fastest case: the four costs in turn (2/3 and 4/3 take a cube
   * root), half the networks homogeneous (their sigma needs a reduction every step), and sigma
   * well above 2^-6, where the update takes its exact, slower path as it does for most of a
   * run (sigma grows from its start; bench's 1e-4 measures the first steps only) */
  cfg.sigma_init = 0.1;
  for (guint k = 0; k < K; k++)
    {
      static const double rhos[] = { 0.5, 2.0 / 3.0, 4.0 / 3.0, 2.0 };

      cfg.hyper[k].rho = rhos[k % 4];
      cfg.hyper[k].setting = (k / 4) % 2 ? VESICLE_SIGMA_HOMO : VESICLE_SIGMA_HETERO;
    }
  cfg.batch = cfg.eval_batch = batch;
  batches = N_TRIAL_EXAMPLES / cfg.batch;
  *n_params = vesicle_shape_n_params (&cfg.shape);
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
  *seconds_per_step = elapsed / steps;
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
  VesicleSpeed *speed;
  gsize P, P_tiny;
  double t20, t100, t_tiny, at20, products;

  g_return_val_if_fail (K > 0 && rate != NULL, FALSE);
  memset (rate, 0, sizeof *rate);
  speed = &rate->speed;
  x = g_new (float, (gsize) N_TRIAL_EXAMPLES * 784);
  t = g_new0 (float, (gsize) N_TRIAL_EXAMPLES * 10);
  for (gsize i = 0; i < (gsize) N_TRIAL_EXAMPLES * 784; i++)
    x[i] = (float) g_rand_double (rand);
  for (guint i = 0; i < N_TRIAL_EXAMPLES; i++)
    t[i * 10 + i % 10] = 1.0f;

  /* the second and third openings find the kernels built: what every cohort of an experiment
   * pays (the last one is timed) */
  if (!time_steps (device, K, 100, 20, seconds / 2, x, t, &P, &t20, NULL, &rate->device_name,
                   error)
      || !time_steps (device, K, 100, 100, seconds / 2, x, t, &P, &t100, NULL, NULL, error)
      || !time_steps (device, 1, 4, 20, seconds / 4, x, t, &P_tiny, &t_tiny,
                      &speed->seconds_per_cohort, NULL, error))
    {
      vesicle_training_rate_clear (rate);
      return FALSE;
    }
  rate->K = K;
  rate->network_steps_per_s = K / t20;

  /* t(K, P, B) = K P (6 B / flops + per_parameter) + 3 per_layer for these three-layer
   * networks, solved for its three terms: the two sizes at batch 20 give the cost per parameter
   * there and the cost per layer, the two batches the share of the products */
  /* a big cohort no slower than the tiny network (a device that only queues launches): all of
   * it per layer, a trace per parameter */
  at20 = MAX (t20 - t_tiny, 1e-3 * t20) / ((double) K * P - P_tiny);
  speed->seconds_per_layer = MAX (0.0, t_tiny - P_tiny * at20) / 3;
  products = (t100 - t20) / ((double) K * P * 80);       /* seconds per example-parameter */
  if (!(products > 0))
    products = 1e-3 * at20 / 20;   /* the batch made no difference: hardly any arithmetic */
  else if (products * 20 > at20)
    products = at20 / 20;          /* all of the batch-20 step is arithmetic */
  speed->flops_per_s = 6.0 / products;
  speed->seconds_per_parameter = MAX (0.0, at20 - 20 * products);
  speed->host_flops_per_s = vesicle_fisher_measure_flops_per_s (seconds / 4);
  return TRUE;
}

void
vesicle_training_rate_clear (VesicleTrainingRate *rate)
{
  g_clear_pointer (&rate->device_name, g_free);
}
