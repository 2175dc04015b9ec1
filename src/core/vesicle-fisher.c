/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Diagonal Fisher information at given or noisy weights (see vesicle-fisher.h).
 *
 * Per example: a forward pass keeps every layer's input h_{l-1} and pre-activation a_l. For each
 * output "class" y (weight q_y: p_y for softmax, 1 for the Gaussian head) the output error is
 * delta_{L,y} = p - e_y (softmax) or e_y / s (Gaussian), pushed back through the ReLUs:
 * delta_{l-1,y} = relu'(a_{l-1}) * W_l^T delta_{l,y}. Since a weight's gradient is
 * delta_l[o] h_{l-1}[i], its expected square factorises:
 *   F(W_l)[o, i] += D_l[o] h_{l-1}[i]^2,   F(b_l)[o] += D_l[o],   D_l[o] = sum_y q_y delta_{l,y}[o]^2
 * so the (O, I) accumulation runs once per example, not once per class.
 */
#include "vesicle-fisher.h"
#include "vesicle_philox.h"

#include <math.h>
#include <string.h>

typedef struct {
  const VesicleShape *shape;
  const double       *w;        /* (P) the weights in float64 */
  guint               Y;        /* output "classes" */
  double             *h;        /* per layer l: inputs h_l, (sizes[l]) each, l = 0..L-1 */
  double             *a;        /* per layer l: pre-activations, (sizes[l + 1]) each */
  double             *out;      /* (sizes[L]) outputs / probabilities */
  double             *delta;    /* (Y, max size) errors of the current layer, one row per class */
  double             *delta_in; /* (Y, max size) errors of the layer below */
  double             *q;        /* (Y) class weights */
  double            **D;        /* per layer: (sizes[l + 1]) sum_y q_y delta^2 */
  double             *h2;       /* (max size) squared inputs of the current layer */
  gsize              *h_off;    /* per layer: offset of h_l in h */
  gsize              *a_off;
} FisherWork;

static void
forward (FisherWork *fw)
{
  const VesicleShape *s = fw->shape;
  guint L = s->n_layers;

  for (guint l = 0; l < L; l++)
    {
      guint O = s->sizes[l + 1], I = s->sizes[l];
      const double *W = fw->w + vesicle_shape_layer_offset (s, l);
      const double *b = W + (gsize) O * I;
      const double *hin = fw->h + fw->h_off[l];
      double *a = fw->a + fw->a_off[l];

      for (guint o = 0; o < O; o++)
        {
          double acc = b[o];
          const double *row = W + (gsize) o * I;

          for (guint i = 0; i < I; i++)
            acc += row[i] * hin[i];
          a[o] = acc;
        }
      if (l + 1 < L)
        {
          double *hout = fw->h + fw->h_off[l + 1];

          for (guint o = 0; o < O; o++)
            hout[o] = a[o] > 0.0 ? a[o] : 0.0;
        }
      else
        memcpy (fw->out, a, O * sizeof (double));
    }
}

/* Output errors for every class and their weights q_y. */
static void
output_errors (FisherWork *fw)
{
  const VesicleShape *s = fw->shape;
  guint O = s->sizes[s->n_layers];

  if (s->head == VESICLE_HEAD_SOFTMAX)
    {
      double max = fw->out[0], sum = 0.0;

      for (guint o = 1; o < O; o++)
        max = MAX (max, fw->out[o]);
      for (guint o = 0; o < O; o++)
        sum += (fw->out[o] = exp (fw->out[o] - max));
      for (guint o = 0; o < O; o++)
        fw->out[o] /= sum;
      for (guint y = 0; y < O; y++)
        {
          fw->q[y] = fw->out[y];
          for (guint o = 0; o < O; o++)
            fw->delta[y * O + o] = fw->out[o] - (o == y ? 1.0 : 0.0);
        }
    }
  else
    {
      /* d log N(y; f, s^2) / d f_o = (y_o - f_o) / s^2 with y_o - f_o ~ N(0, s^2): one unit
       * vector per output, scaled by 1/s, carries the whole expectation. */
      for (guint y = 0; y < O; y++)
        {
          fw->q[y] = 1.0;
          for (guint o = 0; o < O; o++)
            fw->delta[y * O + o] = o == y ? 1.0 / s->noise_sd : 0.0;
        }
    }
}

static void
backward (FisherWork *fw)
{
  const VesicleShape *s = fw->shape;
  guint L = s->n_layers, Y = fw->Y;

  for (guint l = L; l-- > 0;)
    {
      guint O = s->sizes[l + 1], I = s->sizes[l];
      double *D = fw->D[l];

      for (guint o = 0; o < O; o++)
        {
          double acc = 0.0;

          for (guint y = 0; y < Y; y++)
            acc += fw->q[y] * fw->delta[y * O + o] * fw->delta[y * O + o];
          D[o] = acc;
        }
      if (l == 0)
        break;
      {
        const double *W = fw->w + vesicle_shape_layer_offset (s, l);
        const double *a_below = fw->a + fw->a_off[l - 1];
        double *tmp;

        for (guint y = 0; y < Y; y++)
          {
            double *din = fw->delta_in + (gsize) y * I;
            const double *d = fw->delta + (gsize) y * O;

            memset (din, 0, I * sizeof (double));
            for (guint o = 0; o < O; o++)
              {
                const double *row = W + (gsize) o * I;

                for (guint i = 0; i < I; i++)
                  din[i] += row[i] * d[o];
              }
            for (guint i = 0; i < I; i++)
              if (a_below[i] <= 0.0)
                din[i] = 0.0;
          }
        tmp = fw->delta;
        fw->delta = fw->delta_in;
        fw->delta_in = tmp;
      }
    }
}

gboolean
vesicle_fisher_diagonal (double                *fisher,
                         double                *input_power,
                         const VesicleShape    *shape,
                         const float           *mu,
                         const float           *sigma,
                         guint64                seed,
                         guint                  examples_per_sample,
                         const VesicleExamples *examples,
                         GCancellable          *cancellable,
                         GError               **error)
{
  FisherWork fw = { .shape = shape };
  gsize P = vesicle_shape_n_params (shape), h_len = 0, a_len = 0, widest = 0;
  guint L = shape->n_layers;
  g_autofree double *wd = g_new (double, P);
  g_autofree float *xi = sigma ? g_new (float, P) : NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (examples->dim == shape->sizes[0], FALSE);
  g_return_val_if_fail (sigma == NULL || examples_per_sample > 0, FALSE);

  for (gsize j = 0; j < P; j++)
    wd[j] = mu[j];
  fw.w = wd;
  fw.Y = shape->sizes[L];
  fw.h_off = g_new (gsize, L);
  fw.a_off = g_new (gsize, L);
  fw.D = g_new (double *, L);
  for (guint l = 0; l < L; l++)
    {
      fw.h_off[l] = h_len;
      fw.a_off[l] = a_len;
      h_len += shape->sizes[l];
      a_len += shape->sizes[l + 1];
      widest = MAX (widest, shape->sizes[l + 1]);
      widest = MAX (widest, shape->sizes[l]);
      fw.D[l] = g_new (double, shape->sizes[l + 1]);
    }
  fw.h = g_new (double, h_len);
  fw.a = g_new (double, a_len);
  fw.out = g_new (double, fw.Y);
  fw.q = g_new (double, fw.Y);
  fw.delta = g_new (double, (gsize) fw.Y * widest);
  fw.delta_in = g_new (double, (gsize) fw.Y * widest);
  fw.h2 = g_new (double, widest);

  memset (fisher, 0, P * sizeof (double));
  memset (input_power, 0, h_len * sizeof (double));

  for (guint n = 0; n < examples->n; n++)
    {
      const float *x = examples->x + (gsize) n * examples->dim;

      if (n % 256 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (sigma && n % examples_per_sample == 0)
        {
          vesicle_model_draw_noise (xi, shape, seed, n / examples_per_sample,
                                    VESICLE_STREAM_ANALYSIS);
          for (gsize j = 0; j < P; j++)
            wd[j] = (double) mu[j] + (double) sigma[j] * xi[j];
        }
      for (guint i = 0; i < shape->sizes[0]; i++)
        fw.h[i] = x[i];
      forward (&fw);
      output_errors (&fw);
      backward (&fw);
      for (guint l = 0; l < L; l++)
        {
          guint O = shape->sizes[l + 1], I = shape->sizes[l];
          double *F = fisher + vesicle_shape_layer_offset (shape, l);
          const double *hin = fw.h + fw.h_off[l];
          double *power = input_power + fw.h_off[l];
          double *h2 = fw.h2;

          for (guint i = 0; i < I; i++)
            power[i] += (h2[i] = hin[i] * hin[i]);
          for (guint o = 0; o < O; o++)
            {
              double d = fw.D[l][o];
              double *row = F + (gsize) o * I;

              if (d == 0.0)
                continue;
              for (guint i = 0; i < I; i++)
                row[i] += d * h2[i];
              F[(gsize) O * I + o] += d;
            }
        }
    }
  if (ok && examples->n > 0)
    {
      for (gsize j = 0; j < P; j++)
        fisher[j] /= examples->n;
      for (gsize j = 0; j < h_len; j++)
        input_power[j] /= examples->n;
    }

  for (guint l = 0; l < L; l++)
    g_free (fw.D[l]);
  g_free (fw.D);
  g_free (fw.h_off);
  g_free (fw.a_off);
  g_free (fw.h);
  g_free (fw.a);
  g_free (fw.out);
  g_free (fw.q);
  g_free (fw.delta);
  g_free (fw.delta_in);
  g_free (fw.h2);
  return ok;
}

double
vesicle_fisher_flops (gsize   n_params,
                      guint   n_classes,
                      guint64 n_examples)
{
  return 2.0 * (n_classes + 1) * (double) n_params * (double) n_examples;
}

#define RATE_EXAMPLES 32

double
vesicle_fisher_measure_flops_per_s (double seconds)
{
  guint hidden[1] = { 100 };
  VesicleShape shape;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GTimer) timer = NULL;
  g_autofree float *mu = NULL, *sigma = NULL, *x = NULL, *targets = NULL;
  g_autofree double *fisher = NULL, *power = NULL;
  VesicleExamples examples = { RATE_EXAMPLES, 784, 1, NULL, NULL };
  gsize P;
  guint64 done = 0;
  double elapsed;

  /* the paper's network, with weights of a trained one's scale and inputs like pixels: a
   * ReLU that is off skips its row, as in a real network */
  vesicle_shape_init (&shape, 784, hidden, 1, 10, VESICLE_HEAD_SOFTMAX, NULL);
  P = vesicle_shape_n_params (&shape);
  mu = g_new (float, P);
  sigma = g_new (float, P);
  for (gsize j = 0; j < P; j++)
    {
      mu[j] = (float) g_rand_double_range (rand, -0.1, 0.1);
      sigma[j] = 0.05f;
    }
  examples.x = x = g_new (float, (gsize) RATE_EXAMPLES * 784);
  examples.targets = targets = g_new (float, RATE_EXAMPLES);
  for (gsize i = 0; i < (gsize) RATE_EXAMPLES * 784; i++)
    x[i] = (float) g_rand_double (rand);
  for (guint n = 0; n < RATE_EXAMPLES; n++)
    targets[n] = n % 10;
  fisher = g_new (double, P);
  power = g_new (double, 784 + 100);
  timer = g_timer_new ();
  do
    {
      if (!vesicle_fisher_diagonal (fisher, power, &shape, mu, sigma, 1, 20, &examples, NULL,
                                    NULL))
        break;
      done += RATE_EXAMPLES;
    }
  while ((elapsed = g_timer_elapsed (timer, NULL)) < seconds);
  return done > 0 ? vesicle_fisher_flops (P, 10, done) / elapsed : NAN;
}
