/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window as a researcher uses it, under Xvfb (GSK_RENDERER=cairo, GSETTINGS_BACKEND=memory):
 * it opens on the start page; an experiment set up through the form and started by the same
 * action Run and Ctrl+Return trigger trains to completion, its progress rising to 1, while the
 * main loop is never late by 100 ms; its results open with a figure that draws something;
 * invalid input turns Run off and says why on the field; Cancel during a run leaves a folder
 * marked cancelled whose finished cohort is readable, and Resume finishes it keeping that cohort; export writes SVG, PDF and PNG; a saved
 * folder reopens with its figures, and one that is not an experiment says which file is wrong;
 * closing the window during a run asks first and then cancels cleanly; the Preferences' Tune
 * button tunes CLBlast with progress and saves the tuning, and Stop leaves it as it was.
 */
#include "vesicle-test-files.h"
#include "vesicle-test-main-loop.h"
#include "vesicle-application.h"
#include "vesicle-build-config.h"
#include "vesicle-export-window.h"
#include "vesicle-experiment-record.h"
#include "vesicle-network-table.h"
#include "vesicle-reproduction-view.h"
#include "vesicle-results-view.h"
#include "vesicle-run-view.h"
#include "vesicle-setup-page.h"
#include "vesicle-start-page.h"
#include "vesicle-window.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static VesicleApplication *app;
static char *experiments;     /* the experiments folder of this test run */
static char *cache;           /* $XDG_CACHE_HOME of this test run: the tunings it saves */

/* ---- helpers -------------------------------------------------------------------------------- */

static gpointer
find_child (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      gpointer found = find_child (c, type);

      if (found)
        return found;
    }
  return NULL;
}

static VesicleWindow *
new_window (void)
{
  VesicleWindow *window = vesicle_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  vesicle_test_spin (0.3);
  return window;
}

static void
close_window (VesicleWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  vesicle_test_spin (0.2);
}

static gboolean
action_enabled (VesicleWindow *window,
                const char    *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), name);
}

static AdwPreferencesRow *find_row (GtkWidget  *widget,
                                    const char *title);

/* A label under @widget whose text holds @part (cells of a table included, once shown). */
static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *part)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), part))
    return GTK_LABEL (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_label_containing (c, part);

      if (found)
        return found;
    }
  return NULL;
}

/* ---- combo rows: no choice cut short --------------------------------------------------------- */

/* The first mapped label under @widget that ends in an ellipsis, or NULL. */
static GtkLabel *
find_cut_label (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    return GTK_LABEL (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *cut = find_cut_label (c);

      if (cut)
        return cut;
    }
  return NULL;
}

/* The first of @row's choices that its list cuts short, or NULL. A popover cannot open under
 * Xvfb, which has no monitor to place it on, so the row's list factory fills a list in a window
 * of its own, sized to its content as the popover would be. */
static char *
find_cut_choice (AdwComboRow *row)
{
  GtkListItemFactory *factory = adw_combo_row_get_list_factory (row);
  GListModel *choices = adw_combo_row_get_model (row);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list;
  GtkLabel *cut;
  char *text;

  if (factory == NULL)
    factory = adw_combo_row_get_factory (row);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (choices))),
                            g_object_ref (factory));
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  vesicle_test_spin (0.2);
  cut = find_cut_label (window);
  text = cut ? g_strdup (gtk_label_get_text (cut)) : NULL;
  gtk_window_destroy (GTK_WINDOW (window));
  return text;
}

/* Every combo row under @widget shows its choice whole, and so does its list of choices. */
static void
assert_choices_whole (GtkWidget  *widget,
                      const char *what)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (ADW_IS_COMBO_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      GtkLabel *cut = find_cut_label (widget);
      g_autofree char *cut_choice = NULL;

      if (cut)
        g_error ("%s: the row '%s' cuts its choice short: '%s'", what, title,
                 gtk_label_get_text (cut));
      if ((cut_choice = find_cut_choice (ADW_COMBO_ROW (widget))))
        g_error ("%s: the list of '%s' cuts a choice short: '%s'", what, title, cut_choice);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    assert_choices_whole (c, what);
}

/* ---- the main loop's lateness, measured while the window trains ------------------------------ */

typedef struct {
  gint64 expected;
  gint64 worst_us;
  guint  ticks;
} Lateness;

static gboolean
on_tick (gpointer data)
{
  Lateness *l = data;
  gint64 now = g_get_monotonic_time ();

  if (l->expected > 0)
    l->worst_us = MAX (l->worst_us, now - l->expected);
  l->expected = now + 10 * 1000;
  l->ticks++;
  return G_SOURCE_CONTINUE;
}

/* ---- the window opens ------------------------------------------------------------------------ */

static void
test_opens (void)
{
  VesicleWindow *window = new_window ();

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "start");
  /* nothing runs, nothing to export */
  g_assert_false (action_enabled (window, "cancel"));
  g_assert_false (action_enabled (window, "export"));
  g_assert_true (action_enabled (window, "reproduce"));
  g_assert_true (action_enabled (window, "open"));
  close_window (window);
}

/* ---- invalid input --------------------------------------------------------------------------- */

static gboolean
setup_ready (gpointer data)
{
  return vesicle_setup_page_get_can_run (data);
}

static gboolean
subtitle_says_time (gpointer row)
{
  return strstr (adw_action_row_get_subtitle (row), "on this device") != NULL;
}

static void
test_invalid_input (void)
{
  VesicleWindow *window = new_window ();
  VesicleSetupPage *page;
  g_autofree char *corrupt = vesicle_test_tmp_dir ("app-dataset");
  g_autofree char *images = g_build_filename (corrupt, "train-images-idx3-ubyte.gz", NULL);
  g_autofree char *lr_reason = NULL;
  const char *reason;

  vesicle_window_select (window, "tradeoff");
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "setup");
  page = find_child (GTK_WIDGET (window), VESICLE_TYPE_SETUP_PAGE);
  /* the bundled dataset is read in a worker; then the quick preset may run */
  vesicle_test_wait_until (setup_ready, page, 60, "the quick preset to be runnable");
  g_assert_true (action_enabled (window, "run"));

  /* the Paper preset on the bundled subset says so at the preset, with its time here */
  {
    AdwPreferencesRow *preset = find_row (GTK_WIDGET (page), "Start from");
    const char *note;

    g_assert_nonnull (preset);
    vesicle_setup_page_set_preset (page, "paper");
    vesicle_test_wait_until (setup_ready, page, 60, "the paper preset to be runnable");
    note = adw_action_row_get_subtitle (ADW_ACTION_ROW (preset));
    g_assert_nonnull (strstr (note, "bundled 8,000 training digits"));
    g_assert_nonnull (strstr (note, "60,000"));
    /* the time, once the device's one-second trial has measured it */
    vesicle_test_wait_until (subtitle_says_time, preset, 60, "the preset's time");
    vesicle_setup_page_set_preset (page, "quick");
    vesicle_test_wait_until (setup_ready, page, 60, "the quick preset to be runnable again");
    g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (preset)), "60,000"));
  }

  g_assert_true (vesicle_setup_page_set_text (page, "lr", "-1"));
  g_assert_false (vesicle_setup_page_get_can_run (page));
  g_assert_false (action_enabled (window, "run"));
  reason = vesicle_setup_page_get_problem (page, "lr");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "-1"));
  g_assert_nonnull (strstr (reason, "greater than 0"));
  /* ... said on the row under the field, not only at the foot of the page */
  {
    AdwPreferencesRow *said;

    lr_reason = g_strdup (reason);     /* the page's own copy goes at the next check */
    said = find_row (GTK_WIDGET (page), lr_reason);

    g_assert_nonnull (said);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (said)));
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (said), "field-problem"));
  }

  /* text that is no number says so */
  g_assert_true (vesicle_setup_page_set_text (page, "epochs", "five"));
  g_assert_nonnull (strstr (vesicle_setup_page_get_problem (page, "epochs"), "five"));

  /* fixed, Run comes back */
  g_assert_true (vesicle_setup_page_set_text (page, "lr", "4e-3"));
  g_assert_true (vesicle_setup_page_set_text (page, "epochs", "5"));
  g_assert_null (vesicle_setup_page_get_problem (page, "lr"));
  g_assert_null (find_row (GTK_WIDGET (page), lr_reason));
  g_assert_true (vesicle_setup_page_get_can_run (page));
  g_assert_true (action_enabled (window, "run"));

  /* a dataset folder with a malformed file: the reason names the file, and nothing runs */
  g_assert_true (g_file_set_contents (images, "not an IDX file", -1, NULL));
  vesicle_setup_page_set_text (page, "dataset", corrupt);
  g_assert_false (vesicle_setup_page_get_can_run (page));
  while (vesicle_setup_page_get_problem (page, "dataset") == NULL)
    vesicle_test_spin (0.05);
  g_assert_nonnull (strstr (vesicle_setup_page_get_problem (page, "dataset"), corrupt));
  g_assert_false (action_enabled (window, "run"));

  /* a preset's value reads as six digits, and stays exact while left as it is */
  {
    VesicleSetupPage *importance = page;
    AdwPreferencesRow *c_row;
    g_autoptr(JsonObject) config = NULL;

    vesicle_window_select (window, "importance");
    c_row = find_row (GTK_WIDGET (importance), "Cost multiplier c");
    g_assert_nonnull (c_row);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (c_row)), ==, "0.0632456");
    config = vesicle_setup_page_dup_config (importance);
    g_assert_cmpfloat (json_object_get_double_member (config, "c"), ==, pow (1e-3, 0.5) / 0.5);
    /* typed, it is what was typed */
    g_assert_true (vesicle_setup_page_set_text (importance, "c", "0.0632456"));
    g_assert_true (vesicle_setup_page_set_text (importance, "c", "0.05"));
    g_clear_pointer (&config, json_object_unref);
    config = vesicle_setup_page_dup_config (importance);
    g_assert_cmpfloat (json_object_get_double_member (config, "c"), ==, 0.05);
  }

  close_window (window);
  vesicle_test_remove_tree (corrupt);
}

/* The run page's log, as text. */
static char *
run_log_text (VesicleRunView *run)
{
  GtkTextView *log = find_child (GTK_WIDGET (run), GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (log);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* ---- a run, start to finish ------------------------------------------------------------------ */

typedef struct {
  VesicleWindow  *window;
  VesicleRunView *run;
  double          max_fraction;
  double          last_fraction;
  gboolean        went_back;
  gboolean        seen_running;
} Watch;

static gboolean
run_finished (gpointer data)
{
  Watch *w = data;
  double f = vesicle_run_view_get_fraction (w->run);

  if (vesicle_run_view_get_running (w->run))
    w->seen_running = TRUE;
  if (f + 1e-9 < w->last_fraction)
    w->went_back = TRUE;
  w->last_fraction = f;
  w->max_fraction = MAX (w->max_fraction, f);
  return w->seen_running && !vesicle_run_view_get_running (w->run);
}

static gboolean
results_drawn (gpointer data)
{
  VesicleResultsView *view = data;

  return vesicle_results_view_get_record (view) != NULL
         && vesicle_results_view_get_pending (view) == 0;
}

typedef struct {
  VesicleResultsView *view;
  const char         *dir;
} Showing;

/* The results view shows @dir, drawn. */
static gboolean
results_show (gpointer data)
{
  Showing *s = data;

  return g_strcmp0 (vesicle_results_view_get_folder (s->view), s->dir) == 0
         && results_drawn (s->view);
}

/* Renders @widget as the window shows it and counts the pixels unlike the first one. */
static guint
painted_pixels (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  guint differ = 0;

  g_assert_cmpint (w, >, 50);
  g_assert_cmpint (h, >, 50);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  for (gsize i = 1; i < (gsize) w * h; i++)
    if (memcmp (pixels + i * 4, pixels, 4) != 0)
      differ++;
  return differ;
}

/* The folder of the one experiment under experiments/ whose name starts with @prefix. */
static char *
find_folder (const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (experiments, 0, NULL);
  const char *name;
  char *found = NULL;

  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, prefix))
      {
        g_assert_null (found);
        found = g_build_filename (experiments, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

static char *trained;   /* the folder the run test wrote, for the export test */

static gboolean
estimated (gpointer data)
{
  return isfinite (vesicle_setup_page_get_estimate (data));
}

static void
test_run (void)
{
  VesicleWindow *window = new_window ();
  VesicleSetupPage *page = find_child (GTK_WIDGET (window), VESICLE_TYPE_SETUP_PAGE);
  VesicleResultsView *results = find_child (GTK_WIDGET (window), VESICLE_TYPE_RESULTS_VIEW);
  Watch watch = { window, find_child (GTK_WIDGET (window), VESICLE_TYPE_RUN_VIEW) };
  Lateness late = { 0 };
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  GtkWidget *figure;
  double estimate, took;
  guint tick;

  vesicle_window_select (window, "train");
  g_assert_true (vesicle_setup_page_set_text (page, "hidden", "20"));
  g_assert_true (vesicle_setup_page_set_text (page, "epochs", "3"));
  /* enough examples that training, which the estimate is about, outweighs opening the device
   * and writing the folder */
  g_assert_true (vesicle_setup_page_set_text (page, "max_train", "4000"));
  g_assert_true (vesicle_setup_page_set_text (page, "c", "0.01, 1"));
  vesicle_test_wait_until (setup_ready, page, 60, "the custom run to be runnable");
  /* the first estimate on this device measures it (a second of training, on a worker) */
  vesicle_test_wait_until (estimated, page, 60, "the device to be measured for the estimate");
  estimate = vesicle_setup_page_get_estimate (page);

  tick = g_timeout_add (10, on_tick, &late);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "run");
  g_assert_true (vesicle_run_view_get_running (watch.run));
  g_assert_true (action_enabled (window, "cancel"));
  g_assert_false (action_enabled (window, "run"));
  vesicle_test_wait_until (run_finished, &watch, 300, "the run to finish");
  g_source_remove (tick);

  g_test_message ("progress rose to %.3f; the main loop ran %u ticks, the latest %.1f ms late",
                  watch.max_fraction, late.ticks, late.worst_us / 1000.0);
  took = vesicle_run_view_get_elapsed (watch.run);
  g_test_message ("estimated %.2f s, took %.2f s", estimate, took);
  /* measured, not guessed: within a generous factor of the run (measured 0.18 s against 0.44 s:
   * reading the data and each epoch's shuffle, evaluation and checkpoint are outside the model).
   * Under the sanitizers the host's share slows by another factor than the kernels' */
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpfloat (estimate, >, took / 3);
  g_assert_cmpfloat (estimate, <, took * 3);
#endif
  g_assert_false (watch.went_back);
  g_assert_cmpfloat (watch.max_fraction, >=, 1.0 - 1e-9);
  /* a latency bound far above normal, not a timing test; under the sanitizers every call is
   * slower by a varying factor, so that run checks memory and leaves the bound to this one */
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (late.worst_us, <, 100 * 1000);
#endif
  g_assert_cmpuint (late.ticks, >, 10);

  /* the window shows the results, and the figure draws */
  vesicle_test_wait_until (results_drawn, results, 60, "the results to draw");
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "results");
  g_assert_nonnull (vesicle_results_view_get_plot (results, "training"));
  g_assert_true (action_enabled (window, "export"));
  vesicle_test_spin (0.5);
  figure = GTK_WIDGET (find_child (GTK_WIDGET (results), g_type_from_name ("VesicleFigureView")));
  g_assert_nonnull (figure);
  g_assert_cmpuint (painted_pixels (figure), >, 2000);

  /* the log has a line per epoch, with what the networks reached */
  {
    g_autofree char *log = run_log_text (watch.run);

    g_assert_nonnull (strstr (log, "Epoch 1 of "));
    g_assert_nonnull (strstr (log, "test accuracy 0."));
    g_assert_nonnull (strstr (log, "mean σ "));
  }

  trained = find_folder ("train-");
  rec = vesicle_experiment_record_load (trained, NULL);
  g_assert_nonnull (rec);
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_COMPLETED);
  close_window (window);
}

/* ---- cancelling ------------------------------------------------------------------------------ */


/* The first cohort has finished and the second is training. */
static gboolean
second_cohort_running (gpointer data)
{
  const char *dir = vesicle_run_view_get_folder (data);
  g_autofree char *first = dir ? g_build_filename (dir, "cohort-0", "run.json", NULL) : NULL;
  g_autofree char *second = dir ? g_build_filename (dir, "cohort-1", "metrics.csv", NULL) : NULL;
  g_autofree char *text = NULL;

  if (!first || !g_file_get_contents (first, &text, NULL, NULL))
    return FALSE;
  return strstr (text, "\"completed\"") != NULL && g_file_test (second, G_FILE_TEST_EXISTS);
}

static gboolean
partial_drawn (gpointer data)
{
  return vesicle_run_view_get_n_partial (data) >= 2 || !vesicle_run_view_get_running (data);
}

static gboolean
stopped (gpointer data)
{
  return !vesicle_run_view_get_running (data);
}

static gboolean
resume_enabled (gpointer data)
{
  return action_enabled (data, "resume");
}

static void
test_cancel (void)
{
  VesicleWindow *window = new_window ();
  VesicleSetupPage *page = find_child (GTK_WIDGET (window), VESICLE_TYPE_SETUP_PAGE);
  VesicleRunView *run = find_child (GTK_WIDGET (window), VESICLE_TYPE_RUN_VIEW);
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  g_autoptr(GArray) networks = NULL;
  g_autofree char *dir = NULL;

  vesicle_window_select (window, "tradeoff");
  /* two cohorts of one network; the second long enough to be cancelled while it runs */
  g_assert_true (vesicle_setup_page_set_text (page, "hidden", "20"));
  g_assert_true (vesicle_setup_page_set_text (page, "rho", "1/2"));
  g_assert_true (vesicle_setup_page_set_text (page, "c", "0.01, 1"));
  g_assert_true (vesicle_setup_page_set_text (page, "settings", "hetero"));
  g_assert_true (vesicle_setup_page_set_text (page, "seeds", "1"));
  g_assert_true (vesicle_setup_page_set_text (page, "max_cohort", "1"));
  g_assert_true (vesicle_setup_page_set_text (page, "max_train", "200"));
  g_assert_true (vesicle_setup_page_set_text (page, "epochs", "100"));
  vesicle_test_wait_until (setup_ready, page, 60, "the tradeoff to be runnable");
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  vesicle_test_wait_until (second_cohort_running, run, 300, "the second cohort to be training");
  /* results so far: Fig 2 and Fig 3 from the first cohort, while the second trains */
  vesicle_test_wait_until (partial_drawn, run, 60, "the figures so far");
  g_assert_true (vesicle_run_view_get_running (run));
  g_assert_cmpuint (vesicle_run_view_get_n_partial (run), ==, 2);
  dir = g_strdup (vesicle_run_view_get_folder (run));

  /* Escape: within a minute of the start it cancels at once */
  g_action_group_activate_action (G_ACTION_GROUP (window), "cancel", NULL);
  vesicle_test_wait_until (stopped, run, 30, "the run to stop");

  rec = vesicle_experiment_record_load (dir, NULL);
  g_assert_nonnull (rec);
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_CANCELLED);
  g_assert_cmpuint (rec->runs->len, ==, 2);
  networks = vesicle_experiment_record_networks (rec, NULL);
  g_assert_nonnull (networks);
  /* the finished cohort is all there: its network at its last epoch, with an accuracy */
  g_assert_cmpuint (networks->len, >=, 1);
  {
    VesicleNetworkSummary *first = &g_array_index (networks, VesicleNetworkSummary, 0);

    g_assert_cmpuint (first->run, ==, 0);
    g_assert_cmpuint (first->epoch, ==, 100);
    g_assert_true (first->finished);
    g_assert_true (isfinite (first->test_accuracy));
  }
  /* the cancelled cohort says so, and keeps the epochs it finished */
  {
    g_autofree char *info = g_build_filename (dir, "cohort-1", "run.json", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (info, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"cancelled\""));
    g_assert_cmpuint (networks->len, ==, 2);
    g_assert_cmpuint (g_array_index (networks, VesicleNetworkSummary, 1).epoch, >=, 1);
    g_assert_cmpuint (g_array_index (networks, VesicleNetworkSummary, 1).epoch, <, 100);
    g_assert_false (g_array_index (networks, VesicleNetworkSummary, 1).finished);
  }
  /* the page it opens on says plainly what was kept, and the table marks the unfinished one */
  {
    VesicleResultsView *results = find_child (GTK_WIDGET (window), VESICLE_TYPE_RESULTS_VIEW);
    Showing shown = { results, dir };

    vesicle_test_wait_until (results_show, &shown, 60, "the cancelled experiment's results");
    g_assert_nonnull (find_label_containing (GTK_WIDGET (results),
                                             "1 network finished training and is drawn; "
                                             "1 stopped part of the way"));
    g_assert_nonnull (find_label_containing (GTK_WIDGET (results), ", unfinished"));
  }
  {
    g_autoptr(VesicleExperimentRecord) cohort = NULL;
    g_autofree char *c0 = g_build_filename (dir, "cohort-0", NULL);
    g_autofree char *mu = g_build_filename (c0, "mu.npy", NULL);

    g_assert_true (g_file_test (mu, G_FILE_TEST_IS_REGULAR));
  }

  /* Resume, from the results it shows: the cancelled cohort goes on, the finished one stays */
  {
    g_autofree char *first = g_build_filename (dir, "cohort-0", "run.json", NULL);
    g_autofree char *before = NULL, *after = NULL;
    g_autoptr(VesicleExperimentRecord) resumed = NULL;
    g_autoptr(GArray) all = NULL;

    guint done_before = g_array_index (networks, VesicleNetworkSummary, 1).epoch;
    double took_before = vesicle_experiment_record_took (rec);

    g_assert_true (isfinite (took_before) && took_before > 0);
    g_assert_true (g_file_get_contents (first, &before, NULL, NULL));
    vesicle_test_wait_until (resume_enabled, window, 30, "Resume to be offered");
    g_action_group_activate_action (G_ACTION_GROUP (window), "resume", NULL);
    g_assert_true (vesicle_run_view_get_running (run));
    vesicle_test_wait_until (stopped, run, 300, "the resumed run to finish");
    resumed = vesicle_experiment_record_load (dir, NULL);
    g_assert_nonnull (resumed);
    g_assert_cmpint (resumed->status, ==, VESICLE_RUN_COMPLETED);
    all = vesicle_experiment_record_networks (resumed, NULL);
    g_assert_cmpuint (all->len, ==, 2);
    g_assert_cmpuint (g_array_index (all, VesicleNetworkSummary, 1).epoch, ==, 100);
    g_assert_true (g_array_index (all, VesicleNetworkSummary, 1).finished);
    g_assert_true (g_file_get_contents (first, &after, NULL, NULL));
    g_assert_cmpstr (before, ==, after);
    g_assert_false (action_enabled (window, "resume"));
    /* the live curves held the whole history: the epochs before the resume too */
    g_test_message ("resumed after epoch %u; the chart drew %u rows", done_before,
                    vesicle_run_view_get_n_charted (run));
    if (vesicle_run_view_get_n_charted (run) != 100)
      {
        g_autofree char *log = run_log_text (run);

        g_printerr ("%s\n", log);
      }
    g_assert_cmpuint (vesicle_run_view_get_n_charted (run), ==, 100);
    {
      g_autofree char *log = run_log_text (run);

      g_assert_nonnull (strstr (log, "Epoch 1 of 100, trained before the resume"));
    }
    /* and the time is the whole training's: the first start, both sessions counted */
    g_assert_nonnull (resumed->started);
    g_assert_true (g_date_time_equal (resumed->started, rec->started));
    g_assert_cmpfloat (vesicle_experiment_record_took (resumed), >, took_before);
  }
  close_window (window);
  vesicle_test_remove_tree (dir);
}

/* ---- export ---------------------------------------------------------------------------------- */

typedef struct {
  char *path;
} Exported;

static void
on_exported (VesicleExportWindow *window,
             const char          *path,
             Exported            *e)
{
  e->path = g_strdup (path);
}

static gboolean
exported (gpointer data)
{
  return ((Exported *) data)->path != NULL;
}

/* Exports the training figure as @format; the window starts from @starts_as, the format of the
 * last export (or Preferences' default). */
static void
check_export (const char *format,
              const char *starts_as,
              const char *magic,
              gsize       magic_len)
{
  g_autofree char *start_suffix = g_strdup_printf ("-training.%s", starts_as);
  g_autofree char *tmp = vesicle_test_tmp_dir ("app-export");
  g_autofree char *path = g_strdup_printf ("%s/figure.%s", tmp, format);
  g_autofree char *contents = NULL;
  Exported e = { NULL };
  VesicleWindow *window = new_window ();
  VesicleExportWindow *export = vesicle_export_window_new (GTK_WINDOW (window), trained, NULL,
                                                           "training", FALSE);
  gsize length = 0;

  g_assert_nonnull (trained);
  g_signal_connect (export, "exported", G_CALLBACK (on_exported), &e);
  gtk_window_present (GTK_WINDOW (export));
  /* a name from the experiment and the figure, in the format the last export used */
  g_assert_true (g_str_has_suffix (vesicle_export_window_get_suggested_name (export),
                                   start_suffix));
  vesicle_export_window_set_options (export, format, 85, 0, 150);
  g_assert_true (g_str_has_suffix (vesicle_export_window_get_suggested_name (export), format));
  vesicle_test_spin (0.2);
  vesicle_export_window_export_to (export, path);
  vesicle_test_wait_until (exported, &e, 60, "the export");
  g_assert_cmpstr (e.path, ==, path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, magic_len, magic, magic_len);
  if (g_str_equal (format, "png"))
    {
      /* 85 mm at 150 dpi: 502 pixels wide (IHDR, big-endian) */
      guint32 w = GUINT32_FROM_BE (*(guint32 *) (gpointer) (contents + 16));

      g_assert_cmpuint (w, >=, 501);
      g_assert_cmpuint (w, <=, 503);
    }
  g_free (e.path);
  close_window (window);
  vesicle_test_remove_tree (tmp);
}

static void
test_export (void)
{
  check_export ("svg", "pdf", "<?xml", 5);
  check_export ("pdf", "svg", "%PDF", 4);
  check_export ("png", "pdf", "\x89PNG", 4);
}

/* ---- reopening ------------------------------------------------------------------------------- */

/* The overview's figure view that draws @figure. */
static GtkWidget *
find_figure_view (GtkWidget  *widget,
                  const char *figure)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), "figure"), figure) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_figure_view (c, figure);

      if (found)
        return found;
    }
  return NULL;
}

static gpointer find_toplevel (GType type);

/* Ctrl+E's action opens the export window on @figure, which can pick any of the experiment's. */
static void
check_export_opens_on (VesicleWindow *window,
                       const char    *figure)
{
  VesicleExportWindow *export;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  vesicle_test_spin (0.2);
  export = find_toplevel (VESICLE_TYPE_EXPORT_WINDOW);
  g_assert_nonnull (export);
  g_assert_cmpstr (vesicle_export_window_get_figure (export), ==, figure);
  assert_choices_whole (GTK_WIDGET (export), "the export window");
  g_assert_nonnull (strstr (vesicle_export_window_get_suggested_name (export), figure));
  gtk_window_destroy (GTK_WINDOW (export));
  vesicle_test_spin (0.1);
}

typedef struct {
  char     *message;
  gboolean  loaded;
} Opened;

static void
on_failed (VesicleResultsView *view,
           const char         *message,
           Opened             *o)
{
  o->message = g_strdup (message);
}

static gboolean
failed (gpointer data)
{
  return ((Opened *) data)->message != NULL;
}

static void
test_reopen (void)
{
  VesicleWindow *window = new_window ();
  VesicleResultsView *results = find_child (GTK_WIDGET (window), VESICLE_TYPE_RESULTS_VIEW);
  g_autofree char *fixture = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "figures",
                                               "tradeoff", NULL);
  g_autofree char *empty = vesicle_test_tmp_dir ("app-not-an-experiment");
  Opened o = { NULL };

  /* a saved tradeoff: both of its figures and the curves, drawn without training */
  vesicle_window_open_folder (window, fixture);
  vesicle_test_wait_until (results_drawn, results, 60, "the saved experiment to draw");
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "results");
  g_assert_nonnull (vesicle_results_view_get_plot (results, "fig2"));
  g_assert_nonnull (vesicle_results_view_get_plot (results, "fig3"));
  g_assert_cmpstr (vesicle_results_view_get_figure (results), ==, "fig2");
  vesicle_results_view_show_figure (results, "fig3");
  g_assert_cmpstr (vesicle_results_view_get_figure (results), ==, "fig3");
  /* a click on a panel: that panel alone, with its own key; Escape and Alt+Left go back */
  {
    g_auto(GStrv) escape = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                                  "Escape");
    g_auto(GStrv) back = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                                "<Alt>Left");

    g_assert_true (g_strv_contains ((const char *const *) escape, "win.escape"));
    g_assert_cmpuint (g_strv_length (escape), ==, 1);
    g_assert_true (g_strv_contains ((const char *const *) back, "win.back"));
    g_assert_true (action_enabled (window, "back"));    /* Fig 3 is shown alone */
    vesicle_results_view_show_overview (results);
    g_assert_false (action_enabled (window, "back"));
    vesicle_results_view_show_panel (results, "fig2", 1);
    g_assert_cmpstr (vesicle_results_view_get_figure (results), ==, "fig2");
    g_assert_cmpint (vesicle_results_view_get_panel (results), ==, 1);
    g_assert_true (action_enabled (window, "back"));
    g_assert_true (action_enabled (window, "escape"));
    g_action_group_activate_action (G_ACTION_GROUP (window), "escape", NULL);
    g_assert_false (vesicle_results_view_get_showing_one (results));
    g_assert_cmpint (vesicle_results_view_get_panel (results), ==, -1);
    g_assert_false (action_enabled (window, "escape"));
    vesicle_results_view_show_panel (results, "fig2", 0);
    g_action_group_activate_action (G_ACTION_GROUP (window), "back", NULL);
    g_assert_false (vesicle_results_view_get_showing_one (results));
  }

  /* the networks table holds every row itself: no scroller of its own inside the page's */
  {
    GtkWidget *table = find_child (GTK_WIDGET (results), VESICLE_TYPE_NETWORK_TABLE);
    GtkScrolledWindow *inner = find_child (table, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (inner);

    vesicle_test_spin (0.3);
    g_assert_cmpfloat (gtk_adjustment_get_upper (v), >, 0);
    g_assert_cmpfloat (gtk_adjustment_get_page_size (v), >=, gtk_adjustment_get_upper (v));
  }

  /* scrolled down, then another experiment: it opens at its top */
  {
    GtkScrolledWindow *scroller = find_child (GTK_WIDGET (results), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (scroller);
    g_autofree char *bayes = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "figures",
                                               "bayes", NULL);

    /* short enough that the page scrolls */
    gtk_window_set_default_size (GTK_WINDOW (window), 900, 420);
    vesicle_test_spin (0.5);
    gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
    vesicle_test_spin (0.2);
    g_assert_cmpfloat (gtk_adjustment_get_value (v), >, 0);
    Showing second = { results, bayes }, first = { results, fixture };

    vesicle_window_open_folder (window, bayes);
    vesicle_test_wait_until (results_show, &second, 60, "the second experiment to draw");
    vesicle_test_spin (0.2);
    g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0);
    vesicle_window_open_folder (window, fixture);
    vesicle_test_wait_until (results_show, &first, 60, "the saved experiment to draw again");

    /* Ctrl+E exports what is on screen: Fig 2 at the top, Fig 3 once scrolled to it */
    vesicle_test_spin (0.3);
    check_export_opens_on (window, "fig2");
    {
      GtkWidget *fig3 = find_figure_view (GTK_WIDGET (results), "fig3");
      graphene_rect_t bounds;

      g_assert_nonnull (fig3);
      g_assert_true (gtk_widget_compute_bounds (fig3, GTK_WIDGET (scroller), &bounds));
      gtk_adjustment_set_value (v, gtk_adjustment_get_value (v) + bounds.origin.y);
      vesicle_test_spin (0.3);
    }
    check_export_opens_on (window, "fig3");
    gtk_adjustment_set_value (v, 0);
  }

  /* a folder that is not an experiment: the message names the file, the page stays */
  g_signal_connect (results, "failed", G_CALLBACK (on_failed), &o);
  vesicle_window_open_folder (window, empty);
  vesicle_test_wait_until (failed, &o, 30, "the refusal");
  g_assert_nonnull (strstr (o.message, "experiment.json"));
  g_assert_nonnull (strstr (o.message, empty));
  g_free (o.message);
  /* ... and the experiment shown before is still there, whole */
  vesicle_test_spin (0.3);
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "results");
  g_assert_cmpstr (vesicle_results_view_get_folder (results), ==, fixture);
  g_assert_nonnull (vesicle_results_view_get_record (results));
  g_assert_nonnull (vesicle_results_view_get_plot (results, "fig2"));
  close_window (window);
  vesicle_test_remove_tree (empty);
}

/* ---- narrow ---------------------------------------------------------------------------------- */

/* GNOME's narrowest phone width: every page fits it, folded. */
#define NARROWEST 360

static int
min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* The chain of widgets wider than @limit at their minimum, down to the one that is wide by
 * itself: what a failure must name. */
static void
print_too_wide (GtkWidget *widget,
                int        limit,
                int        depth)
{
  if (!gtk_widget_get_visible (widget) || min_width (widget) <= limit)
    return;
  g_printerr ("%*s%s%s%s: at least %d px\n", 2 * depth, "", G_OBJECT_TYPE_NAME (widget),
              gtk_widget_get_name (widget) ? " " : "", gtk_widget_get_name (widget),
              min_width (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      /* side by side, each narrow enough: name them all */
      if (min_width (c) <= limit && gtk_widget_get_visible (c))
        g_printerr ("%*s%s beside: %d px\n", 2 * depth + 2, "", G_OBJECT_TYPE_NAME (c),
                    min_width (c));
      print_too_wide (c, limit, depth + 1);
    }
}

static void
assert_fits_narrowest (VesicleWindow *window,
                       const char    *what)
{
  int min;

  vesicle_test_spin (0.3);
  min = min_width (GTK_WIDGET (window));
  g_test_message ("%s: the window is at least %d px wide", what, min);
  if (min > NARROWEST)
    {
      print_too_wide (GTK_WIDGET (window), NARROWEST, 0);
      g_error ("%s: the window needs %d px, more than %d", what, min, NARROWEST);
    }
}

/* Every page, at its widest content, still fits a 360 px window. */
static void
test_narrow (void)
{
  VesicleWindow *window = new_window ();
  VesicleResultsView *results = find_child (GTK_WIDGET (window), VESICLE_TYPE_RESULTS_VIEW);
  static const char *const experiments[] = { "costs", "tradeoff", "importance", "bayes",
                                             "predictive", "zero-hidden", "train" };
  GSettings *settings = vesicle_application_get_settings (app);
  /* the folders opened here join the recent list: left as found, so that a later window does
   * not read six records while it trains */
  g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-experiments");

  assert_fits_narrowest (window, "the start page");
  for (guint i = 0; i < G_N_ELEMENTS (experiments); i++)
    {
      vesicle_window_select (window, experiments[i]);
      assert_fits_narrowest (window, experiments[i]);
      assert_choices_whole (GTK_WIDGET (window), experiments[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (experiments) - 1; i++)
    {
      g_autofree char *fixture = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data",
                                                   "figures", experiments[i], NULL);
      Showing shown = { results, fixture };

      vesicle_window_open_folder (window, fixture);
      vesicle_test_wait_until (results_show, &shown, 60, "the saved experiment to draw");
      assert_fits_narrowest (window, fixture);
    }
  close_window (window);
  g_settings_set_strv (settings, "recent-experiments", (const char *const *) recent);
}

/* ---- preferences, about, shortcuts ---------------------------------------------------------- */

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

/* The row titled @title under @widget, of any row type. */
static AdwPreferencesRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_PREFERENCES_ROW (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwPreferencesRow *found = find_row (c, title);

      if (found)
        return found;
    }
  return NULL;
}

/* The windows the menu opens build from their templates (any warning is fatal here), and the
 * preferences set what the export window then starts from. */
static void
test_dialogs (void)
{
  VesicleWindow *window = new_window ();
  GSettings *settings = vesicle_application_get_settings (app);
  GtkWindow *prefs, *about, *shortcuts;
  AdwComboRow *format;
  char *chosen;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  vesicle_test_spin (0.3);
  g_assert_nonnull (prefs = find_toplevel (g_type_from_name ("VesiclePreferencesWindow")));
  g_assert_nonnull (format = ADW_COMBO_ROW (find_row (GTK_WIDGET (prefs), "Format")));
  assert_choices_whole (GTK_WIDGET (prefs), "Preferences");
  /* the rows list PDF, SVG, PNG, CSV: SVG becomes the default format */
  adw_combo_row_set_selected (format, 1);
  chosen = g_settings_get_string (settings, "export-format");
  g_assert_cmpstr (chosen, ==, "svg");
  g_free (chosen);
  adw_combo_row_set_selected (format, 0);
  chosen = g_settings_get_string (settings, "export-format");
  g_assert_cmpstr (chosen, ==, "pdf");
  g_free (chosen);
  gtk_window_destroy (prefs);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  vesicle_test_spin (0.3);
  g_assert_nonnull (about = find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, VESICLE_VERSION);
  gtk_window_destroy (about);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  vesicle_test_spin (0.3);
  g_assert_nonnull (shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  gtk_window_destroy (shortcuts);
  close_window (window);
}


/* The button labelled @label under @widget. */
static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkButton *found = find_button (c, label);

      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget      *progress_row;
  GtkProgressBar *bar;
  gboolean        shown;
  double          highest;
} Tuning;

/* the progress row came and went again */
static gboolean
tuning_over (gpointer data)
{
  Tuning *t = data;

  if (gtk_widget_get_visible (t->progress_row))
    {
      t->shown = TRUE;
      t->highest = MAX (t->highest, gtk_progress_bar_get_fraction (t->bar));
    }
  return t->shown && !gtk_widget_get_visible (t->progress_row);
}

static char *
saved_tuning (void)
{
  g_autofree char *dir = g_build_filename (cache, "vesicle", "clblast", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name = d ? g_dir_read_name (d) : NULL;
  char *contents = NULL;

  if (name)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_null (g_dir_read_name (d));     /* one device, one file */
    }
  return contents;
}

/* The description of the Preferences group that says which GEMM experiments run. */
static const char *
gemm_story (GtkWidget *widget)
{
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      const char *d = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget));

      if (d && strstr (d, "multiply matrices"))
        return d;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      const char *found = gemm_story (c);

      if (found)
        return found;
    }
  return NULL;
}

/* Tune in the Preferences: progress shows and rises, the tuning is saved and the row says so;
 * the group says which GEMM runs, as measured (the shipped table for PoCL, then the tuning);
 * Stop ends a second one with nothing saved over the first. Only CLBlast's own parameters are
 * timed ($VESICLE_TUNE_CANDIDATES, set in main): every candidate would compile for minutes. */
static void
test_tune (void)
{
  VesicleWindow *window = new_window ();
  GtkWindow *prefs;
  AdwPreferencesRow *row;
  Tuning t = { 0 };
  g_autofree char *first = NULL, *after_stop = NULL;
  const char *subtitle;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  vesicle_test_spin (0.3);
  g_assert_nonnull (prefs = find_toplevel (g_type_from_name ("VesiclePreferencesWindow")));
  g_assert_nonnull (row = find_row (GTK_WIDGET (prefs), "CLBlast tuning"));
  g_assert_nonnull (t.progress_row = GTK_WIDGET (find_row (GTK_WIDGET (prefs), "Tuning")));
  g_assert_nonnull (t.bar = find_child (t.progress_row, GTK_TYPE_PROGRESS_BAR));
  g_assert_false (gtk_widget_get_visible (t.progress_row));
  g_assert_null (saved_tuning ());
  /* never tuned here: PoCL's entry in the shipped table measured Vesicle's GEMM faster */
  g_assert_nonnull (strstr (gemm_story (GTK_WIDGET (prefs)),
                            "with Vesicle's own kernels, measured faster here than CLBlast"));

  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (row), "_Tune")));
  vesicle_test_wait_until (tuning_over, &t, 900, "the tuning to finish");
  g_assert_cmpfloat (t.highest, >, 0.5);
  g_assert_nonnull (first = saved_tuning ());
  g_assert_nonnull (strstr (first, "\"label\": \"own\""));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "own, tuned on this machine on 20"));
  /* the group follows what the tuning measured */
  g_assert_nonnull (strstr (gemm_story (GTK_WIDGET (prefs)),
                            strstr (first, "\"gemm\": \"vesicle\"")
                            ? "with Vesicle's own kernels, measured faster here"
                            : "with CLBlast, measured faster here"));

  /* Stop: the tuning ends cancelled, the saved one stays */
  t = (Tuning) { t.progress_row, t.bar, FALSE, 0 };
  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (row), "_Tune")));
  vesicle_test_spin (0.05);
  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (row), "_Stop")));
  vesicle_test_wait_until (tuning_over, &t, 300, "the stopped tuning to end");
  g_assert_cmpstr (after_stop = saved_tuning (), ==, first);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_button (GTK_WIDGET (row), "_Tune"))));
  gtk_window_destroy (prefs);
  close_window (window);
}

/* ---- closing during a run -------------------------------------------------------------------- */

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* ---- renaming ------------------------------------------------------------------------------- */

/* Copies the files of @from (one level of folders) into @to. */
static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (a, G_FILE_TEST_IS_DIR))
        {
          copy_tree (a, b);
          continue;
        }
      g_assert_true (g_file_get_contents (a, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (b, contents, length, NULL));
    }
}

static gboolean
showing (gpointer data)
{
  gpointer *what = data;
  VesicleResultsView *results = what[0];

  return g_strcmp0 (vesicle_results_view_get_folder (results), what[1]) == 0
         && results_drawn (results);
}

/* Types @name into the rename dialog the action opens; returns the dialog, still open. */
static AdwMessageDialog *
rename_dialog (VesicleWindow *window,
               const char    *name)
{
  AdwMessageDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (window), "rename", NULL);
  vesicle_test_spin (0.3);
  g_assert_nonnull (dialog = find_dialog ());
  gtk_editable_set_text (GTK_EDITABLE (find_child (adw_message_dialog_get_extra_child (dialog),
                                                   GTK_TYPE_ENTRY)), name);
  return dialog;
}

/* The words under the dialog's name field ("" when none show). */
static const char *
rename_problem_shown (AdwMessageDialog *dialog)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *label = find_child (box, GTK_TYPE_LABEL);

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

/* Renames the shown experiment through the dialog the action opens. */
static void
rename_to (VesicleWindow *window,
           const char    *name)
{
  AdwMessageDialog *dialog = rename_dialog (window, name);

  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "rename"));
  adw_message_dialog_response (dialog, "rename");
  vesicle_test_spin (0.3);
}

/* A name the dialog refuses while it is typed: it says why under the field, Rename is off. */
static void
refused_name (VesicleWindow *window,
              const char    *name,
              const char    *why)
{
  AdwMessageDialog *dialog = rename_dialog (window, name);

  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_nonnull (strstr (rename_problem_shown (dialog), why));
  gtk_window_destroy (GTK_WINDOW (dialog));
  vesicle_test_spin (0.2);
}

static void
test_rename (void)
{
  VesicleWindow *window = new_window ();
  VesicleResultsView *results = find_child (GTK_WIDGET (window), VESICLE_TYPE_RESULTS_VIEW);
  g_autofree char *fixture = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "figures",
                                               "tradeoff", NULL);
  g_autofree char *tmp = vesicle_test_tmp_dir ("app-rename");
  g_autofree char *dir = g_build_filename (tmp, "tradeoff-copy", NULL);
  g_autofree char *renamed = g_build_filename (tmp, "grid-of-c", NULL);
  g_autofree char *other = g_build_filename (tmp, "taken", NULL);
  gpointer what[2] = { results, dir };

  copy_tree (fixture, dir);
  g_assert_cmpint (g_mkdir (other, 0755), ==, 0);
  vesicle_window_open_folder (window, dir);
  vesicle_test_wait_until (showing, what, 60, "the copy to open");
  g_assert_true (action_enabled (window, "rename"));

  /* the folder takes the new name and opens from there */
  rename_to (window, "grid-of-c");
  what[1] = renamed;
  vesicle_test_wait_until (showing, what, 60, "the renamed folder to open");
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_nonnull (vesicle_results_view_get_plot (results, "fig2"));

  /* a name that is taken, or that is no name, is refused in the dialog, saying why */
  refused_name (window, "taken", "already exists");
  refused_name (window, "../escape", "“/”");
  refused_name (window, "  ", "empty");
  g_assert_cmpstr (vesicle_results_view_get_folder (results), ==, renamed);
  g_assert_true (g_file_test (renamed, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_DIR));
  close_window (window);
  vesicle_test_remove_tree (tmp);
}

/* ---- the start page lists the experiments folder ------------------------------------------ */

static gboolean
row_shown (gpointer data)
{
  gpointer *what = data;

  return find_row (what[0], what[1]) != NULL;
}

/* An experiment saved in the experiments folder, never opened here (by the CLI, say), is listed
 * on the start page: it is not "No Experiments Yet". */
static void
test_start_lists_folder (void)
{
  g_autofree char *fixture = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "figures",
                                               "tradeoff", NULL);
  g_autofree char *saved = g_build_filename (experiments, "saved-by-the-cli", NULL);
  GSettings *settings = vesicle_application_get_settings (app);
  g_auto(GStrv) before = g_settings_get_strv (settings, "recent-experiments");
  const char *none[] = { NULL };
  VesicleWindow *window;
  gpointer what[2];

  g_settings_set_strv (settings, "recent-experiments", none);
  copy_tree (fixture, saved);
  window = new_window ();
  what[0] = find_child (GTK_WIDGET (window), VESICLE_TYPE_START_PAGE);
  what[1] = "saved-by-the-cli";
  vesicle_test_wait_until (row_shown, what, 30, "the folder's experiment to be listed");
  close_window (window);
  vesicle_test_remove_tree (saved);
  g_settings_set_strv (settings, "recent-experiments", (const char *const *) before);
}

/* ---- a reproduction, reopened ---------------------------------------------------------------- */

static gboolean
reproduction_shown (gpointer data)
{
  gpointer *what = data;

  return g_strcmp0 (vesicle_window_get_page (what[0]), "reproduction") == 0
         && g_strcmp0 (vesicle_reproduction_view_get_folder (what[1]), what[2]) == 0;
}

static gboolean
report_gone (gpointer data)
{
  return !vesicle_reproduction_view_has_report (data);
}

static gboolean
report_written (gpointer data)
{
  return vesicle_reproduction_view_has_report (data);
}

/* A folder with every experiment of the paper in its subfolders, and no report yet, reopens
 * as one thing: its experiments, its table of claims, a report it can write; the recent list
 * gains that folder; an experiment opens from it. */
static void
test_reproduction (void)
{
  static const char *const names[] = { "costs", "tradeoff", "importance", "bayes", "predictive",
                                       "zero-hidden" };
  VesicleWindow *window = new_window ();
  VesicleReproductionView *view = find_child (GTK_WIDGET (window),
                                              VESICLE_TYPE_REPRODUCTION_VIEW);
  VesicleResultsView *results = find_child (GTK_WIDGET (window), VESICLE_TYPE_RESULTS_VIEW);
  g_autofree char *tmp = vesicle_test_tmp_dir ("app-reproduction");
  g_autofree char *dir = g_build_filename (tmp, "reproduction-1", NULL);
  g_autofree char *tradeoff = g_build_filename (dir, "tradeoff", NULL);
  g_autofree char *report = g_build_filename (dir, "report.pdf", NULL);
  GSettings *settings = vesicle_application_get_settings (app);
  g_auto(GStrv) recent = NULL;
  gpointer what[3] = { window, view, dir };
  Showing sub = { results, tradeoff };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *from = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "figures",
                                                names[i], NULL);
      g_autofree char *to = g_build_filename (dir, names[i], NULL);

      copy_tree (from, to);
    }
  vesicle_window_open_folder (window, dir);
  vesicle_test_wait_until (reproduction_shown, what, 60, "the reproduction to open");
  g_assert_cmpuint (vesicle_reproduction_view_get_n_completed (view), ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (vesicle_reproduction_view_get_n_claims (view), >, 20);
  g_assert_false (vesicle_reproduction_view_has_report (view));
  g_assert_true (action_enabled (window, "show-folder"));
  g_assert_false (action_enabled (window, "export"));
  recent = g_settings_get_strv (settings, "recent-experiments");
  g_assert_cmpstr (recent[0], ==, dir);

  /* the report, written from the page */
  {
    GtkWidget *button = GTK_WIDGET (find_button (GTK_WIDGET (view), "_Write Report"));

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_is_sensitive (button));
    g_signal_emit_by_name (button, "clicked");
    vesicle_test_wait_until (report_written, view, 240, "the report to be written");
    g_assert_true (g_file_test (report, G_FILE_TEST_IS_REGULAR));
  }

  /* a report.pdf that is a symbolic link out of the folder is never written through */
  {
    g_autofree char *outside = g_build_filename (tmp, "outside.txt", NULL);
    g_autofree char *kept = NULL;
    GtkButton *button;

    g_assert_true (g_file_set_contents (outside, "not yours", -1, NULL));
    g_assert_cmpint (g_remove (report), ==, 0);
    g_assert_cmpint (symlink (outside, report), ==, 0);
    vesicle_window_open_folder (window, dir);
    vesicle_test_wait_until (report_gone, view, 240, "the folder to be read again");
    button = find_button (GTK_WIDGET (view), "_Write Report");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    vesicle_test_spin (1.0);
    g_assert_true (g_file_get_contents (outside, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "not yours");
    g_assert_nonnull (find_label_containing (GTK_WIDGET (view), "symbolic link"));
    g_assert_cmpint (g_remove (report), ==, 0);
  }

  /* one of its experiments, opened from its row */
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-folder",
                                  g_variant_new_string (tradeoff));
  vesicle_test_wait_until (results_show, &sub, 60, "the tradeoff to open");
  g_assert_cmpstr (vesicle_window_get_page (window), ==, "results");
  close_window (window);
  vesicle_test_remove_tree (tmp);
}

static gboolean
destroyed (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
started (gpointer data)
{
  g_autofree char *info = NULL;
  const char *dir = vesicle_run_view_get_folder (data);

  info = dir ? g_build_filename (dir, "run.json", NULL) : NULL;
  return info && g_file_test (info, G_FILE_TEST_EXISTS);
}

static void
test_close_while_running (void)
{
  VesicleWindow *window = new_window ();
  VesicleSetupPage *page = find_child (GTK_WIDGET (window), VESICLE_TYPE_SETUP_PAGE);
  VesicleRunView *run = find_child (GTK_WIDGET (window), VESICLE_TYPE_RUN_VIEW);
  g_autoptr(VesicleExperimentRecord) rec = NULL;
  g_autofree char *dir = NULL;
  gpointer weak = window;
  AdwMessageDialog *dialog;

  vesicle_window_select (window, "train");
  g_assert_true (vesicle_setup_page_set_text (page, "hidden", "20"));
  g_assert_true (vesicle_setup_page_set_text (page, "max_train", "400"));
  g_assert_true (vesicle_setup_page_set_text (page, "epochs", "2000"));
  vesicle_test_wait_until (setup_ready, page, 60, "the custom run to be runnable");
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  vesicle_test_wait_until (started, run, 120, "training to start");
  dir = g_strdup (vesicle_run_view_get_folder (run));

  /* closing asks; keeping it running keeps the window */
  gtk_window_close (GTK_WINDOW (window));
  vesicle_test_spin (0.3);
  g_assert_nonnull (dialog = find_dialog ());
  adw_message_dialog_response (dialog, "keep");
  vesicle_test_spin (0.3);
  g_assert_true (vesicle_run_view_get_running (run));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* no GEMM tuning while it trains: CLBlast's parameters would change under the run */
  {
    GtkWindow *prefs;
    GtkWidget *row, *progress;

    g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
    vesicle_test_spin (0.3);
    g_assert_nonnull (prefs = find_toplevel (g_type_from_name ("VesiclePreferencesWindow")));
    g_assert_nonnull (row = GTK_WIDGET (find_row (GTK_WIDGET (prefs), "CLBlast tuning")));
    g_assert_nonnull (progress = GTK_WIDGET (find_row (GTK_WIDGET (prefs), "Tuning")));
    gtk_widget_activate (GTK_WIDGET (find_button (row, "_Tune")));
    vesicle_test_spin (0.3);
    g_assert_false (gtk_widget_get_visible (progress));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_button (row, "_Tune"))));
    gtk_window_destroy (prefs);
  }

  /* stopping cancels cleanly, then the window goes */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  vesicle_test_spin (0.3);
  g_assert_nonnull (dialog = find_dialog ());
  adw_message_dialog_response (dialog, "stop");
  vesicle_test_wait_until (destroyed, &weak, 60, "the window to close");

  rec = vesicle_experiment_record_load (dir, NULL);
  g_assert_nonnull (rec);
  g_assert_cmpint (rec->status, ==, VESICLE_RUN_CANCELLED);
  vesicle_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* tunings go to a cache of this run's own; PoCL's compiled kernels stay where they are */
  if (g_getenv ("POCL_CACHE_DIR") == NULL)
    {
      /* PoCL's default; POCL_CACHE_DIR names that folder itself */
      g_autofree char *pocl = g_getenv ("XDG_CACHE_HOME")
                              ? g_build_filename (g_getenv ("XDG_CACHE_HOME"), "pocl", "kcache",
                                                  NULL)
                              : g_build_filename (g_get_home_dir (), ".cache", "pocl", "kcache",
                                                  NULL);
      g_setenv ("POCL_CACHE_DIR", pocl, TRUE);
    }
  cache = vesicle_test_tmp_dir ("app-cache");
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("VESICLE_TUNE_CANDIDATES", "own", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  experiments = vesicle_test_tmp_dir ("app-experiments");

  app = vesicle_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_string (vesicle_application_get_settings (app), "experiments-folder",
                         experiments);

  g_test_add_func ("/app/window/opens", test_opens);
  g_test_add_func ("/app/window/dialogs", test_dialogs);
  g_test_add_func ("/app/window/narrow", test_narrow);
  g_test_add_func ("/app/setup/invalid-input", test_invalid_input);
  g_test_add_func ("/app/run/to-completion", test_run);
  g_test_add_func ("/app/run/cancel", test_cancel);
  g_test_add_func ("/app/export/svg-pdf-png", test_export);
  g_test_add_func ("/app/results/reopen", test_reopen);
  g_test_add_func ("/app/results/rename", test_rename);
  g_test_add_func ("/app/results/reproduction", test_reproduction);
  g_test_add_func ("/app/window/start-lists-folder", test_start_lists_folder);
  g_test_add_func ("/app/window/close-while-running", test_close_while_running);
  g_test_add_func ("/app/preferences/tune", test_tune);
  status = g_test_run ();

  vesicle_test_remove_tree (experiments);
  vesicle_test_remove_tree (cache);
  g_free (experiments);
  g_free (cache);
  g_free (trained);
  g_object_unref (app);
  return status;
}
