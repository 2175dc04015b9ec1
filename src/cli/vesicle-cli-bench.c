/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli bench: training steps per second of the paper's 784-100-100-10 network (batch 20)
 * for cohorts of K = 1, 4, 16 (or --K), on random inputs (the arithmetic does not depend on the data).
 * Each cohort is warmed up first (CLBlast and kernel compilation are not timed), then timed over
 * --steps steps ending with clFinish. Prints JSON on stdout, with the GEMM (VESICLE_GEMM) and the
 * launch scheme each cohort ran, and the device's roofline measured on it (STREAM copy and triad,
 * multiply-add rate) with each cohort's memory-traffic floor: the most network steps per second
 * the bandwidth allows, STREAM copy measured at the cohort's own working set over the bytes its
 * kernels move (vesicle_cl_cohort_step_bytes). --rounds repeats everything,
 * interleaved, and reports medians; --vs-torch runs the PyTorch peer in every round too and
 * reports the speed-up: K = 1 against its plain network on one thread, cohorts against its best
 * sweep on all cores (docs/benchmarks.md). A benchmark, never a test.
 */
#include "vesicle-cli.h"
#include "vesicle-cli-common.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-cl-roofline.h"
#include "vesicle-cli-peer.h"
#include "vesicle-json.h"
#include "vesicle-fit.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
bench_one (const char  *device,
           guint        K,
           double       sigma_init,
           double       rho,
           guint        steps,
           guint        warmup,
           const float *x,
           const float *t,
           guint        n,
           double      *steps_per_s,
           char       **device_name,
           VesicleRoofline *roofline,
           double      *copy_at_working_set,
           GHashTable **variants,
           GError     **error)
{
  VesicleCohortConfig cfg;
  g_autoptr(VesicleEngine) engine = NULL;
  g_autoptr(GTimer) timer = NULL;
  VesicleClDevice *dev;
  guint batches = n / 20;

  vesicle_cohort_config_init_benchmark (&cfg, K, n);
  cfg.sigma_init = sigma_init;
  for (guint k = 0; k < K; k++)
    cfg.hyper[k].rho = rho;

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
  /* the bandwidth at this cohort's own working set: a small one stays in the caches */
  if (copy_at_working_set
      && !vesicle_cl_roofline_copy_at (dev, vesicle_cl_cohort_step_bytes (&cfg.shape, K, 1,
                                                                          cfg.batch),
                                       copy_at_working_set, error))
    {
      vesicle_cl_device_free (dev);
      vesicle_cohort_config_clear (&cfg);
      return FALSE;
    }
  engine = vesicle_cl_cohort_new (dev, &cfg, error);
  vesicle_cohort_config_clear (&cfg);
  if (engine == NULL || !vesicle_engine_set_train_data (engine, x, t, n, error))
    return FALSE;
  /* which GEMM and which launch scheme this device got, as run.json records them */
  *variants = vesicle_engine_describe (engine);
  for (guint s = 0; s < warmup; s++)
    if (!vesicle_engine_step (engine, s % batches, s, error))
      return FALSE;
  if (!vesicle_engine_finish (engine, error))
    return FALSE;
  timer = g_timer_new ();
  for (guint s = 0; s < steps; s++)
    if (!vesicle_engine_step (engine, s % batches, warmup + s, error))
      return FALSE;
  if (!vesicle_engine_finish (engine, error))
    return FALSE;
  *steps_per_s = steps / g_timer_elapsed (timer, NULL);
  return TRUE;
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

int
vesicle_cli_bench (int    argc,
                   char **argv)
{
  g_autofree char *device = NULL, *ks = NULL, *python = NULL;
  g_autofree char *steps_text = NULL, *warmup_text = NULL, *rounds_text = NULL;
  guint steps = 400, warmup = 40, rounds = 0;
  double sigma = 1e-4, rho = 0.5;
  gboolean vs_torch = FALSE;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "OpenCL device: index or name", "D" },
    { "K", 0, 0, G_OPTION_ARG_STRING, &ks, "Cohort sizes (default 1,4,16)", "K[,K…]" },
    { "steps", 0, 0, G_OPTION_ARG_STRING, &steps_text, "Timed steps per cohort (default 400)", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_STRING, &warmup_text, "Untimed steps first (default 40)", "N" },
    { "sigma", 0, 0, G_OPTION_ARG_DOUBLE, &sigma,
      "Every sigma at the start (default 1e-4, the paper's; the update is slower for sigmas above "
      "2^-6, as late in training)", "S" },
    { "rho", 0, 0, G_OPTION_ARG_DOUBLE, &rho,
      "The cost exponent of every network (default 0.5; the paper's are 0.5, 2/3, 4/3 and 2)",
      "RHO" },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text,
      "Measure every cohort N times, interleaved, and report medians (default 1; 3 with --vs-torch)", "N" },
    { "vs-torch", 0, 0, G_OPTION_ARG_NONE, &vs_torch,
      "Also run the PyTorch peer (tools/bench/torch_bench.py) in every round, and compare", NULL },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &python,
      "Python with torch for --vs-torch (default $VESICLE_PYTHON, else /usr/bin/python3)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— training speed as JSON");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) k_list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) peer_json = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) variants = NULL;
  g_autofree char *text = NULL, *device_name = NULL, *script = NULL, *peer_ks = NULL;
  g_autofree float *x = NULL, *t = NULL;
  g_autofree double *sps = NULL, *peer_plain = NULL, *peer_sweep = NULL, *copy_ws = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  VesicleRoofline roofline = { 0 };
  VesicleShape shape;
  guint hidden[2] = { 100, 100 };
  guint n = 2000, processes = g_get_num_processors ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("bench", error);
  if (!vesicle_cli_parse_uint ("steps", steps_text, 1, G_MAXINT, &steps, &error)
      || !vesicle_cli_parse_uint ("warmup", warmup_text, 1, G_MAXINT, &warmup, &error)
      || !vesicle_cli_parse_uint ("rounds", rounds_text, 1, G_MAXINT, &rounds, &error))
    return vesicle_cli_fail ("bench", error);
  if (rounds == 0)
    rounds = vs_torch ? 3 : 1;
  if (!(rho > 0 && rho <= 4))
    return vesicle_cli_fail_msg ("bench", "--rho must be above 0 and at most 4");
  if (!(sigma > 0 && sigma < 100))
    return vesicle_cli_fail_msg ("bench", "--sigma must be above 0 and below 100");
  if (!(k_list = vesicle_cli_parse_uints ("K", ks ? ks : "1,4,16", FALSE, &error)))
    return vesicle_cli_fail ("bench", error);
  if (vs_torch)
    {
      GString *list = g_string_new (NULL);

      if (python == NULL)
        python = g_strdup (g_getenv ("VESICLE_PYTHON") ? g_getenv ("VESICLE_PYTHON")
                           : g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                           ? "/usr/bin/python3" : "python3");
      script = vesicle_cli_peer_script ();
      if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *message = g_strdup_printf ("--vs-torch: no PyTorch peer at %s (set "
                                                      "VESICLE_TORCH_BENCH to "
                                                      "tools/bench/torch_bench.py)", script);
          return vesicle_cli_fail_msg ("bench", message);
        }
      /* the peer stacks the cohorts larger than 1 (K = 1 is its plain network anyway) */
      for (guint i = 0; i < k_list->len; i++)
        if (g_array_index (k_list, guint, i) > 1)
          g_string_append_printf (list, "%s%u", list->len ? "," : "", g_array_index (k_list, guint, i));
      peer_ks = g_string_free (list, list->len == 0);
      if (peer_ks == NULL)
        peer_ks = g_strdup ("1");
    }

  vesicle_shape_init (&shape, 784, hidden, 2, 10, VESICLE_HEAD_SOFTMAX, NULL);
  x = g_new (float, (gsize) n * 784);
  t = g_new (float, n);
  for (gsize i = 0; i < (gsize) n * 784; i++)
    x[i] = (float) g_rand_double (rand);
  for (guint i = 0; i < n; i++)
    t[i] = g_rand_int_range (rand, 0, 10);

  /* rounds interleave everything, so that load from elsewhere hits every measurement alike */
  sps = g_new0 (double, (gsize) rounds * k_list->len);
  copy_ws = g_new0 (double, k_list->len);
  peer_plain = g_new0 (double, rounds);
  peer_sweep = g_new0 (double, rounds);
  for (guint r = 0; r < rounds; r++)
    {
      for (guint i = 0; i < k_list->len; i++)
        {
          g_clear_pointer (&variants, g_hash_table_unref);
          if (!bench_one (device, g_array_index (k_list, guint, i), sigma, rho, steps, warmup, x, t, n,
                          &sps[i * rounds + r], &device_name, &roofline,
                          r == 0 ? &copy_ws[i] : NULL, &variants, &error))
            return vesicle_cli_fail ("bench", error);
        }
      if (vs_torch)
        {
          VesiclePeerResult peer;
          JsonNode *node = vesicle_cli_peer_run (python, script, peer_ks, steps, processes,
                                                 &peer, &error);

          if (node == NULL)
            return vesicle_cli_fail ("bench", error);
          g_ptr_array_add (peer_json, node);
          peer_plain[r] = peer.plain;
          peer_sweep[r] = peer.best_sweep;
        }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "network");
  json_builder_add_string_value (b, "784-100-100-10, batch 20, heterogeneous");
  add_double (b, "rho", rho);
  add_double (b, "sigma_init", sigma);
  json_builder_set_member_name (b, "rounds");
  json_builder_add_int_value (b, rounds);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < k_list->len; i++)
    {
      guint K = g_array_index (k_list, guint, i);
      double m = vesicle_median (&sps[i * rounds], rounds);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "K");
      json_builder_add_int_value (b, K);
      add_double (b, "steps_per_s", m);
      add_double (b, "network_steps_per_s", m * K);
      {
        /* bench's cohorts share one seed: one noise stream */
        double bytes = (double) vesicle_cl_cohort_step_bytes (&shape, K, 1, 20) / K;

        add_double (b, "step_bytes_per_network", bytes);
        add_double (b, "stream_copy_at_working_set_GBps", copy_ws[i]);
        add_double (b, "memory_floor_network_steps_per_s", copy_ws[i] * 1e9 / bytes);
      }
      json_builder_set_member_name (b, "gemm");
      json_builder_add_string_value (b, g_hash_table_lookup (variants, "gemm"));
      if (g_hash_table_contains (variants, "gemm_choice"))
        {
          json_builder_set_member_name (b, "gemm_choice");
          json_builder_add_string_value (b, g_hash_table_lookup (variants, "gemm_choice"));
        }
      json_builder_set_member_name (b, "launches");
      json_builder_add_string_value (b, g_hash_table_lookup (variants, "launches"));
      if (g_hash_table_contains (variants, "gemm_tuning"))
        {
          json_builder_set_member_name (b, "gemm_tuning");
          json_builder_add_string_value (b, g_hash_table_lookup (variants, "gemm_tuning"));
        }
      if (vs_torch)
        {
          /* K = 1 against the peer's plain network; a cohort against its best sweep */
          double peer = vesicle_median (K == 1 ? peer_plain : peer_sweep, rounds);

          json_builder_set_member_name (b, "peer");
          json_builder_add_string_value (b, K == 1 ? "plain network, one thread"
                                                   : "best sweep on every core");
          add_double (b, "peer_network_steps_per_s", peer);
          add_double (b, "speedup", m * K / peer);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, device_name);
  json_builder_set_member_name (b, "roofline");
  json_builder_begin_object (b);
  add_double (b, "stream_copy_GBps", roofline.copy_gbps);
  add_double (b, "stream_triad_GBps", roofline.triad_gbps);
  add_double (b, "fma_GFLOPs", roofline.fma_gflops);
  json_builder_set_member_name (b, "stream_MiB");
  json_builder_add_int_value (b, roofline.buffer_bytes >> 20);
  json_builder_end_object (b);
  if (vs_torch)
    {
      json_builder_set_member_name (b, "peer");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "script");
      json_builder_add_string_value (b, script);
      json_builder_set_member_name (b, "python");
      json_builder_add_string_value (b, python);
      json_builder_set_member_name (b, "processes");
      json_builder_add_int_value (b, processes);
      add_double (b, "plain_network_steps_per_s", vesicle_median (peer_plain, rounds));
      add_double (b, "best_sweep_network_steps_per_s", vesicle_median (peer_sweep, rounds));
      json_builder_set_member_name (b, "rounds");
      json_builder_begin_array (b);
      for (guint i = 0; i < peer_json->len; i++)
        json_builder_add_value (b, json_node_copy (peer_json->pdata[i]));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = vesicle_json_to_string (root, TRUE);
  printf ("%s\n", text);
  return 0;
}
