/* The AVX-512 variant (x86-64 only; selected at run time when the CPU has AVX-512 F/BW/VL/DQ). */
#if defined(__x86_64__)
#define FK_SIMD_AVX512
#define FK_VARIANT_ISA FK_ISA_AVX512
#include "fk_variant.h"
#endif
