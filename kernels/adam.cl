/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parameter update of one tensor of one network: gradients of the objective
 *   sum_batch NLL + scale * (lambda * sum|mu| + c * sum sigma^-rho),     scale = B / N
 * through w = mu + softplus(phi) * xi, followed by Adam, fused in one pass over memory.
 *   d/dmu  = g + scale * lambda * sign(mu)
 *   d/dphi = (g * xi - scale * c * rho * sigma^(-rho-1)) * sigmoid(phi)      (heterogeneous)
 * with g = d(sum NLL)/dw from the backward GEMMs, plus, for variational Bayes, the gradient of the
 * prior on the sampled w: scale (prior_l1 sign(w) + prior_precision w), passed in pre-scaled. Homogeneous networks share one phi:
 * adam_homo leaves g * xi behind, homo_reduce sums it per work-group, homo_update finishes phi.
 * Gradients are clamped to +-1e18 so that Adam's v = g^2 stays finite in float32 (the cost
 * gradient at sigma = 1e-4 is huge, and Adam is invariant to the scale of g anyway).
 * As in sample.cl, per-network values are scalar arguments, for PoCL's vectoriser.
 */
#ifndef ADAM_LOCAL
#define ADAM_LOCAL 64
#endif
#define VESICLE_GRAD_CLAMP 1e18f

VP_FN float
grad_mu (float g, float mu, float scale_lambda)
{
  return clamp (g + scale_lambda * sign (mu), -VESICLE_GRAD_CLAMP, VESICLE_GRAD_CLAMP);
}

/* cost_grad = scale_c_rho * sigma^(-cost_rho - 1): the power cost c sigma^-rho has
 * scale_c_rho = scale c rho, cost_rho = rho; the entropy cost -c log sigma (variational Bayes)
 * has scale_c_rho = scale c, cost_rho = 0. One exp serves softplus and sigmoid: transcendentals
 * are most of this kernel's time. */
VP_FN float
grad_phi (float g, float x, float p, float cost_rho, float scale_c_rho)
{
  const float e = exp (fmin (p, 20.0f));
  const float sigma = p > 20.0f ? p : p < -15.0f ? e : vesicle_log1pf (e);
  const float dsigma = e / (1.0f + e);                         /* sigmoid (p) */
  const float cost_grad = scale_c_rho * vesicle_powf (sigma, -cost_rho - 1.0f);

  return clamp ((g * x - cost_grad) * dsigma, -VESICLE_GRAD_CLAMP, VESICLE_GRAD_CLAMP);
}

/* Adam with bias correction folded in: lr_t = lr / (1 - beta1^t), bc2_sqrt = sqrt (1 - beta2^t).
 * mu takes its own lr_mu_t: 0 holds the means while sigma settles (VesicleCohortConfig.freeze_mu). */
#define ADAM_STEP(param, m, v, g, lr) \
  do { \
    const float mn_ = beta1 * (m) + (1.0f - beta1) * (g); \
    const float vn_ = beta2 * (v) + (1.0f - beta2) * (g) * (g); \
    (m) = mn_; \
    (v) = vn_; \
    (param) -= (lr) * mn_ / (sqrt (vn_) / bc2_sqrt + eps); \
  } while (0)

/* Also samples the next step's weights from the updated parameters, w = mu + sigma xi_next:
 * that saves a whole pass (sample_hetero) over the parameters every step. */
__kernel void
adam_hetero (__global float       *restrict w,       /* (n) at off: next step's weights */
             __global float       *restrict mu,      /* (n) at off */
             __global float       *restrict phi,
             __global float       *restrict m_mu,
             __global float       *restrict v_mu,
             __global float       *restrict m_phi,
             __global float       *restrict v_phi,
             __global const float *restrict grad,    /* d(sum NLL)/dw */
             __global const float *restrict xi,      /* (n) at xoff: this step's noise */
             __global const float *restrict xi_next, /* (n) at xoff: the next step's */
             const uint                      n,
             const uint                      off,
             const uint                      xoff,
             const float                     cost_rho,
             const float                     scale_c_rho,
             const float                     scale_lambda,
             const float                     prior_l1,
             const float                     prior_precision,
             const float                     lr_t,
             const float                     lr_mu_t,
             const float                     bc2_sqrt,
             const float                     beta1,
             const float                     beta2,
             const float                     eps)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const size_t at = (size_t) off + i;
  const float wv = w[at];
  const float g = grad[at] + prior_l1 * sign (wv) + prior_precision * wv;
  const float gm = grad_mu (g, mu[at], scale_lambda);
  const float gp = grad_phi (g, xi[(size_t) xoff + i], phi[at], cost_rho, scale_c_rho);

  ADAM_STEP (mu[at], m_mu[at], v_mu[at], gm, lr_mu_t);
  ADAM_STEP (phi[at], m_phi[at], v_phi[at], gp, lr_t);
  w[at] = mu[at] + vesicle_softplusf (phi[at]) * xi_next[(size_t) xoff + i];
}

__kernel void
adam_homo (__global float       *restrict mu,      /* (n) at off */
           __global float       *restrict m_mu,
           __global float       *restrict v_mu,
           __global float       *restrict grad,    /* d(sum NLL)/dw, then g * xi */
           __global const float *restrict w,       /* (n) at off: this step's weights */
           __global const float *restrict xi,      /* (n) at xoff */
           const uint                      n,
           const uint                      off,
           const uint                      xoff,
           const float                     scale_lambda,
           const float                     prior_l1,
           const float                     prior_precision,
           const float                     lr_mu_t,
           const float                     bc2_sqrt,
           const float                     beta1,
           const float                     beta2,
           const float                     eps)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const size_t at = (size_t) off + i;
  const float g = grad[at] + prior_l1 * sign (w[at]) + prior_precision * w[at];
  const float gm = grad_mu (g, mu[at], scale_lambda);

  ADAM_STEP (mu[at], m_mu[at], v_mu[at], gm, lr_mu_t);
  grad[at] = g * xi[(size_t) xoff + i];
}

/* Tests only: the gradients the update is about to use (heterogeneous d/dphi too). */
__kernel void
keep_gradients (__global float       *restrict keep_gmu,
                __global float       *restrict keep_gphi,
                __global const float *restrict mu,
                __global const float *restrict phi,
                __global const float *restrict grad,
                __global const float *restrict w,
                __global const float *restrict xi,
                const uint                      n,
                const uint                      off,
                const uint                      xoff,
                const float                     cost_rho,
                const float                     scale_c_rho,
                const float                     scale_lambda,
                const float                     prior_l1,
                const float                     prior_precision)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const size_t at = (size_t) off + i;
  const float g = grad[at] + prior_l1 * sign (w[at]) + prior_precision * w[at];

  keep_gmu[at] = grad_mu (g, mu[at], scale_lambda);
  keep_gphi[at] = grad_phi (g, xi[(size_t) xoff + i], phi[at], cost_rho, scale_c_rho);
}

/* Sums g * xi of one tensor of one homogeneous network, one value per work-group, in a fixed
 * order (the result does not depend on scheduling). */
__kernel __attribute__ ((reqd_work_group_size (ADAM_LOCAL, 1, 1))) void
homo_reduce (__global float       *restrict partial,   /* (groups) at partial_off */
             __global const float *restrict gxi,       /* (n) at off */
             const uint                      n,
             const uint                      off,
             const uint                      partial_off)
{
  __local float scratch[ADAM_LOCAL];
  const uint lid = get_local_id (0);
  float acc = 0.0f;

  for (uint i = get_global_id (0); i < n; i += get_global_size (0))
    acc += gxi[(size_t) off + i];
  scratch[lid] = acc;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (uint width = ADAM_LOCAL / 2; width > 0; width >>= 1)
    {
      if (lid < width)
        scratch[lid] += scratch[lid + width];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0)
    partial[partial_off + get_group_id (0)] = scratch[0];
}

/* Finishes one homogeneous network:
 * d/dphi = (sum g xi - P scale_c_rho sigma^(-cost_rho-1)) sigmoid(phi). One work item. */
__kernel void
homo_update (__global float       *restrict phi_homo,    /* (K) */
             __global float       *restrict m_phi_homo,  /* (K) */
             __global float       *restrict v_phi_homo,  /* (K) */
             __global float       *restrict keep_gphi,   /* (K) */
             __global const float *restrict partial,     /* (n_partials) at partial_off */
             const uint                      k,
             const uint                      partial_off,
             const uint                      n_partials,
             const float                     cost_rho,
             const float                     scale_c_rho_p, /* scale_c_rho * P */
             const int                       keep,
             const float                     lr_t,
             const float                     bc2_sqrt,
             const float                     beta1,
             const float                     beta2,
             const float                     eps)
{
  float sum = 0.0f;

  if (get_global_id (0) != 0)
    return;
  for (uint i = 0; i < n_partials; i++)
    sum += partial[partial_off + i];
  const float gp = grad_phi (sum, 1.0f, phi_homo[k], cost_rho, scale_c_rho_p);
  ADAM_STEP (phi_homo[k], m_phi_homo[k], v_phi_homo[k], gp, lr_t);
  if (keep)
    keep_gphi[k] = gp;
}
