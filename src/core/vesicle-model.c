/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shapes, parameter layout, initialisation and host-side noise for one network.
 */
#include "vesicle-model.h"
#include "vesicle_philox.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>

gsize
vesicle_shape_layer_n_params (const VesicleShape *shape,
                              guint               layer)
{
  g_assert (layer < shape->n_layers);
  return (gsize) shape->sizes[layer + 1] * shape->sizes[layer] + shape->sizes[layer + 1];
}

gsize
vesicle_shape_layer_offset (const VesicleShape *shape,
                            guint               layer)
{
  gsize off = 0;

  for (guint l = 0; l < layer; l++)
    off += vesicle_shape_layer_n_params (shape, l);
  return off;
}

gsize
vesicle_shape_n_params (const VesicleShape *shape)
{
  return vesicle_shape_layer_offset (shape, shape->n_layers);
}

gboolean
vesicle_shape_init (VesicleShape  *shape,
                    guint          n_inputs,
                    const guint   *hidden,
                    guint          n_hidden,
                    guint          n_outputs,
                    VesicleHead    head,
                    GError       **error)
{
  if (n_hidden + 1 > VESICLE_MAX_LAYERS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "hidden: %u hidden layers requested, at most %u are supported",
                   n_hidden, VESICLE_MAX_LAYERS - 1);
      return FALSE;
    }
  if (n_inputs == 0 || n_outputs == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "network: %u inputs and %u outputs; both must be at least 1",
                   n_inputs, n_outputs);
      return FALSE;
    }
  memset (shape, 0, sizeof *shape);
  shape->n_layers = n_hidden + 1;
  shape->sizes[0] = n_inputs;
  for (guint l = 0; l < n_hidden; l++)
    {
      if (hidden[l] == 0 || hidden[l] > 1u << 16)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "hidden: layer %u has width %u; widths must be between 1 and 65536",
                       l + 1, hidden[l]);
          return FALSE;
        }
      shape->sizes[l + 1] = hidden[l];
    }
  shape->sizes[n_hidden + 1] = n_outputs;
  shape->head = head;
  shape->noise_sd = 1.0;
  return TRUE;
}

double
vesicle_softplus (double x)
{
  /* log1p(exp(x)) without overflow for large x */
  return x > 30.0 ? x : log1p (exp (x));
}

double
vesicle_softplus_inverse (double y)
{
  g_return_val_if_fail (y > 0.0, NAN);
  return y > 30.0 ? y : log (expm1 (y));
}

double
vesicle_sigmoid (double x)
{
  return 1.0 / (1.0 + exp (-x));
}

/* Calls fn for each tensor of one network: weights of layer l are tensor 2l, biases 2l + 1, and
 * each tensor's noise index counts from 0 (the key the kernels use). */
static void
fill_tensors (float              *out,
              const VesicleShape *shape,
              guint64             seed,
              guint32             step,
              guint32             stream,
              gboolean            uniform,
              double              range)
{
  vp_u32 key[2] = { (vp_u32) (seed & 0xffffffffu), (vp_u32) (seed >> 32) };

  for (guint l = 0; l < shape->n_layers; l++)
    {
      gsize O = shape->sizes[l + 1], I = shape->sizes[l];
      float *layer = out + vesicle_shape_layer_offset (shape, l);

      for (guint t = 0; t < 2; t++)
        {
          gsize n = t == 0 ? O * I : O;
          float *dst = t == 0 ? layer : layer + O * I;
          vp_u32 tensor = 2 * l + t;

          for (gsize j = 0; j < n; j += 4)
            {
              float z[4];

              if (uniform)
                {
                  vp_u32 ctr[4] = { (vp_u32) (j / 4), tensor, step, stream };
                  vp_u32 bits[4];

                  vesicle_philox4x32_10 (bits, ctr, key);
                  for (int q = 0; q < 4; q++)
                    z[q] = (float) ((2.0 * vesicle_u01 (bits[q]) - 1.0) * range);
                }
              else
                vesicle_normal4 (z, seed, step, tensor, stream, (vp_u32) (j / 4));
              for (gsize q = 0; q < 4 && j + q < n; q++)
                dst[j + q] = z[q];
            }
        }
    }
}

void
vesicle_model_draw_noise (float              *xi,
                          const VesicleShape *shape,
                          guint64             seed,
                          guint32             step,
                          guint32             stream)
{
  fill_tensors (xi, shape, seed, step, stream, FALSE, 0.0);
}

void
vesicle_model_init_params (float              *mu,
                           float              *phi,
                           const VesicleShape *shape,
                           VesicleSigmaSetting setting,
                           guint64             seed,
                           double              init_range,
                           double              sigma_init)
{
  float phi0 = (float) vesicle_softplus_inverse (sigma_init);
  gsize P = vesicle_shape_n_params (shape);

  fill_tensors (mu, shape, seed, 0, VESICLE_STREAM_INIT, TRUE, init_range);

  if (setting == VESICLE_SIGMA_HOMO)
    phi[0] = phi0;
  else
    for (gsize i = 0; i < P; i++)
      phi[i] = phi0;
}
