/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parameter update of one tensor for every network of the cohort at once: gradients of the
 * objective
 *   sum_batch NLL + scale * (lambda * sum|mu| + c * sum sigma^-rho),     scale = B / N
 * through w = mu + softplus(phi) * xi, followed by Adam, fused in one pass over memory.
 *   d/dmu  = g + scale * lambda * sign(mu)
 *   d/dphi = (g * xi - scale * c * rho * sigma^(-rho-1)) * sigmoid(phi)      (heterogeneous)
 * with g = d(sum NLL)/dw from the backward GEMMs, plus, for variational Bayes, the gradient of the
 * prior on the sampled w: scale (prior_l1 sign(w) + prior_precision w), passed in pre-scaled.
 * Homogeneous networks share one phi: adam_update leaves g * xi behind for them, homo_reduce sums
 * it per work-group, homo_update finishes phi.
 * Gradients are clamped to +-1e18 so that Adam's v = g^2 stays finite in float32 (the cost
 * gradient at sigma = 1e-4 is huge, and Adam is invariant to the scale of g anyway).
 *
 * Launch shape: dimension 0 walks a tensor eight parameters per work-item, dimension 1 the K
 * networks, whose hyperparameters come from one NetHyper row each (sample.cl). One launch per tensor for the
 * whole cohort, however large K is (a GPU is launch-bound otherwise), and explicit float8
 * arithmetic, which PoCL compiles to SIMD as written (it did not vectorise the scalar form across
 * work-items reliably: 2x slower). No private arrays: PoCL spills them to memory.
 */
#ifndef ADAM_LOCAL
#define ADAM_LOCAL 64
#endif
#define VESICLE_GRAD_CLAMP 1e18f

/* s^(-1/3) for normal s > 0: the exponent's bits divided by three (the magic constant is
 * 4/3 of float's bias, tuned), then three Newton steps y (4 - s y^3) / 3, each squaring the
 * error: 4e-2, 2e-3, 4e-6, then float's rounding (under 2e-7 over 1e-37 .. 1e2). PoCL's cbrt
 * and its exp of a log are both slower. */
VP_FN float8
rcbrt8 (float8 s)
{
  float8 y = as_float8 ((int8) (0x54a2fa8c)
                        - convert_int8 (convert_float8 (as_int8 (s)) * (1.0f / 3.0f)));

  y = y * (4.0f - s * y * y * y) * (1.0f / 3.0f);
  y = y * (4.0f - s * y * y * y) * (1.0f / 3.0f);
  return y * (4.0f - s * y * y * y) * (1.0f / 3.0f);
}

/* sigma^(-rho - 1), sigma > 0. Every cost the paper uses gets a cheaper form than
 * exp (a log sigma): rho = 2 a division, rho = 1/2 a reciprocal square root, rho = 2/3 and 4/3
 * powers of rcbrt8 (1.5e-6 relative at worst), the entropy cost (rho = 0) a division. rho is the same for a whole work-group, so
 * the branch costs nothing. */
VP_FN float8
cost_power8 (float8 sigma,
             float  rho)
{
  const float8 s = fmax (sigma, FLT_MIN);

  if (rho == 0.0f)
    return 1.0f / s;
  if (rho == 2.0f)
    return 1.0f / (s * s * s);
  if (rho == 0.5f)
    {
      const float8 r = rsqrt (s);
      return r * r * r;
    }
  if (rho == 0x1.555556p-1f)        /* 2/3, rounded to float as the host rounds it */
    {
      const float8 y = rcbrt8 (s), y2 = y * y;
      return y2 * y2 * y;
    }
  if (rho == 0x1.555556p+0f)        /* 4/3 */
    {
      const float8 y = rcbrt8 (s), y2 = y * y;
      return y2 * y2 * y2 * y;
    }
  return exp ((-rho - 1.0f) * vesicle_logf8 (s));
}

VP_FN float8
grad_mu8 (float8 g,
          float8 mu,
          float  scale_lambda)
{
  return clamp (g + scale_lambda * sign (mu), -VESICLE_GRAD_CLAMP, VESICLE_GRAD_CLAMP);
}

/* sigma = softplus (p) and dsigma = sigmoid (p). @carried is sigma as the last step's update
 * left it (softplus_after_step8): when it is there (@use_carried) and small, dsigma is the series
 * of 1 - exp (-sigma), which equals sigmoid (p) (exp (softplus p) = 1 + exp p), to 5 terms: its
 * remainder is under sigma^4 / 120 relative, 1e-9 for sigma < 2^-6, and no exp or log is left.
 * Otherwise exp (p) gives dsigma, and softplus sigma unless carried. */
VP_FN void
sigma_and_slope8 (float8  p,
                  float8  carried,
                  int     use_carried,
                  float8 *sigma,
                  float8 *dsigma)
{
  if (use_carried && all (carried < 0x1p-6f))
    {
      *sigma = carried;
      *dsigma = carried * (1.0f - 0.5f * carried * (1.0f - carried / 3.0f
                                                    * (1.0f - 0.25f * carried)));
      return;
    }
  const float8 e = exp (fmin (p, 20.0f));

  *dsigma = e / (1.0f + e);
  *sigma = use_carried ? carried : softplus_from_exp8 (p, e);
}

VP_FN float8
grad_phi8 (float8 g,
           float8 x,
           float8 sigma,
           float8 dsigma,
           float  cost_rho,
           float  scale_c_rho)
{
  const float8 cost_grad = scale_c_rho * cost_power8 (sigma, cost_rho);

  return clamp ((g * x - cost_grad) * dsigma, -VESICLE_GRAD_CLAMP, VESICLE_GRAD_CLAMP);
}

/* softplus (p - delta) from sigma = softplus (p) and dsigma = sigmoid (p), by the third-order
 * Taylor step, with softplus'' = dsigma (1 - dsigma) and softplus''' = softplus'' (1 - 2 dsigma).
 * The remainder is at most 0.06 delta^4 relative (|softplus''''| <= sigmoid <= 1.45 softplus):
 * 4e-9 for |delta| < 2^-6, far under float32's rounding. Adam moves phi by at most about
 * 3.2 lr a step (lr 5e-4 in the paper, 4e-3 in the quick presets), so a work-item nearly always
 * takes it, and it saves softplus's exp and logarithm (a quarter of the step at K = 16); one
 * with a larger step computes softplus afresh. */
VP_FN float8
softplus_after_step8 (float8 p_new,
                      float8 delta,
                      float8 sigma,
                      float8 dsigma)
{
  if (all (fabs (delta) < 0x1p-6f))
    return sigma - dsigma * delta * (1.0f - 0.5f * delta * (1.0f - dsigma)
                                            * (1.0f - delta * (1.0f - 2.0f * dsigma) / 3.0f));
  return softplus_from_exp8 (p_new, exp (fmin (p_new, 20.0f)));
}

/* Adam with bias correction folded in: lr_t = lr / (1 - beta1^t), inv_bc2 = 1 / sqrt (1 - beta2^t).
 * Returns the step to subtract; m and v are updated in place. */
VP_FN float8
adam_delta8 (float8 *m,
             float8 *v,
             float8  g,
             float   lr_t,
             float   inv_bc2,
             float   beta1,
             float   beta2,
             float   eps)
{
  *m = beta1 * *m + (1.0f - beta1) * g;
  *v = beta2 * *v + (1.0f - beta2) * g * g;
  return lr_t * *m / (sqrt (*v) * inv_bc2 + eps);
}

/* ---- kernels ------------------------------------------------------------------------------ */

/* Heterogeneous networks: both Adam steps, then the next step's weights from the updated
 * parameters, w = mu + sigma xi_next, which saves a whole pass over the parameters every step.
 * sigma is carried from step to step in its own buffer (sig) by the Taylor step, which spares
 * softplus's exp and log (half the kernel's time at K = 16); the host sets use_carried, and
 * clears it every 64th step, when sigma is computed afresh from phi, so rounding cannot drift.
 * Homogeneous networks: mu's step, and g * xi left in grad for homo_reduce; sample_weights
 * writes their w once homo_update has their new sigma. */
__kernel void
adam_update (__global float           *RESTRICT w,       /* (K, n) at off: this step's, then the next's */
             __global float           *RESTRICT mu,      /* (K, n) at off */
             __global float           *RESTRICT phi,
             __global float           *RESTRICT sig,     /* (K, n) at off: softplus (phi), carried */
             __global float           *RESTRICT m_mu,
             __global float           *RESTRICT v_mu,
             __global float           *RESTRICT m_phi,
             __global float           *RESTRICT v_phi,
             __global float           *RESTRICT grad,    /* d(sum NLL)/dw; g * xi for homo */
             __global const float     *RESTRICT xi,      /* (S, n) at xoff: this step's noise */
             __global const float     *RESTRICT xi_next, /* (S, n) at xoff: the next step's */
             __global const NetHyper *RESTRICT hyper,   /* (K) */
             const uint                          n,
             const uint                          off,
             const uint                          xoff,
             const float                         inv_bc1,
             const float                         inv_bc2,
             const float                         beta1,
             const float                         beta2,
             const float                         eps,
             const int                           use_carried)
{
  const size_t j = 8 * (size_t) get_global_id (0);
  const uint k = get_global_id (1);
  const NetHyper h = hyper[k];

  if (j >= n || !h.active)
    return;

  const size_t at = (size_t) off + (size_t) k * n + j;
  const size_t xat = (size_t) xoff + (size_t) h.slot * n + j;
  const size_t end = at - j + n, xend = xat - j + n;
  const float8 wv = load8 (w, at, end);
  const float8 g = load8 (grad, at, end) + h.prior_l1 * sign (wv) + h.prior_precision * wv;
  float8 muv = load8 (mu, at, end);
  float8 m = load8 (m_mu, at, end), v = load8 (v_mu, at, end);

  muv -= adam_delta8 (&m, &v, grad_mu8 (g, muv, h.scale_lambda), h.lr_mu * inv_bc1, inv_bc2,
                      beta1, beta2, eps);
  store8 (m, m_mu, at, end);
  store8 (v, v_mu, at, end);
  store8 (muv, mu, at, end);
  if (h.homo)
    {
      store8 (g * load8 (xi, xat, xend), grad, at, end);
      return;
    }

  float8 p = load8 (phi, at, end), sigma, dsigma;

  sigma_and_slope8 (p, use_carried ? load8 (sig, at, end) : 0.0f, use_carried, &sigma, &dsigma);

  const float8 gp = grad_phi8 (g, load8 (xi, xat, xend), sigma, dsigma, h.cost_rho,
                               h.scale_c_rho);

  m = load8 (m_phi, at, end);
  v = load8 (v_phi, at, end);

  const float8 delta = adam_delta8 (&m, &v, gp, h.lr * inv_bc1, inv_bc2, beta1, beta2, eps);

  p -= delta;
  store8 (m, m_phi, at, end);
  store8 (v, v_phi, at, end);
  store8 (p, phi, at, end);
  sigma = softplus_after_step8 (p, delta, sigma, dsigma);
  store8 (sigma, sig, at, end);
  store8 (muv + sigma * load8 (xi_next, xat, xend), w, at, end);
}

/* Tests only: the gradients adam_update is about to use (heterogeneous d/dphi too), same shape. */
__kernel void
keep_gradients (__global float           *RESTRICT keep_gmu,
                __global float           *RESTRICT keep_gphi,
                __global const float     *RESTRICT mu,
                __global const float     *RESTRICT phi,
                __global const float     *RESTRICT sig,
                __global const float     *RESTRICT grad,
                __global const float     *RESTRICT w,
                __global const float     *RESTRICT xi,
                __global const NetHyper *RESTRICT hyper,
                const uint                          n,
                const uint                          off,
                const uint                          xoff,
                const int                           use_carried)
{
  const size_t j = 8 * (size_t) get_global_id (0);
  const uint k = get_global_id (1);
  const NetHyper h = hyper[k];

  if (j >= n || !h.active)
    return;

  const size_t at = (size_t) off + (size_t) k * n + j;
  const size_t xat = (size_t) xoff + (size_t) h.slot * n + j;
  const size_t end = at - j + n, xend = xat - j + n;
  const float8 wv = load8 (w, at, end);
  const float8 g = load8 (grad, at, end) + h.prior_l1 * sign (wv) + h.prior_precision * wv;

  store8 (grad_mu8 (g, load8 (mu, at, end), h.scale_lambda), keep_gmu, at, end);
  float8 sigma, dsigma;

  /* homogeneous networks' elements: no sigma is carried for them (adam_update skips it) */
  const int carried = use_carried && !h.homo;

  sigma_and_slope8 (load8 (phi, at, end), carried ? load8 (sig, at, end) : 0.0f, carried,
                    &sigma, &dsigma);
  store8 (grad_phi8 (g, load8 (xi, xat, xend), sigma, dsigma, h.cost_rho, h.scale_c_rho),
          keep_gphi, at, end);
}

/* Sums g * xi of one tensor of each homogeneous network, one value per work-group (dimension 1:
 * the network), in a fixed order: the result does not depend on scheduling. */
__kernel __attribute__ ((reqd_work_group_size (ADAM_LOCAL, 1, 1))) void
homo_reduce (__global float           *RESTRICT partial,   /* (K, n_partials) */
             __global const float     *RESTRICT gxi,       /* (K, n) at off */
             __global const NetHyper *RESTRICT hyper,
             const uint                          n,
             const uint                          off,
             const uint                          partial_base,
             const uint                          n_partials)
{
  __local float scratch[ADAM_LOCAL];
  const uint lid = get_local_id (0), k = get_global_id (1);
  const size_t base = (size_t) off + (size_t) k * n;
  float acc = 0.0f;

  /* the same for the whole work-group, so no barrier is skipped by some of it only */
  if (!hyper[k].homo || !hyper[k].active)
    return;
  for (uint i = get_global_id (0); i < n; i += get_global_size (0))
    acc += gxi[base + i];
  scratch[lid] = acc;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (uint width = ADAM_LOCAL / 2; width > 0; width >>= 1)
    {
      if (lid < width)
        scratch[lid] += scratch[lid + width];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0)
    partial[(size_t) k * n_partials + partial_base + get_group_id (0)] = scratch[0];
}

/* Finishes each homogeneous network, one work-item each:
 * d/dphi = (sum g xi - P scale_c_rho sigma^(-cost_rho-1)) sigmoid(phi). */
__kernel void
homo_update (__global float           *RESTRICT phi_homo,    /* (K) */
             __global float           *RESTRICT m_phi_homo,  /* (K) */
             __global float           *RESTRICT v_phi_homo,  /* (K) */
             __global float           *RESTRICT keep_gphi,   /* (K) */
             __global const float     *RESTRICT partial,     /* (K, n_partials) */
             __global const NetHyper *RESTRICT hyper,
             const uint                          K,
             const uint                          n_partials,
             const float                         n_params,   /* P: the cost counts every synapse */
             const int                           keep,
             const float                         inv_bc1,
             const float                         inv_bc2,
             const float                         beta1,
             const float                         beta2,
             const float                         eps)
{
  const uint k = get_global_id (0);
  float sum = 0.0f;

  if (k >= K || !hyper[k].homo || !hyper[k].active)
    return;
  for (uint i = 0; i < n_partials; i++)
    sum += partial[(size_t) k * n_partials + i];

  const NetHyper h = hyper[k];
  float8 sigma, dsigma;

  sigma_and_slope8 ((float8) (phi_homo[k]), 0.0f, 0, &sigma, &dsigma);

  const float8 gp = grad_phi8 ((float8) (sum), (float8) (1.0f), sigma, dsigma, h.cost_rho,
                               h.scale_c_rho * n_params);
  float8 m = (float8) (m_phi_homo[k]), v = (float8) (v_phi_homo[k]);
  const float8 delta = adam_delta8 (&m, &v, gp, h.lr * inv_bc1, inv_bc2, beta1, beta2, eps);

  phi_homo[k] -= delta.s0;
  m_phi_homo[k] = m.s0;
  v_phi_homo[k] = v.s0;
  if (keep)
    keep_gphi[k] = gp.s0;
}
