// The bootstrap's draws (Bootstrap.swift, sslmem_stats_kernels.h): SplitMix64 numbers reduced modulo the
// group size by Granlund & Montgomery's multiply-high remainder, in 64-bit integer arithmetic. The scalar
// loop is bound by its four 64-bit multiplies per draw; AVX-512 runs eight draws per step, the multiply-high
// from four 32 × 32 → 64-bit products (vpmuludq) and the low products with vpmullq (AVX-512DQ).
#include "sslmem_stats_kernels.h"
#include <stdlib.h>

#define GOLDEN 0x9E3779B97F4A7C15ULL
#define MIX1 0xBF58476D1CE4E5B9ULL
#define MIX2 0x94D049BB133111EBULL

static inline uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * MIX1;
    z = (z ^ (z >> 27)) * MIX2;
    return z ^ (z >> 31);
}

static inline uint64_t remainder_of(uint64_t x, uint64_t divisor, uint64_t multiplier, unsigned shift) {
    uint64_t t = (uint64_t)(((unsigned __int128)multiplier * x) >> 64);
    uint64_t q = (t + ((x - t) >> 1)) >> shift;
    return x - q * divisor;
}

static void remainders_scalar(uint64_t state, size_t count, uint64_t divisor, uint64_t multiplier, unsigned shift,
                              uint64_t *out) {
    for (size_t i = 0; i < count; i++) {
        state += GOLDEN;
        out[i] = remainder_of(mix(state), divisor, multiplier, shift);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512dq")))
static void remainders_avx512(uint64_t state, size_t count, uint64_t divisor, uint64_t multiplier, unsigned shift,
                              uint64_t *out) {
    // Lane l of a step holds draw i + l: state + (i + l + 1)·γ.
    __m512i s = _mm512_add_epi64(_mm512_set1_epi64((long long)state),
                                 _mm512_mullo_epi64(_mm512_set_epi64(8, 7, 6, 5, 4, 3, 2, 1),
                                                    _mm512_set1_epi64((long long)GOLDEN)));
    const __m512i step = _mm512_set1_epi64((long long)(8 * GOLDEN));
    const __m512i mix1 = _mm512_set1_epi64((long long)MIX1), mix2 = _mm512_set1_epi64((long long)MIX2);
    const __m512i m = _mm512_set1_epi64((long long)multiplier), mHigh = _mm512_srli_epi64(m, 32);
    const __m512i d = _mm512_set1_epi64((long long)divisor), low32 = _mm512_set1_epi64(0xffffffffLL);
    const __m128i bits = _mm_cvtsi64_si128((long long)shift);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512i z = s;
        s = _mm512_add_epi64(s, step);
        z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), mix1);
        z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), mix2);
        __m512i x = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
        // t = ⌊m·x / 2⁶⁴⌋ from the four products of the 32-bit halves (each below 2⁶⁴, the middle sum below 3·2³²).
        __m512i xHigh = _mm512_srli_epi64(x, 32);
        __m512i ll = _mm512_mul_epu32(m, x), lh = _mm512_mul_epu32(m, xHigh);
        __m512i hl = _mm512_mul_epu32(mHigh, x), hh = _mm512_mul_epu32(mHigh, xHigh);
        __m512i middle = _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, low32)),
                                          _mm512_and_si512(hl, low32));
        __m512i t = _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(lh, 32)),
                                     _mm512_add_epi64(_mm512_srli_epi64(hl, 32), _mm512_srli_epi64(middle, 32)));
        __m512i q = _mm512_srl_epi64(_mm512_add_epi64(t, _mm512_srli_epi64(_mm512_sub_epi64(x, t), 1)), bits);
        _mm512_storeu_si512(out + i, _mm512_sub_epi64(x, _mm512_mullo_epi64(q, d)));
    }
    remainders_scalar(state + i * GOLDEN, count - i, divisor, multiplier, shift, out + i);
}

static int has_avx512dq(void) {
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    }
    return supported;
}
#endif

void sslmem_splitmix_remainders_variant(int wide, uint64_t state, size_t count, uint64_t divisor,
                                        uint64_t multiplier, unsigned shift, uint64_t *out) {
    if (divisor < 2) {
        for (size_t i = 0; i < count; i++) out[i] = 0;
        return;
    }
#if defined(__x86_64__)
    if (wide && has_avx512dq()) {
        remainders_avx512(state, count, divisor, multiplier, shift, out);
        return;
    }
#else
    (void)wide;
#endif
    remainders_scalar(state, count, divisor, multiplier, shift, out);
}

void sslmem_splitmix_remainders(uint64_t state, size_t count, uint64_t divisor, uint64_t multiplier,
                                unsigned shift, uint64_t *out) {
    sslmem_splitmix_remainders_variant(1, state, count, divisor, multiplier, shift, out);
}

#if defined(__x86_64__)
static int has_avx2(void) {
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx2");
    }
    return supported;
}

// Four resamples' sums of n drawn rows (draws of resample q at draws[q·stride …], its sums at out + q·outStride),
// four lanes per register: each lane adds its values in draw order from 0, as the plain loop.
__attribute__((target("avx2"))) static void sums4_avx2(const double *table, size_t width, const uint64_t *draws,
                                                       size_t stride, size_t n, double *out, size_t outStride) {
    for (size_t l = 0; l < width; l += 4) {
        __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t i = 0; i < n; i++) {
            a0 = _mm256_add_pd(a0, _mm256_loadu_pd(table + draws[i] * width + l));
            a1 = _mm256_add_pd(a1, _mm256_loadu_pd(table + draws[stride + i] * width + l));
            a2 = _mm256_add_pd(a2, _mm256_loadu_pd(table + draws[2 * stride + i] * width + l));
            a3 = _mm256_add_pd(a3, _mm256_loadu_pd(table + draws[3 * stride + i] * width + l));
        }
        _mm256_storeu_pd(out + l, a0);
        _mm256_storeu_pd(out + outStride + l, a1);
        _mm256_storeu_pd(out + 2 * outStride + l, a2);
        _mm256_storeu_pd(out + 3 * outStride + l, a3);
    }
}
#endif

// The bootstrap's sums of drawn table rows (sslmem_stats_kernels.h): resamples four at a time, so that with AVX2
// the four resamples' additions are independent chains (one addition's latency no longer paces each draw), each
// chain in its own draw order from 0: the same bits as the plain loop, which takes the rest (a last partial
// four, widths that are not whole fours, CPUs without AVX2).
void sslmem_bootstrap_row_sums(uint64_t seed, size_t first, size_t count, size_t groups, const size_t *sizes,
                               const uint64_t *multipliers, const unsigned *shifts, const double *const *tables,
                               size_t width, double *sums) {
    size_t perResample = 0, largest = 1;
    for (size_t j = 0; j < groups; j++) {
        perResample += sizes[j];
        if (sizes[j] > largest) largest = sizes[j];
    }
    uint64_t *draws = malloc(4 * largest * sizeof(uint64_t));
    if (!draws) abort();
    const size_t outStride = groups * width;  // from one resample's sums to the next one's
    for (size_t r0 = 0; r0 < count; r0 += 4) {
        size_t m = count - r0 < 4 ? count - r0 : 4;
        size_t offset = 0;  // draws of the groups before j in each resample
        for (size_t j = 0; j < groups; j++) {
            size_t n = sizes[j];
            for (size_t q = 0; q < m; q++) {
                uint64_t position = (uint64_t)(first + r0 + q) * perResample + offset;
                sslmem_splitmix_remainders(seed + position * GOLDEN, n, n ? n : 1, multipliers[j], shifts[j],
                                           draws + q * largest);
            }
            const double *table = tables[j];
            double *out = sums + r0 * outStride + j * width;
#if defined(__x86_64__)
            if (m == 4 && width % 4 == 0 && has_avx2()) {
                sums4_avx2(table, width, draws, largest, n, out, outStride);
                offset += n;
                continue;
            }
#endif
            for (size_t q = 0; q < m; q++) {
                double *sum = out + q * outStride;
                for (size_t l = 0; l < width; l++) sum[l] = 0;
                for (size_t i = 0; i < n; i++) {
                    const double *p = table + draws[q * largest + i] * width;
                    for (size_t l = 0; l < width; l++) sum[l] += p[l];
                }
            }
            offset += n;
        }
    }
    free(draws);
}
