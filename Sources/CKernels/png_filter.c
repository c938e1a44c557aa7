// PNG scanline filtering (PNG specification §9) for SurfacePNG.swift: every
// row gets the filter type whose output has the smallest sum of |signed
// bytes|, libpng's default heuristic; ties go to the lower type.
#include "sslmem_kernels.h"

#include <stdlib.h>
#include <string.h>

static inline uint8_t paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return (uint8_t)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

static inline size_t cost(const uint8_t *f, size_t n) {
    size_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += f[i] < 128 ? f[i] : 256 - f[i];
    return sum;
}

void sslmem_png_filter(const uint8_t *raw, size_t rows, size_t row_bytes, size_t bpp, uint8_t *out,
                       uint8_t *scratch) {
    uint8_t *candidate[5];
    for (int t = 0; t < 5; t++) candidate[t] = scratch + (size_t)t * row_bytes;
    for (size_t r = 0; r < rows; r++) {
        const uint8_t *line = raw + r * row_bytes, *above = r ? line - row_bytes : NULL;
        for (size_t i = 0; i < row_bytes; i++) {
            int x = line[i], a = i >= bpp ? line[i - bpp] : 0, b = above ? above[i] : 0;
            int c = above && i >= bpp ? above[i - bpp] : 0;
            candidate[0][i] = (uint8_t)x;
            candidate[1][i] = (uint8_t)(x - a);
            candidate[2][i] = (uint8_t)(x - b);
            candidate[3][i] = (uint8_t)(x - ((a + b) >> 1));
            candidate[4][i] = (uint8_t)(x - paeth(a, b, c));
        }
        int best = 0;
        size_t best_cost = cost(candidate[0], row_bytes);
        for (int t = 1; t < 5; t++) {
            size_t c = cost(candidate[t], row_bytes);
            if (c < best_cost) best = t, best_cost = c;
        }
        uint8_t *o = out + r * (row_bytes + 1);
        o[0] = (uint8_t)best;
        memcpy(o + 1, candidate[best], row_bytes);
    }
}
