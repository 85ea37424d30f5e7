/* dispatch.c — chooses the variant once per process and resolves per-call configurations. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "fk_dispatch.h"
#include "fk_omp.h"

static int cpu_has(fk_isa isa) {
    switch (isa) {
    case FK_ISA_AUTO:
    case FK_ISA_REFERENCE:
    case FK_ISA_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case FK_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    case FK_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#endif
    default:
        return 0;
    }
}

int fk_isa_supported(fk_isa isa) { return cpu_has(isa); }

const char *fk_isa_name(fk_isa isa) {
    switch (isa) {
    case FK_ISA_AUTO: return "auto";
    case FK_ISA_REFERENCE: return "reference";
    case FK_ISA_PORTABLE: return "portable";
    case FK_ISA_AVX2: return "avx2";
    case FK_ISA_AVX512: return "avx512";
    }
    return "unknown";
}

static fk_isa choose_default(void) {
    const char *forced = getenv("FISHERTRACE_ISA");
    if (forced && *forced) {
        for (int v = FK_ISA_REFERENCE; v <= FK_ISA_AVX512; ++v)
            if (strcmp(forced, fk_isa_name((fk_isa)v)) == 0 && cpu_has((fk_isa)v)) return (fk_isa)v;
        /* An unknown or unsupported name falls through to the best supported variant. */
    }
    if (cpu_has(FK_ISA_AVX512)) return FK_ISA_AVX512;
    if (cpu_has(FK_ISA_AVX2)) return FK_ISA_AVX2;
    return FK_ISA_PORTABLE;
}

static _Atomic int chosen_isa = FK_ISA_AUTO;

fk_isa fk_default_isa(void) {
    int isa = atomic_load_explicit(&chosen_isa, memory_order_acquire);
    if (isa == FK_ISA_AUTO) {
        isa = choose_default(); /* idempotent: a racing thread computes the same answer */
        atomic_store_explicit(&chosen_isa, isa, memory_order_release);
    }
    return (fk_isa)isa;
}

const fk_kernels *fk_kernels_for(fk_isa isa) {
    if (isa == FK_ISA_AUTO) isa = fk_default_isa();
    if (!cpu_has(isa)) return NULL;
    switch (isa) {
    case FK_ISA_PORTABLE: return &fk_kernels_portable;
#if defined(__x86_64__)
    case FK_ISA_AVX2: return &fk_kernels_avx2;
    case FK_ISA_AVX512: return &fk_kernels_avx512;
#endif
    default: return NULL;
    }
}

int fk_openmp_enabled(void) {
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

int fk_default_threads(void) {
    int t = FK_OMP_MAX_THREADS();
    return t > 0 ? t : 1;
}

fk_status fk_resolve_config(const fk_config *cfg, fk_isa *isa, int *threads) {
    fk_isa want = cfg ? cfg->isa : FK_ISA_AUTO;
    int t = cfg ? cfg->threads : 0;
    if (want == FK_ISA_AUTO) want = fk_default_isa();
    if (!cpu_has(want)) return FK_UNSUPPORTED;
    if (t < 0) return FK_BAD_ARGUMENT;
    if (t == 0) t = fk_default_threads();
    if (!fk_openmp_enabled()) t = 1;
    *isa = want;
    *threads = t;
    return FK_OK;
}
