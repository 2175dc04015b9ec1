/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference (float64, plain loops) forward and backward pass of one stochastic network over a
 * minibatch, its objective sum_b NLL_b + scale * (lambda * sum|mu| + reliability cost), the
 * gradients with respect to mu and phi, the reliability cost alone, and one Adam step.
 *
 * Forward, for each example b, with w = mu + softplus(phi) * xi shared by the whole minibatch:
 *   h_0 = x_b,  a_l = W_l h_{l-1} + b_l,  h_l = relu(a_l) (hidden layers only),  logits = a_L.
 * Backward: g = d sum_b NLL_b / d w, then
 *   d/dmu_i  = g_i + scale * lambda * sign(mu_i)
 *   d/dphi_i = (g_i * xi_i - scale * c * rho * sigma_i^(-rho-1)) * sigmoid(phi_i)       (hetero)
 *   d/dphi   = (sum_i g_i xi_i - scale * P * c * rho * sigma^(-rho-1)) * sigmoid(phi)   (homo)
 * For variational Bayes g also carries the prior's gradient, scale * (prior_l1 sign(w) +
 * prior_precision w), and the cost is -c log sigma (derivative -c / sigma).
 */
#include "vesicle-reference.h"

#include <math.h>
#include <string.h>

static double
sign_of (double x)
{
  return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0);
}

/* One synapse's cost per unit c, and its derivative in sigma. */
static double
cost_of (const VesicleHyper *hyper,
         double              sigma)
{
  return hyper->cost == VESICLE_COST_ENTROPY ? -log (sigma) : pow (sigma, -hyper->rho);
}

static double
cost_derivative (const VesicleHyper *hyper,
                 double              sigma)
{
  return hyper->cost == VESICLE_COST_ENTROPY ? -1.0 / sigma
                                             : -hyper->rho * pow (sigma, -hyper->rho - 1.0);
}

double
vesicle_reference_reliability_cost (const VesicleShape *shape,
                                    const VesicleHyper *hyper,
                                    const double       *phi)
{
  gsize P = vesicle_shape_n_params (shape);
  double cost = 0.0;

  if (hyper->setting == VESICLE_SIGMA_HOMO)
    return (double) P * hyper->c * cost_of (hyper, vesicle_softplus (phi[0]));

  for (gsize i = 0; i < P; i++)
    cost += cost_of (hyper, vesicle_softplus (phi[i]));
  return hyper->c * cost;
}

/* Forward pass of one layer for the whole batch: out (B, O) = in (B, I) W^T + b, then ReLU. */
static void
layer_forward (double       *out,   /* (B, O) */
               const double *in,    /* (B, I) */
               const double *W,     /* (O, I) */
               const double *bias,  /* (O) */
               guint         B,
               guint         I,
               guint         O,
               gboolean      relu)
{
  for (guint b = 0; b < B; b++)
    {
      const double *in_b = in + (gsize) b * I;
      double *out_b = out + (gsize) b * O;

      for (guint o = 0; o < O; o++)
        {
          const double *w_o = W + (gsize) o * I;
          double a = bias[o];

          for (guint i = 0; i < I; i++)
            a += w_o[i] * in_b[i];
          out_b[o] = relu && a < 0.0 ? 0.0 : a;
        }
    }
}

void
vesicle_reference_forward (double             *out,
                           double             *hidden,
                           const VesicleShape *shape,
                           const double       *w,
                           const double       *x,
                           guint               B)
{
  g_autofree double *a = NULL, *b = NULL;
  gsize width = 0, h_off = 0;
  const double *in = x;

  for (guint l = 0; l <= shape->n_layers; l++)
    width = MAX (width, shape->sizes[l]);
  a = g_new (double, (gsize) B * width);
  b = g_new (double, (gsize) B * width);
  for (guint l = 0; l < shape->n_layers; l++)
    {
      guint I = shape->sizes[l], O = shape->sizes[l + 1];
      gsize off = vesicle_shape_layer_offset (shape, l);
      gboolean last = l + 1 == shape->n_layers;
      double *dst = last ? out : (l % 2 ? b : a);

      layer_forward (dst, in, w + off, w + off + (gsize) O * I, B, I, O, !last);
      if (!last && hidden != NULL)
        {
          memcpy (hidden + h_off, dst, (gsize) B * O * sizeof (double));
          h_off += (gsize) B * O;
        }
      in = dst;
    }
}

/* Backward pass of one layer: accumulates dW (O, I) and db (O) from dout (B, O) and in (B, I);
 * writes din (B, I) = dout W, masked by in > 0 (the ReLU of the layer below) when mask_relu. */
static void
layer_backward (double       *dW,    /* (O, I) */
                double       *db,    /* (O) */
                double       *din,   /* (B, I) or NULL */
                const double *dout,  /* (B, O) */
                const double *in,    /* (B, I) */
                const double *W,     /* (O, I) */
                guint         B,
                guint         I,
                guint         O,
                gboolean      mask_relu)
{
  for (guint b = 0; b < B; b++)
    {
      const double *dout_b = dout + (gsize) b * O;
      const double *in_b = in + (gsize) b * I;

      for (guint o = 0; o < O; o++)
        {
          double d = dout_b[o];
          double *dW_o = dW + (gsize) o * I;

          db[o] += d;
          for (guint i = 0; i < I; i++)
            dW_o[i] += d * in_b[i];
        }

      if (din != NULL)
        {
          double *din_b = din + (gsize) b * I;

          for (guint i = 0; i < I; i++)
            {
              double s = 0.0;

              /* h = relu(a) > 0 exactly where a > 0, so the stored output is the mask */
              if (mask_relu && in_b[i] <= 0.0)
                {
                  din_b[i] = 0.0;
                  continue;
                }
              for (guint o = 0; o < O; o++)
                s += W[(gsize) o * I + i] * dout_b[o];
              din_b[i] = s;
            }
        }
    }
}

/* NLL summed over the batch and d NLL / d logits (B, O) (if dlogits != NULL). */
static double
head_nll (double             *dlogits,    /* (B, O) or NULL */
          guint              *n_correct,
          const VesicleShape *shape,
          const double       *logits,     /* (B, O) */
          const double       *targets,    /* (B) labels or (B, O) */
          guint               B)
{
  guint O = shape->sizes[shape->n_layers];
  double nll = 0.0;

  *n_correct = 0;

  if (shape->head == VESICLE_HEAD_SOFTMAX)
    {
      for (guint b = 0; b < B; b++)
        {
          const double *z = logits + (gsize) b * O;
          guint label = (guint) targets[b];
          guint argmax = 0;
          double max = z[0];
          double sum = 0.0;
          double lse;

          for (guint o = 1; o < O; o++)
            if (z[o] > max)
              {
                max = z[o];
                argmax = o;
              }
          for (guint o = 0; o < O; o++)
            sum += exp (z[o] - max);
          lse = max + log (sum);
          nll += lse - z[label];
          if (argmax == label)
            (*n_correct)++;

          if (dlogits != NULL)
            {
              double *dz = dlogits + (gsize) b * O;

              for (guint o = 0; o < O; o++)
                dz[o] = exp (z[o] - lse) - (o == label ? 1.0 : 0.0);
            }
        }
    }
  else
    {
      double s2 = shape->noise_sd * shape->noise_sd;
      double log_norm = 0.5 * log (2.0 * G_PI * s2);

      for (gsize k = 0; k < (gsize) B * O; k++)
        {
          double r = targets[k] - logits[k];

          nll += r * r / (2.0 * s2) + log_norm;
          if (dlogits != NULL)
            dlogits[k] = -r / s2;
        }
    }

  return nll;
}

double
vesicle_reference_objective (double             *grad_mu,
                             double             *grad_phi,
                             double             *nll_out,
                             guint              *n_correct_out,
                             const VesicleShape *shape,
                             const VesicleHyper *hyper,
                             const double       *mu,
                             const double       *phi,
                             const double       *xi,
                             const double       *x,
                             const double       *targets,
                             guint               B,
                             double              scale)
{
  guint L = shape->n_layers;
  guint O = shape->sizes[L];
  gsize P = vesicle_shape_n_params (shape);
  gboolean homo = hyper->setting == VESICLE_SIGMA_HOMO;
  gboolean backward = grad_mu != NULL || grad_phi != NULL;
  double *w, *g = NULL, *acts, *d_cur = NULL, *d_next = NULL;
  const double *h[VESICLE_MAX_LAYERS + 1];   /* h[l]: (B, sizes[l]); h[L] are the logits */
  gsize acts_size = 0, max_width = 0;
  guint n_correct = 0;
  double nll, l1 = 0.0, objective;

  g_return_val_if_fail (L >= 1 && L <= VESICLE_MAX_LAYERS, NAN);
  g_return_val_if_fail (shape->head != VESICLE_HEAD_GAUSSIAN || shape->noise_sd > 0.0, NAN);
  if (shape->head == VESICLE_HEAD_SOFTMAX)
    for (guint b = 0; b < B; b++)
      g_return_val_if_fail (targets[b] >= 0.0 && targets[b] < (double) O
                            && targets[b] == floor (targets[b]), NAN);

  /* w = mu + sigma * xi: (P) */
  w = g_new (double, P);
  for (gsize i = 0; i < P; i++)
    w[i] = mu[i] + vesicle_softplus (homo ? phi[0] : phi[i]) * xi[i];

  for (guint l = 1; l <= L; l++)
    {
      acts_size += (gsize) B * shape->sizes[l];
      max_width = MAX (max_width, shape->sizes[l]);
    }
  max_width = MAX (max_width, shape->sizes[0]);
  acts = g_new (double, MAX (acts_size, 1));

  /* forward */
  h[0] = x;
  {
    double *out = acts;

    for (guint l = 0; l < L; l++)
      {
        guint I = shape->sizes[l], Ol = shape->sizes[l + 1];
        const double *W = w + vesicle_shape_layer_offset (shape, l);

        layer_forward (out, h[l], W, W + (gsize) Ol * I, B, I, Ol, l + 1 < L);
        h[l + 1] = out;
        out += (gsize) B * Ol;
      }
  }

  /* head */
  if (backward)
    {
      g = g_new0 (double, P);
      d_cur = g_new (double, MAX ((gsize) B * max_width, 1));
      d_next = g_new (double, MAX ((gsize) B * max_width, 1));
    }
  nll = head_nll (d_cur, &n_correct, shape, h[L], targets, B);

  /* backward: g = d sum NLL / d w */
  if (backward)
    {
      for (guint l = L; l-- > 0;)
        {
          guint I = shape->sizes[l], Ol = shape->sizes[l + 1];
          gsize off = vesicle_shape_layer_offset (shape, l);
          double *tmp;

          layer_backward (g + off, g + off + (gsize) Ol * I, l > 0 ? d_next : NULL, d_cur, h[l],
                          w + off, B, I, Ol, l > 0);
          tmp = d_cur;
          d_cur = d_next;
          d_next = tmp;
        }
    }

  /* regulariser, and the prior on the sampled weights (variational Bayes) */
  {
    double prior = 0.0;

    for (gsize i = 0; i < P; i++)
      {
        l1 += fabs (mu[i]);
        prior += hyper->prior_l1 * fabs (w[i]) + 0.5 * hyper->prior_precision * w[i] * w[i];
        if (g != NULL)
          g[i] += scale * (hyper->prior_l1 * sign_of (w[i]) + hyper->prior_precision * w[i]);
      }
    objective = nll + scale * (hyper->lambda * l1 + prior
                               + vesicle_reference_reliability_cost (shape, hyper, phi));
  }

  if (grad_mu != NULL)
    for (gsize i = 0; i < P; i++)
      grad_mu[i] = g[i] + scale * hyper->lambda * sign_of (mu[i]);

  if (grad_phi != NULL)
    {
      double c = hyper->c;

      if (homo)
        {
          double sigma = vesicle_softplus (phi[0]);
          double gx = 0.0;

          for (gsize i = 0; i < P; i++)
            gx += g[i] * xi[i];
          grad_phi[0] = (gx + scale * (double) P * c * cost_derivative (hyper, sigma))
                        * vesicle_sigmoid (phi[0]);
        }
      else
        {
          for (gsize i = 0; i < P; i++)
            {
              double sigma = vesicle_softplus (phi[i]);

              grad_phi[i] = (g[i] * xi[i] + scale * c * cost_derivative (hyper, sigma))
                            * vesicle_sigmoid (phi[i]);
            }
        }
    }

  if (nll_out != NULL)
    *nll_out = nll;
  if (n_correct_out != NULL)
    *n_correct_out = n_correct;

  g_free (w);
  g_free (acts);
  g_free (g);
  g_free (d_cur);
  g_free (d_next);
  return objective;
}

void
vesicle_reference_adam (double       *param,
                        double       *m,
                        double       *v,
                        const double *grad,
                        gsize         n,
                        double        lr,
                        double        beta1,
                        double        beta2,
                        double        eps,
                        guint         t)
{
  double bc1, bc2;

  g_return_if_fail (t >= 1);

  bc1 = 1.0 - pow (beta1, (double) t);
  bc2 = 1.0 - pow (beta2, (double) t);
  for (gsize i = 0; i < n; i++)
    {
      double mhat, vhat;

      m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
      v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i];
      mhat = m[i] / bc1;
      vhat = v[i] / bc2;
      param[i] -= lr * mhat / (sqrt (vhat) + eps);
    }
}
