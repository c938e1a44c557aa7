// The exact squared distance of SquaredDistance.swift, in C so that it can be
// compiled for AVX-512 and AVX2 + FMA beside a baseline x86-64 version and
// chosen at run time: Swift code is compiled for one target only.
//
// Per element: δ = a − b with its rounding error ε (TwoSum), δ² = h + l exactly
// (FMA, or Dekker's split without it), h added to the lane's high part with
// TwoSum, and the error terms plus l + 2δε to its low part. Eight lanes, then
// the lanes are combined the same way. FP contraction is off: the error-free
// transformations need every rounding where it is written.
#include "sslmem_core_kernels.h"

#pragma STDC FP_CONTRACT OFF

#define LANES 8

static inline __attribute__((always_inline)) void
accumulate(double a, double b, double *high, double *low, int fused) {
    double d = a - b;
    double bv = d - a;
    double e = (a - (d - bv)) - (b + bv);
    double h = d * d, l;
    if (fused) {
        l = __builtin_fma(d, d, -h);
    } else {
        double c = d * 134217729.0;
        double dh = c - (c - d), dl = d - dh;
        l = ((dh * dh - h) + 2 * dh * dl) + dl * dl;
    }
    double s = *high + h;
    double v = s - *high;
    *low += ((*high - (s - v)) + (h - v)) + l + 2 * d * e;
    *high = s;
}

static inline __attribute__((always_inline)) double
squared_distance(const float *t, const float *p, size_t n, int fused) {
    double high[LANES] = {0}, low[LANES] = {0};
    size_t whole = n / LANES * LANES;
    for (size_t i = 0; i < whole; i += LANES) {
        for (int lane = 0; lane < LANES; lane++) {
            accumulate(t[i + lane], p[i + lane], &high[lane], &low[lane], fused);
        }
    }
    for (size_t i = whole; i < n; i++) {
        accumulate(t[i], p[i], &high[i - whole], &low[i - whole], fused);
    }
    double sum = 0, error = 0;
    for (int lane = 0; lane < LANES; lane++) {
        double s = sum + high[lane];
        double v = s - sum;
        error += (sum - (s - v)) + (high[lane] - v) + low[lane];
        sum = s;
    }
    return sum + error;
}

#if defined(__x86_64__)
__attribute__((target("avx512f,fma")))
static double squared_distance_avx512(const float *t, const float *p, size_t n) {
    return squared_distance(t, p, n, 1);
}

__attribute__((target("avx2,fma")))
static double squared_distance_avx2(const float *t, const float *p, size_t n) {
    return squared_distance(t, p, n, 1);
}
#endif

static double squared_distance_baseline(const float *t, const float *p, size_t n) {
    return squared_distance(t, p, n, 0);
}

typedef double (*kernel)(const float *, const float *, size_t);

int sslmem_kernel_supported(int variant) {
    switch (variant) {
    case SSLMEM_KERNEL_BASELINE: return 1;
#if defined(__x86_64__)
    case SSLMEM_KERNEL_AVX2_FMA:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case SSLMEM_KERNEL_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
#endif
    default: return 0;
    }
}

static kernel variant_kernel(int variant) {
    switch (variant) {
#if defined(__x86_64__)
    case SSLMEM_KERNEL_AVX512: return squared_distance_avx512;
    case SSLMEM_KERNEL_AVX2_FMA: return squared_distance_avx2;
#endif
    default: return squared_distance_baseline;
    }
}

int sslmem_kernel_chosen(void) {
    if (sslmem_kernel_supported(SSLMEM_KERNEL_AVX512)) return SSLMEM_KERNEL_AVX512;
    if (sslmem_kernel_supported(SSLMEM_KERNEL_AVX2_FMA)) return SSLMEM_KERNEL_AVX2_FMA;
    return SSLMEM_KERNEL_BASELINE;
}

double sslmem_squared_distance_variant(int variant, const float *t, const float *p, size_t n) {
    return sslmem_kernel_supported(variant) ? variant_kernel(variant)(t, p, n) : __builtin_nan("");
}

double sslmem_squared_distance(const float *t, const float *p, size_t n) {
    static kernel chosen = 0;  // a benign race: every thread computes the same choice
    kernel k = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!k) {
        k = variant_kernel(sslmem_kernel_chosen());
        __atomic_store_n(&chosen, k, __ATOMIC_RELAXED);
    }
    return k(t, p, n);
}
