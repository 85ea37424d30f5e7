/* fk_dispatch.h — the table of micro-kernels, one per instruction-set variant.
 *
 * The drivers (tiling, threading, reductions) are written once in src/; only the micro-kernels differ
 * between variants.  Each variant's table is defined in its own translation unit; the process-wide
 * default is chosen once from the CPU (and FISHERTRACE_ISA). */
#ifndef FK_DISPATCH_H
#define FK_DISPATCH_H

#include "fisher_kernels.h"

typedef enum fk_dtype { FK_DT_F32 = 0, FK_DT_F64 = 1, FK_DT_F16 = 2, FK_DT_BF16 = 3, FK_DT_COUNT = 4 } fk_dtype;

static inline size_t fk_dtype_size(fk_dtype t) { return t == FK_DT_F64 ? 8 : t == FK_DT_F32 ? 4 : 2; }

/* Moments micro-kernel on an m×w block (any m ≥ 0, any w ≥ 0):
 *   col_sum[j] += Σ_i x_ij and col_sq[j] += Σ_i x_ij², adding rows in order i = 0, 1, …;
 *   row_sum[i] = Σ_j x_ij and row_sq[i] = Σ_j x_ij² over these w columns (overwritten).
 * Each type has four kernels, indexed by FK_MOMENTS_FLAGS: row_sum and col_sq are only touched by the
 * kernels that compute them (row_sq and col_sum always are). */
typedef void (*fk_mk_moments)(ptrdiff_t m, ptrdiff_t w, const void *x, ptrdiff_t ldx,
                              double *col_sum, double *col_sq, double *row_sum, double *row_sq);

#define FK_MOMENTS_FLAGS(row_sums, col_squares) (((row_sums) ? 2 : 0) | ((col_squares) ? 1 : 0))

/* ---- Outer-product micro-kernels (Fisher block, Gram, ghost norms, K-FAC; drivers in src/syrk*.c,
 * gram.c, ghost.c, kfac.c).  One set per working precision: float32 input is multiplied and summed in
 * float32 inside a k-block and added into double tiles; float64 input stays in double throughout. */

/* Outer product on an mr×nr tile: c[r*ldc + j] += Σ_{k<kc} a[k*lda + r]·b[k*ldb + j], summed in k order in
 * the working precision, then added into the double tile (a, b: slices of packed panels). */
typedef void (*fk_mk_outer)(ptrdiff_t kc, const void *a, ptrdiff_t lda, const void *b, ptrdiff_t ldb, double *c,
                            ptrdiff_t ldc);
/* Packs columns [c0, c0+w) of kc rows (rows[k] points at row k's first element) into ⌈w/pw⌉ panels of
 * pw columns: element (k, j) goes to dst[(j/pw)·panel_stride + k·pw + j%pw], the last panel zero-padded.
 * pw is a multiple of mr and nr, so both operands of the micro-kernel are slices of the same panels. */
typedef void (*fk_pack_panels)(ptrdiff_t kc, ptrdiff_t w, const void *const *rows, ptrdiff_t c0, void *dst,
                               ptrdiff_t panel_stride);
/* Dot products on a dr×dc tile of rows: c[r*ldc + j] += Σ_{k<kc} x[r][k]·y[j][k] (x: dr row pointers,
 * y: dc row pointers; lane-wise in k order, lanes added in a fixed tree, converted and added into double). */
typedef void (*fk_mk_dot)(ptrdiff_t kc, const void *const *x, const void *const *y, double *c, ptrdiff_t ldc);
/* Row sums of squares in double: out[i] = Σ_{j<w} x[i*ldx + j]² (overwritten). */
typedef void (*fk_mk_sumsq)(ptrdiff_t m, ptrdiff_t w, const void *x, ptrdiff_t ldx, double *out);
/* Column sums in double: col[j] += Σ_{i<m} x[i*ldx + j], rows in order (the plain loop's bits). */
typedef void (*fk_mk_colsum)(ptrdiff_t m, ptrdiff_t w, const void *x, ptrdiff_t ldx, double *col);

typedef struct fk_outer_kernels {
    int mr, nr, pw;        /* outer-product tile and packed panel width */
    fk_mk_outer outer;
    fk_pack_panels pack;
    int dr, dc;            /* dot-product tile */
    fk_mk_dot dot;
    fk_mk_sumsq sumsq;
    fk_mk_colsum colsum;
} fk_outer_kernels;

/* Peak-FMA probe: `rounds` rounds of independent float32 FMAs held in registers; returns the flops done
 * and stores a value derived from them in *sink so the loop is not optimized away. */
typedef double (*fk_mk_fma_probe)(ptrdiff_t rounds, float *sink);

typedef struct fk_kernels {
    fk_isa isa;
    fk_mk_moments moments[FK_DT_COUNT][4];
    fk_outer_kernels outer[2]; /* [FK_DT_F32], [FK_DT_F64] */
    fk_mk_fma_probe fma_probe;
} fk_kernels;

extern const fk_kernels fk_kernels_portable;
#if defined(__x86_64__)
extern const fk_kernels fk_kernels_avx2;
extern const fk_kernels fk_kernels_avx512;
#endif

/* The table for a variant (FK_ISA_AUTO: the default), or NULL when it cannot run here.  The reference
 * variant has no table: drivers call the whole-operation reference kernels in ref/ instead. */
const fk_kernels *fk_kernels_for(fk_isa isa);

/* Resolves cfg (NULL allowed) to a concrete variant and thread count ≥ 1. */
fk_status fk_resolve_config(const fk_config *cfg, fk_isa *isa, int *threads);

#endif
