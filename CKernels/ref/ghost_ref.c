/* ghost_ref.c — the reference ghost norm: materialize each sample's weight gradient Σ_s δ_s a_sᵀ in
 * double and sum its squares; the bias gradient Σ_s δ_s likewise.  The definition, not an algorithm. */
#include <stdlib.h>
#include "fk_ref.h"

static double element(fk_dtype dt, const void *row, ptrdiff_t j) {
    return dt == FK_DT_F64 ? ((const double *)row)[j] : (double)((const float *)row)[j];
}

fk_status fk_ref_ghost(fk_dtype dt, ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out, const fk_rows *a,
                       const fk_rows *delta, double *weight, double *bias) {
    double *g = calloc((size_t)(d_in * d_out + d_out) + 1, sizeof(double));
    if (!g) return FK_NO_MEMORY;
    double *gb = g + d_in * d_out;
    for (ptrdiff_t i = 0; i < n; ++i) {
        for (ptrdiff_t q = 0; q < d_in * d_out + d_out; ++q) g[q] = 0.0;
        for (ptrdiff_t s = 0; s < t; ++s) {
            const void *as = fk_row_ptr(a, i * t + s), *ds = fk_row_ptr(delta, i * t + s);
            for (ptrdiff_t o = 0; o < d_out; ++o) {
                double dv = element(dt, ds, o);
                gb[o] += dv;
                for (ptrdiff_t j = 0; j < d_in; ++j) g[o * d_in + j] += dv * element(dt, as, j);
            }
        }
        double w = 0.0, b = 0.0;
        for (ptrdiff_t q = 0; q < d_in * d_out; ++q) w += g[q] * g[q];
        for (ptrdiff_t o = 0; o < d_out; ++o) b += gb[o] * gb[o];
        weight[i] = w;
        if (bias) bias[i] = b;
    }
    free(g);
    return FK_OK;
}
