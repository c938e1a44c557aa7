#ifndef SSLMEM_STATS_KERNELS_H
#define SSLMEM_STATS_KERNELS_H
// The kernel of SSLMemStats: the bootstrap's draws (Bootstrap.swift).
#include <stddef.h>
#include <stdint.h>

/// The next `count` numbers of SplitMix64 (Steele, Lea & Flood 2014) from `state`, each reduced modulo
/// `divisor`: with sᵢ = state + (i + 1)·γ (γ = 0x9E3779B97F4A7C15, mod 2⁶⁴) and xᵢ = mix(sᵢ),
/// out[i] = xᵢ mod divisor, the remainder formed without a division as Granlund & Montgomery (PLDI 1994,
/// Fig. 4.1) with `multiplier` = ⌊2⁶⁴(2^ℓ − d)/d⌋ + 1 and `shift` = ℓ − 1, ℓ = ⌈log₂ d⌉ (d ≥ 2; d = 1 gives
/// zeros). Eight at a time with AVX-512 (F and DQ) when the CPU has it: integer arithmetic, so every version
/// gives the same numbers.
void sslmem_splitmix_remainders(uint64_t state, size_t count, uint64_t divisor, uint64_t multiplier,
                                unsigned shift, uint64_t *out);

/// sslmem_splitmix_remainders with AVX-512 allowed (`wide` = 1, used when the CPU has it) or not; for tests.
void sslmem_splitmix_remainders_variant(int wide, uint64_t state, size_t count, uint64_t divisor,
                                        uint64_t multiplier, unsigned shift, uint64_t *out);

/// The bootstrap's sums of drawn rows, for resamples first ..< first + count: resample r's draws are the
/// SplitMix64 numbers from `seed` at positions r·P + (the sizes of the groups before j) + i (P = Σ sizes), i <
/// sizes[j], each mod sizes[j] (`multipliers`, `shifts`: its Granlund–Montgomery constants, as for
/// sslmem_splitmix_remainders); sums[((r − first)·groups + j)·width + l] = Σᵢ tables[j][draw·width + l], added in
/// draw order from 0 (row-major tables of `width` doubles per point). Four resamples at a time, each lane's sum
/// in its own order: the same bits as one resample after another. A group of size 0 sums to 0.
void sslmem_bootstrap_row_sums(uint64_t seed, size_t first, size_t count, size_t groups, const size_t *sizes,
                               const uint64_t *multipliers, const unsigned *shifts, const double *const *tables,
                               size_t width, double *sums);

#endif
