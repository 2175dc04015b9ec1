/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducing the paper: every experiment in one folder, each in a subfolder named after its
 * type (costs/, tradeoff/, importance/, bayes/, predictive/, zero-hidden/), and the table of what
 * was measured beside what the paper reports, read from their summaries. `vesicle-cli reproduce`
 * and the window's "Reproduce the paper" run the list in order; the report (src/plot) prints
 * the table and every figure.
 */
#pragma once

#include "vesicle-experiment.h"

G_BEGIN_DECLS

/* The experiments in the order they run: the quick analytic one first, the longest last. */
const VesicleExperimentType *const *vesicle_reproduction_experiments (guint *n);

/* How a row's tick follows from its rule, mechanically. */
typedef enum {
  VESICLE_VERDICT_AGREES,      /* the rule holds: ✓ */
  VESICLE_VERDICT_DISAGREES,   /* it does not (or nothing finite was measured): ✗, with why */
  VESICLE_VERDICT_REFERENCE,   /* a value the paper does not claim to match (an analytic slope
                                * its figure draws beside the data): shown with the ratio, no
                                * tick */
  VESICLE_VERDICT_UNTESTED,    /* a claim this experiment's preset cannot test; says why */
} VesicleVerdict;

/* A rule on one measured number. */
typedef enum {
  VESICLE_RULE_NONE,      /* a reference value: no tick */
  VESICLE_RULE_BELOW,     /* value < a */
  VESICLE_RULE_ABOVE,     /* value > a */
  VESICLE_RULE_BETWEEN,   /* a < value < b */
  VESICLE_RULE_WITHIN,    /* |value − a| ≤ b */
  VESICLE_RULE_EQUAL,     /* value = a (a count) */
} VesicleRuleKind;

typedef struct {
  VesicleRuleKind kind;
  double          a;
  double          b;
} VesicleRule;

/* The verdict of @rule on @value: a non-finite value never agrees. */
VesicleVerdict vesicle_rule_judge (VesicleRule  rule,
                                   double       value);
/* The rule in words and symbols about @quantity (markup): "@quantity &lt; 1". */
char          *vesicle_rule_text  (VesicleRule  rule,
                                   const char  *quantity);

/* The text fields are Pango markup ("c = 10<sup>−3</sup>"). */
typedef struct {
  char           *figure;     /* "Fig 2b", "Eq. 54c" */
  char           *claim;      /* the paper's claim, quoted or closely paraphrased */
  char           *rule;       /* the rule the verdict follows from, stated */
  char           *measured;   /* what this folder holds, with its spread (seeds, or the fit's
                               * 95% interval) */
  char           *source;     /* the experiment, its preset and dataset */
  char           *reason;     /* why it disagrees, or why it is untested; NULL otherwise */
  VesicleVerdict  verdict;
} VesicleReproductionRow;

void       vesicle_reproduction_row_free (VesicleReproductionRow *row);
/* The rows of every finished experiment under @dir (subfolders by type name); experiments that
 * are missing or did not complete are listed by name in @missing (may be NULL). Errors only for
 * a folder that exists but cannot be read. */
GPtrArray *vesicle_reproduction_rows     (const char             *dir,
                                          GPtrArray              *missing,
                                          GError                **error);

/* ✓, ✗, ○ or –: how every table shows a verdict. */
const char *vesicle_reproduction_verdict_symbol (VesicleVerdict verdict);

/* The rows as a Markdown table (claim, rule, measured with the reason, verdict, source), for
 * docs generated from experiment folders: the markup's <sup> and <i> stay HTML, which Markdown
 * renders. */
char      *vesicle_reproduction_markdown (GPtrArray              *rows);

G_END_DECLS
