// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (snake_case names mirror the keys of the reference JSON they decode.)
import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemReport
import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemAnalysis

/// The candidate − independent and candidate − extra gaps of unnormalized diff with Welch 95% intervals
/// (Fig. 2b, the sweep figure) against scripts/reference/gap_reference.py (numpy float64 alignments from
/// reference_scores.py, scipy.stats.ttest_ind(equal_var=False).confidence_interval(0.95)).
@Suite struct MemorizationGapTests {
    struct Expected: Decodable {
        struct Gap: Decodable {
            let gap: Double
            let ci95_low: Double
            let ci95_high: Double
            let df: Double
            let n_candidate: Int
            let n_reference: Int
        }
        let epoch: Int
        let gaps: [String: Gap]
        let candidate_mean_score: Double
        let independent_mean_score: Double
    }

    static let expected: [Expected] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/gap_reference.json")))
        return try! JSONDecoder().decode([Expected].self, from: data)
    }()

    static let checkpointPairs =
        [8, 26, 53].map { e in
            let name = String(format: "%03d", e)
            return Repository.fixture("checkpoints/simclr_f_epoch\(name).h5") + ","
                + Repository.fixture("checkpoints/simclr_g_epoch\(name).h5")
        } + [Repository.fixture("simclr_f.h5") + "," + Repository.fixture("simclr_g.h5")]

    func check(_ got: MemorizationGap?, _ want: Expected.Gap, _ what: String) {
        guard let got else {
            Issue.record("\(what): no gap")
            return
        }
        #expect(abs(got.gap - want.gap) < 1e-10, "\(what): gap \(got.gap) vs \(want.gap)")
        #expect(
            abs(got.interval.lower - want.ci95_low) < 1e-9, "\(what): CI low \(got.interval.lower) vs \(want.ci95_low)")
        #expect(
            abs(got.interval.upper - want.ci95_high) < 1e-9,
            "\(what): CI high \(got.interval.upper) vs \(want.ci95_high)")
        #expect(abs(got.degreesOfFreedom - want.df) < 1e-6 * want.df, "\(what): df")
        #expect(got.candidates == want.n_candidate && got.references == want.n_reference, "\(what): n")
    }

    /// Final dumps: the reference's own per-point diff (fixtures/expected/simclr_allpairs_l2_range.csv) gives
    /// scipy's Welch gap and interval.
    @Test func finalDumpsMatchScipy() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        let want = try #require(Self.expected.first { $0.epoch == 80 })
        check(MemorizationGap(table, reference: .independent), want.gaps["independent"]!, "epoch 80, S_I")
        check(MemorizationGap(table, reference: .extra), want.gaps["extra"]!, "epoch 80, S_E")
        #expect(MemorizationGap.gaps(table).map(\.reference) == [.independent, .extra])
    }

    /// Fig. 2b: every checkpoint's gaps, scored by sslmem from the dumps, equal the reference's; the figure's
    /// CSV holds those gaps and not the range-normalized means, and its caption says why.
    @Test func trainingSeriesGapsMatchTheReference() throws {
        let series = try TrainingSeries(checkpoints: Repository.fixture("checkpoints"), logs: [])
        #expect(series.epochs.map(\.epoch) == [8, 26, 53])
        for epoch in series.epochs {
            let want = try #require(Self.expected.first { $0.epoch == epoch.epoch })
            check(epoch.gap(over: .independent), want.gaps["independent"]!, "epoch \(epoch.epoch), S_I")
            check(epoch.gap(over: .extra), want.gaps["extra"]!, "epoch \(epoch.epoch), S_E")
            // What the old figure plotted, for contrast: the normalized means move with the checkpoint.
            #expect(abs(epoch.candidateMean - want.candidate_mean_score) < 1e-9)
        }
        let figure = PaperFigure.memorizationOverEpochs(series, width: .double)
        #expect(figure.columns.contains("gap") && !figure.columns.contains("candidate_mean"))
        for row in figure.rows where row[0] == "gap" {
            let want = try #require(Self.expected.first { $0.epoch == Int(row[1])! }?.gaps[row[2]])
            #expect(abs(Double(row[3])! - want.gap) < 1e-10)
            #expect(Double(row[4])! <= Double(row[3])! && Double(row[3])! <= Double(row[5])!)
        }
        #expect(figure.rows.filter { $0[0] == "gap" }.count == 6)
        #expect(figure.caption.contains("95% Welch confidence intervals"))
        #expect(figure.caption.contains("range-normalized on their own"))
    }

    /// The sweep figure over the fixtures' epochs (one run per value: Welch intervals) plots the reference gaps.
    @Test func sweepFigurePlotsTheReferenceGaps() throws {
        let sweep = try SweepReport(
            runs: try Self.checkpointPairs.map { try RunSource($0) }, attribute: "epoch",
            title: nil, commandLine: "test")
        let figure = try #require(sweep.figures.first { $0.name == "sweep_memorization" })
        #expect(figure.columns == ["epoch", "reference", "gap", "ci95_low", "ci95_high", "runs"])
        #expect(figure.rows.count == 8)
        for row in figure.rows {
            let want = try #require(Self.expected.first { Double($0.epoch) == Double(row[0])! }?.gaps[row[1]])
            #expect(abs(Double(row[2])! - want.gap) < 1e-10, "\(row)")
            #expect(
                abs(Double(row[3])! - want.ci95_low) < 1e-9 && abs(Double(row[4])! - want.ci95_high) < 1e-9, "\(row)")
            #expect(row[5] == "1")
        }
        #expect(figure.caption.contains("95% confidence intervals") && figure.caption.contains("range-normalized"))
    }

    /// The point of the gap: an offset between f and g (every diff moved alike) and a different range leave it
    /// unchanged, though they move the mean score.
    @Test func gapIgnoresAnOffsetBetweenFAndG() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        var shifted = table
        shifted.alignG = table.alignG.map { $0 - 0.05 }
        shifted.diff = zip(shifted.alignG, shifted.alignF).map { $0 - $1 }
        let a = try #require(MemorizationGap(table, reference: .independent))
        let b = try #require(MemorizationGap(shifted, reference: .independent))
        #expect(abs(a.gap - b.gap) < 1e-12 && abs(a.interval.lower - b.interval.lower) < 1e-12)
        // Not computable without alignments (a per-point score from another tool).
        #expect(
            MemorizationGap(
                ScoresTable(index: table.index, score: table.score, subset: table.subset),
                reference: .independent) == nil)
    }

    /// Several seeds per value: the mean of their gaps with the t-interval over the seeds.
    @Test func groupOfSeedsUsesTheSpreadBetweenThem() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        var other = table
        other.diff = table.diff.enumerated().map { table.subset[$0] == .candidate ? $1 + 0.01 : $1 }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try table.write(to: dir.file("a.csv"))
        try other.write(to: dir.file("b.csv"))
        let group = RunGroup(key: "x", runs: [try RunSource(dir.file("a.csv")), try RunSource(dir.file("b.csv"))])
        let gap = try #require(group.gap(over: .independent))
        let g1 = MemorizationGap(table, reference: .independent)!.gap
        let g2 = MemorizationGap(other, reference: .independent)!.gap
        #expect(abs(gap.gap - (g1 + g2) / 2) < 1e-12 && gap.runs == 2)
        let half = Distributions.studentQuantile(0.975, df: 1) * abs(g1 - g2) / 2
        #expect(abs(gap.interval.upper - gap.interval.lower - 2 * half) < 1e-9)
    }
}
