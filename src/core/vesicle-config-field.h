/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What each setting of an experiment's configuration is: its key, kind, label, group, one
 * sentence of help and the values it allows. Every front end reads the same table: the
 * experiment runner refuses a bad configuration field by field before anything is written, the
 * window builds its form from it and flags each field with the reason, and text typed into a
 * field goes back to JSON through vesicle_config_field_parse.
 *
 * Messages name the field by label and key and say what is allowed, e.g.
 * "Learning rate ('lr'): −1 is not allowed; it must be greater than 0".
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  VESICLE_FIELD_NUMBER,     /* a finite number */
  VESICLE_FIELD_COUNT,      /* a whole number */
  VESICLE_FIELD_BOOLEAN,
  VESICLE_FIELD_CHOICE,     /* one of choices */
  VESICLE_FIELD_NUMBERS,    /* a list of finite numbers */
  VESICLE_FIELD_COUNTS,     /* a list of whole numbers */
  VESICLE_FIELD_CHOICES,    /* a list of choices, each at most once */
  VESICLE_FIELD_DATASET,    /* "bundled" or the path of an IDX folder */
} VesicleFieldKind;

typedef enum {
  VESICLE_FIELD_ADVANCED     = 1 << 0,  /* rarely changed: the form folds it away */
  VESICLE_FIELD_MIN_OPEN     = 1 << 1,  /* greater than min, not equal */
  VESICLE_FIELD_MAX_OPEN     = 1 << 2,  /* less than max, not equal */
  VESICLE_FIELD_DECADES      = 1 << 3,  /* spans decades: a list edits as a range in decades */
  VESICLE_FIELD_EXPONENTS    = 1 << 4,  /* cost exponents rho: picked by mechanism */
  VESICLE_FIELD_LAYERS       = 1 << 5,  /* hidden-layer widths: "none" is the empty list */
  VESICLE_FIELD_ZERO_ALL     = 1 << 6,  /* a count whose 0 means all: shown and typed as "all" */
} VesicleFieldFlags;

typedef struct {
  const char        *key;
  VesicleFieldKind   kind;
  const char        *label;      /* sentence case, for a form: "Learning rate" */
  const char        *group;      /* "Data", "Network", "Cost", "Training", "Analysis" */
  const char        *help;       /* one sentence: what it does, with units */
  double             min;        /* allowed values (each element of a list) */
  double             max;
  guint              min_len;    /* lists: at least this many elements */
  guint              max_len;    /* lists: at most (0: no limit) */
  VesicleFieldFlags  flags;
  const char *const *choices;    /* CHOICE and CHOICES: NULL-terminated */
  const char *const *choice_labels;  /* each choice as a form names it, in the same order
                                      * (NULL: the choices themselves) */
} VesicleConfigField;

typedef struct {
  char *key;       /* the field at fault; NULL for the configuration as a whole */
  char *reason;    /* what is wrong, as a form shows it beside the field: "−1 is not allowed;
                    * it must be greater than 0" */
  char *message;   /* the same naming the field, for a log or a terminal:
                    * "Learning rate ('lr'): −1 is not allowed; it must be greater than 0" */
} VesicleConfigProblem;

/* @label names the field in the message (NULL: the reason stands alone). */
VesicleConfigProblem *vesicle_config_problem_new   (const char                *key,
                                                    const char                *label,
                                                    const char                *format,
                                                    ...) G_GNUC_PRINTF (3, 4);
void                  vesicle_config_problem_free  (VesicleConfigProblem      *problem);
/* A GPtrArray that frees its VesicleConfigProblems. */
GPtrArray            *vesicle_config_problems_new  (void);
/* The problem of @key in @problems, or NULL. */
VesicleConfigProblem *vesicle_config_problems_find (GPtrArray                 *problems,
                                                    const char                *key);

/* Choice @index as a form shows it: its label, else the choice itself. */
const char           *vesicle_config_field_choice_label (const VesicleConfigField *field,
                                                         guint                     index);
/* Whether the CHOICE or CHOICES value @node holds choice @index. */
gboolean              vesicle_config_field_has_choice   (const VesicleConfigField *field,
                                                         JsonNode                 *node,
                                                         guint                     index);

/* @node (NULL: the key is missing) against the field: NULL when it is allowed. */
VesicleConfigProblem *vesicle_config_field_check   (const VesicleConfigField  *field,
                                                    JsonNode                  *node);
/* The value as a person types it: "0.001", "1e-3, 0.01, 0.1", "100, 100", "none",
 * "hetero, homo", "true". */
char                 *vesicle_config_field_format  (const VesicleConfigField  *field,
                                                    JsonNode                  *node);
/* The same to read, numbers at six significant digits ("0.0632456", not
 * "0.063245553203367583"): what a form shows, keeping the exact value while it is unchanged. */
char                 *vesicle_config_field_format_short (const VesicleConfigField *field,
                                                         JsonNode                 *node);
/* Text as typed back to JSON of the field's kind (lists split on commas or spaces). Only the
 * form is checked here; ranges are vesicle_config_field_check's. */
JsonNode             *vesicle_config_field_parse   (const VesicleConfigField  *field,
                                                    const char                *text,
                                                    GError                   **error);

/* Whether the @len bytes at @text (-1: up to its end) are a number in decimal: an optional '-',
 * digits with an optional fraction and exponent ("16", "-0.5", ".5", "1e-3", "1E+300"); never
 * hexadecimal, octal or binary notation, a '+' sign, space, "inf" or "nan". */
gboolean              vesicle_config_is_decimal    (const char                *text,
                                                    gssize                     len);
/* A number as typed, in decimal (vesicle_config_is_decimal, space around it allowed): "0.5",
 * "1e-3", or a fraction as the paper writes exponents, "2/3". */
gboolean              vesicle_config_parse_number  (const char                *text,
                                                    double                    *out);
/* A number as the form shows it: the shortest of %.6g that reads back as itself, else %.17g. */
char                 *vesicle_config_format_number (double                     value);

/* Ranges in decades, for settings such as c: @per_decade points in every decade from @from to
 * @to (both included when they fall on the grid, as 10^(k / per_decade)). */
GArray               *vesicle_config_decade_range  (double                     from,
                                                    double                     to,
                                                    guint                      per_decade);
/* Whether @values (n ≥ 2) are such a range; fills its ends and density. */
gboolean              vesicle_config_is_decade_range (const double            *values,
                                                      guint                    n,
                                                      double                  *from,
                                                      double                  *to,
                                                      guint                   *per_decade);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VesicleConfigProblem, vesicle_config_problem_free)

G_END_DECLS
