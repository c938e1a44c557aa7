import CCoreKernels
import Foundation
import SSLMemHDF5
import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemCore

/// The brute-force search's bfloat16 screen on AMX (BFloat16Screen.swift, CCoreKernels/bf16_gemm.c): the same
/// neighbours as the Float32 SGEMM screen, ordered and as sets, on isotropic rows, a decaying spectrum, exact
/// duplicates and ties, and near-equal distances that bfloat16 reorders, with several worker counts and shapes
/// that leave partial tiles; a bound without bfloat16's rounding loses neighbours on the near-equal rows. The
/// packing rounds as documented and reports each row's rounding error, and every product lies within its
/// bound. Where the CPU or the system gives no AMX, `BFloat16Screen.applies` is false and the search screens
/// with SGEMM (the equality tests then compare the SGEMM screen with itself).
@Suite struct BFloat16ScreenTests {
    static var ready: Bool { sslmem_amx_bf16_ready() != 0 }

    /// Float32 screen, bfloat16 screen and the Float64 ranking, for ks, ordered and as sets, 1–3 workers.
    func expectSameNeighbours(
        targets: [Float], count: Int, rows: [Float], length d: Int, ks: [Int], _ label: String,
        in directory: TemporaryDirectory
    ) throws {
        let reader = try publicRowsReader(rows, length: d, in: directory, name: label)
        let n = rows.count / d
        for k in ks {
            // Float64 distances ranked with ties by row: the answer both screens must give.
            let expected = (0..<count).flatMap { t -> [Int32] in
                let distances = (0..<n).map { j in
                    (0..<d).reduce(0.0) {
                        let x = Double(targets[t * d + $1]) - Double(rows[j * d + $1])
                        return $0 + x * x
                    }
                }
                return (0..<n).sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(k).map(Int32.init)
            }
            let expectedSets = (0..<count).flatMap { expected[($0 * k)..<(($0 + 1) * k)].sorted() }
            for workers in [1, 2, 3] {
                for products in [NearestNeighbours.ProductScreen.float32, .bfloat16(.none)] {
                    let ordered = try NearestNeighbours.nearest(
                        targets: targets, count: count, publicRows: reader, k: k, ordered: true, workers: workers,
                        pruning: .off, products: products)
                    #expect(ordered == expected, "\(label): ordered, k = \(k), \(workers) workers, \(products)")
                    let sets = try NearestNeighbours.nearest(
                        targets: targets, count: count, publicRows: reader, k: k, ordered: false, workers: workers,
                        pruning: .off, products: products)
                    #expect(sets == expectedSets, "\(label): sets, k = \(k), \(workers) workers, \(products)")
                }
            }
        }
    }

    @Test func sameNeighboursAsTheFloat32Screen() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 61)
        // Isotropic rows, 70 targets (a partial tile of targets) against 1,000 rows of 40 values.
        let d = 40
        let isotropic = (0..<(1_000 * d)).map { _ in Float(rng.normal()) }
        let targets = (0..<(70 * d)).map { _ in Float(rng.normal()) }
        try expectSameNeighbours(
            targets: targets, count: 70, rows: isotropic, length: d, ks: [1, 10, 57], "isotropic", in: directory)
        // A decaying spectrum around class centres (the pruning tests' generator), 72 values per row.
        var data = SpectralPruningTests.Data(seed: 62)
        let (decaying, decayingTargets) = data.decayingSet(public: 900, targets: 50, length: 72)
        try expectSameNeighbours(
            targets: decayingTargets, count: 50, rows: decaying, length: 72, ks: [1, 25], "decaying",
            in: directory)
        // Small integers: exact duplicates, exact ties, and targets equal to public rows.
        func row() -> [Float] { (0..<33).map { _ in Float(Int.random(in: -2...2, using: &rng)) } }
        var tied = (0..<600).map { _ in row() }
        tied += tied.prefix(150)
        tied += Array(repeating: tied[3], count: 30)
        let tiedTargets = (0..<40).map { _ in row() } + [tied[3], tied[4]]
        try expectSameNeighbours(
            targets: tiedTargets.flatMap { $0 }, count: tiedTargets.count, rows: tied.flatMap { $0 }, length: 33,
            ks: [1, 7, 40], "ties", in: directory)
    }

    /// Rows within 0.05 of one point v (‖v‖² ≈ 48): the distances differ by about 10⁻³, far below bfloat16's
    /// error in t·p (about 2⁻⁸·48) but far above Float32's. Screening the bfloat16 products with the Float32
    /// bound loses neighbours; the full bound keeps the answer exact.
    @Test func boundWithoutBFloat16RoundingIsCaught() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 63)
        let d = 48
        let v = (0..<d).map { _ in rng.normal() }
        func near() -> [Float] { v.map { Float($0 + 0.05 * rng.normal()) } }
        let rows = (0..<2_000).flatMap { _ in near() }
        let targets = (0..<60).flatMap { _ in near() }
        let reader = try publicRowsReader(rows, length: d, in: directory, name: "near")
        let k = 10
        let expected = try NearestNeighbours.nearest(
            targets: targets, count: 60, publicRows: reader, k: k, ordered: false, workers: 2, pruning: .off,
            products: .float32)
        let right = try NearestNeighbours.nearest(
            targets: targets, count: 60, publicRows: reader, k: k, ordered: false, workers: 2, pruning: .off,
            products: .bfloat16(.none))
        #expect(right == expected)
        guard Self.ready else { return }
        let wrong = try NearestNeighbours.nearest(
            targets: targets, count: 60, publicRows: reader, k: k, ordered: false, workers: 2, pruning: .off,
            products: .bfloat16(.float32Bound))
        #expect(wrong != expected, "the mutant bound should lose neighbours here")
    }

    /// bfloat16 rounding to nearest, ties to even, below 2⁻¹²⁶ flushed to zero; the tile layouts of both
    /// operands; each row's ‖x − b(x)‖/‖x‖.
    @Test func packingRoundsAndReportsTheError() {
        var rng = SplitMix64(seed: 64)
        let rows = 19
        let d = 37
        var x = (0..<(rows * d)).map { _ in
            Float(rng.normal()) * Float(sign: .plus, exponent: Int.random(in: -30...30, using: &rng), significand: 1)
        }
        x[0] = 1 + 0x1p-8  // a tie: to even, 1
        x[1] = 1 + 3 * 0x1p-8  // a tie: to even, 1 + 2⁻⁶
        x[2] = 0x1p-127  // below the smallest normal: 0
        x[3] = Float(bitPattern: 0x807f_fffe)  // subnormal, rounds to −2⁻¹²⁶, which is normal
        x[d] = 0  // row 1 starts with a zero
        func bf16(_ v: Float) -> Float {
            var b = v.bitPattern
            b = b &+ 0x7fff &+ ((b >> 16) & 1)
            b &= 0xffff_0000
            let r = Float(bitPattern: b)
            return abs(r) < 0x1p-126 ? Float(sign: r.sign, exponent: 0, significand: 0) : r
        }
        #expect(bf16(x[0]) == 1 && bf16(x[1]) == 1 + 0x1p-6 && bf16(x[2]) == 0 && bf16(x[3]) == -0x1p-126)
        let count = sslmem_bf16_packed_count(rows, d)
        #expect(count == 2 * 2 * 512)
        for right in [0, 1] {
            var packed = [UInt16](repeating: 0xffff, count: count)
            var relative = [Double](repeating: .nan, count: rows)
            sslmem_bf16_pack(x, rows, d, Int32(right), &packed, &relative)
            let chunks = 2
            for r in 0..<32 {
                for i in 0..<64 {
                    let tile = (r / 16 * chunks + i / 32) * 512
                    let kk = i % 32
                    let at = tile + (right == 1 ? (kk / 2) * 32 + (r % 16) * 2 + kk % 2 : (r % 16) * 32 + kk)
                    let want: Float = r < rows && i < d ? bf16(x[r * d + i]) : 0
                    #expect(
                        Float(bitPattern: UInt32(packed[at]) << 16) == want, "row \(r), column \(i), right \(right)")
                }
            }
            for r in 0..<rows {
                let values = x[(r * d)..<((r + 1) * d)]
                let error = values.reduce(0.0) { $0 + pow(Double($1) - Double(bf16($1)), 2) }.squareRoot()
                let norm = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                #expect(abs(relative[r] - error / norm) <= 1e-12 * error / norm, "row \(r)")
                #expect(relative[r] <= 0x1p-8)
            }
        }
    }

    /// Every product of the AMX kernel within the documented bound, on rows whose magnitudes span 2⁻⁴⁰ to 2⁴⁰.
    @Test func everyProductIsWithinItsBound() throws {
        guard Self.ready else { return }
        var rng = SplitMix64(seed: 65)
        let m = 37
        let n = 45
        let d = 100
        func rows(_ count: Int) -> [Float] {
            (0..<(count * d)).map { _ in
                Float(rng.normal())
                    * Float(sign: .plus, exponent: Int.random(in: -40...40, using: &rng), significand: 1)
            }
        }
        let a = rows(m)
        let b = rows(n)
        var packedA = [UInt16](repeating: 0, count: sslmem_bf16_packed_count(m, d))
        var packedB = [UInt16](repeating: 0, count: sslmem_bf16_packed_count(n, d))
        var alpha = [Double](repeating: 0, count: m)
        var rho = [Double](repeating: 0, count: n)
        sslmem_bf16_pack(a, m, d, 0, &packedA, &alpha)
        sslmem_bf16_pack(b, n, d, 1, &packedB, &rho)
        let ldc = 48
        var c = [Float](repeating: .nan, count: 48 * ldc)
        #expect(sslmem_bf16_gemm(3, 3, d, packedA, packedB, &c, ldc) == 1)
        let gammaD = Double(d) * 0x1p-24 / (1 - Double(d) * 0x1p-24)
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var exact = 0.0
                var na = 0.0
                var nb = 0.0
                for q in 0..<d {
                    exact += Double(a[i * d + q]) * Double(b[j * d + q])
                    na += Double(a[i * d + q]) * Double(a[i * d + q])
                    nb += Double(b[j * d + q]) * Double(b[j * d + q])
                }
                let bound =
                    (alpha[i] + (1 + alpha[i]) * rho[j] + gammaD * (1 + alpha[i]) * (1 + rho[j]))
                    * (na * nb).squareRoot()
                    + 3 * Double(d) * 0x1p-126
                let error = abs(Double(c[i * ldc + j]) - exact)
                #expect(error <= bound, "(\(i), \(j)): \(error) > \(bound)")
                worst = max(worst, error / bound)
            }
        }
        #expect(worst > 0.01, "the bound should not be loose by orders of magnitude (worst \(worst))")
    }
}
