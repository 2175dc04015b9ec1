/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Labelled image datasets in the IDX format of MNIST, Fashion-MNIST, EMNIST and KMNIST, raw or
 * gzipped. Pixels are scaled to [0, 1] and may then be normalised ((x - mean) / sd; the authors
 * used 0.1307 / 0.3081). Every malformed file is refused with a GError naming the file.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VESICLE_DATASET_ERROR (vesicle_dataset_error_quark ())

typedef enum {
  VESICLE_DATASET_ERROR_IO,
  VESICLE_DATASET_ERROR_FORMAT,   /* bad magic, truncated, absurd or mismatched sizes */
  VESICLE_DATASET_ERROR_NOT_FOUND,
} VesicleDatasetError;

typedef struct {
  char   *name;        /* e.g. the folder's basename */
  guint   n;           /* examples */
  guint   rows;        /* image height */
  guint   cols;        /* image width */
  guint   dim;         /* rows * cols */
  guint   n_classes;   /* 1 + the largest label; after vesicle_dataset_load_dir, that of the
                        * training set, for both halves */
  float  *x;           /* (n, dim) */
  guint8 *y;           /* (n) */
} VesicleDataset;

/* What a dataset folder holds, as a form shows it before anything runs. */
typedef struct {
  guint   n_train;     /* training examples */
  guint   n_test;      /* test examples */
  guint   rows;        /* image height */
  guint   cols;        /* image width */
  guint   dim;         /* inputs per example */
  guint   n_classes;   /* 1 + the largest label of either set */
} VesicleDatasetInfo;

GQuark          vesicle_dataset_error_quark     (void);

VesicleDataset *vesicle_dataset_load_idx        (const char      *images_path,
                                                 const char      *labels_path,
                                                 GError         **error);

/* Finds train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]
 * and t10k-labels-idx1-ubyte[.gz] in dir (also the "-images.idx3-ubyte" spelling of some copies);
 * a candidate that is there but is no regular file (a folder, a named pipe, a link loop, no
 * permission) is refused saying so, never opened blocking.
 *
 * The class count is the largest training label + 1: every class from 0 to the largest label
 * must have training examples (a gap means a stray label, such as 255 among 0 to 9; only class 0
 * may be empty, in a set counted from 1 such as EMNIST letters), there must be at least two
 * classes, and every test label must be a training class (a class may be missing from the test
 * set). Anything else is refused naming the labels file, the label and its index. */
gboolean        vesicle_dataset_load_dir        (const char      *dir,
                                                 VesicleDataset **train,
                                                 VesicleDataset **test,
                                                 GError         **error);

/* Reads and checks every file of the folder (as vesicle_dataset_load_dir) and keeps only the
 * sizes; _async does it in a worker thread. */
gboolean        vesicle_dataset_probe_dir       (const char          *dir,
                                                 VesicleDatasetInfo  *info,
                                                 GError             **error);
void            vesicle_dataset_probe_dir_async (const char          *dir,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        vesicle_dataset_probe_dir_finish (GAsyncResult       *result,
                                                  VesicleDatasetInfo *info,
                                                  GError            **error);

void            vesicle_dataset_normalise       (VesicleDataset  *ds,
                                                 float            mean,
                                                 float            sd);

/* The order of epoch `epoch` for `seed`: a permutation of 0..n-1, the same on every machine. */
void            vesicle_dataset_epoch_order     (guint32         *order,   /* (n) */
                                                 guint            n,
                                                 guint64          seed,
                                                 guint            epoch);

void            vesicle_dataset_free            (VesicleDataset  *ds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleDataset, vesicle_dataset_free)

G_END_DECLS
