/* syrk_engine.c — the packed outer-product engine behind the Fisher block, the K-FAC factors and the
 * summed layer gradient: c += Xᵀ Y over rows, in phases, macro tiles, threads and k-blocks (BLIS-style).
 *
 * Plan (a function of the sizes only, never of the thread count):
 *   - rows are taken in phases of R rows (R a multiple of FK_KC_OUTER, chosen so the packed phase fits
 *     a fixed budget); in each phase all threads first pack every column of x and of y into panels pw
 *     wide (one sequential read of the rows; one set of panels when x and y are the same), then compute;
 *   - the output is cut into FK_TILE × FK_TILE macro tiles (only those on or above the diagonal when
 *     upper), taken largest first by whichever thread is free; a tile walks the phase's k-blocks and runs
 *     the micro-kernel over every mr × nr register tile: the x panel stays in L1 while the tile's y
 *     panels (≈ 200 KiB) stay in L2;
 *   - with fewer than FK_MIN_ITEMS tiles each phase's k-blocks are also split into a fixed number of
 *     parts (at least 4 k-blocks each) that fill private scratch, added into c at the end in part order.
 * The panel buffer (≤ 16 MiB unless one k-block of the columns is larger) is reused across calls.
 * Each element therefore gets the same k-blocks added in the same order whoever computes it: the same
 * bits for any thread count.  Register tiles that cross the diagonal or the ragged edge go through a
 * small buffer, so only the requested elements of c are touched. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "fk_omp.h"
#include "fk_outer.h"

enum { PHASE_BLOCKS_MAX = 16 };                        /* at most 16 k-blocks (4096 rows) per phase */
static const double PHASE_BUDGET = 16.0 * 1024 * 1024; /* bytes of packed panels per phase */

typedef struct engine {
    const fk_outer_kernels *k;
    ptrdiff_t n, m, p, ldc;
    const fk_rows *x, *y;
    int upper;
    double *c;
    double *scratch;           /* (splits − 1) partial results, m × p each, leading dimension p */
    ptrdiff_t splits, ntiles;
    fk_tile *tiles;
    ptrdiff_t phase_rows;      /* R */
    ptrdiff_t xpanels, ypanels; /* ⌈m/pw⌉, ⌈p/pw⌉ */
    char *xpack, *ypack;       /* the phase's panels: panel q holds R rows × pw columns, k-major; ypack
                                * is xpack when x and y are the same rows */
} engine;

/* Packs rows [r0, r0+kc) — k-block kb of the phase — of x (which = 0) or y (which = 1) into its panels:
 * panel q of the phase starts at q·R·pw elements, this block's slice of it kb·KC·pw later. */
static void pack_block(const engine *e, int which, ptrdiff_t r0, ptrdiff_t kb, ptrdiff_t kc, const void **rows) {
    const fk_rows *src = which ? e->y : e->x;
    for (ptrdiff_t k = 0; k < kc; ++k) rows[k] = fk_row_ptr(src, r0 + k);
    const ptrdiff_t pw = e->k->pw;
    char *dst = (which ? e->ypack : e->xpack) + (size_t)(kb * FK_KC_OUTER * pw) * src->esize;
    e->k->pack(kc, which ? e->p : e->m, (const void *const *)rows, 0, dst, e->phase_rows * pw);
}

/* One tile over k-blocks [kb0, kb1) of the current phase, whose first k-block holds rows from r0. */
static void run_tile(const engine *e, const fk_tile *t, ptrdiff_t s, ptrdiff_t r0, ptrdiff_t kb0, ptrdiff_t kb1,
                     double *edge) {
    const fk_outer_kernels *K = e->k;
    const int mr = K->mr, nr = K->nr;
    const ptrdiff_t pw = K->pw;
    const size_t es = e->x->esize;
    double *target = s == 0 ? e->c : e->scratch + (size_t)(s - 1) * (size_t)(e->m * e->p);
    ptrdiff_t ld = s == 0 ? e->ldc : e->p;
    ptrdiff_t ti = fk_min(FK_TILE, e->m - t->i0), tj = fk_min(FK_TILE, e->p - t->j0);
    ptrdiff_t R = e->phase_rows;
    for (ptrdiff_t kb = kb0; kb < kb1; ++kb) {
        ptrdiff_t kc = fk_min(FK_KC_OUTER, e->n - (r0 + kb * FK_KC_OUTER));
        for (ptrdiff_t ip = 0; ip * mr < ti; ++ip) {
            ptrdiff_t gi = t->i0 + ip * mr, mi = fk_min(mr, ti - ip * mr);
            const char *a = e->xpack + (size_t)((gi / pw) * R * pw + kb * FK_KC_OUTER * pw + gi % pw) * es;
            for (ptrdiff_t jp = 0; jp * nr < tj; ++jp) {
                ptrdiff_t gj = t->j0 + jp * nr, nj = fk_min(nr, tj - jp * nr);
                if (e->upper && gi > gj + nj - 1) continue; /* entirely below the diagonal */
                const char *b = e->ypack + (size_t)((gj / pw) * R * pw + kb * FK_KC_OUTER * pw + gj % pw) * es;
                if (mi == mr && nj == nr && (!e->upper || gi + mr - 1 <= gj)) {
                    K->outer(kc, a, pw, b, pw, target + gi * ld + gj, ld);
                } else {
                    memset(edge, 0, (size_t)(mr * nr) * sizeof(double));
                    K->outer(kc, a, pw, b, pw, edge, nr);
                    fk_add_tile(edge, nr, mi, nj, gi, gj, e->upper, target, ld);
                }
            }
        }
    }
}

fk_status fk_outer_engine(const fk_outer_kernels *kern, ptrdiff_t n, const fk_rows *x, ptrdiff_t m,
                          const fk_rows *y, ptrdiff_t p, int upper, double *c, ptrdiff_t ldc, int threads) {
    if (n == 0 || m == 0 || p == 0) return FK_OK;
    if (FK_TILE % kern->pw || kern->pw % kern->mr || kern->pw % kern->nr) return FK_UNSUPPORTED; /* shapes must nest */
    engine e = {.k = kern, .n = n, .m = m, .p = p, .ldc = ldc, .x = x, .y = y, .upper = upper, .c = c};
    const size_t es = x->esize;
    const int shared = x == y && m == p; /* one set of panels serves both operands */
    e.xpanels = fk_ceil_div(m, kern->pw);
    e.ypanels = shared ? 0 : fk_ceil_div(p, kern->pw);
    size_t block_bytes = (size_t)FK_KC_OUTER * (size_t)((e.xpanels + e.ypanels) * kern->pw) * es;
    ptrdiff_t kblocks = fk_ceil_div(n, FK_KC_OUTER);
    ptrdiff_t phase_blocks = fk_max(1, fk_min(PHASE_BLOCKS_MAX, (ptrdiff_t)(PHASE_BUDGET / (double)block_bytes)));
    phase_blocks = fk_min(phase_blocks, kblocks);
    e.phase_rows = phase_blocks * FK_KC_OUTER;
    ptrdiff_t phases = fk_ceil_div(kblocks, phase_blocks);

    e.tiles = fk_plan_tiles(m, p, FK_TILE, upper, &e.ntiles);
    const size_t panel_bytes = block_bytes * (size_t)phase_blocks;
    e.xpack = fk_take_panels(panel_bytes);
    atomic_long *next = calloc((size_t)phases, sizeof(atomic_long));
    if (!e.tiles || !e.xpack || !next) {
        free(e.tiles);
        fk_give_panels(e.xpack, panel_bytes);
        free(next);
        return FK_NO_MEMORY;
    }
    e.ypack = shared ? e.xpack : e.xpack + (size_t)(e.xpanels * kern->pw) * (size_t)e.phase_rows * es;

    e.splits = 1;
    if (e.ntiles < FK_MIN_ITEMS) /* each part keeps at least 4 k-blocks of a phase: scratch traffic stays small */
        e.splits = fk_max(1, fk_min(fk_ceil_div(FK_MIN_ITEMS, e.ntiles), phase_blocks / 4));
    if (e.splits > 1) {
        e.scratch = calloc((size_t)(e.splits - 1) * (size_t)(m * p), sizeof(double));
        if (!e.scratch) {
            free(e.tiles);
            fk_give_panels(e.xpack, panel_bytes);
            free(next);
            return FK_NO_MEMORY;
        }
    }

    const ptrdiff_t items = e.ntiles * e.splits;
    atomic_int failed = 0;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        double *edge = fk_alloc_scratch((size_t)(kern->mr * kern->nr) * sizeof(double));
        const void **rows = malloc(FK_KC_OUTER * sizeof(void *));
        if (!edge || !rows) atomic_store(&failed, 1);
        for (ptrdiff_t ph = 0; ph < phases; ++ph) {
            ptrdiff_t r0 = ph * e.phase_rows;
            ptrdiff_t nkb = fk_min(phase_blocks, kblocks - ph * phase_blocks);
            /* Pack: one item per k-block and operand, split evenly (uniform work). */
            const ptrdiff_t operands = shared ? 1 : 2;
#pragma omp for schedule(static)
            for (ptrdiff_t q = 0; q < operands * nkb; ++q) {
                ptrdiff_t kb = q / operands, kc = fk_min(FK_KC_OUTER, n - (r0 + kb * FK_KC_OUTER));
                if (rows && edge) pack_block(&e, (int)(q % operands), r0 + kb * FK_KC_OUTER, kb, kc, rows);
            }
            /* Compute: tiles (× parts of the phase's k-blocks), largest first, to whichever thread is free.
             * An atomic counter rather than schedule(dynamic): clang 21 emits __kmpc_dispatch_deinit for
             * the latter, which Debian's libomp 14 does not have. */
            for (long q; edge && rows && (q = atomic_fetch_add(&next[ph], 1)) < items;) {
                ptrdiff_t s = q % e.splits;
                run_tile(&e, &e.tiles[q / e.splits], s, r0, nkb * s / e.splits, nkb * (s + 1) / e.splits, edge);
            }
#pragma omp barrier
        }
        free(edge);
        free(rows);
    }

    if (e.splits > 1 && !atomic_load(&failed)) fk_add_partials(m, p, upper, e.scratch, e.splits - 1, c, ldc, threads);
    free(e.scratch);
    free(e.tiles);
    fk_give_panels(e.xpack, panel_bytes);
    free(next);
    return atomic_load(&failed) ? FK_NO_MEMORY : FK_OK;
}
