/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times CLBlast 1.5.3 SGEMM with default and overridden tuning parameters on Vesicle's shapes
 * (784-100-100-10, B = 20, cohorts K = 1 and K = 16), on the first OpenCL device.
 *
 *   cc -O2 -o /tmp/clblast_tune tools/bench/clblast_tune.c -lclblast -lOpenCL -lm
 *   /tmp/clblast_tune [-r ROUNDS] [-n REPS] [-l] [CONFIG ...]   (-l lists configs; default: all)
 *
 * Every config is compiled and checked against a CPU reference first, then rounds of timing run
 * with the configs in a new random order each round (interleaved, so load from other processes
 * hits all of them alike). Per shape: clFinish, time one call to clFinish, repeat; the report is
 * the median of all samples. "step" is one whole sequence of a K's GEMMs enqueued back to back
 * with one clFinish (as Vesicle runs them). CLBlast keys its compiled programs on the parameter
 * values, so switching back to an already compiled config costs nothing.
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <clblast_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define B 20
#define MAXP 16

typedef struct { const char *kernel; int n; const char *names[MAXP]; size_t vals[MAXP]; } Ov;
typedef struct { const char *label; Ov direct, xgemm; size_t min_indirect; } Config;

/* CLBlast 1.5.3 defaults for this device (PoCL CPU falls into the "default" vendor entries) */
#define DIRECT_NAMES {"WGD","MDIMCD","NDIMCD","MDIMAD","NDIMBD","KWID","VWMD","VWND","PADA","PADB"}
#define D(wgd,mc,nc,ma,nb,kwi,vm,vn,pa,pb) {"XgemmDirect",10,DIRECT_NAMES,{wgd,mc,nc,ma,nb,kwi,vm,vn,pa,pb}}
#define XGEMM_NAMES {"MWG","NWG","KWG","MDIMC","NDIMC","MDIMA","NDIMB","KWI","VWM","VWN","STRM","STRN","SA","SB","GEMMK","KREG"}
#define X(mwg,nwg,kwg,mc,nc,ma,nb,kwi,vm,vn,sm,sn,sa,sb,gk,kr) {"Xgemm",16,XGEMM_NAMES,{mwg,nwg,kwg,mc,nc,ma,nb,kwi,vm,vn,sm,sn,sa,sb,gk,kr}}
#define D_DEF D(16,8,8,8,8,2,1,1,1,1)
#define X_DEF X(32,32,32,8,16,8,16,2,4,2,0,0,1,1,0,1)

static const Config configs[] = {
  /* label                 XgemmDirect                     Xgemm (indirect)                         XGEMM_MIN_INDIRECT_SIZE */
  {"default",             D_DEF,                          X_DEF,                                      896},
  {"d32_8x8_v4",          D(32,8,8,8,8,2,4,4,1,1),        X_DEF,                                      896}, /* CLBlast's Intel-CPU default */
  {"d32_8x8_v4_k8_p0",    D(32,8,8,8,8,8,4,4,0,0),        X_DEF,                                      896},
  {"d32_4x4_v4_k8",       D(32,4,4,4,4,8,4,4,0,0),        X_DEF,                                      896}, /* 8x8 per work-item */
  {"d16_4x4_v4_k8",       D(16,4,4,4,4,8,4,4,0,0),        X_DEF,                                      896}, /* 4x4 per work-item */
  {"d16_8x8_v2",          D(16,8,8,8,8,2,2,2,0,0),        X_DEF,                                      896},
  {"d32_16x16_v2",        D(32,16,16,16,16,2,2,2,1,1),    X_DEF,                                      896}, /* 256 work-items */
  {"d64_8x8_v2",          D(64,8,8,8,8,2,2,2,0,0),        X_DEF,                                      896}, /* i7-4790K */
  {"d64_8x8_v8v4_k8",     D(64,8,8,8,8,8,8,4,0,0),        X_DEF,                                      896}, /* i5-4590S */
  {"ind_default",         D_DEF,                          X_DEF,                                      1},
  {"ind_intelcpu",        D_DEF,                          X(32,64,32,8,8,8,8,2,4,4,0,0,0,0,0,1),      1},
  {"ind_64x64_v8",        D_DEF,                          X(64,64,16,8,8,8,8,2,8,8,0,0,0,0,0,1),      1},
};
#define NCONF ((int) (sizeof configs / sizeof configs[0]))

typedef struct {
  const char *name; int K, batch; CLBlastTranspose ta, tb; size_t m, n, k, lda, ldb, ldc, sa, sb, sc;
  size_t na, nb, nc; cl_mem a, b, c; float *ha, *hb, *ref;
} Shape;

#define NS 16
static Shape shapes[NS];
static int nshapes;
static cl_context ctx;
static cl_command_queue q;
static cl_device_id dev;

static double now (void) { struct timespec t; clock_gettime (CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

static size_t extent (int batch, size_t stride, size_t rows, size_t ld) { return (batch - 1) * stride + rows * ld; }

static void add (const char *name, int K, int batch, int ta, int tb, size_t m, size_t n, size_t k,
                 size_t lda, size_t sa, size_t ldb, size_t sb, size_t ldc, size_t sc)
{
  Shape *s = &shapes[nshapes++];
  *s = (Shape) { name, K, batch, ta ? CLBlastTransposeYes : CLBlastTransposeNo,
                 tb ? CLBlastTransposeYes : CLBlastTransposeNo, m, n, k, lda, ldb, ldc, sa, sb, sc };
  s->na = extent (batch, sa, ta ? k : m, lda);
  s->nb = extent (batch, sb, tb ? n : k, ldb);
  s->nc = extent (batch, sc, m, ldc);
  s->ha = malloc (s->na * 4); s->hb = malloc (s->nb * 4); s->ref = calloc (s->nc, 4);
  for (size_t i = 0; i < s->na; i++) s->ha[i] = (float) rand () / RAND_MAX - 0.5f;
  for (size_t i = 0; i < s->nb; i++) s->hb[i] = (float) rand () / RAND_MAX - 0.5f;
  cl_int err;
  s->a = clCreateBuffer (ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, s->na * 4, s->ha, &err);
  s->b = clCreateBuffer (ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, s->nb * 4, s->hb, &err);
  s->c = clCreateBuffer (ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, s->nc * 4, s->ref, &err);
  for (int p = 0; p < batch; p++)
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++) {
        double acc = 0;
        for (size_t l = 0; l < k; l++) {
          float av = ta ? s->ha[p * sa + l * lda + i] : s->ha[p * sa + i * lda + l];
          float bv = tb ? s->hb[p * sb + j * ldb + l] : s->hb[p * sb + l * ldb + j];
          acc += (double) av * bv;
        }
        s->ref[p * sc + i * ldc + j] = (float) acc;
      }
}

/* Vesicle's GEMMs per training step for a cohort of K (784-100-100-10, batch B) */
static void add_cohort (int K)
{
  add (K == 1 ? "K1 L1 fwd" : "K16 L1 fwd", K, 1, 0, 1, B, K * 100, 784, 784, 0, 784, 0, K * 100, 0);
  add (K == 1 ? "K1 L1 dW" : "K16 L1 dW", K, 1, 1, 0, K * 100, 784, B, K * 100, 0, 784, 0, 784, 0);
  static const char *names[2][6] = {
    {"K1 L2 fwd", "K1 L2 dW", "K1 L2 dH", "K1 L3 fwd", "K1 L3 dW", "K1 L3 dH"},
    {"K16 L2 fwd", "K16 L2 dW", "K16 L2 dH", "K16 L3 fwd", "K16 L3 dW", "K16 L3 dH"}};
  size_t Os[2] = {100, 10}, I = 100;
  for (int l = 0; l < 2; l++) {
    size_t O = Os[l];
    const char **nm = names[K == 1 ? 0 : 1] + 3 * l;
    add (nm[0], K, K, 0, 1, B, O, I, K * I, I, I, O * I, K * O, O);  /* fwd */
    add (nm[1], K, K, 1, 0, O, I, B, K * O, O, K * I, I, I, O * I);  /* dW */
    add (nm[2], K, K, 0, 0, B, I, O, K * O, O, I, O * I, K * I, I);  /* dH */
  }
}

static CLBlastStatusCode run (Shape *s)
{
  if (s->batch == 1)
    return CLBlastSgemm (CLBlastLayoutRowMajor, s->ta, s->tb, s->m, s->n, s->k, 1.0f, s->a, 0, s->lda,
                         s->b, 0, s->ldb, 0.0f, s->c, 0, s->ldc, &q, NULL);
  return CLBlastSgemmStridedBatched (CLBlastLayoutRowMajor, s->ta, s->tb, s->m, s->n, s->k, 1.0f,
                                     s->a, 0, s->lda, s->sa, s->b, 0, s->ldb, s->sb, 0.0f,
                                     s->c, 0, s->ldc, s->sc, s->batch, &q, NULL);
}

static int apply (const Config *c)
{
  const char *gr_name[] = {"XGEMM_MIN_INDIRECT_SIZE"};
  size_t gr_val[] = {c->min_indirect};
  int st;
  if ((st = CLBlastOverrideParameters (dev, c->direct.kernel, CLBlastPrecisionSingle, c->direct.n,
                                       (const char **) c->direct.names, c->direct.vals)) ||
      (st = CLBlastOverrideParameters (dev, c->xgemm.kernel, CLBlastPrecisionSingle, c->xgemm.n,
                                       (const char **) c->xgemm.names, c->xgemm.vals)) ||
      (st = CLBlastOverrideParameters (dev, "GemmRoutine", CLBlastPrecisionSingle, 1, gr_name, gr_val)))
    return st;
  return 0;
}

static int cmpd (const void *a, const void *b) { double x = *(double *) a, y = *(double *) b; return (x > y) - (x < y); }
static double median (double *v, int n) { qsort (v, n, sizeof *v, cmpd); return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]); }

int main (int argc, char **argv)
{
  int rounds = 5, reps = 15, sel[64], nsel = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp (argv[i], "-r")) rounds = atoi (argv[++i]);
    else if (!strcmp (argv[i], "-n")) reps = atoi (argv[++i]);
    else if (!strcmp (argv[i], "-l")) { for (int c = 0; c < NCONF; c++) printf ("%2d %s\n", c, configs[c].label); return 0; }
    else for (int c = 0; c < NCONF; c++) if (!strcmp (argv[i], configs[c].label) || atoi (argv[i]) == c && argv[i][0] >= '0' && argv[i][0] <= '9') sel[nsel++] = c;
  }
  if (!nsel) for (int c = 0; c < NCONF; c++) sel[nsel++] = c;

  cl_platform_id plat; cl_int err;
  clGetPlatformIDs (1, &plat, NULL);
  clGetDeviceIDs (plat, CL_DEVICE_TYPE_ALL, 1, &dev, NULL);
  char dname[256]; clGetDeviceInfo (dev, CL_DEVICE_NAME, sizeof dname, dname, NULL);
  ctx = clCreateContext (NULL, 1, &dev, NULL, NULL, &err);
  q = clCreateCommandQueue (ctx, dev, 0, &err);
  srand (1);
  add_cohort (1); add_cohort (16);
  printf ("device: %s; %d rounds x %d reps per shape; %d configs\n", dname, rounds, reps, nsel);

  /* compile + check every config */
  int ok[64] = {0};
  for (int i = 0; i < nsel; i++) {
    const Config *c = &configs[sel[i]];
    double t0 = now (), maxerr = 0;
    int st = apply (c);
    for (int s = 0; s < nshapes && !st; s++) {
      Shape *sh = &shapes[s];
      float zero = 0; clEnqueueFillBuffer (q, sh->c, &zero, 4, 0, sh->nc * 4, 0, NULL, NULL);
      if ((st = run (sh))) { fprintf (stderr, "%s: %s status %d\n", c->label, sh->name, st); break; }
      float *out = malloc (sh->nc * 4);
      clEnqueueReadBuffer (q, sh->c, CL_TRUE, 0, sh->nc * 4, out, 0, NULL, NULL);
      for (size_t j = 0; j < sh->nc; j++) { double e = fabs (out[j] - sh->ref[j]); if (e > maxerr) maxerr = e; }
      free (out);
    }
    ok[i] = !st && maxerr < 1e-3;
    printf ("compile+check %-20s %6.1f s  status %d  max|err| %.2g%s\n", c->label, now () - t0, st, maxerr, ok[i] ? "" : "  REJECTED");
    fflush (stdout);
  }

  /* samples[config][shape] and step samples [config][cohort] */
  int ns = rounds * reps;
  double *samp = calloc ((size_t) nsel * NS * ns, sizeof (double));
  double *step = calloc ((size_t) nsel * 2 * ns, sizeof (double));
  int order[64];
  for (int i = 0; i < nsel; i++) order[i] = i;
  for (int r = 0; r < rounds; r++) {
    for (int i = nsel - 1; i > 0; i--) { int j = rand () % (i + 1), t = order[i]; order[i] = order[j]; order[j] = t; }
    for (int oi = 0; oi < nsel; oi++) {
      int i = order[oi];
      if (!ok[i]) continue;
      apply (&configs[sel[i]]);
      for (int s = 0; s < nshapes; s++) {
        for (int w = 0; w < 3; w++) run (&shapes[s]);
        clFinish (q);
        for (int k = 0; k < reps; k++) {
          double t0 = now (); run (&shapes[s]); clFinish (q);
          samp[((size_t) i * NS + s) * ns + r * reps + k] = now () - t0;
        }
      }
      for (int co = 0; co < 2; co++)
        for (int k = 0; k < reps; k++) {
          double t0 = now ();
          for (int s = 0; s < nshapes; s++) if ((shapes[s].K == 1) == (co == 0)) run (&shapes[s]);
          clFinish (q);
          step[((size_t) i * 2 + co) * ns + r * reps + k] = now () - t0;
        }
    }
    fprintf (stderr, "round %d/%d done\n", r + 1, rounds);
  }

  /* report: median microseconds, with ratio to the first selected config */
  printf ("\nmedian us per call (ratio vs %s)\n%-12s", configs[sel[0]].label, "shape");
  for (int i = 0; i < nsel; i++) if (ok[i]) printf (" %18.18s", configs[sel[i]].label);
  printf ("\n");
  double base[NS + 2];
  for (int s = 0; s < nshapes + 2; s++) {
    printf ("%-12s", s < nshapes ? shapes[s].name : s == nshapes ? "K1 step" : "K16 step");
    for (int i = 0; i < nsel; i++) {
      if (!ok[i]) continue;
      double *v = s < nshapes ? &samp[((size_t) i * NS + s) * ns] : &step[((size_t) i * 2 + (s - nshapes)) * ns];
      double med = median (v, ns) * 1e6;
      if (i == 0) base[s] = med;
      printf (" %10.0f (%4.2f)", med, med / base[s]);
    }
    printf ("\n");
  }
  return 0;
}
