/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figure registry (which experiment each of the paper's figures reads, and the size it was
 * designed for) and the loading helpers the builders share: experiment.json is checked for the
 * right type and a finished run before summary.json is read, so a figure is never drawn from the
 * wrong folder or from half a run.
 *
 * Default sizes follow the journals' column widths: 85 mm (single), 114 mm (one and a half),
 * 174 mm (double); heights give the panels a roughly 4:3 plotting area at 7 pt text.
 */
#include "vesicle-figure-private.h"
#include "vesicle-i18n.h"

#include <math.h>
#include <string.h>

typedef VesiclePlot *(*BuildFunc) (const char *run_dir, gboolean partial, GError **error);

/* Two parallel tables: vesicle_figure_list() hands out the infos as one array. */
static const VesicleFigureInfo infos[] = {
  { "fig1", "costs",
    N_("Fig 1b/c: binomial vesicle release and the four reliability costs against σ"),
    174.0, 92.0 },
  { "fig4", "costs",
    N_("Fig 4: why optimised noise beats homogeneous noise, computed for two synapses"),
    174.0, 120.0 },
  { "fig2", "tradeoff",
    N_("Fig 2: accuracy and mean σ against the reliability cost multiplier c, per ρ"),
    174.0, 85.0 },
  { "fig3", "tradeoff",
    N_("Fig 3: accuracy against σ, reliability cost against σ², accuracy against reliability cost"),
    174.0, 120.0 },
  { "fig5", "importance",
    N_("Fig 5: synapse variance against the Hessian, learning rate and input rate (layer 2)"),
    174.0, 60.0 },
  { "app6", "importance",
    N_("Appendix 6: the patterns of Fig 5 in the other layers and at c ×10 and c /10"),
    174.0, 200.0 },
  { "app5", "zero-hidden",
    N_("Appendix 5: zero-hidden-layer network against the analytic slopes and experiment"),
    174.0, 200.0 },
  { "fig7", "bayes",
    N_("Fig 7: optimised synaptic variability against the variational posterior"),
    174.0, 150.0 },
  { "app4", "predictive",
    N_("Appendix 4: predictive distributions of variational Bayes and the efficient cost"),
    174.0, 100.0 },
  { "training", "train",
    N_("Training curves: each loss term, test accuracy and mean σ per epoch, coloured by c"),
    174.0, 105.0 },
};

static const BuildFunc builders[] = {
  vesicle_figure_build_fig1,
  vesicle_figure_build_fig4,
  vesicle_figure_build_fig2,
  vesicle_figure_build_fig3,
  vesicle_figure_build_fig5,
  vesicle_figure_build_app6,
  vesicle_figure_build_app5,
  vesicle_figure_build_fig7,
  vesicle_figure_build_app4,
  vesicle_figure_build_training,
};

G_STATIC_ASSERT (G_N_ELEMENTS (infos) == G_N_ELEMENTS (builders));

const VesicleFigureInfo *
vesicle_figure_list (gsize *n_figures)
{
  g_return_val_if_fail (n_figures != NULL, NULL);

  *n_figures = G_N_ELEMENTS (infos);
  return infos;
}

const VesicleFigureInfo *
vesicle_figure_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (infos); i++)
    if (g_str_equal (infos[i].name, name))
      return &infos[i];
  return NULL;
}

const VesicleFigureInfo **
vesicle_figure_for_experiment (const char *experiment)
{
  const VesicleFigureInfo **found = g_new0 (const VesicleFigureInfo *, G_N_ELEMENTS (infos) + 2);
  const VesicleExperimentType *type;
  gsize n = 0;

  g_return_val_if_fail (experiment != NULL, found);

  for (gsize i = 0; i < G_N_ELEMENTS (infos); i++)
    if (g_str_equal (infos[i].experiment, experiment))
      found[n++] = &infos[i];
  /* every experiment that trains has training curves, drawn from its run folders */
  type = vesicle_experiment_find (experiment);
  if (type && (type->trains || type == &vesicle_experiment_predictive)
      && !g_str_equal (experiment, "train"))
    found[n++] = vesicle_figure_lookup ("training");
  return found;
}

static char *
known_names (void)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (infos); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", infos[i].name);
  return g_string_free (s, FALSE);
}

VesiclePlot *
vesicle_figure_build (const char  *name,
                      const char  *run_dir,
                      GError     **error)
{
  return vesicle_figure_build_partial (name, run_dir, FALSE, error);
}

VesiclePlot *
vesicle_figure_build_partial (const char  *name,
                              const char  *run_dir,
                              gboolean     partial,
                              GError     **error)
{
  const VesicleFigureInfo *info;
  VesiclePlot *plot;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (run_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(info = vesicle_figure_lookup (name)))
    {
      g_autofree char *known = known_names ();

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no figure '%s' (known: %s)", name,
                   known);
      return NULL;
    }
  if (!g_file_test (run_dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: %s needs a '%s' experiment folder, and there is no such folder", name,
                   run_dir, info->experiment);
      return NULL;
    }
  if (!g_file_test (run_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   "%s: %s is a file, not an experiment folder", name, run_dir);
      return NULL;
    }
  plot = builders[info - infos] (run_dir, partial, error);
  if (plot == NULL)
    {
      /* a builder that fails must say why */
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: could not be drawn from %s",
                     name, run_dir);
      else
        g_prefix_error (error, "%s: ", name);
    }
  return plot;
}

char *
vesicle_figure_names_text (const char *figures)
{
  g_auto(GStrv) parts = g_strsplit (figures ? figures : "", ",", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (*p == '\0')
        continue;
      if (s->len)
        g_string_append (s, " · ");
      /* Translators: "Fig %s" is a figure of the paper, e.g. "Fig 2" */
      if (g_str_has_prefix (p, "fig"))
        g_string_append_printf (s, _("Fig %s"), p + 3);
      else if (g_str_has_prefix (p, "app"))
        g_string_append_printf (s, _("Appendix %s"), p + 3);
      else if (g_str_equal (p, "training"))
        g_string_append (s, _("Training curves"));
      else
        g_string_append (s, p);
    }
  return g_string_free (s, FALSE);
}

/* ---- loading ------------------------------------------------------------------------------ */

JsonObject *
vesicle_figure_load_summary (const char  *run_dir,
                             const char  *experiment,
                             gboolean     partial,
                             GError     **error)
{
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  const char *status;

  g_return_val_if_fail (run_dir != NULL, NULL);
  g_return_val_if_fail (experiment != NULL, NULL);

  if (!(rec = vesicle_experiment_record_load (run_dir, error)))
    return NULL;
  if (!g_str_equal (rec->type_name, experiment))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s holds a '%s' experiment; this figure needs a '%s' one", run_dir,
                   rec->type_name, experiment);
      return NULL;
    }

  /* a run in progress or one that stopped early has a partial summary.json: refuse it rather
   * than draw a figure that looks complete, unless the caller says it shows results so far */
  status = vesicle_run_status_to_string (rec->status);
  if (rec->status == VESICLE_RUN_RUNNING && !partial)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   "%s: the '%s' experiment is still running (or was killed); draw it once it "
                   "has completed", run_dir, rec->type_name);
      return NULL;
    }
  if ((rec->status == VESICLE_RUN_FAILED || rec->status == VESICLE_RUN_CANCELLED
       || rec->status == VESICLE_RUN_INTERRUPTED) && !partial)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: the '%s' experiment %s%s%s; run it "
                   "again", run_dir, rec->type_name, status, rec->error ? ": " : "",
                   rec->error ? rec->error : "");
      return NULL;
    }
  return vesicle_experiment_record_load_summary (rec, error);
}

/* ---- reading a summary -------------------------------------------------------------------- */

double *
vesicle_figure_array_doubles (JsonArray   *array,
                              gsize       *n,
                              const char  *what,
                              const char  *run_dir,
                              GError     **error)
{
  guint len = json_array_get_length (array);
  g_autofree double *values = g_new (double, MAX (len, 1));

  for (guint i = 0; i < len; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (node))
        values[i] = NAN;
      else if (JSON_NODE_HOLDS_VALUE (node)
               && (json_node_get_value_type (node) == G_TYPE_DOUBLE
                   || json_node_get_value_type (node) == G_TYPE_INT64))
        values[i] = json_node_get_double (node);
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s/summary.json: \"%s\" holds something other than a number at [%u]",
                       run_dir, what, i);
          return NULL;
        }
    }
  *n = len;
  return g_steal_pointer (&values);
}

JsonArray *
vesicle_figure_get_array (JsonObject  *object,
                          const char  *member,
                          const char  *run_dir,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json: \"%s\" is %s", run_dir, member,
                   node == NULL ? "missing" : "not a list");
      return NULL;
    }
  return json_node_get_array (node);
}

double *
vesicle_figure_get_doubles (JsonObject  *object,
                            const char  *member,
                            gsize       *n,
                            const char  *run_dir,
                            GError     **error)
{
  JsonArray *array = vesicle_figure_get_array (object, member, run_dir, error);

  return array ? vesicle_figure_array_doubles (array, n, member, run_dir, error) : NULL;
}


/* ---- in a worker ------------------------------------------------------------------------- */

typedef struct {
  char               *name;
  char               *run_dir;
  gboolean            partial;
  char               *path;
  VesicleExportFormat format;
  double              width_mm;
  double              height_mm;
  double              dpi;
} FigureJob;

static void
figure_job_free (gpointer data)
{
  FigureJob *job = data;

  g_free (job->name);
  g_free (job->run_dir);
  g_free (job->path);
  g_free (job);
}

static FigureJob *
figure_job_new (const char *name,
                const char *run_dir,
                gboolean    partial)
{
  FigureJob *job = g_new0 (FigureJob, 1);

  job->name = g_strdup (name);
  job->run_dir = g_strdup (run_dir);
  job->partial = partial;
  return job;
}

static void
build_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FigureJob *job = task_data;
  GError *error = NULL;
  VesiclePlot *plot = vesicle_figure_build_partial (job->name, job->run_dir, job->partial, &error);

  if (plot)
    g_task_return_pointer (task, plot, (GDestroyNotify) vesicle_plot_free);
  else
    g_task_return_error (task, error);
}

void
vesicle_figure_build_async (const char          *name,
                            const char          *run_dir,
                            gboolean             partial,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (name != NULL && run_dir != NULL);
  g_task_set_source_tag (task, vesicle_figure_build_async);
  g_task_set_task_data (task, figure_job_new (name, run_dir, partial), figure_job_free);
  g_task_run_in_thread (task, build_in_thread);
}

VesiclePlot *
vesicle_figure_build_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  FigureJob *job = task_data;
  GError *error = NULL;
  g_autoptr(VesiclePlot) plot = vesicle_figure_build_partial (job->name, job->run_dir,
                                                              job->partial, &error);

  if (plot && vesicle_plot_export (plot, job->path, job->format, job->width_mm, job->height_mm,
                                   job->dpi, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vesicle_figure_export_async (const char          *name,
                             const char          *run_dir,
                             gboolean             partial,
                             const char          *path,
                             VesicleExportFormat  format,
                             double               width_mm,
                             double               height_mm,
                             double               dpi,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  FigureJob *job = figure_job_new (name, run_dir, partial);

  g_return_if_fail (name != NULL && run_dir != NULL && path != NULL);
  job->path = g_strdup (path);
  job->format = format;
  job->width_mm = width_mm;
  job->height_mm = height_mm;
  job->dpi = dpi;
  g_task_set_source_tag (task, vesicle_figure_export_async);
  g_task_set_task_data (task, job, figure_job_free);
  g_task_run_in_thread (task, export_in_thread);
}

gboolean
vesicle_figure_export_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
