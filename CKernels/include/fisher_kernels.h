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

#ifdef __cplusplus
}
#endif
#endif /* FISHER_KERNELS_H */
