/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-window.h"
#include "vesicle-build-config.h"
#include "vesicle-experiment-sidebar.h"
#include "vesicle-export-window.h"
#include "vesicle-figure.h"
#include "vesicle-file-dialog.h"
#include "vesicle-format.h"
#include "vesicle-reproduction.h"
#include "vesicle-reproduction-view.h"
#include "vesicle-results-view.h"
#include "vesicle-run-view.h"
#include "vesicle-setup-page.h"
#include "vesicle-start-page.h"

#include <glib/gi18n.h>
#include <math.h>
#include <glib/gstdio.h>
#include <errno.h>

/* A run this old is not stopped by one key press without asking. */
#define ASK_BEFORE_CANCEL_S 60.0

struct _VesicleWindow {
  AdwApplicationWindow      parent_instance;

  AdwToastOverlay          *toast_overlay;
  AdwLeaflet               *leaflet;
  VesicleExperimentSidebar *sidebar;
  AdwWindowTitle           *content_title;
  GtkStack                 *stack;
  VesicleStartPage         *start_page;
  VesicleSetupPage         *setup_page;
  VesicleRunView           *run_view;
  VesicleResultsView       *results_view;
  VesicleReproductionView  *reproduction_view;
  GtkWidget                *running_button;
  GtkWidget                *folder_button;
  GtkWidget                *export_button;
  GtkWidget                *run_button;
  GtkLabel                 *running_label;

  gboolean                  close_after_run;
  guint                     running_source;
};

G_DEFINE_FINAL_TYPE (VesicleWindow, vesicle_window, ADW_TYPE_APPLICATION_WINDOW)

/* The results page shows one figure or panel alone: what Alt+Left and Escape go back from. */
static gboolean
showing_one_figure (VesicleWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0
         && vesicle_results_view_get_showing_one (self->results_view);
}

static void update_actions (VesicleWindow *self);

static GSettings *
settings (void)
{
  return vesicle_application_get_settings (vesicle_application_get_default ());
}

static void
toast (VesicleWindow *self,
       const char    *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
show_page (VesicleWindow *self,
           const char    *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_actions (self);
}

static void
update_title (VesicleWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "setup") == 0)
    {
      const VesicleExperimentType *type = vesicle_setup_page_get_experiment (self->setup_page);
      /* the figures it reproduces, not the type's internal name */
      g_autofree char *figures = type ? vesicle_figure_names_text (type->figures) : NULL;

      adw_window_title_set_title (self->content_title, _("New Experiment"));
      adw_window_title_set_subtitle (self->content_title, figures ? figures : "");
    }
  else if (g_strcmp0 (page, "run") == 0)
    {
      g_autofree char *name = vesicle_run_view_get_folder (self->run_view)
                              ? g_path_get_basename (vesicle_run_view_get_folder (self->run_view))
                              : NULL;

      adw_window_title_set_title (self->content_title,
                                  vesicle_run_view_get_running (self->run_view) ? _("Running")
                                                                                : _("Run"));
      adw_window_title_set_subtitle (self->content_title, name ? name : "");
    }
  else if (g_strcmp0 (page, "results") == 0)
    {
      const char *dir = vesicle_results_view_get_folder (self->results_view);
      g_autofree char *name = dir ? g_path_get_basename (dir) : NULL;

      adw_window_title_set_title (self->content_title, name ? name : _("Results"));
      adw_window_title_set_subtitle (self->content_title, _("Saved experiment"));
    }
  else if (g_strcmp0 (page, "reproduction") == 0)
    {
      const char *dir = vesicle_reproduction_view_get_folder (self->reproduction_view);
      g_autofree char *name = dir ? g_path_get_basename (dir) : NULL;

      adw_window_title_set_title (self->content_title, name ? name : _("Reproduction"));
      adw_window_title_set_subtitle (self->content_title, _("Reproduction of the paper"));
    }
  else
    {
      /* the sidebar's header already names the application */
      adw_window_title_set_title (self->content_title, _("Start"));
      adw_window_title_set_subtitle (self->content_title, "");
    }
}

static void
enable (VesicleWindow *self,
        const char    *name,
        gboolean       enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (VesicleWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean running = vesicle_run_view_get_running (self->run_view);
  gboolean results = g_strcmp0 (page, "results") == 0
                     && vesicle_results_view_get_record (self->results_view) != NULL;
  gboolean reproduction = g_strcmp0 (page, "reproduction") == 0;
  const char *shown = vesicle_results_view_get_folder (self->results_view);

  enable (self, "run", g_strcmp0 (page, "setup") == 0 && !running
                       && vesicle_setup_page_get_can_run (self->setup_page));
  enable (self, "cancel", running);
  enable (self, "back", showing_one_figure (self));
  enable (self, "escape", showing_one_figure (self) || running);
  enable (self, "reproduce", !running);
  enable (self, "export", results && vesicle_results_view_get_figure (self->results_view));
  enable (self, "export-figure", results);
  enable (self, "rename", results && !vesicle_run_view_uses_folder (self->run_view, shown));
  enable (self, "show-folder", results || reproduction);
  enable (self, "resume", results && !running
                          && vesicle_experiment_record_can_resume (
                               vesicle_results_view_get_record (self->results_view), NULL));
  vesicle_setup_page_set_busy (self->setup_page, running);
  gtk_widget_set_visible (self->running_button, running && g_strcmp0 (page, "run") != 0);
  gtk_widget_set_visible (self->folder_button, results || reproduction);
  gtk_widget_set_visible (self->export_button, results);
  /* the page's primary action, where GNOME apps put it */
  gtk_widget_set_visible (self->run_button, g_strcmp0 (page, "setup") == 0);
  update_title (self);
}

/* ---- opening saved experiments ------------------------------------------------------------- */

/* A saved thing read and shown: it becomes the first recent entry, on its page. */
static void
show_opened (VesicleWindow *self,
             const char    *dir,
             const char    *page)
{
  vesicle_application_add_recent (vesicle_application_get_default (), dir);
  vesicle_start_page_refresh (self->start_page);
  vesicle_experiment_sidebar_select (self->sidebar, NULL);
  show_page (self, page);
}

static void
on_results_loaded (VesicleResultsView *view,
                   VesicleWindow      *self)
{
  show_opened (self, vesicle_results_view_get_folder (view), "results");
}

static void
on_reproduction_loaded (VesicleReproductionView *view,
                        VesicleWindow           *self)
{
  show_opened (self, vesicle_reproduction_view_get_folder (view), "reproduction");
}

/* Not a reproduction: then one experiment, or refused by the results view with why. */
static void
on_not_reproduction (VesicleReproductionView *view,
                     const char              *dir,
                     VesicleWindow           *self)
{
  vesicle_results_view_load (self->results_view, dir);
}

/* Either view's refusal: the page shown before stays. */
static void
on_results_failed (GtkWidget     *view,
                   const char    *message,
                   VesicleWindow *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_WINDOW (self), _("This Folder Cannot Be Opened"), message));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  update_actions (self);
}

void
vesicle_window_open_folder (VesicleWindow *self,
                            const char    *dir)
{
  g_return_if_fail (VESICLE_IS_WINDOW (self));
  g_return_if_fail (dir != NULL);

  /* a reproduction (experiments in subfolders, the report beside them) opens as one; what it
   * is, is found in a worker: the main loop reads no folder */
  vesicle_reproduction_view_load (self->reproduction_view, dir);
}

static void
on_folder_chosen (const char *path,
                  gpointer    data)
{
  if (path)
    vesicle_window_open_folder (data, path);
}

static void
action_open (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  VesicleWindow *self = data;
  g_autofree char *folder = vesicle_application_get_experiments_folder (
                              vesicle_application_get_default ());

  vesicle_file_dialog_run (GTK_WINDOW (self), _("Open an Experiment Folder"),
                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), folder, NULL,
                           on_folder_chosen, self);
}

static void
action_open_folder (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  vesicle_window_open_folder (data, g_variant_get_string (parameter, NULL));
}

static void
on_start_open_folder (VesicleStartPage *page,
                      const char       *dir,
                      VesicleWindow    *self)
{
  vesicle_window_open_folder (self, dir);
}

/* ---- files in other applications ----------------------------------------------------------- */

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  VesicleWindow *self = data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    toast (self, error->message);
  g_object_unref (self);
}

/* Opens @path with the default application (the OpenURI portal inside a Flatpak). */
static void
launch_path (VesicleWindow *self,
             const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, on_launched, g_object_ref (self));
}

static void
action_show_path (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  launch_path (data, g_variant_get_string (parameter, NULL));
}

static void
action_show_folder (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  VesicleWindow *self = data;
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  const char *dir = g_strcmp0 (page, "reproduction") == 0
                    ? vesicle_reproduction_view_get_folder (self->reproduction_view)
                    : vesicle_results_view_get_folder (self->results_view);

  if (dir)
    launch_path (self, dir);
}

/* ---- export ------------------------------------------------------------------------------- */

static void
on_exported (VesicleExportWindow *window,
             const char          *path,
             VesicleWindow       *self)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *text = g_strdup_printf (_("Exported %s"), name);
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_button_label (t, _("Open Folder"));
  adw_toast_set_action_name (t, "win.show-path");
  adw_toast_set_action_target_value (t, g_variant_new_string (folder));
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
export_figure (VesicleWindow *self,
               const char    *figure)
{
  const char *dir = vesicle_results_view_get_folder (self->results_view);
  VesicleExportWindow *window;

  if (dir == NULL || figure == NULL)
    return;
  window = vesicle_export_window_new (GTK_WINDOW (self), dir,
                                      vesicle_results_view_get_figures (self->results_view),
                                      figure,
                                      vesicle_results_view_get_partial (self->results_view));
  g_signal_connect_object (window, "exported", G_CALLBACK (on_exported), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

static void
action_export (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  VesicleWindow *self = data;

  export_figure (self, vesicle_results_view_get_figure (self->results_view));
}

static void
action_export_figure (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       data)
{
  export_figure (data, g_variant_get_string (parameter, NULL));
}

/* ---- running ------------------------------------------------------------------------------- */

char *
vesicle_window_new_folder (VesicleWindow *self,
                           const char    *name)
{
  g_autofree char *parent = vesicle_application_get_experiments_folder (
                              vesicle_application_get_default ());
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *folder = vesicle_folder_name_at (name, now, parent);

  return g_build_filename (parent, folder, NULL);
}

static gboolean
on_running_tick (gpointer data)
{
  VesicleWindow *self = data;
  g_autofree char *text = g_strdup_printf ("%.0f%%",
                                           100 * vesicle_run_view_get_fraction (self->run_view));

  gtk_label_set_text (self->running_label, text);
  /* a queue moves on to its next folder */
  update_title (self);
  return G_SOURCE_CONTINUE;
}

static void
start_jobs (VesicleWindow *self,
            const char    *title,
            GPtrArray     *jobs,
            const char    *report_dir)
{
  g_autofree char *device = g_settings_get_string (settings (), "device");

  vesicle_run_view_start (self->run_view, title, jobs, device, report_dir);
  if (self->running_source == 0)
    self->running_source = g_timeout_add_seconds (1, on_running_tick, self);
  vesicle_experiment_sidebar_select (self->sidebar, NULL);
  show_page (self, "run");
}

static void
action_run (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  VesicleWindow *self = data;
  const VesicleExperimentType *type = vesicle_setup_page_get_experiment (self->setup_page);
  g_autoptr(JsonObject) config = NULL;
  g_autofree char *dir = NULL;
  GPtrArray *jobs;

  if (type == NULL || !vesicle_setup_page_get_can_run (self->setup_page)
      || vesicle_run_view_get_running (self->run_view))
    return;
  config = vesicle_setup_page_dup_config (self->setup_page);
  dir = vesicle_window_new_folder (self, type->name);
  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_run_job_free);
  g_ptr_array_add (jobs, vesicle_run_job_new (type, dir,
                                              vesicle_setup_page_get_preset (self->setup_page),
                                              config));
  start_jobs (self, _(type->title), jobs, NULL);
}

/* The experiment shown, from where it stopped: its own type, preset and configuration. */
static void
action_resume (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  VesicleWindow *self = data;
  const VesicleExperimentRecord *rec = vesicle_results_view_get_record (self->results_view);
  VesicleRunJob *job;
  GPtrArray *jobs;

  if (rec == NULL || vesicle_run_view_get_running (self->run_view)
      || !vesicle_experiment_record_can_resume (rec, NULL))
    return;
  job = vesicle_run_job_new (rec->type, rec->dir, rec->preset, rec->config);
  job->mode = VESICLE_EXPERIMENT_RESUME;
  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_run_job_free);
  g_ptr_array_add (jobs, job);
  start_jobs (self, _(rec->type->title), jobs, NULL);
}

/* Every experiment's quick preset, one subfolder each, then the report. */
static void
start_reproduction (VesicleWindow *self)
{
  g_autofree char *dir = vesicle_window_new_folder (self, "reproduction");
  const VesicleExperimentType *const *types;
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vesicle_run_job_free);
  guint n;

  types = vesicle_reproduction_experiments (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, types[i]->name, NULL);
      g_autoptr(JsonObject) config = types[i]->preset ("quick");

      g_ptr_array_add (jobs, vesicle_run_job_new (types[i], sub, "quick", config));
    }
  start_jobs (self, _("Reproducing the paper"), jobs, dir);
}

static void
on_reproduce_response (AdwMessageDialog *dialog,
                       const char       *response,
                       VesicleWindow    *self)
{
  if (g_str_equal (response, "run"))
    start_reproduction (self);
}

static void
action_reproduce (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  VesicleWindow *self = data;
  VesicleApplication *app = vesicle_application_get_default ();
  const VesicleDeviceDescription *device = vesicle_application_get_device (app);
  const VesicleExperimentType *const *types;
  g_autofree char *body = NULL, *duration = NULL;
  AdwMessageDialog *dialog;
  double seconds = 0;
  VesicleDeviceRate rate;
  g_autofree char *name = device ? vesicle_cl_device_display_name (device) : NULL;
  guint n;

  if (vesicle_run_view_get_running (self->run_view))
    return;
  types = vesicle_reproduction_experiments (&n);
  vesicle_application_get_device_rate (app, device, &rate);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) config = types[i]->preset ("quick");
      VesicleExperimentPlan plan;

      if (vesicle_experiment_plan (types[i], config, NULL, &plan, NULL))
        seconds += vesicle_experiment_plan_seconds (&plan, &rate.speed);
      vesicle_experiment_plan_clear (&plan);
    }
  duration = vesicle_format_duration_about (seconds);
  if (isfinite (seconds))
    body = g_strdup_printf (_("Runs the quick preset of each of the six experiments, one after "
                              "the other, then writes one PDF with every figure and the measured "
                              "values beside the paper’s. On %s this takes %s (%s)."),
                            name ? name : _("this device"), duration,
                            vesicle_device_rate_describe (&rate));
  else
    body = g_strdup_printf (_("Runs the quick preset of each of the six experiments, one after "
                              "the other, then writes one PDF with every figure and the measured "
                              "values beside the paper’s (%s)."),
                            vesicle_device_rate_describe (&rate));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Reproduce the Paper?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "run", _("_Run All"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "run");
  g_signal_connect (dialog, "response", G_CALLBACK (on_reproduce_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_cancel_response (AdwMessageDialog *dialog,
                    const char       *response,
                    VesicleWindow    *self)
{
  if (g_str_equal (response, "stop"))
    vesicle_run_view_cancel (self->run_view);
}

static void
ask_to_stop (VesicleWindow *self,
             const char    *heading,
             const char    *stop_label,
             GCallback      on_response)
{
  g_autofree char *body = g_strdup_printf (_("It is %.0f%% done. Cohorts that have finished are "
                                             "kept, and the experiment is marked cancelled."),
                                           100 * vesicle_run_view_get_fraction (self->run_view));
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         heading, body));

  adw_message_dialog_add_responses (dialog, "keep", _("_Keep Running"), "stop", stop_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect (dialog, "response", on_response, self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_cancel (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  VesicleWindow *self = data;

  if (!vesicle_run_view_get_running (self->run_view))
    return;
  if (vesicle_run_view_get_elapsed (self->run_view) < ASK_BEFORE_CANCEL_S)
    vesicle_run_view_cancel (self->run_view);
  else
    ask_to_stop (self, _("Stop the Experiment?"), _("_Stop"), G_CALLBACK (on_cancel_response));
}

/* Alt+Left: from a figure shown alone back to all the figures. */
static void
action_back (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  VesicleWindow *self = data;

  if (showing_one_figure (self))
    vesicle_results_view_show_overview (self->results_view);
}

/* Escape closes what is on top: a figure shown alone, else the running experiment (asking
 * first when it has run a while). One action, so the key never means both at once. */
static void
action_escape (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  VesicleWindow *self = data;

  if (showing_one_figure (self))
    vesicle_results_view_show_overview (self->results_view);
  else
    action_cancel (action, parameter, data);
}

static void
on_results_shown (VesicleWindow *self)
{
  update_actions (self);
}

static void
action_show_run (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  VesicleWindow *self = data;

  vesicle_experiment_sidebar_select (self->sidebar, NULL);
  show_page (self, "run");
}

static void
on_job_finished (VesicleRunView *view,
                 guint           index,
                 const char     *dir,
                 int             status,
                 const char     *error,
                 VesicleWindow  *self)
{
  g_autofree char *name = g_path_get_basename (dir);
  g_autofree char *text = NULL;

  vesicle_start_page_refresh (self->start_page);
  switch ((VesicleRunStatus) status)
    {
    case VESICLE_RUN_COMPLETED:
      text = g_strdup_printf (_("%s finished"), name);
      break;
    case VESICLE_RUN_CANCELLED:
      /* what was kept is said where it is shown, on the experiment's page */
      text = g_strdup_printf (_("%s cancelled"), name);
      break;
    default:
      text = g_strdup_printf (_("%s failed"), name);
      break;
    }
  toast (self, text);
}

static void
on_run_finished (VesicleRunView *view,
                 gboolean        ok,
                 VesicleWindow  *self)
{
  g_clear_handle_id (&self->running_source, g_source_remove);
  if (self->close_after_run)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  update_actions (self);
  if (vesicle_run_view_get_queue_folder (view) != NULL)
    {
      const char *dir = vesicle_run_view_get_queue_folder (view);

      /* a reproduction, however it ended, is shown as it is saved: its experiments, its
       * report and its table; elsewhere in the window a toast leads there */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "run") == 0)
        vesicle_window_open_folder (self, dir);
      else
        {
          AdwToast *t = adw_toast_new (ok ? _("The reproduction is finished")
                                          : _("The reproduction stopped"));

          adw_toast_set_button_label (t, _("_Show"));
          adw_toast_set_action_name (t, "win.open-folder");
          adw_toast_set_action_target_value (t, g_variant_new_string (dir));
          adw_toast_set_timeout (t, 0);
          adw_toast_overlay_add_toast (self->toast_overlay, t);
        }
    }
  else if (vesicle_run_view_get_n_jobs (view) == 1
           && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "run") == 0)
    /* one experiment: its results, however it ended */
    vesicle_window_open_folder (self, vesicle_run_view_get_folder (view));
}

/* ---- renaming ------------------------------------------------------------------------------- */

/* Why @name cannot be the new name of @dir, or NULL when it can: checked as the name is typed,
 * so the dialog says it under the field and Rename stays off until it can. */
static char *
rename_problem (const char *dir,
                const char *name)
{
  g_autofree char *parent = NULL, *target = NULL, *current = g_path_get_basename (dir);

  if (*name == '\0' || strchr (name, '/') || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return g_strdup (_("A folder name cannot be empty, “.”, “..” or hold a “/”"));
  if (g_str_equal (name, current))
    return g_strdup ("");  /* the name it has: nothing to say, nothing to do */
  parent = g_path_get_dirname (dir);
  target = g_build_filename (parent, name, NULL);
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    return g_strdup_printf (_("“%s” already exists in %s"), name, parent);
  return NULL;
}

static void
on_rename_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (dialog), "problem");
  const char *dir = g_object_get_data (G_OBJECT (dialog), "dir");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *problem = rename_problem (dir, name);

  gtk_label_set_text (label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (label), problem && *problem);
  if (problem && *problem)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  adw_message_dialog_set_response_enabled (dialog, "rename", problem == NULL);
}

static void present_rename (VesicleWindow *self,
                            const char    *dir,
                            const char    *name,
                            const char    *problem);

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    VesicleWindow    *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *dir = g_object_get_data (G_OBJECT (dialog), "dir");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *parent = NULL, *target = NULL, *problem = NULL;
  g_autoptr(GError) error = NULL;
  VesicleApplication *app = vesicle_application_get_default ();

  if (!g_str_equal (response, "rename"))
    return;
  /* what can change while the dialog is open is checked again; the dialog comes back with the
   * typed name and why, never a toast after it has gone */
  if (vesicle_run_view_uses_folder (self->run_view, dir))
    problem = g_strdup (_("An experiment is running in this folder; rename it once it ends"));
  else if ((problem = rename_problem (dir, name)) == NULL)
    {
      parent = g_path_get_dirname (dir);
      target = g_build_filename (parent, name, NULL);
      /* under the folder's lock: not while another process (the CLI, say) writes it */
      if (!vesicle_experiment_folder_rename (dir, target, &error))
        problem = g_strdup (error->message);
    }
  if (problem && *problem)
    {
      present_rename (self, dir, name, problem);
      return;
    }
  if (problem)
    return;
  vesicle_application_remove_recent (app, dir);
  vesicle_window_open_folder (self, target);
}

static void
present_rename (VesicleWindow *self,
                const char    *dir,
                const char    *name,
                const char    *problem)
{
  AdwMessageDialog *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *label = gtk_label_new (NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Rename the Experiment"),
                                                       _("Its folder takes the new name.")));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  label, NULL, -1);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), label);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  g_object_set_data_full (G_OBJECT (dialog), "dir", g_strdup (dir), g_free);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "problem", label);
  g_signal_connect (entry, "changed", G_CALLBACK (on_rename_changed), dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  on_rename_changed (GTK_EDITABLE (entry), dialog);
  /* a refusal that only trying could find (the folder busy, say) stays said */
  if (problem)
    {
      gtk_label_set_text (GTK_LABEL (label), problem);
      gtk_widget_set_visible (label, TRUE);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (on_rename_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
action_rename (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  VesicleWindow *self = data;
  const char *dir = vesicle_results_view_get_folder (self->results_view);
  g_autofree char *name = NULL;

  if (dir == NULL)
    return;
  name = g_path_get_basename (dir);
  present_rename (self, dir, name, NULL);
}

/* ---- navigation ------------------------------------------------------------------------------ */

void
vesicle_window_select (VesicleWindow *self,
                       const char    *id)
{
  const VesicleExperimentType *type;

  g_return_if_fail (VESICLE_IS_WINDOW (self));
  vesicle_experiment_sidebar_select (self->sidebar, id);
  if (g_str_equal (id, "start"))
    {
      vesicle_start_page_refresh (self->start_page);
      show_page (self, "start");
    }
  else if (g_str_equal (id, "reproduce"))
    {
      if (vesicle_run_view_get_running (self->run_view))
        show_page (self, "run");
      else
        g_action_group_activate_action (G_ACTION_GROUP (self), "reproduce", NULL);
    }
  else if ((type = vesicle_experiment_find (id)))
    {
      vesicle_setup_page_set_type (self->setup_page, type);
      show_page (self, "setup");
    }
}

static void
on_sidebar_activated (VesicleExperimentSidebar *sidebar,
                      const char               *id,
                      VesicleWindow            *self)
{
  vesicle_window_select (self, id);
}

static void
on_back_clicked (GtkButton     *button,
                 VesicleWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

const char *
vesicle_window_get_page (VesicleWindow *self)
{
  g_return_val_if_fail (VESICLE_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
vesicle_window_get_running (VesicleWindow *self)
{
  g_return_val_if_fail (VESICLE_IS_WINDOW (self), FALSE);
  return vesicle_run_view_get_running (self->run_view);
}

static void
on_can_run_changed (VesicleWindow *self)
{
  update_actions (self);
}

/* ---- closing --------------------------------------------------------------------------------- */

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   VesicleWindow    *self)
{
  if (!g_str_equal (response, "stop"))
    return;
  /* the window goes once the run has saved what it has */
  self->close_after_run = TRUE;
  vesicle_run_view_cancel (self->run_view);
}

static gboolean
vesicle_window_close_request (GtkWindow *window)
{
  VesicleWindow *self = VESICLE_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings (), "window-width", width);
  g_settings_set_int (settings (), "window-height", height);
  g_settings_set_boolean (settings (), "window-maximized", gtk_window_is_maximized (window));
  if (vesicle_run_view_get_running (self->run_view))
    {
      if (!self->close_after_run)
        ask_to_stop (self, _("Stop the Experiment and Close?"), _("_Stop and Close"),
                     G_CALLBACK (on_close_response));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (vesicle_window_parent_class)->close_request (window);
}

/* ---- the widget ---------------------------------------------------------------------------- */

static const GActionEntry actions[] = {
  { "open", action_open },
  { "open-folder", action_open_folder, "s" },
  { "show-path", action_show_path, "s" },
  { "show-folder", action_show_folder },
  { "export", action_export },
  { "export-figure", action_export_figure, "s" },
  { "run", action_run },
  { "resume", action_resume },
  { "cancel", action_cancel },
  { "back", action_back },
  { "escape", action_escape },
  { "reproduce", action_reproduce },
  { "show-run", action_show_run },
  { "rename", action_rename },
};

static void
vesicle_window_dispose (GObject *object)
{
  VesicleWindow *self = VESICLE_WINDOW (object);

  g_clear_handle_id (&self->running_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_WINDOW);
  G_OBJECT_CLASS (vesicle_window_parent_class)->dispose (object);
}

static void
vesicle_window_class_init (VesicleWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vesicle_window_dispose;
  window_class->close_request = vesicle_window_close_request;

  g_type_ensure (VESICLE_TYPE_EXPERIMENT_SIDEBAR);
  g_type_ensure (VESICLE_TYPE_START_PAGE);
  g_type_ensure (VESICLE_TYPE_SETUP_PAGE);
  g_type_ensure (VESICLE_TYPE_RUN_VIEW);
  g_type_ensure (VESICLE_TYPE_RESULTS_VIEW);
  g_type_ensure (VESICLE_TYPE_REPRODUCTION_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, run_view);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, reproduction_view);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, running_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, running_label);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, folder_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleWindow, run_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_start_open_folder);
  gtk_widget_class_bind_template_callback (widget_class, on_results_loaded);
  gtk_widget_class_bind_template_callback (widget_class, on_results_failed);
  gtk_widget_class_bind_template_callback (widget_class, on_reproduction_loaded);
  gtk_widget_class_bind_template_callback (widget_class, on_not_reproduction);
  gtk_widget_class_bind_template_callback (widget_class, on_job_finished);
  gtk_widget_class_bind_template_callback (widget_class, on_run_finished);
}

static void
vesicle_window_init (VesicleWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_title (GTK_WINDOW (self), VESICLE_APP_NAME);
#if VESICLE_DEVELOPMENT
  /* libadwaita stripes the header bars of a development build */
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  g_signal_connect_object (self->setup_page, "notify::can-run", G_CALLBACK (on_can_run_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_view, "shown-changed", G_CALLBACK (on_results_shown),
                           self, G_CONNECT_SWAPPED);
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings (), "window-width"),
                               g_settings_get_int (settings (), "window-height"));
  if (g_settings_get_boolean (settings (), "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  vesicle_start_page_refresh (self->start_page);
  vesicle_experiment_sidebar_select (self->sidebar, "start");
  update_actions (self);
}

VesicleWindow *
vesicle_window_new (VesicleApplication *app)
{
  return g_object_new (VESICLE_TYPE_WINDOW, "application", app, NULL);
}
