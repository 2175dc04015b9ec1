/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How fast this device trains, measured on it: a short trial of the paper's 784-100-100-10
 * network (batch 20) in a cohort of K, on random inputs (the arithmetic does not depend on the
 * data), warmed up first so that kernel compilation is not timed. The rate is in the units an
 * experiment plan counts its work in (vesicle_cohort_plan_flops), so a front end can say how long
 * a plan will take before it starts: measured, not guessed. A second, shorter trial of one
 * 784-10 network measures what a step costs beyond its arithmetic (kernel launches, the queue),
 * which is most of the time of small networks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double flops_per_s;          /* the plan's floating-point work per second */
  double network_steps_per_s;  /* K x minibatch steps per second */
  double seconds_per_step;     /* what a step costs beyond its arithmetic: launches, syncs */
  double seconds_per_cohort;   /* opening a cohort: the device, its built kernels (from the
                                * cache), its buffers and data, the first steps */
  guint  K;
  char  *device_name;
} VesicleTrainingRate;

/* Trains for about 1.25 x @seconds (at least a few steps) on @device (NULL: the default). */
gboolean vesicle_cl_measure_training_rate (const char           *device,
                                           guint                 K,
                                           double                seconds,
                                           VesicleTrainingRate  *rate,
                                           GError              **error);
void     vesicle_training_rate_clear      (VesicleTrainingRate  *rate);

G_END_DECLS
