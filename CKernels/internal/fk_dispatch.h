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

typedef struct fk_kernels {
    fk_isa isa;
    fk_mk_moments moments[FK_DT_COUNT][4];
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
