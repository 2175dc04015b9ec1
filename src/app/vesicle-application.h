/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: its settings (GSettings org.vesicle.Vesicle), the OpenCL devices (listed once
 * in a worker at start-up), the experiments folder, recent experiments and measured device
 * speeds, and the application-wide actions (about, preferences, quit).
 */
#pragma once

#include <adwaita.h>
#include "vesicle-cl-engine.h"
#include "vesicle-experiment.h"

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

/* How fast a device trains, for estimates (vesicle_experiment_plan_seconds's model). */
typedef enum {
  VESICLE_RATE_MEASURING,   /* not known yet: a trial is running */
  VESICLE_RATE_TRIAL,       /* from a few seconds of training on it */
  VESICLE_RATE_RUN,         /* refined by the last experiment run on it */
  VESICLE_RATE_FAILED,      /* the trial failed: no estimate */
} VesicleRateSource;

typedef struct {
  VesicleSpeed      speed;
  VesicleRateSource source;
} VesicleDeviceRate;

/* @device's rate. The first time one is asked for, a trial of about two seconds
 * (vesicle-cl-rate.h) starts on a worker thread and *rate says MEASURING; "device-rates" changes
 * when it ends. */
void                vesicle_application_get_device_rate    (VesicleApplication             *self,
                                                            const VesicleDeviceDescription *device,
                                                            VesicleDeviceRate              *rate);
/* After a run on @device_name that took @seconds of training where the rate predicted
 * @estimated: the rate scaled so that it would have predicted this run. */
void                vesicle_application_refine_device_rate (VesicleApplication *self,
                                                            const char         *device_name,
                                                            double              estimated,
                                                            double              seconds);
/* "measured on this device by a few seconds of training", for the estimates' labels. */
const char         *vesicle_device_rate_describe           (const VesicleDeviceRate *rate);

G_END_DECLS
