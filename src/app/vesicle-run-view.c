/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-run-view.h"
#include "vesicle-application.h"
#include "vesicle-cl-engine.h"
#include "vesicle-figure-view.h"
#include "vesicle-figure.h"
#include "vesicle-format.h"
#include "vesicle-network-table.h"
#include "vesicle-report.h"
#include "vesicle-reproduction-folder.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

/* The live chart is rebuilt at most this often: training must not wait for drawing. */
#define CHART_INTERVAL_MS 333
/* Device speeds are learned only from runs at least this long (a short one is mostly set-up). */
/* A run refines the device's rate only when training outweighs what the estimate leaves out
 * (opening the device, reading the data, writing the folder: a fraction of a second) */
#define MIN_REFINE_SECONDS 10.0

struct _VesicleRunView {
  GtkWidget          parent_instance;

  GtkLabel          *title;
  GtkLabel          *folder;
  GtkProgressBar    *progress;
  GtkButton         *cancel_button;
  GtkLabel          *phase;
  GtkLabel          *remaining;
  GtkWidget         *queue_group;
  GtkListBox        *queue_list;
  VesicleFigureView *live_chart;
  GtkWidget         *partial_group;
  GtkBox            *partial_figures;
  GtkWidget         *networks_group;
  VesicleNetworkTable *table;
  GtkTextView       *log;
  GtkScrolledWindow *log_scroller;

  GPtrArray         *jobs;           /* VesicleRunJob */
  GArray            *job_seconds;    /* double: each job's estimate at the device's rate when it
                                      * was queued (NaN: none), for the queue's time and to refine
                                      * the rate */
  GPtrArray         *queue_rows;     /* AdwActionRow per job */
  guint              current;
  char              *device;
  char              *device_name;    /* the device's name, for its measured speed */
  char              *report_dir;
  char              *report;         /* written */
  GCancellable      *cancellable;
  gboolean           running;
  GTimer            *timer;
  double             job_fraction;

  GArray            *rows;           /* VesicleMetricsRow of the running cohort */
  guint              cohort;         /* the cohort those rows belong to */
  char              *cohort_dir;
  guint              chart_source;
  gint64             last_chart_us;
  double             work_done;
  double             work_seconds;
};

G_DEFINE_FINAL_TYPE (VesicleRunView, vesicle_run_view, GTK_TYPE_WIDGET)

enum {
  JOB_FINISHED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_job (VesicleRunView *self);

VesicleRunJob *
vesicle_run_job_new (const VesicleExperimentType *type,
                     const char                  *out_dir,
                     const char                  *preset,
                     JsonObject                  *config)
{
  VesicleRunJob *job = g_new0 (VesicleRunJob, 1);

  job->type = type;
  job->out_dir = g_strdup (out_dir);
  job->preset = g_strdup (preset);
  job->config = json_object_ref (config);
  return job;
}

void
vesicle_run_job_free (VesicleRunJob *job)
{
  if (job == NULL)
    return;
  g_free (job->out_dir);
  g_free (job->preset);
  json_object_unref (job->config);
  g_free (job);
}

/* ---- the log --------------------------------------------------------------------------------- */

static void
log_line (VesicleRunView *self,
          const char     *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log);
  GtkTextIter end;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *line = g_strdup_printf ("%s  %s\n", stamp, text);

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  /* the newest line in view, unless the reader scrolled back to read an older one */
  {
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->log_scroller);
    double bottom = gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v);

    if (gtk_adjustment_get_value (v) >= bottom - 40)
      gtk_text_view_scroll_to_mark (self->log, gtk_text_buffer_get_insert (buffer), 0, FALSE,
                                    0, 1);
  }
}

/* "Epoch 3 of 20 · test accuracy 0.912 to 0.941 · mean σ 0.0121 to 0.853": what the epoch's
 * networks reached, as a range over the cohort. */
static void
log_epoch (VesicleRunView                  *self,
           const VesicleExperimentProgress *p)
{
  double acc_lo = INFINITY, acc_hi = -INFINITY, sigma_lo = INFINITY, sigma_hi = -INFINITY;
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint k = 0; k < p->K; k++)
    {
      const VesicleEpochMetrics *m = &p->metrics[k];

      if (isfinite (m->test_accuracy))
        {
          acc_lo = MIN (acc_lo, m->test_accuracy);
          acc_hi = MAX (acc_hi, m->test_accuracy);
        }
      if (isfinite (m->mean_sigma))
        {
          sigma_lo = MIN (sigma_lo, m->mean_sigma);
          sigma_hi = MAX (sigma_hi, m->mean_sigma);
        }
    }
  g_string_printf (line, _("Epoch %u of %u"), p->epoch, p->n_epochs);
  if (p->earlier)
    g_string_append (line, _(", trained before the resume"));
  if (acc_lo <= acc_hi)
    {
      g_autofree char *lo = vesicle_format_double ('f', 3, acc_lo);
      g_autofree char *hi = vesicle_format_double ('f', 3, acc_hi);

      if (g_str_equal (lo, hi))
        g_string_append_printf (line, _(" · test accuracy %s"), lo);
      else
        g_string_append_printf (line, _(" · test accuracy %s to %s"), lo, hi);
    }
  if (sigma_lo <= sigma_hi)
    {
      g_autofree char *lo = vesicle_format_value (sigma_lo);
      g_autofree char *hi = vesicle_format_value (sigma_hi);

      if (g_str_equal (lo, hi))
        g_string_append_printf (line, _(" · mean σ %s"), lo);
      else
        g_string_append_printf (line, _(" · mean σ %s to %s"), lo, hi);
    }
  log_line (self, line->str);
}

static void
on_copy_log (GtkButton      *button,
             VesicleRunView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

/* ---- the live chart -------------------------------------------------------------------------- */

static void
draw_chart (VesicleRunView *self)
{
  if (self->rows->len == 0)
    {
      vesicle_figure_view_set_plot (self->live_chart, NULL);
      return;
    }
  vesicle_figure_view_set_plot (self->live_chart,
                                vesicle_figure_training_curves (
                                  (const VesicleMetricsRow *) (gpointer) self->rows->data,
                                  self->rows->len));
  self->last_chart_us = g_get_monotonic_time ();
}

static gboolean
on_chart_timeout (gpointer data)
{
  VesicleRunView *self = data;

  self->chart_source = 0;
  draw_chart (self);
  return G_SOURCE_REMOVE;
}

/* A redraw soon, but never more often than CHART_INTERVAL_MS. */
static void
queue_chart (VesicleRunView *self)
{
  gint64 since_ms = (g_get_monotonic_time () - self->last_chart_us) / 1000;

  if (self->chart_source != 0)
    return;
  self->chart_source = g_timeout_add (since_ms >= CHART_INTERVAL_MS ? 0
                                                                     : CHART_INTERVAL_MS - since_ms,
                                      on_chart_timeout, self);
}

/* ---- progress -------------------------------------------------------------------------------- */

static void
set_row_state (VesicleRunView *self,
               guint           index,
               const char     *state,
               const char     *icon)
{
  AdwActionRow *row;
  GtkWidget *image;

  if (index >= self->queue_rows->len)
    return;
  row = g_ptr_array_index (self->queue_rows, index);
  adw_action_row_set_subtitle (row, state);
  image = g_object_get_data (G_OBJECT (row), "icon");
  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
}

static char *
run_name (VesicleRunView *self,
          const char     *dir)
{
  VesicleRunJob *job = g_ptr_array_index (self->jobs, self->current);

  if (dir == NULL || g_str_equal (dir, job->out_dir))
    return g_strdup (".");
  return g_path_get_basename (dir);
}

/* The networks of the cohort just finished, from their last epoch. */
static void
add_cohort_networks (VesicleRunView                  *self,
                     const VesicleExperimentProgress *p)
{
  g_autoptr(GArray) summaries = g_array_new (FALSE, TRUE, sizeof (VesicleNetworkSummary));
  g_autofree char *run = run_name (self, p->cohort_dir);

  for (guint k = 0; k < p->K && p->hyper; k++)
    {
      VesicleNetworkSummary s = {
        .run = p->cohort - 1, .network = k,
        .variational = p->hyper[k].cost == VESICLE_COST_ENTROPY,
        .rho = p->hyper[k].rho, .c = p->hyper[k].c, .setting = p->hyper[k].setting,
        .seed = p->hyper[k].seed, .test_accuracy = NAN, .train_nll = NAN, .mean_sigma = NAN,
        .rms_sigma = NAN, .reliability_cost = NAN, .finished = TRUE,
      };

      /* rows come in epoch order: the last of each network, the last measured accuracy */
      for (guint i = 0; i < self->rows->len; i++)
        {
          const VesicleMetricsRow *r = &g_array_index (self->rows, VesicleMetricsRow, i);

          if (r->metrics.network != k)
            continue;
          s.epoch = r->metrics.epoch;
          if (isfinite (r->metrics.test_accuracy))
            s.test_accuracy = r->metrics.test_accuracy;
          s.train_nll = r->metrics.train_nll;
          s.mean_sigma = r->metrics.mean_sigma;
          s.rms_sigma = r->metrics.rms_sigma;
          s.reliability_cost = r->metrics.reliability_cost_s1;
        }
      g_array_append_val (summaries, s);
    }
  vesicle_network_table_add (self->table, (VesicleNetworkSummary *) (gpointer) summaries->data,
                             summaries->len, run);
  gtk_widget_set_visible (self->networks_group, TRUE);
}

static void
on_partial_figure (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  VesicleFigureView *view = data;
  g_autoptr(GError) error = NULL;
  VesiclePlot *plot = vesicle_figure_build_finish (result, &error);

  if (plot)
    vesicle_figure_view_set_plot (view, plot);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    vesicle_figure_view_set_message (view, error->message);
  g_object_unref (view);
}

/* The experiment saved its results so far: its figures, drawn from them. */
static void
show_partial (VesicleRunView *self)
{
  VesicleRunJob *job = g_ptr_array_index (self->jobs, self->current);
  g_autofree const VesicleFigureInfo **figures = vesicle_figure_for_experiment (job->type->name);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->partial_figures))))
    gtk_box_remove (self->partial_figures, child);
  for (guint i = 0; figures[i]; i++)
    {
      GtkWidget *view;

      if (g_str_equal (figures[i]->name, "training"))
        continue;
      view = vesicle_figure_view_new ();
      vesicle_figure_view_set_message (VESICLE_FIGURE_VIEW (view), _("Drawing…"));
      gtk_box_append (self->partial_figures, view);
      vesicle_figure_build_async (figures[i]->name, job->out_dir, TRUE, self->cancellable,
                                  on_partial_figure, g_object_ref (view));
    }
  gtk_widget_set_visible (self->partial_group, TRUE);
}

static void
on_progress (const VesicleExperimentProgress *p,
             gpointer                         data)
{
  VesicleRunView *self = data;
  g_autofree char *what = vesicle_experiment_progress_describe (p);
  char *left = vesicle_experiment_progress_remaining (p);
  double overall = (self->current + p->fraction) / MAX (self->jobs->len, 1);

  /* a queue: the time left is the running experiment's and the planned work after it, at the
   * speed this one reaches (or the device's until it has been measured) */
  if (self->jobs->len > 1 && isfinite (p->remaining_s))
    {
      double later = 0;

      for (guint i = self->current + 1; i < self->job_seconds->len; i++)
        later += g_array_index (self->job_seconds, double, i);
      g_free (left);
      if (!isfinite (later))
        left = g_strdup (_("Measuring this device for the queue's time…"));
      else
      {
        g_autofree char *about = vesicle_format_duration_about (p->remaining_s + later);

        left = g_strdup_printf (_("%s left for the whole queue"), about);
        left[0] = g_ascii_toupper (left[0]);
      }
    }
  self->job_fraction = p->fraction;
  self->work_done = p->work_done;
  self->work_seconds = p->work_seconds;
  gtk_progress_bar_set_fraction (self->progress, overall);
  if (!g_cancellable_is_cancelled (self->cancellable))
    gtk_label_set_text (self->phase, what);
  gtk_label_set_text (self->remaining, left ? left : "");
  g_free (left);
  if (self->queue_rows->len > 1)
    {
      g_autofree char *state = g_strdup_printf (_("Running · %.0f%%"), 100 * p->fraction);

      set_row_state (self, self->current, state, "media-playback-start-symbolic");
    }

  switch (p->kind)
    {
    case VESICLE_PROGRESS_PHASE:
      log_line (self, p->phase);
      if (p->cohort != self->cohort && p->K > 0)
        {
          /* a new cohort: the chart shows its networks only */
          self->cohort = p->cohort;
          g_free (self->cohort_dir);
          self->cohort_dir = g_strdup (p->cohort_dir);
          g_array_set_size (self->rows, 0);
          vesicle_figure_view_set_plot (self->live_chart, NULL);
          vesicle_figure_view_set_message (self->live_chart,
                                           _("The curves appear as the first epoch ends."));
        }
      break;
    case VESICLE_PROGRESS_MESSAGE:
      log_line (self, p->message);
      break;
    case VESICLE_PROGRESS_EPOCH:
      if (p->metrics)
        log_epoch (self, p);
      for (guint k = 0; k < p->K && p->metrics && p->hyper; k++)
        {
          VesicleMetricsRow row = {
            .metrics = p->metrics[k], .rho = p->hyper[k].rho, .c = p->hyper[k].c,
            .lambda = p->hyper[k].lambda, .setting = p->hyper[k].setting,
            .seed = p->hyper[k].seed,
          };

          g_array_append_val (self->rows, row);
        }
      queue_chart (self);
      break;
    case VESICLE_PROGRESS_COHORT:
      add_cohort_networks (self, p);
      break;
    case VESICLE_PROGRESS_PARTIAL:
      show_partial (self);
      break;
    case VESICLE_PROGRESS_STEPS:
      break;
    }
}

/* ---- the queue ------------------------------------------------------------------------------- */

static void
finish_queue (VesicleRunView *self,
              gboolean        ok)
{
  /* a queue that stopped early says which experiments it never began */
  for (guint i = self->current + 1; i < self->queue_rows->len; i++)
    set_row_state (self, i, _("Not run"), "action-unavailable-symbolic");
  self->running = FALSE;
  /* nothing is left to wait for */
  gtk_label_set_text (self->remaining, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  g_timer_stop (self->timer);
  g_signal_emit (self, signals[FINISHED], 0, ok);
}

static void
on_report (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  VesicleRunView *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vesicle_report_write_pdf_finish (result, &error);

  if (ok)
    {
      gtk_label_set_text (self->phase, _("Done: every experiment ran and the report is written"));
      log_line (self, _("Report written"));
      self->report = g_build_filename (self->report_dir, "report.pdf", NULL);
    }
  else
    {
      gtk_label_set_text (self->phase, error->message);
      log_line (self, error->message);
    }
  finish_queue (self, ok);
  g_object_unref (self);
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  VesicleRunView *self = data;
  VesicleRunJob *job = g_ptr_array_index (self->jobs, self->current);
  g_autoptr(GError) error = NULL;
  gboolean ok = vesicle_experiment_run_finish (result, &error);
  VesicleRunStatus status = vesicle_run_status_from_error (ok ? NULL : error);
  VesicleApplication *app = vesicle_application_get_default ();

  if (self->chart_source)
    {
      g_source_remove (self->chart_source);
      self->chart_source = 0;
    }
  draw_chart (self);
  /* what this device sustained, for the next estimate: a resumed job trained only the rest of
   * what its estimate covers */
  if (ok && self->work_seconds >= MIN_REFINE_SECONDS && self->device_name
      && self->current < self->job_seconds->len
      && ((VesicleRunJob *) g_ptr_array_index (self->jobs, self->current))->mode
         == VESICLE_EXPERIMENT_FRESH)
    vesicle_application_refine_device_rate (app, self->device_name,
                                            g_array_index (self->job_seconds, double,
                                                           self->current),
                                            self->work_seconds);
  switch (status)
    {
    case VESICLE_RUN_COMPLETED:
      set_row_state (self, self->current, _("Completed"), "emblem-ok-symbolic");
      log_line (self, _("Completed"));
      break;
    case VESICLE_RUN_CANCELLED:
      set_row_state (self, self->current, _("Cancelled"), "media-playback-stop-symbolic");
      gtk_label_set_text (self->phase, _("Cancelled: finished cohorts are kept in the folder"));
      log_line (self, _("Cancelled"));
      break;
    default:
      set_row_state (self, self->current, error->message, "dialog-error-symbolic");
      gtk_label_set_text (self->phase, error->message);
      log_line (self, error->message);
      break;
    }
  {
    GtkWidget *open = g_object_get_data (G_OBJECT (g_ptr_array_index (self->queue_rows,
                                                                       self->current)), "open");
    gtk_widget_set_visible (open, TRUE);
  }
  /* a queue is one saved thing: its folder is the recent entry, not each experiment in it */
  vesicle_application_add_recent (app, self->report_dir ? self->report_dir : job->out_dir);
  g_signal_emit (self, signals[JOB_FINISHED], 0, self->current, job->out_dir, (int) status,
                 error ? error->message : NULL);

  if (ok && self->current + 1 < self->jobs->len)
    {
      self->current++;
      start_job (self);
    }
  else if (ok && self->report_dir)
    {
      g_autoptr(GError) refused = NULL;
      g_autofree char *path = vesicle_reproduction_folder_report_path (self->report_dir,
                                                                        &refused);

      if (path == NULL)
        {
          gtk_label_set_text (self->phase, refused->message);
          log_line (self, refused->message);
          finish_queue (self, FALSE);
          g_object_unref (self);
          return;
        }
      gtk_label_set_text (self->phase, _("Writing the report"));
      gtk_progress_bar_set_fraction (self->progress, 1.0);
      vesicle_report_write_pdf_async (self->report_dir, path, NULL, on_report,
                                      g_object_ref (self));
    }
  else
    {
      if (ok)
        gtk_progress_bar_set_fraction (self->progress, 1.0);
      finish_queue (self, ok);
    }
  g_object_unref (self);
}

static void
start_job (VesicleRunView *self)
{
  VesicleRunJob *job = g_ptr_array_index (self->jobs, self->current);
  VesicleExperimentOptions options = {
    .out_dir = job->out_dir, .preset = job->preset, .config = job->config,
    .open_engine = vesicle_cl_open_engine, .prepare_device = vesicle_cl_prepare_device,
    .device = self->device, .mode = job->mode,
  };

  gtk_label_set_text (self->folder, job->out_dir);
  gtk_label_set_text (self->phase, _("Starting"));
  gtk_label_set_text (self->remaining, "");
  g_array_set_size (self->rows, 0);
  self->cohort = 0;
  self->job_fraction = 0;
  self->work_done = self->work_seconds = 0;
  vesicle_figure_view_set_plot (self->live_chart, NULL);
  vesicle_figure_view_set_message (self->live_chart,
                                   job->type->trains || job->type == &vesicle_experiment_predictive
                                   ? _("The curves appear as the first epoch ends.")
                                   : _("Nothing trains in this experiment."));
  gtk_widget_set_visible (self->partial_group, FALSE);
  /* a queue's table holds the running experiment's networks only: the others' are in their
   * own folders, where the same names ("train · 1") mean other networks */
  vesicle_network_table_set_record (self->table, NULL);
  gtk_widget_set_visible (self->networks_group, FALSE);
  log_line (self, _(job->type->title));
  vesicle_experiment_run_async (job->type, &options, self->cancellable, on_progress, self, NULL,
                                on_job_done, g_object_ref (self));
}

static GtkWidget *
queue_row_new (VesicleRunJob *job)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(job->type->title));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Waiting"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (open, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.open-folder");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", job->out_dir);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "open", open);
  return row;
}

void
vesicle_run_view_start (VesicleRunView *self,
                        const char     *title,
                        GPtrArray      *jobs,
                        const char     *device,
                        const char     *report_dir)
{
  VesicleApplication *app = vesicle_application_get_default ();
  GPtrArray *devices = vesicle_application_get_devices (app);
  const VesicleDeviceDescription *d = vesicle_cl_choose_device (devices, device);
  VesicleDeviceRate rate;
  GtkWidget *child;

  g_return_if_fail (VESICLE_IS_RUN_VIEW (self));
  g_return_if_fail (!self->running);
  g_return_if_fail (jobs != NULL && jobs->len > 0);

  vesicle_application_get_device_rate (app, d, &rate);

  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  self->jobs = jobs;
  g_array_set_size (self->job_seconds, 0);
  for (guint i = 0; i < jobs->len; i++)
    {
      VesicleRunJob *job = g_ptr_array_index (jobs, i);
      VesicleExperimentPlan plan;
      double seconds = NAN;

      if (vesicle_experiment_plan (job->type, job->config, NULL, &plan, NULL))
        seconds = vesicle_experiment_plan_seconds (&plan, &rate.speed);
      vesicle_experiment_plan_clear (&plan);
      g_array_append_val (self->job_seconds, seconds);
    }
  g_free (self->device);
  self->device = g_strdup (device);
  g_free (self->device_name);
  self->device_name = d ? g_strdup (d->name) : NULL;
  g_free (self->report_dir);
  self->report_dir = g_strdup (report_dir);
  g_clear_pointer (&self->report, g_free);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->current = 0;
  self->running = TRUE;
  g_timer_start (self->timer);

  gtk_label_set_text (self->title, title);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log), "", -1);
  vesicle_network_table_set_record (self->table, NULL);
  gtk_widget_set_visible (self->networks_group, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->queue_list))))
    gtk_list_box_remove (self->queue_list, child);
  g_ptr_array_set_size (self->queue_rows, 0);
  for (guint i = 0; i < jobs->len; i++)
    {
      GtkWidget *row = queue_row_new (g_ptr_array_index (jobs, i));

      gtk_list_box_append (self->queue_list, row);
      g_ptr_array_add (self->queue_rows, row);
    }
  gtk_widget_set_visible (self->queue_group, jobs->len > 1);
  start_job (self);
}

void
vesicle_run_view_cancel (VesicleRunView *self)
{
  g_return_if_fail (VESICLE_IS_RUN_VIEW (self));

  if (!self->running || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_label_set_text (self->phase, _("Stopping after this step and saving what is done…"));
}

static void
on_cancel_clicked (GtkButton      *button,
                   VesicleRunView *self)
{
  /* the window may ask first */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.cancel", NULL);
}

gboolean
vesicle_run_view_get_running (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), FALSE);
  return self->running;
}

double
vesicle_run_view_get_fraction (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), 0);
  if (self->jobs == NULL)
    return 0;
  return (self->current + self->job_fraction) / self->jobs->len;
}

double
vesicle_run_view_get_elapsed (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), 0);
  return g_timer_elapsed (self->timer, NULL);
}

const char *
vesicle_run_view_get_folder (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), NULL);
  if (self->jobs == NULL)
    return NULL;
  return ((VesicleRunJob *) g_ptr_array_index (self->jobs, self->current))->out_dir;
}

gboolean
vesicle_run_view_uses_folder (VesicleRunView *self,
                              const char     *dir)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), FALSE);
  if (!self->running || dir == NULL)
    return FALSE;
  if (self->report_dir && g_str_equal (self->report_dir, dir))
    return TRUE;
  for (guint i = 0; i < self->jobs->len; i++)
    if (g_str_equal (((VesicleRunJob *) g_ptr_array_index (self->jobs, i))->out_dir, dir))
      return TRUE;
  return FALSE;
}

guint
vesicle_run_view_get_n_jobs (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), 0);
  return self->jobs ? self->jobs->len : 0;
}

guint
vesicle_run_view_get_n_partial (VesicleRunView *self)
{
  guint n = 0;

  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), 0);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->partial_figures)); c;
       c = gtk_widget_get_next_sibling (c))
    n += vesicle_figure_view_get_plot (VESICLE_FIGURE_VIEW (c)) != NULL;
  return n;
}

guint
vesicle_run_view_get_n_charted (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), 0);
  return self->rows->len;
}

const char *
vesicle_run_view_get_queue_folder (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), NULL);
  return self->report_dir;
}

const char *
vesicle_run_view_get_report (VesicleRunView *self)
{
  g_return_val_if_fail (VESICLE_IS_RUN_VIEW (self), NULL);
  return self->report;
}

/* ---- the widget ------------------------------------------------------------------------------ */

static void
vesicle_run_view_dispose (GObject *object)
{
  VesicleRunView *self = VESICLE_RUN_VIEW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->chart_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_RUN_VIEW);
  /* a GtkWidget removes its children itself: the template's root is not a bound child */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->queue_rows, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->job_seconds, g_array_unref);
  g_clear_pointer (&self->timer, g_timer_destroy);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->device, g_free);
  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->report_dir, g_free);
  g_clear_pointer (&self->report, g_free);
  g_clear_pointer (&self->cohort_dir, g_free);
  G_OBJECT_CLASS (vesicle_run_view_parent_class)->dispose (object);
}

static void
vesicle_run_view_class_init (VesicleRunViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_run_view_dispose;

  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                                        G_TYPE_UINT, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (VESICLE_TYPE_FIGURE_VIEW);
  g_type_ensure (VESICLE_TYPE_NETWORK_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-run-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, title);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, folder);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, progress);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, phase);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, remaining);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, queue_group);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, queue_list);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, live_chart);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, partial_group);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, partial_figures);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, networks_group);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, table);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, log);
  gtk_widget_class_bind_template_child (widget_class, VesicleRunView, log_scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_log);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_run_view_init (VesicleRunView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->queue_rows = g_ptr_array_new ();
  self->rows = g_array_new (FALSE, TRUE, sizeof (VesicleMetricsRow));
  self->job_seconds = g_array_new (FALSE, TRUE, sizeof (double));
  self->timer = g_timer_new ();
  g_timer_stop (self->timer);
  vesicle_figure_view_set_aspect (self->live_chart, 0);
}

GtkWidget *
vesicle_run_view_new (void)
{
  return g_object_new (VESICLE_TYPE_RUN_VIEW, NULL);
}
