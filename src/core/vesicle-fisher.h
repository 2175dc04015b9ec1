/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The diagonal Fisher information of a network at fixed weights w, in float64 on the host:
 *
 *   F_i = (1/n) sum_x E_{y ~ p(y | x, w)} [ (d log p(y | x, w) / d w_i)^2 ]
 *
 * the expectation taken exactly over the model's own outputs (every class, weighted by its
 * probability; for the Gaussian head, every output with the likelihood's variance). For a
 * softmax or Gaussian head this is the diagonal of the generalised Gauss–Newton matrix, the
 * Hessian's positive part, and for a network without hidden layers it is the Hessian of the mean
 * negative log likelihood itself. The "empirical Fisher" (squared gradients with the data's own
 * labels, the paper's Methods) differs from it systematically: on examples the model already
 * fits, it scales with (1 - p)^2 rather than p (1 - p), so it is not proportional to H
 * (Kunstner et al., 2019). Appendix 5's slopes are about H, so they are measured against this.
 *
 * With sigma, the weights are the noisy ones, w = mu + sigma xi, drawn afresh for every block of
 * examples_per_sample examples (as training draws one per minibatch): the curvature a noisy
 * synapse actually sees, E_xi[H(mu + sigma xi)], which is what its optimal sigma balances
 * (the expectation in Eq. 24). Measured on the zero-hidden network with sigma settled at fixed
 * mu: slope of log sigma^2 against it -0.475, against H at mu -0.40 (analytic -0.5).
 *
 * Also returns each layer's mean presynaptic power <h^2> (<x^2> for the first layer), the
 * quantity of Eq. 54b, on the same weights. Cost: one forward pass and one backward pass per
 * output class per example, plus an (O, I) accumulation per layer per example.
 */
#pragma once

#include <gio/gio.h>

#include "vesicle-model.h"
#include "vesicle-trainer.h"

G_BEGIN_DECLS

/* fisher: (P), one value per weight and bias in the flat layout of vesicle-model.h.
 * input_power: (sum over layers of sizes[l]), layer by layer. mu: (P). sigma: (P), or NULL for
 * the Fisher at w = mu. Noise: Philox stream VESICLE_STREAM_ANALYSIS of @seed, one draw (keyed
 * by its block number) per examples_per_sample examples. */
gboolean vesicle_fisher_diagonal (double                *fisher,
                                  double                *input_power,
                                  const VesicleShape    *shape,
                                  const float           *mu,
                                  const float           *sigma,
                                  guint64                seed,
                                  guint                  examples_per_sample,
                                  const VesicleExamples *examples,
                                  GCancellable          *cancellable,
                                  GError               **error);

/* The floating-point work vesicle_fisher_diagonal counts for: a forward pass and a backward pass
 * per class, for every example; the measure of plans and of the rate below. */
double   vesicle_fisher_flops               (gsize    n_params,
                                             guint    n_classes,
                                             guint64  n_examples);
/* This host's rate at it, in those units, over about @seconds of the paper's 784-100-10 network
 * on random inputs; one thread, as the importance experiment runs it. NAN if nothing ran. */
double   vesicle_fisher_measure_flops_per_s (double   seconds);

G_END_DECLS
