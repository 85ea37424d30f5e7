/* fk_variant.h — the body of one variant's translation unit: instantiates every micro-kernel for every
 * input type with the SIMD layer already selected, and defines the variant's dispatch table. */
#include "fk_simd.h"
#include "fk_dispatch.h"

/* Moments: four micro-kernels per input type, with or without row sums (r) and column squares (q). */
#define MB_ROW_SUMS 0
#define MB_COL_SQUARES 0
#define MB_FLAGS r0q0
#include "moments_types.h"
#define MB_ROW_SUMS 0
#define MB_COL_SQUARES 1
#define MB_FLAGS r0q1
#include "moments_types.h"
#define MB_ROW_SUMS 1
#define MB_COL_SQUARES 0
#define MB_FLAGS r1q0
#include "moments_types.h"
#define MB_ROW_SUMS 1
#define MB_COL_SQUARES 1
#define MB_FLAGS r1q1
#include "moments_types.h"
#define FK_MOMENTS_ROW(tag) \
    {FK_VARIANT(mk_moments_##tag##_r0q0), FK_VARIANT(mk_moments_##tag##_r0q1), \
     FK_VARIANT(mk_moments_##tag##_r1q0), FK_VARIANT(mk_moments_##tag##_r1q1)}

/* Outer products: outer-product, dot-product and sum-of-squares micro-kernels for float32 and float64. */
#include "outer_variant.h"

/* The peak-FMA probe (uses the outer products' float vectors). */
#include "probe_body.h"

const fk_kernels FK_VARIANT(fk_kernels) = {
    .isa = FK_VARIANT_ISA,
    .moments = {
        [FK_DT_F32] = FK_MOMENTS_ROW(f32),
        [FK_DT_F64] = FK_MOMENTS_ROW(f64),
        [FK_DT_F16] = FK_MOMENTS_ROW(f16),
        [FK_DT_BF16] = FK_MOMENTS_ROW(bf16),
    },
    .outer = FK_OUTER_TABLE,
    .fma_probe = FK_VARIANT(mk_fma_probe),
};
