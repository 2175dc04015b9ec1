/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window in German (LANGUAGE=de, under Xvfb): strings from each place they come from are
 * shown translated, from the .ui templates, from the widgets' C code, and from the libraries'
 * tables of experiments and settings, with the catalogue compiled in the build tree; and so are
 * the messages the libraries compose for the window (a setting's problem, the progress line).
 */
#include "vesicle-test-main-loop.h"
#include "vesicle-application.h"
#include "vesicle-build-config.h"
#include "vesicle-config-field.h"
#include "vesicle-experiment.h"
#include "vesicle-experiment-progress.h"
#include "vesicle-install.h"
#include "vesicle-window.h"

#include <glib/gi18n.h>
#include <locale.h>

static VesicleApplication *app;

/* Every label's text under @widget that is showing (mapped), into @texts. */
static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, texts);
}

static gboolean
shows (GtkWidget  *window,
       const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_labels (window, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

static void
assert_shows (GtkWidget  *window,
              const char *german,
              const char *english)
{
  if (!shows (window, german))
    g_error ("the window does not show “%s”%s", german,
             shows (window, english) ? g_strdup_printf (" but “%s”", english) : "");
}

static void
test_german (void)
{
  VesicleWindow *window = vesicle_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  vesicle_test_spin (0.5);
  /* the start page's template, the sidebar's C code, an experiment type's title */
  assert_shows (GTK_WIDGET (window), "Noch keine Experimente", "No Experiments Yet");
  assert_shows (GTK_WIDGET (window), "Die Arbeit reproduzieren", "Reproduce the paper");
  assert_shows (GTK_WIDGET (window), "Eigenes Training", "Custom training");

  /* a setup form, built from the settings table */
  vesicle_window_select (window, "train");
  vesicle_test_spin (0.5);
  assert_shows (GTK_WIDGET (window), "Lernrate", "Learning rate");
  assert_shows (GTK_WIDGET (window), "Breiten der verborgenen Schichten", "Hidden layer widths");
  assert_shows (GTK_WIDGET (window), "Training", "Training");
  gtk_window_destroy (GTK_WINDOW (window));
  vesicle_test_spin (0.2);
}

static void
test_library_messages (void)
{
  const VesicleExperimentType *train = vesicle_experiment_find ("train");
  const VesicleConfigField *rho = &train->fields[0];
  g_autoptr(JsonNode) bad = json_from_string ("[0.5, -1]", NULL);
  VesicleConfigProblem *problem;
  VesicleExperimentProgress progress = {
    .K = 4, .epoch = 2, .n_epochs = 5, .n_cohorts = 1, .networks_total = 4, .remaining_s = 180,
  };
  g_autofree char *line = vesicle_experiment_progress_describe (&progress);
  g_autofree char *left = vesicle_experiment_progress_remaining (&progress);

  g_assert_cmpstr (rho->key, ==, "rho");
  problem = vesicle_config_field_check (rho, bad);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->reason, ==,
                   "-1 ist nicht erlaubt; jeder Wert muss größer als 0 und höchstens 16 sein");
  g_assert_cmpstr (problem->message, ==, "Kostenexponenten ρ („rho“): "
                   "-1 ist nicht erlaubt; jeder Wert muss größer als 0 und höchstens 16 sein");
  vesicle_config_problem_free (problem);
  g_assert_cmpstr (line, ==, "Training von 4 Netzen · Epoche 2 von 5");
  g_assert_cmpstr (left, ==, "Noch etwa 3 Minuten");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = vesicle_install_localedir ();
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init sets a fixed locale; take the environment's, as the app's main does */
  g_assert_nonnull (setlocale (LC_ALL, ""));
  adw_init ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "de");

  app = vesicle_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/locale/german", test_german);
  g_test_add_func ("/app/locale/library-messages", test_library_messages);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
