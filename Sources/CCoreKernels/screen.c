// The Float32 prefilter of the nearest-neighbour screen (NearestNeighbours.swift):
// which rows j of one target's SGEMM products ŝ pass fl(hⱼ − ŝⱼ) ≤ θ, or have a
// product that is not finite. One subtraction and one comparison per row, both
// exact IEEE operations, so every version selects the same rows; the AVX2
// version tests eight rows at once and only looks at rows whose lane is set.
#include "sslmem_core_kernels.h"
#include "sslmem_io_kernels.h"  // the half conversions (CIOKernels/half.c)

#include <math.h>

static size_t screen_baseline(const float *products, const float *halves, size_t from, size_t n, float theta,
                              int32_t first_row, int32_t *rows, size_t found) {
    for (size_t j = from; j < n; j++) {
        float product = products[j];
        if (halves[j] - product <= theta || !isfinite(product)) rows[found++] = first_row + (int32_t)j;
    }
    return found;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static size_t screen_avx2(const float *products, const float *halves, size_t n,
                                                          float theta, int32_t first_row, int32_t *rows) {
    const __m256 limit = _mm256_set1_ps(theta);
    const __m256 infinity = _mm256_set1_ps(INFINITY);
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    size_t found = 0, whole = n / 8 * 8;
    for (size_t j = 0; j < whole; j += 8) {
        __m256 product = _mm256_loadu_ps(products + j);
        __m256 estimate = _mm256_sub_ps(_mm256_loadu_ps(halves + j), product);
        // Passes: estimate ≤ θ (false for NaN), or |ŝ| is not below ∞ (∞ or NaN: not finite).
        __m256 pass = _mm256_or_ps(_mm256_cmp_ps(estimate, limit, _CMP_LE_OQ),
                                   _mm256_cmp_ps(_mm256_and_ps(product, magnitude), infinity, _CMP_NLT_UQ));
        unsigned mask = (unsigned)_mm256_movemask_ps(pass);
        while (mask) {
            rows[found++] = first_row + (int32_t)(j + (size_t)__builtin_ctz(mask));
            mask &= mask - 1;
        }
    }
    return screen_baseline(products, halves, whole, n, theta, first_row, rows, found);
}

static int has_avx2(void) {
    __builtin_cpu_init();  // idempotent; the workers call it concurrently
    return __builtin_cpu_supports("avx2");
}
#endif

size_t sslmem_screen_variant(int avx2, const float *products, const float *halves, size_t n, float theta,
                             int32_t first_row, int32_t *rows) {
#if defined(__x86_64__)
    if (avx2 && has_avx2()) return screen_avx2(products, halves, n, theta, first_row, rows);
#endif
    (void)avx2;
    return screen_baseline(products, halves, 0, n, theta, first_row, rows, 0);
}

size_t sslmem_screen(const float *products, const float *halves, size_t n, float theta, int32_t first_row,
                     int32_t *rows) {
    return sslmem_screen_variant(1, products, halves, n, theta, first_row, rows);
}

static float row_dot_baseline(const float *t, const float *p, size_t n) {
    float sum = 0;
    for (size_t i = 0; i < n; i++) sum += t[i] * p[i];
    return sum;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static void row_dots_avx2(const float *t, const float *base, size_t n,
                                                               const int32_t *rows, size_t count, float *out) {
    const size_t whole = n / 32 * 32;
    for (size_t r = 0; r < count; r++) {
        const float *p = base + (size_t)rows[r] * n;
        if (r + 2 < count) {  // the row after next, one cache line in 16 per step below
            const char *next = (const char *)(base + (size_t)rows[r + 2] * n);
            for (size_t b = 0; b < n * sizeof(float); b += 64) _mm_prefetch(next + b, _MM_HINT_T0);
        }
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (size_t i = 0; i < whole; i += 32) {
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i), _mm256_loadu_ps(p + i), a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i + 8), _mm256_loadu_ps(p + i + 8), a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i + 16), _mm256_loadu_ps(p + i + 16), a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i + 24), _mm256_loadu_ps(p + i + 24), a3);
        }
        __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
        half = _mm_add_ps(half, _mm_movehl_ps(half, half));
        half = _mm_add_ss(half, _mm_shuffle_ps(half, half, 1));
        float total = _mm_cvtss_f32(half);
        for (size_t i = whole; i < n; i++) total += t[i] * p[i];
        out[r] = total;
    }
}

static int has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

void sslmem_row_dots(const float *t, const float *base, size_t n, const int32_t *rows, size_t count, float *out) {
#if defined(__x86_64__)
    if (has_avx2_fma()) {
        row_dots_avx2(t, base, n, rows, count, out);
        return;
    }
#endif
    for (size_t r = 0; r < count; r++) out[r] = row_dot_baseline(t, base + (size_t)rows[r] * n, n);
}

// Half-precision copies of the public rows for the pruned search's screen (SpectralPruning.swift): the
// survivors' dot products read 2 bytes per value instead of 4 (they are bound by memory bandwidth). F16C's
// conversion rounds to nearest even, so a value x with |x| ≤ 65504 (the largest finite half) becomes h with
// |h − x| ≤ 2⁻¹¹|x| (normal range) or ≤ 2⁻²⁵ (below 2⁻¹⁴, subnormal spacing 2⁻²⁴); the caller's error bound
// counts both.
#if defined(__x86_64__)
__attribute__((target("avx2,f16c"))) static int floats_to_halves_f16c(const float *in, uint16_t *out, size_t n) {
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 largest = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 x = _mm256_loadu_ps(in + i);
        largest = _mm256_max_ps(largest, _mm256_and_ps(x, magnitude));
        _mm_storeu_si128((__m128i *)(out + i), _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, largest);
    int fits = 1;
    for (int l = 0; l < 8; l++) fits &= lanes[l] <= 65504.0f;
    for (; i < n; i++) {
        fits &= fabsf(in[i]) <= 65504.0f;
        out[i] = _cvtss_sh(in[i], _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    }
    return fits;
}

// The rows are scattered over a matrix far larger than the caches: while row r is summed, row r + 2 is fetched.
static inline void prefetch_after_next(const uint16_t *base, size_t n, const int32_t *rows, size_t r, size_t count) {
    if (r + 2 < count) {
        const char *next = (const char *)(base + (size_t)rows[r + 2] * n);
        for (size_t b = 0; b < n * sizeof(uint16_t); b += 64) _mm_prefetch(next + b, _MM_HINT_T0);
    }
}

__attribute__((target("avx2,fma,f16c"))) static void row_dots_half_avx2(const float *t, const uint16_t *base,
                                                                        size_t n, const int32_t *rows,
                                                                        size_t count, float *out) {
    const size_t whole = n / 32 * 32;
    for (size_t r = 0; r < count; r++) {
        const uint16_t *p = base + (size_t)rows[r] * n;
        prefetch_after_next(base, n, rows, r, count);
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (size_t i = 0; i < whole; i += 32) {
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + i))), a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i + 8),
                                 _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + i + 8))), a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i + 16),
                                 _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + i + 16))), a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(t + i + 24),
                                 _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + i + 24))), a3);
        }
        __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
        half = _mm_add_ps(half, _mm_movehl_ps(half, half));
        half = _mm_add_ss(half, _mm_shuffle_ps(half, half, 1));
        float total = _mm_cvtss_f32(half);
        for (size_t i = whole; i < n; i++) total += t[i] * _cvtsh_ss(p[i]);
        out[r] = total;
    }
}

// The same on AVX-512: 16 halves per conversion and FMA, 64 per step in four accumulators, then 16 at a time
// and one by one. Where F16C's 8-wide conversion is most of the work (its two µops per 8 values), this halves
// the instructions per value.
__attribute__((target("avx512f,avx2,fma,f16c"))) static void row_dots_half_avx512(const float *t,
                                                                               const uint16_t *base, size_t n,
                                                                               const int32_t *rows, size_t count,
                                                                               float *out) {
    const size_t whole = n / 64 * 64, sixteens = n / 16 * 16;
    for (size_t r = 0; r < count; r++) {
        const uint16_t *p = base + (size_t)rows[r] * n;
        prefetch_after_next(base, n, rows, r, count);
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        size_t i = 0;
        for (; i < whole; i += 64) {
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(t + i),
                                 _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + i))), a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(t + i + 16),
                                 _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + i + 16))), a1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(t + i + 32),
                                 _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + i + 32))), a2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(t + i + 48),
                                 _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + i + 48))), a3);
        }
        for (; i < sixteens; i += 16)
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(t + i), _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + i))),
                                 a0);
        float total = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
        for (; i < n; i++) total += t[i] * _cvtsh_ss(p[i]);
        out[r] = total;
    }
}
#endif

int sslmem_floats_to_halves(const float *in, uint16_t *out, size_t n) {
#if defined(__x86_64__)
    if (sslmem_half_has_f16c()) return floats_to_halves_f16c(in, out, n);
#endif
    (void)in;
    (void)out;
    (void)n;
    return 0;
}

int sslmem_row_dots_half_variant(int variant, const float *t, const uint16_t *base, size_t n, const int32_t *rows,
                                 size_t count, float *out) {
    if (!sslmem_kernel_supported(variant)) return 0;
#if defined(__x86_64__)
    if (variant != SSLMEM_KERNEL_BASELINE && !sslmem_half_has_f16c()) return 0;
    if (variant == SSLMEM_KERNEL_AVX512) {
        row_dots_half_avx512(t, base, n, rows, count, out);
        return 1;
    }
    if (variant == SSLMEM_KERNEL_AVX2_FMA) {
        row_dots_half_avx2(t, base, n, rows, count, out);
        return 1;
    }
#endif
    float chunk[64];
    for (size_t r = 0; r < count; r++) {
        const uint16_t *p = base + (size_t)rows[r] * n;
        float sum = 0;
        for (size_t i = 0; i < n; i += 64) {
            size_t m = n - i < 64 ? n - i : 64;
            sslmem_halves_to_floats_variant(0, p + i, chunk, m);
            for (size_t j = 0; j < m; j++) sum += t[i + j] * chunk[j];
        }
        out[r] = sum;
    }
    return 1;
}

void sslmem_row_dots_half(const float *t, const uint16_t *base, size_t n, const int32_t *rows, size_t count,
                          float *out) {
    static int chosen = -1;  // the widest variant this CPU runs (a race only writes the same value)
    if (chosen < 0) {
        int best = SSLMEM_KERNEL_BASELINE;
#if defined(__x86_64__)
        if (sslmem_half_has_f16c())
            best = sslmem_kernel_supported(SSLMEM_KERNEL_AVX512)     ? SSLMEM_KERNEL_AVX512
                   : sslmem_kernel_supported(SSLMEM_KERNEL_AVX2_FMA) ? SSLMEM_KERNEL_AVX2_FMA
                                                                     : SSLMEM_KERNEL_BASELINE;
#endif
        chosen = best;
    }
    sslmem_row_dots_half_variant(chosen, t, base, n, rows, count, out);
}
