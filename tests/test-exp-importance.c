/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "importance" (Fig 5, App 6) and "zero-hidden" (App 5) experiments on CI-sized versions of
 * their quick presets. Science asserted for every network (c/10, c, 10c) and layer: sigma^2
 * falls with the Hessian and with the input rate and rises with the learning rate, each slope's
 * 95% interval excluding zero (measured, 784-50-50-10, 5 epochs: Hessian -0.05 .. -0.43, input
 * rate -0.12 .. -0.90, learning rate +0.06 .. +1.23). The per-layer arrays must match the summary.
 * Zero hidden layers, the quick preset itself (300 epochs, then 100 with mu held so sigma
 * settles), one network for each of the four rho: the slopes against the Hessian (Fisher under
 * the synaptic noise, Eq. 54a) and against the input power <x^2> (Eq. 54b) lie within 0.1 of the
 * analytic -2/(rho+2), and flatten as rho grows. Measured (seed 1, PoCL): Hessian -0.731,
 * -0.758, -0.616, -0.468 against -0.80, -0.75, -0.60, -0.50; input power -0.761, -0.728, -0.564,
 * -0.501. 0.1 is the tolerance and leaves room for another device's rounding.
 */
#include "vesicle-test-experiment.h"
#include "vesicle-run.h"

#include <math.h>

static void
check_signs (JsonObject *summary,
             guint       n_networks,
             guint       n_layers)
{
  JsonArray *slopes = json_object_get_array_member (summary, "slopes");

  g_assert_cmpuint (json_array_get_length (slopes), ==, n_networks * n_layers * 6);
  for (guint i = 0; i < json_array_get_length (slopes); i++)
    {
      JsonObject *o = json_array_get_object_element (slopes, i);
      const char *against = json_object_get_string_member (o, "against");
      double lo = json_object_get_double_member (o, "ci_low");
      double hi = json_object_get_double_member (o, "ci_high");

      g_test_message ("network %" G_GINT64_FORMAT " layer %" G_GINT64_FORMAT " %s: %.3f [%.3f, %.3f]",
                      json_object_get_int_member (o, "network"),
                      json_object_get_int_member (o, "layer"), against,
                      json_object_get_double_member (o, "slope"), lo, hi);
      if (g_str_has_prefix (against, "learning_rate"))
        g_assert_cmpfloat (lo, >, 0.0);
      else
        g_assert_cmpfloat (hi, <, 0.0);
    }
}

static JsonObject *
run_type (const VesicleExperimentType *type,
          const char *const           *sets,
          guint                        n_networks,
          guint                        n_layers,
          guint                        n_seeds)
{
  g_autoptr(JsonObject) config = type->preset ("quick");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vesicle-importance-XXXXXX", &error);
  JsonObject *summary = NULL;

  g_assert_no_error (error);
  for (guint i = 0; sets[i]; i++)
    g_assert_true (vesicle_config_apply_set (config, sets[i], NULL));
  g_assert_true (run_experiment (type, dir, config, NULL, &error));
  g_assert_no_error (error);

  summary = read_json (dir, "summary.json");
  check_signs (summary, n_networks, n_layers);
  /* each further seed's networks and slopes, alike, with the same signs */
  if (n_seeds > 1)
    {
      JsonArray *replicates = json_object_get_array_member (summary, "replicates");

      g_assert_cmpuint (json_array_get_length (replicates), ==, n_seeds - 1);
      for (guint s = 1; s < n_seeds; s++)
        {
          JsonObject *r = json_array_get_object_element (replicates, s - 1);
          JsonArray *networks = json_object_get_array_member (r, "networks");

          g_assert_cmpuint (json_array_get_length (networks), ==, n_networks);
          for (guint k = 0; k < n_networks; k++)
            {
              JsonObject *n = json_array_get_object_element (networks, k);

              g_assert_cmpint (json_object_get_int_member (n, "network"), ==, s * n_networks + k);
              g_assert_cmpint (json_object_get_int_member (n, "seed"), ==, s + 1);
            }
          check_signs (r, n_networks, n_layers);
        }
    }
  else
    g_assert_false (json_object_has_member (summary, "replicates"));

  /* every per-layer table is there, (n_weights, 7), with positive sigma^2 */
  {
    JsonArray *files = json_object_get_array_member (summary, "files");

    g_assert_cmpuint (json_array_get_length (files), ==, n_networks * n_layers * n_seeds);
    for (guint i = 0; i < json_array_get_length (files); i++)
      {
        JsonObject *f = json_array_get_object_element (files, i);
        g_autofree char *path = g_build_filename (dir, json_object_get_string_member (f, "path"),
                                                  NULL);
        gsize dims[4];
        guint n_dims;
        g_autofree float *table = vesicle_read_npy (path, dims, &n_dims, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (n_dims, ==, 2);
        g_assert_cmpuint (dims[1], ==, 7);
        for (gsize r = 0; r < dims[0]; r++)
          g_assert_cmpfloat (table[r * 7], >, 0.0f);
      }
  }
  vesicle_test_remove_tree (dir);
  return summary;
}

static void
test_importance (void)
{
  const char *sets[] = { "hidden=[50,50]", "epochs=5", "seeds=[1,2]", NULL };

  json_object_unref (run_type (&vesicle_experiment_importance, sets, 3, 3, 2));
}

static void
test_zero_hidden (void)
{
  /* the measured slopes above are seed 1's */
  const char *sets[] = { "seeds=[1]", NULL };
  g_autoptr(JsonObject) summary = run_type (&vesicle_experiment_zero_hidden, sets, 4, 1, 1);
  JsonArray *slopes = json_object_get_array_member (summary, "slopes");
  JsonArray *networks = json_object_get_array_member (summary, "networks");
  const double rhos[4] = { 0.5, 2.0 / 3.0, 4.0 / 3.0, 2.0 };
  const char *against[] = { "hessian", "input_power" };

  g_assert_cmpuint (json_array_get_length (networks), ==, 4);
  for (guint k = 0; k < 4; k++)
    {
      JsonObject *n = json_array_get_object_element (networks, k);

      /* c = s^rho / rho with the Methods' s = 0.001 */
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (n, "rho"), rhos[k], 1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (n, "c"),
                                      pow (1e-3, rhos[k]) / rhos[k], 1e-9);
    }
  for (guint a = 0; a < G_N_ELEMENTS (against); a++)
    {
      double first = NAN, last = NAN;

      for (guint i = 0; i < json_array_get_length (slopes); i++)
        {
          JsonObject *o = json_array_get_object_element (slopes, i);
          gint64 k = json_object_get_int_member (o, "network");
          double slope = json_object_get_double_member (o, "slope");

          if (!g_str_equal (json_object_get_string_member (o, "against"), against[a]))
            continue;
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "rho"), rhos[k],
                                          1e-12);
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "analytic"),
                                          -2.0 / (rhos[k] + 2.0), 1e-12);
          g_assert_cmpfloat (fabs (slope - (-2.0 / (rhos[k] + 2.0))), <, 0.1);
          if (k == 0)
            first = slope;
          if (k == 3)
            last = slope;
        }
      /* rho 1/2's noise follows its importance more steeply than rho 2's */
      g_assert_cmpfloat (first, <, last);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/exp-importance/importance", test_importance);
  g_test_add_func ("/exp-importance/zero-hidden", test_zero_hidden);
  return g_test_run ();
}
