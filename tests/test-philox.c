/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the host side of kernels/vesicle_philox.h and of the noise and initialisation built on
 * it in vesicle-model.c: Philox4x32-10 known-answer vectors (Random123's kat_vectors), agreement
 * bit for bit with Random123's own philox4x32 where its header is installed, the statistics of
 * vesicle_normal4 (mean, variance, a Kolmogorov-Smirnov distance to the normal CDF, finiteness),
 * which inputs change the draws, vesicle_model_draw_noise against vesicle_normal4 with the
 * documented tensor ids, and vesicle_model_init_params.
 */
#include "vesicle-model.h"
#include "vesicle_philox.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include (<Random123/philox.h>)
#include <Random123/philox.h>
#define HAVE_RANDOM123 1
#endif
#endif

/* ---- Philox4x32-10 ---------------------------------------------------------------------- */

typedef struct {
  vp_u32 ctr[4];
  vp_u32 key[2];
  vp_u32 expect[4];
} Kat;

/* Random123 1.14, tests/kat_vectors, the "philox4x32 10" lines. */
static const Kat kat[] = {
  { { 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u }, { 0x00000000u, 0x00000000u },
    { 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u } },
  { { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu }, { 0xffffffffu, 0xffffffffu },
    { 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu } },
  { { 0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u }, { 0xa4093822u, 0x299f31d0u },
    { 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u } },
};

static void
test_known_answer (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kat); i++)
    {
      vp_u32 out[4];

      vesicle_philox4x32_10 (out, kat[i].ctr, kat[i].key);
      for (guint j = 0; j < 4; j++)
        g_assert_cmphex (out[j], ==, kat[i].expect[j]);
    }
}

static void
test_random123 (void)
{
#ifdef HAVE_RANDOM123
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);

  /* the known answers above, from the reference implementation itself */
  for (guint i = 0; i < G_N_ELEMENTS (kat); i++)
    {
      philox4x32_ctr_t c = { { kat[i].ctr[0], kat[i].ctr[1], kat[i].ctr[2], kat[i].ctr[3] } };
      philox4x32_key_t k = { { kat[i].key[0], kat[i].key[1] } };
      philox4x32_ctr_t r = philox4x32 (c, k);

      for (guint j = 0; j < 4; j++)
        g_assert_cmphex (r.v[j], ==, kat[i].expect[j]);
    }

  for (guint i = 0; i < 10000; i++)
    {
      vp_u32 ctr[4], key[2], out[4];
      philox4x32_ctr_t c;
      philox4x32_key_t k;
      philox4x32_ctr_t r;

      for (guint j = 0; j < 4; j++)
        c.v[j] = ctr[j] = g_rand_int (rand);
      for (guint j = 0; j < 2; j++)
        k.v[j] = key[j] = g_rand_int (rand);
      /* small counters too: the noise keys are mostly small numbers */
      if (i % 4 == 0)
        c.v[0] = ctr[0] = i;
      r = philox4x32 (c, k);
      vesicle_philox4x32_10 (out, ctr, key);
      for (guint j = 0; j < 4; j++)
        if (out[j] != r.v[j])
          g_error ("draw %u, word %u: vesicle %08x, Random123 %08x", i, j, out[j], r.v[j]);
    }
#else
  g_test_skip ("Random123/philox.h is not installed (Debian: librandom123-dev)");
#endif
}

/* ---- vesicle_u01 and vesicle_normal4 ---------------------------------------------------- */

static void
test_u01 (void)
{
  /* 23 bits, centred: never 0 nor 1, so log() is always finite and nonzero */
  g_assert_cmpfloat (vesicle_u01 (0), ==, 0.5f / 8388608.0f);
  g_assert_cmpfloat (vesicle_u01 (0), >, 0.0f);
  g_assert_cmpfloat (vesicle_u01 (0x1ff), ==, vesicle_u01 (0));
  g_assert_cmpfloat (vesicle_u01 (0x200), ==, 1.5f / 8388608.0f);
  g_assert_cmpfloat (vesicle_u01 (0x7fffffffu), ==, 0.5f - 0.5f / 8388608.0f);
  g_assert_cmpfloat (vesicle_u01 (0xffffffffu), ==, 1.0f - 0.5f / 8388608.0f);
  g_assert_cmpfloat (vesicle_u01 (0xffffffffu), <, 1.0f);
  for (vp_u64 x = 0; x < 0xfffffe00u; x += 0xfe00u)
    g_assert_cmpfloat (vesicle_u01 ((vp_u32) x), <, vesicle_u01 ((vp_u32) x + 0x200u));
}

/* The transform as documented: (r cos 2 pi u2, r sin 2 pi u2), r = sqrt(-2 log u1), from words
 * (0, 1) and (2, 3) of Philox4x32-10 on counter (idx4, layer, step, stream), key = seed. */
static void
test_normal4_box_muller (void)
{
  const guint64 seed = G_GUINT64_CONSTANT (0x0123456789abcdef);

  for (vp_u32 idx4 = 0; idx4 < 1000; idx4++)
    {
      vp_u32 ctr[4] = { idx4, 3, 77, VESICLE_STREAM_EVAL };
      vp_u32 key[2] = { 0x89abcdefu, 0x01234567u };
      vp_u32 bits[4];
      float z[4];

      vesicle_philox4x32_10 (bits, ctr, key);
      vesicle_normal4 (z, seed, 77, 3, VESICLE_STREAM_EVAL, idx4);
      for (guint p = 0; p < 2; p++)
        {
          double u1 = vesicle_u01 (bits[2 * p]), u2 = vesicle_u01 (bits[2 * p + 1]);
          double r = sqrt (-2.0 * log (u1));
          double x = r * cos (2 * G_PI * u2), y = r * sin (2 * G_PI * u2);

          g_assert_cmpfloat_with_epsilon (z[2 * p], x, 1e-5 * MAX (1.0, r));
          g_assert_cmpfloat_with_epsilon (z[2 * p + 1], y, 1e-5 * MAX (1.0, r));
        }
    }
}

static double
normal_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* 10^6 draws of one (seed, step, layer, stream), indices 0 .. 10^6 - 1 as a layer would draw
 * them. Tolerances at 5 standard errors: mean 5 / sqrt(n) = 0.005; the sample variance of a
 * normal has standard error sqrt(2 / n) = 0.0014, so 0.0071; the Kolmogorov distance
 * sqrt(n) D exceeds 3 with probability 2 exp(-18) ~ 3e-8, so D < 0.003. The draws are fixed
 * (counter based), so the test is deterministic; the bounds say it is not a lucky seed. */
static void
test_normal4_statistics (void)
{
  const guint n = 1000000;
  g_autofree double *z = g_new (double, n);
  double sum = 0, sum2 = 0, d_max = 0, lo = INFINITY, hi = -INFINITY;
  double mean, var, cross = 0;

  for (guint i = 0; i < n / 4; i++)
    {
      float out[4];

      vesicle_normal4 (out, 42, 1234, 2, VESICLE_STREAM_TRAIN, i);
      for (guint j = 0; j < 4; j++)
        {
          g_assert_true (isfinite (out[j]));
          z[4 * i + j] = out[j];
        }
      /* the two members of a Box-Muller pair, and the two pairs, are uncorrelated */
      cross += (double) out[0] * out[1] + (double) out[1] * out[2];
    }
  for (guint i = 0; i < n; i++)
    {
      sum += z[i];
      sum2 += z[i] * z[i];
      lo = MIN (lo, z[i]);
      hi = MAX (hi, z[i]);
    }
  mean = sum / n;
  var = sum2 / n - mean * mean;
  g_test_message ("mean %.6f, variance %.6f, range [%.3f, %.3f]", mean, var, lo, hi);
  g_assert_cmpfloat (fabs (mean), <, 5.0 / sqrt (n));
  g_assert_cmpfloat (fabs (var - 1.0), <, 5.0 * sqrt (2.0 / n));
  /* the largest |z| a 23-bit uniform allows is sqrt(-2 log(2^-24)) = 5.77 */
  g_assert_cmpfloat (hi, <, 5.78);
  g_assert_cmpfloat (lo, >, -5.78);
  g_assert_cmpfloat (hi, >, 4.0);
  g_assert_cmpfloat (lo, <, -4.0);
  /* n / 2 products of independent standard normals: standard error 1 / sqrt(n / 2) */
  g_assert_cmpfloat (fabs (cross / (n / 2)), <, 5.0 / sqrt (n / 2.0));

  qsort (z, n, sizeof (double), cmp_double);
  for (guint i = 0; i < n; i++)
    {
      double f = normal_cdf (z[i]);

      d_max = MAX (d_max, MAX (fabs (f - (double) i / n), fabs ((double) (i + 1) / n - f)));
    }
  g_test_message ("Kolmogorov-Smirnov distance %.6f (sqrt(n) D = %.3f)", d_max, d_max * sqrt (n));
  g_assert_cmpfloat (d_max, <, 0.003);
}

static gboolean
same4 (const float *a,
       const float *b)
{
  return memcmp (a, b, 4 * sizeof (float)) == 0;
}

/* Each input of the noise key changes the draws; equal inputs give equal draws. */
static void
test_normal4_keys (void)
{
  const guint64 seed = 7;
  const vp_u32 step = 100, layer = 3, stream = VESICLE_STREAM_TRAIN;

  for (vp_u32 idx4 = 0; idx4 < 256; idx4++)
    {
      float base[4], again[4], other[4];

      vesicle_normal4 (base, seed, step, layer, stream, idx4);
      vesicle_normal4 (again, seed, step, layer, stream, idx4);
      g_assert_true (same4 (base, again));

      vesicle_normal4 (other, seed + 1, step, layer, stream, idx4);
      g_assert_false (same4 (base, other));
      vesicle_normal4 (other, seed | G_GUINT64_CONSTANT (1) << 32, step, layer, stream, idx4);
      g_assert_false (same4 (base, other));
      vesicle_normal4 (other, seed, step + 1, layer, stream, idx4);
      g_assert_false (same4 (base, other));
      vesicle_normal4 (other, seed, step, layer + 1, stream, idx4);
      g_assert_false (same4 (base, other));
      vesicle_normal4 (other, seed, step, layer, VESICLE_STREAM_EVAL, idx4);
      g_assert_false (same4 (base, other));
      vesicle_normal4 (other, seed, step, layer, stream, idx4 + 1);
      g_assert_false (same4 (base, other));
      /* no component of one draw reappears anywhere in the next one */
      for (guint a = 0; a < 4; a++)
        for (guint b = 0; b < 4; b++)
          g_assert_cmpfloat (base[a], !=, other[b]);
    }
}

/* ---- vesicle-model.c ---------------------------------------------------------------------- */

static void
make_shape (VesicleShape *shape,
            guint         n_inputs,
            const guint  *hidden,
            guint         n_hidden,
            guint         n_outputs)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vesicle_shape_init (shape, n_inputs, hidden, n_hidden, n_outputs,
                                     VESICLE_HEAD_SOFTMAX, &error));
  g_assert_no_error (error);
}

/* Weights of layer l are tensor 2l, index o * I + i; biases tensor 2l + 1, index o; each tensor
 * counts its noise from 0. Widths chosen so that no tensor is a multiple of 4 long. */
static void
test_draw_noise (void)
{
  const guint hidden[2] = { 5, 3 };
  VesicleShape shape;
  gsize P;
  g_autofree float *xi = NULL, *again = NULL, *other = NULL;
  gsize at = 0;

  make_shape (&shape, 3, hidden, 2, 2);
  P = vesicle_shape_n_params (&shape);
  g_assert_cmpuint (P, ==, (5 * 3 + 5) + (3 * 5 + 3) + (2 * 3 + 2));
  xi = g_new (float, P + 1);
  again = g_new (float, P);
  other = g_new (float, P);
  xi[P] = 12345.0f;   /* must stay untouched */

  vesicle_model_draw_noise (xi, &shape, G_GUINT64_CONSTANT (0x100000003), 17,
                            VESICLE_STREAM_TRAIN);
  g_assert_cmpfloat (xi[P], ==, 12345.0f);
  for (guint l = 0; l < shape.n_layers; l++)
    {
      gsize O = shape.sizes[l + 1], I = shape.sizes[l];

      g_assert_cmpuint (at, ==, vesicle_shape_layer_offset (&shape, l));
      for (guint t = 0; t < 2; t++)
        {
          gsize n = t == 0 ? O * I : O;

          for (gsize j = 0; j < n; j++, at++)
            {
              float z[4];

              vesicle_normal4 (z, G_GUINT64_CONSTANT (0x100000003), 17, 2 * l + t,
                               VESICLE_STREAM_TRAIN, (vp_u32) (j / 4));
              if (memcmp (&xi[at], &z[j % 4], sizeof (float)) != 0)
                g_error ("layer %u tensor %u index %" G_GSIZE_FORMAT ": %g, expected %g",
                         l, 2 * l + t, j, xi[at], z[j % 4]);
            }
        }
    }
  g_assert_cmpuint (at, ==, P);

  vesicle_model_draw_noise (again, &shape, G_GUINT64_CONSTANT (0x100000003), 17,
                            VESICLE_STREAM_TRAIN);
  g_assert_cmpmem (xi, P * sizeof (float), again, P * sizeof (float));

  vesicle_model_draw_noise (other, &shape, G_GUINT64_CONSTANT (0x100000003), 18,
                            VESICLE_STREAM_TRAIN);
  for (gsize i = 0; i < P; i++)
    g_assert_cmpfloat (other[i], !=, xi[i]);
  vesicle_model_draw_noise (other, &shape, G_GUINT64_CONSTANT (0x100000003), 17,
                            VESICLE_STREAM_EVAL);
  for (gsize i = 0; i < P; i++)
    g_assert_cmpfloat (other[i], !=, xi[i]);
  vesicle_model_draw_noise (other, &shape, 3, 17, VESICLE_STREAM_TRAIN);
  for (gsize i = 0; i < P; i++)
    g_assert_cmpfloat (other[i], !=, xi[i]);
}

/* No hidden layer and tensors shorter than one draw of four. */
static void
test_draw_noise_tiny (void)
{
  VesicleShape shape;
  float xi[3], z[4];

  make_shape (&shape, 2, NULL, 0, 1);
  g_assert_cmpuint (vesicle_shape_n_params (&shape), ==, 3);
  vesicle_model_draw_noise (xi, &shape, 9, 0, VESICLE_STREAM_TRAIN);
  vesicle_normal4 (z, 9, 0, 0, VESICLE_STREAM_TRAIN, 0);
  g_assert_cmpfloat (xi[0], ==, z[0]);
  g_assert_cmpfloat (xi[1], ==, z[1]);
  vesicle_normal4 (z, 9, 0, 1, VESICLE_STREAM_TRAIN, 0);
  g_assert_cmpfloat (xi[2], ==, z[0]);
}

static void
test_init_params (void)
{
  const guint hidden[2] = { 100, 100 };
  const double range = 0.1, sigma_init = 1e-4;
  VesicleShape shape;
  gsize P;
  g_autofree float *mu = NULL, *mu_again = NULL, *mu_other = NULL, *phi = NULL;
  float phi_homo[2] = { 0.0f, 777.0f };
  float phi0 = (float) vesicle_softplus_inverse (sigma_init);
  double sum = 0, sum2 = 0, lo = INFINITY, hi = -INFINITY;
  gsize n_same = 0;

  make_shape (&shape, 784, hidden, 2, 10);
  P = vesicle_shape_n_params (&shape);
  g_assert_cmpuint (P, ==, 89610);
  mu = g_new (float, P);
  mu_again = g_new (float, P);
  mu_other = g_new (float, P);
  phi = g_new (float, P);

  vesicle_model_init_params (mu, phi, &shape, VESICLE_SIGMA_HETERO, 1, range, sigma_init);
  for (gsize i = 0; i < P; i++)
    {
      /* open interval; a float next to 0.1 may round up to (float) 0.1 */
      g_assert_cmpfloat (fabsf (mu[i]), <=, (float) range);
      g_assert_cmpfloat (fabsf (mu[i]), <, range + 1e-8);
      sum += mu[i];
      sum2 += (double) mu[i] * mu[i];
      lo = MIN (lo, mu[i]);
      hi = MAX (hi, mu[i]);
    }
  /* U(-r, r): mean 0 (s.e. r / sqrt(3 P)), variance r^2 / 3 (s.e. r^2 sqrt(4 / (45 P))) */
  g_assert_cmpfloat (fabs (sum / P), <, 5 * range / sqrt (3.0 * P));
  g_assert_cmpfloat (fabs (sum2 / P - range * range / 3), <,
                     5 * range * range * sqrt (4.0 / (45 * P)));
  g_assert_cmpfloat (lo, <, -0.999 * range);
  g_assert_cmpfloat (hi, >, 0.999 * range);

  /* phi = softplus^-1(sigma_init) everywhere */
  g_assert_cmpfloat_with_epsilon (vesicle_softplus (phi0), sigma_init, 1e-5 * sigma_init);
  for (gsize i = 0; i < P; i++)
    g_assert_cmpfloat (phi[i], ==, phi0);

  /* the same seed gives the same mu, another seed other numbers */
  vesicle_model_init_params (mu_again, phi, &shape, VESICLE_SIGMA_HETERO, 1, range, sigma_init);
  g_assert_cmpmem (mu, P * sizeof (float), mu_again, P * sizeof (float));
  vesicle_model_init_params (mu_other, phi, &shape, VESICLE_SIGMA_HETERO, 2, range, sigma_init);
  for (gsize i = 0; i < P; i++)
    n_same += mu[i] == mu_other[i];
  /* 2^24 levels: a handful of coincidences at most */
  g_assert_cmpuint (n_same, <, 10);

  /* the setting changes phi only; homogeneous networks have one phi */
  vesicle_model_init_params (mu_again, phi_homo, &shape, VESICLE_SIGMA_HOMO, 1, range,
                             sigma_init);
  g_assert_cmpmem (mu, P * sizeof (float), mu_again, P * sizeof (float));
  g_assert_cmpfloat (phi_homo[0], ==, phi0);
  g_assert_cmpfloat (phi_homo[1], ==, 777.0f);
}

static void
test_init_params_phi (void)
{
  const double sigmas[] = { 1e-6, 1e-4, 0.05, 1.0, 29.0, 50.0 };
  VesicleShape shape;
  float mu[3], phi[3], mu_zero[3];

  make_shape (&shape, 2, NULL, 0, 1);
  for (guint i = 0; i < G_N_ELEMENTS (sigmas); i++)
    {
      double want = log (expm1 (sigmas[i]));

      vesicle_model_init_params (mu, phi, &shape, VESICLE_SIGMA_HETERO, 5, 0.5, sigmas[i]);
      for (guint j = 0; j < 3; j++)
        {
          g_assert_cmpfloat_with_epsilon (phi[j], want, 1e-6 * MAX (1.0, fabs (want)));
          g_assert_cmpfloat_with_epsilon (vesicle_softplus (phi[j]), sigmas[i],
                                          1e-5 * sigmas[i]);
          g_assert_cmpfloat (fabsf (mu[j]), <=, 0.5f);
        }
    }
  /* a zero range gives mu = 0 */
  vesicle_model_init_params (mu_zero, phi, &shape, VESICLE_SIGMA_HETERO, 5, 0.0, 1e-4);
  for (guint j = 0; j < 3; j++)
    g_assert_cmpfloat (mu_zero[j], ==, 0.0f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/philox/known-answer", test_known_answer);
  g_test_add_func ("/philox/random123", test_random123);
  g_test_add_func ("/philox/u01", test_u01);
  g_test_add_func ("/philox/normal4/box-muller", test_normal4_box_muller);
  g_test_add_func ("/philox/normal4/statistics", test_normal4_statistics);
  g_test_add_func ("/philox/normal4/keys", test_normal4_keys);
  g_test_add_func ("/philox/model/draw-noise", test_draw_noise);
  g_test_add_func ("/philox/model/draw-noise-tiny", test_draw_noise_tiny);
  g_test_add_func ("/philox/model/init-params", test_init_params);
  g_test_add_func ("/philox/model/init-params-phi", test_init_params_phi);

  return g_test_run ();
}
