/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli bench: training steps per second of the paper's 784-100-100-10 network (batch 20)
 * for cohorts of K = 1, 4, 16 (or --K), on random inputs (the arithmetic does not depend on the data).
 * Each cohort is warmed up first (CLBlast and kernel compilation are not timed), then timed over
 * --steps steps ending with clFinish. Prints JSON on stdout, with the GEMM (VESICLE_GEMM) and the
 * launch scheme each cohort ran, and the device's roofline measured on it (STREAM copy and triad,
 * multiply-add rate) with each cohort's memory-traffic floor: the most network steps per second
 * the measured bandwidth allows (vesicle_cl_cohort_step_bytes). A benchmark, never a test.
 */
#include "vesicle-cli.h"
#include "vesicle-cli-common.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-cl-roofline.h"
#include "vesicle-json.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

static gboolean
bench_one (const char  *device,
           guint        K,
           guint        steps,
           guint        warmup,
           const float *x,
           const float *t,
           guint        n,
           double      *steps_per_s,
           char       **device_name,
           VesicleRoofline *roofline,
           GHashTable **variants,
           GError     **error)
{
  VesicleCohortConfig cfg;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GTimer) timer = NULL;
  VesicleClDevice *dev;
  guint hidden[2] = { 100, 100 };
  guint batches = n / 20;

  vesicle_cohort_config_init (&cfg);
  vesicle_shape_init (&cfg.shape, 784, hidden, 2, 10, VESICLE_HEAD_SOFTMAX, NULL);
  cfg.K = K;
  cfg.n_train = n;
  cfg.hyper = g_new0 (VesicleHyper, K);
  for (guint k = 0; k < K; k++)
    /* different c per network, one seed: a sweep over c with common random numbers */
    cfg.hyper[k] = (VesicleHyper) { 0.5, 1e-2 * (k + 1), 1e-4, VESICLE_SIGMA_HETERO, 1 };

  dev = vesicle_cl_device_open (device, error);
  if (dev == NULL)
    {
      vesicle_cohort_config_clear (&cfg);
      return FALSE;
    }
  if (device_name && *device_name == NULL)
    {
      *device_name = g_strdup_printf ("%s (%s)", dev->info.name, dev->info.platform_name);
      if (!vesicle_cl_roofline_measure (dev, roofline, error))
        {
          vesicle_cl_device_free (dev);
          vesicle_cohort_config_clear (&cfg);
          return FALSE;
        }
    }
  engine = vesicle_cl_cohort_new (dev, &cfg, error);
  vesicle_cohort_config_clear (&cfg);
  if (engine == NULL || !engine->vtable->set_train_data (engine, x, t, n, error))
    return FALSE;
  /* which GEMM and which launch scheme this device got, as run.json records them */
  *variants = engine->vtable->describe (engine);
  for (guint s = 0; s < warmup; s++)
    if (!engine->vtable->step (engine, s % batches, s, error))
      return FALSE;
  if (!engine->vtable->finish (engine, error))
    return FALSE;
  timer = g_timer_new ();
  for (guint s = 0; s < steps; s++)
    if (!engine->vtable->step (engine, s % batches, warmup + s, error))
      return FALSE;
  if (!engine->vtable->finish (engine, error))
    return FALSE;
  *steps_per_s = steps / g_timer_elapsed (timer, NULL);
  return TRUE;
}

int
vesicle_cli_bench (int    argc,
                   char **argv)
{
  g_autofree char *device = NULL, *ks = NULL;
  int steps = 400, warmup = 40;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name", "D" },
    { "K", 0, 0, G_OPTION_ARG_STRING, &ks, "Cohort sizes (default 1,4,16)", "K[,K…]" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Timed steps per cohort (default 400)", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Untimed steps first (default 40)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— training speed as JSON");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) k_list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL, *device_name = NULL;
  g_autofree float *x = NULL, *t = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  VesicleRoofline roofline = { 0 };
  VesicleShape shape;
  guint hidden[2] = { 100, 100 };
  guint n = 2000;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("bench", error);
  if (steps < 1 || warmup < 1)
    return vesicle_cli_fail_msg ("bench", "--steps and --warmup must be at least 1");
  if (!(k_list = vesicle_cli_parse_uints ("K", ks ? ks : "1,4,16", FALSE, &error)))
    return vesicle_cli_fail ("bench", error);

  vesicle_shape_init (&shape, 784, hidden, 2, 10, VESICLE_HEAD_SOFTMAX, NULL);
  x = g_new (float, (gsize) n * 784);
  t = g_new (float, n);
  for (gsize i = 0; i < (gsize) n * 784; i++)
    x[i] = (float) g_rand_double (rand);
  for (guint i = 0; i < n; i++)
    t[i] = g_rand_int_range (rand, 0, 10);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "network");
  json_builder_add_string_value (b, "784-100-100-10, batch 20, heterogeneous, rho 0.5");
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < k_list->len; i++)
    {
      guint K = g_array_index (k_list, guint, i);
      double sps = 0;
      g_autoptr(GHashTable) variants = NULL;

      if (!bench_one (device, K, steps, warmup, x, t, n, &sps, &device_name, &roofline, &variants,
                      &error))
        return vesicle_cli_fail ("bench", error);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "K");
      json_builder_add_int_value (b, K);
      json_builder_set_member_name (b, "steps_per_s");
      json_builder_add_double_value (b, sps);
      json_builder_set_member_name (b, "network_steps_per_s");
      json_builder_add_double_value (b, sps * K);
      json_builder_set_member_name (b, "memory_floor_network_steps_per_s");
      json_builder_add_double_value (b, roofline.copy_gbps * 1e9
                                        / vesicle_cl_cohort_step_bytes (&shape));
      json_builder_set_member_name (b, "gemm");
      json_builder_add_string_value (b, g_hash_table_lookup (variants, "gemm"));
      json_builder_set_member_name (b, "launches");
      json_builder_add_string_value (b, g_hash_table_lookup (variants, "launches"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, device_name);
  json_builder_set_member_name (b, "roofline");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stream_copy_GBps");
  json_builder_add_double_value (b, roofline.copy_gbps);
  json_builder_set_member_name (b, "stream_triad_GBps");
  json_builder_add_double_value (b, roofline.triad_gbps);
  json_builder_set_member_name (b, "fma_GFLOPs");
  json_builder_add_double_value (b, roofline.fma_gflops);
  json_builder_set_member_name (b, "stream_MiB");
  json_builder_add_int_value (b, roofline.buffer_bytes >> 20);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = vesicle_json_to_string (root, TRUE);
  printf ("%s\n", text);
  return 0;
}
