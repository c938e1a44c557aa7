import CCoreKernels
import SSLMemIO
import SSLMemSupport

/// Half-precision copies of the public rows, for the pruned search's screen of
/// the rows its spectral bound cannot rule out (`SpectralPruning.swift`).
///
/// That screen reads a few hundred scattered rows per target from a matrix much
/// larger than the caches, so it is bound by memory bandwidth, not arithmetic:
/// rows of IEEE halves halve the bytes read. Its products ŝ are Float32 sums of
/// tᵢ·hᵢ (`sslmem_row_dots_half`), and the screen's interval is widened to cover
/// the halves' rounding:
///
/// - Each value x (|x| ≤ 65504, else no copy is made) is stored as h, x rounded
///   to nearest (F16C), so |h − x| ≤ 2⁻¹¹|x| in the normal range and ≤ 2⁻²⁵
///   below it (subnormal spacing 2⁻²⁴): |h − x| ≤ 2⁻¹¹|x| + 2⁻²⁵ for every x.
/// - |t·h − t·p| ≤ Σ|tᵢ||hᵢ − pᵢ| ≤ 2⁻¹¹‖t‖‖p‖ + 2⁻²⁵‖t‖₁ ≤ 2⁻¹¹‖t‖‖p‖ + 2⁻²⁵√D‖t‖
///   (Cauchy–Schwarz twice), and ‖h‖ ≤ (1 + 2⁻¹¹)‖p‖ + 2⁻²⁵√D.
/// - The Float32 sum in any order: |ŝ − t·h| ≤ γ_D‖t‖‖h‖ (Higham §3.1, as the
///   screen's bound for SGEMM).
///
/// So |ŝ − t·p| ≤ γ′‖t‖‖p‖ + a‖t‖ with γ′ = γ_D(1 + 2⁻¹¹) + 2⁻¹¹ and
/// a = 2⁻²⁵√D(1 + γ_D), each rounded up by a factor 1 + 2⁻⁴⁰ (more than the
/// Float64 evaluation's error); `NearestNeighbours.Screen` takes them as its γ
/// and a. The interval d̂ ± e is then about five times wider than with Float32
/// rows at D = 2,048 (2⁻¹⁰ against 2γ_D ≈ 2.4·10⁻⁴ relative to ‖t‖‖p‖): a few
/// more candidates stay open, and their exact distances (the Float32 rows) still
/// decide. The candidates, bounds and result follow the screen's argument
/// unchanged, so the neighbour sets are the same.
///
/// The copy asks for transparent huge pages (`madvise`) before it is written:
/// the screen's scattered rows then cost no page walks.
struct HalfRows: Sendable {
    /// N × D halves, row-major.
    let values: [UInt16]

    /// γ′ and a above, for rows of length `d`.
    static func screenTerms(length d: Int) -> (gamma: Double, absolute: Double) {
        let u = 0x1p-24
        let gammaD = Double(d) * u < 0.5 ? Double(d) * u / (1 - Double(d) * u) : Double.infinity
        let half = 0x1p-11
        return (
            (gammaD * (1 + half) + half) * (1 + 0x1p-40),
            0x1p-25 * Double(d).squareRoot() * (1 + gammaD) * (1 + 0x1p-40)
        )
    }

    /// The halves of `count` rows of length `d` at `rows`, on `workers` threads; nil when a value exceeds the
    /// largest half or the CPU has no F16C (the screen then reads the Float32 rows).
    static func make(_ rows: UnsafePointer<Float>, count n: Int, length d: Int, workers: Int) throws -> HalfRows? {
        guard n > 0, d > 0 else { return nil }
        let chunk = 1024
        let chunks = (n + chunk - 1) / chunk
        var fits = [Bool](repeating: false, count: chunks)
        let values = try [UInt16](unsafeUninitializedCapacity: n * d) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            try fits.withUnsafeMutableBufferPointer { fitBuffer in
                // Each chunk writes its own rows and flag; together they write every value.
                let input = ParallelBuffer(reading: rows)
                let output = ParallelBuffer(buffer)
                let flags = ParallelBuffer(fitBuffer)
                try ParallelBlocks.run(chunks, workers: workers, state: {}) { block, _ in
                    let range = (block * chunk)..<min(n, (block + 1) * chunk)
                    flags[block] =
                        sslmem_floats_to_halves(
                            input.base + range.lowerBound * d,
                            output.base + range.lowerBound * d, range.count * d) != 0
                }
            }
            initialized = n * d
        }
        return fits.allSatisfy { $0 } ? HalfRows(values: values) : nil
    }
}
