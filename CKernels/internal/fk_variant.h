/* fk_variant.h — the body of one variant's translation unit: instantiates every micro-kernel for every
 * input type with the SIMD layer already selected, and defines the variant's dispatch table. */
#include "fk_simd.h"
#include "fk_dispatch.h"

#define MB_NAME FK_VARIANT(mk_moments_f32)
#define MB_T float
#define MB_LOAD FK_LOAD_F32
#define MB_SCALAR FK_SCALAR_F32
#include "moments_body.h"

#define MB_NAME FK_VARIANT(mk_moments_f64)
#define MB_T double
#define MB_LOAD FK_LOAD_F64
#define MB_SCALAR FK_SCALAR_F64
#include "moments_body.h"

#define MB_NAME FK_VARIANT(mk_moments_f16)
#define MB_T uint16_t
#define MB_LOAD FK_LOAD_F16
#define MB_SCALAR FK_SCALAR_F16
#include "moments_body.h"

#define MB_NAME FK_VARIANT(mk_moments_bf16)
#define MB_T uint16_t
#define MB_LOAD FK_LOAD_BF16
#define MB_SCALAR FK_SCALAR_BF16
#include "moments_body.h"

const fk_kernels FK_VARIANT(fk_kernels) = {
    .isa = FK_VARIANT_ISA,
    .moments = {
        [FK_DT_F32] = FK_VARIANT(mk_moments_f32),
        [FK_DT_F64] = FK_VARIANT(mk_moments_f64),
        [FK_DT_F16] = FK_VARIANT(mk_moments_f16),
        [FK_DT_BF16] = FK_VARIANT(mk_moments_bf16),
    },
};
