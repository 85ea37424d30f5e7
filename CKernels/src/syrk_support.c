/* syrk_support.c — small helpers shared by the outer-product drivers: scratch allocation, mirroring a
 * triangle, finding the first non-finite row on the error path, and column sums in double. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include "fk_omp.h"
#include "fk_outer.h"

void *fk_alloc_scratch(size_t bytes) {
    const size_t huge = (size_t)2 << 20;
    if (bytes < huge) return aligned_alloc(64, (bytes + 63) / 64 * 64);
    size_t rounded = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p) (void)madvise(p, rounded, MADV_HUGEPAGE); /* a hint: without it the kernel uses 4 KiB pages */
#endif
    return p;
}

/* One cached buffer, guarded by a spin lock (held for a few instructions). */
static atomic_flag panels_lock = ATOMIC_FLAG_INIT;
static void *panels_cached;
static size_t panels_cached_bytes;
enum { PANELS_KEEP_MAX = 64 << 20 };

void *fk_take_panels(size_t bytes) {
    void *p = NULL;
    while (atomic_flag_test_and_set_explicit(&panels_lock, memory_order_acquire)) {}
    if (panels_cached && panels_cached_bytes >= bytes) {
        p = panels_cached;
        panels_cached = NULL;
    }
    atomic_flag_clear_explicit(&panels_lock, memory_order_release);
    return p ? p : fk_alloc_scratch(bytes);
}

void fk_give_panels(void *buffer, size_t bytes) {
    if (!buffer) return;
    void *drop = buffer;
    if (bytes <= PANELS_KEEP_MAX) {
        while (atomic_flag_test_and_set_explicit(&panels_lock, memory_order_acquire)) {}
        if (!panels_cached || panels_cached_bytes < bytes) { /* keep the larger of the two */
            drop = panels_cached;
            panels_cached = buffer;
            panels_cached_bytes = bytes;
        }
        atomic_flag_clear_explicit(&panels_lock, memory_order_release);
    }
    free(drop);
}

void fk_add_tile(const double *t, ptrdiff_t ldt, ptrdiff_t mi, ptrdiff_t nj, ptrdiff_t gi, ptrdiff_t gj, int upper,
                 double *c, ptrdiff_t ldc) {
    for (ptrdiff_t r = 0; r < mi; ++r)
        for (ptrdiff_t j = upper ? fk_max(0, gi + r - gj) : 0; j < nj; ++j) c[(gi + r) * ldc + gj + j] += t[r * ldt + j];
}

static int larger_first(const void *a, const void *b) {
    const fk_tile *s = a, *t = b;
    if (s->cost != t->cost) return s->cost > t->cost ? -1 : 1;
    if (s->i0 != t->i0) return s->i0 < t->i0 ? -1 : 1;
    return (s->j0 > t->j0) - (s->j0 < t->j0);
}

fk_tile *fk_plan_tiles(ptrdiff_t m, ptrdiff_t p, ptrdiff_t size, int upper, ptrdiff_t *count) {
    ptrdiff_t bi = fk_ceil_div(m, size), bj = fk_ceil_div(p, size), n = 0;
    fk_tile *tiles = malloc((size_t)fk_max(1, bi * bj) * sizeof(fk_tile));
    if (!tiles) return NULL;
    for (ptrdiff_t i = 0; i < bi; ++i)
        for (ptrdiff_t j = upper ? i : 0; j < bj; ++j) {
            ptrdiff_t h = fk_min(size, m - i * size), w = fk_min(size, p - j * size);
            tiles[n++] = (fk_tile){i * size, j * size, i == j && upper ? h * (w + 1) / 2 : h * w};
        }
    qsort(tiles, (size_t)n, sizeof(fk_tile), larger_first);
    *count = n;
    return tiles;
}

void fk_add_partials(ptrdiff_t m, ptrdiff_t p, int upper, const double *scratch, ptrdiff_t parts, double *c,
                     ptrdiff_t ldc, int threads) {
    (void)threads; /* unused without OpenMP */
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && m * p >= 65536)
    for (ptrdiff_t i = 0; i < m; ++i)
        for (ptrdiff_t s = 0; s < parts; ++s) {
            const double *part = scratch + (size_t)s * (size_t)(m * p) + i * p;
            for (ptrdiff_t j = upper ? i : 0; j < p; ++j) c[i * ldc + j] += part[j];
        }
}

void fk_mirror_upper(ptrdiff_t d, double *c, ptrdiff_t ldc, int threads) {
    (void)threads;
    enum { B = 64 }; /* 64 × 64 blocks: source rows and destination rows both stay in cache */
    ptrdiff_t nb = fk_ceil_div(d, B);
#pragma omp parallel for schedule(static, 1) num_threads(threads) if (threads > 1 && d >= 512)
    for (ptrdiff_t bi = 0; bi < nb; ++bi)
        for (ptrdiff_t bj = 0; bj <= bi; ++bj)
            for (ptrdiff_t i = bi * B; i < fk_min(d, (bi + 1) * B); ++i)
                for (ptrdiff_t j = bj * B; j < fk_min(i, (bj + 1) * B); ++j) c[i * ldc + j] = c[j * ldc + i];
}

ptrdiff_t fk_first_nonfinite_row(fk_dtype dt, const fk_rows *x, ptrdiff_t r0, ptrdiff_t r1, ptrdiff_t w) {
    for (ptrdiff_t r = r0; r < r1; ++r) {
        const void *row = fk_row_ptr(x, r);
        for (ptrdiff_t j = 0; j < w; ++j) {
            double v = dt == FK_DT_F64 ? ((const double *)row)[j] : (double)((const float *)row)[j];
            if (!isfinite(v)) return r;
        }
    }
    return -1;
}

void fk_column_sums(const fk_outer_kernels *kern, const fk_rows *x, ptrdiff_t n, ptrdiff_t w, double *col,
                    int threads) {
    (void)threads;
    enum { B = 512 }; /* column block: threads take blocks; rows of a group are one strided run */
    ptrdiff_t nb = fk_ceil_div(w, B);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && nb > 1 && n * w >= 1 << 18)
    for (ptrdiff_t b = 0; b < nb; ++b) {
        ptrdiff_t j0 = b * B, width = fk_min(w, j0 + B) - j0;
        for (ptrdiff_t r = 0; r < n;) { /* runs of equally spaced rows: all of a 2-D operand, a sample of a 3-D one */
            ptrdiff_t run = x->group == 1 ? n - r : fk_min(n - r, x->group - r % x->group);
            ptrdiff_t stride = x->group == 1 ? x->ld_group : x->ld_row;
            kern->colsum(run, width, (const char *)fk_row_ptr(x, r) + (size_t)j0 * x->esize, stride, col + j0);
            r += run;
        }
    }
}
