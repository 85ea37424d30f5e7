/* fk_simd_outer.h — working-precision vectors and register-tile shapes for the outer-product kernels
 * (Fisher block, Gram matrix, ghost norms, K-FAC), beside fk_simd.h's double vectors.
 *
 * Include after fk_simd.h (which selects the variant).  Per variant it defines:
 *   - fk_vs, float32 vectors of FK_VS_LANES lanes: FK_VS_ZERO/LOAD/SET1/FMA, FK_VS_LOADN(p, n) (the first
 *     n < FK_VS_LANES elements, the rest zero) and fk_vs_add_to_f64(c, v): c[l] += (double)v[l];
 *   - the double counterparts FK_VD_SET1, FK_VD_LOADN and fk_vd_add_to_f64;
 *   - fk_vs_hsum: a horizontal float sum in a fixed pairwise order (fk_vd_hsum is in fk_simd.h);
 *   - the register tiles: the outer-product tile is MR rows (broadcast operand) × NV vectors (NR =
 *     NV·lanes columns), both read from panels PW = lcm(MR, NR) wide; the dot-product tile is DR × DC
 *     rows; each fits the variant's vector registers (32 for AVX-512, 16 for AVX2 and SSE2).
 * Every helper has a fixed order of operations, so results do not depend on where a tile sits. */
#ifndef FK_SIMD_OUTER_H
#define FK_SIMD_OUTER_H

#if defined(FK_SIMD_AVX512)
typedef __m512 fk_vs;
#define FK_VS_LANES 16
#define FK_VS_ZERO() _mm512_setzero_ps()
#define FK_VS_LOAD(p) _mm512_loadu_ps(p)
#define FK_VS_LOADN(p, n) _mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1u), (p))
#define FK_VS_SET1(x) _mm512_set1_ps(x)
#define FK_VS_FMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define FK_VD_SET1(x) _mm512_set1_pd(x)
#define FK_VD_LOADN(p, n) _mm512_maskz_loadu_pd((__mmask8)((1u << (n)) - 1u), (p))

static inline FK_TARGET void fk_vs_add_to_f64(double *c, fk_vs v) {
    __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(v));
    __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    _mm512_storeu_pd(c, _mm512_add_pd(_mm512_loadu_pd(c), lo));
    _mm512_storeu_pd(c + 8, _mm512_add_pd(_mm512_loadu_pd(c + 8), hi));
}

/* Sixteen horizontal sums at once (lane i of the result = Σ lanes of v[i]): four folding rounds of
 * shuffles and adds, about 3 instructions per input vector instead of ~8 for separate sums. */
#define FK_VS_HAVE_REDUCE16 1
static inline FK_TARGET fk_vs fk_vs_reduce16(const fk_vs v[16]) {
    __m512 u[8], w[4], x[2];
    for (int p = 0; p < 8; ++p)  /* halves of 512: [v2p: 8 lanes | v2p+1: 8 lanes] */
        u[p] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * p], v[2 * p + 1], 0x44),
                             _mm512_shuffle_f32x4(v[2 * p], v[2 * p + 1], 0xEE));
    for (int q = 0; q < 4; ++q)  /* quarters: four groups of 4 lanes */
        w[q] = _mm512_add_ps(_mm512_shuffle_f32x4(u[2 * q], u[2 * q + 1], 0x88),
                             _mm512_shuffle_f32x4(u[2 * q], u[2 * q + 1], 0xDD));
    for (int r = 0; r < 2; ++r) { /* pairs within each 128-bit lane */
        __m512d a = _mm512_castps_pd(w[2 * r]), b = _mm512_castps_pd(w[2 * r + 1]);
        x[r] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(a, b)), _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)));
    }
    __m512 y = _mm512_add_ps(_mm512_shuffle_ps(x[0], x[1], 0x88), _mm512_shuffle_ps(x[0], x[1], 0xDD));
    /* y's lane 4j+m holds the sum of v[4m+j] (a 4×4 transpose, its own inverse): undo it. */
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    return _mm512_permutexvar_ps(order, y);
}

#define FK_OUTER_MR_F32 12
#define FK_OUTER_NV_F32 2 /* 12 × 32 floats: 24 accumulators */
#define FK_OUTER_PW_F32 96
#define FK_OUTER_MR_F64 12
#define FK_OUTER_NV_F64 2 /* 12 × 16 doubles */
#define FK_OUTER_PW_F64 48
#define FK_DOT_DR 4
#define FK_DOT_DC 4       /* 16 accumulators, 8 loads per 16 FMAs */

#elif defined(FK_SIMD_AVX2)
typedef __m256 fk_vs;
#define FK_VS_LANES 8
#define FK_VS_ZERO() _mm256_setzero_ps()
#define FK_VS_LOAD(p) _mm256_loadu_ps(p)
#define FK_VS_SET1(x) _mm256_set1_ps(x)
#define FK_VS_FMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define FK_VD_SET1(x) _mm256_set1_pd(x)

static const int32_t fk_avx2_tail_mask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
#define FK_VS_LOADN(p, n) \
    _mm256_maskload_ps((p), _mm256_loadu_si256((const __m256i *)(const void *)(fk_avx2_tail_mask + 8 - (n))))
static inline FK_TARGET __m256d fk_avx2_loadn_pd(const double *p, int n) {
    __m128i m32 = _mm_loadu_si128((const __m128i *)(const void *)(fk_avx2_tail_mask + 8 - n));
    return _mm256_maskload_pd(p, _mm256_cvtepi32_epi64(m32));
}
#define FK_VD_LOADN(p, n) fk_avx2_loadn_pd((p), (n))

static inline FK_TARGET void fk_vs_add_to_f64(double *c, fk_vs v) {
    __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(v)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
    _mm256_storeu_pd(c, _mm256_add_pd(_mm256_loadu_pd(c), lo));
    _mm256_storeu_pd(c + 4, _mm256_add_pd(_mm256_loadu_pd(c + 4), hi));
}

#define FK_OUTER_MR_F32 6
#define FK_OUTER_NV_F32 2 /* 6 × 16 floats: 12 accumulators */
#define FK_OUTER_PW_F32 48
#define FK_OUTER_MR_F64 6
#define FK_OUTER_NV_F64 2 /* 6 × 8 doubles */
#define FK_OUTER_PW_F64 24
#define FK_DOT_DR 2
#define FK_DOT_DC 4

#elif defined(FK_SIMD_PORTABLE)
typedef float fk_vs __attribute__((vector_size(16)));
#define FK_VS_LANES 4
static inline fk_vs fk_vs_load(const float *p) { fk_vs v; memcpy(&v, p, sizeof v); return v; }
static inline fk_vs fk_vs_loadn(const float *p, int n) {
    fk_vs v = {0, 0, 0, 0};
    memcpy(&v, p, (size_t)n * sizeof(float));
    return v;
}
static inline fk_vd fk_vd_loadn(const double *p, int n) {
    fk_vd v = {0, 0};
    memcpy(&v, p, (size_t)n * sizeof(double));
    return v;
}
#define FK_VS_ZERO() ((fk_vs){0, 0, 0, 0})
#define FK_VS_LOAD(p) fk_vs_load(p)
#define FK_VS_LOADN(p, n) fk_vs_loadn((p), (n))
#define FK_VS_SET1(x) ((fk_vs){(x), (x), (x), (x)})
#define FK_VS_FMA(a, b, c) ((a) * (b) + (c))
#define FK_VD_SET1(x) ((fk_vd){(x), (x)})
#define FK_VD_LOADN(p, n) fk_vd_loadn((p), (n))

static inline void fk_vs_add_to_f64(double *c, fk_vs v) {
    for (int l = 0; l < FK_VS_LANES; ++l) c[l] += (double)v[l];
}

#define FK_OUTER_MR_F32 6
#define FK_OUTER_NV_F32 2 /* 6 × 8 floats */
#define FK_OUTER_PW_F32 24
#define FK_OUTER_MR_F64 6
#define FK_OUTER_NV_F64 2 /* 6 × 4 doubles */
#define FK_OUTER_PW_F64 12
#define FK_DOT_DR 2
#define FK_DOT_DC 4
#endif

static inline FK_TARGET void fk_vd_add_to_f64(double *c, fk_vd v) { FK_VD_STORE(c, FK_VD_ADD(FK_VD_LOAD(c), v)); }

/* Horizontal float sum in a fixed order (lane pairs, then pairs of pairs). */
static inline FK_TARGET float fk_vs_hsum(fk_vs v) {
    float lane[FK_VS_LANES];
    memcpy(lane, &v, sizeof lane);
    for (int width = FK_VS_LANES / 2; width >= 1; width /= 2)
        for (int k = 0; k < width; ++k) lane[k] += lane[k + width];
    return lane[0];
}

#endif
