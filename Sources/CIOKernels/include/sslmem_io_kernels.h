#ifndef SSLMEM_IO_KERNELS_H
#define SSLMEM_IO_KERNELS_H
// The kernels of the I/O layers: half-precision decoding (SSLMemHDF5's float16 datasets) and SHA-256
// (SSLMemIO's file digests in provenance).
#include <stddef.h>
#include <stdint.h>

/// n little-endian IEEE halves → floats (exact), with F16C when the CPU has it.
void sslmem_halves_to_floats(const uint16_t *halves, float *out, size_t n);

/// sslmem_halves_to_floats for halves at any address (a file mapping's, a row's tail): read through an aligned
/// buffer, 256 at a time.
void sslmem_unaligned_halves_to_floats(const void *halves, float *out, size_t n);

/// n halves stored byte-shuffled (the low bytes at `low`, the high bytes at `high`) → floats.
void sslmem_shuffled_halves_to_floats(const uint8_t *low, const uint8_t *high, float *out, size_t n);

/// 1 if this CPU has F16C and AVX2.
int sslmem_half_has_f16c(void);

/// The conversions with F16C allowed (`f16c` = 1, used when the CPU has it) or not (bit manipulation);
/// for tests, which check both against Swift's Float16.
void sslmem_halves_to_floats_variant(int f16c, const uint16_t *halves, float *out, size_t n);
void sslmem_shuffled_halves_to_floats_variant(int f16c, const uint8_t *low, const uint8_t *high, float *out,
                                              size_t n);

/// SHA-256 (FIPS 180-4): runs the compression function over `blocks` whole
/// 64-byte blocks of `data`, updating the eight state words. Uses the x86 SHA
/// extensions when the CPU has them (sslmem_sha256_has_instructions).
void sslmem_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// 1 if this CPU has the SHA extensions (and SSSE3, SSE4.1), else 0.
int sslmem_sha256_has_instructions(void);

/// sslmem_sha256_blocks with the SHA instructions (when the CPU has them, else
/// portable C) or portable C; for tests, which check both give the same state.
void sslmem_sha256_blocks_variant(int instructions, uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
