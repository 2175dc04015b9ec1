/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Experiment progress: the tracker that turns trainer and type reports into
 * VesicleExperimentProgress, the smoothed time remaining, and the words front ends print.
 */
#include "vesicle-experiment-progress.h"
#include "vesicle-format.h"
#include "vesicle-i18n.h"

#include <math.h>
#include <string.h>

/* Step reports closer together than this are dropped (phases, epochs and cohorts never are). */
#define STEPS_INTERVAL_S 0.1
/* The time remaining averages the speed over about this many seconds of work. */
#define ETA_WINDOW_S 20.0
/* ... and says nothing before this much work has been timed. */
#define ETA_MIN_S 2.0

/* ---- copies for other threads ---------------------------------------------------------------- */

VesicleExperimentProgress *
vesicle_experiment_progress_copy (const VesicleExperimentProgress *p)
{
  VesicleExperimentProgress *copy = g_memdup2 (p, sizeof *p);

  copy->phase = g_strdup (p->phase);
  copy->message = g_strdup (p->message);
  copy->cohort_dir = g_strdup (p->cohort_dir);
  copy->hyper = p->hyper ? g_memdup2 (p->hyper, sizeof (VesicleHyper) * p->K) : NULL;
  copy->metrics = p->metrics ? g_memdup2 (p->metrics, sizeof (VesicleEpochMetrics) * p->K)
                             : NULL;
  return copy;
}

void
vesicle_experiment_progress_free (VesicleExperimentProgress *p)
{
  if (p == NULL)
    return;
  g_free ((char *) p->phase);
  g_free ((char *) p->message);
  g_free ((char *) p->cohort_dir);
  g_free ((VesicleHyper *) p->hyper);
  g_free ((VesicleEpochMetrics *) p->metrics);
  g_free (p);
}

/* ---- words ----------------------------------------------------------------------------------- */

char *
vesicle_experiment_progress_describe (const VesicleExperimentProgress *p)
{
  guint running;

  if (p->K == 0 || p->n_epochs == 0 || p->epoch == 0)
    return g_strdup (p->phase ? p->phase : "");
  /* the networks of the running cohort count as being trained: "12 of 64" while they run */
  running = MIN (p->networks_done + p->K, p->networks_total);
  if (p->n_cohorts > 1)
    return g_strdup_printf (_("Training %u of %u networks (cohort %u of %u) · epoch %u of %u"),
                            running, p->networks_total, p->cohort, p->n_cohorts, p->epoch,
                            p->n_epochs);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Training %u network · epoch %u of %u",
                                       "Training %u networks · epoch %u of %u", p->K),
                          p->K, p->epoch, p->n_epochs);
}

char *
vesicle_experiment_progress_remaining (const VesicleExperimentProgress *p)
{
  g_autofree char *about = NULL;
  g_autofree char *left = NULL;
  char first[8] = { 0 };

  if (!isfinite (p->remaining_s))
    return NULL;
  about = vesicle_format_duration_about (p->remaining_s);
  /* Translators: "about 3 minutes left"; its first letter is then capitalised */
  left = g_strdup_printf (_("%s left"), about);
  g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (left)), first);
  return g_strconcat (first, g_utf8_next_char (left), NULL);
}

/* ---- the time remaining ---------------------------------------------------------------------- */

void
vesicle_eta_init (VesicleEta *eta)
{
  eta->last_t = -1;
  eta->last_work = 0;
  eta->rate = 0;
  eta->weight = 0;
}

void
vesicle_eta_pause (VesicleEta *eta)
{
  eta->last_t = -1;
}

void
vesicle_eta_update (VesicleEta *eta,
                    double      t,
                    double      work)
{
  double dt, dw, inst, a;

  /* the first report after a start or a pause only sets the reference: the interval before it
   * held set-up (kernel builds, CLBlast's first compiles), not steady work */
  if (eta->last_t < 0)
    {
      eta->last_t = t;
      eta->last_work = work;
      return;
    }
  dt = t - eta->last_t;
  dw = work - eta->last_work;
  if (dt <= 0 || dw < 0)
    return;
  inst = dw / dt;
  /* a running mean until a window of work has been seen, then an exponential average */
  a = dt / (MIN (eta->weight, ETA_WINDOW_S) + dt);
  eta->rate = eta->weight == 0 ? inst : eta->rate + a * (inst - eta->rate);
  eta->weight += dt;
  eta->last_t = t;
  eta->last_work = work;
}

double
vesicle_eta_remaining (VesicleEta *eta,
                       double      work,
                       double      total)
{
  if (eta->weight < ETA_MIN_S || !(eta->rate > 0))
    return NAN;
  return MAX (total - work, 0) / eta->rate;
}

/* ---- the tracker ----------------------------------------------------------------------------- */

struct _VesicleExperimentTracker {
  VesicleExperimentProgressFunc func;
  gpointer                      data;
  GTimer                       *timer;
  VesicleExperimentProgress     p;              /* the state; strings below are its own */
  char                         *phase;
  char                         *cohort_dir;
  VesicleHyper                 *hyper;
  double                        train_flops;
  double                        analysis_flops;
  double                        work_before;    /* finished cohorts */
  double                        step_flops;     /* one step of the running cohort */
  double                        epoch_eval_flops;
  double                        analysis_done;
  double                        last_steps_report;
  double                        work_seconds;   /* closed intervals of work */
  double                        working_since;  /* < 0: not working now */
  VesicleEta                    eta;
  gboolean                      earlier;        /* delivering epochs from before a resume */
};

VesicleExperimentTracker *
vesicle_experiment_tracker_new (VesicleExperimentProgressFunc func,
                                gpointer                      data)
{
  VesicleExperimentTracker *t = g_new0 (VesicleExperimentTracker, 1);

  t->func = func;
  t->data = data;
  t->timer = g_timer_new ();
  t->working_since = -1;
  t->last_steps_report = -1;
  t->p.remaining_s = NAN;
  vesicle_eta_init (&t->eta);
  return t;
}

void
vesicle_experiment_tracker_free (VesicleExperimentTracker *t)
{
  if (t == NULL)
    return;
  g_timer_destroy (t->timer);
  g_free (t->phase);
  g_free (t->cohort_dir);
  g_free (t->hyper);
  g_free (t);
}

static double
total_work (VesicleExperimentTracker *t)
{
  return t->train_flops + t->analysis_flops;
}

static void
emit (VesicleExperimentTracker *t,
      VesicleProgressKind       kind)
{
  double now = g_timer_elapsed (t->timer, NULL);
  double total = total_work (t);

  if (t->func == NULL)
    return;
  t->p.kind = kind;
  t->p.phase = t->phase;
  t->p.cohort_dir = t->cohort_dir;
  t->p.hyper = t->hyper;
  t->p.elapsed_s = now;
  t->p.work_seconds = t->work_seconds + (t->working_since >= 0 ? now - t->working_since : 0);
  t->p.fraction = total > 0 ? CLAMP (t->p.work_done / total, 0.0, 1.0) : 0.0;
  if ((kind == VESICLE_PROGRESS_STEPS || kind == VESICLE_PROGRESS_EPOCH) && !t->earlier)
    vesicle_eta_update (&t->eta, now, t->p.work_done);
  t->p.remaining_s = vesicle_eta_remaining (&t->eta, t->p.work_done, total);
  t->func (&t->p, t->data);
  t->p.message = NULL;
  t->p.metrics = NULL;
}

static void
set_working (VesicleExperimentTracker *t,
             gboolean                  working)
{
  double now = g_timer_elapsed (t->timer, NULL);

  if (working && t->working_since < 0)
    t->working_since = now;
  else if (!working && t->working_since >= 0)
    {
      t->work_seconds += now - t->working_since;
      t->working_since = -1;
      vesicle_eta_pause (&t->eta);
    }
}

void
vesicle_experiment_tracker_set_plan (VesicleExperimentTracker *t,
                                     guint                     n_cohorts,
                                     guint                     n_networks,
                                     double                    train_flops,
                                     double                    analysis_flops)
{
  t->p.n_cohorts = n_cohorts;
  t->p.networks_total = n_networks;
  t->train_flops = train_flops;
  t->analysis_flops = analysis_flops;
}

void
vesicle_experiment_tracker_phase (VesicleExperimentTracker *t,
                                  const char               *phase,
                                  gboolean                  working)
{
  g_free (t->phase);
  t->phase = g_strdup (phase);
  set_working (t, working);
  emit (t, VESICLE_PROGRESS_PHASE);
}

void
vesicle_experiment_tracker_message (VesicleExperimentTracker *t,
                                    const char               *message)
{
  t->p.message = message;
  emit (t, VESICLE_PROGRESS_MESSAGE);
}

void
vesicle_experiment_tracker_cohort_begin (VesicleExperimentTracker  *t,
                                         const char                *dir,
                                         const VesicleCohortConfig *cohort,
                                         guint                      n_epochs,
                                         guint64                    n_steps,
                                         guint                      n_test)
{
  double P = (double) vesicle_shape_n_params (&cohort->shape);

  g_free (t->cohort_dir);
  t->cohort_dir = g_strdup (dir);
  g_free (t->hyper);
  t->hyper = g_memdup2 (cohort->hyper, sizeof (VesicleHyper) * cohort->K);
  t->p.cohort++;
  t->p.K = cohort->K;
  t->p.epoch = 0;
  t->p.n_epochs = n_epochs;
  t->p.step = 0;
  t->p.n_steps = n_steps;
  t->step_flops = 6.0 * P * cohort->batch * cohort->K;
  t->epoch_eval_flops = 2.0 * P * n_test * cohort->K;
  if (t->p.cohort > t->p.n_cohorts)
    t->p.n_cohorts = t->p.cohort;
  g_free (t->phase);
  t->phase = t->p.n_cohorts > 1
             ? g_strdup_printf (_("Training cohort %u of %u"), t->p.cohort, t->p.n_cohorts)
             : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Training %u network",
                                             "Training %u networks", cohort->K), cohort->K);
  set_working (t, TRUE);
  emit (t, VESICLE_PROGRESS_PHASE);
}

void
vesicle_experiment_tracker_trainer (VesicleExperimentTracker *t,
                                    const VesicleProgress    *p)
{
  double now = g_timer_elapsed (t->timer, NULL);
  guint epochs_done = p->metrics ? p->epoch : p->epoch - 1;

  t->p.epoch = p->epoch;
  t->p.n_epochs = p->n_epochs;
  t->p.step = p->step;
  t->p.n_steps = p->total_steps;
  t->p.work_done = t->work_before + t->step_flops * p->step
                   + t->epoch_eval_flops * epochs_done + t->analysis_done;
  if (p->metrics != NULL)
    {
      t->p.metrics = p->metrics;
      emit (t, VESICLE_PROGRESS_EPOCH);
      return;
    }
  if (t->last_steps_report >= 0 && now - t->last_steps_report < STEPS_INTERVAL_S)
    return;
  t->last_steps_report = now;
  emit (t, VESICLE_PROGRESS_STEPS);
}

void
vesicle_experiment_tracker_earlier_epoch (VesicleExperimentTracker  *t,
                                          guint                      epoch,
                                          const VesicleEpochMetrics *metrics)
{
  guint now_epoch = t->p.epoch;

  t->earlier = t->p.earlier = TRUE;
  t->p.epoch = epoch;
  t->p.metrics = metrics;
  emit (t, VESICLE_PROGRESS_EPOCH);
  t->p.epoch = now_epoch;
  t->earlier = t->p.earlier = FALSE;
}

void
vesicle_experiment_tracker_cohort_end (VesicleExperimentTracker *t)
{
  t->work_before += t->step_flops * t->p.n_steps + t->epoch_eval_flops * t->p.n_epochs;
  t->p.work_done = t->work_before + t->analysis_done;
  t->p.networks_done += t->p.K;
  /* no epoch runs until the next cohort begins: progress reads as the phase again */
  t->p.epoch = 0;
  emit (t, VESICLE_PROGRESS_COHORT);
}

void
vesicle_experiment_tracker_analysis (VesicleExperimentTracker *t,
                                     double                    done,
                                     double                    total)
{
  double now = g_timer_elapsed (t->timer, NULL);

  if (total > 0)
    t->analysis_done = t->analysis_flops * CLAMP (done / total, 0.0, 1.0);
  t->p.work_done = t->work_before + t->analysis_done;
  if (done < total && t->last_steps_report >= 0 && now - t->last_steps_report < STEPS_INTERVAL_S)
    return;
  t->last_steps_report = now;
  emit (t, VESICLE_PROGRESS_STEPS);
}

void
vesicle_experiment_tracker_partial (VesicleExperimentTracker *t)
{
  emit (t, VESICLE_PROGRESS_PARTIAL);
}

void
vesicle_experiment_tracker_finish (VesicleExperimentTracker *t)
{
  t->p.work_done = total_work (t);
  t->p.epoch = 0;
  set_working (t, FALSE);
  g_free (t->phase);
  t->phase = g_strdup (_("Finished"));
  emit (t, VESICLE_PROGRESS_PHASE);
}
