/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain float64 implementation (llm.c style) of one stochastic network's forward and backward
 * pass, the objective of vesicle-model.h, and Adam. It is the yardstick every OpenCL kernel and
 * every gradient is tested against; it is not used for training.
 */
#pragma once

#include "vesicle-model.h"

G_BEGIN_DECLS

/* Objective over one minibatch with given noise xi (same layout as mu):
 *   sum_b NLL_b + scale * (lambda * sum|mu| + reliability cost)
 * with scale = B/N. Writes d objective / d mu (P) and d objective / d phi ((P), or (1) if homo).
 * targets: class labels as doubles (B) for the softmax head, (B, n_out) for the Gaussian head.
 * Any of grad_mu, grad_phi, nll_out, n_correct_out may be NULL. Returns the objective. */
double vesicle_reference_objective (double             *grad_mu,
                                    double             *grad_phi,
                                    double             *nll_out,
                                    guint              *n_correct_out,
                                    const VesicleShape *shape,
                                    const VesicleHyper *hyper,
                                    const double       *mu,       /* (P) */
                                    const double       *phi,      /* (P) or (1) */
                                    const double       *xi,       /* (P) */
                                    const double       *x,        /* (B, n_in) */
                                    const double       *targets,
                                    guint               B,
                                    double              scale);

/* Outputs (B, n_out) of the network with weights w (P) on x (B, n_in); hidden, if not NULL,
 * receives each hidden layer's post-ReLU activations, (B, sizes[l]) one layer after another. */
void   vesicle_reference_forward   (double             *out,
                                    double             *hidden,
                                    const VesicleShape *shape,
                                    const double       *w,
                                    const double       *x,
                                    guint               B);

/* Reliability cost c * sum sigma^-rho (hetero) or P * c * sigma^-rho (homo). */
double vesicle_reference_reliability_cost (const VesicleShape *shape,
                                           const VesicleHyper *hyper,
                                           const double       *phi);

/* One Adam step (Kingma & Ba, with bias correction; t counts from 1). */
void   vesicle_reference_adam      (double       *param,
                                    double       *m,
                                    double       *v,
                                    const double *grad,
                                    gsize         n,
                                    double        lr,
                                    double        beta1,
                                    double        beta2,
                                    double        eps,
                                    guint         t);

G_END_DECLS
