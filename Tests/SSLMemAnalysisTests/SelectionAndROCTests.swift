import Foundation
import SSLMemAnalysis
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

/// ROC curves with ties, and removal/coreset lists.
@Suite struct SelectionAndROCTests {
    /// Members {3, 2, 2, 1}, non-members {2, 0}: pairs ordered right 1+0.5·2+… → U = 6, AUC = 6/8.
    @Test func rocWithTiesMatchesHandCount() {
        let roc = ROCCurve(members: [3, 2, 2, 1], nonMembers: [2, 0])
        #expect(roc.auc == 0.75)
        #expect(roc.points.map(\.threshold) == [.infinity, 3, 2, 1, 0])
        #expect(roc.points.map(\.truePositiveRate) == [0, 0.25, 0.75, 1, 1])
        #expect(roc.points.map(\.falsePositiveRate) == [0, 0, 0.5, 0.5, 1])
        let strict = roc.truePositiveRate(atFalsePositiveRate: 0.1)
        #expect(strict.threshold == 3 && strict.truePositiveRate == 0.25)
        #expect(roc.truePositiveRate(atFalsePositiveRate: 0.5).threshold == 1)
        #expect(ROCCurve(members: [1, 1], nonMembers: [1]).auc == 0.5)
    }

    func table() throws -> ScoresTable {
        try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
    }

    @Test func topListsAreTheHighestScoresAndRandomListsNest() throws {
        let scores = try table()
        let selection = try PointSelection(scores, sizes: [5, 50, 200], seed: 7)
        let candidates = scores.index.indices.filter { scores.subset[$0] == .candidate }
        let best = candidates.sorted { scores.score[$0] > scores.score[$1] }.prefix(50).map { scores.index[$0] }
        #expect(selection.top[1] == best.sorted())
        #expect(Set(selection.top[0]).isSubset(of: selection.top[1]))
        #expect(Set(selection.random[0]).isSubset(of: selection.random[1]) && selection.random[2].count == 200)
        #expect(Set(selection.random[2]) == Set(candidates.map { scores.index[$0] }))
        #expect(try PointSelection(scores, sizes: [5, 50, 200], seed: 7).random == selection.random)
        #expect(try PointSelection(scores, sizes: [50], seed: 8).random != [selection.random[1]])
        let all = try PointSelection(scores, sizes: [800], pool: .all)
        #expect(all.top[0] == scores.index.sorted())
        #expect(throws: SSLMemError("a list of 201 points was asked for, the pool (candidate) has 200")) {
            try PointSelection(scores, sizes: [10, 201])
        }
    }

    @Test func selectionFolderIsWrittenWhole() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let selection = try PointSelection(try table(), sizes: [5, 10], seed: 1)
        try selection.write(to: directory.file("lists"), scoresFile: "scores.csv")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.file("lists")).sorted()
        #expect(files == [".sslmem-output", "random-10.txt", "random-5.txt", "selection.h5", "top-10.txt", "top-5.txt"])
        let text = try String(contentsOfFile: directory.file("lists/top-5.txt"), encoding: .utf8)
        #expect(text == selection.top[0].map(String.init).joined(separator: "\n") + "\n")
        let h5 = try HDF5File(reading: directory.file("lists/selection.h5"))
        #expect(try h5.dataset("/random/10").readAll(as: Int64.self) == selection.random[1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["lists"])
    }
}
