/* moments_types.h — instantiates the moments micro-kernel for every input type, for one combination of
 * the optional outputs: include with MB_ROW_SUMS and MB_COL_SQUARES (0/1) and MB_FLAGS (the name tag,
 * e.g. r0q1) defined; they are undefined at the end. */

#define MB_T float
#define MB_LOAD FK_LOAD_F32
#define MB_SCALAR FK_SCALAR_F32
#define MB_NAME FK_VARIANT_X(FK_CAT(mk_moments_f32_, MB_FLAGS))
#include "moments_body.h"

#define MB_T double
#define MB_LOAD FK_LOAD_F64
#define MB_SCALAR FK_SCALAR_F64
#define MB_NAME FK_VARIANT_X(FK_CAT(mk_moments_f64_, MB_FLAGS))
#include "moments_body.h"

#define MB_T uint16_t
#define MB_LOAD FK_LOAD_F16
#define MB_SCALAR FK_SCALAR_F16
#define MB_NAME FK_VARIANT_X(FK_CAT(mk_moments_f16_, MB_FLAGS))
#include "moments_body.h"

#define MB_T uint16_t
#define MB_LOAD FK_LOAD_BF16
#define MB_SCALAR FK_SCALAR_BF16
#define MB_NAME FK_VARIANT_X(FK_CAT(mk_moments_bf16_, MB_FLAGS))
#include "moments_body.h"

#undef MB_ROW_SUMS
#undef MB_COL_SQUARES
#undef MB_FLAGS
