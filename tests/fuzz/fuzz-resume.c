/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What resuming and merging read from a folder: a sweep's sweep.json and a cell's status file
 * (cells/0.json), and a cohort's checkpoint.bin, separated by "\n--8<--\n" lines
 * (vesicle-fuzz.h).
 */
#include "vesicle-fuzz.h"
#include "vesicle-checkpoint.h"
#include "vesicle-sweep.h"

static char *cells_dir;

static void
remove_cells (void)
{
  g_autofree char *cell = g_build_filename (cells_dir, "0.json", NULL);

  g_remove (cell);
  g_rmdir (cells_dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *part = NULL;
  size_t part_size = 0;
  g_autofree char *cell = NULL;

  if (cells_dir == NULL)
    {
      cells_dir = g_build_filename (vesicle_fuzz_dir (), "cells", NULL);
      g_mkdir (cells_dir, 0700);
      atexit (remove_cells);   /* before the folder itself goes */
    }
  cell = g_build_filename (cells_dir, "0.json", NULL);

  if (vesicle_fuzz_next_part (&data, &size, &part, &part_size))
    {
      g_autofree char *path = vesicle_fuzz_write ("sweep.json", part, part_size);
      g_autoptr(GError) error = NULL;
      g_autoptr(VesicleSweep) sweep = vesicle_sweep_load (vesicle_fuzz_dir (), &error);

      g_assert ((sweep == NULL) == (error != NULL));
      if (sweep)
        {
          g_assert (sweep->type != NULL && sweep->config != NULL && sweep->cells->len > 0);
          for (guint i = 0; i < sweep->cells->len; i++)
            g_assert (g_array_index (sweep->cells, VesicleSweepCell, i).index == i);
        }
    }
  if (vesicle_fuzz_next_part (&data, &size, &part, &part_size))
    {
      VesicleRunStatus status;
      g_autofree char *reason = NULL;

      if (!g_file_set_contents (cell, (const char *) part, (gssize) part_size, NULL))
        g_error ("cannot write %s", cell);
      if (vesicle_sweep_cell_status (vesicle_fuzz_dir (), 0, &status, &reason))
        g_assert (status <= VESICLE_RUN_INTERRUPTED);
    }
  if (vesicle_fuzz_next_part (&data, &size, &part, &part_size))
    {
      g_autofree char *path = vesicle_fuzz_write ("checkpoint.bin", part, part_size);
      g_autoptr(GError) error = NULL;
      VesicleCheckpoint cp;
      gboolean ok = vesicle_checkpoint_read (path, &cp, &error);

      g_assert (ok == (error == NULL));
      if (ok)
        {
          volatile double sum = 0;

          /* everything the header promises is there to read */
          for (gsize i = 0; i < cp.n_state; i++)
            sum += cp.state[i];
          for (guint i = 0; i < cp.n_metrics; i++)
            sum += cp.metrics[i].train_nll + cp.metrics[i].n_layers;
          for (guint k = 0; k < cp.K; k++)
            sum += cp.stop_reasons[k] ? strlen (cp.stop_reasons[k]) : 0;
          (void) sum;
          vesicle_checkpoint_clear (&cp);
        }
    }
  return 0;
}
