import Foundation
import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemSupport
import SSLMemTestSupport
import Testing

/// The one per-point table: what each stage's initializer holds (`known`), and that `write(to:)` writes a
/// table of alignments as a shard and a table of scores as scores, each read back equal.
@Suite struct PointTableTests {
    static let index: [Int64] = [2, 5, 9]
    static let subset: [Subset] = [.candidate, .shared, .independent]
    static let label: [Int64] = [0, 1, -1]

    @Test func eachStageKnowsItsColumns() throws {
        let points = PointTable(index: Self.index, subset: Self.subset, label: Self.label)
        #expect(points.known == [.subset, .label])
        #expect(points.alignF.allSatisfy(\.isNaN) && points.score.allSatisfy(\.isNaN) && points.count == 3)

        let alignments = AlignmentsTable(
            index: Self.index, subset: Self.subset, label: Self.label,
            alignF: [1, 2, 4], alignG: [3, 2, 1], provenance: [], shard: 1, shards: 2)
        #expect(alignments.known == [.subset, .label, .alignments])
        #expect(alignments.diff == [2, 0, -3] && alignments.score.allSatisfy(\.isNaN))

        let scores = try alignments.scores(.none)
        #expect(scores.known == .all && scores.diff == [2, 0, -3] && scores.score == [2, 0, -3])
        #expect(scores.scores(of: .candidate) == [2])

        let other = ScoresTable(index: [9, 2], score: [0.5, 0.25])
        #expect(other.known == [.score] && other.scores(of: .candidate).isEmpty)
        var sorted = other
        sorted.sortByIndex()
        #expect(sorted.index == [2, 9] && sorted.score == [0.25, 0.5] && sorted.known == [.score])
        #expect(alignments.filter { $0 != 1 }.index == [2, 9])
    }

    @Test func writeChoosesTheFormByWhatTheTableHolds() throws {
        let directory = TemporaryDirectory()
        let alignments = AlignmentsTable(
            index: Self.index, subset: Self.subset, label: Self.label,
            alignF: [1, 2, 4], alignG: [3, 2, 1],
            provenance: AlignmentsTable.provenanceNames.map { ($0, .strings(["x"])) },
            shard: 1, shards: 2)
        try alignments.write(to: directory.file("part.h5"))
        #expect(try AlignmentsTable(path: directory.file("part.h5")) == alignments)
        #expect(throws: SSLMemError.self) { try ScoresTable(file: directory.file("part.h5")) }

        let scores = try alignments.scores(.range, rangeOver: .all)  // one candidate: no candidate range
        try scores.write(to: directory.file("scores.h5"))
        try scores.write(to: directory.file("scores.csv"))
        #expect(try ScoresTable(file: directory.file("scores.h5")) == scores)
        #expect(try ScoresTable(file: directory.file("scores.csv")) == scores)
        #expect(throws: SSLMemError.self) { try AlignmentsTable(path: directory.file("scores.h5")) }
    }
}
