/* fk_omp.h — the few OpenMP runtime calls the kernels use.
 * The toolchain's clang ships no omp.h, so they are declared here (LLVM libomp ABI).  Without OpenMP
 * the kernels run on one thread and these become constants. */
#ifndef FK_OMP_H
#define FK_OMP_H

#ifdef _OPENMP
int omp_get_max_threads(void);
int omp_get_thread_num(void);
int omp_get_num_threads(void);
#define FK_OMP_MAX_THREADS() omp_get_max_threads()
#else
#define FK_OMP_MAX_THREADS() 1
#endif

#endif
