#ifndef SSLMEM_BLAS_H
#define SSLMEM_BLAS_H
// OpenBLAS, loaded on first use (dlopen of Debian's libopenblas.so.0) instead of
// at start-up: commands that never multiply matrices (score, stats, compare,
// figures…) neither load it nor start its thread pool, whose idle threads spin
// on a core the scoring workers need. Only the calls sslmem makes are bound
// (blas_loader.c).

/// Loads OpenBLAS once (thread-safe); NULL when it is ready, else why it is not.
const char *sslmem_blas_ready(void);

/// C = alpha·A·Bᵀ + beta·C, row-major (cblas_sgemm with CblasRowMajor, CblasNoTrans, CblasTrans).
/// Does nothing when OpenBLAS cannot be loaded: callers check sslmem_blas_ready() first.
void sslmem_sgemm_nt(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta,
                     float *c, int ldc);

/// C = alpha·op(A)·op(B) + beta·C, row-major, op = transpose when `transpose_a` / `transpose_b` is non-zero.
void sslmem_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc);

/// Whether the loaded OpenBLAS carries LAPACK's dsyevr (Debian's builds do); 0 without OpenBLAS.
int sslmem_lapack_ready(void);

/// Every eigenvalue (ascending, into `values`) and eigenvector (column j of the n × n column-major `vectors`
/// for values[j]) of the symmetric n × n matrix `a` (column-major; its lower triangle is read and destroyed),
/// by LAPACK's dsyevr. 0 on success, non-zero when LAPACK is missing or fails.
int sslmem_symmetric_eigen(int n, double *a, double *values, double *vectors);

/// openblas_set_num_threads (nothing without OpenBLAS).
void sslmem_blas_set_threads(int n);

/// The kernel family OpenBLAS chose (e.g. "Zen", "SkylakeX", "Prescott"); "unavailable" without OpenBLAS.
const char *sslmem_blas_corename(void);

/// Which x86 vector extensions the CPU has (0 elsewhere), to pick an OpenBLAS
/// kernel when OpenBLAS does not recognise the CPU.
int sslmem_cpu_has_avx512f(void);
int sslmem_cpu_has_avx2_fma(void);

#endif
