import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemAnalysis
@testable import SSLMemCore

/// Déjà Vu: exact neighbours with ties, vote and confidence ties, and the
/// fixtures against the independent scripts/reference/dejavu_reference.py.
@Suite struct DejaVuTests {
    /// Writes `rows` (each of `length` values) as float32 in chunks of `chunkRows`
    /// and reads them back in panels of one chunk, so the search spans many panels.
    func panels(_ rows: [[Double]], chunkRows: Int, in directory: TemporaryDirectory) throws -> FloatPanelReader {
        let file = try HDF5File(creating: directory.file("public-\(rows.count)-\(chunkRows).h5"))
        let dataset = try file.write(
            "/public", shape: [rows.count, rows[0].count], values: rows.flatMap { $0 },
            storedAs: .single, chunks: [chunkRows, rows[0].count])
        return try FloatPanelReader(dataset, targetBytes: 1)
    }

    @Test func equalDistancesGoToTheLowerRow() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let rows: [[Double]] = [[1, 0], [0, 1], [-1, 0], [0, -1], [0, 0.5], [3, 3], [0, 0.5]]
        let reader = try panels(rows, chunkRows: 2, in: directory)
        for (k, expected) in [(1, [4]), (3, [4, 6, 0]), (5, [4, 6, 0, 1, 2]), (7, [4, 6, 0, 1, 2, 3, 5])] {
            for workers in [1, 2] {
                let got = try NearestNeighbours.search(
                    targets: [0, 0], count: 1, publicRows: reader, k: k,
                    workers: workers)
                #expect(got == expected.map(Int32.init), "k = \(k), \(workers) workers")
            }
        }
    }

    /// Many exact ties (coordinates from {−2, …, 2}, duplicated rows) against a brute-force sort.
    @Test func neighboursEqualBruteForceWithTies() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 6)
        let d = 5
        var publicRows = (0..<50).map { _ in (0..<d).map { _ in Double(Int.random(in: -2...2, using: &rng)) } }
        publicRows += publicRows.prefix(10)  // exact duplicates at higher rows
        let targets = (0..<25).map { _ in (0..<d).map { _ in Double(Int.random(in: -2...2, using: &rng)) } }
        let reader = try panels(publicRows, chunkRows: 4, in: directory)
        for k in [1, 5, 17, 60] {
            let expected = targets.flatMap { t in
                publicRows.indices.sorted { a, b in
                    let da = zip(t, publicRows[a]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                    let db = zip(t, publicRows[b]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                    return (da, a) < (db, b)
                }.prefix(k).map(Int32.init)
            }
            for workers in [1, 2] {
                let got = try NearestNeighbours.search(
                    targets: targets.flatMap { $0.map(Float.init) },
                    count: targets.count, publicRows: reader, k: k, workers: workers)
                #expect(got == expected, "k = \(k), \(workers) workers")
            }
            // The sets, rows ascending, whatever the number of workers (blocks of targets differ).
            for workers in [1, 2, 3] {
                let sets = try NearestNeighbours.neighbourSets(
                    targets: targets.flatMap { $0.map(Float.init) },
                    count: targets.count, publicRows: reader, k: k,
                    workers: workers)
                let expectedSets = (0..<targets.count).flatMap { expected[($0 * k)..<(($0 + 1) * k)].sorted() }
                #expect(sets == expectedSets, "sets, k = \(k), \(workers) workers")
            }
        }
    }

    /// Random Gaussian rows, where the Float32 screen's intervals overlap near the k-th row: the sets equal
    /// those of the ordered search, over several blocks of targets (more targets than one block holds).
    @Test func neighbourSetsEqualOrderedSearchOnGaussianRows() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 11)
        func gaussian() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            let v = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        let d = 24
        let publicRows = (0..<120).map { _ in (0..<d).map { _ in gaussian() } }
        let count = 2 * NearestNeighbours.targetBlock + 7
        let targets = (0..<count * d).map { _ in Float(gaussian()) }
        let reader = try panels(publicRows, chunkRows: 16, in: directory)
        #expect(NearestNeighbours.blocks(count: 5_000, workers: 2) == (1_250, 4))
        #expect(NearestNeighbours.blocks(count: count, workers: 2) == ((count + 3) / 4, 4))
        for k in [1, 10, 119] {
            let ordered = try NearestNeighbours.search(
                targets: targets, count: count, publicRows: reader, k: k, workers: 2)
            let sets = try NearestNeighbours.neighbourSets(
                targets: targets, count: count, publicRows: reader, k: k,
                workers: 2)
            let expected = (0..<count).flatMap { ordered[($0 * k)..<(($0 + 1) * k)].sorted() }
            #expect(sets == expected, "k = \(k)")
        }
    }

    /// Panels of 400 rows, so the first bound takes its cut from every 8th row (n ≥ 16k): the sets and
    /// the order equal a brute-force sort, with duplicated rows tying at the edge of the set.
    @Test func sampledFirstBoundKeepsTheNeighboursExact() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var rng = SplitMix64(seed: 21)
        let d = 8
        var publicRows = (0..<700).map { _ in (0..<d).map { _ in Double(Int.random(in: -3...3, using: &rng)) / 2 } }
        publicRows += publicRows.prefix(100)
        let targets = (0..<40).map { _ in (0..<d).map { _ in Double(Int.random(in: -3...3, using: &rng)) / 2 } }
        let reader = try panels(publicRows, chunkRows: 400, in: directory)
        #expect(reader.panelRows == 400 && reader.panelCount == 2)
        // Rows by (distance, row) per target; the halves are exact in Float64, so are the distances.
        let orders = targets.map { t in
            let distances = publicRows.map { row in zip(t, row).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            return publicRows.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }
        }
        for k in [1, 6, 12, 25] {
            let expected = orders.flatMap { $0.prefix(k).map(Int32.init) }
            let flat = targets.flatMap { $0.map(Float.init) }
            let got = try NearestNeighbours.search(targets: flat, count: targets.count, publicRows: reader, k: k)
            #expect(got == expected, "k = \(k)")
            let sets = try NearestNeighbours.neighbourSets(
                targets: flat, count: targets.count, publicRows: reader, k: k)
            let expectedSets: [Int32] = (0..<targets.count).flatMap { expected[($0 * k)..<(($0 + 1) * k)].sorted() }
            #expect(sets == expectedSets, "k = \(k)")
        }
    }

    /// 2⁵² + ¼ + ¼ + 2⁻⁴⁰: summed left to right in Float64 it stays 2⁵² (each ¼ rounds
    /// away to even); the exact value is above the midpoint 2⁵² + ½, so it rounds to 2⁵² + 1.
    @Test func squaredDistanceIsRoundedOnce() {
        let t: [Float] = [67_108_864, 0.5, 0.5, 0x1p-20]
        let p: [Float] = [0, 0, 0, 0]
        #expect(SquaredDistance.exact(t, p, count: 4) == 0x1p52 + 1)
        let naive = zip(t, p).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        #expect(naive == 0x1p52)
    }

    @Test func voteTiesGoToTheLowestLabelAndEntropyIsExact() {
        #expect(LabelInference(neighbourLabels: [3, 3, 1, 1, 2]).prediction == 1)
        #expect(LabelInference(neighbourLabels: [7, 7, 7]).entropy == 0)
        #expect(abs(LabelInference(neighbourLabels: [0, 0, 1, 1]).entropy - log(2)) < 1e-15)
        // Permuted histograms: the same confidence to the last bit.
        let a = LabelInference(neighbourLabels: [1, 1, 2, 2, 2, 3, 4, 4, 4, 4])
        let b = LabelInference(neighbourLabels: [9, 5, 5, 5, 5, 6, 6, 6, 0, 0])
        #expect(a.entropy == b.entropy)
        #expect(a.prediction == 4 && b.prediction == 5)
    }

    func point(
        _ index: Int64, _ subset: Subset, fRight: Bool, gRight: Bool, fEntropy: Double = 0,
        gEntropy: Double = 0
    ) -> DejaVuAttack.Point {
        func inference(_ right: Bool, _ entropy: Double) -> LabelInference {
            LabelInference(prediction: right ? 1 : 2, entropy: entropy)
        }
        return .init(
            index: index, subset: subset, label: 1, f: inference(fRight, fEntropy),
            g: inference(gRight, gEntropy))
    }

    @Test func accuracyTakesTheMostConfidentWithTiesByLowerIndex() {
        // Equal entropies everywhere: q = 0.5 of four points takes indices 10 and 20.
        let a = [
            point(40, .candidate, fRight: false, gRight: false), point(20, .candidate, fRight: true, gRight: false),
            point(30, .candidate, fRight: false, gRight: true), point(10, .candidate, fRight: true, gRight: false)
        ]
        let b = [
            point(11, .independent, fRight: true, gRight: true, gEntropy: 0.5),
            point(12, .independent, fRight: false, gRight: false, gEntropy: 0.1)
        ]
        let attack = DejaVuAttack(k: 1, a: a, b: b)
        #expect(attack.accuracy(.f, on: .candidate, fraction: 0.5) == 1)
        #expect(attack.accuracy(.f, on: .candidate, fraction: 1) == 0.5)
        #expect(attack.accuracy(.g, on: .independent, fraction: 0.5) == 0)  // entropy 0.1 first
        #expect(attack.target(0.5) == 0.5)
        #expect(attack.reference(1) == (0.5 + 0.25) / 2)
        let q = attack.quadrants
        #expect(q.memorized == (0.5 + 0) / 2 && q.forgotten == (0.25 + 0) / 2)
        #expect(q.correlated == (0 + 0.5) / 2 && q.bothWrong == (0.25 + 0.5) / 2)
        #expect(DejaVuAttack.selectedCount(0.29, of: 100) == 29)
        #expect(DejaVuAttack.selectedCount(0.001, of: 10) == 1)
        #expect(DejaVuAttack.selectedCount(1, of: 7) == 7)
    }

    @Test func gapIntervalIsSeededAndCoversTheGap() throws {
        let attack = try DejaVuAttack(
            f: RepresentationsFile(path: Repository.fixture("simclr_f.h5")),
            g: RepresentationsFile(path: Repository.fixture("simclr_g.h5")), k: 100)
        let ci = attack.gapInterval(1, resamples: 200)
        #expect(ci == attack.gapInterval(1, resamples: 200))
        #expect(ci != attack.gapInterval(1, resamples: 200, seed: 1))
        let gap = attack.target(1) - attack.reference(1)
        #expect(ci.lower <= gap && gap <= ci.upper && ci.lower < ci.upper)
        // Every point right with both encoders: no uncertainty left.
        let sure = DejaVuAttack(
            k: 1, a: [point(1, .candidate, fRight: true, gRight: true)],
            b: [point(2, .independent, fRight: true, gRight: true)])
        #expect(sure.gapInterval(0.5, resamples: 50) == Interval(0, 0))
    }

    /// The walk along the original ranking gives the interval of rebuilding the attack from each
    /// resample, to the last bit, at every fraction (ties in entropy included: k = 100 votes repeat).
    @Test func gapIntervalEqualsRebuildingTheAttack() throws {
        let attack = try DejaVuAttack(
            f: RepresentationsFile(path: Repository.fixture("simclr_f.h5")),
            g: RepresentationsFile(path: Repository.fixture("simclr_g.h5")), k: 100)
        for q in [0.2, 1] {
            for seed: UInt64 in [0, 5] {
                #expect(
                    attack.gapInterval(q, resamples: 150, seed: seed)
                        == attack.gapIntervalByResampling(q, resamples: 150, seed: seed), "q = \(q), seed \(seed)")
            }
        }
    }

    static let expected = [
        ("dejavu_simclr", "simclr", 100, [0.05, 0.2, 1]),
        ("dejavu_vicreg", "vicreg", 100, [0.05, 0.2, 1]),
        ("dejavu_simclr_k7", "simclr", 7, [0.01, 0.29, 0.5])
    ]

    @Test(arguments: 0..<expected.count)
    func fixturesEqualTheIndependentImplementation(_ c: Int) throws {
        let (name, method, k, fractions) = Self.expected[c]
        let want = try String(contentsOfFile: Repository.fixture("expected/\(name).json"), encoding: .utf8)
        // One worker runs f's and g's searches in turn; two or more run them at once, on half the workers each.
        for workers in c == 0 ? [1, 2, 3] : [2] {
            let attack = try DejaVuAttack(
                f: RepresentationsFile(path: Repository.fixture("\(method)_f.h5")),
                g: RepresentationsFile(path: Repository.fixture("\(method)_g.h5")),
                k: k, workers: workers)
            #expect(attack.json(fractions: fractions).text == want.trimmingCharacters(in: .newlines))
        }
    }

    /// Two clusters; f's crops of candidates sit in their own class's cluster and g's in
    /// the other, so every candidate is memorized; independent points are right with both.
    @Test func filesJoinOnCropIndexAndReportErrors() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var publicRows: [Double] = []
        var publicLabel: [Int64] = []
        for row in 0..<20 {
            publicRows += row < 10 ? [Double(row) * 0.01, 0] : [10, 10 + Double(row) * 0.01]
            publicLabel.append(row < 10 ? 0 : 1)
        }
        func dump(_ role: String, swapCandidates: Bool) -> SyntheticDump {
            var dump = SyntheticDump(points: 8, views: 2, dim: 3, seed: 1)
            dump.trainedOn = ["shared", role]
            dump.labels = dump.index.map { $0 % 2 }
            let targets = dump.index.indices.filter { dump.subset[$0] == 1 || dump.subset[$0] == 2 }.reversed()
            var crop: [Double] = []
            for row in targets {
                let right = dump.index[row] % 2 == 0 ? [0.02, 0.0] : [10.0, 10.05]
                let wrong = dump.index[row] % 2 == 0 ? [10.0, 10.05] : [0.02, 0.0]
                crop += swapCandidates && dump.subset[row] == 1 ? wrong : right
            }
            dump.dejavu = .init(
                crop: crop, cropIndex: targets.map { dump.index[$0] }, publicRows: publicRows,
                publicLabel: publicLabel, length: 2, chunkRows: 3)
            return dump
        }
        try dump("candidate", swapCandidates: false).write(to: directory.file("f.h5"))
        try dump("independent", swapCandidates: true).write(to: directory.file("g.h5"))
        let f = try RepresentationsFile(path: directory.file("f.h5"))
        let g = try RepresentationsFile(path: directory.file("g.h5"))
        let attack = try DejaVuAttack(f: f, g: g, k: 5)
        #expect(attack.a.count == 2 && attack.b.count == 2)
        #expect(attack.a.allSatisfy(\.isMemorized) && !attack.b.contains(where: \.isMemorized))
        #expect(attack.quadrants.memorized == 0.5 && attack.quadrants.correlated == 0.5)
        #expect(attack.target(1) == 1 && attack.reference(1) == 0.5)

        for k in [20, 21] {
            #expect(
                throws: SSLMemError(
                    file: f.path, dataset: "/dejavu/public",
                    DejaVuAttack.kProblem(k, publicCount: 20)!)
            ) {
                try DejaVuAttack(f: f, g: g, k: k)
            }
        }
        var bare = SyntheticDump(points: 8, views: 2, dim: 3, seed: 1)
        bare.trainedOn = ["shared", "independent"]
        try bare.write(to: directory.file("bare.h5"))
        let error = #expect(throws: SSLMemError.self) {
            try DejaVuAttack(f: f, g: RepresentationsFile(path: directory.file("bare.h5")), k: 5)
        }
        #expect(error?.dataset == "/dejavu/crop" && error?.message.hasPrefix("missing dataset") == true)
    }
}
