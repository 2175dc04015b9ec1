/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vesicle's own SGEMM for CPU devices (PoCL): C (m, n) = op(A) (m, k) x op(B) (k, n), row-major,
 * strided-batched over the third dimension, beta = 0 (every product of a step overwrites).
 * CLBlast's kernels are written for GPUs: their local-memory tiles and barriers become loops over
 * work-items on a CPU, at 2-4 GFLOP/s for Vesicle's shapes. These have no local memory and no
 * barrier, and they are vectorised by hand with float8 (one AVX register): a CPU driver runs a
 * work-group's work-items one after the other, so SIMD has to come from within one work-item.
 * Three forms cover every product of a step:
 *   gemm_nn  A (m, k),   B (k, n)     dH = dA W
 *   gemm_tn  A^T (k, m), B (k, n)     dW = dA^T H
 *     a work-item owns GEMM_TM rows x 8 columns of C: per k, one float8 of B's row and GEMM_TM
 *     broadcasts of A, GEMM_TM fused multiply-adds;
 *   gemm_nt  A (m, k),   B^T (n, k)   forward: H W^T
 *     both operands run along k, so a work-item owns GEMM_NT_M x GEMM_NT_N dot products and
 *     reads 8 of k at a time from every row, summing the lanes at the end.
 * Rows past m and columns past n are clamped for the reads and skipped for the writes; the last
 * partial float8 of a row is read element by element.
 */
#ifndef GEMM_TM
#define GEMM_TM 8
#endif
#define GEMM_NT_M 4
#define GEMM_NT_N 2

#define GEMM_A_N(row, p) a[(row) * lda + (p)]
#define GEMM_A_T(row, p) a[(p) * lda + (row)]

/* Eight consecutive elements of row p of B from column col0, the missing ones 0. */
inline float8
gemm_b_row8 (__global const float *b, uint ldb, uint p, uint col0, uint n)
{
  __global const float *row = b + p * ldb + col0;

  if (col0 + 8 <= n)
    return vload8 (0, row);
  {
    float t[8];

    for (uint j = 0; j < 8; j++)
      t[j] = col0 + j < n ? row[j] : 0.0f;
    return vload8 (0, t);
  }
}

#define GEMM_ROWS_KERNEL(NAME, A_AT)                                                           \
__kernel void                                                                                  \
NAME (const uint m, const uint n, const uint k,                                                \
      __global const float *restrict a, const uint a_off, const uint lda, const uint a_stride, \
      __global const float *restrict b, const uint b_off, const uint ldb, const uint b_stride, \
      __global float *restrict c, const uint c_off, const uint ldc, const uint c_stride)       \
{                                                                                              \
  const uint col0 = get_global_id (0) * 8;                                                     \
  const uint row0 = get_global_id (1) * GEMM_TM;                                               \
  const uint z = get_global_id (2);                                                            \
  uint rows[GEMM_TM];                                                                          \
  float8 acc[GEMM_TM];                                                                         \
                                                                                               \
  if (col0 >= n || row0 >= m)                                                                  \
    return;                                                                                    \
  a += a_off + z * a_stride;                                                                   \
  b += b_off + z * b_stride;                                                                   \
  c += c_off + z * c_stride;                                                                   \
  for (uint r = 0; r < GEMM_TM; r++)                                                           \
    {                                                                                          \
      rows[r] = min (row0 + r, m - 1);                                                         \
      acc[r] = (float8) (0.0f);                                                                \
    }                                                                                          \
  for (uint p = 0; p < k; p++)                                                                 \
    {                                                                                          \
      const float8 bv = gemm_b_row8 (b, ldb, p, col0, n);                                      \
      for (uint r = 0; r < GEMM_TM; r++)                                                       \
        acc[r] = fma ((float8) (A_AT (rows[r], p)), bv, acc[r]);                               \
    }                                                                                          \
  for (uint r = 0; r < GEMM_TM && row0 + r < m; r++)                                           \
    {                                                                                          \
      __global float *out = c + (row0 + r) * ldc + col0;                                       \
                                                                                               \
      if (col0 + 8 <= n)                                                                       \
        vstore8 (acc[r], 0, out);                                                              \
      else                                                                                     \
        {                                                                                      \
          float t[8];                                                                          \
                                                                                               \
          vstore8 (acc[r], 0, t);                                                              \
          for (uint j = 0; col0 + j < n; j++)                                                  \
            out[j] = t[j];                                                                     \
        }                                                                                      \
    }                                                                                          \
}

GEMM_ROWS_KERNEL (gemm_nn, GEMM_A_N)
GEMM_ROWS_KERNEL (gemm_tn, GEMM_A_T)

/* Eight consecutive elements of a row from p, the missing ones 0. */
inline float8
gemm_row8 (__global const float *row, uint p, uint k)
{
  if (p + 8 <= k)
    return vload8 (0, row + p);
  {
    float t[8];

    for (uint j = 0; j < 8; j++)
      t[j] = p + j < k ? row[p + j] : 0.0f;
    return vload8 (0, t);
  }
}

__kernel void
gemm_nt (const uint m, const uint n, const uint k,
         __global const float *restrict a, const uint a_off, const uint lda, const uint a_stride,
         __global const float *restrict b, const uint b_off, const uint ldb, const uint b_stride,
         __global float *restrict c, const uint c_off, const uint ldc, const uint c_stride)
{
  const uint col0 = get_global_id (0) * GEMM_NT_N;
  const uint row0 = get_global_id (1) * GEMM_NT_M;
  const uint z = get_global_id (2);
  __global const float *arow[GEMM_NT_M], *brow[GEMM_NT_N];
  float8 acc[GEMM_NT_M][GEMM_NT_N];

  if (col0 >= n || row0 >= m)
    return;
  a += a_off + z * a_stride;
  b += b_off + z * b_stride;
  c += c_off + z * c_stride;
  for (uint r = 0; r < GEMM_NT_M; r++)
    arow[r] = a + min (row0 + r, m - 1) * lda;
  for (uint j = 0; j < GEMM_NT_N; j++)
    brow[j] = b + min (col0 + j, n - 1) * ldb;
  for (uint r = 0; r < GEMM_NT_M; r++)
    for (uint j = 0; j < GEMM_NT_N; j++)
      acc[r][j] = (float8) (0.0f);
  for (uint p = 0; p < k; p += 8)
    {
      float8 bv[GEMM_NT_N];

      for (uint j = 0; j < GEMM_NT_N; j++)
        bv[j] = gemm_row8 (brow[j], p, k);
      for (uint r = 0; r < GEMM_NT_M; r++)
        {
          const float8 av = gemm_row8 (arow[r], p, k);

          for (uint j = 0; j < GEMM_NT_N; j++)
            acc[r][j] = fma (av, bv[j], acc[r][j]);
        }
    }
  for (uint r = 0; r < GEMM_NT_M && row0 + r < m; r++)
    for (uint j = 0; j < GEMM_NT_N && col0 + j < n; j++)
      {
        const float8 s = acc[r][j];
        const float4 h = s.lo + s.hi;
        const float2 q = h.lo + h.hi;

        c[(row0 + r) * ldc + col0 + j] = q.x + q.y;
      }
}
