/* fk_simd.h — the one SIMD layer: a kernel body is written once against these macros and compiled
 * once per variant.  Define exactly one of FK_SIMD_AVX512, FK_SIMD_AVX2, FK_SIMD_PORTABLE before
 * including.  Everything here works on vectors of doubles (fk_vd, FK_VD_LANES lanes); the loaders
 * FK_LOAD_<T>(p) read FK_VD_LANES elements of an input type and widen them exactly to double.
 * FK_TARGET marks every function that uses the layer (function-level target attributes: no global
 * -m flags, so a binary built here runs on any x86-64 and picks its variant at run time). */
#ifndef FK_SIMD_H
#define FK_SIMD_H

#include <stdint.h>
#include <string.h>
#include "fk_convert.h"

#define FK_CAT_(a, b) a##b
#define FK_CAT(a, b) FK_CAT_(a, b)
/* FK_VARIANT(name) appends the variant's suffix to a literal name; FK_VARIANT_X first expands its
 * argument, for names built by other macros. */
#define FK_VARIANT_X(name) FK_VARIANT(name)

#if defined(FK_SIMD_AVX512)
#include <immintrin.h>
#define FK_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))
#define FK_VARIANT(name) name##_avx512
typedef __m512d fk_vd;
#define FK_VD_LANES 8
#define FK_VD_ZERO() _mm512_setzero_pd()
#define FK_VD_LOAD(p) _mm512_loadu_pd(p)
#define FK_VD_STORE(p, v) _mm512_storeu_pd((p), (v))
#define FK_VD_ADD(a, b) _mm512_add_pd((a), (b))
#define FK_VD_FMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define FK_LOAD_F32(p) _mm512_cvtps_pd(_mm256_loadu_ps(p))
#define FK_LOAD_F64(p) _mm512_loadu_pd(p)
#define FK_LOAD_F16(p) _mm512_cvtps_pd(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(p))))
#define FK_LOAD_BF16(p) \
    _mm512_cvtps_pd(_mm256_castsi256_ps(_mm256_slli_epi32( \
        _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(const void *)(p))), 16)))

#elif defined(FK_SIMD_AVX2)
#include <immintrin.h>
#define FK_TARGET __attribute__((target("avx2,fma,f16c")))
#define FK_VARIANT(name) name##_avx2
typedef __m256d fk_vd;
#define FK_VD_LANES 4
#define FK_VD_ZERO() _mm256_setzero_pd()
#define FK_VD_LOAD(p) _mm256_loadu_pd(p)
#define FK_VD_STORE(p, v) _mm256_storeu_pd((p), (v))
#define FK_VD_ADD(a, b) _mm256_add_pd((a), (b))
#define FK_VD_FMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define FK_LOAD_F32(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#define FK_LOAD_F64(p) _mm256_loadu_pd(p)
#define FK_LOAD_F16(p) _mm256_cvtps_pd(_mm_cvtph_ps(_mm_loadl_epi64((const __m128i *)(const void *)(p))))
#define FK_LOAD_BF16(p) \
    _mm256_cvtps_pd(_mm_castsi128_ps(_mm_slli_epi32( \
        _mm_cvtepu16_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(p))), 16)))

#elif defined(FK_SIMD_PORTABLE)
/* Generic 128-bit vectors: the compiler lowers them to SSE2 on baseline x86-64 and to NEON on arm64. */
#define FK_TARGET
#define FK_VARIANT(name) name##_portable
typedef double fk_vd __attribute__((vector_size(16)));
#define FK_VD_LANES 2
static inline fk_vd fk_vd_load(const double *p) { fk_vd v; memcpy(&v, p, sizeof v); return v; }
static inline void fk_vd_store(double *p, fk_vd v) { memcpy(p, &v, sizeof v); }
#define FK_VD_ZERO() ((fk_vd){0, 0})
#define FK_VD_LOAD(p) fk_vd_load(p)
#define FK_VD_STORE(p, v) fk_vd_store((p), (v))
#define FK_VD_ADD(a, b) ((a) + (b))
#define FK_VD_FMA(a, b, c) ((a) * (b) + (c))
#define FK_LOAD_F32(p) ((fk_vd){(p)[0], (p)[1]})
#define FK_LOAD_F64(p) fk_vd_load(p)
#define FK_LOAD_F16(p) ((fk_vd){fk_f16_to_double((p)[0]), fk_f16_to_double((p)[1])})
#define FK_LOAD_BF16(p) ((fk_vd){fk_bf16_to_double((p)[0]), fk_bf16_to_double((p)[1])})

#else
#error "define FK_SIMD_AVX512, FK_SIMD_AVX2 or FK_SIMD_PORTABLE before including fk_simd.h"
#endif

/* Horizontal sum in a fixed order (lane pairs, then pairs of pairs), the same on every call. */
static inline FK_TARGET double fk_vd_hsum(fk_vd v) {
    double lane[FK_VD_LANES];
    FK_VD_STORE(lane, v);
    for (int width = FK_VD_LANES / 2; width >= 1; width /= 2)
        for (int k = 0; k < width; ++k) lane[k] += lane[k + width];
    return lane[0];
}

#endif
