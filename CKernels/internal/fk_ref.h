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

/* ---- Outer products (ref/syrk_ref.c, ref/ghost_ref.c): the definitions as plain double loops ---- */
#include "fk_outer.h"

/* c[i*ldc + j] += Σ_{r<n} x_r[i]·y_r[j] for i < m, j < p (j ≥ i only when upper), rows in order. */
void fk_ref_outer(fk_dtype dt, ptrdiff_t n, const fk_rows *x, ptrdiff_t m, const fk_rows *y, ptrdiff_t p,
                  int upper, double *c, ptrdiff_t ldc);
/* c[i*ldc + j] += Σ_{k<d} x_i[k]·x_j[k] for 0 ≤ i ≤ j < n. */
void fk_ref_gram(fk_dtype dt, ptrdiff_t n, ptrdiff_t d, const fk_rows *x, double *c, ptrdiff_t ldc);
/* Per sample i (rows i·t … i·t+t−1 of a and delta): weight[i] = ‖Σ_s δ_s a_sᵀ‖²_F with the d_out × d_in
 * matrix materialized in double; bias[i] = ‖Σ_s δ_s‖² when bias is not NULL.  FK_NO_MEMORY if the
 * one scratch matrix cannot be had. */
fk_status fk_ref_ghost(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const fk_rows *a,
                       const fk_rows *delta, double *weight, double *bias);

#endif
