/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011) and a Box-Muller transform, written once so the very same text compiles as host C99
 * and as OpenCL C 1.2. The 32-bit outputs are bit-identical on every device; the normals agree to
 * the last few ulps (log/cos differ between libm and OpenCL built-ins).
 *
 * Noise key (see docs/engine.md): counter = (index / 4, layer, step, stream), key = (seed lo, seed hi).
 * The network is deliberately not in the key: networks of a cohort that share a seed share their
 * noise (common random numbers).
 */
#pragma once

#ifdef __OPENCL_VERSION__
typedef uint vp_u32;
typedef ulong vp_u64;
#define VP_FN inline __attribute__ ((always_inline))
/* mul_hi is not vectorised by PoCL (measured 4x slower than a 64-bit product) */
#define VP_MULHI(a, b) ((uint) (((ulong) (a) * (ulong) (b)) >> 32))
#define VP_AS_INT(x) as_int (x)
#define VP_AS_FLOAT(x) as_float (x)
#define VP_SQRT sqrt
#define VP_COS cospi
#define VP_SIN sinpi
#else
#include <stdint.h>
#include <math.h>
typedef uint32_t vp_u32;
typedef uint64_t vp_u64;
#define VP_FN static inline
#include <string.h>
#define VP_MULHI(a, b) ((vp_u32) (((vp_u64) (a) * (vp_u64) (b)) >> 32))
static inline int vp_as_int (float x) { int i; memcpy (&i, &x, 4); return i; }
static inline float vp_as_float (int i) { float x; memcpy (&x, &i, 4); return x; }
#define VP_AS_INT(x) vp_as_int (x)
#define VP_AS_FLOAT(x) vp_as_float (x)
#define VP_SQRT sqrtf
#define VP_COS(x) cosf ((float) (3.14159265358979323846 * (x)))
#define VP_SIN(x) sinf ((float) (3.14159265358979323846 * (x)))
#endif

#define VESICLE_PHILOX_M0 0xD2511F53u
#define VESICLE_PHILOX_M1 0xCD9E8D57u
#define VESICLE_PHILOX_W0 0x9E3779B9u
#define VESICLE_PHILOX_W1 0xBB67AE85u

/* Streams: training noise and evaluation noise never share counters. */
#define VESICLE_STREAM_TRAIN 0u
#define VESICLE_STREAM_EVAL 1u
#define VESICLE_STREAM_INIT 2u
#define VESICLE_STREAM_SHUFFLE 3u
#define VESICLE_STREAM_ANALYSIS 4u   /* host-side analyses (the Fisher under the synaptic noise) */

VP_FN void
vesicle_philox4x32_10 (vp_u32 out[4], const vp_u32 ctr[4], const vp_u32 key[2])
{
  vp_u32 c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  vp_u32 k0 = key[0], k1 = key[1];

  for (int r = 0; r < 10; r++)
    {
      vp_u32 hi0 = VP_MULHI (VESICLE_PHILOX_M0, c0);
      vp_u32 lo0 = VESICLE_PHILOX_M0 * c0;
      vp_u32 hi1 = VP_MULHI (VESICLE_PHILOX_M1, c2);
      vp_u32 lo1 = VESICLE_PHILOX_M1 * c2;
      c0 = hi1 ^ c1 ^ k0;
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1;
      c3 = lo0;
      k0 += VESICLE_PHILOX_W0;
      k1 += VESICLE_PHILOX_W1;
    }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* Natural log of a positive normal float, to about 2 ulp. Written out (exponent split plus an
 * atanh series) because the CPU drivers' log() is not vectorised: 10x slower on PoCL. */
VP_FN float
vesicle_logf (float x)
{
  int ix = VP_AS_INT (x);
  int e = ((ix >> 23) & 0xff) - 127;
  float m = VP_AS_FLOAT ((ix & 0x7fffff) | 0x3f800000);   /* [1, 2) */
  int big = m > 1.41421356f;
  float s, s2;

  m = big ? m * 0.5f : m;                                   /* [0.707, 1.414) */
  e += big;
  s = (m - 1.0f) / (m + 1.0f);                              /* |s| < 0.172 */
  s2 = s * s;
  return (float) e * 0.693147181f
         + s * (2.0f + s2 * (0.666666667f + s2 * (0.4f + s2 * (0.285714286f + s2 * 0.222222222f))));
}

/* log(1 + u) for u >= 0, accurate for small u too (Goldberg's trick). */
VP_FN float
vesicle_log1pf (float u)
{
  float w = 1.0f + u;

  return w == 1.0f ? u : vesicle_logf (w) * (u / (w - 1.0f));
}

/* Uniform in the open interval (0, 1): 23 bits, centred, (k + 1/2) 2^-23, every value exact in
 * float (24 bits would round the top values up to 1.0), so log() never sees 0 or 1. */
VP_FN float
vesicle_u01 (vp_u32 x)
{
  return ((float) (x >> 9) + 0.5f) * (1.0f / 8388608.0f);
}

/* Four standard normals for indices 4*idx4 .. 4*idx4+3 of (seed, step, layer, stream). */
VP_FN void
vesicle_normal4 (float out[4], vp_u64 seed, vp_u32 step, vp_u32 layer, vp_u32 stream, vp_u32 idx4)
{
  vp_u32 ctr[4];
  vp_u32 key[2];
  vp_u32 bits[4];

  ctr[0] = idx4;
  ctr[1] = layer;
  ctr[2] = step;
  ctr[3] = stream;
  key[0] = (vp_u32) (seed & 0xffffffffu);
  key[1] = (vp_u32) (seed >> 32);
  vesicle_philox4x32_10 (bits, ctr, key);

  for (int p = 0; p < 2; p++)
    {
      float r = VP_SQRT (-2.0f * vesicle_logf (vesicle_u01 (bits[2 * p])));
      float t = 2.0f * vesicle_u01 (bits[2 * p + 1]); /* angle / pi */
      out[2 * p] = r * VP_COS (t);
      out[2 * p + 1] = r * VP_SIN (t);
    }
}
