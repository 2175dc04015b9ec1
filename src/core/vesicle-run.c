/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run folders (see vesicle-run.h). Files are written whole and atomically (g_file_set_contents),
 * except metrics.csv which grows an epoch at a time.
 */
#include "vesicle-run.h"
#include "vesicle-build-config.h"
#include "vesicle-json.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *
vesicle_setting_name (VesicleSigmaSetting setting)
{
  return setting == VESICLE_SIGMA_HOMO ? "homo" : "hetero";
}

gboolean
vesicle_run_prepare_dir (const char  *dir,
                         gboolean     overwrite,
                         GError     **error)
{
  g_autofree char *info = g_build_filename (dir, "run.json", NULL);
  g_autofree char *metrics = g_build_filename (dir, "metrics.csv", NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot create the run folder: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (info, G_FILE_TEST_EXISTS) && !overwrite)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds a run (run.json); choose another --out or pass --overwrite",
                   dir);
      return FALSE;
    }
  g_remove (metrics);
  return TRUE;
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *v)
{
  json_builder_set_member_name (b, name);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          GDateTime   *t)
{
  g_autofree char *s = t ? g_date_time_format_iso8601 (t) : NULL;

  add_string (b, name, s);
}

JsonNode *
vesicle_run_info_to_json (const VesicleRunInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const VesicleCohortConfig *c = info->cohort;
  const VesicleShape *shape = &c->shape;

  json_builder_begin_object (b);
  add_string (b, "format", "vesicle-run/1");
  add_string (b, "vesicle_version", VESICLE_VERSION);
  add_string (b, "status", info->status);
  add_string (b, "error", info->error);
  add_time (b, "started", info->started);
  add_time (b, "finished", info->finished);

  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  add_string (b, "name", info->dataset_name);
  add_string (b, "path", info->dataset_path);
  add_int (b, "n_train", info->n_train);
  add_int (b, "n_test", info->n_test);
  json_builder_set_member_name (b, "normalised");
  json_builder_add_boolean_value (b, info->normalised);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sizes");
  json_builder_begin_array (b);
  for (guint l = 0; l <= shape->n_layers; l++)
    json_builder_add_int_value (b, shape->sizes[l]);
  json_builder_end_array (b);
  add_string (b, "head", shape->head == VESICLE_HEAD_SOFTMAX ? "softmax" : "gaussian");
  if (shape->head == VESICLE_HEAD_GAUSSIAN)
    add_double (b, "noise_sd", shape->noise_sd);
  add_int (b, "n_params", vesicle_shape_n_params (shape));
  add_string (b, "stochastic", "weights and biases");
  add_string (b, "hidden_activation", "relu");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "training");
  json_builder_begin_object (b);
  add_int (b, "epochs", info->schedule->epochs);
  add_int (b, "sigma_epochs", info->schedule->sigma_epochs);
  add_int (b, "batch", c->batch);
  add_int (b, "eval_batch", c->eval_batch);
  add_int (b, "eval_every", info->schedule->eval_every);
  add_int (b, "data_seed", (gint64) info->schedule->data_seed);
  add_string (b, "optimizer", "adam");
  add_double (b, "lr", c->lr);
  add_double (b, "beta1", c->beta1);
  add_double (b, "beta2", c->beta2);
  add_double (b, "eps", c->eps);
  add_double (b, "mu_init_range", c->init_range);
  add_double (b, "sigma_init", c->sigma_init);
  add_string (b, "objective", "sum_batch NLL + (B/N) (lambda sum|mu| + c sum sigma^-rho)");
  add_string (b, "noise", "Philox4x32-10 keyed (seed, step, tensor, index): one draw per "
                          "minibatch shared by its examples; networks with equal seeds share "
                          "noise (common random numbers)");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "networks");
  json_builder_begin_array (b);
  for (guint k = 0; k < c->K; k++)
    {
      const VesicleHyper *h = &c->hyper[k];

      json_builder_begin_object (b);
      add_int (b, "network", k);
      add_double (b, "rho", h->rho);
      add_double (b, "c", h->c);
      add_double (b, "lambda", h->lambda);
      add_string (b, "setting", vesicle_setting_name (h->setting));
      add_int (b, "seed", (gint64) h->seed);
      add_string (b, "cost", h->cost == VESICLE_COST_ENTROPY ? "entropy (variational Bayes)"
                                                              : "power");
      if (h->prior_l1 > 0 || h->prior_precision > 0)
        {
          add_double (b, "prior_l1", h->prior_l1);
          add_double (b, "prior_precision", h->prior_precision);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "device");
  json_builder_begin_object (b);
  if (info->device)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (info->device),
                                           (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l; l = l->next)
        add_string (b, l->data, g_hash_table_lookup (info->device, l->data));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
vesicle_run_write_info (const char           *dir,
                        const VesicleRunInfo *info,
                        GError              **error)
{
  g_autoptr(JsonNode) root = vesicle_run_info_to_json (info);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);

  return vesicle_json_write (path, root, error);
}

gboolean
vesicle_run_append_metrics (const char                *dir,
                            const VesicleCohortConfig *cohort,
                            const VesicleEpochMetrics *rows,
                            guint                      n_rows,
                            GError                   **error)
{
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  gboolean header = !g_file_test (path, G_FILE_TEST_EXISTS);
  g_autoptr(GString) s = g_string_new (NULL);
  guint L = cohort->shape.n_layers;
  FILE *f;

  if (header)
    {
      g_string_append (s, "network,epoch,rho,c,lambda,setting,seed,train_nll,train_accuracy,"
                          "l1,cost,objective,test_accuracy,test_nll,test_accuracy_mean,"
                          "mean_sigma,rms_sigma,reliability_cost_s1");
      for (guint l = 0; l < L; l++)
        g_string_append_printf (s, ",mean_sigma_layer%u,rms_sigma_layer%u", l + 1, l + 1);
      g_string_append_c (s, '\n');
    }
  for (guint r = 0; r < n_rows; r++)
    {
      const VesicleEpochMetrics *m = &rows[r];
      const VesicleHyper *h = &cohort->hyper[m->network];
      double v[] = { m->train_nll, m->train_accuracy, m->l1, m->cost, m->objective,
                     m->test_accuracy, m->test_nll, m->test_accuracy_mean, m->mean_sigma,
                     m->rms_sigma, m->reliability_cost_s1 };
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (s, "%u,%u,", m->network, m->epoch);
      g_string_append_printf (s, "%s,", g_ascii_formatd (buf, sizeof buf, "%.10g", h->rho));
      g_string_append_printf (s, "%s,", g_ascii_formatd (buf, sizeof buf, "%.10g", h->c));
      g_string_append_printf (s, "%s,", g_ascii_formatd (buf, sizeof buf, "%.10g", h->lambda));
      g_string_append_printf (s, "%s,%" G_GUINT64_FORMAT, vesicle_setting_name (h->setting),
                              h->seed);
      for (guint i = 0; i < G_N_ELEMENTS (v); i++)
        g_string_append_printf (s, ",%s", isfinite (v[i])
                                ? g_ascii_formatd (buf, sizeof buf, "%.8g", v[i]) : "");
      for (guint l = 0; l < L; l++)
        {
          g_string_append_printf (s, ",%s", g_ascii_formatd (buf, sizeof buf, "%.8g",
                                                             m->layer_mean_sigma[l]));
          g_string_append_printf (s, ",%s", g_ascii_formatd (buf, sizeof buf, "%.8g",
                                                             m->layer_rms_sigma[l]));
        }
      g_string_append_c (s, '\n');
    }

  f = g_fopen (path, "a");
  if (f == NULL || fwrite (s->str, 1, s->len, f) != s->len || fclose (f) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot write: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
vesicle_write_npy (const char   *path,
                   const float  *data,
                   const gsize  *dims,
                   guint         n_dims,
                   GError      **error)
{
  g_autoptr(GString) header = g_string_new ("{'descr': '<f4', 'fortran_order': False, 'shape': (");
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize count = 1;
  guint16 header_len;

  for (guint d = 0; d < n_dims; d++)
    {
      g_string_append_printf (header, "%" G_GSIZE_FORMAT "%s", dims[d],
                              n_dims == 1 || d + 1 < n_dims ? ", " : "");
      count *= dims[d];
    }
  g_string_append (header, "), }");
  /* magic (6) + version (2) + length (2) + header, padded with spaces to 64 bytes, '\n' last */
  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  header_len = GUINT16_TO_LE ((guint16) header->len);

  g_byte_array_append (out, (const guint8 *) "\x93NUMPY\x01\x00", 8);
  g_byte_array_append (out, (const guint8 *) &header_len, 2);
  g_byte_array_append (out, (const guint8 *) header->str, header->len);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_byte_array_append (out, (const guint8 *) data, count * sizeof (float));
#else
  for (gsize i = 0; i < count; i++)
    {
      guint32 v;
      memcpy (&v, &data[i], 4);
      v = GUINT32_TO_LE (v);
      g_byte_array_append (out, (const guint8 *) &v, 4);
    }
#endif
  return g_file_set_contents (path, (const char *) out->data, out->len, error);
}

float *
vesicle_read_npy (const char  *path,
                  gsize       *dims,
                  guint       *n_dims,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0, count = 1, header_len;
  const char *shape;
  char *end;
  float *data;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length < 10 || memcmp (contents, "\x93NUMPY", 6) != 0)
    goto bad;
  header_len = (guint8) contents[8] | ((gsize) (guint8) contents[9] << 8);
  if (10 + header_len > length || !g_strstr_len (contents + 10, header_len, "'<f4'")
      || g_strstr_len (contents + 10, header_len, "'fortran_order': True")
      || !(shape = g_strstr_len (contents + 10, header_len, "'shape': (")))
    goto bad;
  shape += strlen ("'shape': (");
  *n_dims = 0;
  while (*n_dims < 4)
    {
      guint64 v = g_ascii_strtoull (shape, &end, 10);
      if (end == shape)
        break;
      dims[(*n_dims)++] = v;
      count *= v;
      shape = end;
      while (*shape == ',' || *shape == ' ')
        shape++;
    }
  if (*n_dims == 0 || count == 0 || 10 + header_len + count * sizeof (float) != length)
    goto bad;
  data = g_new (float, count);
  memcpy (data, contents + 10 + header_len, count * sizeof (float));
  return data;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: not a non-empty float32 C-order .npy array as Vesicle writes them", path);
  return NULL;
}

gboolean
vesicle_run_write_params (const char   *dir,
                          const float  *mu,
                          const float  *sigma,
                          guint         K,
                          gsize         P,
                          GError      **error)
{
  gsize dims[2] = { K, P };
  g_autofree char *mu_path = g_build_filename (dir, "mu.npy", NULL);
  g_autofree char *sigma_path = g_build_filename (dir, "sigma.npy", NULL);

  return vesicle_write_npy (mu_path, mu, dims, 2, error)
         && vesicle_write_npy (sigma_path, sigma, dims, 2, error);
}
