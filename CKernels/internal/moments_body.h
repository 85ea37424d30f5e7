/* moments_body.h — the moments micro-kernel, written once (see fk_dispatch.h for its contract).
 *
 * Include after fk_simd.h with MB_NAME (function name), MB_T (element type), MB_LOAD (vector loader)
 * and MB_SCALAR (scalar loader) defined; they are undefined again at the end.  Rows are taken four at
 * a time so each column accumulator is loaded and stored once per four rows; within a column the rows
 * are added in order, so the column sums do not depend on how rows are grouped. */

static FK_TARGET void MB_NAME(ptrdiff_t m, ptrdiff_t w, const void *xv, ptrdiff_t ldx,
                              double *restrict col_sum, double *restrict col_sq,
                              double *restrict row_sum, double *restrict row_sq)
{
    const MB_T *x = (const MB_T *)xv;
    const ptrdiff_t L = FK_VD_LANES;
    ptrdiff_t i = 0;
    for (; i + 4 <= m; i += 4) {
        const MB_T *x0 = x + i * ldx, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
        fk_vd s0 = FK_VD_ZERO(), s1 = FK_VD_ZERO(), s2 = FK_VD_ZERO(), s3 = FK_VD_ZERO();
        fk_vd q0 = FK_VD_ZERO(), q1 = FK_VD_ZERO(), q2 = FK_VD_ZERO(), q3 = FK_VD_ZERO();
        ptrdiff_t j = 0;
        for (; j + L <= w; j += L) {
            fk_vd a0 = MB_LOAD(x0 + j), a1 = MB_LOAD(x1 + j), a2 = MB_LOAD(x2 + j), a3 = MB_LOAD(x3 + j);
            fk_vd c = FK_VD_LOAD(col_sum + j), c2 = FK_VD_LOAD(col_sq + j);
            c = FK_VD_ADD(FK_VD_ADD(FK_VD_ADD(FK_VD_ADD(c, a0), a1), a2), a3);
            c2 = FK_VD_FMA(a3, a3, FK_VD_FMA(a2, a2, FK_VD_FMA(a1, a1, FK_VD_FMA(a0, a0, c2))));
            FK_VD_STORE(col_sum + j, c);
            FK_VD_STORE(col_sq + j, c2);
            s0 = FK_VD_ADD(s0, a0); q0 = FK_VD_FMA(a0, a0, q0);
            s1 = FK_VD_ADD(s1, a1); q1 = FK_VD_FMA(a1, a1, q1);
            s2 = FK_VD_ADD(s2, a2); q2 = FK_VD_FMA(a2, a2, q2);
            s3 = FK_VD_ADD(s3, a3); q3 = FK_VD_FMA(a3, a3, q3);
        }
        double rs0 = fk_vd_hsum(s0), rs1 = fk_vd_hsum(s1), rs2 = fk_vd_hsum(s2), rs3 = fk_vd_hsum(s3);
        double rq0 = fk_vd_hsum(q0), rq1 = fk_vd_hsum(q1), rq2 = fk_vd_hsum(q2), rq3 = fk_vd_hsum(q3);
        for (; j < w; ++j) {
            double a0 = MB_SCALAR(x0 + j), a1 = MB_SCALAR(x1 + j), a2 = MB_SCALAR(x2 + j), a3 = MB_SCALAR(x3 + j);
            double p0 = a0 * a0, p1 = a1 * a1, p2 = a2 * a2, p3 = a3 * a3;
            col_sum[j] = (((col_sum[j] + a0) + a1) + a2) + a3;
            col_sq[j] = (((col_sq[j] + p0) + p1) + p2) + p3;
            rs0 += a0; rs1 += a1; rs2 += a2; rs3 += a3;
            rq0 += p0; rq1 += p1; rq2 += p2; rq3 += p3;
        }
        row_sum[i] = rs0; row_sum[i + 1] = rs1; row_sum[i + 2] = rs2; row_sum[i + 3] = rs3;
        row_sq[i] = rq0; row_sq[i + 1] = rq1; row_sq[i + 2] = rq2; row_sq[i + 3] = rq3;
    }
    for (; i < m; ++i) {
        const MB_T *x0 = x + i * ldx;
        fk_vd s0 = FK_VD_ZERO(), q0 = FK_VD_ZERO();
        ptrdiff_t j = 0;
        for (; j + L <= w; j += L) {
            fk_vd a0 = MB_LOAD(x0 + j);
            FK_VD_STORE(col_sum + j, FK_VD_ADD(FK_VD_LOAD(col_sum + j), a0));
            FK_VD_STORE(col_sq + j, FK_VD_FMA(a0, a0, FK_VD_LOAD(col_sq + j)));
            s0 = FK_VD_ADD(s0, a0);
            q0 = FK_VD_FMA(a0, a0, q0);
        }
        double rs0 = fk_vd_hsum(s0), rq0 = fk_vd_hsum(q0);
        for (; j < w; ++j) {
            double a0 = MB_SCALAR(x0 + j), p0 = a0 * a0;
            col_sum[j] += a0;
            col_sq[j] += p0;
            rs0 += a0;
            rq0 += p0;
        }
        row_sum[i] = rs0;
        row_sq[i] = rq0;
    }
}

#undef MB_NAME
#undef MB_T
#undef MB_LOAD
#undef MB_SCALAR
