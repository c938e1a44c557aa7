// IEEE binary16 → binary32 for the HDF5 reader (SSLMemHDF5/HalfPrecision.swift):
// every half is exactly a float, so conversion is exact; with F16C (vcvtph2ps,
// every x86-64 CPU since Ivy Bridge and all AMD Zen) eight at a time, else by
// bits. Two layouts: plain little-endian halves, and halves byte-shuffled by
// HDF5's shuffle filter (the chunk's low bytes, then its high bytes), unshuffled
// on the fly. A NaN stays a NaN (F16C quiets a signalling one).
#include "sslmem_io_kernels.h"
#include <string.h>

static inline float half_bits_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {  // subnormal half: normalize
        int shift = 0;
        while (!(mantissa & 0x400)) { mantissa <<= 1; shift++; }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((mantissa & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static void halves_baseline(const uint8_t *low, const uint8_t *high, size_t stride, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = half_bits_to_float((uint16_t)(low[i * stride] | high[i * stride] << 8));
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,f16c")))
static void halves_f16c(const uint16_t *in, float *out, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(in + i))));
    for (; i < n; i++) out[i] = half_bits_to_float(in[i]);
}

__attribute__((target("avx2,f16c")))
static void shuffled_f16c(const uint8_t *low, const uint8_t *high, float *out, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i l = _mm_loadu_si128((const __m128i *)(low + i)), h = _mm_loadu_si128((const __m128i *)(high + i));
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_unpacklo_epi8(l, h)));
        _mm256_storeu_ps(out + i + 8, _mm256_cvtph_ps(_mm_unpackhi_epi8(l, h)));
    }
    for (; i < n; i++) out[i] = half_bits_to_float((uint16_t)(low[i] | high[i] << 8));
}
#endif

int sslmem_half_has_f16c(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
#else
    return 0;
#endif
}

static int use_f16c(int allowed) {
    static int supported = -1;
    if (supported < 0) supported = sslmem_half_has_f16c();
    return allowed && supported;
}

void sslmem_halves_to_floats_variant(int f16c, const uint16_t *halves, float *out, size_t n) {
#if defined(__x86_64__)
    if (use_f16c(f16c)) {
        halves_f16c(halves, out, n);
        return;
    }
#endif
    const uint8_t *bytes = (const uint8_t *)halves;  // little-endian
    halves_baseline(bytes, bytes + 1, 2, out, n);
}

void sslmem_unaligned_halves_to_floats(const void *halves, float *out, size_t n) {
    const unsigned char *bytes = halves;
    for (size_t e = 0; e < n; e += 256) {
        uint16_t bits[256];
        size_t m = n - e < 256 ? n - e : 256;
        memcpy(bits, bytes + 2 * e, 2 * m);
        sslmem_halves_to_floats(bits, out + e, m);
    }
}

void sslmem_shuffled_halves_to_floats_variant(int f16c, const uint8_t *low, const uint8_t *high, float *out,
                                              size_t n) {
#if defined(__x86_64__)
    if (use_f16c(f16c)) {
        shuffled_f16c(low, high, out, n);
        return;
    }
#endif
    halves_baseline(low, high, 1, out, n);
}

void sslmem_halves_to_floats(const uint16_t *halves, float *out, size_t n) {
    sslmem_halves_to_floats_variant(1, halves, out, n);
}

void sslmem_shuffled_halves_to_floats(const uint8_t *low, const uint8_t *high, float *out, size_t n) {
    sslmem_shuffled_halves_to_floats_variant(1, low, high, out, n);
}
