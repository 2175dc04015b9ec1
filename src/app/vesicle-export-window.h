/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exporting a figure: SVG, PDF, PNG or the plotted numbers as CSV; the journals' widths (85,
 * 114, 174 mm) or any other, a height (its own at that width by default), the resolution of a
 * PNG; a preview of the file at that size; a name suggested from the experiment and the figure.
 * The file is chosen with GtkFileChooserNative (the portal in a Flatpak) and written in a
 * worker; "exported" gives its path.
 */
#pragma once

#include <adwaita.h>
#include "vesicle-plot.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_EXPORT_WINDOW (vesicle_export_window_get_type ())

G_DECLARE_FINAL_TYPE (VesicleExportWindow, vesicle_export_window, VESICLE, EXPORT_WINDOW,
                      AdwWindow)

/* The formats and the journals' widths as the export rows (and the preferences' defaults)
 * list them. */
#define VESICLE_N_EXPORT_FORMATS 4
#define VESICLE_N_EXPORT_WIDTHS  3
extern const VesicleExportFormat vesicle_export_formats[VESICLE_N_EXPORT_FORMATS];
extern const double              vesicle_export_widths_mm[VESICLE_N_EXPORT_WIDTHS];

/* @dir: the experiment folder; @figures: its figures ("fig2", "fig3"), of which the window
 * offers a choice; @figure: the one chosen first; @partial: draw what an unfinished experiment
 * has. */
VesicleExportWindow *vesicle_export_window_new        (GtkWindow           *parent,
                                                       const char          *dir,
                                                       GPtrArray           *figures,
                                                       const char          *figure,
                                                       gboolean             partial);
/* The figure that Export… writes. */
const char          *vesicle_export_window_get_figure (VesicleExportWindow *self);
/* What the chosen options would write, for tests and the preview. */
const char          *vesicle_export_window_get_suggested_name (VesicleExportWindow *self);
/* Writes to @path with the options shown, as the Export… button does after the file chooser. */
void                 vesicle_export_window_export_to  (VesicleExportWindow *self,
                                                       const char          *path);
/* Sets the options as the rows would: "svg", "pdf", "png" or "csv"; width and height in mm
 * (height <= 0: automatic); dpi. */
void                 vesicle_export_window_set_options (VesicleExportWindow *self,
                                                        const char          *format,
                                                        double               width_mm,
                                                        double               height_mm,
                                                        double               dpi);

G_END_DECLS
