/* outer_variant.h — instantiates the outer-product micro-kernels (outer_body.h, dot_body.h,
 * sumsq_body.h, colsum_body.h) for float32 and float64 with the variant's SIMD layer, and defines FK_OUTER_TABLE, the
 * initializer of fk_kernels.outer.  Included by fk_variant.h. */
#include "fk_simd_outer.h"

#define OB_KERNEL FK_VARIANT(mk_outer_f32)
#define OB_PACK FK_VARIANT(pack_f32)
#define OB_PW FK_OUTER_PW_F32
#define OB_T float
#define OB_V fk_vs
#define OB_LANES FK_VS_LANES
#define OB_ZERO FK_VS_ZERO
#define OB_LOAD FK_VS_LOAD
#define OB_SET1 FK_VS_SET1
#define OB_FMA FK_VS_FMA
#define OB_ADD_F64 fk_vs_add_to_f64
#define OB_MR FK_OUTER_MR_F32
#define OB_NV FK_OUTER_NV_F32
#include "outer_body.h"

#define OB_KERNEL FK_VARIANT(mk_outer_f64)
#define OB_PACK FK_VARIANT(pack_f64)
#define OB_PW FK_OUTER_PW_F64
#define OB_T double
#define OB_V fk_vd
#define OB_LANES FK_VD_LANES
#define OB_ZERO FK_VD_ZERO
#define OB_LOAD FK_VD_LOAD
#define OB_SET1 FK_VD_SET1
#define OB_FMA FK_VD_FMA
#define OB_ADD_F64 fk_vd_add_to_f64
#define OB_MR FK_OUTER_MR_F64
#define OB_NV FK_OUTER_NV_F64
#include "outer_body.h"

#define DB_KERNEL FK_VARIANT(mk_dot_f32)
#define DB_T float
#define DB_V fk_vs
#define DB_LANES FK_VS_LANES
#define DB_ZERO FK_VS_ZERO
#define DB_LOAD FK_VS_LOAD
#define DB_LOADN FK_VS_LOADN
#define DB_FMA FK_VS_FMA
#define DB_HSUM fk_vs_hsum
#define DB_DR FK_DOT_DR
#define DB_DC FK_DOT_DC
#if defined(FK_VS_HAVE_REDUCE16)
#define DB_REDUCE16 fk_vs_reduce16
#endif
#include "dot_body.h"

#define DB_KERNEL FK_VARIANT(mk_dot_f64)
#define DB_T double
#define DB_V fk_vd
#define DB_LANES FK_VD_LANES
#define DB_ZERO FK_VD_ZERO
#define DB_LOAD FK_VD_LOAD
#define DB_LOADN FK_VD_LOADN
#define DB_FMA FK_VD_FMA
#define DB_HSUM fk_vd_hsum
#define DB_DR FK_DOT_DR
#define DB_DC FK_DOT_DC
#include "dot_body.h"

#define SQ_NAME FK_VARIANT(mk_sumsq_f32)
#define SQ_T float
#define SQ_LOAD FK_LOAD_F32
#define SQ_SCALAR FK_SCALAR_F32
#include "sumsq_body.h"

#define SQ_NAME FK_VARIANT(mk_sumsq_f64)
#define SQ_T double
#define SQ_LOAD FK_LOAD_F64
#define SQ_SCALAR FK_SCALAR_F64
#include "sumsq_body.h"

#define CS_NAME FK_VARIANT(mk_colsum_f32)
#define CS_T float
#define CS_LOAD FK_LOAD_F32
#define CS_SCALAR FK_SCALAR_F32
#include "colsum_body.h"

#define CS_NAME FK_VARIANT(mk_colsum_f64)
#define CS_T double
#define CS_LOAD FK_LOAD_F64
#define CS_SCALAR FK_SCALAR_F64
#include "colsum_body.h"

#define FK_OUTER_ENTRY(tag, MR, NV, LANES, PW)                                                          \
    {.mr = (MR), .nr = (NV) * (LANES), .pw = (PW), .outer = FK_VARIANT(mk_outer_##tag),                 \
     .pack = FK_VARIANT(pack_##tag), .dr = FK_DOT_DR, .dc = FK_DOT_DC, .dot = FK_VARIANT(mk_dot_##tag),  \
     .sumsq = FK_VARIANT(mk_sumsq_##tag), .colsum = FK_VARIANT(mk_colsum_##tag)}
#define FK_OUTER_TABLE                                                                                  \
    {[FK_DT_F32] = FK_OUTER_ENTRY(f32, FK_OUTER_MR_F32, FK_OUTER_NV_F32, FK_VS_LANES, FK_OUTER_PW_F32),  \
     [FK_DT_F64] = FK_OUTER_ENTRY(f64, FK_OUTER_MR_F64, FK_OUTER_NV_F64, FK_VD_LANES, FK_OUTER_PW_F64)}
