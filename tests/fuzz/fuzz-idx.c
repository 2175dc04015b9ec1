/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IDX reader, raw and gzip: the first byte chooses which file of an images + labels pair
 * the rest of the input becomes (the other is a valid pair's) and how it is stored: as given
 * (raw, or a gzip stream if it starts like one) or gzip-compressed here, so that the IDX parser
 * is reached through the decoder too.
 */
#include "vesicle-fuzz.h"
#include "vesicle-dataset.h"

#include <zlib.h>

/* Two 2 x 2 images and their labels: the valid half of a pair. */
static const uint8_t images[] = {
  0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 64, 128, 255, 255, 128, 64, 0,
};
static const uint8_t labels[] = { 0, 0, 8, 1, 0, 0, 0, 2, 3, 7 };

static uint8_t *
gzip (const uint8_t *data,
      size_t         size,
      size_t        *out_size)
{
  z_stream zs = { 0 };
  size_t cap = size + size / 8 + 64;
  uint8_t *out = g_malloc (cap);

  if (deflateInit2 (&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    g_error ("deflateInit2");
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) size;
  zs.next_out = out;
  zs.avail_out = (uInt) cap;
  if (deflate (&zs, Z_FINISH) != Z_STREAM_END)
    g_error ("deflate");
  *out_size = zs.total_out;
  deflateEnd (&zs);
  return out;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gboolean fuzz_labels, compress;
  g_autofree uint8_t *packed = NULL;
  g_autofree char *images_path = NULL;
  g_autofree char *labels_path = NULL;
  g_autoptr(GError) error = NULL;
  VesicleDataset *ds;

  if (size < 1)
    return 0;
  fuzz_labels = data[0] & 1;
  compress = data[0] & 2;
  data++, size--;
  if (compress)
    data = packed = gzip (data, size, &size);
  images_path = vesicle_fuzz_write ("images", fuzz_labels ? images : data,
                                    fuzz_labels ? sizeof images : size);
  labels_path = vesicle_fuzz_write ("labels", fuzz_labels ? data : labels,
                                    fuzz_labels ? size : sizeof labels);
  ds = vesicle_dataset_load_idx (images_path, labels_path, &error);
  g_assert ((ds == NULL) == (error != NULL));
  if (ds != NULL)
    vesicle_dataset_free (ds);
  return 0;
}
