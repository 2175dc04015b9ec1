/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This step's noise and the sampled weights, w = mu + softplus(phi) * xi (Methods; Kingma et al.
 * 2015), one tensor (a layer's W or b) at a time:
 *   noise_draw      xi for one seed slot: drawn once, shared by every network with that seed
 *                   (common random numbers), kept for the backward pass
 *   sample_weights  w for every network of the cohort in one launch (dimension 1: the network),
 *                   or only for those with one shared sigma
 * Also the float8 maths and the per-network table that adam.cl shares.
 */
#ifndef VESICLE_SAMPLE_KERNELS
#define VESICLE_SAMPLE_KERNELS

/* One network's row of the per-network table (NetHyper in src/cl/vesicle-cl-cohort.c, the same
 * layout): read by the kernels that serve all K networks in one launch. */
typedef struct {
  float cost_rho;         /* rho of c sigma^-rho; 0 for the entropy cost -c log sigma */
  float scale_c_rho;      /* scale c rho (power cost) or scale c (entropy) */
  float scale_lambda;
  float prior_l1;         /* pre-scaled, variational Bayes only */
  float prior_precision;
  float lr;               /* Adam's rate before bias correction */
  float lr_mu;            /* 0 holds the means while sigma settles (freeze_mu) */
  uint  homo;             /* one shared sigma */
  uint  active;           /* 0: diverged, holds still, its weights those of its last step */
  uint  slot;             /* seed slot: its noise is xi at slot * n */
} NetHyper;

/* vesicle_logf of eight values (vesicle_philox.h has why it is written out). */
VP_FN float8
vesicle_logf8 (float8 x)
{
  const int8 ix = as_int8 (x);
  const int8 big = as_float8 ((ix & 0x7fffff) | 0x3f800000) > 1.41421356f;  /* -1 where true */
  const int8 e = ((ix >> 23) & 0xff) - 127 - big;
  float8 m = as_float8 ((ix & 0x7fffff) | 0x3f800000);
  float8 s, s2;

  m = big ? m * 0.5f : m;
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  return convert_float8 (e) * 0.693147181f
         + s * (2.0f + s2 * (0.666666667f + s2 * (0.4f + s2 * (0.285714286f + s2 * 0.222222222f))));
}

VP_FN float8
vesicle_log1pf8 (float8 u)
{
  const float8 w = 1.0f + u;

  return w == 1.0f ? u : vesicle_logf8 (w) * (u / (w - 1.0f));
}

/* softplus(p) = log(1 + e^p) from e = exp(min(p, 20)): e itself below -15 (relative error
 * < 2e-7), p above 20. adam.cl has e at hand already for the sigmoid. */
VP_FN float8
softplus_from_exp8 (float8 p,
                    float8 e)
{
  return p > 20.0f ? p : p < -15.0f ? e : vesicle_log1pf8 (e);
}

/* Eight floats from p + j, where j + 8 may pass the tensor's end: the lanes past it read 0
 * (and are never stored). Only the last work-item of a tensor takes the slow path. */
VP_FN float8
load8 (__global const float *p,
       size_t                j,
       size_t                end)
{
  float8 v = 0.0f;

  if (j + 8 <= end)
    return vload8 (0, p + j);
  v.s0 = p[j];
  if (j + 1 < end) v.s1 = p[j + 1];
  if (j + 2 < end) v.s2 = p[j + 2];
  if (j + 3 < end) v.s3 = p[j + 3];
  if (j + 4 < end) v.s4 = p[j + 4];
  if (j + 5 < end) v.s5 = p[j + 5];
  if (j + 6 < end) v.s6 = p[j + 6];
  return v;
}

VP_FN void
store8 (float8          v,
        __global float *p,
        size_t          j,
        size_t          end)
{
  if (j + 8 <= end)
    {
      vstore8 (v, 0, p + j);
      return;
    }
  p[j] = v.s0;
  if (j + 1 < end) p[j + 1] = v.s1;
  if (j + 2 < end) p[j + 2] = v.s2;
  if (j + 3 < end) p[j + 3] = v.s3;
  if (j + 4 < end) p[j + 4] = v.s4;
  if (j + 5 < end) p[j + 5] = v.s5;
  if (j + 6 < end) p[j + 6] = v.s6;
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

/* w = mu + sigma xi, eight weights per work-item; homo_only: the networks with one shared sigma
 * only (the others got theirs from adam_update). */
__kernel void
sample_weights (__global float          *restrict w,         /* (K, n) at off */
                __global const float    *restrict mu,        /* (K, n) at off */
                __global const float    *restrict phi,       /* (K, n) at off */
                __global const float    *restrict xi,        /* (S, n) at xoff */
                __global const float    *restrict phi_homo,  /* (K) */
                __global const NetHyper *restrict hyper,     /* (K) */
                const uint                         n,
                const uint                         off,
                const uint                         xoff,
                const int                          homo_only)
{
  const size_t j = 8 * (size_t) get_global_id (0);
  const uint k = get_global_id (1);
  const NetHyper h = hyper[k];

  if (j >= n || (homo_only && !h.homo))
    return;

  const size_t at = (size_t) off + (size_t) k * n + j, end = (size_t) off + (size_t) (k + 1) * n;
  const size_t xat = (size_t) xoff + (size_t) h.slot * n + j, xend = xat - j + n;
  const float8 p = h.homo ? (float8) (phi_homo[k]) : load8 (phi, at, end);

  store8 (load8 (mu, at, end) + softplus_from_exp8 (p, exp (fmin (p, 20.0f))) * load8 (xi, xat, xend),
          w, at, end);
}

#endif
