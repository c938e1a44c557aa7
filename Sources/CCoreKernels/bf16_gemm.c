// A BFloat16 product of two row sets on Intel AMX (AMX-TILE and AMX-BF16), for the exact nearest-neighbour
// search's screen (NearestNeighbours.swift, BFloat16Screen.swift), which needs estimates of t·p with a proven
// error bound, not accurate products: every row that passes the screen is screened again with Float32 dots.
//
// Packing: each value x is rounded to bfloat16 b(x) by round-to-nearest-even; a result below the smallest
// normal bfloat16 (2⁻¹²⁶) is flushed to zero, as the tile unit reads such inputs. δ = x − b(x) is exact in
// double, so the packing also returns each row's ‖δ‖/‖x‖ (α for a target, ρ for a public row; at most
// 2⁻⁸ but for flushed values, and about half that on typical rows). Rows go in groups of 16 (a tile's rows)
// and columns in chunks of 32 (a tile's 64 bytes), zero-padded; the left operand as row tiles, the right in
// the pair-interleaved order the unit reads.
//
// Product: TDPBF16PS multiplies pairs of bfloat16 values (each product exact in Float32) and adds them into
// Float32 accumulators, rounding to nearest even, with input and output denormals flushed to zero (Intel SDM,
// "TDPBF16PS"). Whatever the order of those additions inside the unit, each is one rounded Float32 operation,
// so the computed ŝ differs from b(t)·b(p) by at most γ_D Σ|b(t)ᵢ b(p)ᵢ| (γ_D = Du/(1 − Du), u = 2⁻²⁴) plus
// 2⁻¹²⁶ per flushed result (at most 2D, and 3D covers the carried error). With
// t·p − b(t)·b(p) = δ_t·p + b(t)·δ_p and ‖b(x)‖ ≤ ‖x‖ + ‖δ_x‖ (Cauchy–Schwarz):
//
//     |ŝ − t·p| ≤ (α + (1 + α)ρ + γ_D(1 + α)(1 + ρ)) ‖t‖‖p‖ + 3D·2⁻¹²⁶.
//
// A 2 × 2 block of 16 × 16 output tiles per pass over the columns (block_2x2), each operand tile loaded once
// per chunk; the right operand in blocks that stay in the L2 cache.
#include "sslmem_core_kernels.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static inline uint16_t bf16_of(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    if ((u & 0x7f800000u) == 0x7f800000u) return (uint16_t)((u >> 16) | ((u & 0xffff) ? 0x40 : 0));  // Inf, NaN
    uint32_t r = u + 0x7fffu + ((u >> 16) & 1u);  // to nearest, ties to even (may round up to Inf)
    uint16_t h = (uint16_t)(r >> 16);
    if ((h & 0x7f80u) == 0) h &= 0x8000u;  // below the smallest normal: flushed, as the unit reads it
    return h;
}

#if defined(__x86_64__) && defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>

typedef struct {
    uint8_t palette, start;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} tile_config;

// Output tiles (g, h), (g, h + 1), (g + 1, h), (g + 1, h + 1) (the second of each pair where `twoG` / `twoH`)
// over every chunk of columns: tiles 0–3 accumulate, 4–5 hold left tiles, 6–7 right ones.
__attribute__((target("amx-tile,amx-bf16"))) static inline void block_2x2(const uint16_t *a0, const uint16_t *a1,
                                                                          const uint16_t *b0, const uint16_t *b1,
                                                                          size_t chunks, int twoG, int twoH,
                                                                          float *c00, size_t ldc) {
    const size_t tile = 512, stride = ldc * sizeof(float);  // 16 × 32 bfloat16 per operand tile
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
    if (twoG && twoH) {
        for (size_t k = 0; k < chunks; k++) {
            _tile_loadd(4, a0 + k * tile, 64);
            _tile_loadd(6, b0 + k * tile, 64);
            _tile_dpbf16ps(0, 4, 6);
            _tile_loadd(7, b1 + k * tile, 64);
            _tile_dpbf16ps(1, 4, 7);
            _tile_loadd(5, a1 + k * tile, 64);
            _tile_dpbf16ps(2, 5, 6);
            _tile_dpbf16ps(3, 5, 7);
        }
    } else {
        for (size_t k = 0; k < chunks; k++) {
            _tile_loadd(4, a0 + k * tile, 64);
            _tile_loadd(6, b0 + k * tile, 64);
            _tile_dpbf16ps(0, 4, 6);
            if (twoH) {
                _tile_loadd(7, b1 + k * tile, 64);
                _tile_dpbf16ps(1, 4, 7);
            }
            if (twoG) {
                _tile_loadd(5, a1 + k * tile, 64);
                _tile_dpbf16ps(2, 5, 6);
                if (twoH) _tile_dpbf16ps(3, 5, 7);
            }
        }
    }
    _tile_stored(0, c00, stride);
    if (twoH) _tile_stored(1, c00 + 16, stride);
    if (twoG) _tile_stored(2, c00 + 16 * ldc, stride);
    if (twoG && twoH) _tile_stored(3, c00 + 16 * ldc + 16, stride);
}

__attribute__((target("amx-tile,amx-bf16"))) static void gemm_amx(size_t m16, size_t n16, size_t chunks,
                                                                  const uint16_t *a, const uint16_t *b, float *c,
                                                                  size_t ldc) {
    tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int t = 0; t < 8; t++) {
        config.rows[t] = 16;
        config.colsb[t] = 64;
    }
    _tile_loadconfig(&config);
    const size_t group = chunks * 512;  // bfloat16 values per group of 16 packed rows
    // Right-operand blocks of `span` groups (512 KiB at D = 2,048) stay in the L2 cache while every pair of left
    // groups passes over them, so each left pair is read once per block (span 8 measured best of 2–256 here).
    size_t span = chunks <= 64 ? 8 : 2;
    for (size_t first = 0; first < n16; first += span) {
        size_t end = first + span < n16 ? first + span : n16;
        for (size_t g = 0; g < m16; g += 2) {
            int twoG = g + 1 < m16;
            for (size_t h = first; h < end; h += 2) {
                int twoH = h + 1 < end;
                const uint16_t *a0 = a + g * group, *b0 = b + h * group;
                block_2x2(a0, twoG ? a0 + group : a0, b0, twoH ? b0 + group : b0, chunks, twoG, twoH,
                          c + g * 16 * ldc + h * 16, ldc);
            }
        }
    }
    _tile_release();
}

int sslmem_amx_bf16_ready(void) {
    static int ready = -1;  // a benign race: every thread computes the same answer
    int r = __atomic_load_n(&ready, __ATOMIC_RELAXED);
    if (r >= 0) return r;
    unsigned eax, ebx, ecx, edx;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(0));
    int cpu = (edx >> 22 & 1) && (edx >> 24 & 1);  // AMX-BF16, AMX-TILE
    // Linux hands out the tile state only to a process that asks (ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA).
    r = cpu && syscall(SYS_arch_prctl, 0x1023, 18) == 0;
    __atomic_store_n(&ready, r, __ATOMIC_RELAXED);
    return r;
}
#else
int sslmem_amx_bf16_ready(void) { return 0; }
#endif

size_t sslmem_bf16_packed_count(size_t rows, size_t d) { return (rows + 15) / 16 * ((d + 31) / 32) * 512; }

static inline float bf16_value(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

// One row's bfloat16 values into `bits`, with Σ(x − b(x))² and Σx² in double (x − b(x) is exact in float).
static void round_row(const float *x, size_t d, uint16_t *bits, double *error, double *norm) {
    double e2 = 0, n2 = 0;
    for (size_t i = 0; i < d; i++) {
        uint16_t h = bf16_of(x[i]);
        bits[i] = h;
        double e = (double)x[i] - (double)bf16_value(h);
        e2 += e * e;
        n2 += (double)x[i] * (double)x[i];
    }
    *error = e2;
    *norm = n2;
}

#if defined(__x86_64__)
// round_row sixteen values at a time (finite rows; a row with Inf or NaN takes round_row): the same bits, the
// sums in another order.
__attribute__((target("avx512f"))) static void round_row_avx512(const float *x, size_t d, uint16_t *bits,
                                                                double *error, double *norm) {
    __m512d e0 = _mm512_setzero_pd(), e1 = e0, n0 = e0, n1 = e0;
    const __m512i exponent = _mm512_set1_epi32(0x7f800000), bias = _mm512_set1_epi32(0x7fff),
                  one = _mm512_set1_epi32(1), normal = _mm512_set1_epi32(0x7f80), sign = _mm512_set1_epi32(0x8000);
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        __m512i u = _mm512_castps_si512(v);
        if (_mm512_cmpeq_epi32_mask(_mm512_and_si512(u, exponent), exponent)) {
            round_row(x, d, bits, error, norm);
            return;
        }
        __m512i r = _mm512_add_epi32(_mm512_add_epi32(u, bias), _mm512_and_si512(_mm512_srli_epi32(u, 16), one));
        __m512i h = _mm512_srli_epi32(r, 16);
        h = _mm512_mask_and_epi32(h, _mm512_testn_epi32_mask(h, normal), h, sign);  // flushed below 2⁻¹²⁶
        _mm256_storeu_si256((__m256i *)(bits + i), _mm512_cvtepi32_epi16(h));
        __m512 delta = _mm512_sub_ps(v, _mm512_castsi512_ps(_mm512_slli_epi32(h, 16)));
        __m512d dl = _mm512_cvtps_pd(_mm512_castps512_ps256(delta));
        __m512d dh = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(delta), 1)));
        __m512d vl = _mm512_cvtps_pd(_mm512_castps512_ps256(v));
        __m512d vh = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
        e0 = _mm512_fmadd_pd(dl, dl, e0);
        e1 = _mm512_fmadd_pd(dh, dh, e1);
        n0 = _mm512_fmadd_pd(vl, vl, n0);
        n1 = _mm512_fmadd_pd(vh, vh, n1);
    }
    double tailError, tailNorm;
    round_row(x + i, d - i, bits + i, &tailError, &tailNorm);
    *error = _mm512_reduce_add_pd(_mm512_add_pd(e0, e1)) + tailError;
    *norm = _mm512_reduce_add_pd(_mm512_add_pd(n0, n1)) + tailNorm;
}
#endif

void sslmem_bf16_pack(const float *x, size_t rows, size_t d, int right, uint16_t *out, double *relative) {
    size_t chunks = (d + 31) / 32, groups = (rows + 15) / 16;
    memset(out, 0, groups * chunks * 512 * sizeof(uint16_t));
    uint16_t *bits = malloc((chunks * 32 + 1) * sizeof(uint16_t));
    if (!bits) abort();
#if defined(__x86_64__)
    __builtin_cpu_init();
    int wide = __builtin_cpu_supports("avx512f");
#endif
    for (size_t r = 0; r < rows; r++) {
        size_t g = r / 16, rr = r % 16;
        double error, norm;
#if defined(__x86_64__)
        if (wide) round_row_avx512(x + r * d, d, bits, &error, &norm);
        else
#endif
            round_row(x + r * d, d, bits, &error, &norm);
        memset(bits + d, 0, (chunks * 32 - d) * sizeof(uint16_t));
        for (size_t c = 0; c < chunks; c++) {
            uint16_t *tile = out + (g * chunks + c) * 512;
            if (right) {  // pairs of columns (2p, 2p + 1) at tile row p, column pair rr
                for (size_t p = 0; p < 16; p++) memcpy(tile + p * 32 + rr * 2, bits + c * 32 + 2 * p, 4);
            } else {
                memcpy(tile + rr * 32, bits + c * 32, 64);
            }
        }
        if (relative) relative[r] = norm > 0 ? sqrt(error) / sqrt(norm) : (error > 0 ? INFINITY : 0);
    }
    free(bits);
}

int sslmem_bf16_gemm(size_t m16, size_t n16, size_t d, const uint16_t *a, const uint16_t *b, float *c, size_t ldc) {
#if defined(__x86_64__) && defined(__linux__)
    if (!sslmem_amx_bf16_ready()) return 0;
    gemm_amx(m16, n16, (d + 31) / 32, a, b, c, ldc);
    return 1;
#else
    (void)m16, (void)n16, (void)d, (void)a, (void)b, (void)c, (void)ldc;
    return 0;
#endif
}
