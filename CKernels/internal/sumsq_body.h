/* sumsq_body.h — the row sum-of-squares micro-kernel, written once (contract in fk_dispatch.h:
 * fk_mk_sumsq): out[i] = Σ_j x_ij² in double for m rows of w elements.
 *
 * Include after fk_simd.h with SQ_NAME, SQ_T, SQ_LOAD (widening vector loader) and SQ_SCALAR defined;
 * they are undefined again at the end.  Four double accumulators per row keep the FMA pipes busy, so
 * the kernel runs at memory bandwidth (the T = 1 ghost norm). */

static FK_TARGET void SQ_NAME(ptrdiff_t m, ptrdiff_t w, const void *xv, ptrdiff_t ldx, double *restrict out) {
    const SQ_T *x = (const SQ_T *)xv;
    const ptrdiff_t L = FK_VD_LANES;
    for (ptrdiff_t i = 0; i < m; ++i) {
        const SQ_T *row = x + i * ldx;
        fk_vd s0 = FK_VD_ZERO(), s1 = FK_VD_ZERO(), s2 = FK_VD_ZERO(), s3 = FK_VD_ZERO();
        ptrdiff_t j = 0;
        for (; j + 4 * L <= w; j += 4 * L) {
            fk_vd a0 = SQ_LOAD(row + j), a1 = SQ_LOAD(row + j + L);
            fk_vd a2 = SQ_LOAD(row + j + 2 * L), a3 = SQ_LOAD(row + j + 3 * L);
            s0 = FK_VD_FMA(a0, a0, s0);
            s1 = FK_VD_FMA(a1, a1, s1);
            s2 = FK_VD_FMA(a2, a2, s2);
            s3 = FK_VD_FMA(a3, a3, s3);
        }
        for (; j + L <= w; j += L) {
            fk_vd a0 = SQ_LOAD(row + j);
            s0 = FK_VD_FMA(a0, a0, s0);
        }
        double total = fk_vd_hsum(FK_VD_ADD(FK_VD_ADD(s0, s1), FK_VD_ADD(s2, s3)));
        for (; j < w; ++j) {
            double v = SQ_SCALAR(row + j);
            total += v * v;
        }
        out[i] = total;
    }
}

#undef SQ_NAME
#undef SQ_T
#undef SQ_LOAD
#undef SQ_SCALAR
