/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cli-progress.h"

#include <math.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct _VesicleCliProgress {
  FILE     *out;
  gboolean  quiet;
  gboolean  terminal;
  gboolean  line_showing;    /* the updating line is on screen, without a newline */
  char     *last_epoch;      /* the last epoch's values, kept on the updating line */
};

VesicleCliProgress *
vesicle_cli_progress_new (FILE     *out,
                          gboolean  quiet)
{
  VesicleCliProgress *self = g_new0 (VesicleCliProgress, 1);

  self->out = out;
  self->quiet = quiet;
  self->terminal = isatty (fileno (out)) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
  return self;
}

void
vesicle_cli_progress_free (VesicleCliProgress *self)
{
  if (self == NULL)
    return;
  vesicle_cli_progress_finish (self);
  g_free (self->last_epoch);
  g_free (self);
}

void
vesicle_cli_progress_finish (VesicleCliProgress *self)
{
  if (self->line_showing)
    {
      fputc ('\n', self->out);
      self->line_showing = FALSE;
    }
  fflush (self->out);
}

/* "0.912–0.951" over the finite values, "0.912" when they agree; NULL when there are none. */
static char *
value_range (const VesicleEpochMetrics *rows,
             guint                      K,
             gsize                      offset,
             const char                *format)
{
  double lo = INFINITY, hi = -INFINITY;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint k = 0; k < K; k++)
    {
      double v = G_STRUCT_MEMBER (double, &rows[k], offset);

      if (isfinite (v))
        {
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  if (!isfinite (lo))
    return NULL;
  g_ascii_formatd (a, sizeof a, format, lo);
  g_ascii_formatd (b, sizeof b, format, hi);
  if (g_str_equal (a, b))
    return g_strdup (a);
  return g_strdup_printf ("%s–%s", a, b);
}

char *
vesicle_cli_progress_epoch_line (const VesicleExperimentProgress *p)
{
  g_autoptr(GString) s = g_string_new (NULL);
  struct { const char *name; gsize offset; const char *format; } values[] = {
    { "train NLL", G_STRUCT_OFFSET (VesicleEpochMetrics, train_nll), "%.4f" },
    { "test accuracy", G_STRUCT_OFFSET (VesicleEpochMetrics, test_accuracy), "%.4f" },
    { "mean σ", G_STRUCT_OFFSET (VesicleEpochMetrics, mean_sigma), "%.3g" },
  };

  if (p->metrics == NULL || p->K == 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *range = value_range (p->metrics, p->K, values[i].offset,
                                            values[i].format);

      if (range)
        g_string_append_printf (s, "%s%s %s", s->len ? ", " : "", values[i].name, range);
    }
  if (s->len == 0)
    return NULL;
  g_string_prepend (s, ": ");
  {
    g_autofree char *head = g_strdup_printf ("epoch %u/%u", p->epoch, p->n_epochs);

    g_string_prepend (s, head);
  }
  if (p->K > 1)
    g_string_append_printf (s, " (%u networks)", p->K);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A line that stays: over the updating line, which is drawn again at the next report. */
static void
print_line (VesicleCliProgress *self,
            const char         *text)
{
  if (self->line_showing)
    {
      fputs ("\r\033[K", self->out);
      self->line_showing = FALSE;
    }
  fprintf (self->out, "  %s\n", text);
}

static guint
terminal_columns (FILE *out)
{
  struct winsize ws;

  if (ioctl (fileno (out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
    return ws.ws_col;
  return 80;
}

/* The updating line, cut to the terminal's width: a line that wrapped could not be redrawn. */
static void
draw_status (VesicleCliProgress              *self,
             const VesicleExperimentProgress *p)
{
  g_autofree char *what = vesicle_experiment_progress_describe (p);
  g_autofree char *left = vesicle_experiment_progress_remaining (p);
  g_autoptr(GString) line = g_string_new (NULL);
  guint columns = terminal_columns (self->out) - 1;

  g_string_append_printf (line, "[%3.0f%%] %s", 100.0 * p->fraction, what);
  if (self->last_epoch && p->epoch > 0)
    g_string_append_printf (line, " · %s", self->last_epoch);
  if (left)
    g_string_append_printf (line, " · %s", left);
  if (g_utf8_strlen (line->str, -1) > columns)
    g_string_truncate (line, g_utf8_offset_to_pointer (line->str, columns - 1) - line->str);
  fprintf (self->out, "\r\033[K%s", line->str);
  self->line_showing = TRUE;
}

void
vesicle_cli_progress_report (const VesicleExperimentProgress *p,
                             gpointer                         data)
{
  VesicleCliProgress *self = data;

  if (self->quiet)
    return;
  switch (p->kind)
    {
    case VESICLE_PROGRESS_MESSAGE:
      print_line (self, p->message);
      break;
    case VESICLE_PROGRESS_PHASE:
      g_clear_pointer (&self->last_epoch, g_free);
      if (!self->terminal)
        print_line (self, p->phase);
      break;
    case VESICLE_PROGRESS_EPOCH:
      {
        g_autofree char *line = vesicle_cli_progress_epoch_line (p);

        if (line && !self->terminal)
          {
            g_autofree char *left = vesicle_experiment_progress_remaining (p);

            if (left)
              {
                g_autofree char *with_eta = g_strdup_printf ("%s · %s", line, left);
                print_line (self, with_eta);
              }
            else
              print_line (self, line);
          }
        {
          /* the updating line says the epoch already: only the accuracy goes there */
          g_autofree char *accuracy = value_range (p->metrics, p->K,
                                                   G_STRUCT_OFFSET (VesicleEpochMetrics,
                                                                    test_accuracy), "%.4f");

          g_free (self->last_epoch);
          self->last_epoch = accuracy ? g_strdup_printf ("accuracy %s", accuracy) : NULL;
        }
      }
      break;
    case VESICLE_PROGRESS_STEPS:
    case VESICLE_PROGRESS_COHORT:
    case VESICLE_PROGRESS_PARTIAL:
      break;
    }
  if (self->terminal)
    draw_status (self, p);
  fflush (self->out);
}
