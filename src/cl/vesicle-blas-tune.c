/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-blas-tune.h"
#include "vesicle-blas.h"
#include "vesicle-blas-tuning.h"
#include "vesicle-cl-cohort.h"
#include "vesicle-gemm.h"
#include "vesicle-file.h"
#include "vesicle-json.h"
#include "vesicle-fit.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_COHORTS 2
static const guint cohort_sizes[N_COHORTS] = { 1, 16 };
#define REPS 5        /* timed passes over a step's products per candidate and round */

static const char *const direct_names[] = {
  "WGD", "MDIMCD", "NDIMCD", "MDIMAD", "NDIMBD", "KWID", "VWMD", "VWND", "PADA", "PADB",
};
static const char *const xgemm_names[] = {
  "MWG", "NWG", "KWG", "MDIMC", "NDIMC", "MDIMA", "NDIMB", "KWI", "VWM", "VWN", "STRM", "STRN",
  "SA", "SB", "GEMMK", "KREG",
};

/* A candidate changes XgemmDirect or Xgemm (all zeros: CLBlast's own values stay), and may send
 * every product to the indirect kernel. The sets come from CLBlast's database and from a search
 * on PoCL (tools/bench/clblast-tuning.md): CPUs want few, large work-items with vector loads,
 * GPUs many small ones. */
typedef struct {
  const char *label;
  const char *about;
  gboolean    indirect;
  size_t      direct[G_N_ELEMENTS (direct_names)];
  size_t      xgemm[G_N_ELEMENTS (xgemm_names)];
  gboolean    vesicle;      /* not CLBlast at all: Vesicle's own kernels (kernels/gemm.cl) */
} Candidate;

/* "own" and "vesicle" always run: the yardstick, and the other GEMM the choice is between */
static const Candidate candidates[] = {
  { "own", "CLBlast's own parameters for this device", FALSE, { 0 }, { 0 } },
  { "vesicle", "Vesicle's own GEMM kernels (kernels/gemm.cl), instead of CLBlast", FALSE, { 0 },
    { 0 }, TRUE },
  { "d32_8x8_v4", "XgemmDirect 32x32 tiles, 64 work-items, float4 (CLBlast's Intel CPU entry)",
    FALSE, { 32, 8, 8, 8, 8, 2, 4, 4, 1, 1 }, { 0 } },
  { "d32_8x8_v4_k8_p0", "XgemmDirect 32x32 tiles, 64 work-items, float4, k unrolled by 8",
    FALSE, { 32, 8, 8, 8, 8, 8, 4, 4, 0, 0 }, { 0 } },
  { "d32_4x4_v4_k8", "XgemmDirect 32x32 tiles, 16 work-items of 8x8 outputs, float4",
    FALSE, { 32, 4, 4, 4, 4, 8, 4, 4, 0, 0 }, { 0 } },
  { "d16_4x4_v4_k8", "XgemmDirect 16x16 tiles, 16 work-items of 4x4 outputs, float4",
    FALSE, { 16, 4, 4, 4, 4, 8, 4, 4, 0, 0 }, { 0 } },
  { "d16_8x8_v2", "XgemmDirect 16x16 tiles, 64 work-items, float2",
    FALSE, { 16, 8, 8, 8, 8, 2, 2, 2, 0, 0 }, { 0 } },
  { "d32_16x16_v2", "XgemmDirect 32x32 tiles, 256 work-items, float2",
    FALSE, { 32, 16, 16, 16, 16, 2, 2, 2, 1, 1 }, { 0 } },
  { "d64_8x8_v2", "XgemmDirect 64x64 tiles, 64 work-items, float2 (CLBlast's i7-4790K entry)",
    FALSE, { 64, 8, 8, 8, 8, 2, 2, 2, 0, 0 }, { 0 } },
  { "d64_8x8_v8v4_k8", "XgemmDirect 64x64 tiles, 64 work-items, float8 x float4 (i5-4590S)",
    FALSE, { 64, 8, 8, 8, 8, 8, 8, 4, 0, 0 }, { 0 } },
  { "ind_own", "every product through the indirect Xgemm, CLBlast's own Xgemm parameters",
    TRUE, { 0 }, { 0 } },
  { "ind_32x64_v4", "indirect Xgemm 32x64 tiles, float4 (CLBlast's Intel CPU entry)",
    TRUE, { 0 }, { 32, 64, 32, 8, 8, 8, 8, 2, 4, 4, 0, 0, 0, 0, 0, 1 } },
  { "ind_64x64_v8", "indirect Xgemm 64x64 tiles, float8",
    TRUE, { 0 }, { 64, 64, 16, 8, 8, 8, 8, 2, 8, 8, 0, 0, 0, 0, 0, 1 } },
};

const char *const *
vesicle_blas_tune_candidates (void)
{
  static const char *labels[G_N_ELEMENTS (candidates) + 1];

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    labels[i] = candidates[i].label;
  return labels;
}

static const Candidate *
find_candidate (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_str_equal (candidates[i].label, label))
      return &candidates[i];
  return NULL;
}

const char *
vesicle_blas_tune_candidate_about (const char *label)
{
  const Candidate *c = find_candidate (label);

  return c ? c->about : NULL;
}

/* ---- parameters --------------------------------------------------------------------------- */

static JsonObject *
copy_parameters (JsonObject *parameters)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) kernels = json_object_get_members (parameters);

  for (GList *k = kernels; k; k = k->next)
    {
      JsonObject *values = json_object_get_object_member (parameters, k->data);
      JsonObject *out = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (values);

      for (GList *n = names; n; n = n->next)
        json_object_set_int_member (out, n->data, json_object_get_int_member (values, n->data));
      json_object_set_object_member (copy, k->data, out);
    }
  return copy;
}

/* Sets @n parameters of @kernel; each must be one CLBlast has (its names change between
 * versions, and a missing one would be rejected only at the override). */
static gboolean
set_values (JsonObject        *parameters,
            const char        *kernel,
            const char *const *names,
            const size_t      *values,
            guint              n,
            GError           **error)
{
  JsonObject *object = json_object_get_object_member (parameters, kernel);

  if (json_object_get_size (object) != n)
    {
      g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_BLAS,
                   "this CLBlast's %s has %u parameters, the candidate sets %u", kernel,
                   json_object_get_size (object), n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (!json_object_has_member (object, names[i]))
        {
          g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_BLAS,
                       "this CLBlast's %s has no parameter %s", kernel, names[i]);
          return FALSE;
        }
      json_object_set_int_member (object, names[i], (gint64) values[i]);
    }
  return TRUE;
}

static JsonObject *
candidate_parameters (const Candidate  *c,
                      JsonObject       *own,
                      GError          **error)
{
  g_autoptr(JsonObject) p = copy_parameters (own);
  static const char *const indirect_name[] = { "XGEMM_MIN_INDIRECT_SIZE" };
  static const size_t one[] = { 1 };

  if ((c->direct[0] && !set_values (p, "XgemmDirect", direct_names, c->direct,
                                    G_N_ELEMENTS (direct_names), error))
      || (c->xgemm[0] && !set_values (p, "Xgemm", xgemm_names, c->xgemm,
                                      G_N_ELEMENTS (xgemm_names), error)))
    return NULL;
  /* the size below which CLBlast runs the direct kernel: 1 sends every product to Xgemm */
  if (c->indirect
      && !set_values (p, "GemmRoutine", indirect_name, one, 1, error))
    return NULL;
  return g_steal_pointer (&p);
}

/* ---- the products, with buffers of their own and a float64 reference -------------------- */

typedef struct {
  VesicleGemmCall call;
  gsize           na, nb, nc;     /* floats in each buffer */
  float          *ha, *hb, *ref;
  double          flops;
} Product;

static void
product_clear (Product *p)
{
  g_clear_pointer (&p->call.a.buffer, clReleaseMemObject);
  g_clear_pointer (&p->call.b.buffer, clReleaseMemObject);
  g_clear_pointer (&p->call.c.buffer, clReleaseMemObject);
  g_free (p->ha);
  g_free (p->hb);
  g_free (p->ref);
}

/* op(X) element (row, col) of batch member b */
static inline float
element (const float      *x,
         const VesicleMat *mat,
         gsize             b,
         gsize             row,
         gsize             col)
{
  return mat->trans ? x[mat->offset + b * mat->stride + col * mat->ld + row]
                    : x[mat->offset + b * mat->stride + row * mat->ld + col];
}

static gsize
extent (const VesicleMat *mat,
        gsize             batch,
        gsize             rows)
{
  return mat->offset + (batch - 1) * mat->stride + rows * mat->ld;
}

static cl_mem
upload (VesicleClDevice  *device,
        const float      *host,
        gsize             n,
        GError          **error)
{
  cl_int status;
  cl_mem mem = clCreateBuffer (device->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                               n * sizeof (float), (void *) host, &status);

  return vesicle_cl_check (status, "clCreateBuffer", error) ? mem : NULL;
}

static gboolean
product_init (Product               *p,
              const VesicleGemmCall *call,
              VesicleClDevice       *device,
              GRand                 *rand,
              GError               **error)
{
  VesicleMat *a = &p->call.a, *b = &p->call.b, *c = &p->call.c;

  p->call = *call;
  /* the offsets matter only for alignment (CLBlast loads vectors from aligned ones) */
  a->offset %= 64;
  b->offset %= 64;
  c->offset %= 64;
  p->na = extent (a, call->batch, a->trans ? call->k : call->m);
  p->nb = extent (b, call->batch, b->trans ? call->n : call->k);
  p->nc = extent (c, call->batch, call->m);
  p->ha = g_new (float, p->na);
  p->hb = g_new (float, p->nb);
  p->ref = g_new0 (float, p->nc);
  for (gsize i = 0; i < p->na; i++)
    p->ha[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
  for (gsize i = 0; i < p->nb; i++)
    p->hb[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
  for (gsize q = 0; q < call->batch; q++)
    for (gsize i = 0; i < call->m; i++)
      for (gsize j = 0; j < call->n; j++)
        {
          double sum = 0;

          for (gsize l = 0; l < call->k; l++)
            sum += (double) element (p->ha, a, q, i, l) * element (p->hb, b, q, l, j);
          p->ref[c->offset + q * c->stride + i * c->ld + j] = (float) sum;
        }
  p->flops = 2.0 * call->batch * call->m * call->n * call->k;
  return (a->buffer = upload (device, p->ha, p->na, error))
         && (b->buffer = upload (device, p->hb, p->nb, error))
         && (c->buffer = upload (device, p->ref, p->nc, error));
}

/* One product through CLBlast, or through Vesicle's kernels when @own is set. */
static gboolean
run_product (VesicleClDevice *device,
             VesicleGemm     *own,
             Product         *p,
             GError         **error)
{
  if (own)
    return vesicle_gemm_run (own, p->call.batch, p->call.m, p->call.n, p->call.k, &p->call.a,
                             &p->call.b, &p->call.c, error);
  return vesicle_blas_sgemm (device->queue, p->call.batch, p->call.m, p->call.n, p->call.k,
                             1.0f, &p->call.a, &p->call.b, 0.0f, &p->call.c, error);
}

static gboolean
run_products (VesicleClDevice *device,
              VesicleGemm     *own,
              GArray          *products,
              GError         **error)
{
  for (guint i = 0; i < products->len; i++)
    if (!run_product (device, own, &g_array_index (products, Product, i), error))
      return FALSE;
  return vesicle_cl_check (clFinish (device->queue), "clFinish", error);
}

/* The largest |C - reference| over every product (the whole of C: nothing else may change). */
static gboolean
check_products (VesicleClDevice *device,
                VesicleGemm     *own,
                GArray          *products,
                double          *max_error,
                GError         **error)
{
  *max_error = 0;
  for (guint i = 0; i < products->len; i++)
    {
      Product *p = &g_array_index (products, Product, i);
      g_autofree float *out = g_new (float, p->nc);

      if (!vesicle_cl_zero_buffer (device, p->call.c.buffer, 0, p->nc * sizeof (float), error)
          || !run_product (device, own, p, error)
          || !vesicle_cl_check (clEnqueueReadBuffer (device->queue, p->call.c.buffer, CL_TRUE,
                                                     0, p->nc * sizeof (float), out, 0, NULL,
                                                     NULL), "clEnqueueReadBuffer", error))
        return FALSE;
      for (gsize j = 0; j < p->nc; j++)
        *max_error = MAX (*max_error, isfinite (out[j]) ? fabs ((double) out[j] - p->ref[j])
                                                        : INFINITY);
    }
  return TRUE;
}

/* The products of one training step of a cohort of @K, recorded from a real cohort. */
static GArray *
record_step (const char  *selector,
             guint        K,
             GRand       *rand,
             GError     **error)
{
  VesicleCohortConfig config;
  g_autoptr(VesicleEngine) engine = NULL;
  VesicleClDevice *device = vesicle_cl_device_open (selector, error);
  guint n = 20;
  g_autofree float *x = g_new (float, n * 784);
  g_autofree float *t = g_new (float, n);

  if (device == NULL)
    return NULL;
  vesicle_cohort_config_init_benchmark (&config, K, n);
  engine = vesicle_cl_cohort_new (device, &config, error);
  vesicle_cohort_config_clear (&config);
  for (guint i = 0; i < n * 784; i++)
    x[i] = (float) g_rand_double (rand);
  for (guint i = 0; i < n; i++)
    t[i] = g_rand_int_range (rand, 0, 10);
  if (engine == NULL || !vesicle_engine_set_train_data (engine, x, t, n, error))
    return NULL;
  return vesicle_cl_cohort_record_gemms (engine, error);
}

/* ---- the tuner ---------------------------------------------------------------------------- */

typedef struct {
  const Candidate *candidate;
  JsonObject      *parameters;
  char            *rejected;               /* why, or NULL */
  double           max_error;
  double           check_s;                /* compiling and checking */
  GArray          *samples[N_COHORTS];     /* per round: median seconds of a step */
  double           step_s[N_COHORTS];
  double           speedup[N_COHORTS];
  double           score;
} Trial;

static void
trial_clear (Trial *t)
{
  g_clear_pointer (&t->parameters, json_object_unref);
  g_free (t->rejected);
  for (guint c = 0; c < N_COHORTS; c++)
    g_clear_pointer (&t->samples[c], g_array_unref);
}

static gboolean
time_step (VesicleClDevice *device,
           VesicleGemm     *own,
           GArray          *products,
           double          *seconds,
           GError         **error)
{
  double passes[REPS];

  if (!run_products (device, own, products, error))    /* warm */
    return FALSE;
  for (guint r = 0; r < REPS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      if (!run_products (device, own, products, error))
        return FALSE;
      passes[r] = (g_get_monotonic_time () - start) * 1e-6;
    }
  *seconds = vesicle_median (passes, REPS);
  return TRUE;
}

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "GEMM tuning cancelled; nothing was saved");
  return TRUE;
}

static JsonArray *
pair (const double *values)
{
  return vesicle_json_double_array (values, N_COHORTS);
}

static gboolean
quick (GArray *trials)
{
  for (guint i = 0; i < trials->len; i++)
    {
      const Candidate *c = g_array_index (trials, Trial, i).candidate;

      if (c != &candidates[0] && !c->vesicle)
        return FALSE;
    }
  return TRUE;
}

static JsonObject *
report_new (const VesicleClDeviceInfo *info,
            GArray                    *trials,
            const Trial               *best,
            const Trial               *vesicle,
            GArray                   **products)
{
  JsonObject *r = json_object_new ();
  JsonArray *list = json_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *tuned = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  double flops[N_COHORTS] = { 0 };

  for (guint c = 0; c < N_COHORTS; c++)
    for (guint i = 0; i < products[c]->len; i++)
      flops[c] += g_array_index (products[c], Product, i).flops;

  json_object_set_string_member (r, "device", info->name);
  json_object_set_string_member (r, "vendor", info->vendor);
  json_object_set_string_member (r, "platform", info->platform_name);
  json_object_set_string_member (r, "platform_version", info->platform_version);
  json_object_set_string_member (r, "driver", info->driver_version);
  json_object_set_string_member (r, "clblast", vesicle_blas_version ());
  json_object_set_string_member (r, "tuned", tuned);
  json_object_set_string_member (r, "timed",
                                 "the GEMMs of one training step of 784-100-100-10 at batch 20, "
                                 "for cohorts of 1 and 16 networks; medians of interleaved rounds");
  json_object_set_array_member (r, "cohorts",
                                vesicle_json_uint_array (cohort_sizes, N_COHORTS));
  json_object_set_string_member (r, "label", best->candidate->label);
  json_object_set_double_member (r, "speedup", best->speedup[N_COHORTS - 1]);
  /* quick: CLBlast's own parameters against Vesicle's GEMM, no other candidate (the timing on a
   * device's first use, vesicle_cl_prepare_device) */
  json_object_set_boolean_member (r, "quick", quick (trials));
  /* the GEMM cohorts run (vesicle-gemm.h): the faster of Vesicle's and CLBlast's best, over
   * both cohorts; Vesicle's kernels may fail the check, and then CLBlast runs */
  if (vesicle && !vesicle->rejected && vesicle->score > best->score)
    {
      json_object_set_string_member (r, "gemm", "vesicle");
      json_object_set_double_member (r, "gemm_speedup", vesicle->score / best->score);
    }
  else
    {
      json_object_set_string_member (r, "gemm", "clblast");
      if (vesicle && !vesicle->rejected)
        json_object_set_double_member (r, "gemm_speedup", best->score / vesicle->score);
      else
        json_object_set_null_member (r, "gemm_speedup");
    }
  json_object_set_object_member (r, "parameters", copy_parameters (best->parameters));
  /* what CLBlast would run untuned, for comparison (tools/bench/clblast-tuning.md) */
  json_object_set_object_member (r, "own_parameters",
                                 copy_parameters (g_array_index (trials, Trial, 0).parameters));
  for (guint i = 0; i < trials->len; i++)
    {
      Trial *t = &g_array_index (trials, Trial, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "label", t->candidate->label);
      json_object_set_string_member (o, "about", t->candidate->about);
      json_object_set_string_member (o, "status", t->rejected ? t->rejected : "ok");
      json_object_set_double_member (o, "check_s", t->check_s);
      if (!t->rejected)
        {
          double ms[N_COHORTS], gflops[N_COHORTS];

          for (guint c = 0; c < N_COHORTS; c++)
            {
              ms[c] = 1e3 * t->step_s[c];
              gflops[c] = flops[c] / t->step_s[c] * 1e-9;
            }
          json_object_set_double_member (o, "max_error", t->max_error);
          json_object_set_array_member (o, "step_ms", pair (ms));
          json_object_set_array_member (o, "gflops", pair (gflops));
          json_object_set_array_member (o, "speedup", pair (t->speedup));
        }
      json_array_add_object_element (list, o);
    }
  json_object_set_array_member (r, "candidates", list);
  return r;
}

typedef struct {
  VesicleBlasTuneProgress func;
  gpointer                data;
  guint                   done, total;
} Progress;

static void
progress_step (Progress   *p,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
progress_step (Progress   *p,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (p->func == NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  p->func ((double) p->done / p->total, message, p->data);
}

static gboolean
check_labels (const char *const  *labels,
              GError            **error)
{
  for (guint i = 0; labels && labels[i]; i++)
    if (find_candidate (labels[i]) == NULL)
      {
        g_autofree char *known = g_strjoinv (", ", (char **) vesicle_blas_tune_candidates ());

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "no GEMM tuning candidate '%s' (there are: %s)", labels[i], known);
        return FALSE;
      }
  return TRUE;
}

static gboolean
wanted (const Candidate   *c,
        const char *const *labels)
{
  return labels == NULL || c == &candidates[0] || c->vesicle || g_strv_contains (labels, c->label);
}

/* Puts back what cohorts apply (the device's tuning, else CLBlast's own): a cancelled or failed
 * tuning must not leave a candidate behind for the runs that follow in this process. */
static void
restore (VesicleClDevice *device,
         JsonObject      *own)
{
  g_autoptr(VesicleBlasTuning) tuning = vesicle_blas_tuning_find (&device->info, NULL);

  vesicle_blas_apply_parameters (device->info.device,
                                 tuning && tuning->parameters ? tuning->parameters : own, NULL);
}

JsonObject *
vesicle_blas_tune (const char              *selector,
                   const char *const       *labels,
                   guint                    rounds,
                   VesicleBlasTuneProgress  progress,
                   gpointer                 user_data,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201);
  g_autoptr(VesicleClDevice) device = NULL;
  g_autoptr(JsonObject) own = NULL;
  g_autoptr(GArray) trials = g_array_new (FALSE, TRUE, sizeof (Trial));
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL, *dir = NULL;
  g_autofree guint *order = NULL;
  GArray *products[N_COHORTS] = { NULL };
  Progress prog = { progress, user_data, 0, 0 };
  Trial *best = NULL, *vesicle = NULL;
  cl_program program = NULL;
  VesicleGemm *own_gemm = NULL;
  gboolean ok = FALSE;

  g_array_set_clear_func (trials, (GDestroyNotify) trial_clear);
  if (!check_labels (labels, error) || cancelled (cancellable, error))
    return NULL;
  rounds = MAX (rounds, 1);
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (wanted (&candidates[i], labels))
      g_array_append_val (trials, ((Trial) { .candidate = &candidates[i] }));
  prog.total = 1 + trials->len * (1 + rounds);

  /* the products, recorded from real cohorts; then a device of our own to time them on */
  progress_step (&prog, "Recording the GEMMs of a training step");
  for (guint c = 0; c < N_COHORTS; c++)
    {
      g_autoptr(GArray) calls = record_step (selector, cohort_sizes[c], rand, error);

      if (calls == NULL)
        goto out;
      products[c] = g_array_new (FALSE, TRUE, sizeof (Product));
      g_array_set_clear_func (products[c], (GDestroyNotify) product_clear);
      if (!(device = device ? device : vesicle_cl_device_open (selector, error)))
        goto out;
      for (guint i = 0; i < calls->len; i++)
        {
          g_array_set_size (products[c], i + 1);
          if (!product_init (&g_array_index (products[c], Product, i),
                             &g_array_index (calls, VesicleGemmCall, i), device, rand, error))
            goto out;
        }
    }
  if (!(own = vesicle_blas_own_parameters (device->info.device, error))
      || !(program = vesicle_cl_cohort_build_program (device, NULL, error))
      || !(own_gemm = vesicle_gemm_new_for (device, program, TRUE, error)))
    goto out;
  prog.done++;

  /* compile and check each candidate once */
  for (guint i = 0; i < trials->len; i++)
    {
      Trial *t = &g_array_index (trials, Trial, i);
      g_autoptr(GError) local = NULL;
      gint64 start = g_get_monotonic_time ();
      double worst = 0;

      if (cancelled (cancellable, error))
        goto out;
      progress_step (&prog, "Compiling and checking %s (%u of %u)", t->candidate->label, i + 1,
                     trials->len);
      if (t->candidate->vesicle
          || ((t->parameters = candidate_parameters (t->candidate, own, &local))
              && vesicle_blas_apply_parameters (device->info.device, t->parameters, &local)))
        for (guint c = 0; c < N_COHORTS && local == NULL; c++)
          {
            double e;

            if (check_products (device, t->candidate->vesicle ? own_gemm : NULL, products[c],
                                &e, &local))
              worst = MAX (worst, e);
          }
      t->check_s = (g_get_monotonic_time () - start) * 1e-6;
      t->max_error = worst;
      /* products of up to 784 terms in [-0.25, 0.25]: float32 is good to ~1e-5 here */
      if (local)
        t->rejected = g_strdup_printf ("rejected: %s", local->message);
      else if (!(worst <= 1e-3))
        t->rejected = g_strdup_printf ("rejected: off the float64 reference by %.3g", worst);
      if (t->rejected && t->candidate == &candidates[0])
        {
          g_set_error (error, VESICLE_CL_ERROR, VESICLE_CL_ERROR_BLAS,
                       "%s: CLBlast's own parameters do not work here (%s)", device->info.name,
                       t->rejected);
          goto out;
        }
      for (guint c = 0; c < N_COHORTS; c++)
        t->samples[c] = g_array_new (FALSE, FALSE, sizeof (double));
      prog.done++;
    }

  /* interleaved rounds, a new order each: what else runs on the machine hits all alike */
  order = g_new (guint, trials->len);
  for (guint i = 0; i < trials->len; i++)
    order[i] = i;
  for (guint r = 0; r < rounds; r++)
    {
      for (guint i = trials->len; i-- > 1;)
        {
          guint j = g_rand_int_range (rand, 0, i + 1), tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
      for (guint i = 0; i < trials->len; i++)
        {
          Trial *t = &g_array_index (trials, Trial, order[i]);

          if (cancelled (cancellable, error))
            goto out;
          progress_step (&prog, "Timing round %u of %u: %s", r + 1, rounds, t->candidate->label);
          prog.done++;
          if (t->rejected)
            continue;
          if (!t->candidate->vesicle
              && !vesicle_blas_apply_parameters (device->info.device, t->parameters, error))
            goto out;
          for (guint c = 0; c < N_COHORTS; c++)
            {
              double s;

              if (!time_step (device, t->candidate->vesicle ? own_gemm : NULL, products[c], &s,
                              error))
                goto out;
              g_array_append_val (t->samples[c], s);
            }
        }
    }

  /* speed-ups over CLBlast's own (trials[0]); the best mean of the two wins among CLBlast's
   * parameters, and then against Vesicle's own GEMM */
  for (guint i = 0; i < trials->len; i++)
    {
      Trial *t = &g_array_index (trials, Trial, i);

      for (guint c = 0; c < N_COHORTS && !t->rejected; c++)
        t->step_s[c] = vesicle_median ((double *) t->samples[c]->data, t->samples[c]->len);
    }
  for (guint i = 0; i < trials->len; i++)
    {
      Trial *t = &g_array_index (trials, Trial, i);

      if (t->rejected)
        continue;
      t->score = 0;
      for (guint c = 0; c < N_COHORTS; c++)
        {
          t->speedup[c] = g_array_index (trials, Trial, 0).step_s[c] / t->step_s[c];
          t->score += t->speedup[c] / N_COHORTS;
        }
      if (t->candidate->vesicle)
        vesicle = t;
      else if (best == NULL || t->score > best->score)
        best = t;
    }

  report = report_new (&device->info, trials, best, vesicle, products);
  path = vesicle_blas_tuning_path (&device->info);
  dir = g_path_get_dirname (path);
  if (!vesicle_file_make_dir (dir, error))
    goto out;
  root = json_node_init_object (json_node_alloc (), report);
  if (!vesicle_json_write (path, root, error))
    goto out;
  json_object_set_string_member (report, "path", path);
  progress_step (&prog, "Tuned: %s, %s GEMM", best->candidate->label,
                 vesicle_json_get_string (report, "gemm"));
  ok = TRUE;

out:
  if (device && own)
    restore (device, own);
  g_clear_pointer (&own_gemm, vesicle_gemm_free);
  g_clear_pointer (&program, clReleaseProgram);
  for (guint c = 0; c < N_COHORTS; c++)
    g_clear_pointer (&products[c], g_array_unref);
  return ok ? g_steal_pointer (&report) : NULL;
}
