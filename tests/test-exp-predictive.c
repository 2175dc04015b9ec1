/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the "predictive" experiment (vesicle-exp-predictive.c, Appendix 4 figure 1), end to
 * end through the OpenCL engine: the presets; the synthetic data (x only in the data ranges,
 * y = x^3 + 2x^2 + noise); the quick preset's summary.json read back from disk and checked against
 * predictive-samples.npy; and the science of the figure: the variational-Bayes band is wider
 * where there is no data than where there is (measured on PoCL: band width 0.185 inside, 0.517
 * outside, 0.727 beyond the data; ratio 2.80), more so than for the efficient network with small
 * c and rho = 2, whose spread is less tied to the data (ratio 1.57). Also refusal of bad configs.
 * The quick run takes about 10 s on a 2-core CPU.
 */
#include "vesicle-test-experiment.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-config.h"
#include "vesicle-run.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>






static double
truth (double x)
{
  return x * x * x + 2.0 * x * x;
}

static void
assert_refused (const char *assignment,
                const char *key)
{
  assert_refused_by (&vesicle_experiment_predictive, assignment, key);
}

static void
test_type (void)
{
  g_autoptr(JsonObject) quick = vesicle_experiment_predictive.preset ("quick");
  g_autoptr(JsonObject) paper = vesicle_experiment_predictive.preset ("paper");

  g_assert_true (vesicle_experiment_find ("predictive") == &vesicle_experiment_predictive);
  g_assert_cmpstr (vesicle_experiment_predictive.name, ==, "predictive");
  g_assert_cmpstr (vesicle_experiment_predictive.figures, ==, "app4");
  g_assert_true (vesicle_experiment_predictive.title && *vesicle_experiment_predictive.title);
  g_assert_true (vesicle_experiment_predictive.description
                 && *vesicle_experiment_predictive.description);
  g_assert_null (vesicle_experiment_predictive.preset ("bogus"));
  g_assert_nonnull (quick);
  g_assert_nonnull (paper);
  /* the caption: one hidden layer of 20, noise s.d. 0.05 */
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (paper, "hidden"), 0),
                   ==, 20);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (paper, "hidden")), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (paper, "noise_sd"), ==, 0.05);
  /* paper trains longer and draws more samples */
  g_assert_cmpint (json_object_get_int_member (paper, "epochs"), >,
                   json_object_get_int_member (quick, "epochs"));
  g_assert_cmpint (json_object_get_int_member (paper, "n_samples"), >,
                   json_object_get_int_member (quick, "n_samples"));
}

static void
test_quick (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_predictive.preset ("quick");
  g_autofree char *dir = g_dir_make_tmp ("vesicle-predictive-XXXXXX", NULL);
  g_autofree char *samples_path = NULL;
  g_autofree float *samples = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL, experiment = NULL;
  JsonObject *data, *vb = NULL, *narrow = NULL;
  JsonArray *xs, *ys, *ranges, *grid, *f, *inside, *networks;
  double noise_sd;
  gsize dims[3];
  guint n_dims, G, K, S;

  g_assert_nonnull (dir);
  g_assert_true (run_experiment (&vesicle_experiment_predictive, dir, config, NULL, &error));
  g_assert_no_error (error);
  experiment = read_json (dir, "experiment.json");
  g_assert_cmpstr (json_object_get_string_member (experiment, "status"), ==, "completed");
  summary = read_json (dir, "summary.json");
  noise_sd = json_object_get_double_member (summary, "noise_sd");
  g_assert_cmpfloat (noise_sd, ==, 0.05);
  g_assert_cmpstr (json_object_get_string_member (summary, "prior"), ==, "gaussian");
  g_assert_cmpfloat (json_object_get_double_member (summary, "prior_precision"), ==, 1.0);

  /* the data: only in the ranges, around f within 5 noise s.d. */
  data = json_object_get_object_member (summary, "data");
  xs = json_object_get_array_member (data, "x");
  ys = json_object_get_array_member (data, "y");
  ranges = json_object_get_array_member (data, "ranges");
  g_assert_cmpuint (json_array_get_length (xs), ==, 40);
  g_assert_cmpuint (json_array_get_length (ys), ==, 40);
  g_assert_cmpuint (json_array_get_length (ranges), ==, 2);
  for (guint i = 0; i < 40; i++)
    {
      double x = element (xs, i);
      gboolean in = FALSE;

      for (guint r = 0; r < 2; r++)
        {
          JsonArray *lh = json_array_get_array_element (ranges, r);

          in = in || (x >= element (lh, 0) && x <= element (lh, 1));
        }
      g_assert_true (in);
      g_assert_cmpfloat (fabs (element (ys, i) - truth (x)), <, 5 * noise_sd);
    }

  grid = json_object_get_array_member (summary, "grid");
  f = json_object_get_array_member (summary, "truth");
  inside = json_object_get_array_member (summary, "inside");
  G = json_array_get_length (grid);
  g_assert_cmpuint (G, ==, 200);
  g_assert_cmpuint (json_array_get_length (f), ==, G);
  g_assert_cmpuint (json_array_get_length (inside), ==, G);
  g_assert_cmpfloat (element (grid, 0), ==, -3.0);
  g_assert_cmpfloat (element (grid, G - 1), ==, 2.0);
  for (guint g = 0; g < G; g++)
    g_assert_cmpfloat_with_epsilon (element (f, g), truth (element (grid, g)), 1e-12);

  /* VB, then rho {1/2, 2} x s {0.01, 0.1} */
  networks = json_object_get_array_member (summary, "networks");
  K = json_array_get_length (networks);
  g_assert_cmpuint (K, ==, 5);
  S = json_object_get_int_member (summary, "n_samples");
  samples_path = g_build_filename (dir, "predictive-samples.npy", NULL);
  samples = vesicle_read_npy (samples_path, dims, &n_dims, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_dims, ==, 3);
  g_assert_cmpuint (dims[0], ==, K);
  g_assert_cmpuint (dims[1], ==, S);
  g_assert_cmpuint (dims[2], ==, G);

  for (guint k = 0; k < K; k++)
    {
      JsonObject *n = json_array_get_object_element (networks, k);
      JsonArray *mean = json_object_get_array_member (n, "mean");
      JsonArray *sd = json_object_get_array_member (n, "sd");
      JsonArray *sd_total = json_object_get_array_member (n, "sd_total");
      JsonObject *w = json_object_get_object_member (n, "width");
      const char *kind = json_object_get_string_member (n, "kind");

      g_test_message ("%s rho %g c %g: width inside %.3f, gap %.3f, beyond %.3f, ratio %.2f, "
                      "RMSE inside %.3f", kind,
                      json_object_get_null_member (n, "rho") ? 0.0
                      : json_object_get_double_member (n, "rho"),
                      json_object_get_double_member (n, "c"),
                      json_object_get_double_member (w, "inside"),
                      json_object_get_double_member (w, "gap"),
                      json_object_get_double_member (w, "extrapolation"),
                      json_object_get_double_member (w, "ratio"),
                      json_object_get_double_member (n, "rmse_inside"));
      g_assert_cmpstr (kind, ==, k == 0 ? "vb" : "efficient");
      g_assert_cmpuint (json_array_get_length (mean), ==, G);
      g_assert_cmpuint (json_array_get_length (sd), ==, G);
      /* the predictive mean follows f where there is data (measured 0.08 to 0.12) */
      g_assert_cmpfloat (json_object_get_double_member (n, "rmse_inside"), <, 0.25);
      for (guint g = 0; g < G; g += 17)
        {
          double m = 0, v = 0;

          /* the summary is the samples' mean and s.d. */
          for (guint s = 0; s < S; s++)
            m += samples[((gsize) k * S + s) * G + g];
          m /= S;
          for (guint s = 0; s < S; s++)
            v += pow (samples[((gsize) k * S + s) * G + g] - m, 2);
          g_assert_cmpfloat_with_epsilon (element (mean, g), m, 1e-9 + 1e-9 * fabs (m));
          g_assert_cmpfloat_with_epsilon (element (sd, g), sqrt (v / (S - 1)), 1e-6);
          g_assert_cmpfloat_with_epsilon (element (sd_total, g),
                                          sqrt (pow (element (sd, g), 2) + noise_sd * noise_sd),
                                          1e-9);
        }
      if (k == 0)
        vb = n;
      else if (json_object_get_double_member (n, "rho") == 2.0
               && json_object_get_double_member (n, "s") == 0.01)
        narrow = n;
    }
  g_assert_nonnull (vb);
  g_assert_nonnull (narrow);
  g_assert_cmpfloat (json_object_get_double_member (narrow, "c"), ==, 0.01 * 0.01 / 2.0);

  /* Appendix 4 figure 1a: the VB band widens where there is no data (measured 0.185 inside,
   * 0.517 outside, 0.727 beyond the data) */
  {
    JsonObject *w = json_object_get_object_member (vb, "width");
    JsonObject *wn = json_object_get_object_member (narrow, "width");

    g_assert_cmpfloat (json_object_get_double_member (w, "outside"), >,
                       1.5 * json_object_get_double_member (w, "inside"));
    g_assert_cmpfloat (json_object_get_double_member (w, "extrapolation"), >,
                       2.0 * json_object_get_double_member (w, "inside"));
    /* figure 1b: small c and large rho give a band that follows the data less (1.57 against
     * 2.80) */
    g_assert_cmpfloat (json_object_get_double_member (wn, "ratio"), <,
                       json_object_get_double_member (w, "ratio"));
  }

  vesicle_test_remove_tree (dir);
}


static void
test_refuses (void)
{
  assert_refused ("data_ranges=[-2,-0.5,0.5]", "data_ranges");
  assert_refused ("data_ranges=[1,0]", "data_ranges");
  assert_refused ("grid=[2,-3]", "grid");
  assert_refused ("batch=41", "batch");
  assert_refused ("n_samples=1", "n_samples");
  assert_refused ("noise_sd=0", "noise_sd");
  assert_refused ("s=[0.01,-1]", "'s'");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/exp-predictive/type", test_type);
  g_test_add_func ("/exp-predictive/refuses", test_refuses);
  g_test_add_func ("/exp-predictive/quick", test_quick);

  return g_test_run ();
}
