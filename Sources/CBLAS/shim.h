#ifndef SSLMEM_CBLAS_SHIM_H
#define SSLMEM_CBLAS_SHIM_H
// OpenBLAS through its CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>

/// Which x86 vector extensions the CPU has (0 elsewhere), to pick an OpenBLAS
/// kernel when OpenBLAS does not recognise the CPU.
static inline int sslmem_cpu_has_avx512f(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

static inline int sslmem_cpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
#endif
