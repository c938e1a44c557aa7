// UnitMem's per-view activation sums (UnitActivations.swift): the values of unit u
// in one view [outer, units, inner] summed in double, in increasing i from 0,
// per (o, u), then added to sums[u] in increasing o. Every version does the same
// arithmetic as the plain loop, so all give the same bits:
// - baseline: eight units' chains side by side, so each add waits on its own
//   chain only (the plain loop waits four cycles, one add's latency, per value);
// - AVX-512: sixteen units at a time, eight per 512-bit register, lane j holding
//   unit j's sum. Each step loads eight consecutive values of each of the units,
//   transposes them (8 × 8 floats), and adds the eight columns in increasing i, so
//   each lane still adds its unit's values in order from 0; the values past the
//   last multiple of eight are then added to each sum in order, one by one.
#include "sslmem_core_kernels.h"
#include "sslmem_io_kernels.h"  // sslmem_half_has_f16c, sslmem_unaligned_halves_to_floats (CIOKernels/half.c)

#pragma STDC FP_CONTRACT OFF

// One unit's values, in order from 0, added to *sum; 0 if their sum is not finite.
static inline int unit_sum(const float *p, size_t inner, double *sum) {
    double s = 0;
    for (size_t i = 0; i < inner; i++) s += (double)p[i];
    *sum += s;
    return __builtin_isfinite(s) != 0;
}

static int unit_sums_baseline(const float *view, size_t outer, size_t units, size_t inner, double *sums) {
    int finite = 1;
    for (size_t o = 0; o < outer; o++) {
        const float *base = view + o * units * inner;
        size_t u = 0;
        if (inner > 1) {
            for (; u + 8 <= units; u += 8) {
                const float *p = base + u * inner;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                for (size_t i = 0; i < inner; i++) {
                    s0 += (double)p[i];
                    s1 += (double)p[inner + i];
                    s2 += (double)p[2 * inner + i];
                    s3 += (double)p[3 * inner + i];
                    s4 += (double)p[4 * inner + i];
                    s5 += (double)p[5 * inner + i];
                    s6 += (double)p[6 * inner + i];
                    s7 += (double)p[7 * inner + i];
                }
                double s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
                for (int j = 0; j < 8; j++) {
                    finite &= __builtin_isfinite(s[j]) != 0;
                    sums[u + j] += s[j];
                }
            }
        }
        for (; u < units; u++) finite &= unit_sum(base + u * inner, inner, sums + u);
    }
    return finite;
}

#if defined(__x86_64__)
#include <immintrin.h>

// r[m][j] ← r[j][m] for an 8 × 8 block of floats.
__attribute__((target("avx512f"))) static inline __attribute__((always_inline)) void transpose8(__m256 r[8]) {
    __m256 t[8], s[8];
    for (int j = 0; j < 8; j += 2) {
        t[j] = _mm256_unpacklo_ps(r[j], r[j + 1]);
        t[j + 1] = _mm256_unpackhi_ps(r[j], r[j + 1]);
    }
    for (int j = 0; j < 8; j += 4) {
        s[j] = _mm256_shuffle_ps(t[j], t[j + 2], 0x44);
        s[j + 1] = _mm256_shuffle_ps(t[j], t[j + 2], 0xEE);
        s[j + 2] = _mm256_shuffle_ps(t[j + 1], t[j + 3], 0x44);
        s[j + 3] = _mm256_shuffle_ps(t[j + 1], t[j + 3], 0xEE);
    }
    for (int j = 0; j < 4; j++) {
        r[j] = _mm256_permute2f128_ps(s[j], s[j + 4], 0x20);
        r[j + 4] = _mm256_permute2f128_ps(s[j], s[j + 4], 0x31);
    }
}

// G groups of eight units (G·8 chains, one 512-bit register per group) starting at unit block p; adds
// each unit's sum to sums[j] and returns 0 if one is not finite.
#define UNIT_GROUPS_AVX512(G)                                                                        \
    __attribute__((target("avx512f"))) static int unit_groups_avx512_##G(const float *p, size_t inner, \
                                                                          double *sums) {           \
        __m512d acc[G];                                                                              \
        for (int g = 0; g < G; g++) acc[g] = _mm512_setzero_pd();                                    \
        size_t whole = inner / 8 * 8;                                                                \
        for (size_t i = 0; i < whole; i += 8) {                                                      \
            for (int g = 0; g < G; g++) {                                                            \
                __m256 r[8];                                                                         \
                for (int j = 0; j < 8; j++) r[j] = _mm256_loadu_ps(p + (size_t)(8 * g + j) * inner + i); \
                transpose8(r);                                                                       \
                for (int m = 0; m < 8; m++) acc[g] = _mm512_add_pd(acc[g], _mm512_cvtps_pd(r[m]));   \
            }                                                                                        \
        }                                                                                            \
        int finite = 1;                                                                              \
        for (int g = 0; g < G; g++) {                                                                \
            double s[8];                                                                             \
            _mm512_storeu_pd(s, acc[g]);                                                             \
            for (int j = 0; j < 8; j++) {                                                            \
                const float *unit = p + (size_t)(8 * g + j) * inner;                                 \
                for (size_t i = whole; i < inner; i++) s[j] += (double)unit[i];                      \
                finite &= __builtin_isfinite(s[j]) != 0;                                             \
                sums[8 * g + j] += s[j];                                                             \
            }                                                                                        \
        }                                                                                            \
        return finite;                                                                               \
    }
UNIT_GROUPS_AVX512(1)
UNIT_GROUPS_AVX512(2)

__attribute__((target("avx512f"))) static int unit_sums_avx512(const float *view, size_t outer, size_t units,
                                                                size_t inner, double *sums) {
    if (inner < 8) return unit_sums_baseline(view, outer, units, inner, sums);
    int finite = 1;
    for (size_t o = 0; o < outer; o++) {
        const float *base = view + o * units * inner;
        size_t u = 0;
        for (; u + 16 <= units; u += 16) finite &= unit_groups_avx512_2(base + u * inner, inner, sums + u);
        for (; u + 8 <= units; u += 8) finite &= unit_groups_avx512_1(base + u * inner, inner, sums + u);
        for (; u < units; u++) finite &= unit_sum(base + u * inner, inner, sums + u);
    }
    return finite;
}

// Float16 views (sslmem_unit_sums_halves). Every finite half is an integer multiple of 2⁻²⁴ below 2⁴⁰ of them in
// magnitude (the largest, 65504, is 2047·2²⁹ · 2⁻²⁴), so a sum of at most 2¹³ halves, and every partial sum on
// the way, is such a multiple below 2⁵³ of them: a double holds it exactly, every addition is exact, and the sum
// is the same in any order. So each unit's values are summed as they lie, sixteen at a time in four
// accumulators, with no transpose, and the result has the bits of the in-order sum of sslmem_unit_sums. A NaN or
// infinity makes both sums non-finite (the caller then stops on the view).
#define HALVES_EXACT_SUM_LIMIT 8192

__attribute__((target("avx512f,f16c"))) static inline __m512d low_doubles(__m512 x) {
    return _mm512_cvtps_pd(_mm512_castps512_ps256(x));
}

__attribute__((target("avx512f,f16c"))) static inline __m512d high_doubles(__m512 x) {
    return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}

// Σ of the n ≤ 2¹³ halves at p (any alignment), exactly. The last n mod 16 halves are read by one masked load
// (AVX-512BW: the lanes past the end are zeros and are not read), so a unit costs no scalar tail.
__attribute__((target("avx512f,avx512bw,avx512vl,f16c"))) static double halves_sum(const unsigned char *p, size_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 x = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + 2 * i)));
        __m512 y = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + 2 * i + 32)));
        a0 = _mm512_add_pd(a0, low_doubles(x));
        a1 = _mm512_add_pd(a1, high_doubles(x));
        a2 = _mm512_add_pd(a2, low_doubles(y));
        a3 = _mm512_add_pd(a3, high_doubles(y));
    }
    if (i + 16 <= n) {
        __m512 x = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + 2 * i)));
        a0 = _mm512_add_pd(a0, low_doubles(x));
        a1 = _mm512_add_pd(a1, high_doubles(x));
        i += 16;
    }
    if (i < n) {
        __m512 x = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16((__mmask16)((1u << (n - i)) - 1), p + 2 * i));
        a2 = _mm512_add_pd(a2, low_doubles(x));
        a3 = _mm512_add_pd(a3, high_doubles(x));
    }
    return _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3)));
}

__attribute__((target("avx512f,avx512bw,avx512vl,f16c"))) static int unit_sums_halves_avx512(
    const unsigned char *view, size_t outer, size_t units, size_t inner, double *sums) {
    int finite = 1;
    for (size_t o = 0; o < outer; o++) {
        const unsigned char *base = view + 2 * o * units * inner;
        size_t u = 0;
        if (inner == 1) {  // one value per unit (tokens, a linear layer): s = 0 + x, eight units at a time
            const __m512d zero = _mm512_setzero_pd();
            for (; u + 8 <= units; u += 8) {
                __m512d x = _mm512_cvtps_pd(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(base + 2 * u))));
                __m512d s = _mm512_add_pd(zero, x);
                finite &= _mm512_cmp_pd_mask(_mm512_sub_pd(s, s), zero, _CMP_EQ_OQ) == 0xff;  // s − s = 0: finite
                _mm512_storeu_pd(sums + u, _mm512_add_pd(_mm512_loadu_pd(sums + u), s));
            }
        }
        for (; u < units; u++) {
            double s = halves_sum(base + 2 * u * inner, inner);
            finite &= __builtin_isfinite(s) != 0;
            sums[u] += s;
        }
    }
    return finite;
}

// Asked once: sslmem_unit_sums_halves checks it for every view (a race only writes the same value).
static int has_avx512bw_vl(void) {
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
    }
    return supported;
}
#endif

int sslmem_unit_sums_halves_fused(size_t inner) {
#if defined(__x86_64__)
    return inner >= 1 && inner <= HALVES_EXACT_SUM_LIMIT && sslmem_kernel_supported(SSLMEM_KERNEL_AVX512) &&
           sslmem_half_has_f16c() && has_avx512bw_vl();
#else
    (void)inner;
    return 0;
#endif
}

int sslmem_unit_sums_halves(const void *view, size_t outer, size_t units, size_t inner, double *sums) {
#if defined(__x86_64__)
    if (sslmem_unit_sums_halves_fused(inner)) return unit_sums_halves_avx512(view, outer, units, inner, sums);
#else
    (void)view, (void)outer, (void)units, (void)sums;
#endif
    return -1;
}

int sslmem_unit_sums_variant(int variant, const float *view, size_t outer, size_t units, size_t inner,
                             double *sums) {
    if (!sslmem_kernel_supported(variant)) return -1;
#if defined(__x86_64__)
    if (variant == SSLMEM_KERNEL_AVX512) return unit_sums_avx512(view, outer, units, inner, sums);
#endif
    return unit_sums_baseline(view, outer, units, inner, sums);
}

int sslmem_unit_sums(const float *view, size_t outer, size_t units, size_t inner, double *sums) {
#if defined(__x86_64__)
    static int wide = -1;  // a benign race: every thread computes the same choice
    int w = __atomic_load_n(&wide, __ATOMIC_RELAXED);
    if (w < 0) {
        w = sslmem_kernel_supported(SSLMEM_KERNEL_AVX512);
        __atomic_store_n(&wide, w, __ATOMIC_RELAXED);
    }
    if (w) return unit_sums_avx512(view, outer, units, inner, sums);
#endif
    return unit_sums_baseline(view, outer, units, inner, sums);
}
