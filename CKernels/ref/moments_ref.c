/* moments_ref.c — the reference moments kernel: the plainest loops that state the definition.
 * Single-threaded scalar C; every optimized variant is tested against it. */
#include <math.h>
#include "fk_convert.h"
#include "fk_ref.h"

#define REF_MOMENTS(NAME, T, SCALAR)                                                            \
    void NAME(ptrdiff_t n, ptrdiff_t d, const void *xv, ptrdiff_t ldx, double *row_sum,          \
              double *row_sq, double *col_sum, double *col_sq) {                                  \
        const T *x = (const T *)xv;                                                               \
        for (ptrdiff_t i = 0; i < n; ++i) {                                                       \
            double s = 0.0, q = 0.0;                                                              \
            for (ptrdiff_t j = 0; j < d; ++j) {                                                   \
                double v = SCALAR(x + i * ldx + j);                                               \
                s += v;                                                                           \
                q += v * v;                                                                       \
                col_sum[j] += v;                                                                  \
                if (col_sq) col_sq[j] += v * v;                                                   \
            }                                                                                     \
            if (row_sum) row_sum[i] = s;                                                          \
            row_sq[i] = q;                                                                        \
        }                                                                                         \
    }

REF_MOMENTS(fk_ref_moments_f32, float, FK_SCALAR_F32)
REF_MOMENTS(fk_ref_moments_f64, double, FK_SCALAR_F64)
REF_MOMENTS(fk_ref_moments_f16, uint16_t, FK_SCALAR_F16)
REF_MOMENTS(fk_ref_moments_bf16, uint16_t, FK_SCALAR_BF16)
