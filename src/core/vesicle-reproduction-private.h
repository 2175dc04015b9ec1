/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the reproduction's row builders share (vesicle-reproduction.c and its per-experiment
 * files): the table being filled, how a row is added and judged, how numbers and fits are
 * written, and how an experiment repeated once per seed is read: the first seed at the top of
 * its summary, each further seed's results alike in "replicates".
 */
#pragma once

#include "vesicle-reproduction.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  GPtrArray  *rows;
  const char *source;   /* of the experiment being read */
} Table;

/* The noise counts as moved by c when its mean over the c grid spans more than this factor: a
 * stall leaves every c at one sigma (to four digits at the paper protocol's rho = 2). */
#define REPRO_STALL_SPAN 1.1

/* The most seeds one row combines. */
#define REPRO_MAX_SEEDS 64

/* A rule that judges nothing: an analytic value shown for reference. */
extern const VesicleRule repro_reference;

/* A row judged by @rule on @value; @claim, @measured and @reason (may be NULL) are taken, and
 * @reason is kept only for a ✗. */
void        repro_add_row        (Table       *t,
                                  const char  *figure,
                                  char        *claim,
                                  VesicleRule  rule,
                                  const char  *quantity,
                                  double       value,
                                  char        *measured,
                                  char        *reason);
/* A claim the experiment cannot test, with why (@claim and @why taken). */
void        repro_add_untested   (Table       *t,
                                  const char  *figure,
                                  char        *claim,
                                  char        *why);

/* Three significant digits, with a real minus sign. */
char       *repro_number         (double       value);
/* @value to @decimals places, or three significant digits where those would read zero. */
char       *repro_signed_text    (double       value,
                                  int          decimals);
/* "−0.37 [−0.38, −0.36]": a fit's slope with its 95% interval. */
char       *repro_slope_text     (JsonObject  *fit);

/* How many seeds an experiment's summary holds, and the @i-th one's results (0: the summary). */
guint       repro_seed_count     (JsonObject  *summary);
JsonObject *repro_seed_copy      (JsonObject  *summary,
                                  guint        i);
/* One fit per seed (NULL where a seed lacks it) as one: the mean slope and its 95% interval over
 * seeds ("n_seeds"), likewise "all_layers"; with one seed, that seed's fit. NULL if none. */
JsonObject *repro_over_seeds     (JsonObject **fits,
                                  guint        n);
/* "; means and 95% intervals over 3 seeds" for a fit over seeds, else ""; *text owns it. */
const char *repro_seeds_note     (JsonObject  *fit,
                                  char       **text);

/* The rows of each experiment (vesicle-reproduction-slopes.c, vesicle-reproduction-posterior.c) */
void        repro_importance_rows        (Table      *t,
                                          JsonObject *summary);
void        repro_zero_hidden_rows       (Table      *t,
                                          JsonObject *summary);
void        repro_experimental_data_rows (Table      *t);
void        repro_bayes_rows             (Table      *t,
                                          JsonObject *summary);

G_END_DECLS
