/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of run folders (vesicle-run.c) and of the parameter metrics that fill them: .npy files
 * (byte layout, round trip, NumPy reading them back when it is installed, refusal of truncated
 * and foreign files), vesicle_run_prepare_dir and its --overwrite rule, metrics.csv (one header,
 * one row per network, the values, NaN as an empty field), run.json (parsed back with
 * json-glib), vesicle_metrics_from_params on a small example checked by hand, and a folder left
 * "running" read back as interrupted when the process it names is gone.
 */
#include "vesicle-test-files.h"
#include "vesicle-experiment-record.h"
#include "vesicle-process.h"
#include "vesicle-file.h"
#include "vesicle-run.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define PYTHON "/usr/bin/python3"

/* ---- Helpers ---------------------------------------------------------------------------- */

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_bytes (const char *path,
             const void *data,
             gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static void
assert_error_names (const GError *error,
                    const char   *what)
{
  g_assert_nonnull (error);
  if (strstr (error->message, what) == NULL)
    g_error ("error message '%s' does not name '%s'", error->message, what);
}

static float *
ramp (gsize count)
{
  float *v = g_new (float, count);

  for (gsize i = 0; i < count; i++)
    v[i] = (float) ((double) i * 0.37 - 3.25 + (i % 7 == 3 ? 1e-30 : 0));
  if (count > 2)
    {
      v[1] = -0.0f;
      v[2] = 3.0e38f;
    }
  return v;
}

/* Is NumPy importable by /usr/bin/python3? */
static gboolean
have_numpy (void)
{
  const char *argv[] = { PYTHON, "-c", "import numpy", NULL };
  int status = 0;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* ---- .npy ------------------------------------------------------------------------------- */

/* Writes data with dims, checks the bytes against the format (NPY 1.0), reads it back. */
static void
check_npy (const char  *dir,
           const gsize *dims,
           guint        n_dims,
           const char  *shape_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "a.npy", NULL);
  g_autofree char *contents = NULL;
  g_autofree float *data = NULL, *back = NULL;
  g_autofree char *header = NULL;
  gsize count = 1, length = 0, header_len, back_dims[4] = { 0 };
  guint back_n_dims = 0;

  for (guint d = 0; d < n_dims; d++)
    count *= dims[d];
  data = ramp (count);
  g_assert_true (vesicle_write_npy (path, data, dims, n_dims, &error));
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 10);
  /* magic, version 1.0, little-endian header length */
  g_assert_cmpmem (contents, 6, "\x93NUMPY", 6);
  g_assert_cmpint (contents[6], ==, 1);
  g_assert_cmpint (contents[7], ==, 0);
  header_len = (guint8) contents[8] | (gsize) (guint8) contents[9] << 8;
  g_assert_cmpuint ((10 + header_len) % 64, ==, 0);
  g_assert_cmpuint (length, ==, 10 + header_len + count * sizeof (float));
  g_assert_cmpint (contents[10 + header_len - 1], ==, '\n');
  header = g_strndup (contents + 10, header_len);
  g_strchomp (header);
  g_assert_true (g_str_has_prefix (header, "{"));
  g_assert_true (g_str_has_suffix (header, "}"));
  g_assert_nonnull (strstr (header, "'descr': '<f4'"));
  g_assert_nonnull (strstr (header, "'fortran_order': False"));
  if (strstr (header, shape_text) == NULL)
    g_error ("header '%s' lacks %s", header, shape_text);
  /* little-endian float32, C order */
  for (gsize i = 0; i < count; i++)
    {
      const guint8 *p = (const guint8 *) contents + 10 + header_len + 4 * i;
      guint32 bits = p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
      guint32 want;

      memcpy (&want, &data[i], 4);
      g_assert_cmphex (bits, ==, want);
    }

  back = vesicle_read_npy (path, back_dims, &back_n_dims, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (back_n_dims, ==, n_dims);
  for (guint d = 0; d < n_dims; d++)
    g_assert_cmpuint (back_dims[d], ==, dims[d]);
  g_assert_cmpmem (back, count * sizeof (float), data, count * sizeof (float));
}

static void
test_npy_round_trip (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("run");
  const gsize d1[1] = { 7 }, d1b[1] = { 1 }, d2[2] = { 3, 5 }, d2b[2] = { 1, 1 };
  const gsize d2c[2] = { 16, 89610 }, d3[3] = { 2, 3, 4 };

  check_npy (dir, d1, 1, "'shape': (7,");
  check_npy (dir, d1b, 1, "'shape': (1,");
  check_npy (dir, d2, 2, "'shape': (3, 5)");
  check_npy (dir, d2b, 2, "'shape': (1, 1)");
  check_npy (dir, d2c, 2, "'shape': (16, 89610)");
  check_npy (dir, d3, 3, "'shape': (2, 3, 4)");
  vesicle_test_remove_tree (dir);
}

/* NumPy's own reader: dtype, shape and every value. */
static void
check_numpy_reads (const char  *dir,
                   const gsize *dims,
                   guint        n_dims)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "b.npy", NULL);
  g_autofree float *data = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GString) want_shape = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *script =
    "import sys, numpy\n"
    "a = numpy.load(sys.argv[1])\n"
    "print(a.dtype.str)\n"
    "print(' '.join(str(d) for d in a.shape))\n"
    "print(' '.join(repr(float(v)) for v in a.ravel(order='C')))\n";
  const char *argv[] = { PYTHON, "-c", script, path, NULL };
  gsize count = 1;
  int status = 0;

  for (guint d = 0; d < n_dims; d++)
    {
      count *= dims[d];
      g_string_append_printf (want_shape, "%s%" G_GSIZE_FORMAT, d ? " " : "", dims[d]);
    }
  data = ramp (count);
  g_assert_true (vesicle_write_npy (path, data, dims, n_dims, &error));
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("numpy.load failed: %s", err);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  g_assert_cmpstr (lines[0], ==, "<f4");
  g_assert_cmpstr (lines[1], ==, want_shape->str);
  {
    g_auto(GStrv) values = g_strsplit (lines[2], " ", -1);

    g_assert_cmpuint (g_strv_length (values), ==, count);
    for (gsize i = 0; i < count; i++)
      {
        float v = (float) g_ascii_strtod (values[i], NULL);

        g_assert_cmpmem (&v, 4, &data[i], 4);
      }
  }
}

static void
test_npy_numpy (void)
{
  g_autofree char *dir = NULL;
  const gsize d1[1] = { 6 }, d2[2] = { 4, 9 }, d2b[2] = { 1, 3 };

  if (!have_numpy ())
    {
      g_test_skip (PYTHON " with numpy is not available");
      return;
    }
  dir = vesicle_test_tmp_dir ("run");
  check_numpy_reads (dir, d1, 1);
  check_numpy_reads (dir, d2, 2);
  check_numpy_reads (dir, d2b, 2);
  vesicle_test_remove_tree (dir);
}

/* Truncated files, foreign files and missing files: an error that names the file. */
static void
test_npy_refuses (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("run");
  g_autofree char *good = g_build_filename (dir, "good.npy", NULL);
  g_autofree char *cut = g_build_filename (dir, "truncated.npy", NULL);
  g_autofree char *cut_header = g_build_filename (dir, "cut-header.npy", NULL);
  g_autofree char *longer = g_build_filename (dir, "longer.npy", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.npy", NULL);
  g_autofree char *tiny = g_build_filename (dir, "tiny.npy", NULL);
  g_autofree char *f8 = g_build_filename (dir, "float64.npy", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.npy", NULL);
  g_autofree char *contents = NULL;
  const gsize dims[2] = { 3, 4 };
  g_autofree float *data = ramp (12);
  const char *bad[] = { cut, cut_header, longer, text, tiny, f8 };
  gsize length = 0;

  g_assert_true (vesicle_write_npy (good, data, dims, 2, NULL));
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));

  write_bytes (cut, contents, length - 5);              /* data cut short */
  write_bytes (cut_header, contents, 40);               /* header cut short */
  {
    g_autofree char *more = g_malloc (length + 4);

    memcpy (more, contents, length);
    memset (more + length, 0, 4);
    write_bytes (longer, more, length + 4);             /* trailing bytes */
  }
  write_bytes (text, "mu,sigma\n0.1,0.2\n", -1);        /* not npy at all */
  write_bytes (tiny, "\x93NUMPY", 6);                   /* the magic and nothing else */
  {
    g_autofree char *other = g_memdup2 (contents, length);
    char *descr = g_strstr_len (other + 10, length - 10, "'<f4'");   /* past the NULs */

    g_assert_nonnull (descr);
    memcpy (descr, "'<f8'", 5);                         /* another dtype, same byte count */
    write_bytes (f8, other, length);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize back_dims[4];
      guint n_dims = 0;
      float *back = vesicle_read_npy (bad[i], back_dims, &n_dims, &error);

      g_assert_null (back);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      assert_error_names (error, bad[i]);
    }
  {
    g_autoptr(GError) error = NULL;
    gsize back_dims[4];
    guint n_dims = 0;

    g_assert_null (vesicle_read_npy (missing, back_dims, &n_dims, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    assert_error_names (error, missing);
  }
  vesicle_test_remove_tree (dir);
}

/* ---- run folders ------------------------------------------------------------------------ */

static void
test_prepare_dir (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("run");
  g_autofree char *dir = g_build_filename (tmp, "a", "b", "run", NULL);
  g_autofree char *info = g_build_filename (dir, "run.json", NULL);
  g_autofree char *metrics = g_build_filename (dir, "metrics.csv", NULL);
  g_autofree char *file = g_build_filename (tmp, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (file, "run", NULL);
  g_autoptr(GError) error = NULL;

  /* creates missing parents; an empty or run-less folder is fine */
  g_assert_true (vesicle_run_prepare_dir (dir, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (vesicle_run_prepare_dir (dir, FALSE, &error));
  g_assert_no_error (error);

  /* a folder holding run.json is refused without overwrite, and left alone */
  write_bytes (info, "{}\n", -1);
  write_bytes (metrics, "network\n", -1);
  g_assert_false (vesicle_run_prepare_dir (dir, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_error_names (error, dir);
  assert_error_names (error, "--overwrite");
  g_clear_error (&error);
  g_assert_true (g_file_test (info, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (metrics, G_FILE_TEST_EXISTS));

  /* overwrite: accepted, and the old metrics.csv is gone so rows are not appended to it */
  g_assert_true (vesicle_run_prepare_dir (dir, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (metrics, G_FILE_TEST_EXISTS));

  /* a folder that cannot be created */
  write_bytes (file, "x", -1);
  g_assert_false (vesicle_run_prepare_dir (under_file, FALSE, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  assert_error_names (error, under_file);
  g_clear_error (&error);

  vesicle_test_remove_tree (tmp);
}

/* 4 inputs, one hidden layer of 3, 2 outputs; K = 2 networks. */
static void
make_cohort (VesicleCohortConfig *cohort)
{
  const guint hidden[1] = { 3 };
  g_autoptr(GError) error = NULL;

  vesicle_cohort_config_init (cohort);
  g_assert_true (vesicle_shape_init (&cohort->shape, 4, hidden, 1, 2, VESICLE_HEAD_SOFTMAX,
                                     &error));
  g_assert_no_error (error);
  cohort->K = 2;
  cohort->n_train = 100;
  cohort->hyper = g_new0 (VesicleHyper, 2);
  cohort->hyper[0] = (VesicleHyper) { 0.5, 0.01, 1e-4, VESICLE_SIGMA_HETERO, 1 };
  cohort->hyper[1] = (VesicleHyper) { 2.0, 1.5, 0.0, VESICLE_SIGMA_HOMO,
                                      G_GUINT64_CONSTANT (12345678901) };
  g_assert_true (vesicle_cohort_config_check (cohort, &error));
  g_assert_no_error (error);
}

static VesicleEpochMetrics
make_row (guint network,
          guint epoch)
{
  VesicleEpochMetrics m = { 0 };
  double b = 10 * network + epoch;

  m.network = network;
  m.epoch = epoch;
  m.train_nll = 0.25 + b;
  m.train_accuracy = 0.5;
  m.l1 = 1e-3 * b;
  m.cost = 2.5e-7;
  m.objective = 1234.5 + b;
  m.test_accuracy = 0.875;
  m.test_nll = 0.125;
  m.test_accuracy_mean = 0.9;
  m.mean_sigma = 0.01 * b;
  m.rms_sigma = 0.02 * b;
  m.reliability_cost_s1 = 3.0;
  m.n_layers = 2;
  m.layer_mean_sigma[0] = 0.1 + b;
  m.layer_rms_sigma[0] = 0.2 + b;
  m.layer_mean_sigma[1] = 0.3 + b;
  m.layer_rms_sigma[1] = 0.4 + b;
  return m;
}

static void
assert_field (const char *field,
              double      want)
{
  char *end = NULL;
  double v = g_ascii_strtod (field, &end);

  g_assert_true (*field != '\0' && *end == '\0');
  if (!(fabs (v - want) <= 1e-7 * MAX (1.0, fabs (want))))
    g_error ("field '%s', expected %.10g", field, want);
}

static void
test_append_metrics (void)
{
  static const char *const columns[] = {
    "network", "epoch", "rho", "c", "lambda", "setting", "seed", "train_nll", "train_accuracy",
    "l1", "cost", "objective", "test_accuracy", "test_nll", "test_accuracy_mean", "mean_sigma",
    "rms_sigma", "reliability_cost_s1", "mean_sigma_layer1", "rms_sigma_layer1",
    "mean_sigma_layer2", "rms_sigma_layer2", "status",
  };
  g_autofree char *dir = vesicle_test_tmp_dir ("run");
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GError) error = NULL;
  VesicleCohortConfig cohort;
  VesicleEpochMetrics rows[2];
  guint n_lines;

  make_cohort (&cohort);

  /* epoch 1: both networks, test accuracy of network 1 not evaluated */
  rows[0] = make_row (0, 1);
  rows[1] = make_row (1, 1);
  rows[1].test_accuracy = NAN;
  rows[1].test_nll = INFINITY;
  g_assert_true (vesicle_run_append_metrics (dir, &cohort, rows, 2, &error));
  g_assert_no_error (error);
  /* epoch 2 */
  rows[0] = make_row (0, 2);
  rows[1] = make_row (1, 2);
  rows[1].stopped = TRUE;
  g_assert_true (vesicle_run_append_metrics (dir, &cohort, rows, 2, &error));
  g_assert_no_error (error);

  text = read_text (path);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, ==, 1 + 4 + 1);          /* header, 4 rows, "" after the last \n */
  g_assert_cmpstr (lines[n_lines - 1], ==, "");

  header = g_strsplit (lines[0], ",", -1);
  g_assert_cmpuint (g_strv_length (header), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_assert_cmpstr (header[i], ==, columns[i]);

  for (guint r = 0; r < 4; r++)
    {
      g_auto(GStrv) f = g_strsplit (lines[1 + r], ",", -1);
      guint network = r % 2, epoch = 1 + r / 2;
      const VesicleHyper *h = &cohort.hyper[network];
      VesicleEpochMetrics m = make_row (network, epoch);
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, h->seed);

      g_assert_cmpuint (g_strv_length (f), ==, G_N_ELEMENTS (columns));
      g_assert_false (g_str_equal (f[0], "network"));
      assert_field (f[0], network);
      assert_field (f[1], epoch);
      assert_field (f[2], h->rho);
      assert_field (f[3], h->c);
      assert_field (f[4], h->lambda);
      g_assert_cmpstr (f[5], ==, network == 0 ? "hetero" : "homo");
      g_assert_cmpstr (f[6], ==, seed);
      assert_field (f[7], m.train_nll);
      assert_field (f[8], m.train_accuracy);
      assert_field (f[9], m.l1);
      assert_field (f[10], m.cost);
      assert_field (f[11], m.objective);
      if (r == 1)
        {
          /* NaN and infinity: empty fields */
          g_assert_cmpstr (f[12], ==, "");
          g_assert_cmpstr (f[13], ==, "");
        }
      else
        {
          assert_field (f[12], m.test_accuracy);
          assert_field (f[13], m.test_nll);
        }
      assert_field (f[14], m.test_accuracy_mean);
      assert_field (f[15], m.mean_sigma);
      assert_field (f[16], m.rms_sigma);
      assert_field (f[17], m.reliability_cost_s1);
      assert_field (f[18], m.layer_mean_sigma[0]);
      assert_field (f[19], m.layer_rms_sigma[0]);
      assert_field (f[20], m.layer_mean_sigma[1]);
      assert_field (f[21], m.layer_rms_sigma[1]);
      /* network 1 diverged in epoch 2 */
      g_assert_cmpstr (f[22], ==, r == 3 ? "diverged" : "trained");
    }

  /* numbers do not follow the locale: no decimal commas */
  g_assert_null (strstr (lines[1], "0,25"));

  vesicle_cohort_config_clear (&cohort);
  vesicle_test_remove_tree (dir);
}

static void
test_append_metrics_error (void)
{
  g_autofree char *tmp = vesicle_test_tmp_dir ("run");
  g_autofree char *missing = g_build_filename (tmp, "no-such-folder", NULL);
  g_autoptr(GError) error = NULL;
  VesicleCohortConfig cohort;
  VesicleEpochMetrics row = make_row (0, 1);

  make_cohort (&cohort);
  g_assert_false (vesicle_run_append_metrics (missing, &cohort, &row, 1, &error));
  g_assert_nonnull (error);
  assert_error_names (error, missing);
  vesicle_cohort_config_clear (&cohort);
  vesicle_test_remove_tree (tmp);
}

/* metrics.csv read back: a 64-bit seed survives exactly, and a seed or setting no writer could
 * have made is refused with the line and the value, before it reaches a cast. */
static void
test_read_metrics (void)
{
  static const struct { const char *seed, *setting, *names; } bad[] = {
    { "1e30", "hetero", "'1e30'" },
    { "-1", "hetero", "'-1'" },
    { "18446744073709551616", "homo", "'18446744073709551616'" },
    { "", "homo", "seed" },
    { "7", "both", "'both'" },
  };
  g_autofree char *dir = vesicle_test_tmp_dir ("run");
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  VesicleCohortConfig cohort;
  VesicleEpochMetrics m[2] = { make_row (0, 1), make_row (1, 1) };

  make_cohort (&cohort);
  g_assert_true (vesicle_run_append_metrics (dir, &cohort, m, 2, &error));
  g_assert_no_error (error);
  rows = vesicle_run_read_metrics (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (g_array_index (rows, VesicleMetricsRow, 1).seed, ==,
                    G_GUINT64_CONSTANT (12345678901));
  g_assert_cmpint (g_array_index (rows, VesicleMetricsRow, 1).setting, ==, VESICLE_SIGMA_HOMO);

  text = read_text (path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[1], ",", -1);
      g_autofree char *row = NULL;
      g_autofree char *csv = NULL;
      g_autoptr(GArray) none = NULL;
      g_autoptr(GError) e = NULL;

      g_free (f[5]);
      f[5] = g_strdup (bad[i].setting);
      g_free (f[6]);
      f[6] = g_strdup (bad[i].seed);
      row = g_strjoinv (",", f);
      csv = g_strconcat (lines[0], "\n", row, "\n", NULL);
      g_assert_true (g_file_set_contents (path, csv, -1, NULL));
      none = vesicle_run_read_metrics (dir, &e);
      g_assert_null (none);
      assert_error_names (e, "line 2");
      assert_error_names (e, bad[i].names);
    }
  vesicle_cohort_config_clear (&cohort);
  vesicle_test_remove_tree (dir);
}

/* Parses run.json; first names numbers like 1e-08.0, which json-glib 1.6's generator makes of
 * any double printed in exponent form without a '.' (the default eps, 1e-8, for one). */
static void
load_json (JsonParser *parser,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = read_text (path);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) re = g_regex_new ("[0-9]e[-+]?[0-9]+\\.0\\b", 0, 0, NULL);

  if (g_regex_match (re, text, 0, &match))
    {
      g_autofree char *bad = g_match_info_fetch (match, 0);

      g_error ("%s holds the number '%s', which is not JSON", path, bad);
    }
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
}

static JsonObject *
member_object (JsonObject *o,
               const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_object_member (o, name);
}

static void
test_write_info (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("run");
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) device = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) started = g_date_time_new_utc (2024, 6, 1, 12, 0, 0);
  g_autoptr(GDateTime) finished = g_date_time_new_utc (2024, 6, 1, 12, 5, 30);
  VesicleCohortConfig cohort;
  VesicleTrainSchedule schedule = { 3, 1, 7, 50 };
  VesicleRunInfo info = { 0 };
  JsonObject *root, *model, *training, *dataset, *dev;
  JsonArray *networks, *sizes;

  make_cohort (&cohort);
  cohort.lr = 1e-3;
  g_hash_table_insert (device, "name", "Test Device");
  g_hash_table_insert (device, "platform", "Portable Computing Language");
  info = (VesicleRunInfo) {
    .cohort = &cohort, .schedule = &schedule, .dataset_name = "mnist-subset",
    .dataset_path = "/data/mnist-subset", .normalised = TRUE, .n_train = 100, .n_test = 50,
    .device = device, .status = VESICLE_RUN_RUNNING, .started = started,
  };

  /* while running: no finish time, no error */
  g_assert_true (vesicle_run_write_info (dir, &info, &error));
  g_assert_no_error (error);
  load_json (parser, path);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "running");
  g_assert_true (json_object_get_null_member (root, "finished"));
  g_assert_true (json_object_get_null_member (root, "error"));

  /* completed: overwritten whole; network 1 diverged on the way, after a resume */
  info.status = VESICLE_RUN_COMPLETED;
  info.finished = finished;
  info.resumed_after = 2;
  info.stop_reasons = (const char *const[]) { NULL, "diverged in epoch 3: the training loss became nan", NULL };
  g_assert_true (vesicle_run_write_info (dir, &info, &error));
  g_assert_no_error (error);
  load_json (parser, path);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "vesicle-run/1");
  g_assert_true (json_object_has_member (root, "vesicle_version"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "started"),
                                   "2024-06-01T12:00:00"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "finished"),
                                   "2024-06-01T12:05:30"));

  dataset = member_object (root, "dataset");
  g_assert_cmpstr (json_object_get_string_member (dataset, "name"), ==, "mnist-subset");
  g_assert_cmpint (json_object_get_int_member (dataset, "n_train"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (dataset, "n_test"), ==, 50);
  g_assert_true (json_object_get_boolean_member (dataset, "normalised"));

  model = member_object (root, "model");
  sizes = json_object_get_array_member (model, "sizes");
  g_assert_cmpuint (json_array_get_length (sizes), ==, 3);
  g_assert_cmpint (json_array_get_int_element (sizes, 0), ==, 4);
  g_assert_cmpint (json_array_get_int_element (sizes, 1), ==, 3);
  g_assert_cmpint (json_array_get_int_element (sizes, 2), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (model, "head"), ==, "softmax");
  g_assert_cmpint (json_object_get_int_member (model, "n_params"), ==,
                   vesicle_shape_n_params (&cohort.shape));

  training = member_object (root, "training");
  g_assert_cmpfloat (json_object_get_double_member (training, "lr"), ==, 1e-3);
  g_assert_cmpint (json_object_get_int_member (training, "epochs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (training, "batch"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (training, "data_seed"), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (training, "sigma_init"), ==, 1e-4);
  g_assert_cmpfloat (json_object_get_double_member (training, "mu_init_range"), ==, 0.1);

  g_assert_cmpint (json_object_get_int_member (root, "resumed_after_epoch"), ==, 2);
  networks = json_object_get_array_member (root, "networks");
  g_assert_cmpuint (json_array_get_length (networks), ==, 2);
  for (guint k = 0; k < 2; k++)
    {
      JsonObject *n = json_array_get_object_element (networks, k);

      g_assert_cmpstr (json_object_get_string_member (n, "status"), ==,
                       k == 1 ? "diverged" : "trained");
      if (k == 1)
        g_assert_cmpstr (json_object_get_string_member (n, "stopped"), ==,
                         "diverged in epoch 3: the training loss became nan");
      else
        g_assert_false (json_object_has_member (n, "stopped"));

      g_assert_cmpint (json_object_get_int_member (n, "network"), ==, k);
      g_assert_cmpfloat (json_object_get_double_member (n, "rho"), ==, cohort.hyper[k].rho);
      g_assert_cmpfloat (json_object_get_double_member (n, "c"), ==, cohort.hyper[k].c);
      g_assert_cmpfloat (json_object_get_double_member (n, "lambda"), ==,
                         cohort.hyper[k].lambda);
      g_assert_cmpstr (json_object_get_string_member (n, "setting"), ==,
                       k == 0 ? "hetero" : "homo");
      g_assert_cmpint (json_object_get_int_member (n, "seed"), ==, (gint64) cohort.hyper[k].seed);
    }

  dev = member_object (root, "device");
  g_assert_cmpuint (json_object_get_size (dev), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (dev, "name"), ==, "Test Device");
  g_assert_cmpstr (json_object_get_string_member (dev, "platform"), ==,
                   "Portable Computing Language");

  /* failed, without a device description */
  info.status = VESICLE_RUN_FAILED;
  info.error = "out of memory";
  info.device = NULL;
  g_assert_true (vesicle_run_write_info (dir, &info, &error));
  g_assert_no_error (error);
  load_json (parser, path);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (root, "error"), ==, "out of memory");
  g_assert_cmpuint (json_object_get_size (member_object (root, "device")), ==, 0);

  vesicle_cohort_config_clear (&cohort);
  vesicle_test_remove_tree (dir);
}

static void
test_write_params (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("run");
  g_autofree char *mu_path = g_build_filename (dir, "mu.npy", NULL);
  g_autofree char *sigma_path = g_build_filename (dir, "sigma.npy", NULL);
  g_autofree float *mu = ramp (2 * 26), *sigma = ramp (2 * 26);
  g_autofree float *mu_back = NULL, *sigma_back = NULL;
  g_autoptr(GError) error = NULL;
  gsize dims[4];
  guint n_dims = 0;

  for (guint i = 0; i < 2 * 26; i++)
    sigma[i] = 1e-4f * (i + 1);
  g_assert_true (vesicle_run_write_params (dir, mu, sigma, 2, 26, &error));
  g_assert_no_error (error);
  mu_back = vesicle_read_npy (mu_path, dims, &n_dims, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_dims, ==, 2);
  g_assert_cmpuint (dims[0], ==, 2);
  g_assert_cmpuint (dims[1], ==, 26);
  g_assert_cmpmem (mu_back, 52 * sizeof (float), mu, 52 * sizeof (float));
  sigma_back = vesicle_read_npy (sigma_path, dims, &n_dims, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (sigma_back, 52 * sizeof (float), sigma, 52 * sizeof (float));
  vesicle_test_remove_tree (dir);
}

/* ---- vesicle_metrics_from_params -------------------------------------------------------- */

#define assert_close(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-12 * MAX (1.0, fabs (b)))

/* 2 inputs, a hidden layer of 1, 1 output: layer 1 holds w11 w12 b1, layer 2 w b; P = 5. */
static void
test_metrics_from_params (void)
{
  const guint hidden[1] = { 1 };
  const float mu[5] = { 1.0f, -2.0f, 0.5f, -0.25f, 3.0f };
  const float sigma[5] = { 1.0f, 4.0f, 0.25f, 4.0f, 1.0f };
  VesicleShape shape;
  VesicleHyper h = { 0.5, 0.1, 0.01, VESICLE_SIGMA_HETERO, 1 };
  VesicleEpochMetrics m = { 0 };

  g_assert_true (vesicle_shape_init (&shape, 2, hidden, 1, 1, VESICLE_HEAD_SOFTMAX, NULL));
  g_assert_cmpuint (vesicle_shape_n_params (&shape), ==, 5);
  m.train_nll = 42.0;
  m.test_accuracy = 0.75;
  m.objective = -1.0;

  vesicle_metrics_from_params (&m, &shape, &h, mu, sigma);
  /* sigma^-1/2 = 1, 1/2, 2, 1/2, 1: sum 5 */
  assert_close (m.cost, 0.1 * 5);
  assert_close (m.reliability_cost_s1, 5 / 0.5);
  /* sum |mu| = 6.75 */
  assert_close (m.l1, 0.01 * 6.75);
  assert_close (m.mean_sigma, 10.25 / 5);
  assert_close (m.rms_sigma, sqrt (34.0625 / 5));
  g_assert_cmpuint (m.n_layers, ==, 2);
  assert_close (m.layer_mean_sigma[0], 5.25 / 3);
  assert_close (m.layer_rms_sigma[0], sqrt (17.0625 / 3));
  assert_close (m.layer_mean_sigma[1], 2.5);
  assert_close (m.layer_rms_sigma[1], sqrt (17.0 / 2));
  /* the data terms are left alone */
  g_assert_cmpfloat (m.train_nll, ==, 42.0);
  g_assert_cmpfloat (m.test_accuracy, ==, 0.75);
  g_assert_cmpfloat (m.objective, ==, -1.0);

  /* rho = 2: sigma^-2 = 1, 1/16, 16, 1/16, 1: sum 18.125 */
  h.rho = 2.0;
  h.c = 2.0;
  h.lambda = 0.0;
  vesicle_metrics_from_params (&m, &shape, &h, mu, sigma);
  assert_close (m.cost, 2.0 * 18.125);
  assert_close (m.reliability_cost_s1, 18.125 / 2);
  assert_close (m.l1, 0.0);
}

/* Homogeneous: the one sigma repeated P times costs P c sigma^-rho. */
static void
test_metrics_from_params_homo (void)
{
  const float mu[3] = { 0.0f, 0.0f, -1.0f };
  const float sigma[3] = { 0.5f, 0.5f, 0.5f };
  VesicleShape shape;
  VesicleHyper h = { 2.0, 1.0, 1e-4, VESICLE_SIGMA_HOMO, 3 };
  VesicleEpochMetrics m = { 0 };

  g_assert_true (vesicle_shape_init (&shape, 2, NULL, 0, 1, VESICLE_HEAD_GAUSSIAN, NULL));
  vesicle_metrics_from_params (&m, &shape, &h, mu, sigma);
  assert_close (m.cost, 3 * 4.0);
  assert_close (m.reliability_cost_s1, 3 * 4.0 / 2);
  assert_close (m.l1, 1e-4);
  assert_close (m.mean_sigma, 0.5);
  assert_close (m.rms_sigma, 0.5);
  g_assert_cmpuint (m.n_layers, ==, 1);
  assert_close (m.layer_mean_sigma[0], 0.5);
  assert_close (m.layer_rms_sigma[0], 0.5);
}

/* ---- A folder left running ------------------------------------------------------------ */

/* The costs fixture's experiment.json, marked running by @process, in a new folder. */
static char *
running_folder (JsonNode *process)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "figures", "costs",
                                                    "experiment.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *path = NULL;
  char *dir = vesicle_test_tmp_dir ("running");
  JsonObject *o;

  g_assert_true (json_parser_load_from_file (parser, fixture, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (o, "status", "running");
  json_object_set_null_member (o, "finished");
  json_object_set_array_member (o, "runs", json_array_new ());   /* none listed yet */
  if (process)
    json_object_set_member (o, "process", process);
  else
    json_object_remove_member (o, "process");
  json_generator_set_root (gen, json_parser_get_root (parser));
  path = g_build_filename (dir, "experiment.json", NULL);
  g_assert_true (json_generator_to_file (gen, path, NULL));
  return dir;
}

static VesicleExperimentRecord *
load (const char *dir)
{
  g_autoptr(GError) error = NULL;
  VesicleExperimentRecord *rec = vesicle_experiment_record_load (dir, &error);

  g_assert_no_error (error);
  return rec;
}

/* A process that existed and has ended: a child reaped at once. */
static gint64
dead_pid (void)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);
  return pid;
}

static void
test_record_interrupted (void)
{
  JsonNode *self = vesicle_process_self_to_json ();
  JsonNode *dead = vesicle_process_self_to_json ();
  JsonNode *rebooted = vesicle_process_self_to_json ();
  JsonNode *elsewhere = vesicle_process_self_to_json ();
  JsonNode *sandboxed = vesicle_process_self_to_json ();
  gint64 gone = dead_pid ();
  g_autofree char *gone_text = g_strdup_printf ("process %" G_GINT64_FORMAT " on %s", gone,
                                                g_get_host_name ());
  struct { JsonNode *process; VesicleRunStatus status; const char *why; } cases[] = {
    { self, VESICLE_RUN_RUNNING, NULL },           /* this process: it is running */
    { dead, VESICLE_RUN_INTERRUPTED, gone_text },  /* killed */
    { rebooted, VESICLE_RUN_INTERRUPTED, "has restarted since" },   /* power lost */
    { elsewhere, VESICLE_RUN_RUNNING, NULL },      /* another host may still be running it */
    { sandboxed, VESICLE_RUN_RUNNING, NULL },      /* so may another sandbox's pid */
    { NULL, VESICLE_RUN_RUNNING, NULL },           /* written before processes were recorded */
  };

  json_object_set_int_member (json_node_get_object (dead), "pid", gone);
  json_object_set_string_member (json_node_get_object (rebooted), "boot_id", "not-this-boot");
  json_object_set_string_member (json_node_get_object (elsewhere), "host", "another-host.invalid");
  json_object_set_int_member (json_node_get_object (sandboxed), "pid", gone);
  json_object_set_string_member (json_node_get_object (sandboxed), "pid_namespace", "pid:[1]");
  g_assert_cmpint (vesicle_process_state (json_node_get_object (self), NULL), ==,
                   VESICLE_PROCESS_ALIVE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = running_folder (cases[i].process);
      g_autofree char *run_json = g_build_filename (dir, "run.json", NULL);
      g_autoptr(VesicleExperimentRecord) rec = NULL;

      /* a run begun after experiment.json last listed its runs still counts */
      g_assert_true (g_file_set_contents (run_json, "{}", -1, NULL));
      rec = load (dir);
      g_assert_cmpuint (rec->runs->len, ==, 1);
      g_assert_cmpstr (rec->runs->pdata[0], ==, ".");

      g_assert_cmpint (rec->status, ==, cases[i].status);
      if (cases[i].why)
        {
          g_assert_nonnull (rec->error);
          g_assert_nonnull (strstr (rec->error, cases[i].why));
          g_assert_cmpstr (vesicle_run_status_to_string (rec->status), ==, "interrupted");
        }
      vesicle_test_remove_tree (dir);
    }
}

/* A full disk, played by a file-size limit (which binds root too): every write fails with an
 * error naming the file, and what was there before is whole: the old file, the rows appended
 * before, and no temporary file left over. */
static void
test_disk_full (void)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("disk-full");
  g_autofree char *path = g_build_filename (dir, "result.json", NULL);
  g_autofree char *rows = g_build_filename (dir, "metrics.csv", NULL);
  g_autofree char *big = g_malloc0 (256 * 1024);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  struct rlimit saved, limit;
  void (*old_handler) (int);
  guint n_files = 0;

  g_assert_true (vesicle_file_write_atomic (path, "{\"old\": 1}\n", 11, &error));
  g_assert_true (vesicle_file_append_synced (rows, "a,b\n1,2\n", 8, &error));
  g_assert_no_error (error);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = 64 * 1024;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (vesicle_file_write_atomic (path, big, 256 * 1024, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);
  g_assert_false (vesicle_file_append_synced (rows, big, 256 * 1024, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, rows));
  g_clear_error (&error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "{\"old\": 1}\n");
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (rows, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "a,b\n1,2\n");
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing))
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);
  g_unlink (path);
  g_unlink (rows);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run/npy/round-trip", test_npy_round_trip);
  g_test_add_func ("/run/npy/numpy", test_npy_numpy);
  g_test_add_func ("/run/npy/refuses", test_npy_refuses);
  g_test_add_func ("/run/prepare-dir", test_prepare_dir);
  g_test_add_func ("/run/metrics-csv", test_append_metrics);
  g_test_add_func ("/run/metrics-csv/error", test_append_metrics_error);
  g_test_add_func ("/run/metrics-csv/read", test_read_metrics);
  g_test_add_func ("/run/info-json", test_write_info);
  g_test_add_func ("/run/params", test_write_params);
  g_test_add_func ("/run/metrics-from-params", test_metrics_from_params);
  g_test_add_func ("/run/metrics-from-params/homo", test_metrics_from_params_homo);
  g_test_add_func ("/run/record/interrupted", test_record_interrupted);
  g_test_add_func ("/run/disk-full", test_disk_full);

  return g_test_run ();
}
