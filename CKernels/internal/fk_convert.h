/* fk_convert.h — scalar conversions of every input type to double, shared by all variants. */
#ifndef FK_CONVERT_H
#define FK_CONVERT_H

#include <stdint.h>
#include <string.h>

/* IEEE binary16 → double, exact for every pattern (subnormals, ±Inf, NaN). */
static inline double fk_f16_to_double(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15), exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    double magnitude;
    if (exponent == 0) {
        magnitude = (double)mantissa * 0x1p-24;                     /* zero or subnormal */
    } else if (exponent == 31) {
        magnitude = mantissa ? __builtin_nan("") : __builtin_inf();
    } else {
        magnitude = (double)(mantissa | 0x400) * __builtin_ldexp(1.0, (int)exponent - 25);
    }
    return sign ? -magnitude : magnitude;
}

/* bfloat16 → double: the pattern is the upper half of a binary32. */
static inline double fk_bf16_to_double(uint16_t b) {
    uint32_t bits = (uint32_t)b << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return (double)f;
}

#define FK_SCALAR_F32(p) ((double)*(p))
#define FK_SCALAR_F64(p) (*(p))
#define FK_SCALAR_F16(p) fk_f16_to_double(*(p))
#define FK_SCALAR_BF16(p) fk_bf16_to_double(*(p))

#endif
