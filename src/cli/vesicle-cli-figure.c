/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli figure: `list` names the paper's figures and the experiment each reads;
 * `NAME --from DIR --out FILE [--format svg|pdf|png|csv] [--width-mm W] [--height-mm H]
 * [--dpi D]` draws one from a finished experiment folder. No device is opened: a figure only
 * reads the saved summary.
 */
#include "vesicle-cli.h"
#include "vesicle-figure.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Sizes a person could mean: a figure from a stamp to A0, and a PNG Cairo can allocate (its
 * surfaces stop at 32767 pixels a side; 20000 leaves room and about 1.6 GB at most). */
#define MIN_MM      10.0
#define MAX_MM      1000.0
#define MIN_DPI     30.0
#define MAX_DPI     2400.0
#define MAX_PIXELS  20000.0
#define DEFAULT_DPI 300.0
/* an option not given; not NaN, which "--width-mm nan" would give */
#define UNSET       (-G_MAXDOUBLE)

static int
list_figures (void)
{
  gsize n;
  const VesicleFigureInfo *figures = vesicle_figure_list (&n);

  for (gsize i = 0; i < n; i++)
    printf ("%-5s  %-11s  %s  [%.0f x %.0f mm]\n", figures[i].name, figures[i].experiment,
            figures[i].title, figures[i].width_mm, figures[i].height_mm);
  return 0;
}

static int
fail_printf (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
fail_printf (const char *format,
             ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  return vesicle_cli_fail_msg ("figure", msg);
}

/* UNSET: not given. Otherwise it must lie in [lo, hi]. */
static gboolean
check_range (const char *option,
             double      value,
             double      lo,
             double      hi,
             const char *unit)
{
  if (value == UNSET || (isfinite (value) && value >= lo && value <= hi))
    return TRUE;
  fail_printf ("%s %g is out of range; use %g to %g%s", option, value, lo, hi, unit);
  return FALSE;
}

int
vesicle_cli_figure (int    argc,
                    char **argv)
{
  g_autofree char *from = NULL, *out = NULL, *format_name = NULL;
  double width_mm = UNSET, height_mm = UNSET, dpi = UNSET, h_mm;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "Experiment folder to draw from (required)", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "File to write (required)", "FILE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "svg, pdf, png or csv (default: --out's extension)", "F" },
    { "width-mm", 0, 0, G_OPTION_ARG_DOUBLE, &width_mm, "Width in mm (default: the figure's; journal columns 85, 114, 174)", "W" },
    { "height-mm", 0, 0, G_OPTION_ARG_DOUBLE, &height_mm, "Height in mm (default: the figure's, or its proportions at --width-mm)", "H" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, "Resolution of a PNG (default 300)", "D" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only print errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("list | NAME --from DIR --out FILE — draw one of the paper's figures");
  g_autoptr(GError) error = NULL;
  g_autoptr(VesiclePlot) plot = NULL;
  g_autofree char *out_dir = NULL;
  const VesicleFigureInfo *info;
  VesicleExportFormat format;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("figure", error);
  if (argc < 2)
    return vesicle_cli_fail_msg ("figure", "name a figure, or 'list' to see them");
  if (g_str_equal (argv[1], "list"))
    return list_figures ();
  if (argc > 2)
    return fail_printf ("unexpected argument '%s'", argv[2]);
  if (!(info = vesicle_figure_lookup (argv[1])))
    return fail_printf ("no figure '%s' (see 'vesicle-cli figure list')", argv[1]);
  if (from == NULL)
    return fail_printf ("--from DIR is required (a '%s' experiment folder)", info->experiment);
  if (out == NULL)
    return vesicle_cli_fail_msg ("figure", "--out FILE is required (the file to write)");

  {
    const char *dot = strrchr (out, '.');
    VesicleExportFormat from_name = VESICLE_EXPORT_SVG;
    gboolean named = dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL
                     && vesicle_export_format_parse (dot + 1, &from_name);

    if (format_name != NULL)
      {
        if (!vesicle_export_format_parse (format_name, &format))
          return fail_printf ("--format '%s' is not one of svg, pdf, png, csv", format_name);
        /* --format wins, but a PDF called .svg is likely a slip */
        if (named && from_name != format && !quiet)
          fprintf (stderr, "vesicle-cli figure: note: writing %s to %s, as --format says\n",
                   vesicle_export_format_name (format), out);
      }
    else if (named)
      format = from_name;
    else
      return fail_printf ("cannot tell the format from --out '%s'; end it in .svg, .pdf, .png "
                          "or .csv, or give --format", out);
  }

  if (!check_range ("--width-mm", width_mm, MIN_MM, MAX_MM, " mm")
      || !check_range ("--height-mm", height_mm, MIN_MM, MAX_MM, " mm")
      || !check_range ("--dpi", dpi, MIN_DPI, MAX_DPI, ""))
    return 1;
  if (format != VESICLE_EXPORT_PNG && dpi != UNSET && !quiet)
    fprintf (stderr, "vesicle-cli figure: note: --dpi only applies to PNG\n");
  if (dpi == UNSET)
    dpi = DEFAULT_DPI;
  /* no size: the figure's own. A width alone: height 0, which the export turns into the
   * height for that width (a narrow one reflows the panels into fewer columns and more rows,
   * so the registry's height, made for its own width, would squash them) */
  if (width_mm == UNSET)
    {
      width_mm = info->width_mm;
      if (height_mm == UNSET)
        height_mm = info->height_mm;
    }
  if (height_mm == UNSET)
    height_mm = 0.0;
  out_dir = g_path_get_dirname (out);
  if (!g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    return fail_printf ("--out: the folder %s does not exist", out_dir);

  if (!(plot = vesicle_figure_build (info->name, from, &error)))
    return vesicle_cli_fail ("figure", error);
  /* the height the export will use, for the pixel check and the message */
  h_mm = height_mm > 0 ? height_mm : vesicle_plot_export_height_mm (plot, width_mm);
  if (format == VESICLE_EXPORT_PNG && MAX (width_mm, h_mm) / 25.4 * dpi > MAX_PIXELS)
    return fail_printf ("--dpi %g at %g x %.0f mm makes a PNG over %.0f pixels a side; lower "
                        "--dpi or the size", dpi, width_mm, h_mm, MAX_PIXELS);
  ok = vesicle_plot_export (plot, out, format, width_mm, height_mm, dpi, &error);
  if (!ok)
    return vesicle_cli_fail ("figure", error);

  if (!quiet)
    {
      guint skipped = vesicle_plot_n_skipped (plot);

      if (format == VESICLE_EXPORT_CSV)
        fprintf (stderr, "vesicle-cli: %s data written to %s\n", info->name, out);
      else if (format == VESICLE_EXPORT_PNG)
        fprintf (stderr, "vesicle-cli: %s written to %s (%g x %.0f mm, %g dpi)\n", info->name,
                 out, width_mm, h_mm, dpi);
      else
        fprintf (stderr, "vesicle-cli: %s written to %s (%g x %.0f mm)\n", info->name, out,
                 width_mm, h_mm);
      if (skipped > 0)
        fprintf (stderr, "vesicle-cli: %u point(s) left out: not finite, or not positive on a "
                 "log axis\n", skipped);
    }
  return 0;
}
