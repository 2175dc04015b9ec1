/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"
#include "vesicle-format.h"
#include "vesicle-run.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

/* ---- the settings every training experiment has ---------------------------------------------- */

static const char *const no_choices[] = { NULL };
const char *const vesicle_exp_setting_choices[] = { "hetero", "homo", NULL };
const char *const vesicle_exp_setting_labels[] = {
  N_("Heterogeneous"), N_("Homogeneous"), NULL,
};

JsonArray *
vesicle_exp_three_seeds (void)
{
  JsonArray *seeds = json_array_new ();

  for (int s = 1; s <= 3; s++)
    json_array_add_int_element (seeds, s);
  return seeds;
}

guint
vesicle_exp_grid_size (JsonObject *config)
{
  g_autoptr(GArray) rhos = vesicle_config_get_doubles (config, "rho", NULL);
  g_autoptr(GArray) cs = vesicle_config_get_doubles (config, "c", NULL);
  g_autoptr(GArray) seeds = vesicle_config_get_uints (config, "seeds", NULL);
  JsonArray *settings = json_object_get_array_member (config, "settings");
  guint64 n;

  if (rhos == NULL || cs == NULL || seeds == NULL || settings == NULL)
    return 0;
  n = (guint64) rhos->len * cs->len * seeds->len * json_array_get_length (settings);
  return (guint) MIN (n, G_MAXUINT);
}

void
vesicle_exp_set_quick_protocol (JsonObject *config)
{
  JsonArray *hidden = json_array_new ();

  json_array_add_int_element (hidden, 100);
  json_object_set_array_member (config, "hidden", hidden);
  json_object_set_int_member (config, "epochs", 5);
  json_object_set_double_member (config, "lr", 4e-3);
  json_object_set_double_member (config, "sigma_init", 1e-1);
}

const VesicleConfigField vesicle_exp_dataset_fields[] = {
  { "dataset", VESICLE_FIELD_DATASET, N_("Dataset"), N_("Data"),
    N_("The bundled 10,000-digit MNIST subset, or any folder of MNIST-format IDX files "
       "(e.g. Fashion-MNIST)"), 0, 0, 0, 0, 0, no_choices },
  { "normalise", VESICLE_FIELD_BOOLEAN, N_("Normalise pixels"), N_("Data"),
    N_("Subtract 0.1307 and divide by 0.3081, as the authors' code does; off: pixels in [0, 1]"),
    0, 0, 0, 0, 0, NULL },
  { "max_train", VESICLE_FIELD_COUNT, N_("Training examples used"), N_("Data"),
    N_("All of them, or only the first N"), 0, 1e9, 0, 0, VESICLE_FIELD_ZERO_ALL, NULL },
  { NULL }
};

const VesicleConfigField vesicle_exp_training_fields[] = {
  { "hidden", VESICLE_FIELD_COUNTS, N_("Hidden layer widths"), N_("Network"),
    N_("Widths of the hidden ReLU layers, e.g. 100, 100; none for no hidden layer"),
    1, 65536, 0, VESICLE_MAX_LAYERS - 1, VESICLE_FIELD_LAYERS, NULL },
  { "lambda", VESICLE_FIELD_NUMBER, N_("L1 weight λ"), N_("Cost"),
    N_("Magnitude cost on the means, λ Σ|μ|"), 0, 1e6, 0, 0, 0, NULL },
  { "epochs", VESICLE_FIELD_COUNT, N_("Epochs"), N_("Training"),
    N_("Passes over the training set"), 1, 100000, 0, 0, 0, NULL },
  { "batch", VESICLE_FIELD_COUNT, N_("Minibatch"), N_("Training"),
    N_("Examples per Adam step, sharing one weight sample (the paper: 20)"), 1, 65536, 0, 0, 0,
    NULL },
  { "lr", VESICLE_FIELD_NUMBER, N_("Learning rate"), N_("Training"),
    N_("Adam's step size (the paper: 5e-4)"), 0, 10, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "sigma_init", VESICLE_FIELD_NUMBER, N_("Initial σ"), N_("Training"),
    N_("Every σ starts here (the paper: 1e-4)"), 0, 100, 0, 0, VESICLE_FIELD_MIN_OPEN, NULL },
  { "sigma_epochs", VESICLE_FIELD_COUNT, N_("σ-only epochs"), N_("Training"),
    N_("Further epochs with the means held, so σ settles at its optimum for them (0: the paper)"),
    0, 100000, 0, 0, VESICLE_FIELD_ADVANCED, NULL },
  { "init_range", VESICLE_FIELD_NUMBER, N_("Initial μ range"), N_("Training"),
    N_("Means start uniform in (−r, r)"), 0, 100, 0, 0, VESICLE_FIELD_ADVANCED, NULL },
  { "eval_batch", VESICLE_FIELD_COUNT, N_("Test minibatch"), N_("Training"),
    N_("Test examples per weight sample when accuracy is measured (the paper: 20)"), 1, 65536, 0,
    0, VESICLE_FIELD_ADVANCED, NULL },
  { "eval_every", VESICLE_FIELD_COUNT, N_("Epochs between test evaluations"), N_("Training"),
    N_("Measure test accuracy every this many epochs, and after the last"), 1, 100000, 0, 0,
    VESICLE_FIELD_ADVANCED, NULL },
  { "data_seed", VESICLE_FIELD_COUNT, N_("Minibatch order seed"), N_("Training"),
    N_("Seed of the order of examples, the same for every network"), 0, 4294967295.0, 0, 0,
    VESICLE_FIELD_ADVANCED, NULL },
  { "beta1", VESICLE_FIELD_NUMBER, N_("Adam β₁"), N_("Training"),
    N_("Decay of Adam's first moment"),
    0, 1, 0, 0, VESICLE_FIELD_MAX_OPEN | VESICLE_FIELD_ADVANCED, NULL },
  { "beta2", VESICLE_FIELD_NUMBER, N_("Adam β₂"), N_("Training"),
    N_("Decay of Adam's second moment"),
    0, 1, 0, 0, VESICLE_FIELD_MAX_OPEN | VESICLE_FIELD_ADVANCED, NULL },
  { "adam_eps", VESICLE_FIELD_NUMBER, N_("Adam ε"), N_("Training"),
    N_("Added to Adam's denominator"),
    0, 1, 0, 0, VESICLE_FIELD_MIN_OPEN | VESICLE_FIELD_ADVANCED, NULL },
  { NULL }
};

/* The bundled subset's sizes, for plans made before a dataset is read. */
static const VesicleDatasetInfo bundled_info = { 8000, 2000, 28, 28, 784, 10 };

static guint
effective_n_train (JsonObject               *config,
                   const VesicleDatasetInfo *data)
{
  guint max_train = 0;

  if (json_object_has_member (config, "max_train"))
    vesicle_config_get_uint (config, "max_train", &max_train, NULL);
  return max_train > 0 && max_train < data->n_train ? max_train : data->n_train;
}

void
vesicle_exp_training_check (JsonObject               *config,
                            const VesicleDatasetInfo *data,
                            GPtrArray                *problems)
{
  guint batch = 0, n_train;

  if (data == NULL)
    return;
  vesicle_config_get_uint (config, "batch", &batch, NULL);
  n_train = effective_n_train (config, data);
  if (batch > n_train)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("batch", "Minibatch",
                                                 g_dngettext (GETTEXT_PACKAGE,
                                                              "%u is larger than the %u "
                                                              "training example",
                                                              "%u is larger than the %u "
                                                              "training examples", n_train),
                                                 batch, n_train));
  if (data->n_test == 0)
    g_ptr_array_add (problems,
                     vesicle_config_problem_new ("dataset", "Dataset",
                                                 _("no test examples to measure accuracy")));
}

gsize
vesicle_exp_n_params (JsonObject               *config,
                      const VesicleDatasetInfo *data)
{
  g_autoptr(GArray) hidden = vesicle_config_get_uints (config, "hidden", NULL);
  gsize P = 0, in;

  if (data == NULL)
    data = &bundled_info;
  in = data->dim;
  for (guint l = 0; hidden && l < hidden->len; l++)
    {
      gsize out = g_array_index (hidden, guint, l);

      P += in * out + out;
      in = out;
    }
  return P + in * data->n_classes + data->n_classes;
}

guint
vesicle_exp_n_layers (JsonObject *config)
{
  g_autoptr(GArray) hidden = vesicle_config_get_uints (config, "hidden", NULL);

  return (hidden ? hidden->len : 0) + 1;
}

void
vesicle_exp_cohort_plan (VesicleCohortPlan        *cohort,
                         JsonObject               *config,
                         const VesicleDatasetInfo *data,
                         guint                     K)
{
  guint epochs = 1, sigma_epochs = 0, batch = 1, eval_batch = 20, eval_every = 1, n_epochs;
  guint64 eval_examples;

  if (data == NULL)
    data = &bundled_info;
  vesicle_config_get_uint (config, "epochs", &epochs, NULL);
  vesicle_config_get_uint (config, "sigma_epochs", &sigma_epochs, NULL);
  vesicle_config_get_uint (config, "batch", &batch, NULL);
  vesicle_config_get_uint (config, "eval_every", &eval_every, NULL);
  vesicle_config_get_uint (config, "eval_batch", &eval_batch, NULL);
  n_epochs = epochs + sigma_epochs;
  eval_examples = vesicle_train_eval_examples (n_epochs, eval_every, data->n_test);
  *cohort = (VesicleCohortPlan) {
    .K = K,
    .steps = (guint64) (effective_n_train (config, data) / MAX (batch, 1)) * n_epochs,
    .P = vesicle_exp_n_params (config, data),
    .layers = vesicle_exp_n_layers (config),
    .batch = batch,
    .epochs = n_epochs,
    .eval_examples = eval_examples,
    /* each evaluation: the test set in minibatches, the last one short */
    .eval_steps = data->n_test > 0 ? eval_examples / data->n_test
                                     * ((data->n_test + MAX (eval_batch, 1) - 1) / MAX (eval_batch, 1))
                                   : 0,
  };
}

JsonObject *
vesicle_exp_training_defaults (void)
{
  JsonObject *c = json_object_new ();
  JsonArray *hidden = json_array_new ();

  json_array_add_int_element (hidden, 100);
  json_array_add_int_element (hidden, 100);
  json_object_set_string_member (c, "dataset", "bundled");
  json_object_set_boolean_member (c, "normalise", FALSE);
  json_object_set_int_member (c, "max_train", 0);     /* 0: every training example */
  json_object_set_array_member (c, "hidden", hidden);
  json_object_set_int_member (c, "epochs", 50);
  json_object_set_int_member (c, "batch", 20);
  json_object_set_int_member (c, "eval_batch", 20);
  json_object_set_double_member (c, "lr", 5e-4);
  /* further epochs with mu held, so that sigma settles at its optimum for the final means */
  json_object_set_int_member (c, "sigma_epochs", 0);
  json_object_set_double_member (c, "lambda", 1e-4);
  json_object_set_double_member (c, "sigma_init", 1e-4);
  json_object_set_double_member (c, "init_range", 0.1);
  json_object_set_int_member (c, "data_seed", 0);
  /* test accuracy every epoch: the curves a window draws while it trains */
  json_object_set_int_member (c, "eval_every", 1);
  json_object_set_double_member (c, "beta1", 0.9);
  json_object_set_double_member (c, "beta2", 0.999);
  json_object_set_double_member (c, "adam_eps", 1e-8);
  return c;
}

gboolean
vesicle_exp_cohort_from_config (VesicleCohortConfig         *cohort,
                                VesicleTrainSchedule        *schedule,
                                JsonObject                  *config,
                                const VesicleExperimentData *data,
                                guint                        K,
                                GError                     **error)
{
  g_autoptr(GArray) hidden = NULL;
  guint epochs, sigma_epochs, batch, eval_batch, eval_every, data_seed;
  double lr, sigma_init, init_range, beta1, beta2, adam_eps;

  vesicle_cohort_config_init (cohort);
  memset (schedule, 0, sizeof *schedule);
  if (!(hidden = vesicle_config_get_uints (config, "hidden", error))
      || !vesicle_config_get_uint (config, "epochs", &epochs, error)
      || !vesicle_config_get_uint (config, "sigma_epochs", &sigma_epochs, error)
      || !vesicle_config_get_uint (config, "batch", &batch, error)
      || !vesicle_config_get_uint (config, "eval_batch", &eval_batch, error)
      || !vesicle_config_get_uint (config, "data_seed", &data_seed, error)
      || !vesicle_config_get_double (config, "lr", &lr, error)
      || !vesicle_config_get_double (config, "sigma_init", &sigma_init, error)
      || !vesicle_config_get_double (config, "init_range", &init_range, error)
      || !vesicle_config_get_uint (config, "eval_every", &eval_every, error)
      || !vesicle_config_get_double (config, "beta1", &beta1, error)
      || !vesicle_config_get_double (config, "beta2", &beta2, error)
      || !vesicle_config_get_double (config, "adam_eps", &adam_eps, error))
    return FALSE;
  if (!(lr > 0.0) || !isfinite (lr))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("config: 'lr' must be a positive number, not %g"), lr);
      return FALSE;
    }
  if (epochs == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "config: 'epochs' must be at least 1");
      return FALSE;
    }
  if (!vesicle_shape_init (&cohort->shape, data->train_ex.dim, (const guint *) hidden->data,
                           hidden->len, MAX (data->train->n_classes, data->test->n_classes),
                           VESICLE_HEAD_SOFTMAX, error))
    return FALSE;
  cohort->K = K;
  cohort->hyper = g_new0 (VesicleHyper, K);
  cohort->batch = batch;
  cohort->eval_batch = eval_batch;
  cohort->n_train = data->train_ex.n;
  cohort->lr = lr;
  cohort->beta1 = beta1;
  cohort->beta2 = beta2;
  cohort->eps = adam_eps;
  cohort->sigma_init = sigma_init;
  cohort->init_range = init_range;
  schedule->epochs = epochs;
  schedule->eval_every = MAX (eval_every, 1);
  schedule->sigma_epochs = sigma_epochs;
  schedule->data_seed = data_seed;
  schedule->progress_every = 200;
  return TRUE;
}

void
vesicle_exp_set_double (JsonObject *object,
                        const char *name,
                        double      value)
{
  if (isfinite (value))
    json_object_set_double_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/* ---- the objective, as a form shows it ------------------------------------------------------- */

/* "{1/2, 2/3, 4/3, 2}" or, for long lists, "{10<sup>−4</sup>, …, 10<sup>3.25</sup>} (30 values)". */
static char *
set_markup (GArray   *values,
            gboolean  ratios,
            double    factor)
{
  g_autoptr(GString) s = g_string_new ("{");
  guint n = values ? values->len : 0;

  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (values, double, i) * factor;
      g_autofree char *text = ratios ? vesicle_format_ratio (v) : vesicle_format_value_markup (v);

      if (n > 5 && i == 2)
        {
          g_string_append (s, ", …");
          i = n - 2;
          continue;
        }
      g_string_append_printf (s, "%s%s", i ? ", " : "", text);
    }
  g_string_append_c (s, '}');
  if (n > 5)
    g_string_append_printf (s, " (%u values)", n);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
number_markup (JsonObject *config,
               const char *key)
{
  double v = NAN;

  vesicle_config_get_double (config, key, &v, NULL);
  return vesicle_format_value_markup (v);
}

static gboolean
has_homogeneous (JsonObject *config)
{
  JsonNode *node = json_object_get_member (config, "settings");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    if (g_strcmp0 (json_array_get_string_element (json_node_get_array (node), i), "homo") == 0)
      return TRUE;
  return FALSE;
}

char *
vesicle_exp_objective_markup (const VesicleExperimentType *type,
                              JsonObject                  *config,
                              const VesicleDatasetInfo    *data)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GArray) rho = vesicle_config_get_doubles (config, "rho", NULL);
  g_autofree char *rho_set = set_markup (rho, TRUE, 1.0);
  g_autofree char *B_text = NULL, *N_text = NULL, *ratio = NULL, *P_text = NULL;
  gboolean predictive = !type->trains;
  guint B = 1, N;

  if (data == NULL)
    data = &bundled_info;
  vesicle_config_get_uint (config, "batch", &B, NULL);
  if (predictive)
    vesicle_config_get_uint (config, "n_data", &N, NULL);
  else
    N = effective_n_train (config, data);
  B_text = vesicle_format_count (B);
  N_text = vesicle_format_count (N);
  ratio = vesicle_format_value_markup ((double) B / MAX (N, 1));

  if (predictive)
    {
      g_autoptr(GArray) ss = vesicle_config_get_doubles (config, "s", NULL);
      g_autofree char *s_set = set_markup (ss, FALSE, 1.0);
      g_autofree char *noise = number_markup (config, "noise_sd");
      g_autofree char *tau = number_markup (config, "prior_precision");

      g_string_append_printf (s, "<i>L</i> = Σ<sub>minibatch</sub> (<i>y</i> − <i>f</i>(<i>x</i>))"
                              "<sup>2</sup> / (2 · %s<sup>2</sup>) + (<i>B</i>/<i>N</i>) "
                              "[ <i>c</i> Σ σ<sup>−ρ</sup> + (τ/2) Σ <i>w</i><sup>2</sup> ]\n",
                              noise);
      g_string_append_printf (s, "<i>B</i>/<i>N</i> = %s/%s = %s per minibatch (the costs count "
                              "once per pass over the %s points) · τ = %s\n", B_text, N_text,
                              ratio, N_text, tau);
      g_string_append_printf (s, "<i>c</i> = <i>s</i><sup>ρ</sup>/ρ with <i>s</i> ∈ %s and ρ ∈ %s; "
                              "one variational-Bayes network minimises the same with "
                              "−Σ log σ in place of the cost", s_set, rho_set);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }

  P_text = vesicle_format_count (vesicle_exp_n_params (config, data));
  g_string_append (s, "<i>L</i> = Σ<sub>minibatch</sub> NLL + (<i>B</i>/<i>N</i>) "
                      "[ λ Σ|μ| + <i>c</i> Σ σ<sup>−ρ</sup> ]\n");
  g_string_append_printf (s, "<i>B</i>/<i>N</i> = %s/%s = %s per minibatch, so an epoch sums "
                          "to the paper's Eq. 2\n", B_text, N_text, ratio);
  {
    g_autofree char *lambda = number_markup (config, "lambda");

    g_string_append_printf (s, "λ = %s · ", lambda);
  }
  if (json_object_has_member (config, "c_factors"))
    {
      g_autoptr(GArray) factors = vesicle_config_get_doubles (config, "c_factors", NULL);
      double c = NAN;
      g_autofree char *c_set = NULL;

      vesicle_config_get_double (config, "c", &c, NULL);
      c_set = set_markup (factors, FALSE, c);
      g_string_append_printf (s, "ρ = %s · <i>c</i> ∈ %s", rho_set, c_set);
    }
  else if (json_object_has_member (config, "c_steps"))
    {
      g_autoptr(GArray) steps = vesicle_config_get_doubles (config, "c_steps", NULL);
      g_autofree char *steps_set = set_markup (steps, FALSE, 1.0);
      g_autofree char *s_value = number_markup (config, "s");
      const char *prior = NULL;

      vesicle_config_get_string (config, "prior", &prior, NULL);
      g_string_append_printf (s, "<i>c</i> = 10<sup><i>k</i></sup> <i>s</i><sup>ρ</sup>/ρ with "
                              "<i>s</i> = %s for ρ ∈ %s and <i>k</i> ∈ %s decades\n", s_value,
                              rho_set, steps_set);
      g_string_append_printf (s, "The variational-Bayes network: Σ<sub>minibatch</sub> NLL + "
                              "(<i>B</i>/<i>N</i>) [ %s − Σ log σ ] on the sampled weights",
                              g_strcmp0 (prior, "gaussian") == 0 ? "(τ/2) Σ <i>w</i><sup>2</sup>"
                                                                 : "λ Σ|<i>w</i>|");
    }
  else
    {
      g_autoptr(GArray) cs = vesicle_config_get_doubles (config, "c", NULL);
      g_autofree char *c_set = set_markup (cs, FALSE, 1.0);

      g_string_append_printf (s, "ρ ∈ %s · <i>c</i> ∈ %s", rho_set, c_set);
    }
  g_string_append_printf (s, "\nσ = softplus(φ) for each of the <i>P</i> = %s weights and biases",
                          P_text);
  if (has_homogeneous (config))
    g_string_append (s, "; homogeneous networks share one σ: Σ σ<sup>−ρ</sup> = "
                        "<i>P</i> σ<sup>−ρ</sup>");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- networks in summaries ------------------------------------------------------------------- */

gboolean
vesicle_exp_parse_settings (JsonObject  *config,
                            GArray      *out,
                            GError     **error)
{
  JsonNode *node = json_object_get_member (config, "settings");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (array = json_node_get_array (node)) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "config: 'settings' must be a list of \"hetero\" and/or \"homo\"");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *s = json_array_get_string_element (array, i);
      VesicleSigmaSetting v;

      if (g_strcmp0 (s, "hetero") == 0)
        v = VESICLE_SIGMA_HETERO;
      else if (g_strcmp0 (s, "homo") == 0)
        v = VESICLE_SIGMA_HOMO;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("config: 'settings' holds '%s'; use \"hetero\" or \"homo\""),
                       s ? s : "(not a string)");
          return FALSE;
        }
      g_array_append_val (out, v);
    }
  return TRUE;
}

void
vesicle_exp_add_network (JsonArray                 *networks,
                         const VesicleHyper        *h,
                         const VesicleEpochMetrics *m,
                         guint                      cohort)
{
  JsonObject *o = json_object_new ();

  vesicle_exp_set_double (o, "rho", h->rho);
  vesicle_exp_set_double (o, "c", h->c);
  json_object_set_string_member (o, "setting", vesicle_setting_name (h->setting));
  json_object_set_int_member (o, "seed", (gint64) h->seed);
  vesicle_exp_set_double (o, "test_accuracy", m->test_accuracy);
  vesicle_exp_set_double (o, "test_accuracy_mean", m->test_accuracy_mean);
  vesicle_exp_set_double (o, "test_nll", m->test_nll);
  vesicle_exp_set_double (o, "mean_sigma", m->mean_sigma);
  vesicle_exp_set_double (o, "rms_sigma", m->rms_sigma);
  vesicle_exp_set_double (o, "reliability_cost", m->reliability_cost_s1);
  vesicle_exp_set_double (o, "train_nll", m->train_nll);
  vesicle_exp_set_double (o, "l1", m->l1);
  vesicle_exp_set_double (o, "cost", m->cost);
  vesicle_exp_set_double (o, "objective", m->objective);
  json_object_set_int_member (o, "cohort", cohort);
  json_array_add_object_element (networks, o);
}

