#ifndef SSLMEM_PLOT_KERNELS_H
#define SSLMEM_PLOT_KERNELS_H
// The kernel of SSLMemPlot: PNG row filtering (PNGEncoding.swift).
#include <stddef.h>
#include <stdint.h>

/// PNG filtering: writes each of `rows` rows of `raw` (row_bytes each, bpp
/// bytes per pixel) to `out` as a filter-type byte and the filtered row
/// (rows × (row_bytes + 1) bytes), choosing per row the type (0 None, 1 Sub,
/// 2 Up, 3 Average, 4 Paeth) with the smallest sum of |signed bytes|, the
/// lower type on ties. `scratch` holds 6 × row_bytes bytes. AVX2 when the CPU
/// has it; every version gives the same bytes.
void sslmem_png_filter(const uint8_t *raw, size_t rows, size_t row_bytes, size_t bpp, uint8_t *out,
                       uint8_t *scratch);

/// sslmem_png_filter with AVX2 allowed (`avx2` = 1, used when the CPU has it) or not; for tests.
void sslmem_png_filter_variant(int avx2, const uint8_t *raw, size_t rows, size_t row_bytes, size_t bpp,
                               uint8_t *out, uint8_t *scratch);

#endif
