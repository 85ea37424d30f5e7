/* gram.c — the Gram matrix of the samples, K = G Gᵀ (fk_gram_*), on the dot-product micro-kernel.
 *
 * Plan (a function of the sizes only): K's upper triangle is cut into FK_DOT_TILE × FK_DOT_TILE macro
 * tiles taken largest first by whichever thread is free; a tile walks the columns in k-blocks (1024
 * float32 / 512 float64 columns) and, per block, runs the micro-kernel over every dr × dc pair of row
 * groups: the dr rows of the group stay in L1 while the tile's other rows stream from L2.  Rows are
 * contiguous in k, so nothing is packed.  With fewer than FK_MIN_ITEMS tiles (few samples, long rows)
 * the k-blocks are also split into a fixed number of parts that fill private scratch, added in part
 * order.  Each element gets the same k-blocks in the same order whoever computes it. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "fk_omp.h"
#include "fk_outer.h"
#include "fk_ref.h"

typedef struct gram_job {
    const fk_outer_kernels *k;
    ptrdiff_t n, d, ldc, kd, kblocks, splits, ntiles;
    const fk_rows *x;
    double *c, *scratch;
    fk_tile *tiles;
} gram_job;

static void gram_tile(const gram_job *g, ptrdiff_t item, double *edge) {
    const fk_tile *t = &g->tiles[item / g->splits];
    ptrdiff_t s = item % g->splits;
    double *target = s == 0 ? g->c : g->scratch + (size_t)(s - 1) * (size_t)(g->n * g->n);
    ptrdiff_t ld = s == 0 ? g->ldc : g->n;
    const int dr = g->k->dr, dc = g->k->dc;
    const size_t es = g->x->esize;
    ptrdiff_t ti = fk_min(FK_DOT_TILE, g->n - t->i0), tj = fk_min(FK_DOT_TILE, g->n - t->j0);
    const size_t stride = (size_t)g->x->ld_group * es; /* a 2-D matrix: row r at base + r·stride */
    const char *xp[8], *yp[8];
    for (ptrdiff_t kb = g->kblocks * s / g->splits; kb < g->kblocks * (s + 1) / g->splits; ++kb) {
        ptrdiff_t k0 = kb * g->kd, kc = fk_min(g->kd, g->d - k0);
        const char *block = g->x->base + (size_t)k0 * es;
        for (ptrdiff_t ig = 0; ig * dr < ti; ++ig) {
            ptrdiff_t gi = t->i0 + ig * dr, mi = fk_min(dr, ti - ig * dr);
            for (int r = 0; r < dr; ++r) /* rows past the edge repeat the last one; their sums are dropped */
                xp[r] = block + (size_t)(gi + fk_min(r, mi - 1)) * stride;
            for (ptrdiff_t jg = 0; jg * dc < tj; ++jg) {
                ptrdiff_t gj = t->j0 + jg * dc, nj = fk_min(dc, tj - jg * dc);
                if (gi > gj + nj - 1) continue; /* entirely below the diagonal */
                for (int j = 0; j < dc; ++j) yp[j] = block + (size_t)(gj + fk_min(j, nj - 1)) * stride;
                if (mi == dr && nj == dc && gi + dr - 1 <= gj) {
                    g->k->dot(kc, (const void *const *)xp, (const void *const *)yp, target + gi * ld + gj, ld);
                } else {
                    memset(edge, 0, (size_t)(dr * dc) * sizeof(double));
                    g->k->dot(kc, (const void *const *)xp, (const void *const *)yp, edge, dc);
                    fk_add_tile(edge, dc, mi, nj, gi, gj, 1, target, ld);
                }
            }
        }
    }
}

fk_status fk_gram_engine(const fk_outer_kernels *kern, ptrdiff_t n, ptrdiff_t d, const fk_rows *x, double *c,
                         ptrdiff_t ldc, int threads) {
    if (n == 0 || d == 0) return FK_OK;
    if (FK_DOT_TILE % kern->dr || FK_DOT_TILE % kern->dc || kern->dr > 8 || kern->dc > 8) return FK_UNSUPPORTED;
    gram_job g = {.k = kern, .n = n, .d = d, .ldc = ldc, .x = x, .c = c};
    g.kd = x->esize == 4 ? FK_KC_DOT_F32 : FK_KC_DOT_F64;
    g.kblocks = fk_ceil_div(d, g.kd);
    g.tiles = fk_plan_tiles(n, n, FK_DOT_TILE, 1, &g.ntiles);
    if (!g.tiles) return FK_NO_MEMORY;
    g.splits = 1;
    if (g.ntiles < FK_MIN_ITEMS) g.splits = fk_max(1, fk_min(fk_ceil_div(FK_MIN_ITEMS, g.ntiles), g.kblocks / 2));
    if (g.splits > 1 && !(g.scratch = calloc((size_t)(g.splits - 1) * (size_t)(n * n), sizeof(double)))) {
        free(g.tiles);
        return FK_NO_MEMORY;
    }
    const ptrdiff_t items = g.ntiles * g.splits;
    atomic_int failed = 0;
    atomic_long next = 0; /* largest first to whichever thread is free (see syrk_engine.c for why not dynamic) */
#pragma omp parallel num_threads(threads) if (threads > 1 && items > 1)
    {
        double *edge = fk_alloc_scratch((size_t)(kern->dr * kern->dc) * sizeof(double));
        if (!edge) atomic_store(&failed, 1);
        for (long q; edge && (q = atomic_fetch_add(&next, 1)) < items;) gram_tile(&g, q, edge);
        free(edge);
    }
    if (g.splits > 1 && !atomic_load(&failed)) fk_add_partials(n, n, 1, g.scratch, g.splits - 1, c, ldc, threads);
    free(g.scratch);
    free(g.tiles);
    return atomic_load(&failed) ? FK_NO_MEMORY : FK_OK;
}

static fk_status gram(fk_dtype dt, ptrdiff_t n, ptrdiff_t d, const void *g, ptrdiff_t ldg, double *k, ptrdiff_t ldk,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (n < 0 || d < 0 || (n > 1 && ldg < d) || (n > 0 && d > 0 && !g) || (n > 0 && (!k || ldk < n)) ||
        (fill != FK_FILL_UPPER && fill != FK_FILL_FULL))
        return FK_BAD_ARGUMENT;
    if (first_bad) *first_bad = -1;
    if (n == 0) return FK_OK;
    fk_rows rows = fk_rows_2d(g, dt, ldg);
    if (isa == FK_ISA_REFERENCE) {
        fk_ref_gram(dt, n, d, &rows, k, ldk);
    } else {
        st = fk_gram_engine(&fk_kernels_for(isa)->outer[dt], n, d, &rows, k, ldk, threads);
        if (st != FK_OK) return st;
    }
    /* K_ii = ‖g_i‖² is non-finite exactly when row i holds a NaN/Inf or its float32 sum overflowed. */
    for (ptrdiff_t i = 0; i < n; ++i)
        if (!isfinite(k[i * ldk + i])) {
            if (first_bad) *first_bad = i;
            return fk_first_nonfinite_row(dt, &rows, i, i + 1, d) >= 0 ? FK_NONFINITE : FK_OVERFLOW;
        }
    if (fill == FK_FILL_FULL) fk_mirror_upper(n, k, ldk, threads);
    return FK_OK;
}

fk_status fk_gram_f32(ptrdiff_t n, ptrdiff_t d, const float *g, ptrdiff_t ldg, double *k, ptrdiff_t ldk, fk_fill fill,
                      ptrdiff_t *first_bad, const fk_config *cfg) {
    return gram(FK_DT_F32, n, d, g, ldg, k, ldk, fill, first_bad, cfg);
}
fk_status fk_gram_f64(ptrdiff_t n, ptrdiff_t d, const double *g, ptrdiff_t ldg, double *k, ptrdiff_t ldk, fk_fill fill,
                      ptrdiff_t *first_bad, const fk_config *cfg) {
    return gram(FK_DT_F64, n, d, g, ldg, k, ldk, fill, first_bad, cfg);
}
