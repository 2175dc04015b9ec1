/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Output heads, forward and backward together. One work-group per network k, so the per-network
 * sums (NLL, correct predictions) are reduced in local memory and added without atomics: the
 * result does not depend on scheduling.
 *   softmax_ce_forward_backward   logits + bias -> cross-entropy on integer labels (stored as float)
 *   gaussian_forward_backward     outputs + bias -> N(y; f, s^2) negative log-likelihood
 * Both write d(sum NLL)/d(pre-bias output) into dout and accumulate loss_acc[k], correct_acc[k].
 */
#ifndef HEAD_LOCAL
#define HEAD_LOCAL 32
#endif

VP_FN void
head_reduce_and_add (__local float *scratch_loss, __local float *scratch_corr,
                     float loss, float corr,
                     __global float *RESTRICT loss_acc, __global float *RESTRICT correct_acc, uint k)
{
  const uint lid = get_local_id (0);

  scratch_loss[lid] = loss;
  scratch_corr[lid] = corr;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (uint width = HEAD_LOCAL / 2; width > 0; width >>= 1)
    {
      if (lid < width)
        {
          scratch_loss[lid] += scratch_loss[lid + width];
          scratch_corr[lid] += scratch_corr[lid + width];
        }
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0)
    {
      loss_acc[k] += scratch_loss[0];
      correct_acc[k] += scratch_corr[0];
    }
}

__kernel __attribute__ ((reqd_work_group_size (HEAD_LOCAL, 1, 1))) void
softmax_ce_forward_backward (__global float       *RESTRICT dout,        /* (B, K * C) */
                             __global const float *RESTRICT out,         /* (B, K * C) pre-bias */
                             __global const float *RESTRICT bias,        /* (K * C) */
                             __global const float *RESTRICT targets,     /* (B) labels */
                             const uint            B,
                             const uint            K,
                             const uint            C,
                             __global float       *RESTRICT loss_acc,    /* (K) */
                             __global float       *RESTRICT correct_acc, /* (K) */
                             const uint            bias_off,
                             const uint            target_off)
{
  __local float scratch_loss[HEAD_LOCAL];
  __local float scratch_corr[HEAD_LOCAL];
  const uint k = get_group_id (0);
  const uint lid = get_local_id (0);
  const uint KC = K * C;
  float loss = 0.0f, corr = 0.0f;

  bias += bias_off;
  targets += target_off;

  for (uint b = lid; b < B; b += HEAD_LOCAL)
    {
      __global const float *z = out + (size_t) b * KC + k * C;
      __global float *dz = dout + (size_t) b * KC + k * C;
      __global const float *bz = bias + k * C;
      const int y = (int) targets[b];
      float zmax = -INFINITY;
      uint arg = 0;

      for (uint c = 0; c < C; c++)
        {
          float v = z[c] + bz[c];
          if (v > zmax)
            {
              zmax = v;
              arg = c;
            }
        }
      float sum = 0.0f;
      for (uint c = 0; c < C; c++)
        sum += exp (z[c] + bz[c] - zmax);
      const float lse = zmax + log (sum);
      for (uint c = 0; c < C; c++)
        dz[c] = exp (z[c] + bz[c] - lse) - (c == (uint) y ? 1.0f : 0.0f);
      loss += lse - (z[y] + bz[y]);
      corr += arg == (uint) y ? 1.0f : 0.0f;
    }
  head_reduce_and_add (scratch_loss, scratch_corr, loss, corr, loss_acc, correct_acc, k);
}

__kernel __attribute__ ((reqd_work_group_size (HEAD_LOCAL, 1, 1))) void
gaussian_forward_backward (__global float       *RESTRICT dout,        /* (B, K * C) */
                           __global const float *RESTRICT out,         /* (B, K * C) pre-bias */
                           __global const float *RESTRICT bias,        /* (K * C) */
                           __global const float *RESTRICT targets,     /* (B, C) */
                           const uint            B,
                           const uint            K,
                           const uint            C,
                           const float           noise_sd,
                           __global float       *RESTRICT loss_acc,    /* (K) */
                           __global float       *RESTRICT correct_acc, /* (K), unused: stays 0 */
                           const uint            bias_off,
                           const uint            target_off)
{
  __local float scratch_loss[HEAD_LOCAL];
  __local float scratch_corr[HEAD_LOCAL];
  const uint k = get_group_id (0);
  const uint lid = get_local_id (0);
  const uint KC = K * C;
  const float inv_var = 1.0f / (noise_sd * noise_sd);
  const float log_norm = 0.5f * log (2.0f * M_PI_F * noise_sd * noise_sd);
  float loss = 0.0f;

  bias += bias_off;
  targets += target_off;
  for (uint b = lid; b < B; b += HEAD_LOCAL)
    for (uint c = 0; c < C; c++)
      {
        const size_t at = (size_t) b * KC + k * C + c;
        const float r = out[at] + bias[k * C + c] - targets[(size_t) b * C + c];
        dout[at] = r * inv_var;
        loss += 0.5f * r * r * inv_var + log_norm;
      }
  head_reduce_and_add (scratch_loss, scratch_corr, loss, 0.0f, loss_acc, correct_acc, k);
}
