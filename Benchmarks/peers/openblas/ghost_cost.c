/* ghost_cost.c — measures the two ghost-norm algorithms (Gram form, materialization) across layer shapes
 * on one thread, to calibrate the cost model of fk_ghost_choose (CKernels/src/ghost.c).  For each
 * (T, d_in = d_out = d) it prints the time per sample of each algorithm (median of 5 after a warm-up),
 * the faster one, what fk_ghost_choose picks and what the published rule (Gram iff 2T² ≤ d_in·d_out)
 * picks.  Built and run by run.sh --ghost-cost. */
#include <stdio.h>
#include <stdlib.h>
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

/* Median seconds per sample of one method. */
static double per_sample(long n, long t, long d, const float *a, const float *g, double *w, fk_ghost_method m) {
    fk_config cfg = {1, FK_ISA_AUTO};
    double times[5];
    for (int r = -1; r < 5; ++r) {
        double t0 = now();
        fk_status st = fk_ghost_f32(n, t, d, d, a, t * d, d, g, t * d, d, w, NULL, NULL, m, &cfg);
        double dt = now() - t0;
        if (st != FK_OK) { fprintf(stderr, "ghost_cost: fk_ghost_f32 returned %d\n", (int)st); exit(1); }
        if (r >= 0) times[r] = dt / (double)n;
    }
    qsort(times, 5, sizeof *times, by_value);
    return times[2];
}

int main(void) {
    const long ts[] = {2, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}, ds[] = {16, 32, 64, 128, 256, 512, 1024};
    printf("%6s %6s %6s %12s %12s %8s %8s %9s\n", "T", "d", "N", "gram µs", "mat µs", "faster", "choose", "published");
    for (size_t i = 0; i < sizeof ts / sizeof *ts; ++i)
        for (size_t j = 0; j < sizeof ds / sizeof *ds; ++j) {
            long t = ts[i], d = ds[j];
            double work = (double)t * (double)t * (double)d + (double)t * (double)d * (double)d; /* ~ flops of both */
            long n = (long)(2e8 / work);
            if (n < 2) n = 2;
            if (n > 4096) n = 4096;
            if ((double)n * (double)t * (double)d * 8 > 1.5e9) continue; /* keep inputs under ~1.5 GB */
            float *a = malloc((size_t)(n * t * d) * sizeof(float)), *g = malloc((size_t)(n * t * d) * sizeof(float));
            double *w = malloc((size_t)n * sizeof(double));
            for (long k = 0; k < n * t * d; ++k) {
                a[k] = (float)((k * 7919) % 1000) * 1e-3f - 0.5f;
                g[k] = (float)((k * 7907) % 1000) * 1e-3f - 0.5f;
            }
            double tg = per_sample(n, t, d, a, g, w, FK_GHOST_GRAM), tm = per_sample(n, t, d, a, g, w, FK_GHOST_MATERIALIZE);
            printf("%6ld %6ld %6ld %12.2f %12.2f %8s %8s %9s\n", t, d, n, tg * 1e6, tm * 1e6, tg <= tm ? "gram" : "mat",
                   fk_ghost_choose(t, d, d) == FK_GHOST_GRAM ? "gram" : "mat", 2 * t * t <= d * d ? "gram" : "mat");
            fflush(stdout);
            free(a); free(g); free(w);
        }
    return 0;
}
