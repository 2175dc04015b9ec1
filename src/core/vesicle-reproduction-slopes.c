/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reproduction's rows for the slopes of noise against importance, learning rate and input
 * rate: Fig 5 and Appendix 6 ("importance"), Appendix 5 ("zero-hidden") and the recordings of
 * Fig 6 that no simulation replaces. Each seed's slope is judged together with the others: the
 * mean and its 95% interval over seeds (repro_over_seeds).
 */
#include "vesicle-reproduction-private.h"
#include "vesicle-format.h"
#include "vesicle-json.h"
#include "vesicle-fit.h"

#include <math.h>

/* ---- Fig 5, Appendices 5 and 6: importance ---------------------------------------------------- */

static JsonObject *
find_slope (JsonArray  *slopes,
            gint64      network,
            gint64      layer,
            const char *against)
{
  for (guint i = 0; slopes && i < json_array_get_length (slopes); i++)
    {
      JsonObject *s = vesicle_json_array_get_object (slopes, i);

      if (s && vesicle_json_get_int (s, "network", -1) == network
          && vesicle_json_get_int (s, "layer", -1) == layer
          && g_strcmp0 (vesicle_json_get_string (s, "against"), against) == 0)
        return s;
    }
  return NULL;
}

/* In one seed's copy, the network at @rho (any, if NaN) trained at c times @factor; failing that
 * (a folder from before the factors), the first at @rho for factor 1. -1 if none. */
static gint64
network_id (JsonArray *networks,
            double     rho,
            double     factor)
{
  gint64 fallback = -1;

  for (guint i = 0; networks && i < json_array_get_length (networks); i++)
    {
      JsonObject *o = vesicle_json_array_get_object (networks, i);

      if (isfinite (rho) && vesicle_json_get_double (o, "rho") != rho)
        continue;
      if (vesicle_json_get_double (o, "c_factor") == factor)
        return vesicle_json_get_int (o, "network", i);
      if (fallback < 0 && factor == 1.0)
        fallback = vesicle_json_get_int (o, "network", i);
    }
  return fallback;
}

/* The slope of log sigma^2 @against one measure at @layer of the network (@rho, @factor), over
 * every seed (over_seeds). Free with json_object_unref; NULL when no seed has it. */
static JsonObject *
importance_fit (JsonObject *summary,
                double      rho,
                double      factor,
                gint64      layer,
                const char *against)
{
  JsonObject *fits[REPRO_MAX_SEEDS] = { NULL };
  guint n = MIN (repro_seed_count (summary), REPRO_MAX_SEEDS);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *copy = repro_seed_copy (summary, i);
      gint64 id = network_id (vesicle_json_get_array (copy, "networks"), rho, factor);

      fits[i] = id >= 0 ? find_slope (vesicle_json_get_array (copy, "slopes"), id, layer,
                                      against) : NULL;
    }
  return repro_over_seeds (fits, n);
}

/* A network's mean sigma averaged over seeds (NaN if no seed has it). */
static double
importance_mean_sigma (JsonObject *summary,
                       double      factor)
{
  double values[REPRO_MAX_SEEDS], mean, lo, hi;
  guint n = MIN (repro_seed_count (summary), REPRO_MAX_SEEDS);

  for (guint i = 0; i < n; i++)
    {
      JsonArray *networks = vesicle_json_get_array (repro_seed_copy (summary, i), "networks");
      gint64 id = network_id (networks, NAN, factor);

      values[i] = NAN;
      for (guint j = 0; id >= 0 && networks && j < json_array_get_length (networks); j++)
        if (vesicle_json_get_int (vesicle_json_array_get_object (networks, j), "network", j)
            == id)
          values[i] = vesicle_json_get_double (vesicle_json_array_get_object (networks, j),
                                               "mean_sigma");
    }
  return vesicle_mean_interval (values, n, &mean, &lo, &hi) ? mean : NAN;
}

/* A sign claim about one slope, judged on its 95% interval (the whole interval on the claimed
 * side), with the paper's estimator first and Vesicle's beside it. */
static void
sign_row (Table      *t,
          const char *figure,
          char       *claim,          /* taken */
          int         sign,
          JsonObject *paper_fit,      /* the paper's estimator, or NULL */
          const char *paper_words,
          JsonObject *own_fit,        /* Vesicle's, or NULL */
          const char *own_words)
{
  JsonObject *fit = paper_fit ? paper_fit : own_fit;
  const char *words = paper_fit ? paper_words : own_words;
  g_autofree char *quantity = g_strdup_printf ("the %s end of the slope's 95%% interval (%s)",
                                               sign < 0 ? "upper" : "lower", words);
  g_autofree char *main_text = fit ? repro_slope_text (fit) : g_strdup ("–");
  g_autofree char *other = paper_fit && own_fit ? repro_slope_text (own_fit) : NULL;
  g_autofree char *note = NULL;

  repro_add_row (t, figure, claim,
                 (VesicleRule) { sign < 0 ? VESICLE_RULE_BELOW : VESICLE_RULE_ABOVE, 0, 0 }, quantity,
                 fit ? vesicle_json_get_double (fit, sign < 0 ? "ci_high" : "ci_low") : NAN,
                 other ? g_strdup_printf ("%s with %s; %s with %s%s", main_text, words, other,
                                          own_words, repro_seeds_note (fit, &note))
                       : g_strdup_printf ("%s with %s%s", main_text, words, repro_seeds_note (fit, &note)),
                 g_strdup (sign < 0 ? "the slope is not clearly negative" :
                           "the slope is not clearly positive"));
}

void
repro_importance_rows (Table      *t,
                       JsonObject *summary)
{
  JsonArray *networks = vesicle_json_get_array (summary, "networks");
  static const char *const sign_measures[] = { "hessian", "learning_rate", "input_rate" };
  static const int signs[] = { -1, +1, -1 };
  guint n_expected = 0, n_signed = 0, n_seeds = repro_seed_count (summary);
  g_autoptr(JsonObject) empirical = importance_fit (summary, NAN, 1.0, 2, "hessian_empirical");
  g_autoptr(JsonObject) hessian = importance_fit (summary, NAN, 1.0, 2, "hessian");
  g_autoptr(JsonObject) input = importance_fit (summary, NAN, 1.0, 2, "input_rate");
  g_autoptr(JsonObject) absgrad = importance_fit (summary, NAN, 1.0, 2, "learning_rate_absgrad");
  g_autoptr(JsonObject) adam = importance_fit (summary, NAN, 1.0, 2, "learning_rate");

  if (vesicle_json_get_array (summary, "slopes") == NULL)
    return;
  sign_row (t, "Fig 5a",
            g_strdup ("“as the importance of the synapse increased, the optimised noise level "
                      "decreased”: log σ² against log Hessian, layer 2"),
            -1, empirical, "mean g² at w = μ, the paper's estimator", hessian,
            "Vesicle's Fisher under the noise");
  sign_row (t, "Fig 5b",
            g_strdup ("“the input rate … was negatively correlated with optimised synaptic "
                      "variability”, layer 2"),
            -1, input, "mean |x|", NULL, NULL);
  sign_row (t, "Fig 5c",
            g_strdup ("“optimised synaptic variability was larger for synapses with larger "
                      "learning rates”, layer 2"),
            +1, absgrad, "η / mean |g|, the paper's estimator", adam, "Adam's η / √v");

  /* Appendix 6: the same signs in every layer, at every multiple of c and for every seed */
  for (guint c = 0; c < n_seeds; c++)
    {
      JsonArray *slopes = vesicle_json_get_array (repro_seed_copy (summary, c), "slopes");

      for (guint i = 0; slopes && i < json_array_get_length (slopes); i++)
        {
          JsonObject *s = vesicle_json_array_get_object (slopes, i);
          const char *against = vesicle_json_get_string (s, "against");

          for (guint m = 0; m < G_N_ELEMENTS (sign_measures); m++)
            if (g_strcmp0 (against, sign_measures[m]) == 0)
              {
                n_expected++;
                n_signed += vesicle_json_get_double (s, "slope") * signs[m] > 0;
              }
        }
    }
  repro_add_row (t, "App 6",
                 g_strdup ("“The patterns do not appear substantially different from layer to "
                           "layer”, and are “preserved” at c ×10 and c ÷10"),
                 (VesicleRule) { VESICLE_RULE_EQUAL, 0, 0 },
                 "slopes (Hessian, learning rate, input rate; every layer, c and seed) of the other "
                 "sign than in Fig 5", n_expected ? (double) (n_expected - n_signed) : NAN,
                 g_strdup_printf ("%u of %u with the signs of Fig 5 (%u seed%s)", n_signed, n_expected,
                                  n_seeds, n_seeds == 1 ? "" : "s"),
                 g_strdup ("some layer or multiple of c has a slope of the other sign"));
  if (network_id (networks, NAN, 10.0) >= 0 && network_id (networks, NAN, 0.1) >= 0)
    {
      double s_up = importance_mean_sigma (summary, 10.0);
      double s_mid = importance_mean_sigma (summary, 1.0);
      double s_down = importance_mean_sigma (summary, 0.1);
      g_autofree char *a = repro_number (s_down), *b = repro_number (s_mid), *c = repro_number (s_up);

      repro_add_row (t, "App 6",
                     g_strdup ("when c is “increased … or decreased by a factor of ten, overall "
                               "synapse variability increases or decreases accordingly”"),
                     (VesicleRule) { VESICLE_RULE_ABOVE, 1, 0 },
                     "the smaller of mean σ(10c) / mean σ(c) and mean σ(c) / mean σ(c/10)",
                     MIN (s_up / s_mid, s_mid / s_down),
                     g_strdup_printf ("mean σ %s, %s, %s at c/10, c, 10c%s", a, b, c,
                                      n_seeds > 1 ? " (means over seeds)" : ""), NULL);
    }
  /* what the paper draws beside its data but says does not hold in deep networks */
  {
    double slope = hessian ? vesicle_json_get_double (hessian, "slope") : NAN;
    double analytic = hessian ? vesicle_json_get_double (hessian, "analytic") : NAN;
    g_autofree char *a = repro_signed_text (analytic, 2);
    g_autofree char *m = hessian ? repro_slope_text (hessian) : g_strdup ("–");
    g_autofree char *r = repro_number (slope / analytic);
    g_autofree char *note = NULL;

    repro_add_row (t, "Eq. 54a",
                   g_strdup ("the analytic slope against the Hessian, −2/(ρ+2); in deeper networks "
                             "“the exact value of the slope was not consistent”"),
                   repro_reference, "the analytic slope", slope,
                   g_strdup_printf ("%s against %s analytic (ratio %s)%s", m, a, r,
                                    repro_seeds_note (hessian, &note)), NULL);
  }
}

/* The zero-hidden networks at the preset's c (factor nearest 1), one per rho, smallest first:
 * their ids in @ids, their rhos in @rhos; returns how many (at most @max). */
static guint
networks_by_rho (JsonArray *networks,
                 gint64    *ids,
                 double    *rhos,
                 guint      max)
{
  guint n = 0;

  for (guint i = 0; networks && i < json_array_get_length (networks); i++)
    {
      JsonObject *o = vesicle_json_array_get_object (networks, i);
      double rho = vesicle_json_get_double (o, "rho"), f = vesicle_json_get_double (o, "c_factor");
      guint j = 0;

      if (!isfinite (rho))
        continue;
      if (!(f > 0))
        f = 1;
      while (j < n && rhos[j] != rho)
        j++;
      if (j == n)
        {
          guint at = n;

          if (n == max)
            continue;
          /* sorted by rho */
          while (at > 0 && rhos[at - 1] > rho)
            {
              rhos[at] = rhos[at - 1];
              ids[at] = ids[at - 1];
              at--;
            }
          rhos[at] = rho;
          ids[at] = vesicle_json_get_int (o, "network", i);
          n++;
        }
      else if (fabs (log (f)) < 1e-9)
        ids[j] = vesicle_json_get_int (o, "network", i);
    }
  return n;
}

void
repro_zero_hidden_rows (Table      *t,
                        JsonObject *summary)
{
  JsonArray *networks = vesicle_json_get_array (summary, "networks");
  double experimental = vesicle_json_get_double (summary, "experimental_slope");
  static const struct { const char *against, *words, *eq; } measures[] = {
    { "hessian", "the Hessian (the Fisher, exact with no hidden layer)", "Eq. 54a" },
    { "input_power", "the input power ⟨x²⟩", "Eq. 54b" },
    { "learning_rate_absgrad", "the learning rate η / mean|g| (the Methods' estimator)",
      "Eq. 54a" },
  };
  gint64 ids[8];
  double rhos[8];
  guint n_rho = networks_by_rho (networks, ids, rhos, G_N_ELEMENTS (ids));
  g_autofree char *minus_062 = NULL;

  if (!isfinite (experimental))
    experimental = -0.62;
  minus_062 = repro_signed_text (experimental, 2);
  /* one row per relation over every rho: the claim is that the analytic results match */
  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *quantity = g_strdup_printf ("the largest |%sslope − analytic| over ρ "
                                                   "(log σ² against log %s)",
                                                   repro_seed_count (summary) > 1 ? "mean " : "",
                                                   measures[m].words);
      gboolean rate = g_str_equal (measures[m].against, "learning_rate_absgrad");
      double worst = n_rho > 0 ? 0 : NAN;

      g_autofree char *note = NULL;

      for (guint r = 0; r < n_rho; r++)
        {
          g_autoptr(JsonObject) o = importance_fit (summary, rhos[r], 1.0, 1,
                                                    measures[m].against);
          double slope = o ? vesicle_json_get_double (o, "slope") : NAN;
          double analytic = o ? vesicle_json_get_double (o, "analytic") : NAN;
          g_autofree char *rho = vesicle_format_ratio (rhos[r]);
          g_autofree char *fit = o ? repro_slope_text (o) : g_strdup ("–");
          g_autofree char *a = repro_signed_text (analytic, 2);

          worst = isfinite (slope - analytic) && isfinite (worst)
                  ? MAX (worst, fabs (slope - analytic)) : NAN;
          g_string_append_printf (text, "%sρ = %s: %s against %s", r ? "; " : "", rho, fit, a);
          if (rate)
            {
              /* Vesicle's own estimator beside the paper's */
              g_autoptr(JsonObject) adam = importance_fit (summary, rhos[r], 1.0, 1,
                                                           "learning_rate");
              g_autofree char *v = repro_signed_text (adam ? vesicle_json_get_double (adam, "slope")
                                                           : NAN, 3);

              g_string_append_printf (text, " (Adam's η/√v: %s)", v);
            }
          if (r + 1 == n_rho)
            g_string_append (text, repro_seeds_note (o, &note));
        }
      repro_add_row (t, "App 5",
                     g_strdup_printf ("“the analytic results closely matched the simulations” (%s)",
                                      measures[m].eq),
                     (VesicleRule) { VESICLE_RULE_BELOW, 0.1, 0 }, quantity, worst,
                     g_strdup (text->str),
                     rate
                     ? g_strdup ("estimator: both learning rates, the Methods' η / mean|g| and "
                                 "Adam's η/√v, are read after the frozen-means phase (sigma_epochs), "
                                 "where only σ moves, and fall short of 4/(ρ+2) at large ρ")
                     : g_strdup ("a slope differs from the analytic one by more than 0.1"));
    }
  if (n_rho < 4)
    {
      repro_add_untested (t, "App 5",
                          g_strdup_printf ("“the biological slopes [%s, Fig 6b] tend to match the "
                                           "ρ = 2 better than the other values for ρ”", minus_062),
                          g_strdup_printf ("this experiment trained %u value%s of ρ; the claim needs "
                                           "all four", n_rho, n_rho == 1 ? "" : "s"));
      return;
    }
  /* the simulated slope against the input power (Eq 54b's quantity; the panel with the red
   * line), and the analytic one, nearest the biological slope */
  {
    double nearest_rho = NAN, nearest_analytic_rho = NAN, nearest_rate_rho = NAN;
    double best = INFINITY, best_analytic = INFINITY, best_rate = INFINITY;
    g_autoptr(GString) text = g_string_new (NULL);
    g_autofree char *nearest_text = NULL, *nearest_analytic_text = NULL, *nearest_rate_text = NULL;

    for (guint r = 0; r < n_rho; r++)
      {
        g_autoptr(JsonObject) o = importance_fit (summary, rhos[r], 1.0, 1, "input_power");
        g_autoptr(JsonObject) rate = importance_fit (summary, rhos[r], 1.0, 1, "input_rate");
        double slope = o ? vesicle_json_get_double (o, "slope") : NAN;
        double analytic = -2.0 / (rhos[r] + 2.0);
        g_autofree char *rho = vesicle_format_ratio (rhos[r]);
        g_autofree char *v = repro_signed_text (slope, 2);
        g_autofree char *rv = repro_signed_text (rate ? vesicle_json_get_double (rate, "slope") : NAN, 2);

        if (fabs (slope - experimental) < best)
          {
            best = fabs (slope - experimental);
            nearest_rho = rhos[r];
          }
        if (rate && fabs (vesicle_json_get_double (rate, "slope") - experimental) < best_rate)
          {
            best_rate = fabs (vesicle_json_get_double (rate, "slope") - experimental);
            nearest_rate_rho = rhos[r];
          }
        if (fabs (analytic - experimental) < best_analytic)
          {
            best_analytic = fabs (analytic - experimental);
            nearest_analytic_rho = rhos[r];
          }
        g_string_append_printf (text, "%sρ = %s: %s (against ⟨|x|⟩ %s)", r ? "; " : "", rho,
                                v, rv);
      }
    nearest_text = vesicle_format_ratio (nearest_rho);
    nearest_analytic_text = vesicle_format_ratio (nearest_analytic_rho);
    nearest_rate_text = vesicle_format_ratio (nearest_rate_rho);
    g_string_append_printf (text, "; nearest: ρ = %s%s", nearest_text,
                            repro_seed_count (summary) > 1 ? " (means over seeds)" : "");
    repro_add_row (t, "App 5",
                   g_strdup_printf ("“the biological slopes [%s, Fig 6b] tend to match the ρ = 2 better "
                                    "than the other values for ρ”", minus_062),
                   (VesicleRule) { VESICLE_RULE_EQUAL, 2, 0 },
                   "the ρ whose simulated slope of log σ² against log ⟨x²⟩ lies nearest the biological "
                   "slope", nearest_rho, g_strdup (text->str),
                   g_strdup_printf ("a genuine disagreement on the paper's own quantity: against "
                                    "⟨x²⟩ (Eq. 54b) the simulations put ρ = %s nearest, and the "
                                    "analytic −2/(ρ+2) puts ρ = %s nearest; against the mean input "
                                    "⟨|x|⟩ it is ρ = %s", nearest_text, nearest_analytic_text,
                                    isfinite (nearest_rate_rho) ? nearest_rate_text : "–"));
  }
}

/* Fig 6 shows recordings, not simulations: listed so that nobody looks for them in this table. */
void
repro_experimental_data_rows (Table *t)
{
  const char *simulated = t->source;

  t->source = "recordings (none in this reproduction)";
  repro_add_untested (t, "Fig 6a",
                      g_strdup ("in recordings of V1 synapses before and after LTP (Sjöström et al. "
                                "2001, as analysed by Schug et al. 2021), synapses with a higher release "
                                "probability change their mean less"),
                      g_strdup ("experimental data: Vesicle simulates networks and has no recordings to "
                                "compare; the simulated counterpart is Fig 5c"));
  repro_add_untested (t, "Fig 6b",
                      g_strdup ("in V1 recordings (Ko et al. 2013, as analysed by Aitchison et al. "
                                "2021), normalised EPSP variability falls with the input firing rate, "
                                "slope −0.62"),
                      g_strdup ("experimental data: Vesicle has no recordings; the slope −0.62 is "
                                "compared with the simulations in the App 5 rows"));
  t->source = simulated;
}
