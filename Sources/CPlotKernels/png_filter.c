// PNG scanline filtering (PNG specification §9) for SurfacePNG.swift: every
// row gets the filter type whose output has the smallest sum of |signed
// bytes|, libpng's default heuristic; ties go to the lower type. The types are
// tried in order and the search stops at a cost of 0, which nothing beats (a
// row equal to the one above costs 0 with Up: most rows of a figure). Integer
// arithmetic only, in loops the compiler vectorizes; the AVX2 build and the
// baseline give the same bytes.
#include "sslmem_plot_kernels.h"

#include <string.h>

/// Row r filtered with type t (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) into f; `above` is the previous row
/// (zeros for the first). The bytes left of the first pixel count as 0 (a = c = 0 there).
static inline __attribute__((always_inline)) void filter_row(int t, const uint8_t *line, const uint8_t *above,
                                                             size_t row_bytes, size_t bpp, uint8_t *f) {
    size_t head = bpp < row_bytes ? bpp : row_bytes;
    switch (t) {
    case 0:
        memcpy(f, line, row_bytes);
        break;
    case 1:
        memcpy(f, line, head);
        for (size_t i = bpp; i < row_bytes; i++) f[i] = (uint8_t)(line[i] - line[i - bpp]);
        break;
    case 2:
        for (size_t i = 0; i < row_bytes; i++) f[i] = (uint8_t)(line[i] - above[i]);
        break;
    case 3:
        for (size_t i = 0; i < head; i++) f[i] = (uint8_t)(line[i] - (above[i] >> 1));
        for (size_t i = bpp; i < row_bytes; i++) f[i] = (uint8_t)(line[i] - (((int)line[i - bpp] + (int)above[i]) >> 1));
        break;
    default:  // Paeth: with a = c = 0 the predictor is b
        for (size_t i = 0; i < head; i++) f[i] = (uint8_t)(line[i] - above[i]);
        for (size_t i = bpp; i < row_bytes; i++) {
            int a = line[i - bpp], b = above[i], c = above[i - bpp];
            int pa = b - c, pb = a - c, pc = a + b - 2 * c;  // |p − a|, |p − b|, |p − c| with p = a + b − c
            pa = pa < 0 ? -pa : pa;
            pb = pb < 0 ? -pb : pb;
            pc = pc < 0 ? -pc : pc;
            f[i] = (uint8_t)(line[i] - ((pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)));
        }
    }
}

/// Every row: the first type with the smallest Σ|signed byte|, stopping at a cost of 0.
static inline __attribute__((always_inline)) void filter_rows(const uint8_t *raw, size_t rows, size_t row_bytes,
                                                              size_t bpp, uint8_t *out, uint8_t *scratch,
                                                              const uint8_t *zeros) {
    for (size_t r = 0; r < rows; r++) {
        const uint8_t *line = raw + r * row_bytes, *above = r ? line - row_bytes : zeros;
        const uint8_t *best_row = NULL;
        int best = 0;
        size_t best_cost = (size_t)-1;
        for (int t = 0; t < 5 && best_cost != 0; t++) {
            uint8_t *f = scratch + (size_t)t * row_bytes;
            filter_row(t, line, above, row_bytes, bpp, f);
            size_t cost = 0;
            for (size_t i = 0; i < row_bytes; i++) {
                int v = (int8_t)f[i];
                cost += (size_t)(v < 0 ? -v : v);
            }
            if (cost < best_cost) best = t, best_cost = cost, best_row = f;
        }
        uint8_t *o = out + r * (row_bytes + 1);
        o[0] = (uint8_t)best;
        memcpy(o + 1, best_row, row_bytes);
    }
}

static void filter_baseline(const uint8_t *raw, size_t rows, size_t row_bytes, size_t bpp, uint8_t *out,
                            uint8_t *scratch, const uint8_t *zeros) {
    filter_rows(raw, rows, row_bytes, bpp, out, scratch, zeros);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void filter_avx2(const uint8_t *raw, size_t rows, size_t row_bytes,
                                                        size_t bpp, uint8_t *out, uint8_t *scratch,
                                                        const uint8_t *zeros) {
    filter_rows(raw, rows, row_bytes, bpp, out, scratch, zeros);
}
#endif

void sslmem_png_filter_variant(int avx2, const uint8_t *raw, size_t rows, size_t row_bytes, size_t bpp,
                               uint8_t *out, uint8_t *scratch) {
    // The row above the first is zeros; it sits after the five candidate rows in `scratch`.
    uint8_t *zeros = scratch + 5 * row_bytes;
    memset(zeros, 0, row_bytes);
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (avx2 && __builtin_cpu_supports("avx2")) {
        filter_avx2(raw, rows, row_bytes, bpp, out, scratch, zeros);
        return;
    }
#endif
    (void)avx2;
    filter_baseline(raw, rows, row_bytes, bpp, out, scratch, zeros);
}

void sslmem_png_filter(const uint8_t *raw, size_t rows, size_t row_bytes, size_t bpp, uint8_t *out,
                       uint8_t *scratch) {
    sslmem_png_filter_variant(1, raw, rows, row_bytes, bpp, out, scratch);
}
