/* ghost.c — per-sample gradient norms of a linear layer from its inputs and output gradients
 * (fk_ghost_*), without forming N per-sample gradients.
 *
 * For sample i with tokens s = 0…T−1, inputs a_s (d_in) and output gradients δ_s (d_out):
 *     weight_i = ‖Σ_s δ_s a_sᵀ‖²_F = Σ_{s,u} P_su Q_su,  P = A_iA_iᵀ, Q = Δ_iΔ_iᵀ   (T × T)
 *     bias_i   = ‖Σ_s δ_s‖²
 * Gram form: P and Q on and above the diagonal with the dot-product micro-kernel, k-blocks over the
 * features outermost so a block of A_i (then of Δ_i) stays in L2 while every row group of the band
 * sweeps it; then Σ_s P_ss Q_ss + 2 Σ_{s<u} P_su Q_su in double.
 * Materialization: M = Σ_s δ_s a_sᵀ accumulated in a d_out × d_in double scratch (one per thread) with
 * the outer-product micro-kernel over token blocks of FK_KC_OUTER, then ‖M‖² in double.
 * T = 1: ‖a‖²·‖δ‖² from two row sums of squares, one pass at memory bandwidth.
 * The bias gradient Σ_s δ_s is summed in double directly, whatever the method.
 *
 * Work items are (sample, part): a part is a band of token rows (Gram) or a range of output features
 * (materialization).  The parts of a sample depend on the sizes only: one, unless the batch is small
 * (then several, so threads share a sample) or the Gram band would not fit its scratch.  Each part's
 * sum is stored and the parts added in order, so the same input gives the same bits for any thread
 * count. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "fk_omp.h"
#include "fk_outer.h"
#include "fk_ref.h"

enum {
    BAND_DOUBLES = 32768, /* P and Q bands hold at most about this many doubles each (256 KiB) */
    SMALL_BATCH = 16,     /* with fewer samples than this, each sample is split into parts */
    MAX_PARTS = 64,
    T1_CHUNK = 256,       /* samples per work item on the T = 1 path */
};

/* ---- The cost model -----------------------------------------------------------------------------
 * Time per sample in nanoseconds, fitted to one Zen 4 core running the avx512 variant
 * (Benchmarks/peers/openblas/run.sh --ghost-cost: T = 2…2048, d_in = d_out = 16…1024, 70 shapes):
 *   Gram:            T(T+1)/2 entries × (2.6 ns for the reduction and combine of an entry
 *                                        + 0.0226 ns per multiply-add × (d_in + d_out)) + 80 ns
 *   materialization: T × (0.020 ns × the register tiles' area ⌈d_out/12⌉·12 × ⌈d_in/32⌉·32
 *                         + 0.9 ns × (d_in + d_out) for packing)
 *                    + 1.1 ns × d_in·d_out (zeroing the scratch and summing its squares)
 * and neither below the time to read the sample, 0.2 ns per float (20 GB/s).  Over three runs the model
 * picked the faster algorithm at every grid point off the diagonal T = d; on it (T = d = 64, 512) the
 * two are close enough that the winner changed between runs of this shared machine.  The published
 * rule, Gram iff 2T² ≤ d_in·d_out, counts memory rather than time: it agrees away from the boundary and
 * picks the slower algorithm for T ≈ d, d ≤ 256 (Gram 10–45 % faster there). */
fk_ghost_method fk_ghost_choose(ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out) {
    double T = (double)t, din = (double)d_in, dout = (double)d_out;
    double tiles = (double)fk_ceil_div(d_out, 12) * 12 * (double)fk_ceil_div(d_in, 32) * 32;
    double read = 0.2 * T * (din + dout);
    double gram = fmax(T * (T + 1) / 2 * (2.6 + 0.0226 * (din + dout)), read) + 80;
    double mat = fmax(T * (0.020 * tiles + 0.9 * (din + dout)) + 1.1 * din * dout, read);
    return gram <= mat ? FK_GHOST_GRAM : FK_GHOST_MATERIALIZE;
}

typedef struct ghost_job {
    fk_dtype dt;
    const fk_outer_kernels *k;
    fk_ghost_method method;
    ptrdiff_t n, t, d_in, d_out;
    fk_rows a, delta;
    double *weight, *bias;
    ptrdiff_t parts;
    ptrdiff_t bounds[MAX_PARTS + 1]; /* part p: token rows (Gram) or output features [bounds[p], bounds[p+1]) */
    double *partial;                 /* n × parts sums, added in part order */
    ptrdiff_t tpad;                  /* Gram: band row length, t rounded up to dc */
    ptrdiff_t band_rows;             /* Gram: rows of the largest band, plus dr of slack */
    ptrdiff_t mrows, ldm;            /* materialization: scratch rows (part width up to mr) and columns */
} ghost_job;

typedef struct ghost_scratch {
    double *p, *q;       /* Gram bands */
    double *m;           /* materialization scratch */
    char *xpack, *ypack; /* materialization panels of Δ_i and A_i */
    const void **rows;
    double *bias;        /* Σ_s δ_s */
} ghost_scratch;

/* ---- Gram form ---------------------------------------------------------------------------------- */

/* Walks rows a thread will need next, a few cache lines per micro-kernel call, so that they arrive from
 * memory while this sweep computes (the first sweep over a sample would otherwise wait on memory). */
typedef struct prefetcher {
    const fk_rows *x;    /* NULL: nothing to fetch */
    ptrdiff_t first, count, bytes;
    ptrdiff_t row, offset;
    const char *row_ptr;
} prefetcher;

static prefetcher rows_to_fetch(const fk_rows *x, ptrdiff_t first, ptrdiff_t count, ptrdiff_t d) {
    prefetcher p = {x, first, count, d * (ptrdiff_t)x->esize, 0, 0, fk_row_ptr(x, first)};
    return p;
}

static inline void prefetch_lines(prefetcher *p, ptrdiff_t lines) {
    for (; p->x && lines > 0 && p->row < p->count; --lines) {
        __builtin_prefetch(p->row_ptr + p->offset, 0, 2);
        if ((p->offset += 64) >= p->bytes) {
            p->offset = 0;
            if (++p->row < p->count) p->row_ptr = fk_row_ptr(p->x, p->first + p->row);
        }
    }
}

/* Accumulates X Xᵀ for the band rows [b0, b1) of one sample's rows x (t × d): out[(r−b0)·tpad + u] for
 * u from the row group's aligned start to t.  Rows past the band or past t repeat a valid row. */
static void band_products(const ghost_job *g, const fk_rows *x, ptrdiff_t first, ptrdiff_t d, ptrdiff_t b0,
                          ptrdiff_t b1, double *out, prefetcher *next) {
    const fk_outer_kernels *K = g->k;
    const int dr = K->dr, dc = K->dc;
    const size_t es = x->esize;
    const ptrdiff_t t = g->t, kd = es == 4 ? FK_KC_DOT_F32 : FK_KC_DOT_F64;
    ptrdiff_t calls = 0; /* spread the prefetches evenly over the micro-kernel calls */
    for (ptrdiff_t gi = b0; gi < b1; gi += dr) calls += fk_ceil_div(t - gi / dc * dc, dc);
    calls *= fk_ceil_div(d, kd);
    ptrdiff_t per_call = next && next->x ? fk_ceil_div((next->count - next->row) * fk_ceil_div(next->bytes, 64), fk_max(calls, 1)) : 0;
    /* Token s of this sample starts at base + s·stride (no division per row in the hot loop). */
    const char *base = (const char *)fk_row_ptr(x, first);
    const size_t stride = (size_t)x->ld_row * es;
    const char *xp[8], *yp[8];
    for (ptrdiff_t k0 = 0; k0 < d; k0 += kd) {
        ptrdiff_t kc = fk_min(kd, d - k0);
        const char *block = base + (size_t)k0 * es;
        for (ptrdiff_t gi = b0; gi < b1; gi += dr) {
            ptrdiff_t mi = fk_min(dr, b1 - gi);
            for (int r = 0; r < dr; ++r) xp[r] = block + (size_t)(gi + fk_min(r, mi - 1)) * stride;
            for (ptrdiff_t gj = gi / dc * dc; gj < t; gj += dc) {
                for (int j = 0; j < dc; ++j) yp[j] = block + (size_t)fk_min(gj + j, t - 1) * stride;
                K->dot(kc, (const void *const *)xp, (const void *const *)yp, out + (gi - b0) * g->tpad + gj, g->tpad);
                if (per_call) prefetch_lines(next, per_call);
            }
        }
    }
}

/* Band [b0, b1) of sample i.  While P sweeps A_i, Δ_i is fetched; while Q sweeps Δ_i, the inputs of
 * the sample this thread takes next (next_sample ≥ 0). */
static double gram_part(const ghost_job *g, ptrdiff_t i, ptrdiff_t b0, ptrdiff_t b1, const ghost_scratch *s,
                        ptrdiff_t next_sample) {
    const int dr = g->k->dr, dc = g->k->dc;
    for (ptrdiff_t r = b0; r < fk_ceil_div(b1, dr) * dr; ++r) { /* zero what the kernels add into */
        ptrdiff_t from = (r / dr * dr) / dc * dc;
        memset(s->p + (r - b0) * g->tpad + from, 0, (size_t)(g->tpad - from) * sizeof(double));
        memset(s->q + (r - b0) * g->tpad + from, 0, (size_t)(g->tpad - from) * sizeof(double));
    }
    prefetcher fetch = rows_to_fetch(&g->delta, i * g->t, g->t, g->d_out);
    band_products(g, &g->a, i * g->t, g->d_in, b0, b1, s->p, &fetch);
    fetch = next_sample >= 0 ? rows_to_fetch(&g->a, next_sample * g->t, g->t, g->d_in) : (prefetcher){0};
    band_products(g, &g->delta, i * g->t, g->d_out, b0, b1, s->q, &fetch);
    double sum = 0.0;
    for (ptrdiff_t r = b0; r < b1; ++r) {
        const double *pr = s->p + (r - b0) * g->tpad, *qr = s->q + (r - b0) * g->tpad;
        double off = 0.0;
        for (ptrdiff_t u = r + 1; u < g->t; ++u) off += pr[u] * qr[u];
        sum += pr[r] * qr[r] + 2.0 * off;
    }
    return sum;
}

/* ---- Materialization ------------------------------------------------------------------------------ */

static double materialize_part(const ghost_job *g, ptrdiff_t i, ptrdiff_t o0, ptrdiff_t o1, const ghost_scratch *s) {
    const fk_outer_kernels *K = g->k;
    const int mr = K->mr, nr = K->nr;
    const ptrdiff_t pw = K->pw, ldm = g->ldm, width = o1 - o0;
    const size_t es = g->a.esize;
    memset(s->m, 0, (size_t)(g->mrows * ldm) * sizeof(double));
    for (ptrdiff_t t0 = 0; t0 < g->t; t0 += FK_KC_OUTER) {
        ptrdiff_t kc = fk_min(FK_KC_OUTER, g->t - t0);
        for (ptrdiff_t k = 0; k < kc; ++k) s->rows[k] = fk_row_ptr(&g->delta, i * g->t + t0 + k);
        K->pack(kc, width, (const void *const *)s->rows, o0, s->xpack, FK_KC_OUTER * pw);
        for (ptrdiff_t k = 0; k < kc; ++k) s->rows[k] = fk_row_ptr(&g->a, i * g->t + t0 + k);
        K->pack(kc, g->d_in, (const void *const *)s->rows, 0, s->ypack, FK_KC_OUTER * pw);
        for (ptrdiff_t jc = 0; jc < g->d_in; jc += FK_TILE) /* a column block of A stays in L2 */
            for (ptrdiff_t o = 0; o < width; o += mr) {
                const char *a = s->xpack + (size_t)((o / pw) * FK_KC_OUTER * pw + o % pw) * es;
                for (ptrdiff_t j = jc; j < fk_min(g->d_in, jc + FK_TILE); j += nr) {
                    const char *b = s->ypack + (size_t)((j / pw) * FK_KC_OUTER * pw + j % pw) * es;
                    K->outer(kc, a, pw, b, pw, s->m + o * ldm + j, ldm);
                }
            }
    }
    double sum = 0.0;
    for (ptrdiff_t o = 0; o < width; ++o)
        for (ptrdiff_t j = 0; j < g->d_in; ++j) sum += s->m[o * ldm + j] * s->m[o * ldm + j];
    return sum;
}

/* ---- Driver ------------------------------------------------------------------------------------ */

static double squared_norm(const double *v, ptrdiff_t n) {
    double sum = 0.0;
    for (ptrdiff_t j = 0; j < n; ++j) sum += v[j] * v[j];
    return sum;
}

/* One (sample, part) item; next_item is the item this thread runs next (−1: none known).  Part 0 also
 * forms the bias gradient Σ_s δ_s in double, after the Gram pass over Δ_i (it is in cache then). */
static void run_item(const ghost_job *g, ptrdiff_t item, ptrdiff_t next_item, const ghost_scratch *s) {
    ptrdiff_t i = item / g->parts, p = item % g->parts;
    ptrdiff_t lo = g->bounds[p], hi = g->bounds[p + 1];
    ptrdiff_t next_sample = next_item >= 0 && next_item / g->parts != i ? next_item / g->parts : -1;
    double part = 0.0;
    if (g->d_in > 0 && g->d_out > 0 && hi > lo)
        part = g->method == FK_GHOST_GRAM ? gram_part(g, i, lo, hi, s, next_sample) : materialize_part(g, i, lo, hi, s);
    g->partial[item] = part;
    if (p == 0 && g->bias) {
        fk_rows sample = g->delta; /* row s of this view is token s of sample i */
        sample.base = (const char *)fk_row_ptr(&g->delta, i * g->t);
        memset(s->bias, 0, (size_t)g->d_out * sizeof(double));
        fk_column_sums(g->k, &sample, g->t, g->d_out, s->bias, 1);
        g->bias[i] = squared_norm(s->bias, g->d_out);
    }
}

/* Part boundaries: Gram bands balance the triangle's work (row r costs t − r) on row-group boundaries;
 * materialization ranges split d_out on multiples of mr. */
static void plan_parts(ghost_job *g) {
    const fk_outer_kernels *K = g->k;
    ptrdiff_t want = g->n < SMALL_BATCH ? fk_ceil_div(SMALL_BATCH, g->n) : 1;
    if (g->method == FK_GHOST_GRAM) {
        const ptrdiff_t dr = K->dr, groups = fk_ceil_div(g->t, dr);
        g->tpad = fk_ceil_div(g->t, K->dc) * K->dc;
        ptrdiff_t rows_budget = fk_max(dr, BAND_DOUBLES / g->tpad / dr * dr);
        want = fk_max(want, fk_ceil_div(g->t, rows_budget));
        g->parts = fk_max(1, fk_min(fk_min(want, MAX_PARTS), groups));
        double total = (double)g->t * (double)(g->t + 1) / 2, done = 0;
        ptrdiff_t p = 1, largest = 0;
        g->bounds[0] = 0;
        for (ptrdiff_t gi = 0; gi < groups && p < g->parts; ++gi) {
            for (ptrdiff_t r = gi * dr; r < fk_min(g->t, (gi + 1) * dr); ++r) done += (double)(g->t - r);
            if (done >= total * (double)p / (double)g->parts) g->bounds[p++] = (gi + 1) * dr;
        }
        g->parts = p;
        g->bounds[p] = g->t;
        for (ptrdiff_t q = 0; q < p; ++q) largest = fk_max(largest, g->bounds[q + 1] - g->bounds[q]);
        g->band_rows = largest + dr;
    } else {
        const ptrdiff_t mr = K->mr, blocks = fk_ceil_div(g->d_out, mr);
        g->parts = fk_max(1, fk_min(fk_min(want, MAX_PARTS), blocks));
        ptrdiff_t largest = 0;
        for (ptrdiff_t q = 0; q <= g->parts; ++q) g->bounds[q] = fk_min(g->d_out, blocks * q / g->parts * mr);
        for (ptrdiff_t q = 0; q < g->parts; ++q) largest = fk_max(largest, g->bounds[q + 1] - g->bounds[q]);
        g->mrows = fk_ceil_div(fk_max(largest, 1), mr) * mr;
        g->ldm = fk_ceil_div(fk_max(g->d_in, 1), K->nr) * K->nr;
    }
}

static void free_scratch(ghost_scratch *s) {
    free(s->p);
    free(s->q);
    free(s->m);
    free(s->xpack);
    free(s->ypack);
    free(s->rows);
    free(s->bias);
}

static int alloc_scratch(const ghost_job *g, ghost_scratch *s) {
    memset(s, 0, sizeof *s);
    const size_t es = g->a.esize;
    const ptrdiff_t pw = g->k->pw;
    s->bias = malloc((size_t)fk_max(1, g->d_out) * sizeof(double));
    if (!s->bias) return 0;
    if (g->method == FK_GHOST_GRAM) {
        size_t band = (size_t)(g->band_rows * g->tpad) * sizeof(double);
        s->p = fk_alloc_scratch(band);
        s->q = fk_alloc_scratch(band);
        return s->p && s->q;
    }
    ptrdiff_t widest = g->mrows;
    s->m = fk_alloc_scratch((size_t)(g->mrows * g->ldm) * sizeof(double));
    s->xpack = fk_alloc_scratch((size_t)(FK_KC_OUTER * fk_ceil_div(widest, pw) * pw) * es);
    s->ypack = fk_alloc_scratch((size_t)(FK_KC_OUTER * fk_ceil_div(fk_max(g->d_in, 1), pw) * pw) * es);
    s->rows = malloc(FK_KC_OUTER * sizeof(void *));
    return s->m && s->xpack && s->ypack && s->rows;
}

/* T = 1: weight_i = ‖a_i‖²·‖δ_i‖², bias_i = ‖δ_i‖², in chunks of samples. */
static void run_t1(const ghost_job *g, int threads) {
    const fk_outer_kernels *K = g->k;
    ptrdiff_t chunks = fk_ceil_div(g->n, T1_CHUNK);
    const char *a = g->a.base, *d = g->delta.base;
    const size_t es = g->a.esize;
    (void)threads;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && chunks > 1)
    for (ptrdiff_t c = 0; c < chunks; ++c) {
        double sa[T1_CHUNK], sd[T1_CHUNK];
        ptrdiff_t i0 = c * T1_CHUNK, m = fk_min(T1_CHUNK, g->n - i0);
        K->sumsq(m, g->d_in, a + (size_t)(i0 * g->a.ld_group) * es, g->a.ld_group, sa);
        K->sumsq(m, g->d_out, d + (size_t)(i0 * g->delta.ld_group) * es, g->delta.ld_group, sd);
        for (ptrdiff_t r = 0; r < m; ++r) {
            g->weight[i0 + r] = sa[r] * sd[r];
            if (g->bias) g->bias[i0 + r] = sd[r];
        }
    }
}

static fk_status ghost(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const void *a,
                       ptrdiff_t lda_s, ptrdiff_t lda_t, const void *delta, ptrdiff_t ldd_s, ptrdiff_t ldd_t,
                       double *weight, double *bias, ptrdiff_t *first_bad, fk_ghost_method method,
                       const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (!fk_valid_3d(n, t, d_in, a, lda_s, lda_t) || !fk_valid_3d(n, t, d_out, delta, ldd_s, ldd_t) ||
        (n > 0 && !weight) || (method != FK_GHOST_AUTO && method != FK_GHOST_GRAM && method != FK_GHOST_MATERIALIZE))
        return FK_BAD_ARGUMENT;
    if (first_bad) *first_bad = -1;
    if (n == 0) return FK_OK;
    ghost_job g = {.dt = dt, .n = n, .t = t, .d_in = d_in, .d_out = d_out, .weight = weight, .bias = bias};
    g.a = fk_rows_3d(a, dt, fk_max(t, 1), lda_s, lda_t);
    g.delta = fk_rows_3d(delta, dt, fk_max(t, 1), ldd_s, ldd_t);
    if (t == 0 || (d_in == 0 && d_out == 0)) {
        for (ptrdiff_t i = 0; i < n; ++i) {
            weight[i] = 0.0;
            if (bias) bias[i] = 0.0;
        }
        return FK_OK;
    }
    if (isa == FK_ISA_REFERENCE) {
        st = fk_ref_ghost(dt, n, t, d_in, d_out, &g.a, &g.delta, weight, bias);
        if (st != FK_OK) return st;
    } else if (t == 1 && d_in > 0 && d_out > 0) {
        g.k = &fk_kernels_for(isa)->outer[dt];
        run_t1(&g, threads);
    } else {
        g.k = &fk_kernels_for(isa)->outer[dt];
        g.method = method == FK_GHOST_AUTO ? fk_ghost_choose(t, d_in, d_out) : method;
        plan_parts(&g);
        ptrdiff_t items = n * g.parts;
        g.partial = malloc((size_t)items * sizeof(double));
        if (!g.partial) return FK_NO_MEMORY;
        atomic_int failed = 0;
        /* Runs of CHUNK items in order to whichever thread is free (an atomic counter: see syrk_engine.c);
         * within a run a thread knows its next sample and fetches it ahead. */
        enum { CHUNK = 4 };
        atomic_long next = 0;
#pragma omp parallel num_threads(threads) if (threads > 1 && items > 1)
        {
            ghost_scratch s;
            int ok = alloc_scratch(&g, &s);
            if (!ok) atomic_store(&failed, 1);
            for (long q0; ok && (q0 = atomic_fetch_add(&next, CHUNK)) < items;)
                for (ptrdiff_t q = q0; q < fk_min(items, q0 + CHUNK); ++q)
                    run_item(&g, q, q + 1 < fk_min(items, q0 + CHUNK) ? q + 1 : -1, &s);
            free_scratch(&s);
        }
        if (!atomic_load(&failed))
            for (ptrdiff_t i = 0; i < n; ++i) {
                double w = 0.0;
                for (ptrdiff_t p = 0; p < g.parts; ++p) w += g.partial[i * g.parts + p];
                weight[i] = w;
            }
        free(g.partial);
        if (atomic_load(&failed)) return FK_NO_MEMORY;
    }
    for (ptrdiff_t i = 0; i < n; ++i)
        if (!isfinite(weight[i]) || (bias && !isfinite(bias[i]))) {
            if (first_bad) *first_bad = i;
            int bad = fk_first_nonfinite_row(dt, &g.a, i * t, (i + 1) * t, d_in) >= 0 ||
                      fk_first_nonfinite_row(dt, &g.delta, i * t, (i + 1) * t, d_out) >= 0;
            return bad ? FK_NONFINITE : FK_OVERFLOW;
        }
    return FK_OK;
}

fk_status fk_ghost_f32(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const float *a, ptrdiff_t lda_sample,
                       ptrdiff_t lda_token, const float *delta, ptrdiff_t ldd_sample, ptrdiff_t ldd_token,
                       double *weight_sq, double *bias_sq, ptrdiff_t *first_bad, fk_ghost_method method,
                       const fk_config *cfg) {
    return ghost(FK_DT_F32, n, t, d_in, d_out, a, lda_sample, lda_token, delta, ldd_sample, ldd_token, weight_sq,
                 bias_sq, first_bad, method, cfg);
}
fk_status fk_ghost_f64(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const double *a,
                       ptrdiff_t lda_sample, ptrdiff_t lda_token, const double *delta, ptrdiff_t ldd_sample,
                       ptrdiff_t ldd_token, double *weight_sq, double *bias_sq, ptrdiff_t *first_bad,
                       fk_ghost_method method, const fk_config *cfg) {
    return ghost(FK_DT_F64, n, t, d_in, d_out, a, lda_sample, lda_token, delta, ldd_sample, ldd_token, weight_sq,
                 bias_sq, first_bad, method, cfg);
}
