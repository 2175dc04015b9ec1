/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads labelled image datasets in the IDX format (MNIST and its relatives), raw or gzipped,
 * into float pixels in [0, 1] and byte labels; normalises pixels; and computes the deterministic
 * per-epoch shuffle order (Fisher-Yates driven by Philox4x32-10).
 *
 * Files are read in chunks. Every header is checked against hard limits before anything is
 * allocated from it, and buffers then grow only as real data arrives, so a lying header cannot
 * make us allocate more than the file actually holds. Gzip is recognised by its 1f 8b magic bytes
 * and decoded with zlib's inflate (several concatenated members are allowed; anything else after
 * the compressed stream is refused, as is anything after the data the IDX header describes).
 */
#include "vesicle-dataset.h"
#include "vesicle-i18n.h"
#include "vesicle_philox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <zlib.h>

#ifndef VESICLE_STREAM_SHUFFLE
#define VESICLE_STREAM_SHUFFLE 3u
#endif

/* Limits checked on the header, before any allocation. */
#define IDX_MAX_EXAMPLES   100000000u              /* 1e8 */
#define IDX_MAX_SIDE       4096u
#define IDX_MAX_DATA_BYTES ((guint64) 1 << 31)     /* 2 GiB of uint8 pixels */

#define IDX_CHUNK          (1u << 16)
#define IDX_FIRST_CAPACITY ((gsize) 1 << 20)       /* elements */

G_DEFINE_QUARK (vesicle-dataset-error-quark, vesicle_dataset_error)

/* ---- A chunked reader over a raw or gzipped file ---------------------------------------- */

typedef struct {
  char     *path;
  FILE     *fp;
  gboolean  gz;
  gboolean  zs_ready;     /* inflateInit2 succeeded */
  gboolean  member_done;  /* a gzip member ended; another one or the end of file must follow */
  gboolean  in_eof;       /* fread has reached the end of the file */
  z_stream  zs;
  guint8   *next;         /* unread input in `in` */
  gsize     avail;
  guint8    in[IDX_CHUNK];
} IdxReader;

static void
idx_reader_free (IdxReader *r)
{
  if (r == NULL)
    return;
  if (r->zs_ready)
    inflateEnd (&r->zs);
  if (r->fp != NULL)
    fclose (r->fp);
  g_free (r->path);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdxReader, idx_reader_free)

static gboolean
idx_reader_fill (IdxReader  *r,
                 GError    **error)
{
  size_t got;

  if (r->avail > 0 || r->in_eof)
    return TRUE;
  got = fread (r->in, 1, sizeof r->in, r->fp);
  if (got < sizeof r->in)
    {
      if (ferror (r->fp))
        {
          int saved = errno;

          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                       _("%s: read error: %s"), r->path, g_strerror (saved));
          return FALSE;
        }
      r->in_eof = TRUE;
    }
  r->next = r->in;
  r->avail = got;
  return TRUE;
}

/* Why `path` cannot be read as an IDX file: errno from stat or open (ELOOP, EACCES, ...), or 0
 * with `st` describing something that is not a regular file. */
static void
set_not_a_file_error (GError         **error,
                      const char      *path,
                      int              saved,
                      const GStatBuf  *st)
{
  if (saved == ELOOP)
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                 _("%s: a symbolic link loop"), path);
  else if (saved == EACCES || saved == EPERM)
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                 _("%s: permission denied"), path);
  else if (saved == ENOENT || saved == ENOTDIR)
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_NOT_FOUND,
                 _("%s: cannot open: %s"), path, g_strerror (saved));
  else if (saved != 0)
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                 _("%s: cannot open: %s"), path, g_strerror (saved));
  else if (S_ISDIR (st->st_mode))
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                 _("%s: is a folder, not an IDX file"), path);
  else if (S_ISFIFO (st->st_mode))
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                 _("%s: is a named pipe (FIFO), not a file"), path);
  else
    g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                 _("%s: is a device or socket, not a file"), path);
}

static IdxReader *
idx_reader_open (const char  *path,
                 GError     **error)
{
  g_autoptr(IdxReader) r = g_new0 (IdxReader, 1);
  GStatBuf st;
  int fd, flags;

  r->path = g_strdup (path);
  /* O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused below */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_not_a_file_error (error, path, errno, NULL);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      set_not_a_file_error (error, path, errno, NULL);
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      set_not_a_file_error (error, path, 0, &st);
      close (fd);
      return NULL;
    }
  /* a regular file: blocking reads from here on */
  flags = fcntl (fd, F_GETFL);
  if (flags == -1 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) == -1
      || (r->fp = fdopen (fd, "rb")) == NULL)
    {
      int saved = errno;

      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                   _("%s: cannot open: %s"), path, g_strerror (saved));
      close (fd);
      return NULL;
    }

  if (!idx_reader_fill (r, error))
    return NULL;
  r->gz = r->avail >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b;
  if (r->gz)
    {
      /* 16 + MAX_WBITS: gzip wrapper only, with its CRC-32 and length checked. */
      if (inflateInit2 (&r->zs, 16 + MAX_WBITS) != Z_OK)
        {
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                       _("%s: cannot start the gzip decoder"), path);
          return NULL;
        }
      r->zs_ready = TRUE;
    }
  return g_steal_pointer (&r);
}

/* Reads up to len bytes; *got < len only at the end of the data. */
static gboolean
idx_reader_read (IdxReader  *r,
                 guint8     *buf,
                 gsize       len,
                 gsize      *got,
                 GError    **error)
{
  *got = 0;

  if (!r->gz)
    {
      while (*got < len)
        {
          gsize take;

          if (!idx_reader_fill (r, error))
            return FALSE;
          if (r->avail == 0)
            break;
          take = MIN (r->avail, len - *got);
          memcpy (buf + *got, r->next, take);
          r->next += take;
          r->avail -= take;
          *got += take;
        }
      return TRUE;
    }

  while (*got < len)
    {
      gsize chunk = MIN (len - *got, (gsize) G_MAXUINT32 / 2);
      int ret;

      if (!idx_reader_fill (r, error))
        return FALSE;
      if (r->member_done)
        {
          if (r->avail == 0)
            break;                      /* the end of the file after a complete member */
          if (r->next[0] != 0x1f)
            {
              g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                           _("%s: trailing bytes after the end of the gzip stream"), r->path);
              return FALSE;
            }
          inflateReset (&r->zs);        /* another member; inflate checks its header */
          r->member_done = FALSE;
        }

      r->zs.next_in = r->next;
      r->zs.avail_in = (uInt) r->avail;
      r->zs.next_out = buf + *got;
      r->zs.avail_out = (uInt) chunk;
      ret = inflate (&r->zs, Z_NO_FLUSH);
      *got += chunk - r->zs.avail_out;
      r->next = r->zs.next_in;
      r->avail = r->zs.avail_in;

      switch (ret)
        {
        case Z_OK:
          break;
        case Z_STREAM_END:
          r->member_done = TRUE;
          break;
        case Z_BUF_ERROR:
          if (r->avail == 0 && r->in_eof)
            {
              g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                           _("%s: the gzip stream is truncated"), r->path);
              return FALSE;
            }
          break;
        case Z_MEM_ERROR:
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                       _("%s: out of memory while decompressing"), r->path);
          return FALSE;
        default:
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                       _("%s: corrupt gzip data (%s)"), r->path,
                       r->zs.msg != NULL ? r->zs.msg : "unknown zlib error");
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- IDX headers and bodies ---------------------------------------------------------------- */

/* Reads and checks the magic and the n_dims dimensions; `what` is "images" or "labels". */
static gboolean
idx_read_header (IdxReader   *r,
                 guint        n_dims,
                 const char  *what,
                 guint32     *dims,
                 GError     **error)
{
  guint8 buf[4 * 4];
  guint32 magic, expected = 0x00000800u | n_dims;
  gsize got;

  if (!idx_reader_read (r, buf, 4, &got, error))
    return FALSE;
  if (got < 4)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: truncated header: %lu of %u bytes"), r->path, (unsigned long) got,
                   4 + 4 * n_dims);
      return FALSE;
    }
  magic = ((guint32) buf[0] << 24) | ((guint32) buf[1] << 16) | ((guint32) buf[2] << 8) | buf[3];
  if ((magic & 0xffffff00u) != 0x00000800u)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: bad magic number 0x%08x; expected 0x%08x (IDX %s, unsigned bytes)"),
                   r->path, magic, expected, what);
      return FALSE;
    }
  if (buf[3] != n_dims)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: the IDX header has %u dimensions (magic 0x%08x); %s need %u"),
                   r->path, buf[3], magic, what, n_dims);
      return FALSE;
    }

  if (!idx_reader_read (r, buf, 4 * n_dims, &got, error))
    return FALSE;
  if (got < 4 * n_dims)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: truncated header: %lu of %u bytes"), r->path,
                   (unsigned long) (4 + got),
                   4 + 4 * n_dims);
      return FALSE;
    }
  for (guint d = 0; d < n_dims; d++)
    {
      const guint8 *p = buf + 4 * d;

      dims[d] = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
      if (dims[d] == 0)
        {
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                       _("%s: dimension %u of the IDX header is 0"), r->path, d + 1);
          return FALSE;
        }
    }

  if (dims[0] > IDX_MAX_EXAMPLES)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: the header claims %u %s, over the limit of %u"), r->path, dims[0], what,
                   IDX_MAX_EXAMPLES);
      return FALSE;
    }
  if (n_dims == 3)
    {
      guint64 bytes = (guint64) dims[0] * dims[1] * dims[2];

      if (dims[1] > IDX_MAX_SIDE || dims[2] > IDX_MAX_SIDE)
        {
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                       _("%s: the header claims %u x %u images, over the limit of %u x %u"),
                       r->path, dims[1], dims[2], IDX_MAX_SIDE, IDX_MAX_SIDE);
          return FALSE;
        }
      if (bytes > IDX_MAX_DATA_BYTES)
        {
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                       _("%s: the header claims %u images of %u x %u, %llu bytes of pixels, "
                         "over the limit of %llu bytes"), r->path, dims[0], dims[1], dims[2],
                       (unsigned long long) bytes, (unsigned long long) IDX_MAX_DATA_BYTES);
          return FALSE;
        }
    }
  return TRUE;
}

/* Makes room for `need` elements of `size` bytes, growing geometrically up to `total`. */
static gboolean
idx_grow (gpointer   *buf,
          gsize      *capacity,
          gsize       need,
          gsize       total,
          gsize       size,
          const char *path,
          GError    **error)
{
  gsize cap = *capacity;
  gpointer p;

  if (need <= cap)
    return TRUE;
  if (cap == 0)
    cap = MIN (total, IDX_FIRST_CAPACITY);
  while (cap < need)
    cap = cap > total / 2 ? total : 2 * cap;
  p = g_try_realloc_n (*buf, cap, size);
  if (p == NULL)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                   _("%s: out of memory (%lu bytes)"), path, (unsigned long) (cap * size));
      return FALSE;
    }
  *buf = p;
  *capacity = cap;
  return TRUE;
}

/* Reads the `total` data bytes after the header, then insists on the end of the file. Pixels go
 * to *x as floats in [0, 1] when x is given, bytes go to *bytes otherwise. */
static gboolean
idx_read_body (IdxReader   *r,
               gsize        total,
               float      **x,
               guint8     **bytes,
               GError     **error)
{
  g_autofree guint8 *chunk = g_malloc (IDX_CHUNK);
  g_autofree float *xf = NULL;
  g_autofree guint8 *b = NULL;
  gsize done = 0, capacity = 0, got;
  float scale[256];

  for (guint k = 0; k < 256; k++)
    scale[k] = (float) k / 255.0f;

  while (done < total)
    {
      gsize want = MIN ((gsize) IDX_CHUNK, total - done);

      if (!idx_reader_read (r, chunk, want, &got, error))
        return FALSE;
      if (got > 0)
        {
          if (x != NULL)
            {
              if (!idx_grow ((gpointer *) &xf, &capacity, done + got, total, sizeof (float),
                             r->path, error))
                return FALSE;
              for (gsize i = 0; i < got; i++)
                xf[done + i] = scale[chunk[i]];
            }
          else
            {
              if (!idx_grow ((gpointer *) &b, &capacity, done + got, total, 1, r->path, error))
                return FALSE;
              memcpy (b + done, chunk, got);
            }
          done += got;
        }
      if (got < want)
        {
          g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                       _("%s: truncated data: the header describes %lu bytes but the file "
                         "holds %lu"),
                       r->path, (unsigned long) total, (unsigned long) done);
          return FALSE;
        }
    }

  /* Nothing may follow; this also drives inflate through the gzip trailer (CRC and length). */
  if (!idx_reader_read (r, chunk, 1, &got, error))
    return FALSE;
  if (got != 0)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: trailing data after the %lu bytes the header describes"), r->path,
                   (unsigned long) total);
      return FALSE;
    }

  if (x != NULL)
    *x = g_steal_pointer (&xf);
  else
    *bytes = g_steal_pointer (&b);
  return TRUE;
}

/* ---- Public API ------------------------------------------------------------------------ */

VesicleDataset *
vesicle_dataset_load_idx (const char  *images_path,
                          const char  *labels_path,
                          GError     **error)
{
  g_autoptr(VesicleDataset) ds = NULL;
  g_autoptr(IdxReader) ri = NULL;
  g_autoptr(IdxReader) rl = NULL;
  guint32 idims[3], ldims[1];
  guint8 max_label = 0;

  g_return_val_if_fail (images_path != NULL, NULL);
  g_return_val_if_fail (labels_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Both headers first, so a count mismatch is reported before any data is read. */
  ri = idx_reader_open (images_path, error);
  if (ri == NULL || !idx_read_header (ri, 3, "images", idims, error))
    return NULL;
  rl = idx_reader_open (labels_path, error);
  if (rl == NULL || !idx_read_header (rl, 1, "labels", ldims, error))
    return NULL;
  if (idims[0] != ldims[0])
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s and %s disagree on the number of examples: %u in the images file, "
                     "%u in the labels file"),
                   images_path, labels_path, idims[0], ldims[0]);
      return NULL;
    }

  ds = g_new0 (VesicleDataset, 1);
  ds->name = g_path_get_basename (images_path);
  ds->n = idims[0];
  ds->rows = idims[1];
  ds->cols = idims[2];
  ds->dim = idims[1] * idims[2];

  if (!idx_read_body (ri, (gsize) ds->n * ds->dim, &ds->x, NULL, error))
    return NULL;
  if (!idx_read_body (rl, ds->n, NULL, &ds->y, error))
    return NULL;

  for (guint i = 0; i < ds->n; i++)
    max_label = MAX (max_label, ds->y[i]);
  ds->n_classes = 1u + max_label;   /* at most 256: labels are bytes */
  return g_steal_pointer (&ds);
}

/* The first of the candidate spellings of `stem` in dir that is a regular file (or a link to
 * one), .gz preferred, in *found. When none is, *found is NULL, and if a candidate is there but
 * cannot be read (a folder, a named pipe, a link loop or a broken link, no permission) the error
 * says so for the first such candidate and FALSE is returned. */
static gboolean
find_idx_file (const char  *dir,
               const char  *stem,
               const char  *kind,
               char       **found,
               GError     **error)
{
  const char *seps[] = { "-", "." };
  const char *exts[] = { ".gz", "" };
  g_autoptr(GError) problem = NULL;

  *found = NULL;
  for (guint s = 0; s < G_N_ELEMENTS (seps); s++)
    for (guint e = 0; e < G_N_ELEMENTS (exts); e++)
      {
        g_autofree char *base = g_strconcat (stem, seps[s], kind, "-ubyte", exts[e], NULL);
        g_autofree char *path = g_build_filename (dir, base, NULL);
        GStatBuf st;
        int saved;

        if (g_stat (path, &st) == 0)
          {
            if (S_ISREG (st.st_mode))
              {
                *found = g_steal_pointer (&path);
                return TRUE;
              }
            if (problem == NULL)
              set_not_a_file_error (&problem, path, 0, &st);
            continue;
          }
        saved = errno;
        if (problem != NULL)
          continue;
        if (saved == ENOENT || saved == ENOTDIR)
          {
            g_autofree char *target = g_file_read_link (path, NULL);

            if (target != NULL)
              g_set_error (&problem, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_NOT_FOUND,
                           _("%s: a symbolic link to %s, which does not exist"), path, target);
          }
        else if (saved == EACCES)
          /* stat needs only search permission on the folder */
          g_set_error (&problem, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_IO,
                       _("%s: permission denied: cannot look inside this folder"), dir);
        else
          set_not_a_file_error (&problem, path, saved, NULL);
      }
  if (problem != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&problem));
      return FALSE;
    }
  return TRUE;
}

static VesicleDataset *
load_split (const char  *dir,
            const char  *split,
            char       **labels_path,
            GError     **error)
{
  g_autofree char *images_stem = g_strconcat (split, "-images", NULL);
  g_autofree char *labels_stem = g_strconcat (split, "-labels", NULL);
  g_autofree char *images = NULL;
  g_autofree char *labels = NULL;
  VesicleDataset *ds;

  if (!find_idx_file (dir, images_stem, "idx3", &images, error)
      || !find_idx_file (dir, labels_stem, "idx1", &labels, error))
    return NULL;
  if (images == NULL || labels == NULL)
    {
      const char *stem = images == NULL ? images_stem : labels_stem;
      const char *kind = images == NULL ? "idx3" : "idx1";

      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_NOT_FOUND,
                   _("%s: no %s-%s-ubyte[.gz] (nor %s.%s-ubyte[.gz]) in this folder"), dir, stem,
                   kind, stem, kind);
      return NULL;
    }
  ds = vesicle_dataset_load_idx (images, labels, error);
  if (ds != NULL)
    {
      g_free (ds->name);
      ds->name = g_path_get_basename (dir);
      *labels_path = g_steal_pointer (&labels);
    }
  return ds;
}

/* The classes are 0 to the largest training label (n_classes). Each must have training
 * examples, but for class 0 in a set counted from 1 (EMNIST letters): a gap means a stray label,
 * such as 255 among 0 to 9. There must be at least two classes, and every test label must be a
 * class with training examples. Sets the test set's n_classes to the training set's. */
static gboolean
check_classes (VesicleDataset  *train,
               const char      *train_labels,
               VesicleDataset  *test,
               const char      *test_labels,
               GError         **error)
{
  guint counts[256] = { 0 };
  guint n_present = 0, lo = G_MAXUINT, hi = train->n_classes - 1;

  for (guint i = 0; i < train->n; i++)
    counts[train->y[i]]++;
  for (guint c = 0; c <= hi; c++)
    if (counts[c] > 0)
      {
        n_present++;
        lo = MIN (lo, c);
      }

  if (n_present < 2)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s holds only class %u: a classifier needs at least two classes"),
                   train_labels, hi);
      return FALSE;
    }
  if (lo > 1)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: the smallest label is %u, but classes count from 0 (or 1) up to the "
                     "largest label, %u, and each needs training examples"),
                   train_labels, lo, hi);
      return FALSE;
    }
  for (guint c = lo; c <= hi; c++)
    if (counts[c] == 0)
      {
        guint i = 0;

        /* the first example beyond the gap is the stray one */
        while (train->y[i] <= c)
          i++;
        g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                     _("%s: labels run from %u to %u; label %u at index %u would make %u "
                       "classes, but class %u has no training examples"),
                     train_labels, lo, c - 1, train->y[i], i, train->y[i] + 1, c);
        return FALSE;
      }
  for (guint i = 0; i < test->n; i++)
    if (counts[test->y[i]] == 0)
      {
        g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                     _("%s: label %u at index %u is not one of the training classes, %u to %u"),
                     test_labels, test->y[i], i, lo, hi);
        return FALSE;
      }

  /* one label space for both halves: a class missing from the test set cannot shrink it */
  test->n_classes = train->n_classes;
  return TRUE;
}

gboolean
vesicle_dataset_load_dir (const char      *dir,
                          VesicleDataset **train,
                          VesicleDataset **test,
                          GError         **error)
{
  g_autoptr(VesicleDataset) tr = NULL;
  g_autoptr(VesicleDataset) te = NULL;
  g_autofree char *train_labels = NULL;
  g_autofree char *test_labels = NULL;
  GStatBuf st;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (train != NULL && test != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_stat (dir, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_NOT_FOUND,
                     _("%s: no such folder"), dir);
      else
        set_not_a_file_error (error, dir, saved, NULL);
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_NOT_FOUND,
                   _("%s: not a folder (a dataset is a folder of IDX files)"), dir);
      return FALSE;
    }
  tr = load_split (dir, "train", &train_labels, error);
  if (tr == NULL)
    return FALSE;
  te = load_split (dir, "t10k", &test_labels, error);
  if (te == NULL)
    return FALSE;
  if (tr->rows != te->rows || tr->cols != te->cols)
    {
      g_set_error (error, VESICLE_DATASET_ERROR, VESICLE_DATASET_ERROR_FORMAT,
                   _("%s: the training images are %u x %u but the test images are %u x %u"), dir,
                   tr->rows, tr->cols, te->rows, te->cols);
      return FALSE;
    }

  if (!check_classes (tr, train_labels, te, test_labels, error))
    return FALSE;

  *train = g_steal_pointer (&tr);
  *test = g_steal_pointer (&te);
  return TRUE;
}

void
vesicle_dataset_normalise (VesicleDataset *ds,
                           float           mean,
                           float           sd)
{
  gsize total;

  g_return_if_fail (ds != NULL);
  g_return_if_fail (sd > 0.0f);   /* also refuses NaN */

  total = (gsize) ds->n * ds->dim;
  for (gsize i = 0; i < total; i++)
    ds->x[i] = (ds->x[i] - mean) / sd;
}

/* A stream of uniform 32-bit words: Philox4x32-10 at ctr = (block, epoch, 0, shuffle stream). */
typedef struct {
  vp_u32 key[2];
  vp_u32 ctr[4];
  vp_u32 out[4];
  guint  used;   /* words of `out` consumed */
} ShuffleStream;

static guint32
shuffle_next (ShuffleStream *s)
{
  if (s->used == 4)
    {
      vesicle_philox4x32_10 (s->out, s->ctr, s->key);
      s->ctr[0]++;
      s->used = 0;
    }
  return s->out[s->used++];
}

/* Uniform in [0, bound), bound >= 1, without bias (Lemire, "Fast random integer generation in
 * an interval", ACM TOMACS 2019). */
static guint32
shuffle_below (ShuffleStream *s,
               guint32        bound)
{
  guint64 m = (guint64) shuffle_next (s) * bound;
  guint32 low = (guint32) m;

  if (low < bound)
    {
      guint32 threshold = (guint32) -bound % bound;

      while (low < threshold)
        {
          m = (guint64) shuffle_next (s) * bound;
          low = (guint32) m;
        }
    }
  return (guint32) (m >> 32);
}

void
vesicle_dataset_epoch_order (guint32 *order,
                             guint    n,
                             guint64  seed,
                             guint    epoch)
{
  ShuffleStream s = { 0 };

  g_return_if_fail (order != NULL || n == 0);

  s.key[0] = (vp_u32) (seed & 0xffffffffu);
  s.key[1] = (vp_u32) (seed >> 32);
  s.ctr[0] = 0;
  s.ctr[1] = epoch;
  s.ctr[2] = 0;
  s.ctr[3] = VESICLE_STREAM_SHUFFLE;
  s.used = 4;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  /* Fisher-Yates from the top: position i takes a uniform pick among positions 0..i. */
  for (guint i = n; i > 1; i--)
    {
      guint32 j = shuffle_below (&s, i);
      guint32 t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
}

void
vesicle_dataset_free (VesicleDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->name);
  g_free (ds->x);
  g_free (ds->y);
  g_free (ds);
}

gboolean
vesicle_dataset_probe_dir (const char          *dir,
                           VesicleDatasetInfo  *info,
                           GError             **error)
{
  g_autoptr(VesicleDataset) train = NULL;
  g_autoptr(VesicleDataset) test = NULL;

  g_return_val_if_fail (dir != NULL && info != NULL, FALSE);
  if (!vesicle_dataset_load_dir (dir, &train, &test, error))
    return FALSE;
  *info = (VesicleDatasetInfo) {
    .n_train = train->n, .n_test = test->n, .rows = train->rows, .cols = train->cols,
    .dim = train->dim, .n_classes = MAX (train->n_classes, test->n_classes),
  };
  return TRUE;
}

static void
probe_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  VesicleDatasetInfo *info = g_new0 (VesicleDatasetInfo, 1);
  GError *error = NULL;

  if (vesicle_dataset_probe_dir (task_data, info, &error))
    g_task_return_pointer (task, info, g_free);
  else
    {
      g_free (info);
      g_task_return_error (task, error);
    }
}

void
vesicle_dataset_probe_dir_async (const char          *dir,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (dir != NULL);
  g_task_set_source_tag (task, vesicle_dataset_probe_dir_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, probe_in_thread);
}

gboolean
vesicle_dataset_probe_dir_finish (GAsyncResult        *result,
                                  VesicleDatasetInfo  *info,
                                  GError             **error)
{
  g_autofree VesicleDatasetInfo *found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  if (!(found = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  *info = *found;
  return TRUE;
}
