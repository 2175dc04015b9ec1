/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parameter update of one tensor for all K networks: gradients of the objective
 *   sum_batch NLL + scale * (lambda * sum|mu| + c * sum sigma^-rho),     scale = B / N
 * through w = mu + softplus(phi) * xi, followed by Adam, fused in one pass over memory.
 *   d/dmu  = g + scale * lambda * sign(mu)
 *   d/dphi = (g * xi - scale * c * rho * sigma^(-rho-1)) * sigmoid(phi)      (heterogeneous)
 * with g = d(sum NLL)/dw from the backward GEMMs. Homogeneous networks share one phi: here each
 * work-group only sums g * xi into homo_partial; homo_update then finishes their phi.
 * Gradients are clamped to +-1e18 so that Adam's v = g^2 stays finite in float32 (the cost
 * gradient at sigma = 1e-4 is huge, and Adam is invariant to the scale of g anyway).
 */
#ifndef ADAM_LOCAL
#define ADAM_LOCAL 64
#endif
#define VESICLE_GRAD_CLAMP 1e18f

inline float
adam_step (__global float *p, __global float *m, __global float *v, float g,
           float lr_t, float bc2_sqrt, float beta1, float beta2, float eps)
{
  g = clamp (g, -VESICLE_GRAD_CLAMP, VESICLE_GRAD_CLAMP);
  const float mn = beta1 * *m + (1.0f - beta1) * g;
  const float vn = beta2 * *v + (1.0f - beta2) * g * g;
  *m = mn;
  *v = vn;
  *p -= lr_t * mn / (sqrt (vn) / bc2_sqrt + eps);
  return g;
}

__kernel __attribute__ ((reqd_work_group_size (ADAM_LOCAL, 1, 1))) void
adam_update (__global float       *mu,          /* (K, n) */
             __global float       *phi,         /* (K, n) */
             __global float       *m_mu,        /* (K, n) */
             __global float       *v_mu,        /* (K, n) */
             __global float       *m_phi,       /* (K, n) */
             __global float       *v_phi,       /* (K, n) */
             __global const float *grad,        /* (K, n) d(sum NLL)/dw */
             __global const float *xi,          /* (S, n) */
             __global const int   *homo,        /* (K) */
             __global const int   *slot,        /* (K) */
             __global const float *rho,         /* (K) */
             __global const float *cost_c,      /* (K) */
             __global const float *lambda,      /* (K) */
             __global float       *homo_partial,/* (K, n_partials) */
             const uint            partial_base,
             const uint            n_partials,
             __global float       *keep_gmu,    /* (K, n) when keep */
             __global float       *keep_gphi,   /* (K, n) when keep */
             const int             keep,
             const uint            n,
             const float           scale,
             const float           lr_t,        /* lr / (1 - beta1^t) */
             const float           bc2_sqrt,    /* sqrt (1 - beta2^t) */
             const float           beta1,
             const float           beta2,
             const float           eps,
             const uint            base,        /* this tensor's offset in the cohort layout */
             const uint            xbase)       /* and in the noise layout */
{
  __local float scratch[ADAM_LOCAL];
  const uint k = get_global_id (1);
  const uint lid = get_local_id (0);
  const int is_homo = homo[k];
  const float r = rho[k];
  const float cost_scale = scale * cost_c[k] * r;
  const float l1 = scale * lambda[k];
  __global const float *xik = xi + xbase + (size_t) slot[k] * n;
  float acc = 0.0f;

  for (uint i = get_global_id (0); i < n; i += get_global_size (0))
    {
      const size_t at = base + (size_t) k * n + i;
      const float g = grad[at];
      const float x = xik[i];
      float gm = adam_step (&mu[at], &m_mu[at], &v_mu[at], g + l1 * sign (mu[at]),
                            lr_t, bc2_sqrt, beta1, beta2, eps);
      if (keep)
        keep_gmu[at] = gm;
      if (is_homo)
        {
          acc += g * x;
          continue;
        }
      const float p = phi[at];
      const float sigma = vesicle_softplusf (p);
      const float gp = (g * x - cost_scale * pow (sigma, -r - 1.0f)) * vesicle_sigmoidf (p);
      float gpc = adam_step (&phi[at], &m_phi[at], &v_phi[at], gp,
                             lr_t, bc2_sqrt, beta1, beta2, eps);
      if (keep)
        keep_gphi[at] = gpc;
    }

  /* Every group writes its partial (zero for heterogeneous networks): a fixed reduction order. */
  scratch[lid] = acc;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (uint width = ADAM_LOCAL / 2; width > 0; width >>= 1)
    {
      if (lid < width)
        scratch[lid] += scratch[lid + width];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0)
    homo_partial[(size_t) k * n_partials + partial_base + get_group_id (0)] = scratch[0];
}

/* Finishes the homogeneous networks: d/dphi = (sum g xi - scale P c rho sigma^(-rho-1)) sigmoid(phi). */
__kernel void
homo_update (__global float       *phi_homo,    /* (K) */
             __global float       *m_phi_homo,  /* (K) */
             __global float       *v_phi_homo,  /* (K) */
             __global const float *homo_partial,/* (K, n_partials) */
             __global const int   *homo,        /* (K) */
             __global const float *rho,         /* (K) */
             __global const float *cost_c,      /* (K) */
             __global float       *keep_gphi,   /* (K) when keep */
             const int             keep,
             const uint            n_partials,
             const uint            K,
             const float           n_params,    /* P */
             const float           scale,
             const float           lr_t,
             const float           bc2_sqrt,
             const float           beta1,
             const float           beta2,
             const float           eps)
{
  const uint k = get_global_id (0);

  if (k >= K || !homo[k])
    return;
  float sum = 0.0f;
  for (uint i = 0; i < n_partials; i++)
    sum += homo_partial[(size_t) k * n_partials + i];
  const float p = phi_homo[k];
  const float sigma = vesicle_softplusf (p);
  const float gp = (sum - scale * n_params * cost_c[k] * rho[k] * pow (sigma, -rho[k] - 1.0f))
                   * vesicle_sigmoidf (p);
  float g = adam_step (&phi_homo[k], &m_phi_homo[k], &v_phi_homo[k], gp,
                       lr_t, bc2_sqrt, beta1, beta2, eps);
  if (keep)
    keep_gphi[k] = g;
}
