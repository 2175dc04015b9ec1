/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This step's noise and the sampled weights, w = mu + softplus(phi) * xi (Methods; Kingma et al.
 * 2015), one tensor (a layer's W or b) at a time:
 *   noise_draw      xi for one seed slot: drawn once, shared by every network with that seed
 *                   (common random numbers), kept for the backward pass
 *   sample_hetero   w for one network with a sigma per synapse
 *   sample_homo     w for one network with one shared sigma
 * Per-network values come in as scalar arguments and each kernel touches few buffers: with
 * per-network arrays or more pointers, PoCL 3.1 stopped vectorising these kernels (3-4x slower).
 */
#ifndef VESICLE_SAMPLE_KERNELS
#define VESICLE_SAMPLE_KERNELS

/* softplus(x) = log(1 + e^x): e^x itself below -15 (relative error < 2e-7), x above 20. */
VP_FN float
vesicle_softplusf (float x)
{
  float e = exp (x);

  return x > 20.0f ? x : x < -15.0f ? e : vesicle_log1pf (e);
}

VP_FN float
vesicle_sigmoidf (float x)
{
  return 1.0f / (1.0f + exp (-x));
}

/* x^a for x > 0 through the vectorised log (pow() is scalar and slow on PoCL) */
VP_FN float
vesicle_powf (float x, float a)
{
  return exp (a * vesicle_logf (fmax (x, FLT_MIN)));
}

__kernel void
noise_draw (__global float *restrict xi,     /* (n) at xoff */
            const uint                n,
            const ulong               seed,
            const uint                step,
            const uint                tensor,  /* 2 * layer + (bias ? 1 : 0) */
            const uint                stream,
            const uint                xoff)
{
  const uint q = get_global_id (0);
  const size_t j0 = 4 * (size_t) q;
  float z[4];

  if (j0 >= n)
    return;
  vesicle_normal4 (z, seed, step, tensor, stream, q);
  /* Always four stores, no tail branch (it stopped vectorisation): a tensor whose length is not a
   * multiple of 4 spills up to 3 values into the next region of the noise buffer, which is drawn
   * after this one in queue order, or into the buffer's padding. */
  vstore4 ((float4) (z[0], z[1], z[2], z[3]), 0, xi + xoff + j0);
}

__kernel void
sample_hetero (__global float       *restrict w,     /* (n) at off */
               __global const float *restrict mu,    /* (n) at off */
               __global const float *restrict phi,   /* (n) at off */
               __global const float *restrict xi,    /* (n) at xoff */
               const uint                      n,
               const uint                      off,
               const uint                      xoff)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;
  w[off + i] = mu[off + i] + vesicle_softplusf (phi[off + i]) * xi[xoff + i];
}

__kernel void
sample_homo (__global float       *restrict w,         /* (n) at off */
             __global const float *restrict mu,        /* (n) at off */
             __global const float *restrict xi,        /* (n) at xoff */
             __global const float *restrict phi_homo,  /* (K) */
             const uint                      k,
             const uint                      n,
             const uint                      off,
             const uint                      xoff)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;
  w[off + i] = mu[off + i] + vesicle_softplusf (phi_homo[k]) * xi[xoff + i];
}

#endif
