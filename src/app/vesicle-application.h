/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: its settings (GSettings org.vesicle.Vesicle), the OpenCL devices (listed once
 * in a worker at start-up), the experiments folder, recent experiments and measured device
 * speeds, and the application-wide actions (about, preferences, quit).
 */
#pragma once

#include <adwaita.h>
#include "vesicle-cl-engine.h"

G_BEGIN_DECLS

#define VESICLE_TYPE_APPLICATION (vesicle_application_get_type ())

G_DECLARE_FINAL_TYPE (VesicleApplication, vesicle_application, VESICLE, APPLICATION,
                      AdwApplication)

VesicleApplication *vesicle_application_new                (void);
VesicleApplication *vesicle_application_get_default        (void);
GSettings          *vesicle_application_get_settings       (VesicleApplication *self);

/* VesicleDeviceDescription, or NULL until they are listed ("notify::devices"). */
GPtrArray          *vesicle_application_get_devices        (VesicleApplication *self);
/* Why no device could be listed, or NULL. */
const char         *vesicle_application_get_devices_error  (VesicleApplication *self);
/* The device the "device" setting selects, or NULL. */
const VesicleDeviceDescription *
                    vesicle_application_get_device         (VesicleApplication *self);

/* The devices as a combo row offers them, "Automatic" first, and the position of the one the
 * "device" setting names; choosing position @position sets it. */
GtkStringList      *vesicle_application_dup_device_choices (VesicleApplication *self,
                                                            guint              *selected);
void                vesicle_application_choose_device      (VesicleApplication *self,
                                                            guint               position);

/* Where new experiments go: the setting, else $XDG_DATA_HOME/vesicle/experiments. */
char               *vesicle_application_get_experiments_folder (VesicleApplication *self);
void                vesicle_application_add_recent         (VesicleApplication *self,
                                                            const char         *dir);
void                vesicle_application_remove_recent      (VesicleApplication *self,
                                                            const char         *dir);

/* FLOP/s this device sustained in the last run on it, or a guess for its kind; *measured
 * says which. */
double              vesicle_application_get_device_speed   (VesicleApplication *self,
                                                            const char         *device_name,
                                                            gboolean            gpu,
                                                            gboolean           *measured);
void                vesicle_application_set_device_speed   (VesicleApplication *self,
                                                            const char         *device_name,
                                                            double              flops_per_s);

G_END_DECLS
