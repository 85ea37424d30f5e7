/* dot_body.h — the dot-product micro-kernel, written once (contract in fk_dispatch.h: fk_mk_dot).
 *
 * Include after fk_simd.h and fk_simd_outer.h with defined:
 *   DB_KERNEL                                   function name
 *   DB_T                                        element type = working precision (float or double)
 *   DB_V, DB_LANES, DB_ZERO, DB_LOAD, DB_LOADN, DB_FMA, DB_HSUM   vectors of DB_T
 *   DB_DR, DB_DC                                the tile: DB_DR rows of x against DB_DC rows of y
 *   DB_REDUCE16 (optional)                      sixteen horizontal sums at once, for DR·DC = 16
 * They are undefined again at the end.
 *
 * Each of the DR·DC accumulators sums, lane by lane, the products of k ≡ lane (mod DB_LANES) in k order
 * (the ragged end through a zero-filled partial load); the lanes are then added in a fixed tree, the
 * sum converted to double and added into c.  Rows are contiguous in k and reached through row pointers
 * (any strides, rows repeated at ragged edges), so nothing is packed. */

static FK_TARGET void DB_KERNEL(ptrdiff_t kc, const void *const *xv, const void *const *yv, double *restrict c,
                                ptrdiff_t ldc) {
    const DB_T *x[DB_DR], *y[DB_DC];
#pragma clang loop unroll(full)
    for (int r = 0; r < DB_DR; ++r) x[r] = (const DB_T *)xv[r];
#pragma clang loop unroll(full)
    for (int j = 0; j < DB_DC; ++j) y[j] = (const DB_T *)yv[j];
    DB_V acc[DB_DR * DB_DC];
#pragma clang loop unroll(full)
    for (int q = 0; q < DB_DR * DB_DC; ++q) acc[q] = DB_ZERO();
    ptrdiff_t k = 0;
    for (; k + DB_LANES <= kc; k += DB_LANES) {
        DB_V xr[DB_DR];
#pragma clang loop unroll(full)
        for (int r = 0; r < DB_DR; ++r) xr[r] = DB_LOAD(x[r] + k);
#pragma clang loop unroll(full)
        for (int j = 0; j < DB_DC; ++j) {
            DB_V yj = DB_LOAD(y[j] + k);
#pragma clang loop unroll(full)
            for (int r = 0; r < DB_DR; ++r) acc[r * DB_DC + j] = DB_FMA(xr[r], yj, acc[r * DB_DC + j]);
        }
    }
    if (k < kc) {
        int n = (int)(kc - k);
        DB_V xr[DB_DR];
        for (int r = 0; r < DB_DR; ++r) xr[r] = DB_LOADN(x[r] + k, n);
        for (int j = 0; j < DB_DC; ++j) {
            DB_V yj = DB_LOADN(y[j] + k, n);
            for (int r = 0; r < DB_DR; ++r) acc[r * DB_DC + j] = DB_FMA(xr[r], yj, acc[r * DB_DC + j]);
        }
    }
    DB_T sums[DB_DR * DB_DC];
#if defined(DB_REDUCE16)
    _Static_assert(DB_DR * DB_DC == 16, "DB_REDUCE16 needs a 16-accumulator tile");
    fk_vs reduced = DB_REDUCE16(acc);
    memcpy(sums, &reduced, sizeof sums);
#else
    for (int q = 0; q < DB_DR * DB_DC; ++q) sums[q] = DB_HSUM(acc[q]);
#endif
    for (int r = 0; r < DB_DR; ++r)
        for (int j = 0; j < DB_DC; ++j) c[r * ldc + j] += (double)sums[r * DB_DC + j];
}

#undef DB_KERNEL
#undef DB_T
#undef DB_V
#undef DB_LANES
#undef DB_ZERO
#undef DB_LOAD
#undef DB_LOADN
#undef DB_FMA
#undef DB_HSUM
#undef DB_DR
#undef DB_DC
#undef DB_REDUCE16
