/* syrk.c — the Fisher block entry points fk_syrk_*: argument checks, the reference or the packed engine
 * (syrk_engine.c), the non-finite check on the diagonal and the optional mirror. */
#include <math.h>
#include "fk_outer.h"
#include "fk_ref.h"

/* After an accumulation into the d×d upper triangle of c: a non-finite diagonal entry means a NaN/Inf in
 * the input (FK_NONFINITE, first offending row) or, with finite input, a float32 overflow (FK_OVERFLOW). */
static fk_status check_diagonal(fk_dtype dt, ptrdiff_t n, ptrdiff_t d, const fk_rows *rows, const double *c,
                                ptrdiff_t ldc, ptrdiff_t *first_bad) {
    for (ptrdiff_t j = 0; j < d; ++j)
        if (!isfinite(c[j * ldc + j])) {
            ptrdiff_t bad = fk_first_nonfinite_row(dt, rows, 0, n, d);
            if (first_bad) *first_bad = bad;
            return bad >= 0 ? FK_NONFINITE : FK_OVERFLOW;
        }
    return FK_OK;
}

static fk_status syrk(fk_dtype dt, ptrdiff_t n, ptrdiff_t d, const void *g, ptrdiff_t ldg, double *c,
                      ptrdiff_t ldc, fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (n < 0 || d < 0 || (n > 1 && ldg < d) || (n > 0 && d > 0 && !g) || (d > 0 && (!c || ldc < d)) ||
        (fill != FK_FILL_UPPER && fill != FK_FILL_FULL))
        return FK_BAD_ARGUMENT;
    if (first_bad) *first_bad = -1;
    if (d == 0) return FK_OK;
    fk_rows rows = fk_rows_2d(g, dt, ldg);
    if (isa == FK_ISA_REFERENCE) {
        fk_ref_outer(dt, n, &rows, d, &rows, d, 1, c, ldc);
    } else {
        st = fk_outer_engine(&fk_kernels_for(isa)->outer[dt], n, &rows, d, &rows, d, 1, c, ldc, threads);
        if (st != FK_OK) return st;
    }
    st = check_diagonal(dt, n, d, &rows, c, ldc, first_bad);
    if (st == FK_OK && fill == FK_FILL_FULL) fk_mirror_upper(d, c, ldc, threads);
    return st;
}

fk_status fk_syrk_f32(ptrdiff_t n, ptrdiff_t d, const float *g, ptrdiff_t ldg, double *c, ptrdiff_t ldc,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg) {
    return syrk(FK_DT_F32, n, d, g, ldg, c, ldc, fill, first_bad, cfg);
}
fk_status fk_syrk_f64(ptrdiff_t n, ptrdiff_t d, const double *g, ptrdiff_t ldg, double *c, ptrdiff_t ldc,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg) {
    return syrk(FK_DT_F64, n, d, g, ldg, c, ldc, fill, first_bad, cfg);
}
