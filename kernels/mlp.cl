/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The elementwise parts of a fully connected layer around CLBlast's GEMMs, for all K networks at
 * once. Activations are (B, K * O): row b holds every network's units, network k at k * O.
 *   bias_act_forward   a += b, then ReLU for hidden layers
 *   relu_backward      da *= (h > 0), h the post-ReLU activation
 *   bias_backward      db = sum_b da (B is small: a plain loop per column)
 */

__kernel void
bias_act_forward (__global float       *RESTRICT a,      /* (B, KO) */
                  __global const float *RESTRICT bias,   /* (KO) */
                  const uint            KO,
                  const uint            total,  /* B * KO */
                  const int             relu,
                  const uint            bias_off)
{
  const uint g = get_global_id (0);

  if (g >= total)
    return;
  bias += bias_off;
  float v = a[g] + bias[g % KO];
  a[g] = relu ? fmax (v, 0.0f) : v;
}

__kernel void
relu_backward (__global float       *RESTRICT da,    /* (B, KO) */
               __global const float *RESTRICT h,     /* (B, KO) */
               const uint            total)
{
  const uint g = get_global_id (0);

  if (g >= total)
    return;
  if (!(h[g] > 0.0f))
    da[g] = 0.0f;
}

__kernel void
bias_backward (__global float       *RESTRICT db,    /* (KO) */
               __global const float *RESTRICT da,    /* (B, KO) */
               const uint            B,
               const uint            KO,
               const uint            db_off)
{
  const uint j = get_global_id (0);
  float acc = 0.0f;

  if (j >= KO)
    return;
  db += db_off;
  for (uint b = 0; b < B; b++)
    acc += da[(size_t) b * KO + j];
  db[j] = acc;
}

/* Importance statistics (Fig 5, App 5/6), accumulated over minibatches at frozen parameters:
 * g2 += g^2 (the empirical Fisher, Hessian diagonal), gabs += |g|. Whole cohort in one launch. */
__kernel void
stats_accumulate (__global float       *RESTRICT g2,     /* (total) */
                  __global float       *RESTRICT gabs,   /* (total) */
                  __global const float *RESTRICT grad,   /* (total) */
                  const uint                      total)
{
  const uint i = get_global_id (0);

  if (i >= total)
    return;
  const float g = grad[i];
  g2[i] += g * g;
  gabs[i] += fabs (g);
}

/* Presynaptic rates: rate[j] += sum_b |h[b, j]| for activations (B, KI) (|x| for the input). */
__kernel void
rate_accumulate (__global float       *RESTRICT rate,   /* (KI) at rate_off */
                 __global const float *RESTRICT h,      /* (B, KI) at h_off */
                 const uint                      B,
                 const uint                      KI,
                 const uint                      ld,     /* row length of h */
                 const uint                      rate_off,
                 const uint                      h_off)
{
  const uint j = get_global_id (0);
  float acc = 0.0f;

  if (j >= KI)
    return;
  for (uint b = 0; b < B; b++)
    acc += fabs (h[h_off + (size_t) b * ld + j]);
  rate[rate_off + j] += acc;
}
