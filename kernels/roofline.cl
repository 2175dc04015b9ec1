/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the device can do at best, for the benchmark's roofline (src/cl/vesicle-cl-roofline.c):
 *   stream_copy   a = b, STREAM's copy: 8 bytes moved per float
 *   stream_triad  a = b + s c, STREAM's triad: 12 bytes moved per float
 *   fma_peak      eight independent chains of float8 multiply-adds per work-item, so that
 *                 neither latency nor memory limits it: 2 * 8 * 8 * ROOFLINE_FMA_ROUNDS flops
 * A program of its own: the engine never needs these kernels.
 */
#ifndef ROOFLINE_FMA_ROUNDS
#define ROOFLINE_FMA_ROUNDS 512
#endif

__kernel void
stream_copy (__global float8       *RESTRICT a,
             __global const float8 *RESTRICT b)
{
  const size_t i = get_global_id (0);

  a[i] = b[i];
}

__kernel void
stream_triad (__global float8       *RESTRICT a,
              __global const float8 *RESTRICT b,
              __global const float8 *RESTRICT c,
              const float                      s)
{
  const size_t i = get_global_id (0);

  a[i] = b[i] + s * c[i];
}

__kernel void
fma_peak (__global float *RESTRICT out,
          const float               x,
          const float               y)
{
  const float g = get_global_id (0);
  float8 a0 = g, a1 = g + 1, a2 = g + 2, a3 = g + 3, a4 = g + 4, a5 = g + 5, a6 = g + 6, a7 = g + 7;

  for (int r = 0; r < ROOFLINE_FMA_ROUNDS; r++)
    {
      a0 = fma (a0, x, y); a1 = fma (a1, x, y); a2 = fma (a2, x, y); a3 = fma (a3, x, y);
      a4 = fma (a4, x, y); a5 = fma (a5, x, y); a6 = fma (a6, x, y); a7 = fma (a7, x, y);
    }
  /* one store per work-item keeps the chains alive without making the kernel memory-bound */
  float8 sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
  out[get_global_id (0)] = sum.s0 + sum.s1 + sum.s2 + sum.s3 + sum.s4 + sum.s5 + sum.s6 + sum.s7;
}
