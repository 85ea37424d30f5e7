/* moments.c — the moments driver: plan, tiles, threads and reductions around a variant's micro-kernel.
 *
 * Work decomposition (a function of n, d and the element size only, never of the thread count):
 *   - rows are split into K contiguous chunks and columns into G contiguous groups of column blocks;
 *     a tile is (chunk, group) and is computed by one thread, blocks in order, rows in order;
 *   - column sums: chunk 0 accumulates straight into the output, chunks 1…K−1 into zeroed scratch,
 *     which is then added in chunk order;
 *   - row sums: group 0 writes the output, groups 1…G−1 write scratch, added in group order.
 * Hence the same bits for any thread count.  The column block keeps a block's accumulators in L1/L2
 * while the rows of the chunk stream past, so D can reach 10⁷ and more. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fk_dispatch.h"
#include "fk_omp.h"
#include "fk_ref.h"

enum {
    TARGET_TILES = 32,            /* enough tiles to balance up to ~16 threads */
    MAX_CHUNKS = 64,
    WHOLE_ROW_COLUMNS = 16384,    /* up to this width a block is the whole row (256 KiB of accumulators) */
    BLOCK_COLUMNS = 4096,         /* otherwise blocks of this width (64 KiB of accumulators) */
    MIN_SPLIT_COLUMNS = 512,      /* narrowest block made only to feed threads */
    ROW_BATCH = 128,              /* rows handed to one micro-kernel call */
};
static const double SCRATCH_BYTES = 32.0 * 1024 * 1024;  /* column scratch cap, all chunks together */

typedef struct moments_plan {
    ptrdiff_t chunks, groups, block, nblocks;
} moments_plan;

static ptrdiff_t ceil_div(ptrdiff_t a, ptrdiff_t b) { return (a + b - 1) / b; }
static ptrdiff_t min_p(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }
static ptrdiff_t max_p(ptrdiff_t a, ptrdiff_t b) { return a > b ? a : b; }

static moments_plan plan_moments(ptrdiff_t n, ptrdiff_t d, size_t esize) {
    moments_plan p;
    ptrdiff_t min_rows = esize >= 4 ? 512 : 1024;  /* keeps scratch traffic a few % of the data */
    ptrdiff_t by_scratch = max_p(1, (ptrdiff_t)(SCRATCH_BYTES / (16.0 * (double)max_p(d, 1))));
    p.chunks = max_p(1, min_p(min_p(ceil_div(n, min_rows), by_scratch), MAX_CHUNKS));
    ptrdiff_t want_groups = ceil_div(TARGET_TILES, p.chunks);
    p.block = d <= WHOLE_ROW_COLUMNS ? max_p(d, 1) : BLOCK_COLUMNS;
    p.nblocks = ceil_div(max_p(d, 1), p.block);
    if (p.nblocks < want_groups && d >= 2 * MIN_SPLIT_COLUMNS) {
        p.block = max_p(MIN_SPLIT_COLUMNS, ceil_div(ceil_div(d, want_groups), 64) * 64);
        p.nblocks = ceil_div(d, p.block);
    }
    p.groups = min_p(want_groups, p.nblocks);
    return p;
}

typedef struct moments_job {
    fk_mk_moments mk;
    ptrdiff_t n, d, ldx;
    const char *x;
    size_t esize;
    moments_plan plan;
    int row_sums, col_squares;    /* optional outputs wanted */
    double *col_sum0, *col_sq0;   /* chunk 0's column targets (col_sq0 NULL when not wanted) */
    double *col_scratch;          /* chunks 1…K−1: column sums, then (if wanted) squares, d each */
    double *row_sum0, *row_sq0;   /* group 0's row targets (row_sum0 NULL when not wanted) */
    double *row_scratch;          /* groups 1…G−1: row squares, then (if wanted) sums, n each */
} moments_job;

static ptrdiff_t col_stride(const moments_job *job) { return job->d * (job->col_squares ? 2 : 1); }
static ptrdiff_t row_stride(const moments_job *job) { return job->n * (job->row_sums ? 2 : 1); }

static void run_tile(const moments_job *job, ptrdiff_t tile) {
    const moments_plan *p = &job->plan;
    ptrdiff_t k = tile / p->groups, g = tile % p->groups;
    ptrdiff_t r0 = job->n * k / p->chunks, r1 = job->n * (k + 1) / p->chunks;
    ptrdiff_t b0 = p->nblocks * g / p->groups, b1 = p->nblocks * (g + 1) / p->groups;
    double *cs = k == 0 ? job->col_sum0 : job->col_scratch + (k - 1) * col_stride(job);
    double *cq = k == 0 ? job->col_sq0 : job->col_squares ? cs + job->d : NULL;
    double *rq = g == 0 ? job->row_sq0 : job->row_scratch + (g - 1) * row_stride(job);
    double *rs = g == 0 ? job->row_sum0 : job->row_sums ? rq + job->n : NULL;
    double part_s[ROW_BATCH], part_q[ROW_BATCH];
    for (ptrdiff_t b = b0; b < b1; ++b) {
        ptrdiff_t c0 = b * p->block, w = min_p(job->d, c0 + p->block) - c0;
        for (ptrdiff_t i = r0; i < r1; i += ROW_BATCH) {
            ptrdiff_t m = min_p(ROW_BATCH, r1 - i);
            job->mk(m, w, job->x + (size_t)(i * job->ldx + c0) * job->esize, job->ldx, cs + c0,
                    cq ? cq + c0 : NULL, part_s, part_q);
            for (ptrdiff_t r = 0; r < m; ++r) {
                rq[i + r] = b == b0 ? part_q[r] : rq[i + r] + part_q[r];
                if (rs) rs[i + r] = b == b0 ? part_s[r] : rs[i + r] + part_s[r];
            }
        }
    }
}

/* The first row whose sum of squares is not finite, or −1. */
static ptrdiff_t first_nonfinite(ptrdiff_t n, const double *row_sq) {
    for (ptrdiff_t i = 0; i < n; ++i)
        if (!isfinite(row_sq[i])) return i;
    return -1;
}

/* Tells a genuine NaN/Inf in row `row` from a finite row whose double accumulator overflowed. */
static fk_status classify_bad_row(fk_dtype dt, const char *x, ptrdiff_t d, ptrdiff_t ldx, ptrdiff_t row) {
    if (dt != FK_DT_F64) return FK_NONFINITE;
    const double *r = (const double *)(const void *)x + row * ldx;
    for (ptrdiff_t j = 0; j < d; ++j)
        if (!isfinite(r[j])) return FK_NONFINITE;
    return FK_OVERFLOW;
}

static fk_status moments(fk_dtype dt, ptrdiff_t n, ptrdiff_t d, const void *x, ptrdiff_t ldx,
                         double *row_sum, double *row_sq, double *col_sum, double *col_sq,
                         ptrdiff_t *first_bad_row, const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (n < 0 || d < 0 || (n > 1 && ldx < d) || (n > 0 && d > 0 && !x)) return FK_BAD_ARGUMENT;
    if (first_bad_row) *first_bad_row = -1;
    if (n == 0) return FK_OK;

    size_t esize = fk_dtype_size(dt);
    moments_plan plan = plan_moments(n, d, esize);
    int row_sums = row_sum != NULL, col_squares = col_sq != NULL;
    /* Scratch: row squares and column sums when the caller does not want them (they are always
     * computed), then the partials of groups 1…G−1 and chunks 1…K−1. */
    size_t own = (row_sq ? 0 : (size_t)n) + (col_sum ? 0 : (size_t)d);
    size_t row_parts = (size_t)(plan.groups - 1) * (size_t)n * (row_sums ? 2 : 1);
    size_t col_parts = (size_t)(plan.chunks - 1) * (size_t)d * (col_squares ? 2 : 1);
    double *scratch = NULL;
    if (own + row_parts + col_parts > 0) {
        scratch = calloc(own + row_parts + col_parts, sizeof(double));
        if (!scratch) return FK_NO_MEMORY;
    }
    double *rq = row_sq ? row_sq : scratch;
    double *cs = col_sum ? col_sum : scratch + (row_sq ? 0 : n);

    ptrdiff_t bad;
    if (isa == FK_ISA_REFERENCE) {
        static const fk_ref_moments_fn ref[FK_DT_COUNT] = {
            [FK_DT_F32] = fk_ref_moments_f32, [FK_DT_F64] = fk_ref_moments_f64,
            [FK_DT_F16] = fk_ref_moments_f16, [FK_DT_BF16] = fk_ref_moments_bf16};
        ref[dt](n, d, x, ldx, row_sum, rq, cs, col_sq);
        bad = first_nonfinite(n, rq);
    } else {
        moments_job job = {
            .mk = fk_kernels_for(isa)->moments[dt][FK_MOMENTS_FLAGS(row_sums, col_squares)],
            .n = n, .d = d, .ldx = ldx, .x = (const char *)x, .esize = esize, .plan = plan,
            .row_sums = row_sums, .col_squares = col_squares,
            .col_sum0 = cs, .col_sq0 = col_sq, .row_sum0 = row_sum, .row_sq0 = rq,
            .row_scratch = scratch + own, .col_scratch = scratch + own + row_parts,
        };
        ptrdiff_t tiles = plan.chunks * plan.groups;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && tiles > 1)
        for (ptrdiff_t t = 0; t < tiles; ++t) run_tile(&job, t);

        if (plan.groups > 1) {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n >= 65536)
            for (ptrdiff_t i = 0; i < n; ++i)
                for (ptrdiff_t g = 1; g < plan.groups; ++g) {
                    const double *part = job.row_scratch + (g - 1) * row_stride(&job);
                    rq[i] += part[i];
                    if (row_sums) row_sum[i] += part[n + i];
                }
        }
        bad = first_nonfinite(n, rq);
        if (plan.chunks > 1 && bad < 0) {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && d >= 65536)
            for (ptrdiff_t j = 0; j < d; ++j)
                for (ptrdiff_t k = 1; k < plan.chunks; ++k) {
                    const double *part = job.col_scratch + (k - 1) * col_stride(&job);
                    cs[j] += part[j];
                    if (col_squares) col_sq[j] += part[d + j];
                }
        }
    }

    if (bad >= 0) {
        st = classify_bad_row(dt, (const char *)x, d, ldx, bad);
        if (first_bad_row) *first_bad_row = bad;
    }
    free(scratch);
    return st;
}

fk_status fk_moments_f32(ptrdiff_t n, ptrdiff_t d, const float *x, ptrdiff_t ldx, double *row_sum,
                         double *row_sq, double *col_sum, double *col_sq, ptrdiff_t *first_bad_row,
                         const fk_config *cfg) {
    return moments(FK_DT_F32, n, d, x, ldx, row_sum, row_sq, col_sum, col_sq, first_bad_row, cfg);
}
fk_status fk_moments_f64(ptrdiff_t n, ptrdiff_t d, const double *x, ptrdiff_t ldx, double *row_sum,
                         double *row_sq, double *col_sum, double *col_sq, ptrdiff_t *first_bad_row,
                         const fk_config *cfg) {
    return moments(FK_DT_F64, n, d, x, ldx, row_sum, row_sq, col_sum, col_sq, first_bad_row, cfg);
}
fk_status fk_moments_f16(ptrdiff_t n, ptrdiff_t d, const uint16_t *x, ptrdiff_t ldx, double *row_sum,
                         double *row_sq, double *col_sum, double *col_sq, ptrdiff_t *first_bad_row,
                         const fk_config *cfg) {
    return moments(FK_DT_F16, n, d, x, ldx, row_sum, row_sq, col_sum, col_sq, first_bad_row, cfg);
}
fk_status fk_moments_bf16(ptrdiff_t n, ptrdiff_t d, const uint16_t *x, ptrdiff_t ldx, double *row_sum,
                          double *row_sq, double *col_sum, double *col_sq, ptrdiff_t *first_bad_row,
                          const fk_config *cfg) {
    return moments(FK_DT_BF16, n, d, x, ldx, row_sum, row_sq, col_sum, col_sq, first_bad_row, cfg);
}
