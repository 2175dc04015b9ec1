/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-network-item.h"

#include <glib/gi18n.h>

struct _VesicleNetworkItem {
  GObject               parent_instance;

  VesicleNetworkSummary summary;
  char                 *run;
};

G_DEFINE_FINAL_TYPE (VesicleNetworkItem, vesicle_network_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUN,
  PROP_NETWORK,
  PROP_RHO,
  PROP_C,
  PROP_SETTING,
  PROP_SEED,
  PROP_EPOCH,
  PROP_ACCURACY,
  PROP_MEAN_SIGMA,
  PROP_RMS_SIGMA,
  PROP_RELIABILITY_COST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vesicle_network_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VesicleNetworkItem *self = VESICLE_NETWORK_ITEM (object);
  const VesicleNetworkSummary *s = &self->summary;

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_string (value, self->run);
      break;
    case PROP_NETWORK:
      /* across the experiment: cohort by cohort, then within each */
      g_value_set_uint (value, s->run * 100000 + s->network);
      break;
    case PROP_RHO:
      g_value_set_double (value, s->variational ? -1.0 : s->rho);
      break;
    case PROP_C:
      g_value_set_double (value, s->c);
      break;
    case PROP_SETTING:
      /* the paper's words: the table shows this, and sorts by it */
      g_value_set_string (value, s->setting == VESICLE_SIGMA_HOMO ? _("homogeneous")
                                                                  : _("heterogeneous"));
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, s->seed);
      break;
    case PROP_EPOCH:
      /* unfinished networks sort apart from finished ones that reached the same epoch */
      g_value_set_uint (value, s->epoch * 2 + (s->finished ? 1 : 0));
      break;
    case PROP_ACCURACY:
      g_value_set_double (value, s->test_accuracy);
      break;
    case PROP_MEAN_SIGMA:
      g_value_set_double (value, s->mean_sigma);
      break;
    case PROP_RMS_SIGMA:
      g_value_set_double (value, s->rms_sigma);
      break;
    case PROP_RELIABILITY_COST:
      g_value_set_double (value, s->reliability_cost);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vesicle_network_item_finalize (GObject *object)
{
  VesicleNetworkItem *self = VESICLE_NETWORK_ITEM (object);

  g_free (self->run);
  G_OBJECT_CLASS (vesicle_network_item_parent_class)->finalize (object);
}

static GParamSpec *
double_property (const char *name)
{
  return g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
vesicle_network_item_class_init (VesicleNetworkItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vesicle_network_item_get_property;
  object_class->finalize = vesicle_network_item_finalize;

  properties[PROP_RUN] = g_param_spec_string ("run", NULL, NULL, NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK] = g_param_spec_uint ("network", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* variational-Bayes networks have no exponent: they sort first, as -1 */
  properties[PROP_RHO] = double_property ("rho");
  properties[PROP_C] = double_property ("c");
  properties[PROP_SETTING] = g_param_spec_string ("setting", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEED] = g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EPOCH] = g_param_spec_uint ("epoch", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCURACY] = double_property ("accuracy");
  properties[PROP_MEAN_SIGMA] = double_property ("mean-sigma");
  properties[PROP_RMS_SIGMA] = double_property ("rms-sigma");
  properties[PROP_RELIABILITY_COST] = double_property ("reliability-cost");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vesicle_network_item_init (VesicleNetworkItem *self)
{
}

VesicleNetworkItem *
vesicle_network_item_new (const VesicleNetworkSummary *summary,
                          const char                  *run)
{
  VesicleNetworkItem *self = g_object_new (VESICLE_TYPE_NETWORK_ITEM, NULL);

  self->summary = *summary;
  self->run = g_strdup (run);
  return self;
}

const VesicleNetworkSummary *
vesicle_network_item_get_summary (VesicleNetworkItem *self)
{
  g_return_val_if_fail (VESICLE_IS_NETWORK_ITEM (self), NULL);
  return &self->summary;
}

const char *
vesicle_network_item_get_run (VesicleNetworkItem *self)
{
  g_return_val_if_fail (VESICLE_IS_NETWORK_ITEM (self), NULL);
  return self->run;
}
