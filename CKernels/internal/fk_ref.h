/* fk_ref.h — the reference (oracle) kernels in ref/: whole operations, scalar, single-threaded. */
#ifndef FK_REF_H
#define FK_REF_H

#include <stddef.h>

/* Same outputs as the moments driver; row_sq and col_sum are required, row_sum and col_sq may be NULL. */
typedef void (*fk_ref_moments_fn)(ptrdiff_t n, ptrdiff_t d, const void *x, ptrdiff_t ldx,
                                  double *row_sum, double *row_sq, double *col_sum, double *col_sq);
void fk_ref_moments_f32(ptrdiff_t, ptrdiff_t, const void *, ptrdiff_t, double *, double *, double *, double *);
void fk_ref_moments_f64(ptrdiff_t, ptrdiff_t, const void *, ptrdiff_t, double *, double *, double *, double *);
void fk_ref_moments_f16(ptrdiff_t, ptrdiff_t, const void *, ptrdiff_t, double *, double *, double *, double *);
void fk_ref_moments_bf16(ptrdiff_t, ptrdiff_t, const void *, ptrdiff_t, double *, double *, double *, double *);

#endif
