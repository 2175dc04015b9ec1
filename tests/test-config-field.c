/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the settings table and what is built on it, no device needed: each kind of field
 * refuses what it should with a message naming label, key, value and range; text as typed reads
 * back (fractions, lists, "none"); every preset of every experiment passes its own check and
 * survives formatting into the form and reading back; ranges in decades; experiment checks
 * across fields and against the dataset; unknown keys; plans (networks, cohorts, steps, work)
 * and estimates; the objective as well-formed markup; progress in words and the smoothed time
 * remaining.
 */
#include "vesicle-experiment.h"
#include "vesicle-fisher.h"
#include "vesicle-config.h"
#include "vesicle-format.h"
#include "vesicle-json.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static void
assert_names (const char *text,
              const char *what)
{
  g_assert_nonnull (text);
  if (strstr (text, what) == NULL)
    g_error ("'%s' does not name '%s'", text, what);
}

static JsonNode *
json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

/* ---- one field ------------------------------------------------------------------------------- */

static const VesicleConfigField lr_field = {
  "lr", VESICLE_FIELD_NUMBER, "Learning rate", "Training", "help", 0, 10, 0, 0,
  VESICLE_FIELD_MIN_OPEN, NULL,
};
static const VesicleConfigField epochs_field = {
  "epochs", VESICLE_FIELD_COUNT, "Epochs", "Training", "help", 1, 100, 0, 0, 0, NULL,
};
static const VesicleConfigField hidden_field = {
  "hidden", VESICLE_FIELD_COUNTS, "Hidden layers", "Network", "help", 1, 65536, 0, 3,
  VESICLE_FIELD_LAYERS, NULL,
};
static const VesicleConfigField examples_field = {
  "max_train", VESICLE_FIELD_COUNT, "Training examples used", "Data", "help", 0, 1e9, 0, 0,
  VESICLE_FIELD_ZERO_ALL, NULL,
};
static const char *const settings_choices[] = { "hetero", "homo", NULL };
static const char *const settings_labels[] = { "Per synapse", "Shared", NULL };
static const VesicleConfigField settings_field = {
  "settings", VESICLE_FIELD_CHOICES, "Settings", "Cost", "help", 0, 0, 1, 2, 0, settings_choices,
  settings_labels,
};
static const char *const prior_choices[] = { "laplace", "gaussian", NULL };
static const VesicleConfigField prior_field = {
  "prior", VESICLE_FIELD_CHOICE, "Prior", "Cost", "help", 0, 0, 0, 0, 0, prior_choices,
};
static const VesicleConfigField pair_field = {
  "pair", VESICLE_FIELD_NUMBERS, "Pair", "Analysis", "help", 0, 1, 2, 2, 0, NULL,
};

static void
check_refused (const VesicleConfigField *field,
               const char               *value,
               const char               *names)
{
  g_autoptr(JsonNode) node = value ? json (value) : NULL;
  g_autoptr(VesicleConfigProblem) p = vesicle_config_field_check (field, node);

  g_assert_nonnull (p);
  g_assert_cmpstr (p->key, ==, field->key);
  /* the message names the field both ways; the reason stands beside it in a form */
  assert_names (p->message, field->label);
  assert_names (p->message, field->key);
  assert_names (p->message, p->reason);
  assert_names (p->reason, names);
}

static void
check_allowed (const VesicleConfigField *field,
               const char               *value)
{
  g_autoptr(JsonNode) node = json (value);
  g_autoptr(VesicleConfigProblem) p = vesicle_config_field_check (field, node);

  if (p)
    g_error ("%s refused %s: %s", field->key, value, p->message);
}

static void
test_field_check (void)
{
  check_allowed (&lr_field, "0.001");
  check_allowed (&lr_field, "10");
  check_refused (&lr_field, "0", "greater than 0");
  check_refused (&lr_field, "-1", "-1");
  check_refused (&lr_field, "11", "at most 10");
  check_refused (&lr_field, "\"fast\"", "a number");
  check_refused (&lr_field, NULL, "missing");

  check_allowed (&epochs_field, "5");
  check_refused (&epochs_field, "0", "from 1 to 100");
  check_refused (&epochs_field, "2.5", "whole number");
  /* a string is what --set keeps of a value that is not JSON: said back as written */
  check_refused (&epochs_field, "\"+5\"", "'+5' is not a whole number");
  check_refused (&hidden_field, "\"[16, +5]\"", "'[16, +5]' is not a list of whole numbers");

  check_allowed (&hidden_field, "[]");
  check_allowed (&hidden_field, "[100, 100]");
  check_refused (&hidden_field, "[100, 0]", "0");
  check_refused (&hidden_field, "[1, 2, 3, 4]", "at most 3");

  check_allowed (&settings_field, "[\"hetero\", \"homo\"]");
  check_refused (&settings_field, "[]", "at least 1");
  check_refused (&settings_field, "[\"both\"]", "'both'");
  check_refused (&settings_field, "[\"homo\", \"homo\"]", "twice");

  check_allowed (&pair_field, "[0.1, 0.9]");
  check_refused (&pair_field, "[0.1]", "exactly 2");
  check_refused (&pair_field, "[0.1, 1.5]", "1.5");
}

static void
test_field_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) half = vesicle_config_field_parse (&lr_field, " 1/2 ", &error);
  g_autoptr(JsonNode) list = vesicle_config_field_parse (&hidden_field, "100, 50;20", &error);
  g_autoptr(JsonNode) none = vesicle_config_field_parse (&hidden_field, "none", &error);
  g_autoptr(JsonNode) bad = NULL;
  g_autofree char *text = NULL;
  double v;

  g_assert_no_error (error);
  g_assert_cmpfloat (json_node_get_double (half), ==, 0.5);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 3);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (list), 2), ==, 20);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);
  text = vesicle_config_field_format (&hidden_field, none);
  g_assert_cmpstr (text, ==, "none");
  /* a count whose 0 means all reads and shows "all", and keeps its numbers */
  {
    g_autoptr(JsonNode) all = vesicle_config_field_parse (&examples_field, " All ", &error);
    g_autoptr(JsonNode) some = vesicle_config_field_parse (&examples_field, "4000", &error);
    g_autofree char *all_text = NULL, *some_text = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (json_node_get_int (all), ==, 0);
    g_assert_cmpint (json_node_get_int (some), ==, 4000);
    g_assert_cmpstr ((all_text = vesicle_config_field_format (&examples_field, all)), ==, "all");
    g_assert_cmpstr ((some_text = vesicle_config_field_format (&examples_field, some)), ==, "4000");
    /* without the flag, "all" is no number */
    g_assert_null (vesicle_config_field_parse (&epochs_field, "all", &error));
    g_clear_error (&error);
  }
  /* empty is a slip, not "no hidden layer": refused, saying what to write */
  {
    g_autoptr(GError) empty_error = NULL;

    g_assert_null (vesicle_config_field_parse (&hidden_field, "  ", &empty_error));
    g_assert_nonnull (empty_error);
    g_assert_nonnull (strstr (empty_error->message, "none"));
  }

  bad = vesicle_config_field_parse (&lr_field, "1e-3x", &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  assert_names (error->message, "'lr'");
  assert_names (error->message, "1e-3x");
  g_clear_error (&error);
  g_assert_null (vesicle_config_field_parse (&lr_field, "1/0", &error));
  g_clear_error (&error);

  g_assert_true (vesicle_config_parse_number ("2/3", &v));
  g_assert_cmpfloat_with_epsilon (v, 2.0 / 3.0, 1e-15);
  g_assert_false (vesicle_config_parse_number ("", &v));
  g_assert_false (vesicle_config_parse_number ("nan", &v));

  /* decimal only: never hexadecimal, a '+', space inside, infinity or a number too large */
  {
    const char *refused[] = { "0x10", "0X1p3", "+5", "- 5", "5 5", "inf", "1e400", "1e", ".",
                              "-", " ", "1/0x2", "0b1" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      if (vesicle_config_parse_number (refused[i], &v))
        g_error ("'%s' read as %g", refused[i], v);
  }
  g_assert_true (vesicle_config_parse_number (" 5 ", &v));   /* as a form's entry holds it */
  g_assert_cmpfloat (v, ==, 5);
  g_assert_true (vesicle_config_parse_number ("010", &v));
  g_assert_cmpfloat (v, ==, 10);
  g_assert_true (vesicle_config_parse_number ("-.5e+1", &v));
  g_assert_cmpfloat (v, ==, -5);
  g_assert_true (vesicle_config_is_decimal ("16x", 2));
  g_assert_false (vesicle_config_is_decimal ("16x", 3));
  bad = vesicle_config_field_parse (&epochs_field, "0x10", &error);
  g_assert_null (bad);
  assert_names (error->message, "'epochs'");
  assert_names (error->message, "'0x10' is not a number");
  g_clear_error (&error);
}

/* --set reads JSON, and json-glib reads more than JSON's numbers (0x10 as 16, 010 as 8) and
 * wraps integers beyond 64 bits: each is refused naming the setting and the value as written. */
static void
test_set_numbers (void)
{
  static const struct {
    const char *assignment;
    const char *names;
  } refused[] = {
    { "epochs=0x10", "--set epochs: '0x10' is not a number in decimal" },
    { "epochs=010", "'010' is not a number in decimal" },
    { "epochs=0b1", "'0b1'" },
    { "epochs=99999999999999999999", "--set epochs: 99999999999999999999 is too large" },
    { "epochs=9223372036854775808", "9223372036854775808 is too large" },
    { "lr=-99999999999999999999", "-99999999999999999999 is too far below zero" },
    { "lr=1e400", "1e400 is too large" },
    { "hidden=[16, 0x20]", "--set hidden: '0x20'" },
    { "c=[0.01,1e999]", "1e999 is too large" },
  };
  static const struct {
    const char *assignment;
    const char *key;
    const char *json;
  } kept[] = {
    { "epochs=16", "epochs", "16" },
    { "epochs= 16 ", "epochs", "16" },
    { "epochs=-1", "epochs", "-1" },   /* the range check says "-1 is not allowed" */
    { "epochs=9223372036854775807", "epochs", "9223372036854775807" },
    { "lr=1e-3", "lr", "0.001" },
    { "lr=-0.5E+1", "lr", "-5.0" },
    { "hidden=[16,32]", "hidden", "[16,32]" },
    { "hidden=[]", "hidden", "[]" },
    { "normalise=true", "normalise", "true" },
    { "dataset=\"0x10\"", "dataset", "\"0x10\"" },   /* a string holds anything */
    { "dataset=../data-01/mnist", "dataset", "\"../data-01/mnist\"" },
    { "epochs=+5", "epochs", "\"+5\"" },   /* not JSON: a string, which the check refuses */
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JsonObject) config = vesicle_experiment_train_type.preset ("quick");
      g_autoptr(GError) error = NULL;

      g_assert_false (vesicle_config_apply_set (config, refused[i].assignment, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      assert_names (error->message, refused[i].names);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autoptr(JsonObject) config = vesicle_experiment_train_type.preset ("quick");
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) expected = json (kept[i].json);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *got = NULL, *want = NULL;

      g_assert_true (vesicle_config_apply_set (config, kept[i].assignment, &error));
      g_assert_no_error (error);
      json_generator_set_root (gen, json_object_get_member (config, kept[i].key));
      got = json_generator_to_data (gen, NULL);
      json_generator_set_root (gen, expected);
      want = json_generator_to_data (gen, NULL);
      g_assert_cmpstr (got, ==, want);
    }
}

static void
test_format_number (void)
{
  const double values[] = { 0.004, 1e-4, 0.1, 2.0 / 3.0, pow (10, -3.75), 1e300, -5e-7 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = vesicle_config_format_number (values[i]);
      double back;

      /* what the form shows reads back as the very same number */
      g_assert_true (vesicle_config_parse_number (text, &back));
      g_assert_cmpfloat (back, ==, values[i]);
    }
  {
    g_autofree char *a = vesicle_config_format_number (0.004);
    g_autofree char *b = vesicle_config_format_number (0.0040000000000000001);

    g_assert_cmpstr (a, ==, "0.004");
    g_assert_cmpstr (b, ==, "0.004");
  }
}

static void
test_decades (void)
{
  g_autoptr(GArray) whole = vesicle_config_decade_range (1e-3, 1e3, 1);
  g_autoptr(GArray) quarter = vesicle_config_decade_range (1e-4, pow (10, 3.25), 4);
  g_autoptr(GArray) empty = vesicle_config_decade_range (1, 0.5, 1);
  const double irregular[] = { 0.112, 0.2, 0.356 };
  double from, to;
  guint per;

  g_assert_cmpuint (whole->len, ==, 7);
  g_assert_cmpfloat (g_array_index (whole, double, 0), ==, 1e-3);
  g_assert_cmpfloat (g_array_index (whole, double, 6), ==, 1e3);
  /* the paper's grid, 30 points from 10^-4 to 10^3.25 */
  g_assert_cmpuint (quarter->len, ==, 30);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_true (vesicle_config_is_decade_range ((double *) (gpointer) quarter->data,
                                                 quarter->len, &from, &to, &per));
  g_assert_cmpuint (per, ==, 4);
  g_assert_cmpfloat_with_epsilon (from, 1e-4, 1e-18);
  g_assert_false (vesicle_config_is_decade_range (irregular, 3, &from, &to, &per));
  g_assert_false (vesicle_config_is_decade_range (irregular, 1, &from, &to, &per));
}

/* ---- experiments ----------------------------------------------------------------------------- */

static JsonObject *
preset_with (const VesicleExperimentType *type,
             const char                  *preset,
             const char                  *assignment)
{
  JsonObject *config = type->preset (preset);

  if (assignment)
    g_assert_true (vesicle_config_apply_set (config, assignment, NULL));
  return config;
}

/* Every preset passes its own check, and every setting survives the form: formatted as the
 * form shows it and read back, the configuration is unchanged. */
static void
test_presets_round_trip (void)
{
  guint n;
  const VesicleExperimentType *const *types = vesicle_experiment_types (&n);
  const char *presets[] = { "quick", "paper" };

  g_assert_cmpuint (n, ==, 7);
  for (guint t = 0; t < n; t++)
    for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
      {
        g_autoptr(JsonObject) config = types[t]->preset (presets[p]);
        g_autoptr(GPtrArray) problems = vesicle_experiment_check (types[t], config, NULL);
        g_autoptr(GPtrArray) fields = vesicle_experiment_type_fields (types[t]);
        g_autoptr(GList) members = json_object_get_members (config);

        if (problems->len > 0)
          g_error ("%s %s: %s", types[t]->name, presets[p],
                   ((VesicleConfigProblem *) g_ptr_array_index (problems, 0))->message);
        /* every key has a field, and every field a key */
        g_assert_cmpuint (g_list_length (members), ==, fields->len);
        g_assert_nonnull (types[t]->summary);
        for (guint f = 0; f < fields->len; f++)
          {
            const VesicleConfigField *field = g_ptr_array_index (fields, f);
            JsonNode *node = json_object_get_member (config, field->key);
            g_autofree char *text = vesicle_config_field_format (field, node);
            g_autoptr(GError) error = NULL;
            g_autoptr(JsonNode) back = vesicle_config_field_parse (field, text, &error);
            g_autoptr(VesicleConfigProblem) problem = NULL;

            g_assert_nonnull (field->label);
            g_assert_nonnull (field->help);
            g_assert_no_error (error);
            problem = vesicle_config_field_check (field, back);
            if (problem)
              g_error ("%s.%s: '%s' reads back refused: %s", types[t]->name, field->key, text,
                       problem->message);
            {
              g_autofree char *again = vesicle_config_field_format (field, back);

              g_assert_cmpstr (again, ==, text);
            }
          }
      }
}

static void
assert_problem (const VesicleExperimentType *type,
                JsonObject                  *config,
                const VesicleDatasetInfo    *data,
                const char                  *key,
                const char                  *names)
{
  g_autoptr(GPtrArray) problems = vesicle_experiment_check (type, config, data);
  VesicleConfigProblem *p = vesicle_config_problems_find (problems, key);

  if (p == NULL)
    g_error ("%s: no problem for '%s' (%u others)", type->name, key ? key : "(config)",
             problems->len);
  assert_names (p->message, names);
}

static void
test_experiment_check (void)
{
  g_autoptr(JsonObject) unknown = preset_with (&vesicle_experiment_tradeoff, "quick", NULL);
  g_autoptr(JsonObject) lr = preset_with (&vesicle_experiment_tradeoff, "quick", "lr=-1");
  g_autoptr(JsonObject) sigma = preset_with (&vesicle_experiment_costs, "quick", "sigma_min=2");
  g_autoptr(JsonObject) layer = preset_with (&vesicle_experiment_bayes, "quick", "layer=4");
  g_autoptr(JsonObject) batch = preset_with (&vesicle_experiment_train_type, "quick", "batch=9000");
  g_autoptr(JsonObject) grid = preset_with (&vesicle_experiment_train_type, "paper",
                                            "c=[1,2,3,4,5,6,7,8,9]");
  VesicleDatasetInfo bundled = { 8000, 2000, 28, 28, 784, 10 };
  g_autoptr(GPtrArray) fine = NULL;

  json_object_set_int_member (unknown, "epoch", 5);
  assert_problem (&vesicle_experiment_tradeoff, unknown, NULL, "epoch", "not a setting");
  assert_problem (&vesicle_experiment_tradeoff, lr, NULL, "lr", "Learning rate");
  assert_problem (&vesicle_experiment_costs, sigma, NULL, "sigma_max", "smallest");
  assert_problem (&vesicle_experiment_bayes, layer, NULL, "layer", "1 to 3");
  /* only the dataset says a minibatch is too large */
  fine = vesicle_experiment_check (&vesicle_experiment_train_type, batch, NULL);
  g_assert_cmpuint (fine->len, ==, 0);
  assert_problem (&vesicle_experiment_train_type, batch, &bundled, "batch", "8000");
  /* seeds x c x ... : the cohort's size */
  g_assert_true (vesicle_config_apply_set (grid, "seeds=[" "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,"
                                                 "16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,"
                                                 "31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,"
                                                 "46,47,48,49,50]", NULL));
  g_assert_true (vesicle_config_apply_set (grid, "rho=[0.5,1,2,3,4,5,6,7,8,9]", NULL));
  assert_problem (&vesicle_experiment_train_type, grid, NULL, NULL, "4500 networks");
}

static void
test_plan (void)
{
  g_autoptr(JsonObject) tradeoff = vesicle_experiment_tradeoff.preset ("quick");
  g_autoptr(JsonObject) importance = vesicle_experiment_importance.preset ("quick");
  g_autoptr(JsonObject) costs = vesicle_experiment_costs.preset ("quick");
  g_autoptr(JsonObject) bad = preset_with (&vesicle_experiment_tradeoff, "quick", "epochs=0");
  VesicleExperimentPlan plan;
  g_autoptr(GError) error = NULL;
  VesicleCohortPlan *first, *second;
  VesicleSpeed speed;
  double flops;

  /* 4 rho x 7 c x 2 settings x 3 seeds in cohorts of at most 64 */
  g_assert_true (vesicle_experiment_plan (&vesicle_experiment_tradeoff, tradeoff, NULL, &plan,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (plan.n_networks, ==, 168);
  g_assert_cmpuint (plan.cohorts->len, ==, 3);
  first = &g_array_index (plan.cohorts, VesicleCohortPlan, 0);
  second = &g_array_index (plan.cohorts, VesicleCohortPlan, 1);
  g_assert_cmpuint (first->K, ==, 64);
  g_assert_cmpuint (second->K, ==, 64);
  g_assert_cmpuint (g_array_index (plan.cohorts, VesicleCohortPlan, 2).K, ==, 40);
  g_assert_cmpuint (first->steps, ==, 8000 / 20 * 5);
  /* 784-100-10 */
  g_assert_cmpuint (first->P, ==, 784 * 100 + 100 + 100 * 10 + 10);
  flops = vesicle_experiment_plan_flops (&plan);
  g_assert_cmpfloat (flops, ==, vesicle_cohort_plan_flops (first)
                                + vesicle_cohort_plan_flops (second)
                                + vesicle_cohort_plan_flops (&g_array_index (plan.cohorts,
                                                                             VesicleCohortPlan,
                                                                             2)));
  g_assert_cmpfloat (vesicle_cohort_plan_flops (first), ==,
                     64.0 * first->P * (6.0 * 20 * first->steps + 2.0 * first->eval_examples));
  speed = (VesicleSpeed) { .flops_per_s = 1e9 };
  g_assert_cmpfloat_with_epsilon (vesicle_experiment_plan_seconds (&plan, &speed), flops / 1e9,
                                  1e-6);
  /* the test set (2,000 examples) in minibatches of 20, at the 5 epochs' evaluations and once
   * before training */
  g_assert_cmpuint (first->eval_steps, ==, 6 * 2000 / 20);
  /* every step of every cohort, test minibatches included, costs its work per parameter and
   * its time per layer on top of the arithmetic, and every cohort its opening */
  g_assert_cmpuint (first->layers, ==, 2);
  speed = (VesicleSpeed) { 1e9, 1e-9, 1e-3, 0.5, 0 };
  g_assert_cmpfloat_with_epsilon (vesicle_experiment_plan_seconds (&plan, &speed),
                                  flops / 1e9
                                  + 2 * (first->steps + first->eval_steps)
                                    * (64.0 * first->P * 1e-9 + 2 * 1e-3)
                                  + (first->steps + first->eval_steps)
                                    * (40.0 * first->P * 1e-9 + 2 * 1e-3)
                                  + 3 * 0.5, 1e-6);
  /* a run that took twice its estimate: the scaled speed predicts it */
  {
    VesicleSpeed slower = speed;
    double before = vesicle_experiment_plan_seconds (&plan, &speed);

    vesicle_speed_scale_time (&slower, 2.0);
    g_assert_cmpfloat_with_epsilon (vesicle_experiment_plan_seconds (&plan, &slower),
                                    2 * before, 1e-6);
  }
  speed.flops_per_s = 0;
  g_assert_true (isnan (vesicle_experiment_plan_seconds (&plan, &speed)));
  vesicle_experiment_plan_clear (&plan);

  /* an analytic experiment trains nothing */
  g_assert_true (vesicle_experiment_plan (&vesicle_experiment_costs, costs, NULL, &plan, NULL));
  g_assert_cmpuint (plan.n_networks, ==, 0);
  g_assert_cmpuint (plan.cohorts->len, ==, 0);
  vesicle_experiment_plan_clear (&plan);

  /* the importance experiment's Fisher runs on the host: at the host's rate, not the device's */
  g_assert_true (vesicle_experiment_plan (&vesicle_experiment_importance, importance, NULL, &plan,
                                          NULL));
  first = &g_array_index (plan.cohorts, VesicleCohortPlan, 0);
  g_assert_cmpfloat (plan.host_flops, ==,
                     first->K * vesicle_fisher_flops (first->P, 10, 8000));
  g_assert_cmpfloat (plan.host_flops, <, plan.analysis_flops);
  speed = (VesicleSpeed) { .flops_per_s = 1e9, .host_flops_per_s = 1e9 };
  {
    double same = vesicle_experiment_plan_seconds (&plan, &speed);

    speed.host_flops_per_s = 1e8;
    g_assert_cmpfloat_with_epsilon (vesicle_experiment_plan_seconds (&plan, &speed) - same,
                                    plan.host_flops / 1e8 - plan.host_flops / 1e9, 1e-6);
    speed.host_flops_per_s = NAN;
    g_assert_true (isnan (vesicle_experiment_plan_seconds (&plan, &speed)));
  }
  vesicle_experiment_plan_clear (&plan);

  g_assert_false (vesicle_experiment_plan (&vesicle_experiment_tradeoff, bad, NULL, &plan,
                                           &error));
  assert_names (error->message, "'epochs'");
  vesicle_experiment_plan_clear (&plan);
}

/* Pango markup is XML without a root: wrapped in one it must parse. */
static void
assert_well_formed (const char *markup)
{
  static const GMarkupParser parser = { NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_autofree char *wrapped = g_strdup_printf ("<markup>%s</markup>", markup);
  g_autoptr(GError) error = NULL;

  if (!g_markup_parse_context_parse (context, wrapped, -1, &error)
      || !g_markup_parse_context_end_parse (context, &error))
    g_error ("not markup: %s\n%s", error->message, markup);
}

static void
test_objective (void)
{
  g_autoptr(JsonObject) tradeoff = vesicle_experiment_tradeoff.preset ("quick");
  g_autoptr(JsonObject) bayes = vesicle_experiment_bayes.preset ("quick");
  g_autoptr(JsonObject) predictive = vesicle_experiment_predictive.preset ("quick");
  g_autoptr(JsonObject) costs = vesicle_experiment_costs.preset ("quick");
  g_autoptr(JsonObject) bad = preset_with (&vesicle_experiment_tradeoff, "quick", "lr=-1");
  VesicleDatasetInfo info = { 60000, 10000, 28, 28, 784, 10 };
  g_autofree char *a = vesicle_experiment_objective_markup (&vesicle_experiment_tradeoff,
                                                           tradeoff, NULL);
  g_autofree char *b = vesicle_experiment_objective_markup (&vesicle_experiment_tradeoff,
                                                           tradeoff, &info);
  g_autofree char *c = vesicle_experiment_objective_markup (&vesicle_experiment_bayes, bayes,
                                                           NULL);
  g_autofree char *d = vesicle_experiment_objective_markup (&vesicle_experiment_predictive,
                                                           predictive, NULL);

  assert_well_formed (a);
  assert_well_formed (b);
  assert_well_formed (c);
  assert_well_formed (d);
  /* the per-minibatch scaling with this dataset's numbers, the costs' values */
  assert_names (a, "20/8,000 = 0.0025");
  assert_names (b, "20/60,000");
  assert_names (a, "{1/2, 2/3, 4/3, 2}");
  assert_names (a, "(7 values)");
  assert_names (a, "79,510");
  assert_names (a, "homogeneous");
  assert_names (c, "variational-Bayes");
  assert_names (d, "40/40");
  g_assert_null (vesicle_experiment_objective_markup (&vesicle_experiment_costs, costs, NULL));
  g_assert_null (vesicle_experiment_objective_markup (&vesicle_experiment_tradeoff, bad, NULL));
}

static void
test_folder_name (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 12, 1, 14, 3, 0);
  g_autofree char *parent = g_dir_make_tmp ("vesicle-names-XXXXXX", NULL);
  g_autofree char *first = vesicle_experiment_folder_name (&vesicle_experiment_tradeoff, when,
                                                           parent);
  g_autofree char *taken = g_build_filename (parent, first, NULL);
  g_autofree char *second = NULL;

  g_assert_cmpstr (first, ==, "tradeoff-2026-12-01-1403");
  g_assert_cmpint (g_mkdir (taken, 0755), ==, 0);
  second = vesicle_experiment_folder_name (&vesicle_experiment_tradeoff, when, parent);
  g_assert_cmpstr (second, ==, "tradeoff-2026-12-01-1403-2");
  g_rmdir (taken);
  g_rmdir (parent);
}

/* ---- progress in words ----------------------------------------------------------------------- */

static void
test_progress_words (void)
{
  VesicleExperimentProgress p = {
    .phase = "Training cohort 1 of 4", .cohort = 1, .n_cohorts = 4, .networks_done = 0,
    .networks_total = 64, .epoch = 31, .n_epochs = 50, .K = 16, .remaining_s = 185,
  };
  g_autofree char *many = vesicle_experiment_progress_describe (&p);
  g_autofree char *left = vesicle_experiment_progress_remaining (&p);
  g_autofree char *one = NULL, *phase = NULL, *unknown = NULL;

  g_assert_cmpstr (many, ==, "Training 16 of 64 networks (cohort 1 of 4) · epoch 31 of 50");
  g_assert_cmpstr (left, ==, "About 3 minutes left");
  p.n_cohorts = 1;
  p.networks_total = 16;
  one = vesicle_experiment_progress_describe (&p);
  g_assert_cmpstr (one, ==, "Training 16 networks · epoch 31 of 50");
  p.epoch = 0;
  p.phase = "Measuring the Fisher information";
  phase = vesicle_experiment_progress_describe (&p);
  g_assert_cmpstr (phase, ==, "Measuring the Fisher information");
  p.remaining_s = NAN;
  unknown = vesicle_experiment_progress_remaining (&p);
  g_assert_null (unknown);
  {
    g_autofree char *a = vesicle_format_duration (125);
    g_autofree char *b = vesicle_format_duration (3700);
    g_autofree char *c = vesicle_format_duration_about (30);
    g_autofree char *d = vesicle_format_duration_about (7200);

    g_assert_cmpstr (a, ==, "2 min 5 s");
    g_assert_cmpstr (b, ==, "1 h 1 min");
    g_assert_cmpstr (c, ==, "less than a minute");
    g_assert_cmpstr (d, ==, "about 2 hours");
  }
}

static void
test_eta (void)
{
  VesicleEta eta;
  double work = 0;

  vesicle_eta_init (&eta);
  /* nothing is said before steady work has been timed */
  vesicle_eta_update (&eta, 0.0, 0);
  g_assert_true (isnan (vesicle_eta_remaining (&eta, 0, 1000)));
  /* the first interval after a start holds set-up: 5 s for 10 units, then 10 units a second */
  vesicle_eta_pause (&eta);
  vesicle_eta_update (&eta, 5.0, 10);
  for (double t = 5.1; t < 20.0; t += 0.1)
    {
      work = 10 + (t - 5.0) * 10;
      vesicle_eta_update (&eta, t, work);
    }
  g_assert_cmpfloat_with_epsilon (vesicle_eta_remaining (&eta, work, work + 100), 10.0, 0.05);
  /* twice as fast: after three 20-second windows the estimate is within e^-3 of the new speed
   * (5 s for 100 units, from 10 s), not averaged over the whole run (6.7 s) */
  for (double t = 20.0; t < 80.0; t += 0.1)
    {
      work += 2.0;
      vesicle_eta_update (&eta, t, work);
    }
  g_assert_cmpfloat (vesicle_eta_remaining (&eta, work, work + 100), >, 5.0);
  g_assert_cmpfloat (vesicle_eta_remaining (&eta, work, work + 100), <, 5.3);
  /* done is zero left */
  g_assert_cmpfloat (vesicle_eta_remaining (&eta, work, work), ==, 0);
}

/* What a form shows of a choice, and which choices a value holds. */
static void
test_field_choices (void)
{
  g_autoptr(JsonNode) both = vesicle_config_field_parse (&settings_field, "homo, hetero", NULL);
  g_autoptr(JsonNode) homo = vesicle_config_field_parse (&settings_field, "homo", NULL);
  g_autoptr(JsonNode) gaussian = vesicle_config_field_parse (&prior_field, "gaussian", NULL);

  g_assert_cmpstr (vesicle_config_field_choice_label (&settings_field, 1), ==, "Shared");
  /* no labels: the choice itself */
  g_assert_cmpstr (vesicle_config_field_choice_label (&prior_field, 0), ==, "laplace");

  g_assert_nonnull (both);
  g_assert_true (vesicle_config_field_has_choice (&settings_field, both, 0));
  g_assert_true (vesicle_config_field_has_choice (&settings_field, both, 1));
  g_assert_false (vesicle_config_field_has_choice (&settings_field, homo, 0));
  g_assert_true (vesicle_config_field_has_choice (&settings_field, homo, 1));
  g_assert_false (vesicle_config_field_has_choice (&settings_field, NULL, 0));
  g_assert_true (vesicle_config_field_has_choice (&prior_field, gaussian, 1));
  g_assert_false (vesicle_config_field_has_choice (&prior_field, gaussian, 0));
}

/* Arrays written from C: non-finite numbers become null, which JSON can hold; the text reads
 * back to the same values. */
static void
test_json_arrays (void)
{
  const double d[] = { 1e-8, NAN, -0.25, INFINITY };
  const guint u[] = { 0, 100, G_MAXUINT };
  g_autoptr(JsonNode) dn = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonNode) un = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *dtext = NULL, *utext = NULL;
  g_autoptr(JsonNode) back = NULL;
  JsonArray *a;

  json_node_take_array (dn, vesicle_json_double_array (d, G_N_ELEMENTS (d)));
  json_node_take_array (un, vesicle_json_uint_array (u, G_N_ELEMENTS (u)));
  dtext = vesicle_json_to_string (dn, FALSE);
  utext = vesicle_json_to_string (un, FALSE);
  back = json_from_string (dtext, NULL);

  g_assert_cmpstr (utext, ==, "[0,100,4294967295]");
  g_assert_nonnull (back);
  a = json_node_get_array (back);
  g_assert_cmpuint (json_array_get_length (a), ==, 4);
  g_assert_cmpfloat (json_array_get_double_element (a, 0), ==, 1e-8);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (a, 1)));
  g_assert_cmpfloat (json_array_get_double_element (a, 2), ==, -0.25);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (a, 3)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/field/check", test_field_check);
  g_test_add_func ("/config/field/parse", test_field_parse);
  g_test_add_func ("/config/set/numbers", test_set_numbers);
  g_test_add_func ("/config/field/choices", test_field_choices);
  g_test_add_func ("/config/field/format-number", test_format_number);
  g_test_add_func ("/config/decades", test_decades);
  g_test_add_func ("/config/presets-round-trip", test_presets_round_trip);
  g_test_add_func ("/config/experiment-check", test_experiment_check);
  g_test_add_func ("/config/plan", test_plan);
  g_test_add_func ("/config/objective", test_objective);
  g_test_add_func ("/config/folder-name", test_folder_name);
  g_test_add_func ("/progress/words", test_progress_words);
  g_test_add_func ("/progress/eta", test_eta);
  g_test_add_func ("/json/arrays", test_json_arrays);

  return g_test_run ();
}
