// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (snake_case names mirror the keys of the reference JSON they decode.)
import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemReport
import SSLMemTestSupport
import Testing

/// Fig. 2b (memorization over training) ends with the run's final f and g (issue 26 item 7): the fixture's
/// checkpoints at epochs 8, 26 and 53 (50 points per subset) and the final dumps at epoch 80 (200 per subset).
/// The final point's gaps equal scripts/reference/gap_reference.py's at epoch 80, the caption says which point is the
/// final model, at which epoch and on how many points against the checkpoints', and the CSV marks it.
@Suite struct TrainingFinalModelTests {
    struct Expected: Decodable {
        struct Gap: Decodable {
            let gap: Double
            let ci95_low: Double
            let ci95_high: Double
        }
        let epoch: Int
        let gaps: [String: Gap]
    }

    static let expected: [Expected] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/gap_reference.json")))
        return try! JSONDecoder().decode([Expected].self, from: data)
    }()

    static let f = [Repository.fixture("simclr_f.h5")], g = [Repository.fixture("simclr_g.h5")]

    static func series() throws -> TrainingSeries {
        let table = try Memorization.score(f: f, g: g)
        let final = try #require(try TrainingSeries.FinalModel.of(f: f, g: g, table: table))
        #expect(final.epoch == 80 && final.gEpoch == 80)
        return try TrainingSeries(checkpoints: Repository.fixture("checkpoints"), logs: [], final: final)
    }

    @Test func finalModelIsTheLastPointWithTheReferenceGaps() throws {
        let series = try Self.series()
        #expect(series.epochs.map(\.epoch) == [8, 26, 53, 80])
        #expect(series.epochs.map(\.isFinal) == [false, false, false, true])
        let final = try #require(series.final)
        let want = try #require(Self.expected.first { $0.epoch == 80 })
        for (reference, key) in [(Subset.independent, "independent"), (.extra, "extra")] {
            let gap = try #require(final.gap(over: reference))
            let w = try #require(want.gaps[key])
            #expect(abs(gap.gap - w.gap) < 1e-10, "epoch 80 \(key)")
            #expect(abs(gap.interval.lower - w.ci95_low) < 1e-9 && abs(gap.interval.upper - w.ci95_high) < 1e-9)
        }
        #expect(final.sizes[.candidate] == 200 && series.epochs[0].sizes[.candidate] == 50)
        #expect(final.sizeDescription == "200 points per subset")
    }

    @Test func captionAndCSVSayWhichPointIsTheFinalModelAndItsN() throws {
        let figure = PaperFigure.memorizationOverEpochs(try Self.series(), width: .double)
        #expect(
            figure.caption.contains("The last point, epoch 80 (marked \"final model\"), is the run's final f and g"))
        #expect(figure.caption.contains("checkpoints at epochs 8, 26 and 53"))
        #expect(figure.caption.contains("scored on 200 points per subset, the checkpoints on 50 points per subset"))
        #expect(figure.caption.contains("2.0× narrower for that reason alone"))
        let finalRows = figure.rows.filter { $0[0] == "gap: final model" }
        #expect(finalRows.count == 2 && finalRows.allSatisfy { $0[1] == "80" && $0[8] == "200" && $0[9] == "200" })
        #expect(figure.rows.filter { $0[0] == "gap" }.allSatisfy { $0[8] == "50" })
    }

    /// A final model at a checkpoint's epoch is that checkpoint: no second point; without a final model the
    /// series and its caption are as before.
    @Test func noFinalPointAtOrBeforeTheLastCheckpoint() throws {
        let table = try Memorization.score(f: Self.f, g: Self.g)
        let early = TrainingSeries.FinalModel(epoch: 53, gEpoch: 53, table: table)
        let series = try TrainingSeries(checkpoints: Repository.fixture("checkpoints"), logs: [], final: early)
        #expect(series.epochs.map(\.epoch) == [8, 26, 53] && series.final == nil && series.finalSizeNote == nil)
        let plain = PaperFigure.memorizationOverEpochs(
            try TrainingSeries(checkpoints: Repository.fixture("checkpoints"), logs: []), width: .double)
        #expect(!plain.caption.contains("final model"))
    }

    /// The run report with --checkpoints draws the final model in Fig. 2b.
    @Test func runReportIncludesTheFinalModel() throws {
        var inputs = RunReport.Inputs(
            f: Self.f, g: Self.g, images: nil, checkpoints: Repository.fixture("checkpoints"),
            logs: [], title: nil, options: AlignmentOptions(), commandLine: "test")
        inputs.dejaVuK = 5
        let report = try RunReport(inputs)
        let figure = try #require(report.figures.first { $0.name == "memorization_over_epochs" })
        #expect(figure.rows.contains { $0[0] == "gap: final model" && $0[1] == "80" })
    }
}

/// `sslmem figures --scores S.h5 --checkpoints DIR`: the scores .h5 records its dumps, so Fig. 2b ends with the
/// final model there too; a scores .csv records none, and the series stops at the last checkpoint.
@Suite struct FiguresCommandFinalModelTests {
    @Test func figuresFromAScoresH5IncludeTheFinalModel() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let scores = scratch.file("simclr.h5")
        try CLI.succeed([
            "score", "--f", Repository.fixture("simclr_f.h5"), "--g", Repository.fixture("simclr_g.h5"),
            "--out", scores
        ])
        let table = try ScoresTable(file: scores)
        #expect(try TrainingSeries.FinalModel.of(table)?.final.epoch == 80)
        let figures = try PaperFigure.runFigures(
            table, images: nil, checkpoints: Repository.fixture("checkpoints"),
            logs: [], width: .double)
        let figure = try #require(figures.first { $0.name == "memorization_over_epochs" })
        #expect(figure.rows.filter { $0[0] == "gap: final model" }.map { $0[1] } == ["80", "80"])
        let csv = try ScoresTable(file: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        #expect(try TrainingSeries.FinalModel.of(csv) == nil)
    }
}
