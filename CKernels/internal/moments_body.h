/* moments_body.h — the moments micro-kernel, written once (see fk_dispatch.h for its contract).
 *
 * Include after fk_simd.h with MB_NAME (function name), MB_T (element type), MB_LOAD (vector loader),
 * MB_SCALAR (scalar loader), MB_ROW_SUMS and MB_COL_SQUARES (0 or 1: whether the optional outputs are
 * computed; the mandatory ones are row sums of squares and column sums) defined; the first four are
 * undefined again at the end (moments_types.h owns the flags).  Dropping an output removes its adds from the loop: the kernel is close to compute-bound
 * at DRAM speed on one core, so each saved operation shows.  Rows are taken four at a time so each
 * column accumulator is loaded and stored once per four rows; within a column the rows are added in
 * order, so the column sums do not depend on how rows are grouped. */

#if MB_ROW_SUMS
#define MB_IF_ROW_SUMS(...) __VA_ARGS__
#else
#define MB_IF_ROW_SUMS(...)
#endif
#if MB_COL_SQUARES
#define MB_IF_COL_SQUARES(...) __VA_ARGS__
#else
#define MB_IF_COL_SQUARES(...)
#endif

static FK_TARGET void MB_NAME(ptrdiff_t m, ptrdiff_t w, const void *xv, ptrdiff_t ldx,
                              double *restrict col_sum, double *restrict col_sq,
                              double *restrict row_sum, double *restrict row_sq)
{
    const MB_T *x = (const MB_T *)xv;
    const ptrdiff_t L = FK_VD_LANES;
    (void)col_sq;
    (void)row_sum;
    ptrdiff_t i = 0;
    for (; i + 4 <= m; i += 4) {
        const MB_T *x0 = x + i * ldx, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
        MB_IF_ROW_SUMS(fk_vd s0 = FK_VD_ZERO(); fk_vd s1 = FK_VD_ZERO(); fk_vd s2 = FK_VD_ZERO(); fk_vd s3 = FK_VD_ZERO();)
        fk_vd q0 = FK_VD_ZERO(), q1 = FK_VD_ZERO(), q2 = FK_VD_ZERO(), q3 = FK_VD_ZERO();
        ptrdiff_t j = 0;
        for (; j + L <= w; j += L) {
            fk_vd a0 = MB_LOAD(x0 + j), a1 = MB_LOAD(x1 + j), a2 = MB_LOAD(x2 + j), a3 = MB_LOAD(x3 + j);
            fk_vd c = FK_VD_LOAD(col_sum + j);
            FK_VD_STORE(col_sum + j, FK_VD_ADD(FK_VD_ADD(FK_VD_ADD(FK_VD_ADD(c, a0), a1), a2), a3));
            MB_IF_COL_SQUARES(
                fk_vd c2 = FK_VD_LOAD(col_sq + j);
                FK_VD_STORE(col_sq + j, FK_VD_FMA(a3, a3, FK_VD_FMA(a2, a2, FK_VD_FMA(a1, a1, FK_VD_FMA(a0, a0, c2)))));)
            MB_IF_ROW_SUMS(s0 = FK_VD_ADD(s0, a0); s1 = FK_VD_ADD(s1, a1); s2 = FK_VD_ADD(s2, a2); s3 = FK_VD_ADD(s3, a3);)
            q0 = FK_VD_FMA(a0, a0, q0);
            q1 = FK_VD_FMA(a1, a1, q1);
            q2 = FK_VD_FMA(a2, a2, q2);
            q3 = FK_VD_FMA(a3, a3, q3);
        }
        MB_IF_ROW_SUMS(double rs0 = fk_vd_hsum(s0), rs1 = fk_vd_hsum(s1), rs2 = fk_vd_hsum(s2), rs3 = fk_vd_hsum(s3);)
        double rq0 = fk_vd_hsum(q0), rq1 = fk_vd_hsum(q1), rq2 = fk_vd_hsum(q2), rq3 = fk_vd_hsum(q3);
        for (; j < w; ++j) {
            double a0 = MB_SCALAR(x0 + j), a1 = MB_SCALAR(x1 + j), a2 = MB_SCALAR(x2 + j), a3 = MB_SCALAR(x3 + j);
            double p0 = a0 * a0, p1 = a1 * a1, p2 = a2 * a2, p3 = a3 * a3;
            col_sum[j] = (((col_sum[j] + a0) + a1) + a2) + a3;
            MB_IF_COL_SQUARES(col_sq[j] = (((col_sq[j] + p0) + p1) + p2) + p3;)
            MB_IF_ROW_SUMS(rs0 += a0; rs1 += a1; rs2 += a2; rs3 += a3;)
            rq0 += p0; rq1 += p1; rq2 += p2; rq3 += p3;
        }
        MB_IF_ROW_SUMS(row_sum[i] = rs0; row_sum[i + 1] = rs1; row_sum[i + 2] = rs2; row_sum[i + 3] = rs3;)
        row_sq[i] = rq0; row_sq[i + 1] = rq1; row_sq[i + 2] = rq2; row_sq[i + 3] = rq3;
    }
    for (; i < m; ++i) {
        const MB_T *x0 = x + i * ldx;
        MB_IF_ROW_SUMS(fk_vd s0 = FK_VD_ZERO();)
        fk_vd q0 = FK_VD_ZERO();
        ptrdiff_t j = 0;
        for (; j + L <= w; j += L) {
            fk_vd a0 = MB_LOAD(x0 + j);
            FK_VD_STORE(col_sum + j, FK_VD_ADD(FK_VD_LOAD(col_sum + j), a0));
            MB_IF_COL_SQUARES(FK_VD_STORE(col_sq + j, FK_VD_FMA(a0, a0, FK_VD_LOAD(col_sq + j)));)
            MB_IF_ROW_SUMS(s0 = FK_VD_ADD(s0, a0);)
            q0 = FK_VD_FMA(a0, a0, q0);
        }
        MB_IF_ROW_SUMS(double rs0 = fk_vd_hsum(s0);)
        double rq0 = fk_vd_hsum(q0);
        for (; j < w; ++j) {
            double a0 = MB_SCALAR(x0 + j), p0 = a0 * a0;
            col_sum[j] += a0;
            MB_IF_COL_SQUARES(col_sq[j] += p0;)
            MB_IF_ROW_SUMS(rs0 += a0;)
            rq0 += p0;
        }
        MB_IF_ROW_SUMS(row_sum[i] = rs0;)
        row_sq[i] = rq0;
    }
}

#undef MB_IF_ROW_SUMS
#undef MB_IF_COL_SQUARES
#undef MB_NAME
#undef MB_T
#undef MB_LOAD
#undef MB_SCALAR
