/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "tradeoff" experiment (Fig 2/3) end to end on a CI-sized version of its quick preset
 * (one hidden layer of 50, rho 1/2, c = 1e-2, 1, 1e2, both settings, one seed): summary.json is
 * complete, accuracy falls and mean sigma rises with c, and at matched c heterogeneous noise is
 * at least as accurate as homogeneous noise (the paper's Fig 2; a 0.01 allowance for sampling
 * noise in the test accuracy at the smallest c, where both are near the best).
 */
#include "vesicle-test-experiment.h"

#include <math.h>

static double
network_value (JsonArray  *networks,
               double      c,
               const char *setting,
               const char *key)
{
  for (guint i = 0; i < json_array_get_length (networks); i++)
    {
      JsonObject *o = json_array_get_object_element (networks, i);

      if (json_object_get_double_member (o, "c") == c
          && g_str_equal (json_object_get_string_member (o, "setting"), setting))
        return json_object_get_double_member (o, key);
    }
  g_error ("no network with c %g, %s", c, setting);
  return NAN;
}

static void
test_tradeoff (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_tradeoff.preset ("quick");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vesicle-tradeoff-XXXXXX", &error);
  const char *sets[] = { "hidden=[50]", "rho=[0.5]", "c=[0.01,1,100]", "seeds=[1]" };
  const double cs[] = { 0.01, 1, 100 };
  const char *settings[] = { "hetero", "homo" };
  g_autoptr(JsonObject) summary = NULL;
  JsonArray *networks;
  guint n_messages = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    g_assert_true (vesicle_config_apply_set (config, sets[i], NULL));
  g_assert_true (run_experiment (&vesicle_experiment_tradeoff, dir, config, &n_messages, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (n_messages, >, 0);
  summary = read_json (dir, "summary.json");
  networks = json_object_get_array_member (summary, "networks");
  g_assert_cmpuint (json_array_get_length (networks), ==, 6);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary, "groups")),
                    ==, 6);
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < 3; i++)
      g_test_message ("%s c %g: accuracy %.4f, mean sigma %.4f", settings[s], cs[i],
                      network_value (networks, cs[i], settings[s], "test_accuracy"),
                      network_value (networks, cs[i], settings[s], "mean_sigma"));
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i + 1 < 3; i++)
      {
        g_assert_cmpfloat (network_value (networks, cs[i + 1], settings[s], "test_accuracy"), <,
                           network_value (networks, cs[i], settings[s], "test_accuracy"));
        g_assert_cmpfloat (network_value (networks, cs[i + 1], settings[s], "mean_sigma"), >,
                           network_value (networks, cs[i], settings[s], "mean_sigma"));
      }
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (network_value (networks, cs[i], "hetero", "test_accuracy"), >=,
                       network_value (networks, cs[i], "homo", "test_accuracy") - 0.01);
  vesicle_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/exp-tradeoff/quick", test_tradeoff);
  return g_test_run ();
}
