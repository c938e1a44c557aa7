#ifndef SSLMEM_CORE_KERNELS_H
#define SSLMEM_CORE_KERNELS_H
// The kernels of SSLMemCore: the exact squared distance and dot product (alignment, Eq. 1), the Gram matrix,
// and the nearest-neighbour screen (Déjà Vu's kNN).
#include <stddef.h>
#include <stdint.h>

/// ‖t − p‖² of two float vectors of length n, accumulated in double-double
/// precision and rounded once to double (see SquaredDistance.swift for the
/// error bound). Uses AVX-512 or AVX2 with FMA when the CPU has them.
double sslmem_squared_distance(const float *t, const float *p, size_t n);

/// The compiled versions of the kernel, each built on every x86-64 machine;
/// sslmem_squared_distance runs the best one the CPU supports. For tests,
/// which run each version this CPU can run against the same exact values.
enum {
    SSLMEM_KERNEL_BASELINE = 0,  // x86-64 (SSE2) or the target's default: Dekker's product, no FMA
    SSLMEM_KERNEL_AVX2_FMA = 1,
    SSLMEM_KERNEL_AVX512 = 2,    // AVX-512F with FMA
};

/// 1 if this CPU can run `variant`, else 0.
int sslmem_kernel_supported(int variant);

/// The variant sslmem_squared_distance runs on this CPU.
int sslmem_kernel_chosen(void);

/// ‖t − p‖² by one variant; NaN if this CPU cannot run it.
double sslmem_squared_distance_variant(int variant, const float *t, const float *p, size_t n);

/// Σᵢ aᵢbᵢ of two float vectors of length n in double: exact products, four
/// lanes (element i in lane i mod 4) combined as ((l₀+l₁)+(l₂+l₃)) plus the
/// elements past the last multiple of 4 in order (see dot.c). AVX2 + FMA when
/// the CPU has it; every version gives the same bits. The AVX-512 variant runs
/// the AVX2 code for one dot (the conversions, not the width, bound the speed).
double sslmem_dot(const float *a, const float *b, size_t n);

/// sslmem_dot by one variant (SSLMEM_KERNEL_*); NaN if this CPU cannot run it.
double sslmem_dot_variant(int variant, const float *a, const float *b, size_t n);

/// Every dot product among k vectors of length n, into the k × k row-major
/// `gram` (both triangles): gram[i·k + j] = sslmem_dot(vectors[i], vectors[j], n)
/// bit for bit, with each vector read once per step (k ≤ 6), or once per pass over
/// a block of up to 4 × 4 pairs (k > 6); with AVX-512 and k ≥ 8, each block of eight
/// vectors' 36 pairs in one pass, two pairs per instruction (the same bits).
void sslmem_gram(const float *const *vectors, size_t k, size_t n, double *gram);

/// sslmem_gram by one variant; returns 0 (and writes nothing) if this CPU cannot run it.
int sslmem_gram_variant(int variant, const float *const *vectors, size_t k, size_t n, double *gram);

/// sslmem_gram of k float16 vectors (IEEE binary16, little-endian, any alignment) of length n, the same bits
/// as sslmem_gram of their float values (every half is exactly a float). With AVX-512 and F16C and k = 8 (the
/// experiment's eight views) the halves are converted as they are read, in registers; otherwise each vector
/// is first converted into a float copy. Returns 0 only if that copy could not be allocated (gram untouched).
int sslmem_gram_halves(const void *const *vectors, size_t k, size_t n, double *gram);

/// 1 if sslmem_gram_halves converts k vectors in registers on this CPU (no float copy), else 0.
int sslmem_gram_halves_fused(size_t k);

/// The dots of pairing `original` (one view against the un-augmented point): norms[i] = ‖vᵢ‖² for the k
/// views, norms[k] = ‖o‖², dots[i] = o·vᵢ, each bit for bit sslmem_dot of the same two vectors, in
/// passes over up to four views at once (each vector read once per pass).
void sslmem_original_dots(const float *original, const float *const *views, size_t k, size_t n, double *norms,
                          double *dots);

/// sslmem_original_dots by one variant; returns 0 (and writes nothing) if this CPU cannot run it.
int sslmem_original_dots_variant(int variant, const float *original, const float *const *views, size_t k, size_t n,
                                 double *norms, double *dots);

/// UnitMem's activation sums of one view [outer, units, inner] (UnitActivations.swift): for each o and u,
/// s = Σᵢ view[(o·units + u)·inner + i] in double, added in increasing i starting from 0, then
/// sums[u] += s (o increasing). Returns 0 if some s is not finite (all sums still added), else 1.
/// Exactly the sums of that loop written out, with several units' chains interleaved.
/// With AVX-512, sixteen or eight units at a time in 512-bit registers (the same bits; see units.c).
int sslmem_unit_sums(const float *view, size_t outer, size_t units, size_t inner, double *sums);

/// sslmem_unit_sums of a float16 view (IEEE binary16, little-endian, any alignment), read as stored: the same
/// bits as sslmem_unit_sums of its Float values. Each unit's sum of at most 2¹³ halves is exact in double in any
/// order (units.c), so the values are added as they lie, sixteen at a time, without the transposes the float
/// kernel needs to keep its order. Runs where sslmem_unit_sums_halves_fused(inner) is 1 (the return value is that
/// of sslmem_unit_sums); returns -1 (and writes nothing) elsewhere.
int sslmem_unit_sums_halves(const void *view, size_t outer, size_t units, size_t inner, double *sums);

/// 1 if sslmem_unit_sums_halves runs on this CPU for `inner` values per unit and position: AVX-512 (F, BW and
/// VL) and F16C, and 1 ≤ inner ≤ 8192; else 0.
int sslmem_unit_sums_halves_fused(size_t inner);

/// sslmem_unit_sums by one variant (SSLMEM_KERNEL_*; AVX2 runs the baseline); -1 (and writes nothing) if this
/// CPU cannot run it.
int sslmem_unit_sums_variant(int variant, const float *view, size_t outer, size_t units, size_t inner,
                             double *sums);

/// The nearest-neighbour screen's Float32 prefilter for one target and panel
/// (NearestNeighbours.swift): writes first_row + j to `rows`, in increasing j,
/// for every j < n with fl(halves[j] − products[j]) ≤ theta or products[j] not
/// finite, and returns how many it wrote (at most n). AVX2 when the CPU has it;
/// every version selects the same rows.
size_t sslmem_screen(const float *products, const float *halves, size_t n, float theta, int32_t first_row,
                     int32_t *rows);

/// sslmem_screen with AVX2 allowed (`avx2` = 1, used when the CPU has it) or not; for tests.
size_t sslmem_screen_variant(int avx2, const float *products, const float *halves, size_t n, float theta,
                             int32_t first_row, int32_t *rows);

/// Float32 dot products of the vector t (n values) with the rows rows[0..<count]
/// of the row-major matrix `base` (row length n), into out: Float32 sums in
/// an unspecified order (the nearest-neighbour screen's error bound γ_n‖t‖‖p‖
/// holds for any order). The next rows are prefetched while one is summed, as
/// the rows are scattered over a matrix much larger than the caches. AVX2 +
/// FMA when the CPU has them.
void sslmem_row_dots(const float *t, const float *base, size_t n, const int32_t *rows, size_t count, float *out);

/// IEEE halves of n floats (round to nearest even, F16C) into `out`; returns 1
/// when every |x| ≤ 65504 (then |h − x| ≤ 2⁻¹¹|x| + 2⁻²⁵ for each value), 0 when
/// a value is larger or the CPU lacks F16C (then `out` is not to be used).
int sslmem_floats_to_halves(const float *in, uint16_t *out, size_t n);

/// sslmem_row_dots with the rows stored as IEEE halves (sslmem_floats_to_halves):
/// Float32 products and sums of t with the halves, in an unspecified order.
/// AVX-512 (16 halves per step) or AVX2 + FMA + F16C (8) when the CPU has them.
void sslmem_row_dots_half(const float *t, const uint16_t *base, size_t n, const int32_t *rows, size_t count,
                          float *out);

/// sslmem_row_dots_half by one variant (SSLMEM_KERNEL_*; the vector ones also need F16C); returns 0 (writing
/// nothing) if this CPU cannot run it. For tests: each variant's sums are in their own order.
int sslmem_row_dots_half_variant(int variant, const float *t, const uint16_t *base, size_t n, const int32_t *rows,
                                 size_t count, float *out);

/// 1 if this CPU has AMX-TILE and AMX-BF16 and the system granted the process the tile state
/// (Linux: arch_prctl ARCH_REQ_XCOMP_PERM), else 0. Asked once.
int sslmem_amx_bf16_ready(void);

/// bfloat16 values a packed set of `rows` rows of length d takes (groups of 16 rows × chunks of 32 columns,
/// 512 values per tile).
size_t sslmem_bf16_packed_count(size_t rows, size_t d);

/// Rounds `rows` × d floats to bfloat16 (to nearest, ties to even; below 2⁻¹²⁶ flushed to zero) into `out`
/// (sslmem_bf16_packed_count values), as the left operand's row tiles (`right` = 0) or the right operand's
/// pair-interleaved tiles (`right` = 1), zero-padded (bf16_gemm.c). With `relative` (else NULL), each row's
/// rounding error ‖x − b(x)‖/‖x‖ (0 for a zero row), computed in double from the exact differences.
void sslmem_bf16_pack(const float *x, size_t rows, size_t d, int right, uint16_t *out, double *relative);

/// c[i·ldc + j] = ŝ ≈ Σ a_i·b_j over the packed rows (m16 and n16 groups of 16, row length d) with AMX, every
/// (i, j) of the padded 16·m16 × 16·n16 block written. With α and ρ the two rows' relative rounding errors
/// (sslmem_bf16_pack), |ŝ − t·p| ≤ (α + (1 + α)ρ + γ_D(1 + α)(1 + ρ))‖t‖‖p‖ + 3D·2⁻¹²⁶ for the unrounded
/// rows t and p (bf16_gemm.c). Returns 0 (writing nothing) where sslmem_amx_bf16_ready() is 0.
int sslmem_bf16_gemm(size_t m16, size_t n16, size_t d, const uint16_t *a, const uint16_t *b, float *c, size_t ldc);

#endif
