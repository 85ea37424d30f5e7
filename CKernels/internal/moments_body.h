/* moments_body.h — the moments micro-kernel, written once (see fk_dispatch.h for its contract).
 *
 * Include after fk_simd.h with MB_NAME (function name), MB_T (element type), MB_LOAD (vector loader),
 * MB_SCALAR (scalar loader), MB_ROW_SUMS and MB_COL_SQUARES (0 or 1: whether the optional outputs are
 * computed; the mandatory ones are row sums of squares and column sums) defined; the first four are
 * undefined again at the end (moments_types.h owns the flags).  Dropping an output removes its adds from the loop: the kernel is close to compute-bound
 * at DRAM speed on one core, so each saved operation shows.  Rows are taken eight at a time so each
 * column accumulator is loaded and stored once per eight rows; within a column the rows are added in
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
    enum { R = 8 };  /* rows per step: 8 halves the accumulator traffic of 4 and measured ~10 % faster */
    const MB_T *x = (const MB_T *)xv;
    const ptrdiff_t L = FK_VD_LANES;
    (void)col_sq;
    (void)row_sum;
    ptrdiff_t i = 0;
    for (; i + R <= m; i += R) {
        const MB_T *xr[R];
        fk_vd q[R];
        MB_IF_ROW_SUMS(fk_vd s[R];)
        for (int r = 0; r < R; ++r) {
            xr[r] = x + (i + r) * ldx;
            q[r] = FK_VD_ZERO();
            MB_IF_ROW_SUMS(s[r] = FK_VD_ZERO();)
        }
        ptrdiff_t j = 0;
        for (; j + L <= w; j += L) {
            fk_vd a[R];
            for (int r = 0; r < R; ++r) a[r] = MB_LOAD(xr[r] + j);
            fk_vd c = FK_VD_LOAD(col_sum + j);
            for (int r = 0; r < R; ++r) c = FK_VD_ADD(c, a[r]);
            FK_VD_STORE(col_sum + j, c);
            MB_IF_COL_SQUARES(
                fk_vd c2 = FK_VD_LOAD(col_sq + j);
                for (int r = 0; r < R; ++r) c2 = FK_VD_FMA(a[r], a[r], c2);
                FK_VD_STORE(col_sq + j, c2);)
            for (int r = 0; r < R; ++r) {
                q[r] = FK_VD_FMA(a[r], a[r], q[r]);
                MB_IF_ROW_SUMS(s[r] = FK_VD_ADD(s[r], a[r]);)
            }
        }
        double rq[R];
        MB_IF_ROW_SUMS(double rs[R];)
        for (int r = 0; r < R; ++r) {
            rq[r] = fk_vd_hsum(q[r]);
            MB_IF_ROW_SUMS(rs[r] = fk_vd_hsum(s[r]);)
        }
        for (; j < w; ++j) {
            double c = col_sum[j];
            MB_IF_COL_SQUARES(double c2 = col_sq[j];)
            for (int r = 0; r < R; ++r) {
                double a0 = MB_SCALAR(xr[r] + j), p0 = a0 * a0;
                c += a0;
                MB_IF_COL_SQUARES(c2 += p0;)
                rq[r] += p0;
                MB_IF_ROW_SUMS(rs[r] += a0;)
            }
            col_sum[j] = c;
            MB_IF_COL_SQUARES(col_sq[j] = c2;)
        }
        for (int r = 0; r < R; ++r) {
            row_sq[i + r] = rq[r];
            MB_IF_ROW_SUMS(row_sum[i + r] = rs[r];)
        }
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
