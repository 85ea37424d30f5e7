/*
 * fisher_kernels.h — the one public header of the FisherTrace C core.
 *
 * Conventions (after BLIS and ggml):
 *   - every symbol starts with fk_; entry points are fk_<op>_<dtype>;
 *   - arguments: sizes, then (pointer, leading dimension) pairs for inputs, then outputs, then an
 *     optional configuration; sizes and leading dimensions are ptrdiff_t counted in elements;
 *   - every entry point returns an fk_status; there is no global error state;
 *   - reductions accumulate in double, and for a given input the result has the same bits for any
 *     thread count (fixed work decomposition, fixed reduction order).
 *
 * Matrices are row-major: element (i, j) of an n×d matrix x with leading dimension ldx ≥ d is
 * x[i*ldx + j].  Half-precision inputs are passed as their raw 16-bit patterns (IEEE binary16 for
 * f16, the upper half of a binary32 for bf16), in native byte order.
 */
#ifndef FISHER_KERNELS_H
#define FISHER_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result of every entry point. */
typedef enum fk_status {
    FK_OK = 0,
    FK_NONFINITE = 1,     /* a NaN or ±Inf in the input; *first_bad_row names the first row holding one */
    FK_OVERFLOW = 2,      /* all inputs finite, but a double accumulator overflowed (|x| ≳ 1e154, float64 input) */
    FK_BAD_ARGUMENT = 3,  /* a negative size, a leading dimension smaller than the row, or a NULL that is required */
    FK_NO_MEMORY = 4,     /* scratch allocation failed */
    FK_UNSUPPORTED = 5,   /* the requested instruction-set variant does not run on this CPU or was not built */
} fk_status;

/* Instruction-set variants.  FK_ISA_AUTO picks the best one the CPU supports (chosen once per process,
 * overridable with the environment variable FISHERTRACE_ISA=reference|portable|avx2|avx512). */
typedef enum fk_isa {
    FK_ISA_AUTO = 0,
    FK_ISA_REFERENCE = 1, /* plain scalar C, single-threaded: the oracle every other variant is tested against */
    FK_ISA_PORTABLE = 2,  /* blocked, threaded, generic C vectors: any CPU (baseline x86-64, arm64) */
    FK_ISA_AVX2 = 3,      /* AVX2 + FMA + F16C */
    FK_ISA_AVX512 = 4,    /* AVX-512 F/BW/VL/DQ */
} fk_isa;

/* Optional per-call configuration; a NULL pointer means all defaults. */
typedef struct fk_config {
    int threads;          /* 0: the OpenMP default (OMP_NUM_THREADS, else the number of cores) */
    fk_isa isa;           /* FK_ISA_AUTO: the process-wide choice */
} fk_config;

/* ---- Introspection ----------------------------------------------------------------------------- */

/* The variant FK_ISA_AUTO resolves to in this process. */
fk_isa fk_default_isa(void);
/* 1 if the variant was built and runs on this CPU, else 0 (FK_ISA_AUTO: 1). */
int fk_isa_supported(fk_isa isa);
/* "reference", "portable", "avx2", "avx512" ("auto" for FK_ISA_AUTO). */
const char *fk_isa_name(fk_isa isa);
/* The thread count a call with threads = 0 uses; 1 when built without OpenMP. */
int fk_default_threads(void);
/* 1 if the library was built with OpenMP. */
int fk_openmp_enabled(void);

/* ---- Moments: one pass over an n×d matrix ------------------------------------------------------
 *
 * In one pass over x, for each row i and column j (all in double):
 *     row_sum[i] = Σ_j x_ij          row_sq[i] = Σ_j x_ij²             (overwritten)
 *     col_sum[j] += Σ_i x_ij         col_sq[j] += Σ_i x_ij²            (accumulated into)
 * Any output pointer may be NULL when not wanted.  Columns are accumulated into so that a stream of
 * row chunks can be summed without a second pass; zero them before the first call.
 *
 * Non-finite input: returns FK_NONFINITE and stores the index of the first row holding a NaN or ±Inf in
 * *first_bad_row (if first_bad_row is not NULL); row outputs are then complete, column outputs are
 * unspecified.  Values up to the float32 maximum give finite, correct results for every input type
 * but float64, whose squares overflow above about 1.3e154 (FK_OVERFLOW, with the row).
 *
 * Determinism: for given (n, d, x) the results have the same bits for every thread count.  Different
 * variants (isa) agree to rounding, not to the bit.
 */
fk_status fk_moments_f32(ptrdiff_t n, ptrdiff_t d, const float *x, ptrdiff_t ldx,
                         double *row_sum, double *row_sq, double *col_sum, double *col_sq,
                         ptrdiff_t *first_bad_row, const fk_config *cfg);
fk_status fk_moments_f64(ptrdiff_t n, ptrdiff_t d, const double *x, ptrdiff_t ldx,
                         double *row_sum, double *row_sq, double *col_sum, double *col_sq,
                         ptrdiff_t *first_bad_row, const fk_config *cfg);
fk_status fk_moments_f16(ptrdiff_t n, ptrdiff_t d, const uint16_t *x, ptrdiff_t ldx,
                         double *row_sum, double *row_sq, double *col_sum, double *col_sq,
                         ptrdiff_t *first_bad_row, const fk_config *cfg);
fk_status fk_moments_bf16(ptrdiff_t n, ptrdiff_t d, const uint16_t *x, ptrdiff_t ldx,
                          double *row_sum, double *row_sq, double *col_sum, double *col_sq,
                          ptrdiff_t *first_bad_row, const fk_config *cfg);

/* ==== Outer products: Fisher block, Gram matrix, ghost norms, K-FAC factors =========================
 *
 * Precision (every entry point below): float32 input is multiplied and summed in float32 over blocks of
 * 256 rows (the Fisher block, K-FAC, summed gradient; ghost materialization over blocks of 256 tokens)
 * or 1024 columns (Gram matrix, ghost Gram form, 64 per SIMD lane), and those block sums are added in
 * double.  The error therefore does not grow with N: measured Frobenius relative error of the Fisher
 * block against float64 is 2–3e-8 at N = 10⁵, D = 256 and 1024 (uniform data; OpenBLAS cblas_ssyrk:
 * 2.4e-7), and the worst case is ≈ 256·2⁻²⁴ ≈ 1.5e-5 relative to Σ|products| of a block.  float64
 * input is computed in double throughout.  Values above ~1e19 in magnitude overflow float32 products:
 * the call then returns FK_OVERFLOW.
 * Outputs are row-major double matrices with a leading dimension, accumulated into (zero them before a
 * first call), so a stream of row chunks can be summed; symmetric outputs are computed on and above the
 * diagonal only, and copied below it with FK_FILL_FULL (the strict lower triangle is otherwise left
 * untouched).
 * Determinism: for a given input the results have the same bits for every thread count; variants agree
 * to rounding.  Non-finite input: FK_NONFINITE and the first offending row (sample for ghost and K-FAC)
 * in *first_bad (when not NULL; −1 otherwise); the outputs are then unspecified. */

typedef enum fk_fill {
    FK_FILL_UPPER = 0, /* only c[i][j], j ≥ i */
    FK_FILL_FULL = 1,  /* then c[j][i] = c[i][j] for j < i */
} fk_fill;

/* Fisher block (unnormalized): c[i*ldc + j] += Σ_r g_ri·g_rj for 0 ≤ i ≤ j < d, over the n×d matrix g
 * (a layer is a column range: offset g).  F = c/n.  Work: n·d·(d+1) flops. */
fk_status fk_syrk_f32(ptrdiff_t n, ptrdiff_t d, const float *g, ptrdiff_t ldg, double *c, ptrdiff_t ldc,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg);
fk_status fk_syrk_f64(ptrdiff_t n, ptrdiff_t d, const double *g, ptrdiff_t ldg, double *c, ptrdiff_t ldc,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg);

/* Gram matrix of the samples: k[i*ldk + j] += Σ_c g_ic·g_jc for 0 ≤ i ≤ j < n.  tr(K) = n·tr(I_F).
 * Work: n·(n+1)·d flops. */
fk_status fk_gram_f32(ptrdiff_t n, ptrdiff_t d, const float *g, ptrdiff_t ldg, double *k, ptrdiff_t ldk,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg);
fk_status fk_gram_f64(ptrdiff_t n, ptrdiff_t d, const double *g, ptrdiff_t ldg, double *k, ptrdiff_t ldk,
                      fk_fill fill, ptrdiff_t *first_bad, const fk_config *cfg);

/* Ghost norms of a linear layer y_t = W a_t (+ b), W: d_out × d_in.
 * Inputs are 3-D: n samples × t tokens × features; token s of sample i starts at element
 * i·ld_sample + s·ld_token (ld_token ≥ features when t > 1; ld_sample ≥ (t−1)·ld_token + features when
 * n > 1).  a holds the layer inputs, delta the gradients of the per-sample loss with respect to y.
 * Outputs, per sample i (overwritten):
 *     weight_sq[i] = ‖Σ_s δ_s a_sᵀ‖²_F = Σ_{s,u} (a_s·a_u)(δ_s·δ_u)
 *     bias_sq[i]   = ‖Σ_s δ_s‖²                  (skipped when bias_sq is NULL)
 * FK_GHOST_GRAM uses the right-hand side (one triangle of the t×t products, ≈ t²(d_in+d_out) flops);
 * FK_GHOST_MATERIALIZE forms Σ_s δ_s a_sᵀ block by block in one d_out×d_in double scratch per thread
 * (≈ 2·t·d_in·d_out flops); FK_GHOST_AUTO asks fk_ghost_choose.  At t = 1 both are ‖a‖²·‖δ‖², computed
 * in one pass at memory bandwidth. */
typedef enum fk_ghost_method {
    FK_GHOST_AUTO = 0,
    FK_GHOST_GRAM = 1,
    FK_GHOST_MATERIALIZE = 2,
} fk_ghost_method;

/* The algorithm FK_GHOST_AUTO runs for these sizes: the cheaper by a cost model calibrated on this
 * code (see ghost.c; the published rule is Gram iff 2t² ≤ d_in·d_out). */
fk_ghost_method fk_ghost_choose(ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out);

fk_status fk_ghost_f32(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out,
                       const float *a, ptrdiff_t lda_sample, ptrdiff_t lda_token,
                       const float *delta, ptrdiff_t ldd_sample, ptrdiff_t ldd_token,
                       double *weight_sq, double *bias_sq, ptrdiff_t *first_bad, fk_ghost_method method,
                       const fk_config *cfg);
fk_status fk_ghost_f64(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out,
                       const double *a, ptrdiff_t lda_sample, ptrdiff_t lda_token,
                       const double *delta, ptrdiff_t ldd_sample, ptrdiff_t ldd_token,
                       double *weight_sq, double *bias_sq, ptrdiff_t *first_bad, fk_ghost_method method,
                       const fk_config *cfg);

/* K-FAC factor (unnormalized) over every token of every sample of a 3-D operand x (n × t × d, strides
 * as for the ghost norms): c[i*ldc + j] += Σ_{r,s} x_rs,i·x_rs,j for 0 ≤ i ≤ j < d, and, when col_sum is
 * not NULL, col_sum[j] += Σ_{r,s} x_rs,j (for the homogeneous coordinate of a bias).  With x = a this
 * is n·t·E[a aᵀ]; with x = delta, n·t·E[δ δᵀ] (normalizations are the caller's, see the Swift docs). */
fk_status fk_kfac_factor_f32(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d, const float *x, ptrdiff_t ldx_sample,
                             ptrdiff_t ldx_token, double *c, ptrdiff_t ldc, double *col_sum, fk_fill fill,
                             ptrdiff_t *first_bad, const fk_config *cfg);
fk_status fk_kfac_factor_f64(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d, const double *x, ptrdiff_t ldx_sample,
                             ptrdiff_t ldx_token, double *c, ptrdiff_t ldc, double *col_sum, fk_fill fill,
                             ptrdiff_t *first_bad, const fk_config *cfg);

/* Summed gradient of a linear layer over the batch: w_sum[o*ldw + j] += Σ_{r,s} δ_rs,o·a_rs,j (d_out×d_in,
 * row-major as PyTorch stores Linear.weight) and, when b_sum is not NULL, b_sum[o] += Σ_{r,s} δ_rs,o.
 * Work: 2·n·t·d_in·d_out flops — as much as materializing every per-sample gradient. */
fk_status fk_linear_grad_sum_f32(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out,
                                 const float *a, ptrdiff_t lda_sample, ptrdiff_t lda_token,
                                 const float *delta, ptrdiff_t ldd_sample, ptrdiff_t ldd_token,
                                 double *w_sum, ptrdiff_t ldw, double *b_sum, ptrdiff_t *first_bad,
                                 const fk_config *cfg);
fk_status fk_linear_grad_sum_f64(ptrdiff_t n, ptrdiff_t t, ptrdiff_t d_in, ptrdiff_t d_out,
                                 const double *a, ptrdiff_t lda_sample, ptrdiff_t lda_token,
                                 const double *delta, ptrdiff_t ldd_sample, ptrdiff_t ldd_token,
                                 double *w_sum, ptrdiff_t ldw, double *b_sum, ptrdiff_t *first_bad,
                                 const fk_config *cfg);

/* ---- Machine limits ---------------------------------------------------------------------------
 *
 * Peak float32 FMA throughput: every thread runs `rounds` rounds of independent FMAs on vectors held in
 * registers (the variant's widest).  *flops receives the flops done by all threads together; time the
 * call to get the peak flop rate the kernels can reach.  The reference variant runs the portable probe. */
fk_status fk_fma_probe(ptrdiff_t rounds, double *flops, const fk_config *cfg);

#ifdef __cplusplus
}
#endif
#endif /* FISHER_KERNELS_H */
