import CCoreKernels
import CIOKernels
import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemCore

/// The pruned search's screen on half-precision rows (HalfRows.swift): the neighbours stay the brute-force
/// search's on data with a decaying spectrum, isotropic data, duplicated rows, exact ties and near-ties that
/// the halves' rounding reorders, for 1–4 workers; the screen without the halves' rounding in its error bound
/// is caught.
@Suite struct HalfScreenPruningTests {
    /// Whether this CPU makes half-precision rows (F16C); elsewhere the screen reads Float32 rows.
    var halvesAvailable: Bool { sslmem_half_has_f16c() != 0 }

    /// Ordered and as sets, the pruned search (rank `rank`, with `mutation`) against the brute-force search;
    /// returns whether all agreed.
    @discardableResult
    func compare(
        targets: [Float], count: Int, reader: FloatPanelReader, k: Int, rank: Int, workers: [Int],
        mutation: SpectralProjection.Mutation = .none, expectEqual: Bool = true, _ label: String
    ) throws
        -> Bool
    {
        var agreed = true
        for ordered in [true, false] {
            let expected = try NearestNeighbours.nearest(
                targets: targets, count: count, publicRows: reader, k: k,
                ordered: ordered, workers: 2, pruning: .off)
            for w in workers {
                let got = try NearestNeighbours.nearest(
                    targets: targets, count: count, publicRows: reader, k: k,
                    ordered: ordered, workers: w, pruning: .rank(rank, mutation))
                if expectEqual {
                    #expect(got == expected, "\(label): k = \(k), ordered \(ordered), \(w) workers")
                }
                agreed = agreed && got == expected
            }
        }
        return agreed
    }

    /// Rows like the realistic bench's (make_dejavu.py --spectrum realistic): variances ∝ (i + 25.5)^−2.97 along
    /// random directions, 29% of them between 10 class centres, a mean offset of 0.65 of the spread.
    static func realistic(rows: Int, targets: Int, length d: Int, seed: UInt64) -> (public: [Float], targets: [Float]) {
        var rng = SplitMix64(seed: seed)
        let sd = (1...d).map { pow(Double($0) + 25.5, -2.97).squareRoot() }
        let total = sd.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let scale = sd.map { $0 / total }
        let centres = (0..<10).map { _ in scale.map { $0 * 0.29.squareRoot() * rng.normal() } }
        let reflections = (0..<4).map { _ in
            let v = (0..<d).map { _ in rng.normal() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        let offsetDirection = (0..<d).map { _ in rng.normal() }
        let offsetNorm = offsetDirection.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let offset = offsetDirection.map { 0.65 * $0 / offsetNorm }
        func make(_ count: Int) -> [Float] {
            var out: [Float] = []
            out.reserveCapacity(count * d)
            for _ in 0..<count {
                let centre = centres[Int.random(in: 0..<10, using: &rng)]
                var x = (0..<d).map { centre[$0] + scale[$0] * 0.71.squareRoot() * rng.normal() }
                for v in reflections {
                    let dot = zip(x, v).reduce(0) { $0 + $1.0 * $1.1 }
                    for j in 0..<d { x[j] -= 2 * dot * v[j] }
                }
                out += zip(x, offset).map { Float($0 + $1) }
            }
            return out
        }
        return (make(rows), make(targets))
    }

    @Test func realisticSpectrumEqualsBruteForceWithHalves() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let d = 96
        let n = 4_000
        let m = 300
        let (rows, targets) = Self.realistic(rows: n, targets: m, length: d, seed: 41)
        let reader = try publicRowsReader(rows, length: d, in: directory, name: "realistic")
        for k in [1, 17, 100] {
            try compare(
                targets: targets, count: m, reader: reader, k: k, rank: 16, workers: [1, 2, 3, 4],
                "realistic")
        }
        let projection = try #require(
            try NearestNeighbours.spectralProjection(
                for: reader, targets: 1, k: 1, pruning: .rank(16, .none), workers: 1))
        let statistics = try NearestNeighbours.prunedNearest(
            targets: targets, count: m, publicRows: reader, k: 100, ordered: false, workers: 2,
            projection: projection
        ).statistics
        #expect(statistics.halfPrecision == halvesAvailable)
        #expect(Double(statistics.screenedPairs) < 0.5 * Double(statistics.totalPairs), "\(statistics)")
    }

    @Test func isotropicDuplicatedAndTiedRowsEqualBruteForceWithHalves() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 42)
        let d = 40
        // Isotropic rows (pruning forced: it rules out little, the answer must not change).
        let isotropic = (0..<(2_000 * d)).map { _ in Float(rng.normal()) }
        let isotropicTargets = (0..<(120 * d)).map { _ in Float(rng.normal()) }
        let isotropicReader = try publicRowsReader(isotropic, length: d, in: directory, name: "isotropic")
        for k in [3, 64] {
            try compare(
                targets: isotropicTargets, count: 120, reader: isotropicReader, k: k, rank: 8,
                workers: [1, 2, 4], "isotropic")
        }
        // Grid values that halves hold exactly, with duplicated rows: exact ties at the edge of the k nearest.
        var grid = (0..<1_200).map { _ in (0..<d).map { _ in Float(Int.random(in: -3...3, using: &rng)) * 0.25 } }
        grid += grid.prefix(250)
        grid += Array(repeating: grid[5], count: 30)
        let gridTargets =
            (0..<100).map { _ in (0..<d).map { _ in Float(Int.random(in: -3...3, using: &rng)) * 0.25 } }
            + [grid[5], grid[6]]
        let gridReader = try publicRowsReader(grid.flatMap { $0 }, length: d, in: directory, name: "grid")
        for k in [1, 31, 90] {
            try compare(
                targets: gridTargets.flatMap { $0 }, count: gridTargets.count, reader: gridReader, k: k,
                rank: 6, workers: [1, 2, 3, 4], "ties")
        }
    }

    /// Near-ties the halves reorder: around each target, rows at squared distances 1 + 0.01·j (j shuffled),
    /// far from the origin (‖t‖ ≈ 30), so that a half's rounding (up to 2⁻¹¹ relative per value) moves a
    /// product by far more than the spacing while Float32 rows separate them. With the halves' rounding in
    /// the error bound the answer is the brute-force search's; without it (the mutant), it is not.
    @Test func nearTiesNeedTheHalvesRoundingInTheBound() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 43)
        let d = 32
        let m = 24
        let shell = 80
        let offset = (0..<d).map { _ in 30 / Double(d).squareRoot() * (rng.normal() > 0 ? 1 : -1) }
        var targets: [[Double]] = []
        var rows: [[Double]] = []
        for _ in 0..<m {
            let t = offset.map { $0 + 3 * rng.normal() }
            targets.append(t)
            for j in (0..<shell).shuffled(using: &rng) {
                let u = (0..<d).map { _ in rng.normal() }
                let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let radius = (1 + 0.01 * Double(j)).squareRoot()
                rows.append(zip(t, u).map { $0 + radius * $1 / norm })
            }
        }
        rows += (0..<1_500).map { _ in offset.map { $0 + 3 * rng.normal() } }
        let reader = try publicRowsReader(rows.flatMap { $0.map(Float.init) }, length: d, in: directory, name: "near")
        let flat = targets.flatMap { $0.map(Float.init) }
        try compare(targets: flat, count: m, reader: reader, k: 20, rank: 4, workers: [1, 2, 4], "near ties")
        if halvesAvailable {
            let mutantAgrees = try compare(
                targets: flat, count: m, reader: reader, k: 20, rank: 4, workers: [2],
                mutation: .halfRoundingIgnored, expectEqual: false, "mutant")
            #expect(!mutantAgrees, "the screen without the halves' rounding in its bound should lose neighbours")
        }
    }

    /// The bound of HalfRows' documentation holds value by value for every variant of the kernel's products
    /// (each sums in its own order), including subnormal halves and values at the largest half, at lengths
    /// that reach each variant's wide steps and its tails; a value beyond it makes no copy.
    @Test(arguments: [45, 147])
    func halfProductsStayWithinTheirBound(length d: Int) throws {
        var rng = SplitMix64(seed: 44)
        let n = 64
        var rows = (0..<(n * d)).map { _ in Float(rng.normal() * 3) }
        for j in 0..<d { rows[j] = Float(rng.normal()) * 1e-6 }  // row 0: subnormal halves
        rows[d] = 65504
        rows[d + 1] = -65504
        let t = (0..<d).map { _ in Float(rng.normal()) }
        guard
            let half = try rows.withUnsafeBufferPointer({
                try HalfRows.make($0.baseAddress!, count: n, length: d, workers: 2)
            })
        else {
            #expect(!halvesAvailable)
            return
        }
        let ids = (0..<n).map(Int32.init)
        let (gamma, absolute) = HalfRows.screenTerms(length: d)
        let tNorm = t.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        var chosen = [Float](repeating: 0, count: n)
        sslmem_row_dots_half(t, half.values, d, ids, n, &chosen)
        var ran = 0
        var widest: [Float] = []
        for variant in [SSLMEM_KERNEL_BASELINE, SSLMEM_KERNEL_AVX2_FMA, SSLMEM_KERNEL_AVX512] {
            var products = [Float](repeating: .nan, count: n)
            guard sslmem_row_dots_half_variant(Int32(variant), t, half.values, d, ids, n, &products) != 0 else {
                continue
            }
            ran += 1
            widest = products
            for row in 0..<n {
                let p = rows[(row * d)..<((row + 1) * d)]
                let exact = zip(t, p).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                let pNorm = p.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
                #expect(
                    abs(Double(products[row]) - exact) <= gamma * tNorm * pNorm + absolute * tNorm,
                    "variant \(variant), row \(row)")
            }
        }
        #expect(ran >= 1)
        #expect(chosen == widest, "sslmem_row_dots_half runs the widest variant this CPU has")
        var tooLarge = rows
        tooLarge[7] = 65520
        #expect(
            try tooLarge.withUnsafeBufferPointer {
                try HalfRows.make($0.baseAddress!, count: n, length: d, workers: 1)
            } == nil)
    }
}
