import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemTestSupport
import Testing

/// Each figure's caption makes direction claims ("above the diagonal is aligned better by f", "most
/// memorized", "exceeds a threshold", "95% intervals"); these tests check the claims against the data
/// the figure draws (its CSV rows), on the SimCLR fixture.
@Suite struct CaptionDirectionTests {
    static let table = try! ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))

    /// Fig. 2a: y is g's loss, lower is better, the score is A_g − A_f. The top-scored point lies above the
    /// diagonal and the lowest-scored below it, as the caption says; every point's side matches its score's sign.
    @Test func alignmentScatterSides() {
        let t = Self.table
        let figure = PaperFigure.alignmentScatter(t, width: .double)
        let top = t.score.indices.max { t.score[$0] < t.score[$1] }!
        let bottom = t.score.indices.min { t.score[$0] < t.score[$1] }!
        #expect(t.alignG[top] > t.alignF[top], "top-scored point must lie above the diagonal (y = A_g > x = A_f)")
        let topCandidate = t.score.indices.filter { t.subset[$0] == .candidate }.max { t.score[$0] < t.score[$1] }!
        #expect(t.alignG[topCandidate] > t.alignF[topCandidate], "the caption's top candidate sits above the diagonal")
        #expect(t.alignG[bottom] < t.alignF[bottom])
        #expect(figure.caption.contains("Points above the dashed diagonal are aligned better by f"))
        #expect(figure.caption.contains("the top candidate sits above it"))
        #expect(figure.caption.contains("below it are aligned better by g (negative scores)"))
        #expect(!figure.caption.contains("below the dashed diagonal are aligned better by f"))
        for i in t.score.indices where t.score[i] != 0 {
            #expect(
                (t.score[i] > 0) == (t.alignG[i] > t.alignF[i]), "point \(t.index[i]): side and score sign disagree")
        }
        // The CSV behind the figure: y column (align_g) above x (align_f) for the top candidate.
        let row = figure.rows.first { $0[0] == String(t.index[top]) }!
        #expect(Double(row[3])! > Double(row[2])!)
    }

    /// Figs. 1, 8, 9: "most memorized" lists the highest candidate scores first, "least" the lowest.
    @Test func memorizedImagesOrder() throws {
        let images = try ImagesFile(path: Repository.fixture("images.h5"))
        let candidates = zip(Self.table.subset, Self.table.score).filter { $0.0 == .candidate }.map(\.1)
        for most in [true, false] {
            let figure = try PaperFigure.memorizedImages(Self.table, images: images, most: most, width: .double)
            let scores = figure.rows.map { Double($0[2])! }
            #expect(figure.caption.hasPrefix(most ? "Most memorized" : "Least memorized"))
            #expect(scores == (most ? scores.sorted(by: >) : scores.sorted()))
            #expect(scores.first == (most ? candidates.max() : candidates.min()))
        }
    }

    /// Fig. 5: "share of points whose score exceeds a threshold" can only fall as the threshold grows.
    @Test func thresholdSharesFall() {
        let figure = PaperFigure.thresholdCurve(Self.table, width: .double)
        #expect(figure.caption.contains("exceeds a threshold"))
        for column in 1..<figure.columns.count {
            let shares = figure.rows.map { Double($0[column])! }
            #expect(zip(shares, shares.dropFirst()).allSatisfy { $0 >= $1 }, "\(figure.columns[column]) rises")
        }
        // No point exceeds the highest threshold, the highest score.
        #expect(figure.rows.last!.dropFirst().allSatisfy { Double($0)! == 0 })
    }

    /// Class means "with 95% confidence intervals": each interval holds its mean.
    @Test func classMeansIntervals() throws {
        let images = try ImagesFile(path: Repository.fixture("images.h5"))
        let figure = PaperFigure.classMeans(Self.table, classNames: images.classNames, width: .double)!
        #expect(figure.caption.contains("95% confidence intervals"))
        for row in figure.rows {
            let mean = Double(row[3])!
            let low = Double(row[4])!
            let high = Double(row[5])!
            #expect(low <= mean && mean <= high)
        }
    }

    /// Fig. 2b: the caption says "above 0, f's advantage over g … is larger on the candidates": a row's gap is
    /// positive exactly when the candidates' mean diff (A_g − A_f) exceeds the reference subset's, recomputed
    /// here from the scored checkpoints; each gap lies inside its own interval.
    @Test func trainingSeriesGapDirection() throws {
        let series = try TrainingSeries(checkpoints: Repository.fixture("checkpoints"), logs: [])
        let figure = PaperFigure.memorizationOverEpochs(series, width: .double)
        #expect(figure.caption.contains("above 0, f's advantage over g in alignment is larger on the candidates"))
        #expect(figure.caption.contains("S_C − S_I") && figure.caption.contains("S_C − S_E"))
        let pairs = try FileManager.default.contentsOfDirectory(atPath: Repository.fixture("checkpoints")).sorted()
        for row in figure.rows where row[0] == "gap" {
            let epoch = String(format: "%03d", Int(row[1])!)
            let f = Repository.fixture("checkpoints/") + pairs.first { $0.contains("_f_epoch\(epoch)") }!
            let g = Repository.fixture("checkpoints/") + pairs.first { $0.contains("_g_epoch\(epoch)") }!
            let table = try Memorization.score(f: [f], g: [g])
            let reference = Subset(name: row[2])!
            func mean(_ s: Subset) -> Double {
                let d = zip(table.subset, zip(table.alignG, table.alignF)).filter { $0.0 == s }.map { $0.1.0 - $0.1.1 }
                return d.reduce(0, +) / Double(d.count)
            }
            let gap = Double(row[3])!
            #expect((gap > 0) == (mean(.candidate) > mean(reference)), "epoch \(row[1]) \(row[2])")
            #expect(Double(row[4])! <= gap && gap <= Double(row[5])!)
        }
    }

    /// Audit ROC: the caption names candidates as members and extra points as non-members; the curve it
    /// draws rises with both rates (a threshold lowered calls more points members), and on the fixture the
    /// score (not −align_f, AUC ≈ 0.5 there) separates them better than chance, as the audit text says.
    @Test func rocDirection() throws {
        let audit = try MembershipAudit(Self.table)
        let figure = PaperFigure.membershipROC(audit, logLog: false, width: .double)
        #expect(
            figure.caption.contains("candidates (members of f)")
                && figure.caption.contains("extra points (non-members)"))
        for name in Set(figure.rows.map { $0[0] }) {
            let rows = figure.rows.filter { $0[0] == name }
            let fpr = rows.map { Double($0[2])! }
            let tpr = rows.map { Double($0[3])! }
            #expect(
                zip(fpr, fpr.dropFirst()).allSatisfy { $0 <= $1 } && zip(tpr, tpr.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(audit.signals[1].roc.auc > 0.5)
    }

    /// Kendall heatmap: "two-sided p"; a run against itself has τ = 1 on the diagonal.
    @Test func kendallDiagonal() throws {
        let other = try ScoresTable(csvFile: Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"))
        let figure = PaperFigure.kendallHeatmap(
            try RunComparison([Self.table, other], names: ["a", "b"]), width: .double)
        #expect(figure.caption.contains("two-sided p"))
        for row in figure.rows where row[0] == row[1] { #expect(Double(row[2])! == 1) }
    }
}
