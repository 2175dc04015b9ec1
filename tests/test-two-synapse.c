/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fig 4's two-synapse computation: the gradient of the expected objective against finite
 * differences, Adam's optimum against Eq 29 for each of the four costs, and the figure's claim:
 * at the same reliability cost, homogeneous noise costs more performance than optimised noise.
 */
#include "vesicle-two-synapse.h"

#include <math.h>

static const double rhos[] = { 0.5, 2.0 / 3.0, 4.0 / 3.0, 2.0 };

static void
test_gradient (void)
{
  VesicleTwoSynapse model;

  vesicle_two_synapse_init (&model);
  for (guint r = 0; r < G_N_ELEMENTS (rhos); r++)
    for (guint n_phi = 1; n_phi <= 2; n_phi++)
      {
        double phi[2] = { -1.7, 0.3 }, grad[2];
        double c = pow (10.0, -2.0 * rhos[r]) / rhos[r];

        vesicle_two_synapse_objective (&model, rhos[r], c, phi, n_phi, grad);
        for (guint j = 0; j < n_phi; j++)
          {
            double h = 1e-6, up[2] = { phi[0], phi[1] }, down[2] = { phi[0], phi[1] };
            double numeric;

            up[j] += h;
            down[j] -= h;
            numeric = (vesicle_two_synapse_objective (&model, rhos[r], c, up, n_phi, NULL)
                       - vesicle_two_synapse_objective (&model, rhos[r], c, down, n_phi, NULL))
                      / (2 * h);
            g_assert_cmpfloat_with_epsilon (grad[j], numeric, 1e-6 * MAX (1.0, fabs (numeric)));
          }
      }
}

static void
test_optimum (void)
{
  VesicleTwoSynapse model;

  vesicle_two_synapse_init (&model);
  for (guint r = 0; r < G_N_ELEMENTS (rhos); r++)
    {
      VesicleTwoSynapseResult res;
      double c = pow (10.0, -2.0 * rhos[r]) / rhos[r];
      double cost;

      vesicle_two_synapse_optimise (&model, rhos[r], c, &res);
      /* Adam finds Eq 29's sigma^(rho+2) = c rho / h for each synapse */
      for (guint i = 0; i < 2; i++)
        {
          g_assert_cmpfloat (fabs (res.sigma_hetero[i] / res.sigma_analytic[i] - 1), <, 1e-3);
          g_assert_cmpfloat (fabs (res.sigma_analytic[i]
                                   - pow (c * rhos[r] / model.h[i], 1 / (rhos[r] + 2))), <, 1e-15);
        }
      /* the important (steep) synapse is the reliable one */
      g_assert_cmpfloat (res.sigma_hetero[0], <, res.sigma_hetero[1]);
      /* the homogeneous optimum lies between the two */
      g_assert_cmpfloat (res.sigma_homo, >, res.sigma_hetero[0]);
      g_assert_cmpfloat (res.sigma_homo, <, res.sigma_hetero[1]);
      /* the matched homogeneous noise pays exactly the same reliability cost */
      cost = 2 * c * pow (res.sigma_matched, -rhos[r]);
      g_assert_cmpfloat (fabs (cost / res.reliability_cost - 1), <, 1e-12);
      /* and costs more performance: Fig 4d */
      g_assert_cmpfloat (res.performance_matched, >, res.performance_hetero);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/two-synapse/gradient", test_gradient);
  g_test_add_func ("/two-synapse/optimum", test_optimum);
  return g_test_run ();
}
