/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vesicle-cli tune: tunes CLBlast for a device on Vesicle's GEMMs (vesicle-blas-tune.h) and
 * saves the winner in the user's cache, where every later run on that device, driver and
 * CLBlast applies it. Progress on stderr, the report as JSON on stdout. A cold compiler cache
 * makes it slow (PoCL: about 25 minutes for every candidate, 270 s for some alone); a warm one,
 * seconds.
 */
#include "vesicle-cli.h"
#include "vesicle-blas-tune.h"
#include "vesicle-json.h"

#include <stdio.h>

static void
print_progress (double      fraction,
                const char *message,
                gpointer    user_data)
{
  fprintf (stderr, "[%3.0f%%] %s\n", 100 * fraction, message);
}

int
vesicle_cli_tune (int    argc,
                  char **argv)
{
  g_autofree char *device = NULL, *list = NULL;
  gboolean show = FALSE;
  g_autofree char *rounds_text = NULL;
  guint rounds = 3;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      "OpenCL device: index or part of its name (default $VESICLE_DEVICE, else the first GPU)",
      "DEVICE" },
    { "candidates", 0, 0, G_OPTION_ARG_STRING, &list,
      "Time only these (comma-separated; CLBlast's own, 'own', always runs)", "LABEL[,LABEL…]" },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text, "Interleaved timing rounds (default 3)", "N" },
    { "list", 0, 0, G_OPTION_ARG_NONE, &show, "List the candidates and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— tune CLBlast's GEMM for a device");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) labels = NULL;
  g_autofree char *text = NULL;
  const char *const *all = vesicle_blas_tune_candidates ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return vesicle_cli_fail ("tune", error);
  if (argc > 1)
    return vesicle_cli_fail_msg ("tune", "takes no arguments besides its options");
  if (show)
    {
      for (guint i = 0; all[i]; i++)
        printf ("%-18s %s\n", all[i], vesicle_blas_tune_candidate_about (all[i]));
      return 0;
    }
  if (!vesicle_cli_parse_uint ("rounds", rounds_text, 1, G_MAXINT, &rounds, &error))
    return vesicle_cli_fail ("tune", error);
  if (list)
    labels = g_strsplit (list, ",", -1);

  report = vesicle_blas_tune (device, (const char *const *) labels, rounds, print_progress, NULL,
                              NULL, &error);
  if (report == NULL)
    return vesicle_cli_fail ("tune", error);
  root = json_node_init_object (json_node_alloc (), report);
  text = vesicle_json_to_string (root, TRUE);
  printf ("%s\n", text);
  fprintf (stderr, "vesicle-cli tune: %s, %.2fx CLBlast's own speed on a step of 16 networks; "
           "saved to %s\n", vesicle_json_get_string (report, "label"),
           vesicle_json_get_double (report, "speedup"), vesicle_json_get_string (report, "path"));
  return 0;
}
