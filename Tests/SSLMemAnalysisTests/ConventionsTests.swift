import Foundation
import SSLMemModel
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemAnalysis
@testable import SSLMemCore
@testable import SSLMemIO

/// The conventions of issue 24 against the independent float64 numpy reference
/// (scripts/reference/conventions_reference.py → fixtures/expected/conventions_reference.json): the score with the range
/// over the candidates and over all points, the authors-code preset, select's authors-code ranking (as the
/// released remove_samples.py), and the bootstrap intervals of LayerMem, ΔLayerMem and LayerMem − control
/// with the same SplitMix64 draws.
@Suite struct ConventionsTests {
    static var reference: [String: Any] {
        let data = try! Data(
            contentsOf: URL(fileURLWithPath: Repository.fixture("expected/conventions_reference.json")))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func scores(_ name: String) -> [String: Any] {
        (reference["scores"] as! [String: Any])[name] as! [String: Any]
    }

    static let f = Repository.fixture("simclr_f.h5"), g = Repository.fixture("simclr_g.h5")

    func expectScores(_ got: ScoresTable, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = Self.scores(name)
        let index = (reference["index"] as! [Int]).map(Int64.init)
        let score = reference["score"] as! [Double]
        #expect(got.index == index, sourceLocation: sourceLocation)
        var worst = 0.0
        for i in score.indices { worst = max(worst, abs(got.score[i] - score[i])) }
        #expect(worst < 1e-9, "\(name): largest difference \(worst)", sourceLocation: sourceLocation)
        let mean = Descriptive(got.scores(of: .candidate)).mean
        #expect(
            abs(mean - (reference["candidate_mean"] as! Double)) < 1e-10, "\(name) candidate mean \(mean)",
            sourceLocation: sourceLocation)
    }

    @Test func theDefaultRangeIsOverTheCandidates() throws {
        let table = try Memorization.score(f: [Self.f], g: [Self.g])
        expectScores(table, "paper")
        // The numbers: 0.0219 over the candidates' range, 0.0190 over all points'.
        #expect(NumberFormat.fixed(Descriptive(table.scores(of: .candidate)).mean) == "0.0219")
        let candidates = table.index.indices.filter { table.subset[$0] == .candidate }
        let range = candidates.map { table.score[$0] }.max()! - candidates.map { table.score[$0] }.min()!
        #expect(abs(range - 1) < 1e-12, "the candidates' scores span exactly 1: \(range)")
        #expect(table.provenance.contains { $0.0 == "range_over" && $0.1 == .strings(["candidate"]) })
    }

    @Test func rangeOverAllPointsGivesTheOldScale() throws {
        let table = try Memorization.score(f: [Self.f], g: [Self.g], rangeOver: .all)
        expectScores(table, "paper_range_all")
        #expect(NumberFormat.fixed(Descriptive(table.scores(of: .candidate)).mean) == "0.0190")
    }

    @Test func theAuthorsCodePresetMatchesTheReleasedCodesDefinition() throws {
        let conventions = Conventions(.authorsCode)
        #expect(
            conventions.pairing == .original && conventions.rangeOver == .candidate
                && conventions.ranking == .authorsCode && conventions.name == "authors-code")
        let table = try Memorization.score(
            f: [Self.f], g: [Self.g], options: conventions.alignment,
            normalization: conventions.normalization, rangeOver: conventions.rangeOver)
        expectScores(table, "authors_code")
    }

    @Test func selectRanksAsRemoveSamplesUnderTheAuthorsCodeConvention() throws {
        let table = try Memorization.score(f: [Self.f], g: [Self.g], options: Conventions(.authorsCode).alignment)
        let expected = Self.reference["select_authors_code"] as! [String: Any]
        let sizes = expected["sizes"] as! [Int]
        let top = expected["top"] as! [String: [Int]]
        let byScore = expected["top_by_score"] as! [String: [Int]]
        let authors = try PointSelection(table, sizes: sizes, ranking: .authorsCode)
        let plain = try PointSelection(table, sizes: sizes, ranking: .score)
        for (i, n) in sizes.enumerated() {
            #expect(authors.top[i] == top[String(n)]!.map(Int64.init), "authors-code top \(n)")
            #expect(plain.top[i] == byScore[String(n)]!.map(Int64.init), "by-score top \(n)")
        }
        // The two rankings are not the same order: the preset changes which points are removed.
        #expect(authors.top[0] != plain.top[0])
    }

    @Test func theAuthorsCodeRankingNeedsAlignments() throws {
        let table = ScoresTable(index: [1, 2, 3], score: [0.1, 0.2, 0.3], subset: [.candidate, .candidate, .candidate])
        #expect(throws: SSLMemError.self) { try PointSelection(table, sizes: [1], ranking: .authorsCode) }
    }

    // MARK: Bootstrap intervals

    @Test(arguments: [0, 1])
    func layerIntervalsEqualANumpyBootstrapWithTheSameDraws(case number: Int) throws {
        let cases = Self.reference["layer_intervals"] as! [[String: Any]]
        let expected = cases[number]
        let f = Repository.root + "/" + (expected["f"] as! String)
        let g = Repository.root + "/" + (expected["g"] as! String)
        let pairing = Pairing(rawValue: expected["pairing"] as! String)!
        let analysis = try LayerMem.analyze(f: [f], g: [g], options: AlignmentOptions(pairing: pairing))
        let resamples = expected["resamples"] as! Int
        let seed = UInt64(expected["seed"] as! Int)
        let level = expected["level"] as! Double
        let intervals = LayerIntervals(analysis, resamples: resamples, seed: seed, level: level)
        #expect(intervals.candidates == expected["candidates"] as! Int && intervals.extra == expected["extra"] as! Int)
        var generator = SplitMix64(seed: seed)
        let n = UInt64(intervals.candidates)
        #expect((0..<intervals.candidates).map { _ in Int(generator.next() % n) } == expected["first_draws"] as! [Int])
        let layers = expected["layers"] as! [[String: Any]]
        #expect(intervals.layers.map(\.name) == layers.map { $0["name"] as! String })
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
        for (mine, theirs) in zip(intervals.layers, layers) {
            for (key, got) in [
                ("layermem", [mine.layerMem]), ("delta", [mine.delta]), ("excess", [mine.excess]),
                ("layermem_ci", mine.layerMemCI), ("delta_ci", mine.deltaCI),
                ("excess_ci", mine.excessCI)
            ] {
                let want = (theirs[key] as? [Double]) ?? [theirs[key] as! Double]
                #expect(zip(got, want).allSatisfy { close($0, $1) }, "\(mine.name) \(key): \(got) vs \(want)")
            }
        }
        // Reproducible from the seed; another seed gives other draws.
        #expect(LayerIntervals(analysis, resamples: resamples, seed: seed, level: level) == intervals)
        #expect(
            LayerIntervals(analysis, resamples: resamples, seed: seed + 1, level: level).layers[0].layerMemCI
                != intervals.layers[0].layerMemCI)
    }

    @Test func layerFindingsDoNotRankOverlappingLayersNorClaimAbsence() throws {
        let f = Repository.fixture("layers/f.h5")
        let g = Repository.fixture("layers/g.h5")
        let analysis = try LayerMem.analyze(f: [f], g: [g])
        let intervals = LayerIntervals(analysis, resamples: 2000)
        let findings = LayerFindings(analysis, intervals: intervals)
        #expect(
            !findings.text.contains("no layer memorizes")
                || findings.text.contains("does not show that no layer memorizes"))
        let top = Ranking.highestFirst(analysis.layers.map(\.layerMem))[0]
        let overlapping = analysis.layers.indices.filter { $0 != top && intervals.overlap(top, $0) }
        if !overlapping.isEmpty {
            #expect(findings.sentences[0].contains("cannot be ranked"), "\(findings.sentences[0])")
            for i in overlapping { #expect(findings.sentences[0].contains(analysis.layers[i].name)) }
        }
        if findings.excessAt.isEmpty {
            #expect(findings.text.contains("No detectable excess") && findings.text.contains("n = 16 candidates"))
        }
    }

    // MARK: The conventions type

    @Test func oneSetOfDefaults() {
        let c = Conventions.defaults
        #expect(c.pairing == .allPairs && c.distance == .l2 && c.normalization == .range && c.rangeOver == .candidate)
        #expect(c.ranking == .score && c.tieRule == .lowerIndex && c.name == "paper")
        #expect(c.topX == [10, 20, 50, 75, 100, 150, 200] && c.selectionSizes == [500, 1000, 2000, 4000, 8000, 16000])
        #expect(c.bootstrapResamples == 10_000 && c.bootstrapSeed == 0 && c.level == 0.95)
        var custom = c
        custom.rangeOver = .all
        #expect(custom.name == "custom" && custom.sentence.contains("all points"))
        #expect(c.sentence.hasPrefix("Conventions (paper):") && c.sentence.contains("range over the candidates"))
        #expect(c.record.rangeOver == "candidate" && c.record.sentence == c.sentence)
    }

    @Test func theHeadlineStatesItsConvention() throws {
        let table = try Memorization.score(f: [Self.f], g: [Self.g])
        let headline = try #require(CandidateHeadline(table, conventions: .defaults))
        #expect(headline.sentence.hasPrefix("SSLMem of the candidates: 0.0219 ["))
        #expect(headline.sentence.contains("n = 200; paper convention: all pairs, L2, range over the candidates"))
    }

    // MARK: Unequal training and offsets

    /// Checkpoints of an f trained for 104 epochs and a g trained for 56, at the same fractions of training.
    static func unequalCheckpoints(in directory: TemporaryDirectory) throws -> String {
        let folder = directory.file("checkpoints")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (role, epochs) in [("f", [13, 26, 52, 104]), ("g", [7, 14, 28, 56])] {
            for (i, epoch) in epochs.enumerated() {
                var dump = SyntheticDump(points: 40, views: 3, dim: 6, seed: UInt64(7 + i + (role == "g" ? 100 : 0)))
                dump.index = SyntheticDump(points: 40, views: 3, dim: 6, seed: 7).index
                if role == "g" { dump.trainedOn = ["shared", "independent"] }
                dump.replace["sslmem_format_version"] = { file in
                    try file.setAttribute("sslmem_format_version", .integers([1]))
                    try file.setAttribute("epoch", .integers([Int64(epoch)]))
                }
                try dump.write(to: folder + "/\(role)_epoch\(epoch).h5")
            }
        }
        return folder
    }

    @Test func checkpointsOfUnequalTrainingPairByFraction() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let folder = try Self.unequalCheckpoints(in: scratch)
        let series = try TrainingSeries(checkpoints: folder, logs: [])
        #expect(series.epochs.map(\.epoch) == [13, 26, 52, 104])
        #expect(series.epochs.map(\.gEpoch) == [7, 14, 28, 56])
        #expect(series.epochs.map(\.fraction) == [0.125, 0.25, 0.5, 1])
        let caveat = try #require(series.caveat)
        #expect(
            caveat.contains("f trained for 104 epochs and g for 56") && caveat.contains("f epoch 13 with g epoch 7"))
        // The fixture's checkpoints (f and g at the same epochs) still pair by epoch, without a caveat.
        let same = try TrainingSeries.CheckpointPairs.of(checkpoints: Repository.fixture("checkpoints"))
        #expect(same.caveat == nil && same.pairs.map(\.fEpoch) == same.pairs.map(\.gEpoch))
    }

    @Test func anOffsetOfSharedPointsIsExplainedAndNamedByTheFindingItUndermines() {
        // Shared points at −0.08 ± small noise: g aligns points both saw better than f.
        var rng = SplitMix64(seed: 3)
        var index: [Int64] = []
        var subset: [Subset] = []
        var score: [Double] = []
        for (s, center) in [(Subset.shared, -0.08), (.candidate, 0.05), (.independent, -0.2), (.extra, -0.1)] {
            for _ in 0..<50 {
                index.append(Int64(index.count))
                subset.append(s)
                score.append(center + 0.02 * rng.normal())
            }
        }
        let table = ScoresTable(index: index, score: score, subset: subset)
        let caveats = Caveats.offsets(table)
        #expect(caveats.map(\.id) == ["offset-shared", "offset-extra"])
        #expect(caveats[0].text.contains("stay valid") && caveats[0].text.contains("candidates > 0"))
        let findings = Caveats.annotate(Findings.run(table), with: caveats)
        let shared = try! #require(findings.first { $0.claim == "shared points score about 0" })
        #expect(shared.verdict == "not supported" && shared.caveats == ["offset-shared"])
        #expect(shared.sentence.contains("stay valid"))
        #expect(findings.first { $0.claim == "candidates score above shared points" }?.caveats == nil)
    }

    @Test func runsScoredUnderDifferentConventionsAreNamed() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        try Memorization.score(f: [Self.f], g: [Self.g]).write(to: scratch.file("paper.h5"))
        try Memorization.score(f: [Self.f], g: [Self.g], rangeOver: .all).write(to: scratch.file("all.h5"))
        let paper = try RunSource(scratch.file("paper.h5"), name: "paper")
        let all = try RunSource(scratch.file("all.h5"), name: "all")
        #expect(paper.convention == "all-pairs, l2, range over candidate")
        #expect(all.convention == "all-pairs, l2, range over all")
        let caveat = try #require(Caveats.differingConventions([paper, all]).first)
        #expect(caveat.contains("paper with all-pairs, l2, range over candidate") && caveat.contains("not comparable"))
        #expect(Caveats.runAttributes([paper, all]).contains(caveat))
        #expect(Caveats.differingConventions([paper, paper]).isEmpty)
    }

    // MARK: Déjà Vu k

    @Test func dejaVuKMustBeBelowThePublicSet() {
        #expect(DejaVuAttack.kProblem(40, publicCount: 40)?.contains("k = 40") == true)
        #expect(DejaVuAttack.kProblem(100, publicCount: 40)?.contains("has 40 rows") == true)
        #expect(DejaVuAttack.kProblem(39, publicCount: 40) == nil)
        let (k, warning) = DejaVuAttack.usableK(100, publicCounts: [40, 50])
        #expect(k == 39)
        #expect(
            warning?.contains("k = 39") == true && warning?.contains("100 asked for") == true
                && warning?.contains("40 rows") == true)
        #expect(DejaVuAttack.usableK(10, publicCounts: [40, 50]) == (10, nil))
    }
}
