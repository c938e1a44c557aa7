// The Float32 prefilter of the nearest-neighbour screen (NearestNeighbours.swift):
// which rows j of one target's SGEMM products ŝ pass fl(hⱼ − ŝⱼ) ≤ θ, or have a
// product that is not finite. One subtraction and one comparison per row, both
// exact IEEE operations, so every version selects the same rows; the AVX2
// version tests eight rows at once and only looks at rows whose lane is set.
#include "sslmem_kernels.h"

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
