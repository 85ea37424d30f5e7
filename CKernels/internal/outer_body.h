/* outer_body.h — the outer-product micro-kernel and its packing routine, written once
 * (contracts in fk_dispatch.h: fk_mk_outer, fk_pack_panels).
 *
 * Include after fk_simd.h and fk_simd_outer.h with defined:
 *   OB_KERNEL, OB_PACK                  function names
 *   OB_T                                element type (float or double; also the working precision)
 *   OB_V, OB_LANES, OB_ZERO, OB_LOAD, OB_SET1, OB_FMA, OB_ADD_F64   vectors of OB_T
 *   OB_MR, OB_NV                        the register tile: OB_MR broadcast rows × OB_NV vectors
 *   OB_PW                               the packed panel width, a multiple of OB_MR and of OB_NR
 * They are undefined again at the end.
 *
 * The kernel keeps the OB_MR × OB_NR tile in registers for the whole k-block (products and sums in OB_T,
 * fused multiply-adds in k order), then adds it into the double tile c: one conversion per k-block, so
 * float32 rounding errors grow with the block length, not with the total row count. */
#define OB_NR (OB_NV * OB_LANES)

static FK_TARGET void OB_KERNEL(ptrdiff_t kc, const void *ap, ptrdiff_t lda, const void *bp, ptrdiff_t ldb,
                                double *restrict c, ptrdiff_t ldc) {
    const OB_T *a = (const OB_T *)ap, *b = (const OB_T *)bp;
    OB_V acc[OB_MR][OB_NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < OB_MR; ++r)
#pragma clang loop unroll(full)
        for (int v = 0; v < OB_NV; ++v) acc[r][v] = OB_ZERO();
    for (ptrdiff_t k = 0; k < kc; ++k) {
        OB_V bv[OB_NV];
#pragma clang loop unroll(full)
        for (int v = 0; v < OB_NV; ++v) bv[v] = OB_LOAD(b + k * ldb + v * OB_LANES);
#pragma clang loop unroll(full)
        for (int r = 0; r < OB_MR; ++r) {
            OB_V ar = OB_SET1(a[k * lda + r]);
#pragma clang loop unroll(full)
            for (int v = 0; v < OB_NV; ++v) acc[r][v] = OB_FMA(ar, bv[v], acc[r][v]);
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < OB_MR; ++r)
#pragma clang loop unroll(full)
        for (int v = 0; v < OB_NV; ++v) OB_ADD_F64(c + r * ldc + v * OB_LANES, acc[r][v]);
}

/* Copies columns [c0, c0+w) of rows rows[0..kc) into ⌈w/P⌉ panels of P columns (panel q at
 * dst + q·panel_stride elements, row k of it at +k·P), the last one zero-padded.  Rows are taken eight
 * at a time: eight read streams along the rows, and every panel receives 8·P contiguous elements. */
#define OB_DEFINE_PACK(NAME, P)                                                                     \
    static FK_TARGET void NAME(ptrdiff_t kc, ptrdiff_t w, const void *const *rows, ptrdiff_t c0,     \
                               void *dstv, ptrdiff_t panel_stride) {                                 \
        OB_T *dst = (OB_T *)dstv;                                                                    \
        ptrdiff_t full = w / (P), rest = w - full * (P);                                             \
        for (ptrdiff_t k0 = 0; k0 < kc; k0 += 8) {                                                   \
            ptrdiff_t kn = kc - k0 < 8 ? kc - k0 : 8;                                                \
            const OB_T *src[8];                                                                      \
            for (ptrdiff_t k = 0; k < kn; ++k) src[k] = (const OB_T *)rows[k0 + k] + c0;             \
            for (ptrdiff_t q = 0; q < full; ++q) {                                                   \
                OB_T *out = dst + q * panel_stride + k0 * (P);                                       \
                for (ptrdiff_t k = 0; k < kn; ++k)                                                   \
                    for (int j = 0; j < (P); ++j) out[k * (P) + j] = src[k][q * (P) + j];            \
            }                                                                                        \
            if (rest) {                                                                              \
                OB_T *out = dst + full * panel_stride + k0 * (P);                                    \
                for (ptrdiff_t k = 0; k < kn; ++k) {                                                 \
                    for (ptrdiff_t j = 0; j < rest; ++j) out[k * (P) + j] = src[k][full * (P) + j];  \
                    for (ptrdiff_t j = rest; j < (P); ++j) out[k * (P) + j] = 0;                     \
                }                                                                                    \
            }                                                                                        \
        }                                                                                            \
    }

OB_DEFINE_PACK(OB_PACK, OB_PW)

#undef OB_DEFINE_PACK
#undef OB_NR
#undef OB_KERNEL
#undef OB_PACK
#undef OB_PW
#undef OB_T
#undef OB_V
#undef OB_LANES
#undef OB_ZERO
#undef OB_LOAD
#undef OB_SET1
#undef OB_FMA
#undef OB_ADD_F64
#undef OB_MR
#undef OB_NV
