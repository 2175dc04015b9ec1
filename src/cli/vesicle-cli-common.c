/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-cli-common.h"
#include "vesicle-config.h"
#include "vesicle-cli-progress.h"
#include "vesicle-experiment.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int
vesicle_cli_fail (const char   *command,
                  const GError *error)
{
  fprintf (stderr, "vesicle-cli %s: %s\n", command, error ? error->message : "failed");
  return 1;
}

int
vesicle_cli_fail_msg (const char *command,
                      const char *message)
{
  fprintf (stderr, "vesicle-cli %s: %s\n", command, message);
  return 1;
}

GArray *
vesicle_cli_parse_doubles (const char  *option,
                           const char  *text,
                           GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *end = NULL;
      const char *s = g_strstrip (parts[i]);
      double v = g_ascii_strtod (s, &end);

      if (*s == '\0' || end == s || *end != '\0' || !isfinite (v))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--%s: '%s' is not a number (expected e.g. 0.5 or 1e-2,1e-1,1)",
                       option, s);
          return NULL;
        }
      g_array_append_val (out, v);
    }
  if (out->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--%s: no value given", option);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
vesicle_cli_parse_uint (const char  *option,
                        const char  *text,
                        guint        min,
                        guint        max,
                        guint       *out,
                        GError     **error)
{
  g_autoptr(GError) local = NULL;
  guint64 v = 0;

  if (text == NULL)
    return TRUE;
  /* base 10 only: no sign, no space, no 0x (GOption's own integers read 0x10 as 16, 010 as 8) */
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, &local))
    {
      if (text[0] == '-' && text[1] != '\0' && strspn (text + 1, "0123456789") == strlen (text + 1))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "--%s: %s is too small; it must be at least %u", option, text, min);
      else if (g_error_matches (local, G_NUMBER_PARSER_ERROR,
                                G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "--%s: %s is too large; it must be at most %u", option, text, max);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "--%s: '%s' is not a whole number in decimal (such as 16)", option, text);
      return FALSE;
    }
  if (v > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--%s: %s is too large; it must be at most %u", option, text, max);
      return FALSE;
    }
  if (v < min)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--%s: %s is too small; it must be at least %u", option, text, min);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

GArray *
vesicle_cli_parse_uints (const char  *option,
                         const char  *text,
                         gboolean     allow_empty,
                         GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = NULL;

  if (allow_empty && (*text == '\0' || g_ascii_strcasecmp (text, "none") == 0
                      || g_str_equal (text, "0")))
    return g_steal_pointer (&out);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      guint v = 0;

      if (!vesicle_cli_parse_uint (option, g_strstrip (parts[i]), 1, G_MAXUINT32, &v, error))
        return NULL;
      g_array_append_val (out, v);
    }
  if (out->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--%s: no value given", option);
      return NULL;
    }
  return g_steal_pointer (&out);
}

char *
vesicle_cli_default_dataset (void)
{
  return vesicle_experiment_default_dataset ();
}

typedef struct {
  GMainLoop          *loop;
  GCancellable       *cancellable;
  VesicleCliProgress *progress;
  gboolean            quiet;
  gboolean            done;
  gboolean            ok;
  GError             *error;
} Job;

static gboolean
on_interrupt (gpointer data)
{
  Job *job = data;

  if (!g_cancellable_is_cancelled (job->cancellable))
    {
      vesicle_cli_progress_finish (job->progress);
      if (!job->quiet)
        fprintf (stderr, "vesicle-cli: interrupted; stopping after this step and saving what "
                         "is done\n");
    }
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Job *job = data;

  job->ok = vesicle_experiment_run_finish (result, &job->error);
  job->done = TRUE;
  g_main_loop_quit (job->loop);
}

int
vesicle_cli_run_experiment (const char                     *command,
                            const VesicleExperimentType    *type,
                            const VesicleExperimentOptions *options,
                            gboolean                        quiet)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Job job = { loop, cancellable, vesicle_cli_progress_new (stderr, quiet), quiet };
  guint sigint, sigterm;
  int status;

  sigint = g_unix_signal_add (SIGINT, on_interrupt, &job);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &job);
  /* the experiment runs in a worker: this thread prints its progress and hears Ctrl-C */
  vesicle_experiment_run_async (type, options, cancellable, vesicle_cli_progress_report,
                                job.progress, NULL, on_run_done, &job);
  while (!job.done)
    g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  vesicle_cli_progress_free (job.progress);

  if (job.ok)
    {
      if (quiet)
        ;
      else if (options->mode == VESICLE_EXPERIMENT_CELL)
        fprintf (stderr, "vesicle-cli: cell %u written to %s\n", options->cell,
                 options->out_dir);
      else
        fprintf (stderr, "vesicle-cli: %s written to %s\n",
                 type == &vesicle_experiment_train_type ? "run" : "experiment", options->out_dir);
      return 0;
    }
  if (g_error_matches (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!quiet)
        fprintf (stderr, "vesicle-cli: cancelled; what was done is in %s\n", options->out_dir);
      status = 130;
    }
  else
    {
      /* another process writes the folder: say how to wait for it instead */
      if (g_error_matches (job.error, G_IO_ERROR, G_IO_ERROR_BUSY) && !options->wait_for_lock)
        {
          g_autofree char *message = g_strdup_printf ("%s (or pass --wait)", job.error->message);

          g_free (job.error->message);
          job.error->message = g_steal_pointer (&message);
        }
      status = vesicle_cli_fail (command, job.error);
    }
  g_clear_error (&job.error);
  return status;
}

JsonObject *
vesicle_cli_experiment_config (const VesicleExperimentType *type,
                               const char                  *preset,
                               char                       **sets,
                               GError                     **error)
{
  g_autoptr(JsonObject) config = type->preset (preset ? preset : "quick");

  if (config == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "--preset must be quick or paper");
      return NULL;
    }
  for (guint i = 0; sets && sets[i]; i++)
    if (!vesicle_config_apply_set (config, sets[i], error))
      return NULL;
  return g_steal_pointer (&config);
}
