/* syrk_ref.c — the reference outer-product and Gram kernels: the plainest double loops that state the
 * definitions.  Single-threaded scalar C; the optimized engines are tested against them. */
#include "fk_ref.h"

static double element(fk_dtype dt, const void *row, ptrdiff_t j) {
    return dt == FK_DT_F64 ? ((const double *)row)[j] : (double)((const float *)row)[j];
}

void fk_ref_outer(fk_dtype dt, ptrdiff_t n, const fk_rows *x, ptrdiff_t m, const fk_rows *y, ptrdiff_t p,
                  int upper, double *c, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < m; ++i)
        for (ptrdiff_t j = upper ? i : 0; j < p; ++j) {
            double s = 0.0;
            for (ptrdiff_t r = 0; r < n; ++r) s += element(dt, fk_row_ptr(x, r), i) * element(dt, fk_row_ptr(y, r), j);
            c[i * ldc + j] += s;
        }
}

void fk_ref_gram(fk_dtype dt, ptrdiff_t n, ptrdiff_t d, const fk_rows *x, double *c, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < n; ++i)
        for (ptrdiff_t j = i; j < n; ++j) {
            const void *xi = fk_row_ptr(x, i), *xj = fk_row_ptr(x, j);
            double s = 0.0;
            for (ptrdiff_t k = 0; k < d; ++k) s += element(dt, xi, k) * element(dt, xj, k);
            c[i * ldc + j] += s;
        }
}
