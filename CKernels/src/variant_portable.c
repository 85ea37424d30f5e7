/* The portable variant: generic C vectors, built for the baseline of the target (any x86-64, arm64). */
#define FK_SIMD_PORTABLE
#define FK_VARIANT_ISA FK_ISA_PORTABLE
#include "fk_variant.h"
