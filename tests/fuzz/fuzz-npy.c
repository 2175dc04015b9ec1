/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The .npy reader (mu.npy, sigma.npy and the analyses' arrays, as the figures read them).
 */
#include "vesicle-fuzz.h"
#include "vesicle-run.h"

static volatile float sink;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = vesicle_fuzz_write ("array.npy", data, size);
  g_autoptr(GError) error = NULL;
  gsize dims[8] = { 0 };
  guint n_dims = 0;
  g_autofree float *values = vesicle_read_npy (path, dims, &n_dims, &error);

  g_assert ((values == NULL) == (error != NULL));
  if (values != NULL)
    {
      gsize n = 1;
      float sum = 0;

      g_assert (n_dims <= G_N_ELEMENTS (dims));
      for (guint i = 0; i < n_dims; i++)
        n *= dims[i];
      /* every element the dimensions promise is there to read */
      for (gsize i = 0; i < n; i++)
        sum += values[i];
      sink = sum;   /* so the reads stay */
    }
  return 0;
}
