/* fk_outer.h — the shared machinery of the outer-product drivers (src/syrk.c, src/syrk_engine.c,
 * src/gram.c, src/ghost.c, src/kfac.c): row addressing for 2-D and 3-D operands, the blocking constants
 * that fix the rounding, and the two engines.
 *
 * Determinism: every output element is computed by one thread from k-blocks whose boundaries depend on
 * the sizes only (multiples of the constants below), and partial results are added in a fixed order, so
 * a given input gives the same bits for any thread count. */
#ifndef FK_OUTER_H
#define FK_OUTER_H

#include "fk_dispatch.h"

enum {
    FK_KC_OUTER = 256,    /* rows per k-block of the outer-product kernel: the float32 rounding span */
    FK_KC_DOT_F32 = 1024, /* columns per k-block of the float32 dot-product kernel (64 per lane) */
    FK_KC_DOT_F64 = 512,  /* columns per k-block of the float64 dot-product kernel (cache only) */
    FK_TILE = 192,        /* macro tile of the outer-product engine: a multiple of every mr and nr */
    FK_DOT_TILE = 48,     /* macro tile (rows × rows) of the Gram engine: a multiple of every dr and dc */
    FK_MIN_ITEMS = 16,    /* fewer tiles than this: split the k range too, so threads have work */
};

static inline ptrdiff_t fk_ceil_div(ptrdiff_t a, ptrdiff_t b) { return (a + b - 1) / b; }
static inline ptrdiff_t fk_min(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }
static inline ptrdiff_t fk_max(ptrdiff_t a, ptrdiff_t b) { return a > b ? a : b; }

/* The rows of a 2-D or 3-D operand.  Row r is token r % group of sample r / group and starts at element
 * (r / group)·ld_group + (r % group)·ld_row of base; a 2-D matrix is group = 1, ld_group = its ld. */
typedef struct fk_rows {
    const char *base;
    size_t esize;
    ptrdiff_t group, ld_group, ld_row;
} fk_rows;

static inline fk_rows fk_rows_2d(const void *base, fk_dtype dt, ptrdiff_t ld) {
    fk_rows r = {(const char *)base, fk_dtype_size(dt), 1, ld, 0};
    return r;
}
static inline fk_rows fk_rows_3d(const void *base, fk_dtype dt, ptrdiff_t tokens, ptrdiff_t ld_sample,
                                 ptrdiff_t ld_token) {
    fk_rows r = {(const char *)base, fk_dtype_size(dt), tokens, ld_sample, ld_token};
    return r;
}
/* Whether a 3-D operand (n samples × t tokens × d features, strides in elements) is well formed: tokens
 * do not overlap (ld_token ≥ d when t > 1), nor do samples (ld_sample ≥ (t−1)·ld_token + d when n > 1),
 * and a non-empty one has a base. */
static inline int fk_valid_3d(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d, const void *base, ptrdiff_t ld_sample,
                              ptrdiff_t ld_token) {
    if (n < 0 || t < 0 || d < 0) return 0;
    if (n == 0 || t == 0 || d == 0) return 1;
    return base && (t == 1 || ld_token >= d) && (n == 1 || ld_sample >= (t - 1) * ld_token + d);
}
static inline const void *fk_row_ptr(const fk_rows *s, ptrdiff_t r) {
    ptrdiff_t g = r / s->group, t = r - g * s->group;
    return s->base + (size_t)(g * s->ld_group + t * s->ld_row) * s->esize;
}

/* The packed outer-product engine: c[i*ldc + j] += Σ_{r<n} x_r[i]·y_r[j] for i < m, j < p, where x_r is
 * row r of x (its first m columns) and likewise y.  With upper set, x and y must be the same rows and
 * m == p, and only j ≥ i is touched (the strict lower triangle is left alone).  Float32 products are
 * summed in float32 over k-blocks of FK_KC_OUTER rows and in double across them.  Returns FK_NO_MEMORY
 * when scratch cannot be had (c is then partly updated). */
fk_status fk_outer_engine(const fk_outer_kernels *kern, ptrdiff_t n, const fk_rows *x, ptrdiff_t m,
                          const fk_rows *y, ptrdiff_t p, int upper, double *c, ptrdiff_t ldc, int threads);

/* The Gram engine: c[i*ldc + j] += Σ_{k<d} x_i[k]·x_j[k] for 0 ≤ i ≤ j < n (rows of the 2-D operand x);
 * the strict lower triangle is left alone.  Float32 products are summed in float32 over k-blocks of
 * FK_KC_DOT_F32 columns and in double across them. */
fk_status fk_gram_engine(const fk_outer_kernels *kern, ptrdiff_t n, ptrdiff_t d, const fk_rows *x,
                         double *c, ptrdiff_t ldc, int threads);

/* 64-byte aligned scratch; from 2 MiB up it is 2 MiB aligned and, on Linux, asks for transparent huge
 * pages (packed panels are written in many page-distant streams).  Release with free(). */
void *fk_alloc_scratch(size_t bytes);

/* The packed-panel buffer of one engine call: reuses the buffer the previous call gave back when it is
 * large enough (fresh pages cost a fault and a clearing each), otherwise allocates with
 * fk_alloc_scratch.  fk_give_panels keeps one buffer of at most 64 MiB for the next call and frees the
 * rest.  Safe from any thread. */
void *fk_take_panels(size_t bytes);
void fk_give_panels(void *buffer, size_t bytes);

/* c[(gi+r)*ldc + gj+j] += t[r*ldt + j] for r < mi, j < nj (only gi+r ≤ gj+j when upper): the valid part
 * of a register tile computed into a buffer (ragged edge or crossing the diagonal). */
void fk_add_tile(const double *t, ptrdiff_t ldt, ptrdiff_t mi, ptrdiff_t nj, ptrdiff_t gi, ptrdiff_t gj, int upper,
                 double *c, ptrdiff_t ldc);

/* Work items taken largest first: a macro tile at (i0, j0) and its cost (elements computed). */
typedef struct fk_tile {
    ptrdiff_t i0, j0, cost;
} fk_tile;
/* The macro tiles of an m × p output cut into size × size squares (only j0 ≥ i0 when upper), sorted
 * largest first; *count receives their number.  NULL when out of memory. */
fk_tile *fk_plan_tiles(ptrdiff_t m, ptrdiff_t p, ptrdiff_t size, int upper, ptrdiff_t *count);

/* c[i*ldc + j] += Σ_{s<parts} scratch[s·m·p + i·p + j] (j ≥ i only when upper), parts in order. */
void fk_add_partials(ptrdiff_t m, ptrdiff_t p, int upper, const double *scratch, ptrdiff_t parts, double *c,
                     ptrdiff_t ldc, int threads);

/* Copies the upper triangle of the d×d matrix c onto its lower triangle. */
void fk_mirror_upper(ptrdiff_t d, double *c, ptrdiff_t ldc, int threads);

/* The first of rows [r0, r1) holding a NaN or ±Inf in columns [0, w), or −1 (the error path). */
ptrdiff_t fk_first_nonfinite_row(fk_dtype dt, const fk_rows *x, ptrdiff_t r0, ptrdiff_t r1, ptrdiff_t w);

/* col[j] += Σ_{r<n} x_r[j] for j < w, in double, rows added in order (any thread count and variant:
 * the bits of the plain loop), with the variant's column-sum micro-kernel. */
void fk_column_sums(const fk_outer_kernels *kern, const fk_rows *x, ptrdiff_t n, ptrdiff_t w, double *col,
                    int threads);

#endif
