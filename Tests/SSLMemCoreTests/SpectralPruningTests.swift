import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemCore

/// The nearest-neighbour search with spectral pruning (SpectralPruning.swift): the same neighbours as the
/// brute-force search, ties included, on data with a decaying spectrum, isotropic data, duplicated rows and
/// exact ties, for several worker counts; a wrong bound is caught.
@Suite struct SpectralPruningTests {
    struct Data {
        var rng: SplitMix64
        init(seed: UInt64) { rng = SplitMix64(seed: seed) }

        mutating func gaussian() -> Double { rng.normal() }

        /// Rows whose covariance spectrum decays like (i + 3)^(−2) along random directions, around 6 class
        /// centres and an offset, as real SSL embeddings (bench/make_dejavu.py --spectrum realistic).
        mutating func decaying(
            rows: Int, length d: Int, centres: [[Double]], offset: [Double],
            reflections: [[Double]]
        ) -> [Float] {
            var out: [Float] = []
            out.reserveCapacity(rows * d)
            for _ in 0..<rows {
                let centre = centres[Int.random(in: 0..<centres.count, using: &rng)]
                var x = (0..<d).map { centre[$0] + gaussian() * pow(Double($0 + 3), -1) }
                for v in reflections {
                    let dot = zip(x, v).reduce(0) { $0 + $1.0 * $1.1 }
                    for j in 0..<d { x[j] -= 2 * dot * v[j] }
                }
                out += zip(x, offset).map { Float($0 + $1) }
            }
            return out
        }

        mutating func decayingSet(public n: Int, targets m: Int, length d: Int) -> (public: [Float], targets: [Float]) {
            let centres = (0..<6).map { _ in (0..<d).map { gaussian() * 0.6 * pow(Double($0 + 3), -1) } }
            let offset = (0..<d).map { _ in gaussian() * 0.1 }
            let reflections = (0..<4).map { _ in
                let v = (0..<d).map { _ in gaussian() }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return v.map { $0 / norm }
            }
            return (
                decaying(rows: n, length: d, centres: centres, offset: offset, reflections: reflections),
                decaying(rows: m, length: d, centres: centres, offset: offset, reflections: reflections)
            )
        }
    }

    /// The brute-force search's answer and the pruned search's, ordered and as sets, for each worker count.
    func expectSameNeighbours(
        targets: [Float], count: Int, reader: FloatPanelReader, ks: [Int], rank: Int,
        workers: [Int] = [1, 2, 3], _ label: String
    ) throws {
        for k in ks {
            let ordered = try NearestNeighbours.nearest(
                targets: targets, count: count, publicRows: reader, k: k,
                ordered: true, workers: 2, pruning: .off)
            let sets = try NearestNeighbours.nearest(
                targets: targets, count: count, publicRows: reader, k: k,
                ordered: false, workers: 2, pruning: .off)
            for w in workers {
                let pruned = try NearestNeighbours.nearest(
                    targets: targets, count: count, publicRows: reader, k: k,
                    ordered: true, workers: w, pruning: .rank(rank, .none))
                #expect(pruned == ordered, "\(label): ordered, k = \(k), \(w) workers")
                let prunedSets = try NearestNeighbours.nearest(
                    targets: targets, count: count, publicRows: reader,
                    k: k, ordered: false, workers: w,
                    pruning: .rank(rank, .none))
                #expect(prunedSets == sets, "\(label): sets, k = \(k), \(w) workers")
            }
        }
    }

    func projection(_ reader: FloatPanelReader, rank: Int, _ mutation: SpectralProjection.Mutation = .none)
        throws -> SpectralProjection
    {
        try #require(
            try NearestNeighbours.spectralProjection(
                for: reader, targets: 1, k: 1,
                pruning: .rank(rank, mutation), workers: 1))
    }

    @Test func decayingSpectrumEqualsBruteForceAndPrunes() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var data = Data(seed: 28)
        let d = 40
        let n = 3_000
        let m = 300
        let (rows, targets) = data.decayingSet(public: n, targets: m, length: d)
        let reader = try publicRowsReader(rows, length: d, in: directory, name: "decaying")
        try expectSameNeighbours(targets: targets, count: m, reader: reader, ks: [1, 10, 60], rank: 8, "decaying")
        // The bound rules out most pairs here.
        let statistics = try NearestNeighbours.prunedNearest(
            targets: targets, count: m, publicRows: reader, k: 10, ordered: false, workers: 2,
            projection: projection(reader, rank: 8)
        ).statistics
        #expect(statistics.totalPairs == n * m)
        #expect(Double(statistics.screenedPairs) < 0.6 * Double(statistics.totalPairs), "\(statistics)")
    }

    @Test func isotropicEqualsBruteForceAndAutomaticDoesNotPrune() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var data = Data(seed: 29)
        let d = 48
        let n = 4_400
        let m = 260
        let rows = (0..<(n * d)).map { _ in Float(data.gaussian()) }
        let targets = (0..<(m * d)).map { _ in Float(data.gaussian()) }
        let reader = try publicRowsReader(rows, length: d, in: directory, name: "isotropic")
        try expectSameNeighbours(
            targets: targets, count: m, reader: reader, ks: [5, 100], rank: 16, workers: [1, 2],
            "isotropic")
        #expect(
            try NearestNeighbours.spectralProjection(
                for: reader, targets: m, k: 100, pruning: .automatic,
                workers: 2) == nil)
        // The same size with a decaying spectrum is pruned, at a rank that holds 95% of the variance or the largest.
        let (decaying, _) = data.decayingSet(public: n, targets: 1, length: d)
        let chosen = try NearestNeighbours.spectralProjection(
            for: try publicRowsReader(decaying, length: d, in: directory, name: "decaying"), targets: m, k: 100,
            pruning: .automatic, workers: 2)
        let rank = try #require(chosen?.rank)
        #expect(chosen!.explained(rank) >= 0.95 || rank == NearestNeighbours.rankChoices.last { 4 * $0 <= d })
    }

    /// Coordinates on a grid (scaled by powers of two, so distances are exact), with duplicated rows: many rows
    /// tie at the edge of the k nearest; the lower row wins, as in the brute-force search.
    @Test func duplicatedRowsAndTiesEqualBruteForce() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 30)
        let d = 24
        func row() -> [Double] {
            (0..<d).map { Double(Int.random(in: -2...2, using: &rng)) * pow(2, -Double($0 / 4)) }
        }
        var publicRows = (0..<1_400).map { _ in row() }
        publicRows += publicRows.prefix(300)  // exact duplicates at higher rows
        publicRows += Array(repeating: publicRows[7], count: 40)
        let targets = (0..<150).map { _ in row() } + [publicRows[7], publicRows[8]]
        let reader = try publicRowsReader(
            publicRows.flatMap { $0.map(Float.init) }, length: d, in: directory, name: "ties")
        let flat = targets.flatMap { $0.map(Float.init) }
        for k in [1, 7, 41, 120] {
            let expected = targets.flatMap { t in
                let distances = publicRows.map { zip(t, $0).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
                return publicRows.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(k).map(Int32.init)
            }
            for workers in [1, 2, 4] {
                let got = try NearestNeighbours.nearest(
                    targets: flat, count: targets.count, publicRows: reader, k: k,
                    ordered: true, workers: workers, pruning: .rank(6, .none))
                #expect(got == expected, "k = \(k), \(workers) workers")
                let sets = try NearestNeighbours.nearest(
                    targets: flat, count: targets.count, publicRows: reader,
                    k: k, ordered: false, workers: workers,
                    pruning: .rank(6, .none))
                let expectedSets = (0..<targets.count).flatMap { expected[($0 * k)..<(($0 + 1) * k)].sorted() }
                #expect(sets == expectedSets, "sets, k = \(k), \(workers) workers")
            }
        }
    }

    /// A wrong bound — the residual term as (‖Rt‖ + ‖Rp‖)² instead of (‖Rt‖ − ‖Rp‖)² — loses neighbours, so the
    /// equality tests above would fail on it; dropping the residual term altogether keeps the bound valid (the
    /// neighbours stay exact) but rules out fewer pairs.
    @Test func wrongBoundIsCaughtAndResidualTermPrunes() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var data = Data(seed: 31)
        let d = 40
        let n = 3_000
        let m = 200
        let k = 10
        let (rows, targets) = data.decayingSet(public: n, targets: m, length: d)
        let reader = try publicRowsReader(rows, length: d, in: directory, name: "mutant")
        let expected = try NearestNeighbours.nearest(
            targets: targets, count: m, publicRows: reader, k: k,
            ordered: false, workers: 2, pruning: .off)
        func run(_ mutation: SpectralProjection.Mutation) throws -> ([Int32], NearestNeighbours.PruningStatistics) {
            let result = try NearestNeighbours.prunedNearest(
                targets: targets, count: m, publicRows: reader, k: k, ordered: false, workers: 2,
                projection: projection(reader, rank: 8, mutation))
            return (result.neighbours, result.statistics)
        }
        let (right, rightStatistics) = try run(.none)
        let (wrong, _) = try run(.residualSum)
        let (weaker, weakerStatistics) = try run(.noResidual)
        #expect(right == expected)
        #expect(wrong != expected)
        #expect(weaker == expected)
        #expect(
            rightStatistics.screenedPairs < weakerStatistics.screenedPairs,
            "\(rightStatistics) vs \(weakerStatistics)")
    }

    /// The projection's radius covers the rounding: for random rows, ‖t − p‖ ≥ ‖â_t − â_p‖ − η_t − η_p holds
    /// (checked in Float64), and the fitted basis is orthonormal to Float32 precision.
    @Test func boundHoldsPairByPair() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var data = Data(seed: 32)
        let d = 40
        let n = 600
        let m = 40
        let (rows, targets) = data.decayingSet(public: n, targets: m, length: d)
        let reader = try publicRowsReader(rows, length: d, in: directory, name: "pairs")
        let projection = try projection(reader, rank: 8)
        #expect(projection.sMax < 1 + 1e-5 && projection.sMin > 1 - 1e-5)
        var a = [Float](repeating: 0, count: n * projection.width)
        var ra = [Double](repeating: 0, count: n)
        var b = [Float](repeating: 0, count: m * projection.width)
        var rb = [Double](repeating: 0, count: m)
        projection.augment(rows, rows: n, into: &a, radii: &ra, isPublic: true)
        projection.augment(targets, rows: m, into: &b, radii: &rb, isPublic: false)
        var tightest = Double.infinity
        for i in 0..<m {
            for j in 0..<n {
                var full = 0.0
                var projected = 0.0
                for c in 0..<d { full += pow(Double(targets[i * d + c]) - Double(rows[j * d + c]), 2) }
                for c in 0..<projection.width {
                    projected += pow(Double(b[i * projection.width + c]) - Double(a[j * projection.width + c]), 2)
                }
                let lower = projected.squareRoot() - rb[i] - ra[j]
                #expect(full.squareRoot() >= lower)
                tightest = min(tightest, full.squareRoot() - lower)
            }
        }
        #expect(tightest < 0.5)  // and the bound is not vacuous
    }
}
