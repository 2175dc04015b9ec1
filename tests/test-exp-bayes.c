/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the "bayes" experiment (vesicle-exp-bayes.c, Fig 7), end to end through the OpenCL
 * engine: the presets; the quick preset run through vesicle_experiment_run, its summary.json read
 * back from disk with json-glib and its arrays with vesicle_read_npy; and the science of Fig 7b:
 * the efficient networks' sigma^2 grows with the posterior variance with a log-log slope below 1,
 * steeper for rho = 1/2 than for rho = 2 (Eq 51: the power-law cost approaches the entropy as
 * rho -> 0). Measured on PoCL (2 cores, ~40 s), layer 2: 0.529 [0.512, 0.546] for rho 1/2 and
 * 0.273 [0.261, 0.284] for rho 2 (all layers 0.766 and 0.342); seeds 2 and 3 gave 0.530 / 0.266
 * and 0.583 / 0.313, so the confidence intervals stay well apart. Also the refusal of bad configs.
 */
#include "vesicle-test-experiment.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-config.h"
#include "vesicle-run.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>





static float *
read_array (const char *dir,
            const char *name,
            gsize      *dims,
            guint       want_dims)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  guint n_dims = 0;
  float *a = vesicle_read_npy (path, dims, &n_dims, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpuint (n_dims, ==, want_dims);
  return a;
}


static void
assert_refused (const char *assignment,
                const char *key)
{
  assert_refused_by (&vesicle_experiment_bayes, assignment, key);
}

static void
test_type (void)
{
  g_autoptr(JsonObject) quick = vesicle_experiment_bayes.preset ("quick");
  g_autoptr(JsonObject) paper = vesicle_experiment_bayes.preset ("paper");
  JsonArray *hidden;

  g_assert_true (vesicle_experiment_find ("bayes") == &vesicle_experiment_bayes);
  g_assert_cmpstr (vesicle_experiment_bayes.name, ==, "bayes");
  g_assert_cmpstr (vesicle_experiment_bayes.figures, ==, "fig7");
  g_assert_true (vesicle_experiment_bayes.title && *vesicle_experiment_bayes.title);
  g_assert_true (vesicle_experiment_bayes.description && *vesicle_experiment_bayes.description);
  g_assert_null (vesicle_experiment_bayes.preset ("bogus"));
  g_assert_null (vesicle_experiment_bayes.preset (NULL));
  g_assert_nonnull (quick);
  g_assert_nonnull (paper);

  /* paper: the Methods */
  hidden = json_object_get_array_member (paper, "hidden");
  g_assert_cmpuint (json_array_get_length (hidden), ==, 2);
  g_assert_cmpint (json_array_get_int_element (hidden, 0), ==, 100);
  g_assert_cmpint (json_array_get_int_element (hidden, 1), ==, 100);
  g_assert_cmpint (json_object_get_int_member (paper, "epochs"), ==, 50);
  g_assert_cmpfloat (json_object_get_double_member (paper, "lr"), ==, 5e-4);
  g_assert_cmpfloat (json_object_get_double_member (paper, "sigma_init"), ==, 1e-4);
  g_assert_cmpfloat (json_object_get_double_member (paper, "s"), ==, 0.01);
  g_assert_cmpstr (json_object_get_string_member (paper, "prior"), ==, "laplace");
  g_assert_cmpint (json_object_get_int_member (paper, "layer"), ==, 2);
  /* quick keeps two hidden layers, so that layer 2 is hidden-to-hidden as in Fig 5 */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (quick, "hidden")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (quick, "layer"), ==, 2);
}

/* The slope entry for rho (and c, if positive) in a list. */
static JsonObject *
find_slope (JsonArray *slopes,
            double     rho,
            double     c)
{
  for (guint i = 0; i < json_array_get_length (slopes); i++)
    {
      JsonObject *o = json_array_get_object_element (slopes, i);

      if (fabs (json_object_get_double_member (o, "rho") - rho) < 1e-9
          && (c <= 0 || fabs (json_object_get_double_member (o, "c") - c) < 1e-9 * c))
        return o;
    }
  g_error ("no slope for rho %g c %g", rho, c);
  return NULL;
}

static void
test_quick (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_bayes.preset ("quick");
  g_autofree char *dir = g_dir_make_tmp ("vesicle-bayes-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL, experiment = NULL;
  g_autofree float *table = NULL, *fisher = NULL, *sigma = NULL;
  g_autofree char *sigma_path = NULL;
  gsize dims[3], fisher_dims[3], sigma_dims[3];
  guint n_messages = 0, n_dims;
  JsonArray *networks, *by_rho, *by_c, *indices;
  JsonObject *pair, *posterior, *half, *two;
  const double rhos[4] = { 0.5, 2.0 / 3.0, 4.0 / 3.0, 2.0 };
  const double caption_c[3] = { 0.112, 0.2, 0.356 };
  gsize layer_off;
  guint K;

  /* two seeds: the second's group is analysed alike into "replicates" */
  g_assert_true (vesicle_config_apply_set (config, "seeds=[1,2]", NULL));

  g_assert_nonnull (dir);
  g_assert_true (run_experiment (&vesicle_experiment_bayes, dir, config, &n_messages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_messages, >, 6);

  experiment = read_json (dir, "experiment.json");
  g_assert_cmpstr (json_object_get_string_member (experiment, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (experiment, "type"), ==, "bayes");
  summary = read_json (dir, "summary.json");
  g_assert_cmpstr (json_object_get_string_member (summary, "prior"), ==, "laplace");
  g_assert_cmpfloat (json_object_get_double_member (summary, "prior_l1"), ==, 1e-4);
  g_assert_cmpint (json_object_get_int_member (summary, "layer"), ==, 2);

  /* VB, then Fig 7a's full grid: each of the four rhos at c = 10^(-2 rho)/rho and a quarter
   * decade either side */
  networks = json_object_get_array_member (summary, "networks");
  K = json_array_get_length (networks);
  g_assert_cmpuint (K, ==, 13);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary,
                                                                          "slopes_grid")), ==, 12);
  for (guint r = 0; r < 4; r++)
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *n = json_array_get_object_element (networks, 1 + 3 * r + i);
        double step = (i - 1.0) / 4;

        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (n, "rho"), rhos[r], 1e-12);
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (n, "c_step"), step, 1e-12);
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (n, "c"),
                                        pow (10.0, step - 2.0 * rhos[r]) / rhos[r],
                                        1e-9 * json_object_get_double_member (n, "c"));
      }
  for (guint k = 0; k < K; k++)
    {
      JsonObject *n = json_array_get_object_element (networks, k);

      g_assert_cmpstr (json_object_get_string_member (n, "kind"), ==, k == 0 ? "vb" : "efficient");
      g_assert_true (k == 0 ? json_object_get_null_member (n, "rho")
                            : json_object_get_double_member (n, "rho") > 0);
      /* measured 0.915 (VB) to 0.944 */
      g_test_message ("network %u: test accuracy %.3f, layer mean sigma %.4f", k,
                      json_object_get_double_member (n, "test_accuracy"),
                      json_object_get_double_member (n, "layer_mean_sigma"));
      g_assert_cmpfloat (json_object_get_double_member (n, "test_accuracy"), >, 0.85);
    }

  by_rho = json_object_get_array_member (summary, "slopes_by_rho");
  by_c = json_object_get_array_member (summary, "slopes_by_c");
  g_assert_cmpuint (json_array_get_length (by_rho), ==, 4);
  g_assert_cmpuint (json_array_get_length (by_c), ==, 3);
  for (guint r = 0; r < 4; r++)
    {
      JsonObject *o = find_slope (by_rho, rhos[r], 0);
      JsonObject *all = json_object_get_object_member (o, "all_layers");
      double slope = json_object_get_double_member (o, "slope");

      g_test_message ("rho %.3f: slope %.3f [%.3f, %.3f] (n %" G_GINT64_FORMAT ", %"
                      G_GINT64_FORMAT " inactive), all layers %.3f; Eq 54c %.3f", rhos[r], slope,
                      json_object_get_double_member (o, "ci_low"),
                      json_object_get_double_member (o, "ci_high"),
                      json_object_get_int_member (o, "n"),
                      json_object_get_int_member (o, "n_inactive"),
                      json_object_get_double_member (all, "slope"),
                      json_object_get_double_member (o, "analytic"));
      /* the caption's c = 10^(-2 rho) / rho, and Eq 54c */
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "c"),
                                      pow (10.0, -2.0 * rhos[r]) / rhos[r], 1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "analytic"),
                                      2.0 / (rhos[r] + 2.0), 1e-12);
      g_assert_cmpint (json_object_get_int_member (o, "layer"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (o, "n"), >, 1000);
      /* efficient noise grows with the posterior's, less than proportionally (Fig 7b) */
      g_assert_cmpfloat (slope, >, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "ci_high"), <, 1.0);
      g_assert_cmpfloat (json_object_get_double_member (all, "slope"), >, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (all, "ci_high"), <, 1.0);
    }
  half = find_slope (by_rho, 0.5, 0);
  two = find_slope (by_rho, 2.0, 0);
  /* steeper for rho = 1/2 than for rho = 2, beyond both confidence intervals (measured 0.529
   * [0.512, 0.546] against 0.273 [0.261, 0.284]; all layers 0.766 against 0.342) */
  g_assert_cmpfloat (json_object_get_double_member (half, "ci_low"), >,
                     json_object_get_double_member (two, "ci_high"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (half,
                                                                                  "all_layers"),
                                                    "ci_low"), >,
                     json_object_get_double_member (json_object_get_object_member (two,
                                                                                  "all_layers"),
                                                    "ci_high"));
  /* Fig 7c: the sweep is at rho 1/2 (the caption's 0.112, 0.2, 0.356), and its c = 0.2 is the
   * rho 1/2 network of Fig 7b */
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *o = json_array_get_object_element (by_c, i);

      g_assert_cmpfloat (json_object_get_double_member (o, "rho"), ==, 0.5);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "c"), caption_c[i],
                                      0.0015);
      g_assert_cmpfloat (json_object_get_double_member (o, "ci_high"), <, 1.0);
    }
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (by_c, 1),
                                               "network"), ==,
                   json_object_get_int_member (half, "network"));

  /* the scatter array: one row per weight of layer 2, the posterior's sigma^2 first, and it is
   * what train/sigma.npy holds for the VB network */
  table = read_array (dir, "bayes-sigma2.npy", dims, 2);
  g_assert_cmpuint (dims[1], ==, K);
  g_assert_cmpuint (dims[0], ==, 64 * 64);
  sigma_path = g_build_filename (dir, "train", "sigma.npy", NULL);
  sigma = vesicle_read_npy (sigma_path, sigma_dims, &n_dims, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_dims, ==, 2);
  /* both seeds' groups are trained in the one cohort, the first seed's first */
  g_assert_cmpuint (sigma_dims[0], ==, 2 * K);
  {
    JsonArray *replicates = json_object_get_array_member (summary, "replicates");
    JsonObject *second;
    JsonArray *second_networks, *second_by_rho;

    g_assert_cmpuint (json_array_get_length (replicates), ==, 1);
    second = json_array_get_object_element (replicates, 0);
    g_assert_cmpint (json_object_get_int_member (second, "seed"), ==, 2);
    second_networks = json_object_get_array_member (second, "networks");
    g_assert_cmpuint (json_array_get_length (second_networks), ==, K);
    for (guint k = 0; k < K; k++)
      {
        JsonObject *n = json_array_get_object_element (second_networks, k);

        /* numbered over the whole cohort, and the same grid as the first seed's */
        g_assert_cmpint (json_object_get_int_member (n, "network"), ==, K + k);
        g_assert_cmpint (json_object_get_int_member (n, "seed"), ==, 2);
        g_assert_cmpstr (json_object_get_string_member (n, "kind"), ==,
                         k == 0 ? "vb" : "efficient");
        g_assert_cmpfloat (json_object_get_double_member (n, "test_accuracy"), >, 0.85);
      }
    second_by_rho = json_object_get_array_member (second, "slopes_by_rho");
    g_assert_cmpuint (json_array_get_length (second_by_rho), ==, 4);
    for (guint r = 0; r < 4; r++)
      {
        JsonObject *o = find_slope (second_by_rho, rhos[r], 0);

        /* the other seed draws the same conclusion (measured 0.52, 0.49, 0.36, 0.27) */
        g_assert_cmpfloat (json_object_get_double_member (o, "slope"), >, 0.0);
        g_assert_cmpfloat (json_object_get_double_member (o, "ci_high"), <, 1.0);
      }
    g_assert_false (json_object_has_member (second, "pair"));
  }
  layer_off = 784 * 64 + 64;     /* W1 and b1 come first */
  for (gsize j = 0; j < dims[0]; j++)
    for (guint k = 0; k < K; k++)
      {
        float s = sigma[k * sigma_dims[1] + layer_off + j];

        g_assert_cmpfloat (table[j * K + k], ==, s * s);
      }
  fisher = read_array (dir, "bayes-fisher.npy", fisher_dims, 2);
  g_assert_cmpuint (fisher_dims[0], ==, dims[0]);
  g_assert_cmpuint (fisher_dims[1], ==, K);

  /* the pair: two active weights of layer 2, the posterior's sigma at its 10% and 90% points */
  pair = json_object_get_object_member (summary, "pair");
  indices = json_object_get_array_member (pair, "indices");
  posterior = json_object_get_object_member (pair, "posterior");
  g_assert_cmpint (json_object_get_int_member (pair, "layer"), ==, 2);
  g_assert_cmpuint (json_array_get_length (indices), ==, 2);
  for (guint q = 0; q < 2; q++)
    {
      gint64 j = json_array_get_int_element (indices, q);
      double s = element (json_object_get_array_member (posterior, "sigma"), q);

      g_assert_cmpint (j, >=, 0);
      g_assert_cmpint (j, <, (gint64) dims[0]);
      g_assert_cmpfloat (fisher[j * K], >, 0.0f);
      g_assert_cmpfloat_with_epsilon (s * s, table[j * K], 1e-6 * table[j * K]);
    }
  g_assert_cmpfloat (element (json_object_get_array_member (posterior, "sigma"), 0), <,
                     element (json_object_get_array_member (posterior, "sigma"), 1));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pair, "efficient")), ==,
                    K - 1);

  vesicle_test_remove_tree (dir);
}


static void
test_refuses (void)
{
  assert_refused ("prior=cauchy", "prior");
  assert_refused ("s=0", "s");
  assert_refused ("rho=[0.5,-1]", "rho");
  assert_refused ("c_steps=[0,13]", "c_steps");
  assert_refused ("pair_quantiles=[0.1]", "pair_quantiles");
  /* these two load the data, but refuse before any training */
  assert_refused ("layer=4", "layer");
  assert_refused ("layer=0", "layer");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/exp-bayes/type", test_type);
  g_test_add_func ("/exp-bayes/refuses", test_refuses);
  g_test_add_func ("/exp-bayes/quick", test_quick);

  return g_test_run ();
}
