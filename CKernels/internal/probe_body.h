/* probe_body.h — the peak-FMA probe micro-kernel, written once over fk_simd_outer.h's float vectors.
 *
 * FK_PROBE_CHAINS independent accumulators stay in registers, each updated by one float32 FMA per round:
 * more chains than FMA latency × FMA units, so the loop runs at the core's FMA throughput.  (The portable
 * variant has no FMA instruction to rely on: it multiplies and adds, still two flops per lane.) */
enum { FK_PROBE_CHAINS = 12 };

static FK_TARGET double FK_VARIANT(mk_fma_probe)(ptrdiff_t rounds, float *sink) {
    fk_vs acc[FK_PROBE_CHAINS];
    const fk_vs scale = FK_VS_SET1(0.999999f), shift = FK_VS_SET1(1e-7f);
    for (int c = 0; c < FK_PROBE_CHAINS; ++c) acc[c] = FK_VS_SET1((float)c);
    for (ptrdiff_t r = 0; r < rounds; ++r)
        for (int c = 0; c < FK_PROBE_CHAINS; ++c) acc[c] = FK_VS_FMA(acc[c], scale, shift);
    fk_vs total = acc[0];
    for (int c = 1; c < FK_PROBE_CHAINS; ++c) total = FK_VS_FMA(acc[c], FK_VS_SET1(1.0f), total);
    *sink = fk_vs_hsum(total);  /* keeps the loop alive */
    return (double)rounds * FK_PROBE_CHAINS * FK_VS_LANES * 2;
}
