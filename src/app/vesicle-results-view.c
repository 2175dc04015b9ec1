/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-results-view.h"
#include "vesicle-figure-view.h"
#include "vesicle-figure.h"
#include "vesicle-network-table.h"
#include "vesicle-experiment-progress.h"
#include "vesicle-format.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _VesicleResultsView {
  GtkWidget                parent_instance;

  GtkStack                *stack;
  GtkScrolledWindow       *scroller;
  GtkLabel                *title;
  GtkLabel                *details;
  GtkWidget               *status_box;
  GtkImage                *status_icon;
  GtkLabel                *status_label;
  GtkWidget               *resume_button;
  GtkWidget               *figures_group;
  GtkBox                  *figures;
  GtkWidget               *networks_group;
  VesicleNetworkTable     *table;
  GtkLabel                *figure_title;
  VesicleFigureView       *big;

  char                    *dir;
  VesicleExperimentRecord *record;
  GHashTable              *views;       /* figure name -> VesicleFigureView in the overview */
  GPtrArray               *names;       /* the figures, in order */
  char                    *shown;       /* the figure shown alone, or NULL */
  int                      shown_panel; /* and its panel alone, or -1 for the whole figure */
  gboolean                 partial;
  guint                    pending;
  GCancellable            *cancellable;
};

G_DEFINE_FINAL_TYPE (VesicleResultsView, vesicle_results_view, GTK_TYPE_WIDGET)

enum {
  LOADED,
  FAILED,
  SHOWN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How many networks trained every epoch (their cohort completed), and how many stopped part of
 * the way. */
static void
count_networks (const VesicleExperimentRecord *rec,
                guint                         *finished,
                guint                         *unfinished)
{
  *finished = *unfinished = 0;
  for (guint i = 0; rec->networks && i < rec->networks->len; i++)
    {
      if (g_array_index (rec->networks, VesicleNetworkSummary, i).finished)
        (*finished)++;
      else
        (*unfinished)++;
    }
}

typedef struct {
  VesicleResultsView *self;
  VesicleFigureView  *view;
  GCancellable       *cancellable;   /* the load it belongs to */
} Drawing;

static void
on_figure_built (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Drawing *d = data;
  g_autoptr(GError) error = NULL;
  VesiclePlot *plot = vesicle_figure_build_finish (result, &error);

  if (!g_cancellable_is_cancelled (d->cancellable))
    {
      guint finished = 0, unfinished = 0;

      if (d->self->record)
        count_networks (d->self->record, &finished, &unfinished);
      if (plot)
        vesicle_figure_view_set_plot (d->view, plot);
      else if (d->self->partial && finished == 0)
        {
          /* not a fault of the folder: the figure needs what was never trained */
          vesicle_figure_view_set_message (d->view, _("Not drawn: no network finished training "
                                                      "before the experiment stopped."));
          gtk_widget_set_tooltip_text (GTK_WIDGET (d->view), error->message);
        }
      else
        vesicle_figure_view_set_message (d->view, error->message);
      if (d->self->pending > 0)
        d->self->pending--;
    }
  else if (plot)
    vesicle_plot_free (plot);
  g_object_unref (d->view);
  g_object_unref (d->self);
  g_object_unref (d->cancellable);
  g_free (d);
}

static void
draw_into (VesicleResultsView *self,
           VesicleFigureView  *view,
           const char         *name)
{
  Drawing *d = g_new0 (Drawing, 1);

  d->self = g_object_ref (self);
  d->view = g_object_ref (view);
  d->cancellable = g_object_ref (self->cancellable);
  self->pending++;
  vesicle_figure_view_set_plot (view, NULL);
  vesicle_figure_view_set_message (view, _("Drawing…"));
  vesicle_figure_build_async (name, self->dir, self->partial, self->cancellable,
                              on_figure_built, d);
}

static void
on_figure_activate (VesicleFigureView  *view,
                    int                 panel,
                    VesicleResultsView *self)
{
  vesicle_results_view_show_panel (self, g_object_get_data (G_OBJECT (view), "figure"), panel);
}

static GtkWidget *
figure_card (VesicleResultsView      *self,
             const VesicleFigureInfo *info)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_(info->title));
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  GtkWidget *view = vesicle_figure_view_new ();

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "figure-card");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (export, "flat");
  gtk_widget_set_valign (export, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (export, _("Export this figure"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "win.export-figure");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (export), "s", info->name);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), export);
  gtk_box_append (GTK_BOX (card), header);
  g_object_set_data_full (G_OBJECT (view), "figure", g_strdup (info->name), g_free);
  vesicle_figure_view_set_activatable (VESICLE_FIGURE_VIEW (view), TRUE);
  g_signal_connect (view, "activate", G_CALLBACK (on_figure_activate), self);
  gtk_box_append (GTK_BOX (card), view);
  g_hash_table_insert (self->views, g_strdup (info->name), view);
  draw_into (self, VESICLE_FIGURE_VIEW (view), info->name);
  return card;
}

static char *
describe (const VesicleExperimentRecord *rec)
{
  g_autofree char *when = rec->started ? g_date_time_format (rec->started, "%-d %B %Y, %H:%M")
                                       : g_strdup ("");
  g_autofree char *took = NULL;

  if (rec->finished && isfinite (vesicle_experiment_record_took (rec)))
    took = vesicle_format_duration (vesicle_experiment_record_took (rec));
  return g_strdup_printf (_("%s preset · started %s%s%s · %s"),
                          rec->preset ? rec->preset : "custom", g_strstrip (when),
                          took ? _(" · took ") : "", took ? took : "", rec->dir);
}

/* A cancelled experiment: plainly, what was kept and what that means. */
static char *
kept_words (const VesicleExperimentRecord *rec)
{
  guint finished, unfinished;

  count_networks (rec, &finished, &unfinished);
  if (finished == 0 && unfinished == 0)
    return g_strdup (_("Cancelled before any network trained a whole epoch: nothing was kept. "
                       "Resume starts it again."));
  if (finished == 0)
    return g_strdup_printf (g_dngettext (NULL,
                                         "Cancelled before any cohort finished. %u network had "
                                         "trained part of the way; the table shows the epoch it "
                                         "reached, marked unfinished. The figures need finished "
                                         "networks. Resume goes on from the last saved epoch.",
                                         "Cancelled before any cohort finished. %u networks had "
                                         "trained part of the way; the table shows the epoch each "
                                         "reached, marked unfinished. The figures need finished "
                                         "networks. Resume goes on from the last saved epoch.",
                                         unfinished), unfinished);
  if (unfinished == 0)
    return g_strdup_printf (g_dngettext (NULL,
                                         "Cancelled between cohorts: %u network finished "
                                         "training and is drawn; the rest never started.",
                                         "Cancelled between cohorts: %u networks finished "
                                         "training and are drawn; the rest never started.",
                                         finished), finished);
  {
    g_autofree char *done = g_strdup_printf (g_dngettext (NULL,
                                                          "%u network finished training and is "
                                                          "drawn",
                                                          "%u networks finished training and "
                                                          "are drawn", finished), finished);
    g_autofree char *part = g_strdup_printf (g_dngettext (NULL,
                                                          "%u stopped part of the way and is "
                                                          "marked unfinished in the table",
                                                          "%u stopped part of the way and are "
                                                          "marked unfinished in the table",
                                                          unfinished), unfinished);

    /* TRANSLATORS: "Cancelled before it finished: 3 networks finished training and are drawn;
     * 1 stopped part of the way and is marked unfinished in the table. Resume finishes them." */
    return g_strdup_printf (_("Cancelled before it finished: %s; %s. Resume finishes them."),
                            done, part);
  }
}

static void
show_status (VesicleResultsView            *self,
             const VesicleExperimentRecord *rec)
{
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (self->status_box, "error");
  gtk_widget_remove_css_class (self->status_box, "warning");
  switch (rec->status)
    {
    case VESICLE_RUN_COMPLETED:
      gtk_widget_set_visible (self->status_box, FALSE);
      return;
    case VESICLE_RUN_CANCELLED:
      text = kept_words (rec);
      gtk_image_set_from_icon_name (self->status_icon, "media-playback-stop-symbolic");
      gtk_widget_add_css_class (self->status_box, "warning");
      break;
    case VESICLE_RUN_FAILED:
      text = g_strdup_printf (_("Failed: %s. The figures and the table show what had finished."),
                              rec->error ? rec->error : _("no reason was recorded"));
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (self->status_box, "error");
      break;
    case VESICLE_RUN_INTERRUPTED:
      text = g_strdup_printf (_("Interrupted: %s. The figures and the table show what it had "
                                "saved; its finished cohorts are complete."),
                              rec->error ? rec->error : _("no reason was recorded"));
      gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (self->status_box, "warning");
      break;
    case VESICLE_RUN_RUNNING:
      text = g_strdup (_("This experiment is still running on another machine, or did not "
                         "finish there. What it had saved is shown."));
      gtk_image_set_from_icon_name (self->status_icon, "content-loading-symbolic");
      gtk_widget_add_css_class (self->status_box, "warning");
      break;
    }
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (self->resume_button, vesicle_experiment_record_can_resume (rec, NULL));
  gtk_widget_set_visible (self->status_box, TRUE);
}

static void
clear_figures (VesicleResultsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures))))
    gtk_box_remove (self->figures, child);
  g_hash_table_remove_all (self->views);
  g_ptr_array_set_size (self->names, 0);
  self->pending = 0;
}

static void
on_record_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  VesicleResultsView *self = data;
  g_autoptr(GError) error = NULL;
  VesicleExperimentRecord *rec = vesicle_experiment_record_load_finish (result, &error);
  g_autofree const VesicleFigureInfo **figures = NULL;
  g_autofree char *details = NULL;

  if (rec == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, error->message);
      g_object_unref (self);
      return;
    }
  g_clear_pointer (&self->record, vesicle_experiment_record_free);
  g_clear_pointer (&self->shown, g_free);
  clear_figures (self);
  g_free (self->dir);
  self->dir = g_strdup (rec->dir);
  self->record = rec;
  self->partial = rec->status != VESICLE_RUN_COMPLETED;
  gtk_label_set_text (self->title, _(rec->title));
  details = describe (rec);
  gtk_label_set_text (self->details, details);
  show_status (self, rec);

  figures = vesicle_figure_for_experiment (rec->type_name);
  for (guint i = 0; figures[i]; i++)
    {
      gtk_box_append (self->figures, figure_card (self, figures[i]));
      g_ptr_array_add (self->names, g_strdup (figures[i]->name));
    }
  gtk_widget_set_visible (self->figures_group, figures[0] != NULL);
  vesicle_network_table_set_record (self->table, rec);
  gtk_widget_set_visible (self->networks_group, rec->networks && rec->networks->len > 0);
  vesicle_results_view_show_overview (self);
  /* another experiment opens at its top, not where the last one was left */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  g_signal_emit (self, signals[LOADED], 0);
  g_object_unref (self);
}

void
vesicle_results_view_load (VesicleResultsView *self,
                           const char         *dir)
{
  g_return_if_fail (VESICLE_IS_RESULTS_VIEW (self));
  g_return_if_fail (dir != NULL);

  /* nothing shown changes until the folder has read as an experiment: a folder that is not
   * one is refused (the "failed" signal) with the experiment shown before still in place */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  vesicle_experiment_record_load_async (dir, TRUE, self->cancellable, on_record_loaded,
                                        g_object_ref (self));
}

const char *
vesicle_results_view_get_folder (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), NULL);
  return self->dir;
}

const VesicleExperimentRecord *
vesicle_results_view_get_record (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), NULL);
  return self->record;
}

const char *
vesicle_results_view_get_figure (VesicleResultsView *self)
{
  const char *best = NULL;
  double best_visible = 0;
  int height;

  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), NULL);
  if (self->shown)
    return self->shown;
  height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      GtkWidget *view = g_hash_table_lookup (self->views, name);
      graphene_rect_t bounds;
      double visible;

      /* the part of the figure inside the scroller's visible height */
      if (view == NULL || !gtk_widget_compute_bounds (view, GTK_WIDGET (self->scroller), &bounds))
        continue;
      visible = MIN (bounds.origin.y + bounds.size.height, height) - MAX (bounds.origin.y, 0);
      if (visible > best_visible)
        {
          best_visible = visible;
          best = name;
        }
    }
  if (best)
    return best;
  return self->names->len ? g_ptr_array_index (self->names, 0) : NULL;
}

GPtrArray *
vesicle_results_view_get_figures (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), NULL);
  return self->names;
}

gboolean
vesicle_results_view_get_partial (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), FALSE);
  return self->partial;
}

VesiclePlot *
vesicle_results_view_get_plot (VesicleResultsView *self,
                               const char         *name)
{
  VesicleFigureView *view;

  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), NULL);
  view = g_hash_table_lookup (self->views, name);
  return view ? vesicle_figure_view_get_plot (view) : NULL;
}

guint
vesicle_results_view_get_pending (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), 0);
  return self->pending;
}

void
vesicle_results_view_show_figure (VesicleResultsView *self,
                                  const char         *name)
{
  vesicle_results_view_show_panel (self, name, -1);
}

void
vesicle_results_view_show_panel (VesicleResultsView *self,
                                 const char         *name,
                                 int                 panel)
{
  const VesicleFigureInfo *info;
  VesiclePlot *plot;

  g_return_if_fail (VESICLE_IS_RESULTS_VIEW (self));
  if (!(info = vesicle_figure_lookup (name)))
    return;
  g_free (self->shown);
  self->shown = g_strdup (name);
  self->shown_panel = panel;
  plot = vesicle_results_view_get_plot (self, name);
  if (panel >= 0 && plot != NULL)
    {
      /* one panel of the figure drawn in the overview, alone; the panel names itself */
      gtk_label_set_text (self->figure_title, _(info->title));
      vesicle_figure_view_set_plot (self->big, vesicle_plot_extract_panel (plot, panel));
    }
  else
    {
      gtk_label_set_text (self->figure_title, _(info->title));
      draw_into (self, self->big, name);
    }
  gtk_stack_set_visible_child_name (self->stack, "figure");
  g_signal_emit (self, signals[SHOWN_CHANGED], 0);
}

gboolean
vesicle_results_view_get_showing_one (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), FALSE);
  return self->shown != NULL;
}

int
vesicle_results_view_get_panel (VesicleResultsView *self)
{
  g_return_val_if_fail (VESICLE_IS_RESULTS_VIEW (self), -1);
  return self->shown ? self->shown_panel : -1;
}

void
vesicle_results_view_show_overview (VesicleResultsView *self)
{
  g_return_if_fail (VESICLE_IS_RESULTS_VIEW (self));
  g_clear_pointer (&self->shown, g_free);
  gtk_stack_set_visible_child_name (self->stack, "overview");
  g_signal_emit (self, signals[SHOWN_CHANGED], 0);
}

static void
on_back_clicked (GtkButton          *button,
                 VesicleResultsView *self)
{
  vesicle_results_view_show_overview (self);
}

static void
vesicle_results_view_dispose (GObject *object)
{
  VesicleResultsView *self = VESICLE_RESULTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VESICLE_TYPE_RESULTS_VIEW);
  /* a GtkWidget removes its children itself: the template's root is not a bound child */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->record, vesicle_experiment_record_free);
  g_clear_pointer (&self->views, g_hash_table_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->shown, g_free);
  G_OBJECT_CLASS (vesicle_results_view_parent_class)->dispose (object);
}

static void
vesicle_results_view_class_init (VesicleResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vesicle_results_view_dispose;
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* a figure is shown alone, or all of them again */
  signals[SHOWN_CHANGED] = g_signal_new ("shown-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (VESICLE_TYPE_FIGURE_VIEW);
  g_type_ensure (VESICLE_TYPE_NETWORK_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vesicle/Vesicle/ui/vesicle-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, stack);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, scroller);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, title);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, details);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, status_box);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, status_icon);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, status_label);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, figures_group);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, figures);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, networks_group);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, table);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, figure_title);
  gtk_widget_class_bind_template_child (widget_class, VesicleResultsView, big);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
vesicle_results_view_init (VesicleResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
vesicle_results_view_new (void)
{
  return g_object_new (VESICLE_TYPE_RESULTS_VIEW, NULL);
}
