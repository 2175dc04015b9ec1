/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cohort's own parts, shared by its two halves: vesicle-cl-cohort.c (construction, the
 * VesicleEngine calls, checkpoints) and vesicle-cl-cohort-step.c (the queue helpers and one
 * pass: sampling, forward, backward, the update). The layout is described in vesicle-cl-cohort.c.
 */
#pragma once

#include "vesicle-cl-cohort.h"
#include "vesicle-cl-program.h"
#include "vesicle-blas.h"
#include "vesicle-blas-tuning.h"
#include "vesicle-gemm.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define HEAD_LOCAL 32
#define ADAM_LOCAL 64
#define ADAM_MAX_GROUPS 64
#define N_TENSORS (2 * VESICLE_MAX_LAYERS)

typedef struct {
  gsize n;              /* elements per network */
  gsize net_off;        /* offset in one network's flat layout */
  guint id;             /* noise key: 2l weights, 2l + 1 biases */
  guint groups;         /* work-groups of adam_update */
  guint partial_base;   /* first homo_partial column of this tensor */
} Tensor;

/* One network's row of the table the update and sampling kernels read (NetHyper in
 * kernels/sample.cl, the same layout: ten 4-byte fields, no padding). */
typedef struct {
  cl_float cost_rho, scale_c_rho, scale_lambda, prior_l1, prior_precision, lr, lr_mu;
  cl_uint  homo, active, slot;
} NetHyper;

G_STATIC_ASSERT (sizeof (NetHyper) == 40);

typedef struct {
  VesicleEngine    parent;
  VesicleClDevice *device;
  cl_program       program;
  VesicleGemm     *gemm;
  char            *gemm_tuning;     /* CLBlast's parameters, as run.json says (CLBlast only) */
  gboolean         kernels_from_cache;
  cl_kernel        k_noise, k_sample, k_bias_act, k_relu_bwd, k_bias_bwd;
  cl_kernel        k_head, k_adam, k_keep, k_homo_reduce, k_homo_update;
  cl_kernel        k_stats, k_rate;

  /* importance statistics (accumulate_stats) */
  cl_mem           stats_g2, stats_gabs;                 /* (K, P) cohort layout */
  cl_mem           stats_rate;                           /* (I0) then (K * I_l) for l >= 1 */
  gsize            rate_len;
  guint            stats_batches, stats_examples;

  guint            K, S, L, T;
  gsize            P;
  Tensor           tensors[N_TENSORS];
  guint            n_partials;
  guint            bmax;

  /* (K, P) in cohort layout */
  cl_mem           mu, phi, m_mu, v_mu, m_phi, v_phi, grad, keep_gmu, keep_gphi;
  cl_mem           w;                                    /* training weights */
  cl_mem           sigma;                                /* softplus (phi), carried by Adam */
  cl_mem           w_eval;                               /* evaluation's, so w survives it */
  cl_mem           xi[2];                                /* (S, P): this step's, the next's */
  cl_mem           xi_eval;
  guint            cur;                                  /* xi[cur] is this step's noise */
  gboolean         w_ready;                              /* w holds step next_step's weights */
  gboolean         sigma_carried;                        /* sigma holds softplus (phi) */
  guint32          next_step;
  cl_mem           phi_homo, m_phi_homo, v_phi_homo;     /* (K) */
  cl_mem           keep_gphi_homo;                       /* (K) */
  guint           *slot;                                 /* (K) seed slot of each network */
  NetHyper        *hyper_rows;                           /* (K) as last uploaded */
  cl_mem           hyper;                                /* (K) NetHyper */
  gboolean         any_homo;
  guint64         *seeds;                                /* (S) */
  cl_mem           partials;                             /* (K, n_partials) */
  cl_mem           act[VESICLE_MAX_LAYERS];              /* (bmax, K * O_l) */
  cl_mem           dact[VESICLE_MAX_LAYERS];
  cl_mem           train_loss, train_correct, eval_loss, eval_correct;   /* (K) */
  cl_mem           x_train, t_train, x_test, t_test;
  gsize            x_train_cap, x_test_cap;
  guint            n_test;

  guint64          t;       /* Adam steps taken */
  gboolean         keep;
  GHashTable      *profile; /* name -> total seconds; only with VESICLE_PROFILE=1 */
} VesicleClCohort;

/* cohort_set_args's arguments: A (x) for each kernel argument x, END after the last. */
#define A(x) (gsize) sizeof (x), (const void *) &(x)
#define END (gsize) 0

void
cohort_profile_print (VesicleClCohort *self);

/* An OpenCL call's failure, naming the device it failed on: with several devices (or a sweep's
 * cells on several nodes) "clEnqueueReadBuffer failed" alone does not say where to look. */
gboolean
cohort_check (VesicleClCohort *self,
              cl_int           status,
              const char      *call,
              GError         **error);

gboolean
cohort_set_args (cl_kernel   kernel,
                 GError    **error,
                 ...);

gboolean
cohort_launch (VesicleClCohort *self,
               cl_kernel        kernel,
               guint            dims,
               const gsize     *global,
               const gsize     *local,
               GError         **error);

cl_mem
cohort_buffer_new (VesicleClCohort *self,
                   gsize            bytes,
                   GError         **error);

gboolean
cohort_write_buffer (VesicleClCohort *self,
                     cl_mem           mem,
                     const void      *data,
                     gsize            bytes,
                     GError         **error);

gboolean
cohort_read_buffer (VesicleClCohort *self,
                    cl_mem           mem,
                    void            *data,
                    gsize            bytes,
                    GError         **error);

gboolean
cohort_zero_buffer (VesicleClCohort *self,
                    cl_mem           mem,
                    gsize            bytes,
                    GError         **error);

/* (K, P) per-network flat layout <-> cohort layout */
void
cohort_into_layout (VesicleClCohort *self,
                    float           *dst,
                    const float     *src);

void
cohort_out_of_layout (VesicleClCohort *self,
                      float           *dst,
                      const float     *src);

gsize
cohort_out_size (VesicleClCohort *self, guint l);

gsize
cohort_in_size (VesicleClCohort *self, guint l);

gboolean
cohort_gemm (VesicleClCohort  *self,
             const char       *name,
             gsize             batch,
             gsize             m,
             gsize             n,
             gsize             k,
             const VesicleMat *a,
             const VesicleMat *b,
             const VesicleMat *c,
             GError          **error);

gboolean
cohort_elementwise (VesicleClCohort *self,
                    cl_kernel        kernel,
                    gsize            n,
                    GError         **error);

/* The per-network table from the configuration; uploaded only when it changed (a network that
 * diverged stops being active), so a step does not wait on a write. */
gboolean
cohort_upload_hyper (VesicleClCohort *self,
                     GError         **error);

/* Noise of one step for every tensor and seed slot into xi. */
gboolean
cohort_draw_noise (VesicleClCohort *self,
                   cl_mem           xi,
                   guint32          step,
                   guint32          stream,
                   GError         **error);

/* Sampled weights of one step into w (noise into xi), or the mean weights. */
gboolean
cohort_sample (VesicleClCohort *self,
               cl_mem           w,
               cl_mem           xi,
               guint32          step,
               guint32          stream,
               gboolean         mean_only,
               GError         **error);

/* Forward over B examples of x (ld I) at x_off, through the sampled weights w, then the head on
 * targets at t_off; leaves d(sum NLL)/d(output) in dact[L-1] and adds to loss/correct. */
gboolean
cohort_forward (VesicleClCohort *self,
                cl_mem           w,
                guint            B,
                cl_mem           x,
                gsize            x_off,
                cl_mem           targets,
                gsize            t_off,
                cl_mem           loss,
                cl_mem           correct,
                GError         **error);

gboolean
cohort_backward (VesicleClCohort *self,
                 cl_mem           w,
                 guint            B,
                 cl_mem           x,
                 gsize            x_off,
                 GError         **error);

/* Gradients and Adam for step `step`, then the weights of step + 1: noise for step + 1 is drawn
 * first, so adam_hetero can write the next weights as it updates the parameters. */
gboolean
cohort_update (VesicleClCohort *self,
               guint32          step,
               GError         **error);

G_END_DECLS
