/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the "costs" experiment (vesicle-exp-costs.c, Fig 1b/c and Appendix 1), run directly
 * through its type with a hand-built context: the presets, the binomial release model against
 * Eqs 8-10, each mechanism's cost falling as sigma^-rho (fitted slope and pointwise), Eq 18's
 * exact trafficking cost steepening to -2 as p -> 0, the summary surviving a JSON round trip, and
 * refusal of bad configurations and of a cancelled run.
 */
#include "vesicle-experiment.h"
#include "vesicle-json.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

static void
assert_close (double got,
              double want,
              double rel_tol)
{
  if (!(fabs (got - want) <= rel_tol * MAX (fabs (want), 1e-300)))
    g_error ("got %.17g, want %.17g (relative tolerance %g)", got, want, rel_tol);
}

static void
count_message (const VesicleExperimentProgress *p,
               gpointer                         data)
{
  if (p->kind != VESICLE_PROGRESS_MESSAGE)
    return;
  g_test_message ("%s", p->message);
  (*(guint *) data)++;
}

/* Runs the type on config in a fresh temporary folder; the summary, or NULL with error set. */
static JsonObject *
run_costs (JsonObject  *config,
           const char  *preset,
           guint       *n_messages,
           GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("vesicle-costs-XXXXXX", NULL);
  VesicleExperimentContext ctx = {
    .out_dir = dir,
    .preset = preset,
    .config = config,
    .summary = json_object_new (),
  };
  gboolean ok;

  g_assert_nonnull (dir);
  if (n_messages != NULL)
    ctx.tracker = vesicle_experiment_tracker_new (count_message, n_messages);
  ok = vesicle_experiment_costs.run (&ctx, error);
  vesicle_experiment_tracker_free (ctx.tracker);
  /* analytic: nothing but the summary, which the framework writes */
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  if (!ok)
    {
      json_object_unref (ctx.summary);
      return NULL;
    }
  return ctx.summary;
}

static JsonObject *
run_preset (const char *preset)
{
  g_autoptr(JsonObject) config = vesicle_experiment_costs.preset (preset);
  g_autoptr(GError) error = NULL;
  JsonObject *summary;

  g_assert_nonnull (config);
  summary = run_costs (config, preset, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static double
array_double (JsonArray *a,
              guint      i)
{
  return json_node_get_double (json_array_get_element (a, i));
}

static void
test_type (void)
{
  g_autoptr(JsonObject) quick = vesicle_experiment_costs.preset ("quick");
  g_autoptr(JsonObject) paper = vesicle_experiment_costs.preset ("paper");
  g_autoptr(GList) keys = NULL;

  g_assert_cmpstr (vesicle_experiment_costs.name, ==, "costs");
  g_assert_cmpstr (vesicle_experiment_costs.figures, ==, "fig1, fig4");
  g_assert_true (vesicle_experiment_costs.title != NULL && *vesicle_experiment_costs.title);
  g_assert_true (vesicle_experiment_costs.description != NULL
                 && *vesicle_experiment_costs.description);
  g_assert_null (vesicle_experiment_costs.preset ("bogus"));
  g_assert_null (vesicle_experiment_costs.preset (NULL));
  g_assert_nonnull (quick);
  g_assert_nonnull (paper);

  /* analytic, so the presets agree on everything but grid resolution */
  g_assert_cmpuint (json_object_get_size (quick), ==, json_object_get_size (paper));
  keys = json_object_get_members (quick);
  for (GList *l = keys; l; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *a = NULL, *b = NULL;

      g_assert_true (json_object_has_member (paper, key));
      if (g_str_has_suffix (key, "_points"))
        {
          g_assert_cmpint (json_object_get_int_member (quick, key), <=,
                           json_object_get_int_member (paper, key));
          g_assert_cmpint (json_object_get_int_member (paper, key), <=, 200);
          continue;
        }
      a = vesicle_json_to_string (json_object_get_member (quick, key), FALSE);
      b = vesicle_json_to_string (json_object_get_member (paper, key), FALSE);
      g_assert_cmpstr (a, ==, b);
    }
}

/* Eqs 8-10 at every grid point where p > 0, and at a few sample points by hand. */
static void
test_release (void)
{
  g_autoptr(JsonObject) summary = run_preset ("quick");
  JsonObject *release = json_object_get_object_member (summary, "release");
  JsonArray *ns = json_object_get_array_member (release, "n");
  JsonArray *ps = json_object_get_array_member (release, "p");
  JsonArray *means = json_object_get_array_member (release, "mean");
  JsonArray *sds = json_object_get_array_member (release, "sd");
  double q = json_object_get_double_member (release, "q");
  guint N = json_array_get_length (ns), P = json_array_get_length (ps);

  g_assert_cmpfloat (q, ==, 1.0);
  g_assert_cmpuint (N, ==, 5);
  g_assert_cmpuint (P, ==, 41);
  g_assert_cmpuint (json_array_get_length (means), ==, N);
  g_assert_cmpuint (json_array_get_length (sds), ==, N);
  g_assert_cmpfloat (array_double (ps, 0), ==, 0.0);
  g_assert_cmpfloat (array_double (ps, P - 1), ==, 1.0);

  for (guint i = 0; i < N; i++)
    {
      double n = array_double (ns, i);
      JsonArray *mean_row = json_array_get_array_element (means, i);
      JsonArray *sd_row = json_array_get_array_element (sds, i);

      g_assert_cmpuint (json_array_get_length (mean_row), ==, P);
      g_assert_cmpuint (json_array_get_length (sd_row), ==, P);
      for (guint j = 0; j < P; j++)
        {
          double p = array_double (ps, j);
          double mean = array_double (mean_row, j), sd = array_double (sd_row, j);

          assert_close (mean, n * p * q, 1e-15);                          /* Eq 9 */
          assert_close (sd * sd, n * p * (1.0 - p) * q * q, 1e-14);       /* Eq 8 */
          if (p > 0.0)
            assert_close (sd, mean * sqrt ((1.0 - p) / (n * p)), 1e-14);  /* Eq 10 */
        }
    }

  /* by hand: n = 10 (index 3), p = 0.25 (index 10 of 0, 0.025, ...): mean 2.5,
   * sd = sqrt (10 * 0.25 * 0.75) = sqrt (1.875) */
  g_assert_cmpfloat (array_double (ns, 3), ==, 10.0);
  assert_close (array_double (ps, 10), 0.25, 1e-15);
  assert_close (array_double (json_array_get_array_element (means, 3), 10), 2.5, 1e-15);
  assert_close (array_double (json_array_get_array_element (sds, 3), 10), sqrt (1.875), 1e-15);
  /* nothing or everything released: no noise */
  g_assert_cmpfloat (array_double (json_array_get_array_element (sds, 4), 0), ==, 0.0);
  g_assert_cmpfloat (array_double (json_array_get_array_element (sds, 4), P - 1), ==, 0.0);
  assert_close (array_double (json_array_get_array_element (means, 4), P - 1), 20.0, 1e-15);
}

/* Appendix 1: each cost, computed from n, p and q at fixed mu, goes as sigma^-rho. */
static void
test_mechanisms (void)
{
  static const struct { const char *name; double rho; const char *varies; } want[] = {
    { "calcium", 0.5, "p" }, { "membrane", 2.0 / 3.0, "n" }, { "actin", 4.0 / 3.0, "n" },
    { "trafficking", 2.0, "n" },
  };
  g_autoptr(JsonObject) summary = run_preset ("quick");
  JsonArray *costs = json_object_get_array_member (summary, "costs");
  double mu = json_object_get_double_member (summary, "mu");
  double sigma_ref = json_object_get_double_member (summary, "sigma_ref");

  g_assert_cmpuint (json_array_get_length (costs), ==, G_N_ELEMENTS (want));
  for (guint k = 0; k < G_N_ELEMENTS (want); k++)
    {
      JsonObject *c = json_array_get_object_element (costs, k);
      JsonArray *sigma = json_object_get_array_member (c, "sigma");
      JsonArray *cost = json_object_get_array_member (c, "cost");
      JsonArray *ns = json_object_get_array_member (c, "n");
      JsonArray *ps = json_object_get_array_member (c, "p");
      JsonArray *qs = json_object_get_array_member (c, "q");
      double rho = json_object_get_double_member (c, "rho");
      double fitted = json_object_get_double_member (c, "fitted_slope");
      JsonArray *ci = json_object_get_array_member (c, "fitted_slope_ci");
      guint S = json_array_get_length (sigma);

      g_test_message ("%s: fitted %.15f, analytic %.15f", want[k].name, fitted, -rho);
      g_assert_cmpstr (json_object_get_string_member (c, "mechanism"), ==, want[k].name);
      g_assert_cmpstr (json_object_get_string_member (c, "varies"), ==, want[k].varies);
      assert_close (rho, want[k].rho, 1e-15);
      g_assert_cmpfloat (json_object_get_double_member (c, "analytic_slope"), ==, -rho);
      g_assert_cmpfloat_with_epsilon (fitted, -rho, 1e-3);
      /* an exact power law: the fit is tight, not merely close */
      g_assert_cmpfloat_with_epsilon (fitted, -rho, 1e-9);
      g_assert_cmpfloat (array_double (ci, 0), <=, fitted);
      g_assert_cmpfloat (array_double (ci, 1), >=, fitted);
      g_assert_cmpfloat (array_double (ci, 1) - array_double (ci, 0), <, 1e-9);
      g_assert_cmpfloat (json_object_get_double_member (c, "identity_error"), <, 1e-12);

      g_assert_cmpuint (S, ==, 41);
      g_assert_cmpuint (json_array_get_length (cost), ==, S);
      assert_close (array_double (sigma, 0), 0.05, 1e-15);
      assert_close (array_double (sigma, S - 1), 1.0, 1e-15);
      for (guint i = 0; i < S; i++)
        {
          double s = array_double (sigma, i);
          double n = array_double (ns, i), p = array_double (ps, i), q = array_double (qs, i);

          /* normalised at sigma_ref: the curve is (sigma / sigma_ref)^-rho point by point */
          assert_close (array_double (cost, i), pow (s / sigma_ref, -rho), 1e-12);
          /* q compensates: mu is held, and (n, p, q) give this sigma (Eqs 8-9) */
          assert_close (n * p * q, mu, 1e-13);
          assert_close (sqrt (n * p * (1.0 - p)) * q, s, 1e-13);
          g_assert_cmpfloat (p, >, 0.0);
          g_assert_cmpfloat (p, <, 1.0);
          if (i > 0)
            g_assert_cmpfloat (array_double (cost, i), <, array_double (cost, i - 1));
          /* the variable the derivation holds fixed stays fixed */
          if (g_str_equal (want[k].varies, "n"))
            {
              g_assert_cmpfloat (p, ==, array_double (ps, 0));
              /* the preset keeps at least one vesicle */
              g_assert_cmpfloat (n, >=, 1.0 - 1e-12);
            }
          else
            g_assert_cmpfloat (n, ==, array_double (ns, 0));
        }
    }
}

/* Eq 18: cost = n p = mu^2 (1 - p) / sigma^2 with p changing; slope -2 (1 - p) -> -2 as p -> 0. */
static void
test_trafficking_exact (void)
{
  g_autoptr(JsonObject) summary = run_preset ("quick");
  JsonArray *exact = json_object_get_array_member (summary, "trafficking_exact");
  double sigma_ref = json_object_get_double_member (summary, "sigma_ref");
  guint E = json_array_get_length (exact);
  double previous_p = 0.0, previous_gap = 0.0;

  g_assert_cmpuint (E, >=, 3);
  for (guint e = 0; e < E; e++)
    {
      JsonObject *o = json_array_get_object_element (exact, e);
      double p0 = json_object_get_double_member (o, "p");
      double local = json_object_get_double_member (o, "local_slope");
      double fitted = json_object_get_double_member (o, "fitted_slope");
      JsonArray *sigma = json_object_get_array_member (o, "sigma");
      JsonArray *cost = json_object_get_array_member (o, "cost");
      JsonArray *ps = json_object_get_array_member (o, "p_curve");
      guint S = json_array_get_length (sigma);
      double gap = fitted + 2.0;

      g_test_message ("p0 %g: local %.9f, fitted %.6f", p0, local, fitted);
      /* listed in increasing p */
      g_assert_cmpfloat (p0, >, previous_p);
      assert_close (json_object_get_double_member (o, "analytic_local_slope"),
                    -2.0 * (1.0 - p0), 1e-15);
      g_assert_cmpfloat_with_epsilon (local, -2.0 * (1.0 - p0), 1e-6);
      g_assert_cmpfloat (json_object_get_double_member (o, "eq18_error"), <, 1e-12);
      /* shallower than -2 for every p > 0, and the more so the larger p */
      g_assert_cmpfloat (gap, >, 0.0);
      if (e > 0)
        g_assert_cmpfloat (gap, >, previous_gap);
      for (guint i = 0; i < S; i++)
        {
          double s = array_double (sigma, i), p = array_double (ps, i);

          assert_close (array_double (cost, i),
                        (1.0 - p) / (1.0 - p0) * pow (s / sigma_ref, -2.0), 1e-12);
        }
      previous_p = p0;
      previous_gap = gap;
    }
  /* the preset's smallest p (0.001) is the p -> 0 limit: within 2 p of -2 at sigma_ref and
   * within 1% over the whole grid (p rises to ~0.016 at the reliable end) */
  {
    JsonObject *o = json_array_get_object_element (exact, 0);
    double p0 = json_object_get_double_member (o, "p");

    g_assert_cmpfloat (p0, <=, 1e-3);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "local_slope"), -2.0,
                                    2.0 * p0 + 1e-6);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "fitted_slope"), -2.0,
                                    0.02);
  }
}

static void
test_paper_round_trip (void)
{
  g_autoptr(JsonObject) summary = run_preset ("paper");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *costs;
  JsonObject *back;

  json_node_set_object (node, summary);
  text = vesicle_json_to_string (node, FALSE);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  back = json_node_get_object (json_parser_get_root (parser));
  costs = json_object_get_array_member (back, "costs");
  g_assert_cmpuint (json_array_get_length (costs), ==, 4);
  for (guint k = 0; k < 4; k++)
    {
      JsonObject *c = json_array_get_object_element (costs, k);
      guint S = json_array_get_length (json_object_get_array_member (c, "sigma"));

      g_assert_cmpuint (S, ==, 101);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c, "fitted_slope"),
                                      json_object_get_double_member (c, "analytic_slope"), 1e-3);
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (back, "release"), "p")), ==, 101);
}

static void
test_messages (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_costs.preset ("quick");
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GError) error = NULL;
  guint n_messages = 0;

  summary = run_costs (config, "quick", &n_messages, &error);
  g_assert_no_error (error);
  /* one line a mechanism and one an exact-trafficking curve */
  g_assert_cmpuint (n_messages, ==,
                    4 + json_array_get_length (json_object_get_array_member (config,
                                                                             "trafficking_p")));
}

static void
assert_refused (const char *key,
                JsonNode   *value)
{
  g_autoptr(JsonObject) config = vesicle_experiment_costs.preset ("quick");
  g_autoptr(GError) error = NULL;
  JsonObject *summary;

  if (value != NULL)
    json_object_set_member (config, key, value);
  else
    json_object_remove_member (config, key);
  summary = run_costs (config, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, key) == NULL)
    g_error ("error message '%s' does not name '%s'", error->message, key);
}

static JsonNode *
double_node (double v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_double (node, v);
  return node;
}

static void
test_refuses (void)
{
  JsonArray *ps = json_array_new ();
  JsonNode *ps_node = json_node_new (JSON_NODE_ARRAY);

  assert_refused ("vesicle_p", double_node (1.0));
  assert_refused ("vesicle_p", double_node (0.0));
  assert_refused ("mu", double_node (-1.0));
  assert_refused ("sigma_min", double_node (2.0));
  assert_refused ("sigma_points", double_node (2.0));
  assert_refused ("calcium_n", double_node (0.0));
  assert_refused ("q", double_node (0.0));
  assert_refused ("release_p_points", double_node (1.0));
  assert_refused ("sigma_ref", NULL);

  json_array_add_double_element (ps, 0.1);
  json_array_add_double_element (ps, 0.0);
  json_node_take_array (ps_node, ps);
  assert_refused ("trafficking_p", ps_node);
}

static void
test_cancelled (void)
{
  g_autoptr(JsonObject) config = vesicle_experiment_costs.preset ("quick");
  g_autoptr(JsonObject) summary = json_object_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  VesicleExperimentContext ctx = {
    .out_dir = g_get_tmp_dir (),
    .config = config,
    .cancellable = cancellable,
    .summary = summary,
  };

  g_cancellable_cancel (cancellable);
  g_assert_false (vesicle_experiment_costs.run (&ctx, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/costs/type", test_type);
  g_test_add_func ("/costs/release", test_release);
  g_test_add_func ("/costs/mechanisms", test_mechanisms);
  g_test_add_func ("/costs/trafficking-exact", test_trafficking_exact);
  g_test_add_func ("/costs/paper-round-trip", test_paper_round_trip);
  g_test_add_func ("/costs/messages", test_messages);
  g_test_add_func ("/costs/refuses", test_refuses);
  g_test_add_func ("/costs/cancelled", test_cancelled);

  return g_test_run ();
}
