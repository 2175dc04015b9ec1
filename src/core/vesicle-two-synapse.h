/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fig 4, computed: the paper's two-synapse argument for why optimised, heterogeneous noise beats
 * homogeneous noise. Two synapses share a quadratic performance cost with one steep and one flat
 * direction,
 *   L(w) = 1/2 h_1 (w_1 − w*_1)^2 + 1/2 h_2 (w_2 − w*_2)^2,   h_1 ≫ h_2,
 * so that w_1 is the important synapse (Fig 4a) and w_2 the unimportant one (Fig 4b). With
 * w = μ + σ ξ the expected cost is L(μ) + 1/2 Σ h_i σ_i^2; the reliability cost is c Σ σ_i^−ρ.
 * For each of the four costs the noise is optimised with the engine's float64 Adam
 * (vesicle_reference_adam) on σ = softplus(φ): per synapse (heterogeneous) and shared
 * (homogeneous). The heterogeneous optimum is Eq 29's σ_i^(ρ+2) = c ρ / h_i; the posterior of the
 * same quadratic, read as a Gaussian log-likelihood with a broad prior, has σ_post,i^2 = 1 / h_i.
 * Fig 4d compares, at the same reliability cost as the heterogeneous optimum, the performance
 * cost of homogeneous noise (one σ whose cost equals the two optimised σ_i's) with the optimised
 * heterogeneous noise's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double rho;
  double c;
  /* optimised by Adam */
  double sigma_hetero[2];
  double sigma_homo;                /* the homogeneous optimum (its own reliability cost) */
  /* Eq 29, for the check */
  double sigma_analytic[2];
  /* Fig 4c/d: homogeneous noise with the heterogeneous optimum's reliability cost */
  double sigma_matched;
  double reliability_cost;          /* c Σ σ_i^−ρ of the heterogeneous optimum = of matched */
  double performance_hetero;        /* 1/2 Σ h_i σ_i^2 */
  double performance_matched;
  guint  steps;                     /* Adam steps taken */
} VesicleTwoSynapseResult;

/* The two curvatures (h_1 steep, h_2 flat), the optimum w*, and the steps and learning rate of
 * the optimisation. */
typedef struct {
  double h[2];
  double w_star[2];
  guint  steps;
  double lr;
} VesicleTwoSynapse;

/* The defaults of Fig 4: h = (16, 1), w* = (0.5, 0.5), 20,000 steps at lr 0.01. */
void   vesicle_two_synapse_init      (VesicleTwoSynapse             *model);
/* The expected objective 1/2 Σ h_i σ_i^2 + c Σ σ_i^−ρ at φ (σ = softplus φ; @n_phi 2 for
 * heterogeneous, 1 for a shared σ), and its gradient in φ (may be NULL). */
double vesicle_two_synapse_objective (const VesicleTwoSynapse       *model,
                                      double                         rho,
                                      double                         c,
                                      const double                  *phi,
                                      guint                          n_phi,
                                      double                        *grad_phi);
/* Optimises both settings for one cost. */
void   vesicle_two_synapse_optimise  (const VesicleTwoSynapse       *model,
                                      double                         rho,
                                      double                         c,
                                      VesicleTwoSynapseResult       *result);

G_END_DECLS
