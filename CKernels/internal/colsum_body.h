/* colsum_body.h — the column-sum micro-kernel, written once (contract in fk_dispatch.h: fk_mk_colsum):
 * col[j] += Σ_{i<m} x[i*ldx + j] in double, rows added in order for every column (so every variant gives
 * the bits of the plain loop).
 *
 * Include after fk_simd.h with CS_NAME, CS_T, CS_LOAD (widening vector loader) and CS_SCALAR defined;
 * they are undefined again at the end.  Rows are taken eight at a time (eight sequential read streams,
 * the column sums loaded and stored once per eight rows); within a column they are added in order. */

static FK_TARGET void CS_NAME(ptrdiff_t m, ptrdiff_t w, const void *xv, ptrdiff_t ldx, double *restrict col) {
    const CS_T *x = (const CS_T *)xv;
    const ptrdiff_t L = FK_VD_LANES;
    for (ptrdiff_t i0 = 0; i0 < m; i0 += 8) { /* eight rows at a time: eight sequential read streams */
        const ptrdiff_t rows = m - i0 < 8 ? m - i0 : 8;
        const CS_T *x0 = x + i0 * ldx;
        ptrdiff_t j = 0;
        for (; j + 4 * L <= w; j += 4 * L) {
            fk_vd c0 = FK_VD_LOAD(col + j), c1 = FK_VD_LOAD(col + j + L);
            fk_vd c2 = FK_VD_LOAD(col + j + 2 * L), c3 = FK_VD_LOAD(col + j + 3 * L);
            for (ptrdiff_t i = 0; i < rows; ++i) {
                const CS_T *row = x0 + i * ldx + j;
                c0 = FK_VD_ADD(c0, CS_LOAD(row));
                c1 = FK_VD_ADD(c1, CS_LOAD(row + L));
                c2 = FK_VD_ADD(c2, CS_LOAD(row + 2 * L));
                c3 = FK_VD_ADD(c3, CS_LOAD(row + 3 * L));
            }
            FK_VD_STORE(col + j, c0);
            FK_VD_STORE(col + j + L, c1);
            FK_VD_STORE(col + j + 2 * L, c2);
            FK_VD_STORE(col + j + 3 * L, c3);
        }
        for (; j + L <= w; j += L) {
            fk_vd c0 = FK_VD_LOAD(col + j);
            for (ptrdiff_t i = 0; i < rows; ++i) c0 = FK_VD_ADD(c0, CS_LOAD(x0 + i * ldx + j));
            FK_VD_STORE(col + j, c0);
        }
        for (; j < w; ++j) {
            double c = col[j];
            for (ptrdiff_t i = 0; i < rows; ++i) c += CS_SCALAR(x0 + i * ldx + j);
            col[j] = c;
        }
    }
}

#undef CS_NAME
#undef CS_T
#undef CS_LOAD
#undef CS_SCALAR
