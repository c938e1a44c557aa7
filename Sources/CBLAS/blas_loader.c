// Binds the few OpenBLAS calls sslmem makes, loading the library on first use
// (see sslmem_blas.h for why).
#include "sslmem_blas.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *,
                         int);
typedef void (*set_threads_fn)(int);
typedef char *(*corename_fn)(void);

static const char *load_error;
static sgemm_fn sgemm;
static set_threads_fn set_threads;
static corename_fn corename;
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
