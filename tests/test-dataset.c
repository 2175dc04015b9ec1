/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for the IDX dataset loader: the bundled MNIST subset (counts, shape, class counts, pixel
 * statistics), raw versus gzipped input, file-name spellings, every kind of malformed file,
 * normalisation, and the deterministic per-epoch shuffle.
 */
#include "vesicle-test-files.h"
#include "vesicle-build-config.h"
#include "vesicle-dataset.h"
#include "vesicle-exp-common.h"
#include "vesicle-experiment.h"
#include "vesicle_philox.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __linux__
#include <sys/resource.h>
#endif

#define SUBSET_DIR VESICLE_SOURCE_DATADIR "/mnist-subset"
#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

static const guint subset_train_counts[10] = { 784, 892, 820, 834, 796, 685, 812, 850, 768, 759 };
static const guint subset_test_counts[10] = { 217, 235, 171, 198, 184, 178, 202, 220, 176, 219 };

/* ---- Helpers ---------------------------------------------------------------------------- */

static char *
write_file (const char   *dir,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
  return path;
}

/* Writes data as a gzip file (zlib's own writer, independent of the loader's reader). */
static char *
write_gz (const char   *dir,
          const char   *name,
          const guint8 *data,
          gsize         len)
{
  char *path = g_build_filename (dir, name, NULL);
  gzFile gz = gzopen (path, "wb9");

  g_assert_nonnull (gz);
  if (len > 0)
    g_assert_cmpint (gzwrite (gz, data, (unsigned) len), ==, (int) len);
  g_assert_cmpint (gzclose (gz), ==, Z_OK);
  return path;
}

static GBytes *
read_gz (const char *path)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gzFile gz = gzopen (path, "rb");
  guint8 buf[65536];
  int got;

  g_assert_nonnull (gz);
  while ((got = gzread (gz, buf, sizeof buf)) > 0)
    g_byte_array_append (out, buf, got);
  g_assert_cmpint (got, ==, 0);
  g_assert_cmpint (gzclose (gz), ==, Z_OK);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
append_be32 (GByteArray *a,
             guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (a, b, 4);
}

/* An IDX images file: header (magic, n, rows, cols), then n_pixels bytes, pixel i = 7i mod 256. */
static GByteArray *
make_images (guint32 magic,
             guint32 n,
             guint32 rows,
             guint32 cols,
             gsize   n_pixels)
{
  GByteArray *a = g_byte_array_new ();

  append_be32 (a, magic);
  append_be32 (a, n);
  append_be32 (a, rows);
  append_be32 (a, cols);
  for (gsize i = 0; i < n_pixels; i++)
    {
      guint8 p = (guint8) (7 * i);

      g_byte_array_append (a, &p, 1);
    }
  return a;
}

static GByteArray *
make_labels (guint32       magic,
             guint32       n,
             const guint8 *labels,
             gsize         n_labels)
{
  GByteArray *a = g_byte_array_new ();

  append_be32 (a, magic);
  append_be32 (a, n);
  g_byte_array_append (a, labels, n_labels);
  return a;
}

static void
count_classes (const VesicleDataset *ds,
               guint                *counts,
               guint                 n_counts)
{
  memset (counts, 0, n_counts * sizeof *counts);
  for (guint i = 0; i < ds->n; i++)
    {
      g_assert_cmpuint (ds->y[i], <, n_counts);
      counts[ds->y[i]]++;
    }
}

static void
pixel_stats (const VesicleDataset *ds,
             double               *mean,
             double               *sd,
             float                *lo,
             float                *hi)
{
  gsize total = (gsize) ds->n * ds->dim;
  double s = 0, s2 = 0;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (gsize i = 0; i < total; i++)
    {
      s += ds->x[i];
      s2 += (double) ds->x[i] * ds->x[i];
      *lo = MIN (*lo, ds->x[i]);
      *hi = MAX (*hi, ds->x[i]);
    }
  *mean = s / total;
  *sd = sqrt (MAX (0.0, s2 / total - *mean * *mean));
}

static void
assert_same_dataset (const VesicleDataset *a,
                     const VesicleDataset *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->rows, ==, b->rows);
  g_assert_cmpuint (a->cols, ==, b->cols);
  g_assert_cmpuint (a->dim, ==, b->dim);
  g_assert_cmpuint (a->n_classes, ==, b->n_classes);
  g_assert_cmpmem (a->y, a->n, b->y, b->n);
  g_assert_cmpmem (a->x, (gsize) a->n * a->dim * sizeof (float),
                   b->x, (gsize) b->n * b->dim * sizeof (float));
}

/* Loads images/labels and asserts failure with `code` and a message naming `must_name`. */
static void
assert_load_fails (const char *images,
                   const char *labels,
                   int         code,
                   const char *must_name,
                   const char *must_say)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleDataset) ds = vesicle_dataset_load_idx (images, labels, &error);

  g_assert_null (ds);
  g_assert_error (error, VESICLE_DATASET_ERROR, code);
  g_test_message ("refused as expected: %s", error->message);
  g_assert_nonnull (strstr (error->message, must_name));
  if (must_say != NULL)
    g_assert_nonnull (strstr (error->message, must_say));
}

/* ---- The bundled subset ------------------------------------------------------------------ */

static void
test_subset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleDataset) train = NULL;
  g_autoptr(VesicleDataset) test = NULL;
  guint counts[10];
  double mean, sd;
  float lo, hi;
  gsize total;

  g_assert_true (vesicle_dataset_load_dir (SUBSET_DIR, &train, &test, &error));
  g_assert_no_error (error);
  g_assert_nonnull (train);
  g_assert_nonnull (test);

  g_assert_cmpstr (train->name, ==, "mnist-subset");
  g_assert_cmpstr (test->name, ==, "mnist-subset");
  g_assert_cmpuint (train->n, ==, 8000);
  g_assert_cmpuint (test->n, ==, 2000);
  g_assert_cmpuint (train->rows, ==, 28);
  g_assert_cmpuint (train->cols, ==, 28);
  g_assert_cmpuint (train->dim, ==, 784);
  g_assert_cmpuint (test->rows, ==, 28);
  g_assert_cmpuint (test->cols, ==, 28);
  g_assert_cmpuint (test->dim, ==, 784);
  g_assert_cmpuint (train->n_classes, ==, 10);
  g_assert_cmpuint (test->n_classes, ==, 10);

  count_classes (train, counts, 10);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, subset_train_counts[c]);
  count_classes (test, counts, 10);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, subset_test_counts[c]);

  /* Pixels are k / 255 for bytes k: within [0, 1], both ends reached, on the 1/255 grid. */
  pixel_stats (train, &mean, &sd, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0f);
  g_assert_cmpfloat (hi, ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (mean, 0.1313, 5e-4);
  g_assert_cmpfloat_with_epsilon (sd, 0.3088, 5e-4);
  total = (gsize) train->n * train->dim;
  for (gsize i = 0; i < total; i++)
    {
      float k = rintf (train->x[i] * 255.0f);

      g_assert_cmpfloat (train->x[i], ==, k / 255.0f);
    }

  pixel_stats (test, &mean, &sd, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0f);
  g_assert_cmpfloat (hi, ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (mean, 0.1313, 0.01);
}

/* The same data through load_idx directly; the name is then the images file's basename. */
static void
test_subset_load_idx (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleDataset) ds = NULL;
  g_autoptr(VesicleDataset) train = NULL;
  g_autoptr(VesicleDataset) test = NULL;

  ds = vesicle_dataset_load_idx (SUBSET_DIR "/t10k-images-idx3-ubyte.gz",
                                 SUBSET_DIR "/t10k-labels-idx1-ubyte.gz", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds);
  g_assert_cmpstr (ds->name, ==, "t10k-images-idx3-ubyte.gz");

  g_assert_true (vesicle_dataset_load_dir (SUBSET_DIR, &train, &test, &error));
  g_assert_no_error (error);
  assert_same_dataset (ds, test);
}

/* Uncompressed copies (found by magic bytes, not by name) load exactly as the gzipped files. */
static void
test_raw_equals_gz (void)
{
  static const char *const names[] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };
  static const char *const alt_names[] = {
    "train-images.idx3-ubyte", "train-labels.idx1-ubyte",
    "t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleDataset) gz_train = NULL;
  g_autoptr(VesicleDataset) gz_test = NULL;
  g_autofree char *raw_dir = vesicle_test_tmp_dir ("dataset");
  g_autofree char *alt_dir = vesicle_test_tmp_dir ("dataset");
  g_autofree char *pref_dir = vesicle_test_tmp_dir ("dataset");

  g_assert_true (vesicle_dataset_load_dir (SUBSET_DIR, &gz_train, &gz_test, &error));
  g_assert_no_error (error);

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *gz_name = g_strconcat (names[f], ".gz", NULL);
      g_autofree char *src = g_build_filename (SUBSET_DIR, gz_name, NULL);
      g_autoptr(GBytes) raw = read_gz (src);
      gsize len;
      const guint8 *data = g_bytes_get_data (raw, &len);
      g_autofree char *p1 = write_file (raw_dir, names[f], data, len);
      g_autofree char *p2 = write_file (alt_dir, alt_names[f], data, len);
      g_autofree char *p3 = write_gz (pref_dir, gz_name, data, len);
      /* A broken uncompressed twin: load_dir must prefer the .gz file. */
      g_autofree char *p4 = write_file (pref_dir, names[f], (const guint8 *) "junk", 4);

      g_assert_cmpuint (data[0], ==, 0);   /* really raw IDX */
      g_assert_true (g_file_test (p1, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (p2, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (p3, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (p4, G_FILE_TEST_IS_REGULAR));
    }

  {
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    g_assert_true (vesicle_dataset_load_dir (raw_dir, &train, &test, &error));
    g_assert_no_error (error);
    assert_same_dataset (train, gz_train);
    assert_same_dataset (test, gz_test);
    g_assert_true (g_str_has_prefix (train->name, "vesicle-dataset-"));
  }
  {
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    g_assert_true (vesicle_dataset_load_dir (alt_dir, &train, &test, &error));
    g_assert_no_error (error);
    assert_same_dataset (train, gz_train);
    assert_same_dataset (test, gz_test);
  }
  {
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    g_assert_true (vesicle_dataset_load_dir (pref_dir, &train, &test, &error));
    g_assert_no_error (error);
    assert_same_dataset (train, gz_train);
    assert_same_dataset (test, gz_test);
  }
  {
    /* A gzipped file named without .gz, and a raw one named .gz: contents decide. */
    g_autofree char *img = g_build_filename (raw_dir, "t10k-images-idx3-ubyte", NULL);
    g_autofree char *lab = g_build_filename (raw_dir, "t10k-labels-idx1-ubyte", NULL);
    g_autoptr(GBytes) img_bytes = read_gz (img);   /* gzread passes raw files through */
    g_autoptr(GBytes) lab_bytes = read_gz (lab);
    g_autofree char *img_gz = write_gz (alt_dir, "images-compressed.idx",
                                        g_bytes_get_data (img_bytes, NULL),
                                        g_bytes_get_size (img_bytes));
    g_autofree char *lab_raw = write_file (alt_dir, "labels-raw.gz",
                                           g_bytes_get_data (lab_bytes, NULL),
                                           g_bytes_get_size (lab_bytes));
    g_autoptr(VesicleDataset) ds = vesicle_dataset_load_idx (img_gz, lab_raw, &error);

    g_assert_no_error (error);
    assert_same_dataset (ds, gz_test);
  }

  vesicle_test_remove_tree (raw_dir);
  vesicle_test_remove_tree (alt_dir);
  vesicle_test_remove_tree (pref_dir);
}

/* ---- Small synthetic files --------------------------------------------------------------- */

static void
test_small_valid (void)
{
  static const guint8 labels[3] = { 2, 0, 1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GByteArray) img = make_images (0x803, 3, 2, 5, 30);
  g_autoptr(GByteArray) lab = make_labels (0x801, 3, labels, 3);
  g_autofree char *ip = write_file (dir, "small-images", img->data, img->len);
  g_autofree char *lp = write_file (dir, "small-labels", lab->data, lab->len);
  g_autoptr(VesicleDataset) ds = vesicle_dataset_load_idx (ip, lp, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  g_assert_cmpstr (ds->name, ==, "small-images");
  g_assert_cmpuint (ds->n, ==, 3);
  g_assert_cmpuint (ds->rows, ==, 2);
  g_assert_cmpuint (ds->cols, ==, 5);
  g_assert_cmpuint (ds->dim, ==, 10);
  g_assert_cmpuint (ds->n_classes, ==, 3);
  g_assert_cmpmem (ds->y, 3, labels, 3);
  for (guint i = 0; i < 30; i++)
    g_assert_cmpfloat (ds->x[i], ==, (float) (guint8) (7 * i) / 255.0f);

  vesicle_test_remove_tree (dir);
}

/* load_idx reads any byte as a label: n_classes is 1 + the largest, up to 256 (load_dir then
 * refuses the gap such a label leaves: /dataset/load-dir-classes). */
static void
test_label_255 (void)
{
  static const guint8 labels[3] = { 3, 255, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GByteArray) img = make_images (0x803, 3, 1, 1, 3);
  g_autoptr(GByteArray) lab = make_labels (0x801, 3, labels, 3);
  g_autofree char *ip = write_file (dir, "i", img->data, img->len);
  g_autofree char *lp = write_gz (dir, "l", lab->data, lab->len);
  g_autoptr(VesicleDataset) ds = vesicle_dataset_load_idx (ip, lp, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_classes, ==, 256);
  g_assert_cmpuint (ds->y[1], ==, 255);

  vesicle_test_remove_tree (dir);
}

/* Concatenated gzip members are one valid gzip file (RFC 1952). */
static void
test_gz_multi_member (void)
{
  static const guint8 labels[4] = { 1, 0, 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GByteArray) img = make_images (0x803, 4, 3, 3, 36);
  g_autoptr(GByteArray) lab = make_labels (0x801, 4, labels, 4);
  g_autofree char *a = write_gz (dir, "a.gz", img->data, 10);
  g_autofree char *b = write_gz (dir, "b.gz", img->data + 10, img->len - 10);
  g_autofree char *lp = write_file (dir, "labels", lab->data, lab->len);
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;
  gsize la, lb;
  g_autofree char *ip = NULL;
  g_autoptr(VesicleDataset) ds = NULL;
  GString *cat = g_string_new (NULL);

  g_assert_true (g_file_get_contents (a, &ca, &la, NULL));
  g_assert_true (g_file_get_contents (b, &cb, &lb, NULL));
  g_string_append_len (cat, ca, la);
  g_string_append_len (cat, cb, lb);
  ip = write_file (dir, "images.gz", (const guint8 *) cat->str, cat->len);
  g_string_free (cat, TRUE);

  ds = vesicle_dataset_load_idx (ip, lp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n, ==, 4);
  for (guint i = 0; i < 36; i++)
    g_assert_cmpfloat (ds->x[i], ==, (float) (guint8) (7 * i) / 255.0f);

  vesicle_test_remove_tree (dir);
}

typedef struct {
  const char *what;
  guint32     magic, n, rows, cols;
  gsize       n_pixels;      /* pixel bytes actually written */
  gssize      cut;           /* if >= 0: keep only this many bytes of the whole file */
  const char *must_say;      /* a word the message must contain, or NULL */
} BadImages;

/* Each malformed images file, raw and gzipped, is refused with FORMAT naming the file. */
static void
test_malformed_images (void)
{
  static const BadImages cases[] = {
    { "wrong magic",             0x12345678, 2, 2, 2, 8, -1, "magic" },
    { "signed-byte type",        0x00000903, 2, 2, 2, 8, -1, "magic" },
    { "float type",              0x00000d03, 2, 2, 2, 8, -1, "magic" },
    { "labels magic (1 dim)",    0x00000801, 2, 2, 2, 8, -1, "dimensions" },
    { "2 dims",                  0x00000802, 2, 2, 2, 8, -1, "dimensions" },
    { "4 dims",                  0x00000804, 2, 2, 2, 8, -1, "dimensions" },
    { "empty file",              0x00000803, 2, 2, 2, 8, 0, "truncated" },
    { "truncated magic",         0x00000803, 2, 2, 2, 8, 3, "truncated" },
    { "truncated dims",          0x00000803, 2, 2, 2, 8, 10, "truncated" },
    { "truncated data",          0x00000803, 2, 2, 2, 7, -1, "truncated" },
    { "header only",             0x00000803, 2, 2, 2, 0, -1, "truncated" },
    { "trailing byte",           0x00000803, 2, 2, 2, 9, -1, "trailing" },
    { "trailing megabyte",       0x00000803, 2, 2, 2, 1 << 20, -1, "trailing" },
    { "n = 0",                   0x00000803, 0, 2, 2, 0, -1, "is 0" },
    { "rows = 0",                0x00000803, 2, 0, 2, 0, -1, "is 0" },
    { "cols = 0",                0x00000803, 2, 2, 0, 0, -1, "is 0" },
    { "n over 1e8",              0x00000803, 100000001, 1, 1, 8, -1, "limit" },
    { "n = 2^32 - 1",            0x00000803, 0xffffffffu, 1, 1, 8, -1, "limit" },
    { "rows over 4096",          0x00000803, 1, 4097, 1, 8, -1, "limit" },
    { "cols = 2^31",             0x00000803, 1, 1, 0x80000000u, 8, -1, "limit" },
    { "2^31 + 2^24 pixel bytes", 0x00000803, 129, 4096, 4096, 8, -1, "limit" },
    { "28x28 x 2.8 million",     0x00000803, 2800000, 28, 28, 8, -1, "limit" },
    /* Exactly 2^31 bytes is allowed by the header check; the data is then missing. The buffers
     * grow with the data actually read, so this must not allocate 8 GiB of floats first. */
    { "2^31 pixel bytes, absent", 0x00000803, 128, 4096, 4096, 8, -1, "truncated" },
  };
  static const guint8 labels[2] = { 0, 1 };
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const BadImages *bc = &cases[c];
      /* The labels header agrees on the count, so the images file itself is what fails. */
      g_autoptr(GByteArray) lab = make_labels (0x801, bc->n, labels, MIN (bc->n, 2));
      g_autofree char *lp = write_file (dir, "labels", lab->data, lab->len);
      g_autoptr(GByteArray) img = make_images (bc->magic, bc->n, bc->rows, bc->cols,
                                               bc->n_pixels);
      g_autofree char *raw_name = g_strdup_printf ("bad-%02u-images", c);
      g_autofree char *gz_name = g_strdup_printf ("bad-%02u-images.gz", c);
      gsize len = img->len;
      g_autofree char *raw = NULL;
      g_autofree char *gz = NULL;

      if (bc->cut >= 0)
        len = bc->cut;
      raw = write_file (dir, raw_name, img->data, len);
      gz = write_gz (dir, gz_name, img->data, len);

      g_test_message ("case: %s", bc->what);
      assert_load_fails (raw, lp, VESICLE_DATASET_ERROR_FORMAT, raw, bc->must_say);
      assert_load_fails (gz, lp, VESICLE_DATASET_ERROR_FORMAT, gz, bc->must_say);
    }

  vesicle_test_remove_tree (dir);
}

/* A header that passes the size checks (exactly 2^31 pixel bytes, 8 GiB as floats) on a file
 * that holds a few bytes: with the address space capped at 1 GiB, the loader must still report
 * the truncation (FORMAT), which it can only do if it never allocated from the header alone. */
static void
test_no_upfront_allocation (void)
{
#ifdef __linux__
  if (g_test_subprocess ())
    {
      static const guint8 labels[2] = { 0, 1 };
      g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
      g_autoptr(GByteArray) img = make_images (0x803, 128, 4096, 4096, 4096);
      g_autoptr(GByteArray) lab = make_labels (0x801, 128, labels, 2);
      g_autofree char *raw = write_file (dir, "huge-images", img->data, img->len);
      g_autofree char *gz = write_gz (dir, "huge-images.gz", img->data, img->len);
      g_autofree char *lp = write_file (dir, "labels", lab->data, lab->len);
#ifndef __SANITIZE_ADDRESS__
      struct rlimit lim = { (rlim_t) 1 << 30, (rlim_t) 1 << 30 };

      g_assert_cmpint (setrlimit (RLIMIT_AS, &lim), ==, 0);
#else
      /* AddressSanitizer reserves far more address space than this limit; the sanitizer run
       * refuses single allocations over 1 GiB instead (max_allocation_size_mb) */
      g_assert_nonnull (strstr (g_getenv ("ASAN_OPTIONS") ?: "", "max_allocation_size_mb="));
#endif
      assert_load_fails (raw, lp, VESICLE_DATASET_ERROR_FORMAT, raw, "truncated");
      assert_load_fails (gz, lp, VESICLE_DATASET_ERROR_FORMAT, gz, "truncated");
      vesicle_test_remove_tree (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
#else
  g_test_skip ("needs setrlimit (RLIMIT_AS)");
#endif
}

/* Malformed labels files, and a count mismatch naming both files. */
static void
test_malformed_labels (void)
{
  static const guint8 labels[4] = { 0, 1, 2, 3 };
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GByteArray) img = make_images (0x803, 3, 2, 2, 12);
  g_autofree char *ip = write_file (dir, "images", img->data, img->len);
  struct {
    const char *what;
    guint32 magic, n;
    gsize n_labels;
    const char *must_say;
  } cases[] = {
    { "images magic",  0x00000803, 3, 3, "dimensions" },
    { "bad magic",     0x08010000, 3, 3, "magic" },
    { "truncated",     0x00000801, 3, 2, "truncated" },
    { "trailing",      0x00000801, 3, 4, "trailing" },
    { "n = 0",         0x00000801, 0, 0, "0" },
    { "n over 1e8",    0x00000801, 200000000, 3, "limit" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GByteArray) lab = make_labels (cases[c].magic, cases[c].n, labels,
                                               cases[c].n_labels);
      g_autofree char *name = g_strdup_printf ("bad-%u-labels", c);
      g_autofree char *lp = write_file (dir, name, lab->data, lab->len);

      g_test_message ("case: %s", cases[c].what);
      assert_load_fails (ip, lp, VESICLE_DATASET_ERROR_FORMAT, lp, cases[c].must_say);
    }

  {
    /* 3 images, 4 labels: both files named. */
    g_autoptr(GByteArray) lab = make_labels (0x801, 4, labels, 4);
    g_autofree char *lp = write_gz (dir, "four-labels.gz", lab->data, lab->len);

    assert_load_fails (ip, lp, VESICLE_DATASET_ERROR_FORMAT, ip, NULL);
    assert_load_fails (ip, lp, VESICLE_DATASET_ERROR_FORMAT, lp, NULL);
  }

  vesicle_test_remove_tree (dir);
}

/* Broken gzip containers: truncated, corrupted, followed by junk; and trailing data inside. */
static void
test_malformed_gzip (void)
{
  static const guint8 labels[2] = { 0, 1 };
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GByteArray) img = make_images (0x803, 2, 16, 16, 512);
  g_autoptr(GByteArray) lab = make_labels (0x801, 2, labels, 2);
  g_autofree char *lp = write_file (dir, "labels", lab->data, lab->len);
  g_autofree char *good = write_gz (dir, "good.gz", img->data, img->len);
  g_autofree char *gzdata = NULL;
  gsize gzlen;

  g_assert_true (g_file_get_contents (good, &gzdata, &gzlen, NULL));
  g_assert_cmpuint (gzlen, >, 30);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VesicleDataset) ds = vesicle_dataset_load_idx (good, lp, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ds->n, ==, 2);
  }
  {
    /* Cut at every length: header, deflate data, CRC and size trailer. */
    for (gsize cut = 1; cut < gzlen; cut++)
      {
        g_autofree char *p = write_file (dir, "cut.gz", (const guint8 *) gzdata, cut);

        assert_load_fails (p, lp, VESICLE_DATASET_ERROR_FORMAT, p, NULL);
      }
  }
  {
    /* A flipped bit in the CRC-32 trailer. */
    g_autofree char *bad = g_memdup2 (gzdata, gzlen);
    g_autofree char *p = NULL;

    bad[gzlen - 6] ^= 0x01;
    p = write_file (dir, "crc.gz", (const guint8 *) bad, gzlen);
    assert_load_fails (p, lp, VESICLE_DATASET_ERROR_FORMAT, p, "gzip");
  }
  {
    /* Junk after the compressed stream. */
    g_autofree char *bad = g_malloc (gzlen + 5);
    g_autofree char *p = NULL;

    memcpy (bad, gzdata, gzlen);
    memcpy (bad + gzlen, "JUNK!", 5);
    p = write_file (dir, "junk.gz", (const guint8 *) bad, gzlen + 5);
    assert_load_fails (p, lp, VESICLE_DATASET_ERROR_FORMAT, p, "trailing");
  }
  {
    /* Zero padding after the compressed stream. */
    g_autofree char *bad = g_malloc0 (gzlen + 512);
    g_autofree char *p = NULL;

    memcpy (bad, gzdata, gzlen);
    p = write_file (dir, "pad.gz", (const guint8 *) bad, gzlen + 512);
    assert_load_fails (p, lp, VESICLE_DATASET_ERROR_FORMAT, p, "trailing");
  }
  {
    /* Just the two magic bytes, and garbage after them. */
    g_autofree char *p1 = write_file (dir, "magic-only.gz", (const guint8 *) "\x1f\x8b", 2);
    g_autofree char *p2 = write_file (dir, "garbage.gz",
                                      (const guint8 *) "\x1f\x8bthis is not deflate", 22);

    assert_load_fails (p1, lp, VESICLE_DATASET_ERROR_FORMAT, p1, NULL);
    assert_load_fails (p2, lp, VESICLE_DATASET_ERROR_FORMAT, p2, NULL);
  }

  vesicle_test_remove_tree (dir);
}

static void
test_missing_and_io (void)
{
  static const guint8 labels[2] = { 0, 1 };
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GByteArray) img = make_images (0x803, 2, 2, 2, 8);
  g_autoptr(GByteArray) lab = make_labels (0x801, 2, labels, 2);
  g_autofree char *ip = write_file (dir, "images", img->data, img->len);
  g_autofree char *lp = write_file (dir, "labels", lab->data, lab->len);
  g_autofree char *missing = g_build_filename (dir, "no-such-file.gz", NULL);
  g_autofree char *missing2 = g_build_filename (dir, "no-such-folder", "file", NULL);

  assert_load_fails (missing, lp, VESICLE_DATASET_ERROR_NOT_FOUND, missing, NULL);
  assert_load_fails (ip, missing, VESICLE_DATASET_ERROR_NOT_FOUND, missing, NULL);
  assert_load_fails (missing2, lp, VESICLE_DATASET_ERROR_NOT_FOUND, missing2, NULL);
  /* A folder where a file should be. */
  assert_load_fails (dir, lp, VESICLE_DATASET_ERROR_IO, dir, NULL);

  vesicle_test_remove_tree (dir);
}

static void
assert_load_dir_fails (const char *dir,
                       int         code,
                       const char *must_say)
{
  g_autoptr(GError) error = NULL;
  VesicleDataset *train = NULL, *test = NULL;

  g_assert_false (vesicle_dataset_load_dir (dir, &train, &test, &error));
  g_assert_error (error, VESICLE_DATASET_ERROR, code);
  g_test_message ("refused as expected: %s", error->message);
  g_assert_null (train);
  g_assert_null (test);
  g_assert_nonnull (strstr (error->message, dir));
  if (must_say != NULL)
    g_assert_nonnull (strstr (error->message, must_say));
}

static void
test_load_dir_errors (void)
{
  static const guint8 labels[2] = { 0, 1 };
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autofree char *nodir = g_build_filename (dir, "absent", NULL);
  g_autoptr(GByteArray) img = make_images (0x803, 2, 2, 2, 8);
  g_autoptr(GByteArray) img3 = make_images (0x803, 2, 3, 3, 18);
  g_autoptr(GByteArray) lab = make_labels (0x801, 2, labels, 2);
  g_autofree char *p1 = NULL;
  g_autofree char *p2 = NULL;
  g_autofree char *p3 = NULL;
  g_autofree char *p4 = NULL;
  g_autofree char *p5 = NULL;

  assert_load_dir_fails (nodir, VESICLE_DATASET_ERROR_NOT_FOUND, NULL);

  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_NOT_FOUND, "train-images-idx3-ubyte");
  p1 = write_gz (dir, "train-images-idx3-ubyte.gz", img->data, img->len);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_NOT_FOUND, "train-labels-idx1-ubyte");
  p2 = write_file (dir, "train-labels-idx1-ubyte", lab->data, lab->len);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_NOT_FOUND, "t10k-images-idx3-ubyte");
  p3 = write_file (dir, "t10k-images.idx3-ubyte", img3->data, img3->len);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_NOT_FOUND, "t10k-labels-idx1-ubyte");
  p4 = write_gz (dir, "t10k-labels.idx1-ubyte.gz", lab->data, lab->len);

  /* All four present, but the test images are 3 x 3 and the training images 2 x 2. */
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_FORMAT, "3 x 3");

  /* Replace the test images with 2 x 2 ones: now it loads. */
  g_assert_cmpint (g_unlink (p3), ==, 0);
  p5 = write_file (dir, "t10k-images-idx3-ubyte", img->data, img->len);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    g_assert_true (vesicle_dataset_load_dir (dir, &train, &test, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (train->n, ==, 2);
    g_assert_cmpuint (test->n, ==, 2);
  }

  /* A malformed member file: the error names that file. */
  {
    g_autofree char *bad = write_file (dir, "t10k-images-idx3-ubyte", img->data, img->len - 1);

    g_assert_cmpstr (bad, ==, p5);
    assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_FORMAT, "t10k-images-idx3-ubyte");
  }

  vesicle_test_remove_tree (dir);
}

/* A dataset folder of 1 x 1 images with these labels. */
static void
write_labelled_dir (const char   *dir,
                    const guint8 *train_labels,
                    guint         n_train,
                    const guint8 *test_labels,
                    guint         n_test)
{
  g_autoptr(GByteArray) train_img = make_images (0x803, n_train, 1, 1, n_train);
  g_autoptr(GByteArray) test_img = make_images (0x803, n_test, 1, 1, n_test);
  g_autoptr(GByteArray) train_lab = make_labels (0x801, n_train, train_labels, n_train);
  g_autoptr(GByteArray) test_lab = make_labels (0x801, n_test, test_labels, n_test);
  g_autofree char *p1 = write_file (dir, "train-images-idx3-ubyte", train_img->data,
                                    train_img->len);
  g_autofree char *p2 = write_gz (dir, "train-labels-idx1-ubyte.gz", train_lab->data,
                                  train_lab->len);
  g_autofree char *p3 = write_file (dir, "t10k-images-idx3-ubyte", test_img->data,
                                    test_img->len);
  g_autofree char *p4 = write_file (dir, "t10k-labels-idx1-ubyte", test_lab->data,
                                    test_lab->len);
}

static void
assert_classes_refused (const guint8 *train_labels,
                        guint         n_train,
                        const guint8 *test_labels,
                        guint         n_test,
                        const char   *file,
                        const char   *must_say,
                        const char   *must_say_too)
{
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autoptr(GError) error = NULL;
  VesicleDataset *train = NULL, *test = NULL;

  write_labelled_dir (dir, train_labels, n_train, test_labels, n_test);
  g_assert_false (vesicle_dataset_load_dir (dir, &train, &test, &error));
  g_assert_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT);
  g_test_message ("refused as expected: %s", error->message);
  g_assert_null (train);
  g_assert_null (test);
  g_assert_nonnull (strstr (error->message, file));
  g_assert_nonnull (strstr (error->message, must_say));
  g_assert_nonnull (strstr (error->message, must_say_too));
  vesicle_test_remove_tree (dir);
}

/* The class count is the largest training label + 1, and every class up to it has training
 * examples: a stray label, a single class, or a test label outside the training classes is
 * refused naming the file, the label and its index. */
static void
test_load_dir_classes (void)
{
  static const guint8 stray[6] = { 0, 1, 2, 255, 1, 0 };
  static const guint8 gap[5] = { 0, 1, 3, 1, 0 };
  static const guint8 one_class[4] = { 3, 3, 3, 3 };
  static const guint8 no_zero[4] = { 2, 3, 2, 3 };
  static const guint8 zero_one[4] = { 0, 1, 1, 0 };
  static const guint8 one_two[4] = { 1, 2, 2, 1 };
  static const guint8 outside[3] = { 0, 1, 2 };
  static const guint8 zeros[3] = { 0, 0, 0 };

  assert_classes_refused (stray, 6, zero_one, 4, "train-labels-idx1-ubyte.gz",
                          "labels run from 0 to 2; label 255 at index 3", "class 3 has no");
  assert_classes_refused (gap, 5, zero_one, 4, "train-labels-idx1-ubyte.gz",
                          "label 3 at index 2 would make 4 classes", "class 2 has no");
  assert_classes_refused (one_class, 4, one_class, 4, "train-labels-idx1-ubyte.gz",
                          "holds only class 3", "at least two classes");
  assert_classes_refused (no_zero, 4, no_zero, 4, "train-labels-idx1-ubyte.gz",
                          "the smallest label is 2", "largest label, 3");
  assert_classes_refused (zero_one, 4, outside, 3, "t10k-labels-idx1-ubyte",
                          "label 2 at index 2", "training classes, 0 to 1");
  /* counted from 1: class 0 stays empty, so a test label 0 is not a training class */
  assert_classes_refused (one_two, 4, zeros, 3, "t10k-labels-idx1-ubyte",
                          "label 0 at index 0", "training classes, 1 to 2");

  /* a class missing from the test set is fine: both halves keep the training classes */
  {
    static const guint8 three[6] = { 2, 0, 1, 1, 2, 0 };
    g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
    g_autoptr(GError) error = NULL;
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    write_labelled_dir (dir, three, 6, zeros, 3);
    g_assert_true (vesicle_dataset_load_dir (dir, &train, &test, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (train->n_classes, ==, 3);
    g_assert_cmpuint (test->n_classes, ==, 3);
    vesicle_test_remove_tree (dir);
  }
  /* a set counted from 1 (EMNIST letters): class 0 is empty, the count still 1 + the largest */
  {
    g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
    g_autoptr(GError) error = NULL;
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    write_labelled_dir (dir, one_two, 4, one_two, 4);
    g_assert_true (vesicle_dataset_load_dir (dir, &train, &test, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (train->n_classes, ==, 3);
    g_assert_cmpuint (test->n_classes, ==, 3);
    vesicle_test_remove_tree (dir);
  }
}

/* What stands where a dataset file should be: each refused with its own message, at once (a
 * named pipe is never opened blocking). */
static void
test_load_dir_not_files (void)
{
  static const guint8 labels[4] = { 0, 1, 1, 0 };
  g_autofree char *dir = vesicle_test_tmp_dir ("dataset");
  g_autofree char *images = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *moved = g_build_filename (dir, "moved", NULL);
  g_autofree char *gz_folder = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);

  write_labelled_dir (dir, labels, 4, labels, 4);
  g_assert_cmpint (g_rename (images, moved), ==, 0);

  /* a folder */
  g_assert_cmpint (g_mkdir (images, 0755), ==, 0);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_IO, "train-images-idx3-ubyte: is a folder");
  assert_load_fails (images, moved, VESICLE_DATASET_ERROR_IO, images, "is a folder");
  g_assert_cmpint (g_rmdir (images), ==, 0);

  /* a named pipe with no writer: refused, not waited on */
  g_assert_cmpint (mkfifo (images, 0644), ==, 0);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_IO,
                         "train-images-idx3-ubyte: is a named pipe (FIFO)");
  assert_load_fails (images, moved, VESICLE_DATASET_ERROR_IO, images, "named pipe");
  g_assert_cmpint (g_unlink (images), ==, 0);

  /* a link to itself, and a link to nothing */
  g_assert_cmpint (symlink ("train-images-idx3-ubyte", images), ==, 0);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_IO,
                         "train-images-idx3-ubyte: a symbolic link loop");
  assert_load_fails (images, moved, VESICLE_DATASET_ERROR_IO, images, "symbolic link loop");
  g_assert_cmpint (g_unlink (images), ==, 0);
  g_assert_cmpint (symlink ("no-such-file", images), ==, 0);
  assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_NOT_FOUND,
                         "train-images-idx3-ubyte: a symbolic link to no-such-file");
  g_assert_cmpint (g_unlink (images), ==, 0);

  /* a link to the real file loads, and a folder named like the preferred .gz spelling is
   * passed over for the regular file beside it */
  g_assert_cmpint (symlink ("moved", images), ==, 0);
  g_assert_cmpint (g_mkdir (gz_folder, 0755), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(VesicleDataset) train = NULL;
    g_autoptr(VesicleDataset) test = NULL;

    g_assert_true (vesicle_dataset_load_dir (dir, &train, &test, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (train->n, ==, 4);
  }
  g_assert_cmpint (g_rmdir (gz_folder), ==, 0);

  /* no permission (root reads anything: nothing to check then) */
  if (getuid () != 0)
    {
      g_assert_cmpint (g_chmod (moved, 0), ==, 0);
      assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_IO,
                             "train-images-idx3-ubyte: permission denied");
      g_assert_cmpint (g_chmod (moved, 0644), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0600), ==, 0);
      assert_load_dir_fails (dir, VESICLE_DATASET_ERROR_IO,
                             "permission denied: cannot look inside this folder");
      g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
    }

  vesicle_test_remove_tree (dir);
}

/* ---- Normalisation ----------------------------------------------------------------------- */

static void
test_normalise (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleDataset) train = NULL;
  g_autoptr(VesicleDataset) test = NULL;
  double mean, sd, mean2, sd2;
  float lo, hi;

  g_assert_true (vesicle_dataset_load_dir (SUBSET_DIR, &train, &test, &error));
  g_assert_no_error (error);

  pixel_stats (train, &mean, &sd, &lo, &hi);
  vesicle_dataset_normalise (train, (float) mean, (float) sd);
  pixel_stats (train, &mean2, &sd2, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (mean2, 0.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (sd2, 1.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (lo, (0.0 - mean) / sd, 1e-5);
  g_assert_cmpfloat_with_epsilon (hi, (1.0 - mean) / sd, 1e-5);

  /* A tiny exact case. */
  {
    float x[4] = { 0.0f, 0.25f, 0.5f, 1.0f };
    VesicleDataset ds = { .n = 2, .rows = 1, .cols = 2, .dim = 2, .x = x };

    vesicle_dataset_normalise (&ds, 0.5f, 0.25f);
    g_assert_cmpfloat (x[0], ==, -2.0f);
    g_assert_cmpfloat (x[1], ==, -1.0f);
    g_assert_cmpfloat (x[2], ==, 0.0f);
    g_assert_cmpfloat (x[3], ==, 2.0f);
  }
}

/* sd <= 0 (or NaN) is a programming error: a critical, which g_test makes fatal. */
static void
test_normalise_bad_sd (gconstpointer data)
{
  const float sd = *(const float *) data;

  if (g_test_subprocess ())
    {
      float x[2] = { 0.5f, 1.0f };
      VesicleDataset ds = { .n = 1, .rows = 1, .cols = 2, .dim = 2, .x = x };

      vesicle_dataset_normalise (&ds, 0.0f, sd);
      return;
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*sd*");
}

/* ---- Epoch order ------------------------------------------------------------------------- */

static gboolean
is_permutation (const guint32 *order,
                guint          n)
{
  g_autofree guint8 *seen = g_malloc0 (MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      if (order[i] >= n || seen[order[i]])
        return FALSE;
      seen[order[i]] = 1;
    }
  return TRUE;
}

static void
test_philox_known_answer (void)
{
  /* Random123's kat_vectors for philox4x32_10. */
  const vp_u32 ctr0[4] = { 0, 0, 0, 0 }, key0[2] = { 0, 0 };
  const vp_u32 ctr1[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
  const vp_u32 key1[2] = { 0xffffffffu, 0xffffffffu };
  const vp_u32 ctr2[4] = { 0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u };
  const vp_u32 key2[2] = { 0xa4093822u, 0x299f31d0u };
  vp_u32 out[4];

  vesicle_philox4x32_10 (out, ctr0, key0);
  g_assert_cmphex (out[0], ==, 0x6627e8d5u);
  g_assert_cmphex (out[1], ==, 0xe169c58du);
  g_assert_cmphex (out[2], ==, 0xbc57ac4cu);
  g_assert_cmphex (out[3], ==, 0x9b00dbd8u);
  vesicle_philox4x32_10 (out, ctr1, key1);
  g_assert_cmphex (out[0], ==, 0x408f276du);
  g_assert_cmphex (out[1], ==, 0x41c83b0eu);
  g_assert_cmphex (out[2], ==, 0xa20bc7c6u);
  g_assert_cmphex (out[3], ==, 0x6d5451fdu);
  vesicle_philox4x32_10 (out, ctr2, key2);
  g_assert_cmphex (out[0], ==, 0xd16cfe09u);
  g_assert_cmphex (out[1], ==, 0x94fdccebu);
  g_assert_cmphex (out[2], ==, 0x5001e420u);
  g_assert_cmphex (out[3], ==, 0x24126ea1u);
}

static void
test_epoch_order (void)
{
  const guint n = 10007;
  g_autofree guint32 *a = g_new (guint32, n);
  g_autofree guint32 *b = g_new (guint32, n);
  guint fixed = 0;

  vesicle_dataset_epoch_order (a, n, 42, 0);
  g_assert_true (is_permutation (a, n));
  for (guint i = 0; i < n; i++)
    fixed += a[i] == i;
  g_assert_cmpuint (fixed, <, 10);    /* about 1 expected for a random permutation */

  vesicle_dataset_epoch_order (b, n, 42, 0);
  g_assert_cmpmem (a, n * sizeof *a, b, n * sizeof *b);

  vesicle_dataset_epoch_order (b, n, 42, 1);
  g_assert_true (is_permutation (b, n));
  g_assert_true (memcmp (a, b, n * sizeof *a) != 0);

  vesicle_dataset_epoch_order (b, n, 43, 0);
  g_assert_true (is_permutation (b, n));
  g_assert_true (memcmp (a, b, n * sizeof *a) != 0);

  /* The high half of the seed matters too. */
  vesicle_dataset_epoch_order (b, n, 42 + ((guint64) 1 << 32), 0);
  g_assert_true (is_permutation (b, n));
  g_assert_true (memcmp (a, b, n * sizeof *a) != 0);

  /* Degenerate sizes. */
  vesicle_dataset_epoch_order (NULL, 0, 1, 0);
  vesicle_dataset_epoch_order (a, 1, 1, 0);
  g_assert_cmpuint (a[0], ==, 0);
  vesicle_dataset_epoch_order (a, 2, 1, 0);
  g_assert_true (is_permutation (a, 2));
}

/* Golden values, computed independently from the specification (Philox4x32-10 at
 * ctr = (block, epoch, 0, 3), key = (seed lo, seed hi), words taken in order; Lemire's bounded
 * draw; Fisher-Yates from the top). They must never change: runs are replayed from
 * (seed, epoch). */
static void
test_epoch_order_golden (void)
{
  static const guint32 golden_42_0[16] = {
    13, 0, 9, 3, 6, 8, 1, 2, 11, 14, 15, 5, 12, 4, 7, 10,
  };
  static const guint32 golden_big_7[16] = {
    11, 10, 3, 14, 12, 4, 9, 6, 5, 0, 13, 15, 7, 2, 8, 1,
  };
  guint32 order[16];

  vesicle_dataset_epoch_order (order, 16, 42, 0);
  g_assert_cmpmem (order, sizeof order, golden_42_0, sizeof golden_42_0);
  vesicle_dataset_epoch_order (order, 16, G_GUINT64_CONSTANT (0x0123456789abcdef), 7);
  g_assert_cmpmem (order, sizeof order, golden_big_7, sizeof golden_big_7);
}

/* Fisher-Yates with an unbiased draw gives all n! orders equally often (here n = 4). */
static void
test_epoch_order_uniform (void)
{
  const guint trials = 24000;
  guint counts[24] = { 0 };

  for (guint t = 0; t < trials; t++)
    {
      guint32 o[4];
      guint code = 0, used = 0;

      vesicle_dataset_epoch_order (o, 4, 1000 + t / 3, t % 3);
      g_assert_true (is_permutation (o, 4));
      /* Lehmer code of the permutation: 0..23. */
      for (guint i = 0; i < 4; i++)
        {
          guint smaller = 0;

          for (guint k = 0; k < o[i]; k++)
            smaller += !(used & (1u << k));
          used |= 1u << o[i];
          code = code * (4 - i) + smaller;
        }
      counts[code]++;
    }
  for (guint c = 0; c < 24; c++)
    {
      /* Expected 1000, s.d. about 31; 6 s.d. either side. */
      g_assert_cmpuint (counts[c], >, 810);
      g_assert_cmpuint (counts[c], <, 1190);
    }
}

/* ---- Optional: Debian's Fashion-MNIST ------------------------------------------------------ */

static void
test_fashion (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VesicleDataset) train = NULL;
  g_autoptr(VesicleDataset) test = NULL;
  guint counts[10];

  if (!g_file_test (FASHION_DIR, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no " FASHION_DIR);
      return;
    }
  g_assert_true (vesicle_dataset_load_dir (FASHION_DIR, &train, &test, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (train->name, ==, "fashion-mnist");
  g_assert_cmpuint (train->n, ==, 60000);
  g_assert_cmpuint (test->n, ==, 10000);
  g_assert_cmpuint (train->dim, ==, 784);
  g_assert_cmpuint (train->n_classes, ==, 10);
  count_classes (train, counts, 10);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 6000);
  count_classes (test, counts, 10);
  for (guint c = 0; c < 10; c++)
    g_assert_cmpuint (counts[c], ==, 1000);
}

/* An experiment's max_train keeps the first N training examples (a quick run on a large
 * dataset); 0, or more than there are, keeps all; the test set is never cut. */
static void
test_experiment_max_train (void)
{
  const guint limits[] = { 123, 0, 1000000 };

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) config = vesicle_exp_training_defaults ();
      VesicleExperimentContext ctx = { .config = config };
      VesicleExperimentData data;
      guint n_all;

      json_object_set_string_member (config, "dataset", SUBSET_DIR);
      json_object_set_int_member (config, "max_train", limits[i]);
      g_assert_true (vesicle_experiment_data_load (&ctx, &data, &error));
      g_assert_no_error (error);
      n_all = data.train->n;
      g_assert_cmpuint (data.train_ex.n, ==, limits[i] > 0 ? MIN (limits[i], n_all) : n_all);
      g_assert_cmpuint (data.test_ex.n, ==, data.test->n);
      /* the first examples, in file order */
      g_assert_true (data.train_ex.x == data.train->x);
      vesicle_experiment_data_clear (&data);
    }
}

static void
test_free_null (void)
{
  vesicle_dataset_free (NULL);
  {
    g_autoptr(VesicleDataset) ds = NULL;   /* the autoptr cleanup on NULL */

    g_assert_null (ds);
  }
}

int
main (int    argc,
      char **argv)
{
  static const float bad_sd[3] = { 0.0f, -1.0f, NAN };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dataset/subset", test_subset);
  g_test_add_func ("/dataset/subset-load-idx", test_subset_load_idx);
  g_test_add_func ("/dataset/raw-equals-gz", test_raw_equals_gz);
  g_test_add_func ("/dataset/small-valid", test_small_valid);
  g_test_add_func ("/dataset/label-255", test_label_255);
  g_test_add_func ("/dataset/gz-multi-member", test_gz_multi_member);
  g_test_add_func ("/dataset/malformed/images", test_malformed_images);
  g_test_add_func ("/dataset/malformed/no-upfront-allocation", test_no_upfront_allocation);
  g_test_add_func ("/dataset/malformed/labels", test_malformed_labels);
  g_test_add_func ("/dataset/malformed/gzip", test_malformed_gzip);
  g_test_add_func ("/dataset/malformed/missing-and-io", test_missing_and_io);
  g_test_add_func ("/dataset/load-dir-errors", test_load_dir_errors);
  g_test_add_func ("/dataset/load-dir-classes", test_load_dir_classes);
  g_test_add_func ("/dataset/load-dir-not-files", test_load_dir_not_files);
  g_test_add_func ("/dataset/normalise", test_normalise);
  g_test_add_data_func ("/dataset/normalise/zero-sd", &bad_sd[0], test_normalise_bad_sd);
  g_test_add_data_func ("/dataset/normalise/negative-sd", &bad_sd[1], test_normalise_bad_sd);
  g_test_add_data_func ("/dataset/normalise/nan-sd", &bad_sd[2], test_normalise_bad_sd);
  g_test_add_func ("/dataset/philox-known-answer", test_philox_known_answer);
  g_test_add_func ("/dataset/epoch-order", test_epoch_order);
  g_test_add_func ("/dataset/epoch-order/golden", test_epoch_order_golden);
  g_test_add_func ("/dataset/epoch-order/uniform", test_epoch_order_uniform);
  g_test_add_func ("/dataset/fashion-mnist", test_fashion);
  g_test_add_func ("/dataset/free-null", test_free_null);
  g_test_add_func ("/dataset/experiment-max-train", test_experiment_max_train);

  return g_test_run ();
}
