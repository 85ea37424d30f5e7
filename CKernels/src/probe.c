/* probe.c — the peak-FMA probe driver: one register-resident FMA loop per thread. */
#include "fk_dispatch.h"
#include "fk_omp.h"

fk_status fk_fma_probe(ptrdiff_t rounds, double *flops, const fk_config *cfg) {
    fk_isa isa;
    int threads;
    fk_status st = fk_resolve_config(cfg, &isa, &threads);
    if (st != FK_OK) return st;
    if (rounds < 0 || !flops) return FK_BAD_ARGUMENT;
    const fk_kernels *k = fk_kernels_for(isa == FK_ISA_REFERENCE ? FK_ISA_PORTABLE : isa);
    float sinks[256];
    double per_thread = 0;
    if (threads > 256) threads = 256;
#pragma omp parallel for schedule(static, 1) num_threads(threads) if (threads > 1)
    for (int t = 0; t < threads; ++t) {
        double done = k->fma_probe(rounds, &sinks[t]);
        if (t == 0) per_thread = done;
    }
    *flops = per_thread * threads;
    return FK_OK;
}
