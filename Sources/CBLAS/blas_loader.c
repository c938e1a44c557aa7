// Binds the few OpenBLAS calls sslmem makes, loading the library on first use
// (see sslmem_blas.h for why).
#include "sslmem_blas.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *,
                         int);
typedef void (*set_threads_fn)(int);
typedef void (*dsyevr_fn)(const char *, const char *, const char *, const int *, double *, const int *, const double *,
                          const double *, const int *, const int *, const double *, int *, double *, double *,
                          const int *, int *, double *, const int *, int *, const int *, int *, size_t, size_t, size_t);
typedef char *(*corename_fn)(void);

static const char *load_error;
static sgemm_fn sgemm;
static set_threads_fn set_threads;
static corename_fn corename;
static dsyevr_fn dsyevr;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    static const char *const names[] = {"libopenblas.so.0", "libopenblas.so"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        load_error = "cannot load OpenBLAS (libopenblas.so.0; on Debian: apt install libopenblas0)";
        return;
    }
    sgemm = (sgemm_fn)dlsym(handle, "cblas_sgemm");
    set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    corename = (corename_fn)dlsym(handle, "openblas_get_corename");
    dsyevr = (dsyevr_fn)dlsym(handle, "dsyevr_");  // LAPACK; optional (Debian's OpenBLAS builds include it)
    if (!sgemm || !set_threads || !corename) {
        load_error = "the OpenBLAS library found lacks cblas_sgemm, openblas_set_num_threads or openblas_get_corename";
    }
}

const char *sslmem_blas_ready(void) {
    pthread_once(&once, load);
    return load_error;
}

void sslmem_sgemm_nt(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta,
                     float *c, int ldc) {
    if (sslmem_blas_ready()) return;
    sgemm(101 /* CblasRowMajor */, 111 /* CblasNoTrans */, 112 /* CblasTrans */, m, n, k, alpha, a, lda, b, ldb, beta,
          c, ldc);
}

void sslmem_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                  const float *b, int ldb, float beta, float *c, int ldc) {
    if (sslmem_blas_ready()) return;
    sgemm(101, transpose_a ? 112 : 111, transpose_b ? 112 : 111, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

int sslmem_lapack_ready(void) { return !sslmem_blas_ready() && dsyevr != NULL; }

int sslmem_symmetric_eigen(int n, double *a, double *values, double *vectors) {
    if (!sslmem_lapack_ready() || n < 1) return -1;
    const double zero = 0;
    const int one = 1;
    int found = 0, info = 0, lwork = -1, liwork = -1, iwork_query = 0;
    double work_query = 0;
    int *support = malloc(sizeof(int) * 2 * (size_t)n);
    if (!support) return -1;
    // Workspace query, then the decomposition: all eigenvalues (ascending) and eigenvectors (columns of `vectors`).
    dsyevr("V", "A", "L", &n, a, &n, &zero, &zero, &one, &one, &zero, &found, values, vectors, &n, support, &work_query,
           &lwork, &iwork_query, &liwork, &info, 1, 1, 1);
    if (info != 0) {
        free(support);
        return info;
    }
    lwork = (int)work_query;
    liwork = iwork_query;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    int *iwork = malloc(sizeof(int) * (size_t)(liwork > 1 ? liwork : 1));
    if (work && iwork) {
        dsyevr("V", "A", "L", &n, a, &n, &zero, &zero, &one, &one, &zero, &found, values, vectors, &n, support, work,
               &lwork, iwork, &liwork, &info, 1, 1, 1);
    } else {
        info = -1;
    }
    free(work);
    free(iwork);
    free(support);
    return info != 0 ? info : (found == n ? 0 : -1);
}

void sslmem_blas_set_threads(int n) {
    if (!sslmem_blas_ready()) set_threads(n);
}

const char *sslmem_blas_corename(void) { return sslmem_blas_ready() ? "unavailable" : corename(); }

int sslmem_cpu_has_avx512f(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

int sslmem_cpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
