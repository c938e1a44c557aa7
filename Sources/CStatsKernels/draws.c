// The bootstrap's draws (Bootstrap.swift, sslmem_stats_kernels.h): SplitMix64 numbers reduced modulo the
// group size by Granlund & Montgomery's multiply-high remainder, in 64-bit integer arithmetic. The scalar
// loop is bound by its four 64-bit multiplies per draw; AVX-512 runs eight draws per step, the multiply-high
// from four 32 × 32 → 64-bit products (vpmuludq) and the low products with vpmullq (AVX-512DQ).
#include "sslmem_stats_kernels.h"

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
