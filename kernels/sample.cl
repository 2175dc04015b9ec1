/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sample_forward: this step's noise and the sampled weights of one tensor (a layer's W or b) for
 * all K networks of a cohort, w = mu + softplus(phi) * xi (Methods; Kingma et al. 2015).
 * Work item (q, s) draws the four normals 4q .. 4q+3 of seed slot s once and serves every network
 * whose seed is in that slot (common random numbers), so the cost is S draws, not K.
 * The noise is kept in xi for the backward pass.
 */
#ifndef VESICLE_SAMPLE_KERNELS
#define VESICLE_SAMPLE_KERNELS

inline float
vesicle_softplusf (float x)
{
  return x > 20.0f ? x : log1p (exp (x));
}

inline float
vesicle_sigmoidf (float x)
{
  return 1.0f / (1.0f + exp (-x));
}

__kernel void
sample_forward (__global float       *w,         /* (K, n) */
                __global float       *xi,        /* (S, n) */
                __global const float *mu,        /* (K, n) */
                __global const float *phi,       /* (K, n) hetero networks */
                __global const float *phi_homo,  /* (K) homogeneous networks */
                __global const int   *homo,      /* (K) */
                __global const int   *slot,      /* (K) seed slot of each network */
                __global const ulong *seeds,     /* (S) */
                const uint            n,
                const uint            K,
                const uint            step,
                const uint            tensor,    /* 2 * layer + (bias ? 1 : 0) */
                const uint            stream,
                const int             mean_only,
                const uint            base,      /* this tensor's offset in the cohort layout */
                const uint            xbase)     /* and in the noise layout */
{
  const uint q = get_global_id (0);
  const uint s = get_global_id (1);
  const uint j0 = 4 * q;
  float z[4];

  if (j0 >= n)
    return;
  w += base;
  mu += base;
  phi += base;
  xi += xbase;

  if (mean_only)
    {
      for (uint k = 0; k < K; k++)
        if (slot[k] == (int) s)
          for (uint d = 0; d < 4 && j0 + d < n; d++)
            w[(size_t) k * n + j0 + d] = mu[(size_t) k * n + j0 + d];
      return;
    }

  vesicle_normal4 (z, seeds[s], step, tensor, stream, q);
  for (uint d = 0; d < 4 && j0 + d < n; d++)
    xi[(size_t) s * n + j0 + d] = z[d];

  for (uint k = 0; k < K; k++)
    {
      if (slot[k] != (int) s)
        continue;
      const size_t at = (size_t) k * n + j0;
      const float sigma_h = homo[k] ? vesicle_softplusf (phi_homo[k]) : 0.0f;
      for (uint d = 0; d < 4 && j0 + d < n; d++)
        {
          float sigma = homo[k] ? sigma_h : vesicle_softplusf (phi[at + d]);
          w[at + d] = mu[at + d] + sigma * z[d];
        }
    }
}

#endif
