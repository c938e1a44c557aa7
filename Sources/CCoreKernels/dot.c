// Dot products of float vectors in double, for the alignment kernel
// (AlignmentKernel.swift): one dot, or every dot among a point's views at once
// (its Gram matrix, each view read once). Compiled for AVX2 + FMA and AVX-512
// beside baseline x86-64 and chosen at run time, like the squared-distance kernel.
//
// The sum is defined, not left to the compiler: every product of two floats is
// exact in double, so an FMA and a multiply followed by an add give the same
// bits; element i goes to lane i mod 4, lanes run in increasing i, and
// dot = ((l₀ + l₁) + (l₂ + l₃)) + t, where t adds the elements past the last
// multiple of 4 in order. Every version, and the Gram matrix, give the same bits.
#include "sslmem_core_kernels.h"

#pragma STDC FP_CONTRACT OFF

static inline __attribute__((always_inline)) double
finish(const double lane[4], const float *a, const float *b, size_t whole, size_t n) {
    double tail = 0;
    for (size_t i = whole; i < n; i++) tail += (double)a[i] * (double)b[i];
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + tail;
}

static double dot_baseline(const float *a, const float *b, size_t n) {
    double lane[4] = {0};
    size_t whole = n / 4 * 4;
    for (size_t i = 0; i < whole; i += 4) {
        for (int l = 0; l < 4; l++) lane[l] += (double)a[i + l] * (double)b[i + l];
    }
    return finish(lane, a, b, whole, n);
}

static void gram_baseline(const float *const *v, size_t k, size_t n, double *gram) {
    for (size_t i = 0; i < k; i++) {
        for (size_t j = i; j < k; j++) gram[i * k + j] = gram[j * k + i] = dot_baseline(v[i], v[j], n);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static double dot_avx2(const float *a, const float *b, size_t n) {
    __m256d lanes = _mm256_setzero_pd();
    size_t whole = n / 4 * 4;
    for (size_t i = 0; i < whole; i += 4) {
        lanes = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(a + i)), _mm256_cvtps_pd(_mm_loadu_ps(b + i)), lanes);
    }
    double lane[4];
    _mm256_storeu_pd(lane, lanes);
    return finish(lane, a, b, whole, n);
}

// The Gram matrix of K vectors with K known at compile time (so the K(K+1)/2
// accumulators can live in registers): each 4-element step converts every
// vector once and updates every pair.
#define GRAM_AVX2(K)                                                                          \
    __attribute__((target("avx2,fma"))) static void gram_avx2_##K(const float *const *v,    \
                                                                  size_t n, double *gram) { \
        __m256d acc[K * (K + 1) / 2], x[K];                                                   \
        for (int p = 0; p < K * (K + 1) / 2; p++) acc[p] = _mm256_setzero_pd();              \
        size_t whole = n / 4 * 4;                                                             \
        for (size_t e = 0; e < whole; e += 4) {                                               \
            for (int i = 0; i < K; i++) x[i] = _mm256_cvtps_pd(_mm_loadu_ps(v[i] + e));      \
            int p = 0;                                                                        \
            for (int i = 0; i < K; i++) {                                                     \
                for (int j = i; j < K; j++, p++) acc[p] = _mm256_fmadd_pd(x[i], x[j], acc[p]); \
            }                                                                                 \
        }                                                                                     \
        int p = 0;                                                                            \
        for (int i = 0; i < K; i++) {                                                         \
            for (int j = i; j < K; j++, p++) {                                                \
                double lane[4];                                                               \
                _mm256_storeu_pd(lane, acc[p]);                                               \
                gram[i * K + j] = gram[j * K + i] = finish(lane, v[i], v[j], whole, n);      \
            }                                                                                 \
        }                                                                                     \
    }
GRAM_AVX2(2)
GRAM_AVX2(3)
GRAM_AVX2(4)
GRAM_AVX2(5)
GRAM_AVX2(6)

__attribute__((target("avx2,fma")))
static void gram_avx2(const float *const *v, size_t k, size_t n, double *gram) {
    switch (k) {
    case 2: gram_avx2_2(v, n, gram); return;
    case 3: gram_avx2_3(v, n, gram); return;
    case 4: gram_avx2_4(v, n, gram); return;
    case 5: gram_avx2_5(v, n, gram); return;
    case 6: gram_avx2_6(v, n, gram); return;
    default:
        for (size_t i = 0; i < k; i++) {
            for (size_t j = i; j < k; j++) gram[i * k + j] = gram[j * k + i] = dot_avx2(v[i], v[j], n);
        }
    }
}
#endif

double sslmem_dot_variant(int variant, const float *a, const float *b, size_t n) {
    if (!sslmem_kernel_supported(variant)) return __builtin_nan("");
#if defined(__x86_64__)
    if (variant == SSLMEM_KERNEL_AVX2_FMA || variant == SSLMEM_KERNEL_AVX512) return dot_avx2(a, b, n);
#endif
    return dot_baseline(a, b, n);
}

int sslmem_gram_variant(int variant, const float *const *vectors, size_t k, size_t n, double *gram) {
    if (!sslmem_kernel_supported(variant)) return 0;
#if defined(__x86_64__)
    if (variant == SSLMEM_KERNEL_AVX2_FMA || variant == SSLMEM_KERNEL_AVX512) {
        gram_avx2(vectors, k, n, gram);
        return 1;
    }
#endif
    gram_baseline(vectors, k, n, gram);
    return 1;
}

static int fast(void) {
    static int chosen = -1;
    if (chosen < 0) chosen = sslmem_kernel_supported(SSLMEM_KERNEL_AVX2_FMA);
    return chosen;
}

double sslmem_dot(const float *a, const float *b, size_t n) {
#if defined(__x86_64__)
    if (fast()) return dot_avx2(a, b, n);
#endif
    return dot_baseline(a, b, n);
}

void sslmem_gram(const float *const *vectors, size_t k, size_t n, double *gram) {
#if defined(__x86_64__)
    if (fast()) {
        gram_avx2(vectors, k, n, gram);
        return;
    }
#endif
    gram_baseline(vectors, k, n, gram);
}
