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
  /* 127 + big, not - 127 - big: the same integers, which oclgrind 21.10 computes wrongly the
   * other way round for vectors (253 for -1; tools/oclgrind-repro.c) */
  const int8 e = ((ix >> 23) & 0xff) - (127 + big);
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

/* The high words of eight 32 x 32-bit products, as two ulong4 (one AVX register each: a ulong8
 * argument makes the compiler warn about the ABI without AVX-512). */
VP_FN uint8
mulhi8 (uint8 a,
        uint  b)
{
  const ulong4 lo = convert_ulong4 (a.lo) * (ulong) b, hi = convert_ulong4 (a.hi) * (ulong) b;

  return (uint8) (convert_uint4 (lo >> 32), convert_uint4 (hi >> 32));
}

/* Philox4x32-10 of eight counters at once, (c0 lanes, c1, c2, c3): vesicle_philox4x32_10 lane by
 * lane, bit for bit. The high words come from vector 64-bit products (mul_hi is scalar on
 * PoCL). */
VP_FN void
philox8 (uint8 *c0,
         uint8 *c1,
         uint8 *c2,
         uint8 *c3,
         uint   k0,
         uint   k1)
{
  for (int r = 0; r < 10; r++)
    {
      const uint8 hi0 = mulhi8 (*c0, VESICLE_PHILOX_M0), lo0 = *c0 * VESICLE_PHILOX_M0;
      const uint8 hi1 = mulhi8 (*c2, VESICLE_PHILOX_M1), lo1 = *c2 * VESICLE_PHILOX_M1;

      *c0 = hi1 ^ *c1 ^ k0;
      *c1 = lo1;
      *c2 = hi0 ^ *c3 ^ k1;
      *c3 = lo0;
      k0 += VESICLE_PHILOX_W0;
      k1 += VESICLE_PHILOX_W1;
    }
}

/* sin(pi t) and cos(pi t) for t in [0, 2]: a quarter-turn reduction, exact here, and Cephes'
 * sinf/cosf polynomials on [-pi/4, pi/4] (about 1e-7 absolute; sinpi/cospi are scalar on PoCL). */
VP_FN void
sincospi8 (float8  t,
           float8 *s,
           float8 *c)
{
  const float8 q = rint (2.0f * t);
  const float8 x = (t - 0.5f * q) * 3.14159265f;
  const float8 x2 = x * x;
  const float8 sn = x + x * x2 * (-1.6666654611e-1f + x2 * (8.3321608736e-3f + x2 * -1.9515295891e-4f));
  const float8 cs = 1.0f - 0.5f * x2
                    + x2 * x2 * (4.166664568298827e-2f + x2 * (-1.388731625493765e-3f
                                                               + x2 * 2.443315711809948e-5f));
  const int8 quadrant = convert_int8 (q) & 3;

  *s = quadrant == 0 ? sn : quadrant == 1 ? cs : quadrant == 2 ? -sn : -cs;
  *c = quadrant == 0 ? cs : quadrant == 1 ? -sn : quadrant == 2 ? -cs : sn;
}

/* vesicle_u01 of eight values */
VP_FN float8
u01_8 (uint8 x)
{
  return (convert_float8 (x >> 9) + 0.5f) * (1.0f / 8388608.0f);
}

/* Four normals of one Philox block at out, the block's index within the tensor's values 4 b;
 * only as many as are left before the tensor's end. */
VP_FN void
store_normals (float4          z,
               __global float *out,
               size_t          left)
{
  if (left >= 4)
    {
      vstore4 (z, 0, out);
      return;
    }
  if (left > 0) out[0] = z.s0;
  if (left > 1) out[1] = z.s1;
  if (left > 2) out[2] = z.s2;
}

/* The values 32 q .. 32 q + 31 of one tensor's noise: eight Philox blocks, as vesicle_normal4
 * draws them on the host (the same bits; the normals to a few ulps). */
__kernel void
noise_draw (__global float *RESTRICT xi,     /* (n) at xoff */
            const uint                n,
            const ulong               seed,
            const uint                step,
            const uint                tensor,  /* 2 * layer + (bias ? 1 : 0) */
            const uint                stream,
            const uint                xoff)
{
  const uint q = get_global_id (0);
  const size_t j0 = 32 * (size_t) q;

  if (j0 >= n)
    return;

  uint8 c0 = 8 * q + (uint8) (0, 1, 2, 3, 4, 5, 6, 7), c1 = tensor, c2 = step, c3 = stream;
  float8 s0, k0, s1, k1;

  philox8 (&c0, &c1, &c2, &c3, (uint) (seed & 0xffffffffu), (uint) (seed >> 32));

  const float8 r0 = sqrt (-2.0f * vesicle_logf8 (u01_8 (c0)));
  const float8 r1 = sqrt (-2.0f * vesicle_logf8 (u01_8 (c2)));

  sincospi8 (2.0f * u01_8 (c1), &s0, &k0);
  sincospi8 (2.0f * u01_8 (c3), &s1, &k1);

  const float8 z0 = r0 * k0, z1 = r0 * s0, z2 = r1 * k1, z3 = r1 * s1;
  __global float *out = xi + xoff + j0;
  const size_t left = n - j0;

  store_normals ((float4) (z0.s0, z1.s0, z2.s0, z3.s0), out, left);
  if (left <= 4) return;
  store_normals ((float4) (z0.s1, z1.s1, z2.s1, z3.s1), out + 4, left - 4);
  if (left <= 8) return;
  store_normals ((float4) (z0.s2, z1.s2, z2.s2, z3.s2), out + 8, left - 8);
  if (left <= 12) return;
  store_normals ((float4) (z0.s3, z1.s3, z2.s3, z3.s3), out + 12, left - 12);
  if (left <= 16) return;
  store_normals ((float4) (z0.s4, z1.s4, z2.s4, z3.s4), out + 16, left - 16);
  if (left <= 20) return;
  store_normals ((float4) (z0.s5, z1.s5, z2.s5, z3.s5), out + 20, left - 20);
  if (left <= 24) return;
  store_normals ((float4) (z0.s6, z1.s6, z2.s6, z3.s6), out + 24, left - 24);
  if (left <= 28) return;
  store_normals ((float4) (z0.s7, z1.s7, z2.s7, z3.s7), out + 28, left - 28);
}

/* w = mu + sigma xi, eight weights per work-item; homo_only: the networks with one shared sigma
 * only (the others got theirs from adam_update). */
__kernel void
sample_weights (__global float          *RESTRICT w,         /* (K, n) at off */
                __global const float    *RESTRICT mu,        /* (K, n) at off */
                __global const float    *RESTRICT phi,       /* (K, n) at off */
                __global const float    *RESTRICT xi,        /* (S, n) at xoff */
                __global const float    *RESTRICT phi_homo,  /* (K) */
                __global const NetHyper *RESTRICT hyper,     /* (K) */
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
