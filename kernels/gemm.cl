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
 * Partial float8 reads and writes at the ends use load8 and store8 (sample.cl, built first).
 * The tiles are written out register by register (the *_ROWS macros) rather than as private
 * arrays indexed in loops: PoCL 3.1 keeps such arrays in memory, which measured 6x slower on a
 * multiply-add loop (kernels/roofline.cl's fma_peak, 20 against 134 GFLOP/s).
 */
#define GEMM_TM 8
#define GEMM_NT_M 4
#define GEMM_NT_N 2

#define GEMM_A_N(row, p) a[(row) * lda + (p)]
#define GEMM_A_T(row, p) a[(p) * lda + (row)]

/* X (r) for r = 0 .. GEMM_TM - 1 */
#define GEMM_ROWS(X) X (0) X (1) X (2) X (3) X (4) X (5) X (6) X (7)
#define GEMM_ROW_INIT(r) const uint ri##r = min (row0 + r, m - 1); float8 acc##r = 0.0f;
#define GEMM_ROW_FMA_N(r) acc##r = fma ((float8) (GEMM_A_N (ri##r, p)), bv, acc##r);
#define GEMM_ROW_FMA_T(r) acc##r = fma ((float8) (GEMM_A_T (ri##r, p)), bv, acc##r);
#define GEMM_ROW_STORE(r) if (row0 + r < m) store8 (acc##r, c + (row0 + r) * ldc + col0, 0, n - col0);

#define GEMM_ROWS_KERNEL(NAME, ROW_FMA)                                                        \
__kernel void                                                                                  \
NAME (const uint m, const uint n, const uint k,                                                \
      __global const float *RESTRICT a, const uint a_off, const uint lda, const uint a_stride, \
      __global const float *RESTRICT b, const uint b_off, const uint ldb, const uint b_stride, \
      __global float *RESTRICT c, const uint c_off, const uint ldc, const uint c_stride)       \
{                                                                                              \
  const uint col0 = get_global_id (0) * 8;                                                     \
  const uint row0 = get_global_id (1) * GEMM_TM;                                               \
  const uint z = get_global_id (2);                                                            \
                                                                                               \
  if (col0 >= n || row0 >= m)                                                                  \
    return;                                                                                    \
  a += a_off + z * a_stride;                                                                   \
  b += b_off + z * b_stride + col0;                                                            \
  c += c_off + z * c_stride;                                                                   \
  GEMM_ROWS (GEMM_ROW_INIT)                                                                    \
  /* the tail test out of the loop: inside, it made the whole loop 6x slower */                \
  if (col0 + 8 <= n)                                                                           \
    for (uint p = 0; p < k; p++)                                                               \
      {                                                                                        \
        const float8 bv = vload8 (0, b + p * ldb);                                             \
        GEMM_ROWS (ROW_FMA)                                                                    \
      }                                                                                        \
  else                                                                                         \
    for (uint p = 0; p < k; p++)                                                               \
      {                                                                                        \
        const float8 bv = load8 (b + p * ldb, 0, n - col0);                                  \
        GEMM_ROWS (ROW_FMA)                                                                    \
      }                                                                                        \
  GEMM_ROWS (GEMM_ROW_STORE)                                                                   \
}

GEMM_ROWS_KERNEL (gemm_nn, GEMM_ROW_FMA_N)
GEMM_ROWS_KERNEL (gemm_tn, GEMM_ROW_FMA_T)

/* X (r, j) for the GEMM_NT_M x GEMM_NT_N dot products of gemm_nt's tile */
#define GEMM_NT_TILE(X) X (0, 0) X (0, 1) X (1, 0) X (1, 1) X (2, 0) X (2, 1) X (3, 0) X (3, 1)
#define GEMM_NT_INIT(r, j) float8 acc##r##j = 0.0f;
#define GEMM_NT_FMA(r, j) acc##r##j = fma (av##r, bv##j, acc##r##j);
/* the lanes summed as ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)); the last sum as a dot product
 * with ones, which is exact (x 1 + y 1 = x + y, one rounding): written q.x + q.y, it crashes
 * oclgrind 21.10's --uninitialized check (a segmentation fault in the simulator, at once) */
#define GEMM_NT_STORE(r, j)                                                   \
  if (row0 + r < m && col0 + j < n)                                           \
    {                                                                         \
      const float4 h = acc##r##j.lo + acc##r##j.hi;                           \
      const float2 q = h.lo + h.hi;                                           \
      c[(row0 + r) * ldc + col0 + j] = dot (q, (float2) (1.0f));              \
    }

__kernel void
gemm_nt (const uint m, const uint n, const uint k,
         __global const float *RESTRICT a, const uint a_off, const uint lda, const uint a_stride,
         __global const float *RESTRICT b, const uint b_off, const uint ldb, const uint b_stride,
         __global float *RESTRICT c, const uint c_off, const uint ldc, const uint c_stride)
{
  const uint row0 = get_global_id (0) * GEMM_NT_M;   /* rows first: see vesicle-gemm.c */
  const uint col0 = get_global_id (1) * GEMM_NT_N;
  const uint z = get_global_id (2);

  if (col0 >= n || row0 >= m)
    return;
  a += a_off + z * a_stride;
  b += b_off + z * b_stride;
  c += c_off + z * c_stride;

  __global const float *arow0 = a + min (row0 + 0, m - 1) * lda;
  __global const float *arow1 = a + min (row0 + 1, m - 1) * lda;
  __global const float *arow2 = a + min (row0 + 2, m - 1) * lda;
  __global const float *arow3 = a + min (row0 + 3, m - 1) * lda;
  __global const float *brow0 = b + min (col0 + 0, n - 1) * ldb;
  __global const float *brow1 = b + min (col0 + 1, n - 1) * ldb;
  GEMM_NT_TILE (GEMM_NT_INIT)

  uint p = 0;

  for (; p + 8 <= k; p += 8)
    {
      const float8 bv0 = vload8 (0, brow0 + p), bv1 = vload8 (0, brow1 + p);
      const float8 av0 = vload8 (0, arow0 + p), av1 = vload8 (0, arow1 + p);
      const float8 av2 = vload8 (0, arow2 + p), av3 = vload8 (0, arow3 + p);

      GEMM_NT_TILE (GEMM_NT_FMA)
    }
  if (p < k)
    {
      const float8 bv0 = load8 (brow0, p, k), bv1 = load8 (brow1, p, k);
      const float8 av0 = load8 (arow0, p, k), av1 = load8 (arow1, p, k);
      const float8 av2 = load8 (arow2, p, k), av3 = load8 (arow3, p, k);

      GEMM_NT_TILE (GEMM_NT_FMA)
    }
  GEMM_NT_TILE (GEMM_NT_STORE)
}
