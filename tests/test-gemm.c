/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GEMMs a cohort runs, on the OpenCL device against a float64 product on the host, for
 * Vesicle's own kernels (kernels/gemm.cl) and CLBlast alike, and against each other: the three
 * forms a step uses (NN, TN, NT), plain and strided-batched, at odd sizes (1, 7, 33, 65, 130:
 * partial row tiles, partial work-groups, a single column), with offsets into larger buffers
 * and leading dimensions wider than the rows. Also what each chooses by default and with
 * VESICLE_GEMM.
 */
#include "vesicle-cl-program.h"
#include "vesicle-gemm.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

typedef struct {
  VesicleClDevice *device;
  cl_program       program;
} Fixture;

static void
fixture_init (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gboolean cached;

  f->device = vesicle_cl_device_open (NULL, &error);
  g_assert_no_error (error);
  f->program = vesicle_cl_program_build (f->device, "", &cached, &error);
  g_assert_no_error (error);
}

static void
fixture_clear (Fixture *f)
{
  clReleaseProgram (f->program);
  vesicle_cl_device_free (f->device);
}

static VesicleGemm *
gemm_new (Fixture    *f,
          const char *choice)
{
  g_autoptr(GError) error = NULL;
  VesicleGemm *gemm;

  g_setenv ("VESICLE_GEMM", choice, TRUE);
  gemm = vesicle_gemm_new (f->device, f->program, &error);
  g_unsetenv ("VESICLE_GEMM");
  g_assert_no_error (error);
  g_assert_cmpstr (vesicle_gemm_name (gemm), ==, choice);
  return gemm;
}

static cl_mem
upload (Fixture     *f,
        const float *data,
        gsize        n)
{
  cl_int status;
  cl_mem mem = clCreateBuffer (f->device->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                               n * sizeof (float), (void *) data, &status);

  g_assert_cmpint (status, ==, CL_SUCCESS);
  return mem;
}

/* op(A)(i, p) and op(B)(p, j) of batch member z, in the layout VesicleMat describes. */
static double
elem (const float      *x,
      const VesicleMat *mat,
      gsize             z,
      gsize             row,
      gsize             col)
{
  return mat->trans ? x[mat->offset + z * mat->stride + col * mat->ld + row]
                    : x[mat->offset + z * mat->stride + row * mat->ld + col];
}

/* One product on the device with @gemm, checked against float64; returns C for comparisons. */
static float *
run_one (Fixture    *f,
         VesicleGemm *gemm,
         gsize       batch,
         gsize       m,
         gsize       n,
         gsize       k,
         gboolean    ta,
         gboolean    tb)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (m * 10007 + n * 101 + k + 7 * ta + 13 * tb);
  g_autoptr(GError) error = NULL;
  /* an offset of 3 and a leading dimension 5 wider than needed, members 11 apart */
  gsize a_rows = ta ? k : m, a_cols = ta ? m : k, b_rows = tb ? n : k, b_cols = tb ? k : n;
  VesicleMat a = { NULL, 3, a_cols + 5, a_rows * (a_cols + 5) + 11, ta };
  VesicleMat b = { NULL, 3, b_cols + 5, b_rows * (b_cols + 5) + 11, tb };
  VesicleMat c = { NULL, 3, n + 5, m * (n + 5) + 11, FALSE };
  gsize a_len = 3 + batch * a.stride, b_len = 3 + batch * b.stride, c_len = 3 + batch * c.stride;
  g_autofree float *ha = g_new (float, a_len);
  g_autofree float *hb = g_new (float, b_len);
  float *hc = g_new (float, c_len);
  double worst = 0;

  for (gsize i = 0; i < a_len; i++)
    ha[i] = (float) g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < b_len; i++)
    hb[i] = (float) g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < c_len; i++)
    hc[i] = 1234.5f;   /* what is outside C must stay */
  a.buffer = upload (f, ha, a_len);
  b.buffer = upload (f, hb, b_len);
  c.buffer = upload (f, hc, c_len);
  g_assert_true (vesicle_gemm_run (gemm, batch, m, n, k, &a, &b, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (clEnqueueReadBuffer (f->device->queue, c.buffer, CL_TRUE, 0,
                                        c_len * sizeof (float), hc, 0, NULL, NULL), ==,
                   CL_SUCCESS);

  for (gsize z = 0; z < batch; z++)
    for (gsize i = 0; i < m; i++)
      for (gsize j = 0; j < n; j++)
        {
          double want = 0, scale = 0;

          for (gsize p = 0; p < k; p++)
            {
              double t = elem (ha, &a, z, i, p) * elem (hb, &b, z, p, j);

              want += t;
              scale += fabs (t);
            }
          worst = MAX (worst, fabs (hc[c.offset + z * c.stride + i * c.ld + j] - want)
                              / MAX (scale, 1e-30));
        }
  /* float32 accumulation: a few ulps of the sum of |terms| */
  if (worst > 1e-6 * MAX (1.0, sqrt ((double) k)))
    g_error ("%s %s%s batch %zu, %zu x %zu x %zu: relative error %g", vesicle_gemm_name (gemm),
             ta ? "T" : "N", tb ? "T" : "N", batch, m, n, k, worst);
  /* untouched outside C: the offset, the padding of each row, the gap between members */
  g_assert_cmpfloat (hc[0], ==, 1234.5f);
  for (gsize z = 0; z < batch; z++)
    for (gsize i = 0; i < m; i++)
      for (gsize j = n; j < c.ld; j++)
        g_assert_cmpfloat (hc[c.offset + z * c.stride + i * c.ld + j], ==, 1234.5f);
  clReleaseMemObject (a.buffer);
  clReleaseMemObject (b.buffer);
  clReleaseMemObject (c.buffer);
  return hc;
}

static void
test_odd_shapes (void)
{
  static const gsize sizes[] = { 1, 7, 33, 65, 130 };
  static const gboolean forms[3][2] = { { FALSE, FALSE }, { TRUE, FALSE }, { FALSE, TRUE } };
  Fixture f;
  VesicleGemm *own, *clblast;
  guint n_products = 0;

  fixture_init (&f);
  own = gemm_new (&f, "vesicle");
  clblast = gemm_new (&f, "clblast");
  for (guint form = 0; form < 3; form++)
    for (guint batch = 1; batch <= 3; batch += 2)
      for (guint im = 0; im < G_N_ELEMENTS (sizes); im++)
        for (guint in = 0; in < G_N_ELEMENTS (sizes); in++)
          for (guint ik = 0; ik < G_N_ELEMENTS (sizes); ik += 2)
            {
              gsize m = sizes[im], n = sizes[in], k = sizes[ik];
              g_autofree float *c_own = NULL, *c_blas = NULL;
              gsize c_len = 3 + batch * (m * (n + 5) + 11);
              double worst = 0;

              c_own = run_one (&f, own, batch, m, n, k, forms[form][0], forms[form][1]);
              c_blas = run_one (&f, clblast, batch, m, n, k, forms[form][0], forms[form][1]);
              for (gsize i = 0; i < c_len; i++)
                worst = MAX (worst, fabs (c_own[i] - c_blas[i]));
              /* both within a few ulps of float64, so within a few ulps of each other */
              g_assert_cmpfloat (worst, <=, 1e-5 * k);
              n_products += 2;
            }
  g_test_message ("%u products checked against float64 and each other", n_products);
  vesicle_gemm_free (own);
  vesicle_gemm_free (clblast);
  fixture_clear (&f);
}

/* What runs by default: Vesicle's kernels on a CPU, CLBlast elsewhere; a bad choice is refused. */
static void
test_choice (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  VesicleGemm *gemm;

  fixture_init (&f);
  g_unsetenv ("VESICLE_GEMM");
  gemm = vesicle_gemm_new (f.device, f.program, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vesicle_gemm_name (gemm), ==,
                   f.device->info.type & CL_DEVICE_TYPE_CPU ? "vesicle" : "clblast");
  vesicle_gemm_free (gemm);
  g_setenv ("VESICLE_GEMM", "fastest", TRUE);
  g_assert_null (vesicle_gemm_new (f.device, f.program, &error));
  g_unsetenv ("VESICLE_GEMM");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "VESICLE_GEMM"));
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gemm/odd-shapes", test_odd_shapes);
  g_test_add_func ("/gemm/choice", test_choice);
  return g_test_run ();
}
