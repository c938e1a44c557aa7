// Dot products of float vectors in double, for the alignment kernel
// (AlignmentKernel.swift): one dot, every dot among a point's views at once
// (its Gram matrix, in register-sized blocks of pairs), or the norms and dots of
// pairing `original` (in blocks of four views). Compiled for AVX2 + FMA and AVX-512
// beside baseline x86-64 and chosen at run time, like the squared-distance kernel
// (AVX-512 only for the Gram matrix of eight or more vectors: gram_avx512_8).
//
// The sum is defined, not left to the compiler: every product of two floats is
// exact in double, so an FMA and a multiply followed by an add give the same
// bits; element i goes to lane i mod 4, lanes run in increasing i, and
// dot = ((l₀ + l₁) + (l₂ + l₃)) + t, where t adds the elements past the last
// multiple of 4 in order. Every version, and the Gram matrix, give the same bits.
// Computing several dots in one pass changes only which chains run side by side,
// never the order within one: a pass keeps every chain in a register, so it is
// bound by FMA and conversion throughput instead of one FMA's latency per step.
#include "sslmem_core_kernels.h"
#include "sslmem_io_kernels.h"  // sslmem_unaligned_halves_to_floats (CIOKernels/half.c)
#include <stdlib.h>

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

static void original_dots_baseline(const float *o, const float *const *v, size_t k, size_t n, double *norms,
                                   double *dots) {
    for (size_t i = 0; i < k; i++) norms[i] = dot_baseline(v[i], v[i], n);
    norms[k] = dot_baseline(o, o, n);
    for (size_t i = 0; i < k; i++) dots[i] = dot_baseline(o, v[i], n);
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
// vector once and updates every pair. Writes gram[i·stride + j] and its mirror.
#define GRAM_AVX2(K)                                                                          \
    __attribute__((target("avx2,fma"))) static void gram_avx2_##K(const float *const *v,    \
                                                                  size_t n, double *gram,   \
                                                                  size_t stride) {          \
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
                gram[i * stride + j] = gram[j * stride + i] = finish(lane, v[i], v[j], whole, n); \
            }                                                                                 \
        }                                                                                     \
    }
GRAM_AVX2(1)
GRAM_AVX2(2)
GRAM_AVX2(3)
GRAM_AVX2(4)
GRAM_AVX2(5)
GRAM_AVX2(6)

// Every product a[r]·b[c] of R vectors a and C vectors b (R, C known at compile
// time; R·C accumulators and R + C converted vectors fit AVX2's 16 registers),
// into out[r·C + c]: one pass over the data for R·C dots.
#define RECT_AVX2(R, C)                                                                            \
    __attribute__((target("avx2,fma"))) static void rect_avx2_##R##_##C(                          \
        const float *const *a, const float *const *b, size_t n, double *out) {                    \
        __m256d acc[R * C], x[R], y[C];                                                            \
        for (int p = 0; p < R * C; p++) acc[p] = _mm256_setzero_pd();                             \
        size_t whole = n / 4 * 4;                                                                  \
        for (size_t e = 0; e < whole; e += 4) {                                                    \
            for (int r = 0; r < R; r++) x[r] = _mm256_cvtps_pd(_mm_loadu_ps(a[r] + e));           \
            for (int c = 0; c < C; c++) y[c] = _mm256_cvtps_pd(_mm_loadu_ps(b[c] + e));           \
            for (int r = 0; r < R; r++) {                                                          \
                for (int c = 0; c < C; c++) acc[r * C + c] = _mm256_fmadd_pd(x[r], y[c], acc[r * C + c]); \
            }                                                                                      \
        }                                                                                          \
        for (int r = 0; r < R; r++) {                                                              \
            for (int c = 0; c < C; c++) {                                                          \
                double lane[4];                                                                    \
                _mm256_storeu_pd(lane, acc[r * C + c]);                                            \
                out[r * C + c] = finish(lane, a[r], b[c], whole, n);                               \
            }                                                                                      \
        }                                                                                          \
    }
RECT_AVX2(1, 1)
RECT_AVX2(1, 2)
RECT_AVX2(1, 3)
RECT_AVX2(1, 4)
RECT_AVX2(2, 1)
RECT_AVX2(2, 2)
RECT_AVX2(2, 3)
RECT_AVX2(2, 4)

__attribute__((target("avx2,fma")))
static void tri_avx2(const float *const *v, size_t m, size_t n, double *gram, size_t stride) {
    switch (m) {
    case 1: gram_avx2_1(v, n, gram, stride); return;
    case 2: gram_avx2_2(v, n, gram, stride); return;
    case 3: gram_avx2_3(v, n, gram, stride); return;
    case 4: gram_avx2_4(v, n, gram, stride); return;
    case 5: gram_avx2_5(v, n, gram, stride); return;
    default: gram_avx2_6(v, n, gram, stride); return;
    }
}

__attribute__((target("avx2,fma")))
static void rect_avx2(const float *const *a, size_t r, const float *const *b, size_t c, size_t n, double *out) {
    switch (r * 8 + c) {
    case 9: rect_avx2_1_1(a, b, n, out); return;
    case 10: rect_avx2_1_2(a, b, n, out); return;
    case 11: rect_avx2_1_3(a, b, n, out); return;
    case 12: rect_avx2_1_4(a, b, n, out); return;
    case 17: rect_avx2_2_1(a, b, n, out); return;
    case 18: rect_avx2_2_2(a, b, n, out); return;
    case 19: rect_avx2_2_3(a, b, n, out); return;
    default: rect_avx2_2_4(a, b, n, out); return;
    }
}

// The pairs between the block of up to four vectors at bi and the block at bj > bi, two rows at a time (2 × 4
// accumulators), into gram (k × k) and its mirror.
__attribute__((target("avx2,fma")))
static void between_blocks_avx2(const float *const *v, size_t k, size_t n, double *gram, size_t bi, size_t bj) {
    size_t mi = k - bi < 4 ? k - bi : 4, mj = k - bj < 4 ? k - bj : 4;
    for (size_t r0 = bi; r0 < bi + mi; r0 += 2) {
        size_t rr = bi + mi - r0 < 2 ? bi + mi - r0 : 2;
        double out[8];
        rect_avx2(v + r0, rr, v + bj, mj, n, out);
        for (size_t r = 0; r < rr; r++) {
            for (size_t c = 0; c < mj; c++) gram[(r0 + r) * k + bj + c] = gram[(bj + c) * k + r0 + r] = out[r * mj + c];
        }
    }
}

// Up to six vectors: one pass. More (the experiment's eight views): in blocks of
// four, each block's own pairs in one pass (10 accumulators) and the pairs
// between two blocks two rows at a time (2 × 4 accumulators), so that every
// accumulator stays in a register; each pass is throughput-bound, where pair by
// pair each dot was one chain of dependent FMAs (four cycles per step).
__attribute__((target("avx2,fma")))
static void gram_avx2(const float *const *v, size_t k, size_t n, double *gram) {
    if (k <= 6) {
        if (k > 0) tri_avx2(v, k, n, gram, k);
        return;
    }
    for (size_t bi = 0; bi < k; bi += 4) {
        tri_avx2(v + bi, k - bi < 4 ? k - bi : 4, n, gram + bi * k + bi, k);
        for (size_t bj = bi + 4; bj < k; bj += 4) between_blocks_avx2(v, k, n, gram, bi, bj);
    }
}

// AVX-512, eight vectors (the experiment's eight views): all 36 pairs in one pass, two pairs per
// instruction. Each 512-bit register holds two 4-lane accumulators, each exactly one pair's four lanes of the
// AVX2 kernel, so every chain adds the same products in the same order: the same bits, with half the FMAs and
// conversions. With xᵢ the four converted elements of vector i at a step, Zᵢ = [xᵢ | xᵢ₊₄] and
// Sᵢ = [xᵢ₊₄ | xᵢ] (i < 4):
//   Zᵢ ⊙ Zⱼ (i ≤ j < 4): pairs (i, j) and (i + 4, j + 4), the two diagonal 4-blocks;
//   Zᵢ ⊙ Sⱼ (i ≤ j < 4): pairs (i, j + 4) and (j, i + 4), every pair across the blocks (i = j twice).
// 20 accumulators and 8 operands fit the 32 registers. gram8_step is one step; gram8_store adds each pair's
// elements past the last multiple of four (finish) and writes gram[i·stride + j] and its mirror. The two
// kernels below differ only in how they make Zᵢ: from floats, or from float16 converted in registers.
__attribute__((target("avx512f,fma"))) static inline __attribute__((always_inline)) void
gram8_step(const __m512d z[4], __m512d same[10], __m512d cross[10]) {
    __m512d s[4];
    for (int i = 0; i < 4; i++) s[i] = _mm512_shuffle_f64x2(z[i], z[i], _MM_SHUFFLE(1, 0, 3, 2));
    int p = 0;
    for (int i = 0; i < 4; i++) {
        for (int j = i; j < 4; j++, p++) {
            same[p] = _mm512_fmadd_pd(z[i], z[j], same[p]);
            cross[p] = _mm512_fmadd_pd(z[i], s[j], cross[p]);
        }
    }
}

// `t[i]` holds vector i's elements `from` ..< `to` (the tail finish adds).
__attribute__((target("avx512f"))) static inline __attribute__((always_inline)) void
gram8_store(const __m512d same[10], const __m512d cross[10], const float *const *t, size_t from, size_t to,
            double *gram, size_t stride) {
    int p = 0;
    for (int i = 0; i < 4; i++) {
        for (int j = i; j < 4; j++, p++) {
            double lane[8];
            _mm512_storeu_pd(lane, same[p]);
            gram[i * stride + j] = gram[j * stride + i] = finish(lane, t[i], t[j], from, to);
            gram[(i + 4) * stride + j + 4] = gram[(j + 4) * stride + i + 4] =
                finish(lane + 4, t[i + 4], t[j + 4], from, to);
            _mm512_storeu_pd(lane, cross[p]);
            gram[i * stride + j + 4] = gram[(j + 4) * stride + i] = finish(lane, t[i], t[j + 4], from, to);
            gram[j * stride + i + 4] = gram[(i + 4) * stride + j] = finish(lane + 4, t[j], t[i + 4], from, to);
        }
    }
}

__attribute__((target("avx512f,fma")))
static void gram_avx512_8(const float *const *v, size_t n, double *gram, size_t stride) {
    __m512d same[10], cross[10], z[4];
    for (int p = 0; p < 10; p++) same[p] = cross[p] = _mm512_setzero_pd();
    size_t whole = n / 4 * 4;
    for (size_t e = 0; e < whole; e += 4) {
        for (int i = 0; i < 4; i++) {
            __m256 both = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(v[i] + e)),
                                               _mm_loadu_ps(v[i + 4] + e), 1);
            z[i] = _mm512_cvtps_pd(both);
        }
        gram8_step(z, same, cross);
    }
    gram8_store(same, cross, v, whole, n, gram, stride);
}

// gram_avx512_8 on float16 vectors as stored (little-endian, any alignment): each step loads four halves of
// vectors i and i + 4 and converts them with F16C into the same eight floats that gram_avx512_8 builds from
// float copies (every half is exactly a float, every float exactly a double), so the Gram matrix has the same
// bits without a float copy of the vectors being written and read back. The elements past the last multiple
// of four are converted one vector at a time (sslmem_unaligned_halves_to_floats) for gram8_store.
__attribute__((target("avx512f,avx2,fma,f16c")))
static void gram_halves_avx512_8(const unsigned char *const *v, size_t n, double *gram) {
    __m512d same[10], cross[10], z[4];
    for (int p = 0; p < 10; p++) same[p] = cross[p] = _mm512_setzero_pd();
    size_t whole = n / 4 * 4;
    for (size_t e = 0; e < whole; e += 4) {
        for (int i = 0; i < 4; i++) {
            __m128i both = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(v[i] + 2 * e)),
                                              _mm_loadl_epi64((const __m128i *)(v[i + 4] + 2 * e)));
            z[i] = _mm512_cvtps_pd(_mm256_cvtph_ps(both));
        }
        gram8_step(z, same, cross);
    }
    float tail[8][4];
    const float *t[8];
    for (int i = 0; i < 8; i++) {
        sslmem_unaligned_halves_to_floats(v[i] + 2 * whole, tail[i], n - whole);
        t[i] = tail[i];
    }
    gram8_store(same, cross, t, 0, n - whole, gram, 8);
}

// Any k ≥ 8 with AVX-512: each whole block of eight vectors on the diagonal by gram_avx512_8, every other
// pair as gram_avx2 forms it (blocks of four: the diagonal blocks past the last whole eight, and the pairs
// between blocks that are not in one block of eight). Fewer than eight: gram_avx2.
__attribute__((target("avx512f,avx2,fma")))
static void gram_avx512(const float *const *v, size_t k, size_t n, double *gram) {
    if (k < 8) {
        gram_avx2(v, k, n, gram);
        return;
    }
    size_t eights = k / 8 * 8;
    for (size_t b = 0; b < eights; b += 8) gram_avx512_8(v + b, n, gram + b * k + b, k);
    for (size_t bi = 0; bi < k; bi += 4) {
        if (bi >= eights) tri_avx2(v + bi, k - bi < 4 ? k - bi : 4, n, gram + bi * k + bi, k);
        for (size_t bj = bi + 4; bj < k; bj += 4) {
            if (bj < eights && bi / 8 == bj / 8) continue;  // in one block of eight: done above
            between_blocks_avx2(v, k, n, gram, bi, bj);
        }
    }
}

// Pairing `original`: ‖vᵢ‖², ‖o‖² and o·vᵢ for up to four views vᵢ in one pass
// (M known at compile time; OO: whether this pass also forms ‖o‖²).
#define STAR_AVX2(M, OO)                                                                         \
    __attribute__((target("avx2,fma"))) static void star_avx2_##M##_##OO(                       \
        const float *o, const float *const *v, size_t n, double *norms, double *oo, double *dots) { \
        __m256d sq[M], cross[M], self = _mm256_setzero_pd(), x[M];                                \
        for (int i = 0; i < M; i++) sq[i] = cross[i] = _mm256_setzero_pd();                      \
        size_t whole = n / 4 * 4;                                                                 \
        for (size_t e = 0; e < whole; e += 4) {                                                   \
            __m256d y = _mm256_cvtps_pd(_mm_loadu_ps(o + e));                                    \
            for (int i = 0; i < M; i++) x[i] = _mm256_cvtps_pd(_mm_loadu_ps(v[i] + e));          \
            for (int i = 0; i < M; i++) sq[i] = _mm256_fmadd_pd(x[i], x[i], sq[i]);              \
            for (int i = 0; i < M; i++) cross[i] = _mm256_fmadd_pd(y, x[i], cross[i]);           \
            if (OO) self = _mm256_fmadd_pd(y, y, self);                                          \
        }                                                                                         \
        double lane[4];                                                                           \
        for (int i = 0; i < M; i++) {                                                             \
            _mm256_storeu_pd(lane, sq[i]);                                                        \
            norms[i] = finish(lane, v[i], v[i], whole, n);                                        \
            _mm256_storeu_pd(lane, cross[i]);                                                     \
            dots[i] = finish(lane, o, v[i], whole, n);                                            \
        }                                                                                         \
        if (OO) {                                                                                 \
            _mm256_storeu_pd(lane, self);                                                         \
            *oo = finish(lane, o, o, whole, n);                                                   \
        }                                                                                         \
    }
STAR_AVX2(1, 0)
STAR_AVX2(2, 0)
STAR_AVX2(3, 0)
STAR_AVX2(4, 0)
STAR_AVX2(1, 1)
STAR_AVX2(2, 1)
STAR_AVX2(3, 1)
STAR_AVX2(4, 1)

__attribute__((target("avx2,fma")))
static void original_dots_avx2(const float *o, const float *const *v, size_t k, size_t n, double *norms,
                               double *dots) {
    if (k == 0) {
        norms[0] = dot_avx2(o, o, n);
        return;
    }
    for (size_t b = 0; b < k; b += 4) {
        size_t m = k - b < 4 ? k - b : 4;
        double *oo = norms + k;
        switch (m * 2 + (b == 0)) {
        case 2: star_avx2_1_0(o, v + b, n, norms + b, oo, dots + b); break;
        case 3: star_avx2_1_1(o, v + b, n, norms + b, oo, dots + b); break;
        case 4: star_avx2_2_0(o, v + b, n, norms + b, oo, dots + b); break;
        case 5: star_avx2_2_1(o, v + b, n, norms + b, oo, dots + b); break;
        case 6: star_avx2_3_0(o, v + b, n, norms + b, oo, dots + b); break;
        case 7: star_avx2_3_1(o, v + b, n, norms + b, oo, dots + b); break;
        case 8: star_avx2_4_0(o, v + b, n, norms + b, oo, dots + b); break;
        default: star_avx2_4_1(o, v + b, n, norms + b, oo, dots + b); break;
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
    if (variant == SSLMEM_KERNEL_AVX512) {
        gram_avx512(vectors, k, n, gram);
        return 1;
    }
    if (variant == SSLMEM_KERNEL_AVX2_FMA) {
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

static int wide(void) {
    static int chosen = -1;
    if (chosen < 0) chosen = sslmem_kernel_supported(SSLMEM_KERNEL_AVX512);
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
    if (k >= 8 && wide()) {
        gram_avx512(vectors, k, n, gram);
        return;
    }
    if (fast()) {
        gram_avx2(vectors, k, n, gram);
        return;
    }
#endif
    gram_baseline(vectors, k, n, gram);
}

int sslmem_original_dots_variant(int variant, const float *original, const float *const *views, size_t k, size_t n,
                                 double *norms, double *dots) {
    if (!sslmem_kernel_supported(variant)) return 0;
#if defined(__x86_64__)
    if (variant == SSLMEM_KERNEL_AVX2_FMA || variant == SSLMEM_KERNEL_AVX512) {
        original_dots_avx2(original, views, k, n, norms, dots);
        return 1;
    }
#endif
    original_dots_baseline(original, views, k, n, norms, dots);
    return 1;
}

void sslmem_original_dots(const float *original, const float *const *views, size_t k, size_t n, double *norms,
                          double *dots) {
#if defined(__x86_64__)
    if (fast()) {
        original_dots_avx2(original, views, k, n, norms, dots);
        return;
    }
#endif
    original_dots_baseline(original, views, k, n, norms, dots);
}

int sslmem_gram_halves_fused(size_t k) {
#if defined(__x86_64__)
    return k == 8 && wide() && sslmem_half_has_f16c();
#else
    (void)k;
    return 0;
#endif
}

// Eight vectors with AVX-512 and F16C: converted as they are read (gram_halves_avx512_8). Otherwise each
// vector is converted into a float copy and sslmem_gram runs on the copies: the same bits either way.
int sslmem_gram_halves(const void *const *vectors, size_t k, size_t n, double *gram) {
#if defined(__x86_64__)
    if (sslmem_gram_halves_fused(k)) {
        gram_halves_avx512_8((const unsigned char *const *)vectors, n, gram);
        return 1;
    }
#endif
    if (k == 0) return 1;
    float *copy = malloc(k * (n ? n : 1) * sizeof(float));
    const float **rows = malloc(k * sizeof(float *));
    if (!copy || !rows) {
        free(copy);
        free(rows);
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        sslmem_unaligned_halves_to_floats(vectors[i], copy + i * n, n);
        rows[i] = copy + i * n;
    }
    sslmem_gram(rows, k, n, gram);
    free(rows);
    free(copy);
    return 1;
}
