/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How fast this device trains, measured on it, in the terms of an experiment plan's model
 * (VesicleSpeed, vesicle-experiment.h), so that a front end can say how long a plan will take
 * before it starts: measured, not guessed. Three short trials, each warmed up first so that
 * kernel compilation is not timed, on random inputs (the arithmetic does not depend on the data):
 *   - the paper's 784-100-100-10 network in a cohort of K at batch 20,
 *   - the same at batch 100: the difference is the matrix products' rate, the rest of a step is
 *     the work done once per parameter;
 *   - one 784-4-4-10 network, whose steps do almost no arithmetic: what a step costs for each
 *     layer whatever its size (kernel launches, the queue), most of the time of small networks.
 * The cohorts mix what a sweep mixes (vesicle-cl-rate.c). A fourth trial times the host at the
 * Fisher information, which the importance experiment computes there.
 */
#pragma once

#include <glib.h>

#include "vesicle-experiment.h"

G_BEGIN_DECLS

typedef struct {
  VesicleSpeed speed;
  double       network_steps_per_s;  /* K x minibatch steps per second, 784-100-100-10 at 20 */
  guint        K;
  char        *device_name;
} VesicleTrainingRate;

/* Trains for about 1.5 x @seconds in all (at least a few steps each) on @device (NULL: the
 * default). */
gboolean vesicle_cl_measure_training_rate (const char           *device,
                                           guint                 K,
                                           double                seconds,
                                           VesicleTrainingRate  *rate,
                                           GError              **error);
void     vesicle_training_rate_clear      (VesicleTrainingRate  *rate);

G_END_DECLS
