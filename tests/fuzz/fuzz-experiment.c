/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An experiment folder as the window reopens it and the figures read it: the input is
 * experiment.json, summary.json, run.json and metrics.csv, separated by "\n--8<--\n" lines
 * (vesicle-fuzz.h), written into one folder beside the test fixtures' .npy arrays; then the
 * record, its summary, its networks and every run's metrics are read, and every figure of the
 * experiment's type is built from the folder.
 */
#include "vesicle-fuzz.h"
#include "vesicle-experiment-record.h"
#include "vesicle-figure.h"
#include "vesicle-plot.h"

static const char *const names[] = { "experiment.json", "summary.json", "run.json",
                                     "metrics.csv" };

/* The arrays the figures read beside summary.json, from every fixture, copied once. */
static void
copy_fixture_arrays (void)
{
  static gboolean done;
  const char *types[] = { "bayes", "importance", "predictive", "zero-hidden", NULL };

  if (done)
    return;
  done = TRUE;
  for (guint t = 0; types[t]; t++)
    {
      g_autofree char *dir = g_build_filename (VESICLE_FIXTURES, types[t], NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;

      while (d && (name = g_dir_read_name (d)))
        if (g_str_has_suffix (name, ".npy"))
          {
            g_autofree char *from = g_build_filename (dir, name, NULL);
            g_autofree char *contents = NULL;
            gsize length;

            if (g_file_get_contents (from, &contents, &length, NULL))
              g_free (vesicle_fuzz_write (name, (const uint8_t *) contents, length));
          }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  g_autoptr(GError) error = NULL;
  const uint8_t *part;
  size_t part_size;
  guint i = 0;

  copy_fixture_arrays ();
  for (; i < G_N_ELEMENTS (names) && vesicle_fuzz_next_part (&data, &size, &part, &part_size); i++)
    g_free (vesicle_fuzz_write (names[i], part, part_size));
  for (; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (vesicle_fuzz_dir (), names[i], NULL);
      g_remove (path);
    }

  rec = vesicle_experiment_record_load (vesicle_fuzz_dir (), &error);
  g_assert ((rec == NULL) == (error != NULL));
  if (rec == NULL)
    return 0;

  {
    g_autoptr(GError) e = NULL;
    JsonObject *summary = vesicle_experiment_record_load_summary (rec, &e);

    g_assert ((summary == NULL) == (e != NULL));
    g_clear_pointer (&summary, json_object_unref);
  }
  {
    g_autoptr(GError) e = NULL;
    GArray *networks = vesicle_experiment_record_networks (rec, &e);

    g_assert ((networks == NULL) == (e != NULL));
    g_clear_pointer (&networks, g_array_unref);
  }
  for (guint r = 0; r < rec->runs->len; r++)
    {
      g_autoptr(GError) e = NULL;
      GArray *rows = vesicle_experiment_record_metrics (rec, r, &e);

      g_assert ((rows == NULL) == (e != NULL));
      g_clear_pointer (&rows, g_array_unref);
    }
  if (rec->type != NULL)
    {
      g_autofree const VesicleFigureInfo **figures =
        vesicle_figure_for_experiment (rec->type->name);

      for (guint f = 0; figures[f]; f++)
        {
          g_autoptr(GError) e = NULL;
          VesiclePlot *plot = vesicle_figure_build_partial (figures[f]->name,
                                                            vesicle_fuzz_dir (), TRUE, &e);

          g_assert ((plot == NULL) == (e != NULL));
          g_clear_pointer (&plot, vesicle_plot_free);
        }
    }
  return 0;
}
