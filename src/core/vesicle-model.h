/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shape and hyperparameters of one stochastic network (paper Methods, Appendix 1).
 *
 * Every weight and bias is w = mu + sigma * xi, sigma = softplus(phi), xi ~ N(0, 1) drawn once per
 * minibatch. Per minibatch of B out of N examples the objective is
 *   sum_batch NLL + (B/N) * (lambda * sum|mu| + c * sum sigma^-rho)
 * so one epoch sums to the paper's Eq. 2. Variational Bayes (Bayes by backprop, Eq. 33-38) is
 * the same machinery with the cost -c * sum log sigma (the ELBO's entropy, c = 1) and a prior on
 * the sampled weights, prior_l1 * sum|w| (Laplace) or (prior_precision / 2) * sum w^2 (Gaussian),
 * also scaled by B/N. Homogeneous: one sigma for the whole network, its cost
 * counted once for each of its P parameters (P * c * sigma^-rho).
 *
 * Flat parameter layout of one network, layer by layer: W_l (O_l, I_l) row-major, then b_l (O_l).
 * Noise is keyed per tensor: the weights of layer l are tensor 2l (index o * I + i), its biases
 * tensor 2l + 1 (index o).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VESICLE_MAX_LAYERS 8

typedef enum {
  VESICLE_HEAD_SOFTMAX,   /* classification: softmax + cross-entropy on integer labels */
  VESICLE_HEAD_GAUSSIAN,  /* regression: N(y; f(x), noise_sd^2) per output */
} VesicleHead;

typedef enum {
  VESICLE_SIGMA_HETERO,   /* one sigma per synapse */
  VESICLE_SIGMA_HOMO,     /* one sigma shared by the whole network */
} VesicleSigmaSetting;

typedef struct {
  guint       n_layers;                          /* weight layers: hidden layers + 1 */
  guint       sizes[VESICLE_MAX_LAYERS + 1];     /* sizes[0] inputs ... sizes[n_layers] outputs */
  VesicleHead head;
  double      noise_sd;                          /* Gaussian head only: likelihood s.d. */
} VesicleShape;

typedef enum {
  VESICLE_COST_POWER,     /* energy-efficient: c * sum sigma^-rho (Eq. 2) */
  VESICLE_COST_ENTROPY,   /* variational Bayes: -c * sum log sigma, the ELBO's entropy (Eq. 33) */
} VesicleCost;

typedef struct {
  double              rho;     /* cost exponent: 1/2 calcium, 2/3 membrane, 4/3 actin, 2 trafficking */
  double              c;       /* cost multiplier (1 for exact variational Bayes) */
  double              lambda;  /* L1 on mu (the paper's magnitude cost) */
  VesicleSigmaSetting setting;
  guint64             seed;    /* init and noise; equal seeds share noise across a cohort */
  VesicleCost         cost;
  double              prior_l1;        /* Laplace prior on the sampled w: prior_l1 * sum|w| (Eq. 38) */
  double              prior_precision; /* Gaussian prior on w: (prior_precision / 2) * sum w^2 */
  double              lr;      /* this network's own learning rate; 0: the cohort's */
  gboolean            stopped; /* set by the trainer when the network diverged: its parameters
                                * hold still while the rest of the cohort trains on */
} VesicleHyper;

gsize    vesicle_shape_n_params        (const VesicleShape *shape);
gsize    vesicle_shape_layer_offset    (const VesicleShape *shape,
                                        guint               layer);
gsize    vesicle_shape_layer_n_params  (const VesicleShape *shape,
                                        guint               layer);
gboolean vesicle_shape_init            (VesicleShape       *shape,
                                        guint               n_inputs,
                                        const guint        *hidden,
                                        guint               n_hidden,
                                        guint               n_outputs,
                                        VesicleHead         head,
                                        GError            **error);

double   vesicle_softplus              (double x);
double   vesicle_softplus_inverse      (double y);
double   vesicle_sigmoid               (double x);

/* Noise for one network's flat layout: the same numbers the device draws. */
void     vesicle_model_draw_noise      (float              *xi,       /* (P) */
                                        const VesicleShape *shape,
                                        guint64             seed,
                                        guint32             step,
                                        guint32             stream);

/* Initial parameters: mu ~ U(-init_range, init_range) from the seed, phi = softplus^-1(sigma_init). */
void     vesicle_model_init_params     (float              *mu,       /* (P) */
                                        float              *phi,      /* (P) or (1) if homo */
                                        const VesicleShape *shape,
                                        VesicleSigmaSetting setting,
                                        guint64             seed,
                                        double              init_range,
                                        double              sigma_init);

G_END_DECLS
