/* The AVX2 + FMA + F16C variant (x86-64 only; selected at run time when the CPU has them). */
#if defined(__x86_64__)
#define FK_SIMD_AVX2
#define FK_VARIANT_ISA FK_ISA_AVX2
#include "fk_variant.h"
#endif
