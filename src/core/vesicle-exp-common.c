/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-exp-common.h"
#include "vesicle-config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

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
  guint epochs, sigma_epochs, batch, eval_batch, data_seed;
  double lr, sigma_init, init_range;

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
      || !vesicle_config_get_double (config, "init_range", &init_range, error))
    return FALSE;
  if (!(lr > 0.0) || !isfinite (lr))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "config: 'lr' must be a positive number, not %g", lr);
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
  cohort->sigma_init = sigma_init;
  cohort->init_range = init_range;
  schedule->epochs = epochs;
  schedule->eval_every = epochs;
  schedule->sigma_epochs = sigma_epochs;
  schedule->data_seed = data_seed;
  schedule->progress_every = 200;
  return TRUE;
}

JsonArray *
vesicle_exp_double_array (const double *values,
                          gsize         n)
{
  JsonArray *a = json_array_sized_new (n);

  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_array_add_double_element (a, values[i]);
    else
      json_array_add_null_element (a);
  return a;
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
