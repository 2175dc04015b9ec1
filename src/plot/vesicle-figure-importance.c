/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures of the "importance" and "zero-hidden" experiments (vesicle-exp-importance.c): the
 * optimised noise sigma^2 of every weight of a layer against its Hessian, its learning rate and
 * its input rate, on log-log axes, with the least-squares line of log10 sigma^2 on log10 x.
 *   fig5  the hidden-to-hidden layer (layer 2) of the network at c x 1 (Fig 5a, b, c);
 *   app6  every layer at c x 1 (Appendix 6, figure 1), then layer 2 at the other c factors, c x 10
 *         then c / 10 (Appendix 6, figure 2), one row each, in one figure;
 *   app5  the zero-hidden 784-10 networks, a row per rho (Appendix 5: "the biological slopes tend
 *         to match the rho = 2 better than the other values"), beside Eq 54's analytic slopes
 *         (blue) and, on the third panel, the slope -0.62 measured in V1 (Fig 6b, red dashed);
 *         that panel is against the input power <x^2>, the quantity of Eq 54b, when the
 *         experiment saved it (else the input rate).
 * Columns are found by name in summary.json's "files" entries, and the slopes and their 95%
 * intervals are the experiment's own ("slopes"), so a figure says what the summary says. The
 * lines are drawn through the centroid of the fitted points (the least-squares line passes
 * through it); zeros (weights from pixels that are blank in every image have no Hessian and no
 * input) cannot sit on a log axis and are left out, as the fit left them out.
 */
#include "vesicle-figure-private.h"
#include "vesicle-figure-common.h"
#include "vesicle-file.h"
#include "vesicle-run.h"
#include "vesicle-fit.h"

#include <math.h>
#include <string.h>

/* The three relations of Fig 5, in its panel order (the caption's: a Hessian, b learning rate,
 * c input rate). */
typedef enum {
  RELATION_HESSIAN,
  RELATION_LEARNING_RATE,
  RELATION_INPUT_RATE,
  N_RELATIONS
} Relation;

static const struct {
  const char *column;  /* the .npy column and the slope's "against" */
  const char *label;   /* x axis, Pango markup */
} relations[N_RELATIONS] = {
  { "hessian", "Hessian H<sub>ii</sub>" },
  { "learning_rate", "learning rate η<sub>i</sub>" },
  { "input_rate", "input rate ⟨|x<sub>i</sub>|⟩" },
};

/* Appendix 5's third panel: Eq 54b is about the input power <x^2>, which the experiment saves
 * beside the rate (mean |x|, the authors' measure) since the Fisher-based importance. */
#define INPUT_POWER_COLUMN "input_power"
#define INPUT_POWER_LABEL  "input power ⟨x<sub>i</sub><sup>2</sup>⟩"

#define SIGMA2_LABEL "σ<sup>2</sup>"

/* Appendix 5's analytic (blue) and experimental (red, as the paper's) lines. */
#define COLOR_ANALYTIC     ((VesicleColor) { 0.000, 0.447, 0.698 })
#define COLOR_EXPERIMENTAL ((VesicleColor) { 0.839, 0.153, 0.157 })
#define COLOR_FIT          ((VesicleColor) { 0.25, 0.25, 0.25 })

/* One weight layer of one network, read back from its importance-<k>-layer<l>.npy. */
typedef struct {
  guint       network;
  guint       layer;                    /* 1-based, as the summary counts */
  guint       n_layers;                 /* of the network, for the layer's name */
  double      rho;
  double      c;
  double      c_factor;
  gsize       n;                        /* weights */
  double     *sigma2;                   /* (n) */
  double     *x[N_RELATIONS];           /* (n) each */
  JsonObject *slope[N_RELATIONS];       /* the summary's fit (borrowed), NULL if absent */
  const char *column[N_RELATIONS];      /* the columns read: relations[r].column, or the power */
} Layer;

static void
layer_clear (Layer *layer)
{
  g_clear_pointer (&layer->sigma2, g_free);
  for (guint r = 0; r < N_RELATIONS; r++)
    g_clear_pointer (&layer->x[r], g_free);
}

/* One end of a weight layer: unit layer 0 is the input, @n_layers the output. */
static char *
units_name (guint index,
            guint n_layers)
{
  if (index == 0)
    return g_strdup ("input");
  if (index == n_layers)
    return g_strdup ("output");
  if (n_layers == 2)
    return g_strdup ("hidden");
  return g_strdup_printf ("hidden %u", index);
}

/* "Layer 2 (hidden 1 → hidden 2)" */
static char *
layer_name (guint layer,
            guint n_layers)
{
  g_autofree char *from = units_name (layer - 1, n_layers);
  g_autofree char *to = units_name (layer, n_layers);

  return g_strdup_printf ("Layer %u (%s → %s)", layer, from, to);
}

/* "c × 10", "c / 10", "c" (the preset's c) with its value. */
static char *
c_name (double c,
        double factor)
{
  g_autofree char *value = vesicle_format_value_markup (c);

  if (!(factor > 0) || !isfinite (factor) || fabs (log10 (factor)) < 1e-9)
    return g_strdup_printf ("c = %s", value);
  if (factor > 1)
    {
      g_autofree char *f = vesicle_format_value_markup (factor);

      return g_strdup_printf ("c × %s = %s", f, value);
    }
  {
    g_autofree char *f = vesicle_format_value_markup (1 / factor);

    return g_strdup_printf ("c / %s = %s", f, value);
  }
}

/* The summary's networks entry whose c_factor is nearest (in log) to @factor. */
static JsonObject *
find_network (JsonObject *summary,
              double      factor)
{
  JsonArray *networks = vesicle_json_get_array (summary, "networks");
  JsonObject *best = NULL;
  double best_d = INFINITY;

  for (guint i = 0; networks && i < json_array_get_length (networks); i++)
    {
      JsonObject *o = vesicle_json_array_get_object (networks, i);
      double f, d;

      if (o == NULL)
        continue;
      f = vesicle_json_get_double (o, "c_factor");
      if (!(f > 0))
        f = 1;
      d = fabs (log (f / factor));
      if (d < best_d)
        {
          best_d = d;
          best = o;
        }
    }
  return best;
}

static guint
count_layers (JsonObject *summary,
              guint       network)
{
  JsonArray *files = vesicle_json_get_array (summary, "files");
  guint n = 0;

  for (guint i = 0; files && i < json_array_get_length (files); i++)
    {
      JsonObject *f = vesicle_json_array_get_object (files, i);

      if (vesicle_json_get_int (f, "network", -1) == network)
        n = MAX (n, (guint) vesicle_json_get_int (f, "layer", 0));
    }
  return n;
}

static JsonObject *
find_slope (JsonObject *summary,
            guint       network,
            guint       layer,
            const char *against)
{
  JsonArray *slopes = vesicle_json_get_array (summary, "slopes");

  for (guint i = 0; slopes && i < json_array_get_length (slopes); i++)
    {
      JsonObject *o = vesicle_json_array_get_object (slopes, i);

      if (vesicle_json_get_int (o, "network", -1) == network
          && vesicle_json_get_int (o, "layer", -1) == layer
          && g_strcmp0 (json_object_get_string_member_with_default (o, "against", NULL),
                        against) == 0)
        return o;
    }
  return NULL;
}

static int
find_column (JsonArray  *columns,
             const char *name)
{
  for (guint q = 0; columns && q < json_array_get_length (columns); q++)
    if (g_strcmp0 (json_array_get_string_element (columns, q), name) == 0)
      return q;
  return -1;
}

/* Reads network @network's layer @layer: its table, the columns by name, and its slopes; with
 * @input_power, the input power in place of the input rate where the table has it. */
static gboolean
load_layer (Layer       *out,
            const char  *run_dir,
            JsonObject  *summary,
            JsonObject  *network_entry,
            guint        layer,
            gboolean     input_power,
            GError     **error)
{
  JsonArray *files = vesicle_json_get_array (summary, "files");
  guint network = vesicle_json_get_int (network_entry, "network", 0);
  JsonObject *file = NULL;
  JsonArray *columns;
  g_autofree char *path = NULL;
  g_autofree float *table = NULL;
  int col_sigma, col_x[N_RELATIONS];
  gsize dims[4];
  guint n_dims;

  for (guint i = 0; files && i < json_array_get_length (files); i++)
    {
      JsonObject *f = vesicle_json_array_get_object (files, i);

      if (vesicle_json_get_int (f, "network", -1) == network
          && vesicle_json_get_int (f, "layer", -1) == layer)
        file = f;
    }
  if (file == NULL || json_object_get_string_member_with_default (file, "path", NULL) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json lists no table for network %u, layer %u", run_dir,
                   network, layer);
      return FALSE;
    }
  columns = vesicle_json_get_array (file, "columns");
  col_sigma = find_column (columns, "sigma2");
  for (guint r = 0; r < N_RELATIONS; r++)
    {
      out->column[r] = relations[r].column;
      if (r == RELATION_INPUT_RATE && input_power && find_column (columns, INPUT_POWER_COLUMN) >= 0)
        out->column[r] = INPUT_POWER_COLUMN;
      col_x[r] = find_column (columns, out->column[r]);
      if (col_x[r] < 0 || col_sigma < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s/summary.json: the table of network %u, layer %u has no '%s' "
                       "column", run_dir, network, layer,
                       col_sigma < 0 ? "sigma2" : out->column[r]);
          return FALSE;
        }
    }
  {
    g_autofree char *source = g_build_filename (run_dir, "summary.json", NULL);

    /* a path from the file stays inside the folder */
    if (!(path = vesicle_file_inside (run_dir, json_object_get_string_member (file, "path"),
                                      source, error)))
      return FALSE;
  }
  if (!(table = vesicle_read_npy (path, dims, &n_dims, error)))
    return FALSE;
  if (n_dims != 2 || dims[1] != json_array_get_length (columns))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s holds %u dimensions of which the last is %" G_GSIZE_FORMAT
                   ", but summary.json names %u columns", path, n_dims, dims[n_dims - 1],
                   json_array_get_length (columns));
      return FALSE;
    }

  out->network = network;
  out->layer = layer;
  out->n_layers = count_layers (summary, network);
  out->rho = vesicle_json_get_double (network_entry, "rho");
  out->c = vesicle_json_get_double (network_entry, "c");
  out->c_factor = vesicle_json_get_double (network_entry, "c_factor");
  out->n = dims[0];
  out->sigma2 = g_new (double, out->n);
  for (gsize j = 0; j < out->n; j++)
    out->sigma2[j] = table[j * dims[1] + col_sigma];
  for (guint r = 0; r < N_RELATIONS; r++)
    {
      out->x[r] = g_new (double, out->n);
      for (gsize j = 0; j < out->n; j++)
        out->x[r][j] = table[j * dims[1] + col_x[r]];
      out->slope[r] = find_slope (summary, network, layer, out->column[r]);
    }
  return TRUE;
}

/* Where a line of the fit passes: the centroid of the points a log-log fit can use. */
static gboolean
log_centroid (const double *x,
              const double *y,
              gsize         n,
              double       *x0,
              double       *y0)
{
  double sx = 0, sy = 0;
  gsize m = 0;

  for (gsize j = 0; j < n; j++)
    if (x[j] > 0 && y[j] > 0 && isfinite (x[j]) && isfinite (y[j]))
      {
        sx += log10 (x[j]);
        sy += log10 (y[j]);
        m++;
      }
  if (m == 0)
    return FALSE;
  *x0 = pow (10, sx / m);
  *y0 = pow (10, sy / m);
  return TRUE;
}

/* Alpha for @n overlapping dots: a few hundred stay solid, ten thousand become a density. */
static double
scatter_alpha (gsize n)
{
  return CLAMP (600.0 / MAX (n, 1), 0.12, 0.8);
}

/* The figure's basic panel: the weights as dots and the fitted line through their centroid
 * (x0, y0). Returns the slope entry used, NULL if the summary has none or nothing can be drawn
 * on log axes. */
static JsonObject *
draw_relation (VesiclePanel *panel,
               const Layer  *layer,
               Relation      relation,
               double       *x0,
               double       *y0)
{
  JsonObject *fit = layer->slope[relation];
  double slope = fit ? vesicle_json_get_double (fit, "slope") : NAN;

  vesicle_panel_set_scales (panel, VESICLE_SCALE_LOG, VESICLE_SCALE_LOG);
  vesicle_panel_set_labels (panel,
                            g_strcmp0 (layer->column[relation], INPUT_POWER_COLUMN) == 0
                            ? INPUT_POWER_LABEL : relations[relation].label,
                            SIGMA2_LABEL);
  vesicle_panel_add_scatter (panel, layer->x[relation], layer->sigma2, layer->n,
                             VESICLE_COLOR_HETEROGENEOUS, VESICLE_MARKER_CIRCLE, 1.4,
                             scatter_alpha (layer->n), "synapses");
  /* the cloud is named for the CSV export; the legend names the lines and their slopes, and
   * the renderer puts it where it covers no synapse (outside the panel if need be) */
  vesicle_panel_set_key (panel, NULL);
  vesicle_panel_set_legend (panel, TRUE);
  if (!log_centroid (layer->x[relation], layer->sigma2, layer->n, x0, y0) || !isfinite (slope))
    return NULL;
  vesicle_panel_add_reference (panel, *x0, *y0, slope, COLOR_FIT, VESICLE_DASH_SOLID,
                               "fitted slope");
  return fit;
}

/* Fig 5's panel: the relation with its fitted slope and 95% interval in the panel's title, under
 * @heading if given (a row's name). Above the plotting area the text covers no synapse and
 * takes none of the panel's width, which a legend beside a dense cloud would. */
static void
draw_relation_with_slope (VesiclePanel *panel,
                          const Layer  *layer,
                          Relation      relation,
                          const char   *heading)
{
  double x0, y0;
  JsonObject *fit = draw_relation (panel, layer, relation, &x0, &y0);
  g_autofree char *text = NULL, *title = NULL;

  vesicle_panel_set_legend (panel, FALSE);
  if (fit != NULL)
    text = vesicle_figure_format_slope ("fitted slope ", vesicle_json_get_double (fit, "slope"),
                                        vesicle_json_get_double (fit, "ci_low"),
                                        vesicle_json_get_double (fit, "ci_high"));
  if (heading && text)
    title = g_strdup_printf ("%s\n%s", heading, text);
  else
    title = g_strdup (heading ? heading : text);
  if (title)
    vesicle_panel_set_title (panel, title);
}

/* The network at the preset's c (factor 1) and how many weight layers its tables cover. */
static JsonObject *
reference_network (const char  *run_dir,
                   JsonObject  *summary,
                   guint       *n_layers,
                   GError     **error)
{
  JsonObject *network = find_network (summary, 1.0);

  *n_layers = 0;
  if (network != NULL)
    *n_layers = count_layers (summary, vesicle_json_get_int (network, "network", 0));
  if (network == NULL || *n_layers == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s/summary.json lists no networks with importance tables", run_dir);
      return NULL;
    }
  return network;
}

/* "Layer 2 (hidden 1 → hidden 2), 10,000 synapses, ρ = 1/2, c = 0.0632" */
static char *
layer_title (const Layer *layer,
             gboolean     with_layer)
{
  g_autofree char *name = layer_name (layer->layer, layer->n_layers);
  g_autofree char *count = vesicle_format_count (layer->n);
  g_autofree char *rho = vesicle_format_ratio (layer->rho);
  g_autofree char *c = c_name (layer->c, layer->c_factor);

  return g_strdup_printf ("%s, %s synapses, ρ = %s, %s", with_layer ? name : "No hidden layer",
                          count, rho, c);
}

/* Fig 5: the hidden-to-hidden weights (layer 2; the last layer of a network with fewer) of the
 * network at the preset's c, in one row of three panels. */
VesiclePlot *
vesicle_figure_build_fig5 (const char *run_dir,
                           gboolean     partial,
                           GError    **error)
{
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(VesiclePlot) plot = NULL;
  g_autofree char *title = NULL;
  JsonObject *network;
  Layer layer = { 0 };
  guint n_layers;

  if (!(summary = vesicle_figure_load_summary (run_dir, "importance", partial, error))
      || !(network = reference_network (run_dir, summary, &n_layers, error))
      || !load_layer (&layer, run_dir, summary, network, MIN (2, n_layers), FALSE, error))
    return NULL;

  plot = vesicle_plot_new (1, N_RELATIONS);
  vesicle_plot_share_y_by_row (plot, TRUE);
  vesicle_plot_set_aspect (plot, 0.36);
  title = layer_title (&layer, TRUE);
  vesicle_plot_set_title (plot, title);
  for (guint r = 0; r < N_RELATIONS; r++)
    draw_relation_with_slope (vesicle_plot_get_panel (plot, 0, r), &layer, r, NULL);
  layer_clear (&layer);
  return g_steal_pointer (&plot);
}

static int
compare_factor_descending (gconstpointer a,
                           gconstpointer b)
{
  double fa = vesicle_json_get_double (*(JsonObject **) a, "c_factor");
  double fb = vesicle_json_get_double (*(JsonObject **) b, "c_factor");

  return fa > fb ? -1 : fa < fb ? 1 : 0;
}

/* The fraction of @layer's synapses piled at the top of its sigma^2: within 10% of the 99.5th
 * percentile (the largest few stray above a pile, so the largest itself is no reference). A
 * spread over decades puts about 1% there; a pile puts its whole share. */
static double
ceiling_fraction (const Layer *layer)
{
  g_autofree double *v = g_new (double, MAX (layer->n, 1));
  gsize m = 0, at_top = 0;
  double top;

  for (gsize i = 0; i < layer->n; i++)
    if (isfinite (layer->sigma2[i]))
      v[m++] = layer->sigma2[i];
  if (m == 0)
    return 0;
  qsort (v, m, sizeof (double), vesicle_compare_doubles);
  top = v[MIN (m - 1, (gsize) (0.995 * m))];
  for (gsize i = 0; i < m; i++)
    at_top += v[i] >= 0.9 * top;
  return (double) at_top / layer->n;
}

/* Appendix 6: one row per layer at c x 1 (figure 1, which the paper draws for layers 1 and 3
 * beside Fig 5's layer 2; all of them here so that the rows compare), then one row of layer 2
 * for each other c factor, larger first (figure 2: a, c x 10; b, c / 10). Rows share their
 * sigma^2 axis; the first panel of each row names its layer and c. */
VesiclePlot *
vesicle_figure_build_app6 (const char *run_dir,
                           gboolean     partial,
                           GError    **error)
{
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(VesiclePlot) plot = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  JsonObject *reference;
  JsonArray *networks;
  guint n_layers, n_rows;

  if (!(summary = vesicle_figure_load_summary (run_dir, "importance", partial, error))
      || !(reference = reference_network (run_dir, summary, &n_layers, error)))
    return NULL;

  networks = vesicle_json_get_array (summary, "networks");
  for (guint i = 0; i < json_array_get_length (networks); i++)
    {
      JsonObject *o = vesicle_json_array_get_object (networks, i);

      if (o != NULL && o != reference)
        g_ptr_array_add (others, o);
    }
  g_ptr_array_sort (others, compare_factor_descending);

  n_rows = n_layers + others->len;
  plot = vesicle_plot_new (n_rows, N_RELATIONS);
  vesicle_plot_share_y_by_row (plot, TRUE);
  vesicle_plot_set_aspect (plot, MIN (0.3 * n_rows, 1.3));
  for (guint row = 0; row < n_rows; row++)
    {
      JsonObject *network = row < n_layers ? reference : others->pdata[row - n_layers];
      guint l = row < n_layers ? row + 1 : MIN (2, n_layers);
      g_autofree char *name = NULL, *c = NULL, *title = NULL;
      Layer layer = { 0 };
      double ceiling;

      if (!load_layer (&layer, run_dir, summary, network, l, FALSE, error))
        return NULL;
      name = layer_name (layer.layer, layer.n_layers);
      c = c_name (layer.c, layer.c_factor);
      ceiling = ceiling_fraction (&layer);
      /* a pile at one largest sigma is what synapses that little data reaches (blank pixels)
       * look like: their noise climbs at Adam's pace under the cost alone, all together. The
       * title states the pile, which is measured; the cause is the docs' to argue */
      if (ceiling >= 0.05)
        title = g_strdup_printf ("%s, %s\n%.0f%% of synapses pile up at the top σ²",
                                 name, c, 100 * ceiling);
      else
        title = g_strdup_printf ("%s, %s", name, c);
      for (guint r = 0; r < N_RELATIONS; r++)
        draw_relation_with_slope (vesicle_plot_get_panel (plot, row, r), &layer, r,
                                  r == 0 ? title : NULL);
      layer_clear (&layer);
    }
  return g_steal_pointer (&plot);
}

static int
compare_rho (gconstpointer a,
             gconstpointer b)
{
  double ra = vesicle_json_get_double (*(JsonObject **) a, "rho");
  double rb = vesicle_json_get_double (*(JsonObject **) b, "rho");

  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/* For each distinct rho, smallest first, the network at the preset's c (the factor nearest 1). */
static GPtrArray *
networks_by_rho (JsonObject *summary)
{
  JsonArray *networks = vesicle_json_get_array (summary, "networks");
  GPtrArray *chosen = g_ptr_array_new ();

  for (guint i = 0; networks && i < json_array_get_length (networks); i++)
    {
      JsonObject *o = vesicle_json_array_get_object (networks, i);
      double rho = o ? vesicle_json_get_double (o, "rho") : NAN;
      double f = o ? vesicle_json_get_double (o, "c_factor") : NAN;
      guint j;

      if (!isfinite (rho))
        continue;
      if (!(f > 0))
        f = 1;
      for (j = 0; j < chosen->len; j++)
        if (vesicle_json_get_double (chosen->pdata[j], "rho") == rho)
          break;
      if (j == chosen->len)
        g_ptr_array_add (chosen, o);
      else
        {
          double g = vesicle_json_get_double (chosen->pdata[j], "c_factor");

          if (fabs (log (f)) < fabs (log (g > 0 ? g : 1)))
            chosen->pdata[j] = o;
        }
    }
  g_ptr_array_sort (chosen, compare_rho);
  return chosen;
}

/* One row of Appendix 5: the network's only layer, with the fitted (grey), analytic (Eq 54,
 * blue) and, against the input power, experimental (Fig 6b, red dashed) slopes, all drawn
 * through the same centroid so that only their slopes differ; a key in the lines' colours names
 * each. */
static void
draw_app5_row (VesiclePlot *plot,
               guint        row,
               const Layer *layer,
               double       experimental)
{
  for (guint r = 0; r < N_RELATIONS; r++)
    {
      VesiclePanel *panel = vesicle_plot_get_panel (plot, row, r);
      g_autofree char *fit_text = NULL, *value = NULL;
      double x0, y0, analytic;
      JsonObject *fit;

      if (!(fit = draw_relation (panel, layer, r, &x0, &y0)))
        continue;
      /* the fit's interval is a few thousandths wide with 7,840 weights: nothing beside its
       * distance from the other two lines */
      value = vesicle_format_signed (vesicle_json_get_double (fit, "slope"), 2);
      fit_text = g_strdup_printf ("fit %s", value);
      vesicle_panel_set_key (panel, fit_text);

      analytic = vesicle_json_get_double (fit, "analytic");
      if (!isfinite (analytic) && isfinite (layer->rho))
        analytic = (r == RELATION_LEARNING_RATE ? 4.0 : -2.0) / (layer->rho + 2.0);
      if (isfinite (analytic))
        {
          g_autofree char *a = vesicle_format_signed (analytic, 2);
          g_autofree char *text = g_strdup_printf ("Eq. 54 %s", a);

          vesicle_panel_add_reference (panel, x0, y0, analytic, COLOR_ANALYTIC,
                                       VESICLE_DASH_SOLID, "analytic slope (Eq. 54)");
          vesicle_panel_set_key (panel, text);
        }
      if (r == RELATION_INPUT_RATE)
        {
          g_autofree char *measured = vesicle_format_signed (experimental, 2);
          g_autofree char *text = g_strdup_printf ("V1 data, Fig. 6b %s", measured);

          vesicle_panel_add_reference (panel, x0, y0, experimental, COLOR_EXPERIMENTAL,
                                       VESICLE_DASH_DASHED, "experimental slope (Fig 6b)");
          vesicle_panel_set_key (panel, text);
        }
    }
}

/* Appendix 5: a row per rho of the zero-hidden networks (at the preset's c), sharing each row's
 * sigma^2 axis; the first panel of each row names its rho and c. */
VesiclePlot *
vesicle_figure_build_app5 (const char *run_dir,
                           gboolean     partial,
                           GError    **error)
{
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(VesiclePlot) plot = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  double experimental;
  guint n_layers;

  if (!(summary = vesicle_figure_load_summary (run_dir, "zero-hidden", partial, error))
      || !reference_network (run_dir, summary, &n_layers, error))
    return NULL;
  experimental = vesicle_json_get_double (summary, "experimental_slope");
  if (!isfinite (experimental))
    experimental = -0.62;
  rows = networks_by_rho (summary);

  plot = vesicle_plot_new (rows->len, N_RELATIONS);
  vesicle_plot_share_y_by_row (plot, TRUE);
  vesicle_plot_set_aspect (plot, MIN (0.1 + 0.3 * rows->len, 1.3));
  for (guint row = 0; row < rows->len; row++)
    {
      Layer layer = { 0 };
      g_autofree char *title = NULL;

      if (!load_layer (&layer, run_dir, summary, rows->pdata[row], 1, TRUE, error))
        return NULL;
      title = layer_title (&layer, n_layers > 1);
      if (rows->len == 1)
        vesicle_plot_set_title (plot, title);
      else
        {
          /* the figure names the network once; each row its cost */
          g_autofree char *rho = vesicle_format_ratio (layer.rho);
          g_autofree char *c = c_name (layer.c, layer.c_factor);
          g_autofree char *row_title = g_strdup_printf ("ρ = %s, %s", rho, c);
          g_autofree char *count = vesicle_format_count (layer.n);
          g_autofree char *figure_title = g_strdup_printf ("No hidden layer, %s synapses in each "
                                                           "network", count);

          vesicle_panel_set_title (vesicle_plot_get_panel (plot, row, 0), row_title);
          if (row == 0)
            vesicle_plot_set_title (plot, figure_title);
        }
      draw_app5_row (plot, row, &layer, experimental);
      layer_clear (&layer);
    }
  return g_steal_pointer (&plot);
}
