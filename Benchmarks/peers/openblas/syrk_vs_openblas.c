/* syrk_vs_openblas.c — the Fisher block yardstick: our fk_syrk_f32 against OpenBLAS cblas_ssyrk, side by
 * side in one process (same data, same thread count, alternating repetitions), medians of ≥ 5 timed runs
 * after a warm-up.  flops = N·D·(D+1) for both (one triangle).  Ours writes a double upper triangle and
 * its timing includes zeroing it (fk_syrk accumulates); OpenBLAS writes a float triangle with beta = 0.
 *
 * Usage: syrk_vs_openblas [--reps R] [--threads 1,2] [N D]...   (default shapes 16384 1024 and 4096 2048)
 *        syrk_vs_openblas --accuracy N D   Frobenius relative error of fk_syrk_f32 and of cblas_ssyrk
 *                                          against fk_syrk_f64 on the same float data
 * Built by run.sh; OpenBLAS is the yardstick only, never linked into the library. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fisher_kernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static float *random_matrix(long n, long d, unsigned long long seed) {
    float *g = malloc((size_t)(n * d) * sizeof(float));
    if (!g) { fprintf(stderr, "syrk_vs_openblas: out of memory for a %ld×%ld matrix\n", n, d); exit(1); }
    for (long i = 0; i < n * d; ++i) {  /* xorshift64*, uniform in [−1, 1) */
        seed ^= seed >> 12; seed ^= seed << 25; seed ^= seed >> 27;
        g[i] = (float)((double)((seed * 2685821657736338717ULL) >> 11) * 0x1p-52 - 1.0);
    }
    return g;
}

static void compare(long n, long d, int reps, int threads) {
    float *g = random_matrix(n, d, 0x9E3779B97F4A7C15ULL ^ (unsigned long long)(n * 31 + d));
    double *ours = malloc((size_t)(d * d) * sizeof(double));
    float *theirs = malloc((size_t)(d * d) * sizeof(float));
    double *t_ours = malloc((size_t)reps * sizeof(double)), *t_theirs = malloc((size_t)reps * sizeof(double));
    fk_config cfg = {threads, FK_ISA_AUTO};
    openblas_set_num_threads(threads);
    double flops = (double)n * (double)d * (double)(d + 1);
    for (int r = -1; r < reps; ++r) { /* r = −1: warm-up */
        double t0 = now();
        memset(ours, 0, (size_t)(d * d) * sizeof(double));
        fk_status st = fk_syrk_f32(n, d, g, d, ours, d, FK_FILL_UPPER, NULL, &cfg);
        double t1 = now();
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)d, (int)n, 1.0f, g, (int)d, 0.0f, theirs, (int)d);
        double t2 = now();
        if (st != FK_OK) { fprintf(stderr, "syrk_vs_openblas: fk_syrk_f32 returned %d\n", (int)st); exit(1); }
        if (r >= 0) { t_ours[r] = t1 - t0; t_theirs[r] = t2 - t1; }
    }
    double diff = 0, norm = 0;
    for (long i = 0; i < d; ++i)
        for (long j = i; j < d; ++j) {
            double e = ours[i * d + j] - (double)theirs[i * d + j];
            diff += e * e;
            norm += ours[i * d + j] * ours[i * d + j];
        }
    double mo = median(t_ours, reps), mt = median(t_theirs, reps);
    printf("N=%-6ld D=%-5ld threads=%d  fk_syrk %7.1f GFLOP/s (%.1f ms)  cblas_ssyrk %7.1f GFLOP/s (%.1f ms)  "
           "ratio %.3f  [min-time ratio %.3f; |ours−openblas|_F/|ours|_F = %.1e]\n",
           n, d, threads, flops / mo * 1e-9, mo * 1e3, flops / mt * 1e-9, mt * 1e3, mt / mo,
           t_theirs[0] / t_ours[0], sqrt(diff / norm));
    fflush(stdout);
    free(g); free(ours); free(theirs); free(t_ours); free(t_theirs);
}

static void accuracy(long n, long d) {
    float *g = random_matrix(n, d, 12345);
    double *g64 = malloc((size_t)(n * d) * sizeof(double));
    double *exact = calloc((size_t)(d * d), sizeof(double)), *ours = calloc((size_t)(d * d), sizeof(double));
    float *theirs = calloc((size_t)(d * d), sizeof(float));
    for (long i = 0; i < n * d; ++i) g64[i] = g[i];
    fk_syrk_f64(n, d, g64, d, exact, d, FK_FILL_UPPER, NULL, NULL);
    fk_syrk_f32(n, d, g, d, ours, d, FK_FILL_UPPER, NULL, NULL);
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)d, (int)n, 1.0f, g, (int)d, 0.0f, theirs, (int)d);
    double eo = 0, et = 0, norm = 0;
    for (long i = 0; i < d; ++i)
        for (long j = i; j < d; ++j) {
            double x = exact[i * d + j], w = i == j ? 1 : 2; /* the full symmetric matrix's Frobenius norm */
            eo += w * (ours[i * d + j] - x) * (ours[i * d + j] - x);
            et += w * ((double)theirs[i * d + j] - x) * ((double)theirs[i * d + j] - x);
            norm += w * x * x;
        }
    printf("accuracy N=%ld D=%ld: Frobenius relative error vs float64: fk_syrk_f32 %.2e, cblas_ssyrk %.2e\n", n, d,
           sqrt(eo / norm), sqrt(et / norm));
    free(g); free(g64); free(exact); free(ours); free(theirs);
}

int main(int argc, char **argv) {
    int reps = 7, threads[8] = {1, 2}, nthreads = 2, a = 1;
    long shapes[16][2], nshapes = 0;
    for (; a < argc; ++a) {
        if (!strcmp(argv[a], "--reps") && a + 1 < argc) {
            reps = atoi(argv[++a]);
        } else if (!strcmp(argv[a], "--threads") && a + 1 < argc) {
            nthreads = 0;
            for (char *p = strtok(argv[++a], ","); p && nthreads < 8; p = strtok(NULL, ",")) threads[nthreads++] = atoi(p);
        } else if (!strcmp(argv[a], "--accuracy") && a + 2 < argc) {
            accuracy(atol(argv[a + 1]), atol(argv[a + 2]));
            return 0;
        } else if (a + 1 < argc && nshapes < 16) {
            shapes[nshapes][0] = atol(argv[a]);
            shapes[nshapes++][1] = atol(argv[++a]);
        } else {
            fprintf(stderr, "usage: syrk_vs_openblas [--reps R] [--threads 1,2] [N D]... | --accuracy N D\n");
            return 64;
        }
    }
    if (reps < 5) { fprintf(stderr, "syrk_vs_openblas: --reps must be at least 5 (got %d)\n", reps); return 64; }
    if (nshapes == 0) {
        shapes[0][0] = 16384; shapes[0][1] = 1024;
        shapes[1][0] = 4096; shapes[1][1] = 2048;
        nshapes = 2;
    }
    printf("fk variant %s; OpenBLAS %s (core %s); medians of %d after a warm-up\n", fk_isa_name(fk_default_isa()),
           openblas_get_config(), openblas_get_corename(), reps);
    for (long s = 0; s < nshapes; ++s)
        for (int t = 0; t < nthreads; ++t) compare(shapes[s][0], shapes[s][1], reps, threads[t]);
    return 0;
}
