/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-two-synapse.h"
#include "vesicle-reference.h"

#include <math.h>

void
vesicle_two_synapse_init (VesicleTwoSynapse *model)
{
  *model = (VesicleTwoSynapse) {
    .h = { 16.0, 1.0 }, .w_star = { 0.5, 0.5 }, .steps = 20000, .lr = 0.01,
  };
}

static double
softplus (double x)
{
  return x > 30 ? x : log1p (exp (x));
}

static double
softplus_inverse (double y)
{
  return y > 30 ? y : log (expm1 (y));
}

double
vesicle_two_synapse_objective (const VesicleTwoSynapse *model,
                               double                   rho,
                               double                   c,
                               const double            *phi,
                               guint                    n_phi,
                               double                  *grad_phi)
{
  double total = 0;

  g_return_val_if_fail (n_phi == 1 || n_phi == 2, NAN);
  if (grad_phi)
    for (guint j = 0; j < n_phi; j++)
      grad_phi[j] = 0;
  for (guint i = 0; i < 2; i++)
    {
      guint j = n_phi == 2 ? i : 0;
      double sigma = softplus (phi[j]);
      /* d sigma / d phi = sigmoid (phi) */
      double dsigma = 1.0 / (1.0 + exp (-phi[j]));

      total += 0.5 * model->h[i] * sigma * sigma + c * pow (sigma, -rho);
      if (grad_phi)
        grad_phi[j] += (model->h[i] * sigma - c * rho * pow (sigma, -rho - 1.0)) * dsigma;
    }
  return total;
}

/* Adam on phi from sigma = 0.1, as the engine trains sigma. */
static void
optimise (const VesicleTwoSynapse *model,
          double                   rho,
          double                   c,
          guint                    n_phi,
          double                  *sigma)
{
  double phi[2], m[2] = { 0 }, v[2] = { 0 }, grad[2];

  for (guint j = 0; j < n_phi; j++)
    phi[j] = softplus_inverse (0.1);
  for (guint t = 1; t <= model->steps; t++)
    {
      vesicle_two_synapse_objective (model, rho, c, phi, n_phi, grad);
      vesicle_reference_adam (phi, m, v, grad, n_phi, model->lr, 0.9, 0.999, 1e-8, t);
    }
  for (guint j = 0; j < n_phi; j++)
    sigma[j] = softplus (phi[j]);
}

void
vesicle_two_synapse_optimise (const VesicleTwoSynapse *model,
                              double                   rho,
                              double                   c,
                              VesicleTwoSynapseResult *r)
{
  *r = (VesicleTwoSynapseResult) { .rho = rho, .c = c, .steps = model->steps };
  optimise (model, rho, c, 2, r->sigma_hetero);
  optimise (model, rho, c, 1, &r->sigma_homo);
  r->reliability_cost = 0;
  r->performance_hetero = 0;
  for (guint i = 0; i < 2; i++)
    {
      r->sigma_analytic[i] = pow (c * rho / model->h[i], 1.0 / (rho + 2.0));
      r->reliability_cost += c * pow (r->sigma_hetero[i], -rho);
      r->performance_hetero += 0.5 * model->h[i] * r->sigma_hetero[i] * r->sigma_hetero[i];
    }
  /* one sigma for both synapses, paying what the optimised pair pays: 2 c s^-rho = cost */
  r->sigma_matched = pow (r->reliability_cost / (2.0 * c), -1.0 / rho);
  r->performance_matched = 0.5 * (model->h[0] + model->h[1]) * r->sigma_matched * r->sigma_matched;
}
