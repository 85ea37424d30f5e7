/* kfac.c — K-FAC factors and the summed gradient of a linear layer, on the packed outer-product engine
 * (syrk_engine.c) over every token row of a 3-D operand (fk_kfac_factor_*, fk_linear_grad_sum_*). */
#include <math.h>
#include "fk_outer.h"
#include "fk_ref.h"

/* Plain column sums for the reference variant. */
static void ref_column_sums(fk_dtype dt, const fk_rows *x, ptrdiff_t n, ptrdiff_t w, double *col) {
    for (ptrdiff_t r = 0; r < n; ++r) {
        const void *row = fk_row_ptr(x, r);
        for (ptrdiff_t j = 0; j < w; ++j)
            col[j] += dt == FK_DT_F64 ? ((const double *)row)[j] : (double)((const float *)row)[j];
    }
}

/* The first sample (rows of t tokens) holding a NaN/Inf in x (w columns) or, when given, y; −1 if none. */
static ptrdiff_t first_bad_sample(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, const fk_rows *x, ptrdiff_t wx,
                                  const fk_rows *y, ptrdiff_t wy) {
    for (ptrdiff_t i = 0; i < n; ++i)
        if (fk_first_nonfinite_row(dt, x, i * t, (i + 1) * t, wx) >= 0 ||
            (y && fk_first_nonfinite_row(dt, y, i * t, (i + 1) * t, wy) >= 0))
            return i;
    return -1;
}

static fk_status explain(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, const fk_rows *x, ptrdiff_t wx, const fk_rows *y,
                         ptrdiff_t wy, ptrdiff_t *first_bad) {
    ptrdiff_t bad = first_bad_sample(dt, n, t, x, wx, y, wy);
    if (first_bad) *first_bad = bad;
    return bad >= 0 ? FK_NONFINITE : FK_OVERFLOW;
}

static fk_status kfac_factor(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, ptrdiff_t d, const void *x, ptrdiff_t ldx_s,
                             ptrdiff_t ldx_t, double *c, ptrdiff_t ldc, double *col_sum, fk_fill fill,
                             ptrdiff_t *first_bad, const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (!fk_valid_3d(n, t, d, x, ldx_s, ldx_t) || (d > 0 && (!c || ldc < d)) ||
        (fill != FK_FILL_UPPER && fill != FK_FILL_FULL))
        return FK_BAD_ARGUMENT;
    if (first_bad) *first_bad = -1;
    if (n == 0 || t == 0 || d == 0) return FK_OK;
    fk_rows rows = fk_rows_3d(x, dt, t, ldx_s, ldx_t);
    if (isa == FK_ISA_REFERENCE) {
        fk_ref_outer(dt, n * t, &rows, d, &rows, d, 1, c, ldc);
        if (col_sum) ref_column_sums(dt, &rows, n * t, d, col_sum);
    } else {
        const fk_outer_kernels *k = &fk_kernels_for(isa)->outer[dt];
        st = fk_outer_engine(k, n * t, &rows, d, &rows, d, 1, c, ldc, threads);
        if (st != FK_OK) return st;
        if (col_sum) fk_column_sums(k, &rows, n * t, d, col_sum, threads);
    }
    for (ptrdiff_t j = 0; j < d; ++j)
        if (!isfinite(c[j * ldc + j])) return explain(dt, n, t, &rows, d, NULL, 0, first_bad);
    if (fill == FK_FILL_FULL) fk_mirror_upper(d, c, ldc, threads);
    return FK_OK;
}

static fk_status grad_sum(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const void *a,
                          ptrdiff_t lda_s, ptrdiff_t lda_t, const void *delta, ptrdiff_t ldd_s, ptrdiff_t ldd_t,
                          double *w_sum, ptrdiff_t ldw, double *b_sum, ptrdiff_t *first_bad, const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (!fk_valid_3d(n, t, d_in, a, lda_s, lda_t) || !fk_valid_3d(n, t, d_out, delta, ldd_s, ldd_t) ||
        (d_in > 0 && d_out > 0 && (!w_sum || ldw < d_in)))
        return FK_BAD_ARGUMENT;
    if (first_bad) *first_bad = -1;
    if (n == 0 || t == 0 || d_out == 0) return FK_OK;
    fk_rows ra = fk_rows_3d(a, dt, t, lda_s, lda_t), rd = fk_rows_3d(delta, dt, t, ldd_s, ldd_t);
    if (isa == FK_ISA_REFERENCE) {
        if (d_in > 0) fk_ref_outer(dt, n * t, &rd, d_out, &ra, d_in, 0, w_sum, ldw);
        if (b_sum) ref_column_sums(dt, &rd, n * t, d_out, b_sum);
    } else {
        const fk_outer_kernels *k = &fk_kernels_for(isa)->outer[dt];
        if (d_in > 0) {
            st = fk_outer_engine(k, n * t, &rd, d_out, &ra, d_in, 0, w_sum, ldw, threads);
            if (st != FK_OK) return st;
        }
        if (b_sum) fk_column_sums(k, &rd, n * t, d_out, b_sum, threads);
    }
    for (ptrdiff_t o = 0; o < d_out; ++o) {
        int bad = b_sum && !isfinite(b_sum[o]);
        for (ptrdiff_t j = 0; j < d_in && !bad; ++j) bad = !isfinite(w_sum[o * ldw + j]);
        if (bad) return explain(dt, n, t, &ra, d_in, &rd, d_out, first_bad);
    }
    return FK_OK;
}

fk_status fk_kfac_factor_f32(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d, const float *x, ptrdiff_t ldx_sample,
                             ptrdiff_t ldx_token, double *c, ptrdiff_t ldc, double *col_sum, fk_fill fill,
                             ptrdiff_t *first_bad, const fk_config *cfg) {
    return kfac_factor(FK_DT_F32, n, t, d, x, ldx_sample, ldx_token, c, ldc, col_sum, fill, first_bad, cfg);
}
fk_status fk_kfac_factor_f64(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d, const double *x, ptrdiff_t ldx_sample,
                             ptrdiff_t ldx_token, double *c, ptrdiff_t ldc, double *col_sum, fk_fill fill,
                             ptrdiff_t *first_bad, const fk_config *cfg) {
    return kfac_factor(FK_DT_F64, n, t, d, x, ldx_sample, ldx_token, c, ldc, col_sum, fill, first_bad, cfg);
}
fk_status fk_linear_grad_sum_f32(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const float *a,
                                 ptrdiff_t lda_sample, ptrdiff_t lda_token, const float *delta, ptrdiff_t ldd_sample,
                                 ptrdiff_t ldd_token, double *w_sum, ptrdiff_t ldw, double *b_sum,
                                 ptrdiff_t *first_bad, const fk_config *cfg) {
    return grad_sum(FK_DT_F32, n, t, d_in, d_out, a, lda_sample, lda_token, delta, ldd_sample, ldd_token, w_sum, ldw,
                    b_sum, first_bad, cfg);
}
fk_status fk_linear_grad_sum_f64(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const double *a,
                                 ptrdiff_t lda_sample, ptrdiff_t lda_token, const double *delta,
                                 ptrdiff_t ldd_sample, ptrdiff_t ldd_token, double *w_sum, ptrdiff_t ldw,
                                 double *b_sum, ptrdiff_t *first_bad, const fk_config *cfg) {
    return grad_sum(FK_DT_F64, n, t, d_in, d_out, a, lda_sample, lda_token, delta, ldd_sample, ldd_token, w_sum, ldw,
                    b_sum, first_bad, cfg);
}
