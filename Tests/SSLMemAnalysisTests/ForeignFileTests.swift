import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

/// Files written by other tools (fixtures/foreign, made by scripts/fixtures/make_foreign_fixtures.py
/// with Python's csv module, h5py and scipy.io.savemat).
@Suite struct ForeignFileTests {
    let expected = try! ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
    func foreign(_ name: String) -> String { Repository.fixture("foreign/" + name) }

    @Test func csvWithCRLFBOMReorderedAndExtraColumns() throws {
        let table = try ScoresTable(file: foreign("scores_crlf_bom.csv"))
        #expect(table == expected)
        #expect(table.known == .all)
    }

    @Test func perPointScoreComparedOverCommonPoints() throws {
        let other = try ScoresTable(file: foreign("other_method.csv"), column: "mem")
        #expect(other.known == [.score])
        #expect(other.scores(of: .candidate).isEmpty)
        let evenCandidates = zip(expected.index, expected.subset).filter { $0.0 % 2 == 0 && $0.1 == .candidate }.count
        let comparison = try RunComparison([expected, other], names: ["sslmem", "other"], tops: [10])
        #expect(comparison.kendall[0][1].count == evenCandidates)
        #expect(comparison.kendall[0][1].tau == 1)
        #expect(comparison.pairs[0].top[0].overlap == 1)
        // Two runs without subsets cannot be restricted to candidates …
        #expect(
            throws: SSLMemError(
                "none of the runs says which points are in subset candidate; compare them over "
                    + "all points, or give subsets to one of them")
        ) {
            try RunComparison([other, other], names: ["a", "b"])
        }
        // … but compare over all their points.
        #expect(try RunComparison([other, other], names: ["a", "b"], subset: nil).kendall[0][1].count == other.count)
        // Statistics need subsets: refused without, computed once they are joined in.
        #expect(
            throws: SSLMemError(
                file: "x",
                "has no subset column; stats needs each point's subset (add a "
                    + "subset column, or take the subsets of an sslmem scores file of the same points)")
        ) {
            try other.requireSubsets(source: "x", for: "stats")
        }
        let joined = other.joiningSubsets(from: expected)
        #expect(joined.count == other.count && joined.known == [.subset, .label, .score])
        #expect(joined.scores(of: .candidate).count == evenCandidates)
        #expect(
            throws: SSLMemError(
                "the candidate pool needs each point's subset, which these scores lack; "
                    + "select from all points")
        ) {
            try PointSelection(other, sizes: [5])
        }
        #expect(try PointSelection(other, sizes: [5], pool: .all).top[0].count == 5)
    }

    @Test func nonFiniteScoresRefusedAlikeInCSVAndHDF5() throws {
        #expect(
            throws: SSLMemError(
                file: foreign("scores_nan.csv"), dataset: "score", point: 7,
                "nan is not a finite number; scores must be finite")
        ) {
            try ScoresTable(file: foreign("scores_nan.csv"))
        }
        #expect(
            throws: SSLMemError(
                file: foreign("scores_nan.h5"), dataset: "/score", point: 7,
                "nan is not a finite number; scores must be finite")
        ) {
            try ScoresTable(file: foreign("scores_nan.h5"))
        }
        // sslmem's own scores .h5 is checked too.
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var table = expected
        table.score[3] = .infinity
        try table.writeHDF5(to: directory.file("inf.h5"))
        #expect(
            throws: SSLMemError(
                file: directory.file("inf.h5"), dataset: "/score", point: expected.index[3],
                "inf is not a finite number; scores must be finite")
        ) {
            try ScoresTable(file: directory.file("inf.h5"))
        }
    }

    @Test func matLevel5AndV73() throws {
        let v5 = try ScoresTable(file: foreign("scores_v5.mat"))
        #expect(v5.index == expected.index && v5.score == expected.score && v5.subset == expected.subset)
        #expect(v5.known == [.subset, .score])
        let v73 = try ScoresTable(file: foreign("scores_v73.mat"))
        #expect(v73.index == expected.index && v73.score == expected.score && v73.known == [.score])
        let compressed = try ScoresTable(file: foreign("memorization_v5z.mat"), column: "memorization")
        #expect(compressed.index == Array(0..<50) && compressed.score == (0..<50).map { Double($0) / 49 })
        #expect(
            throws: SSLMemError(
                file: foreign("memorization_v5z.mat"),
                "has no variable score (its numeric "
                    + "variables: memorization); give the name of the score's variable as the column")
        ) {
            try ScoresTable(file: foreign("memorization_v5z.mat"))
        }
        #expect(
            throws: SSLMemError(
                file: foreign("scores_v5.mat"), dataset: "note",
                "is a character array, not a real numeric array")
        ) {
            try ScoresTable(file: foreign("scores_v5.mat"), column: "note")
        }
    }

    @Test func lzfDumpsScoreLikeGzip() throws {
        let lzf = try Memorization.score(f: [foreign("f_lzf.h5")], g: [foreign("g_lzf.h5")], workers: 2)
        let gzip = try Memorization.score(f: [foreign("f_gzip.h5")], g: [foreign("g_gzip.h5")], workers: 2)
        #expect(lzf.count == 48 && lzf == gzip)
        let file = try RepresentationsFile(path: foreign("f_lzf.h5"))
        #expect(file.representations.filters.map(\.id).contains(HDF5Filter.lzfID))
    }

    @Test func unavailableFilterNamedWithHowToRewrite() throws {
        // Chunks that split rows are read by libhdf5, which has no LZF filter.
        let path = foreign("f_lzf_split.h5")
        #expect(
            throws: SSLMemError(
                file: path, dataset: "/views/representations",
                "compressed with the lzf (id 32000) filter, which libhdf5 \(HDF5Library.version) here "
                    + "cannot decode for this layout (sslmem decodes LZF itself only in chunks of whole "
                    + "rows); rewrite the file with gzip or no compression: h5repack -f GZIP=4 in.h5 "
                    + "out.h5 (where the filter's plugin is installed), or in h5py copy each dataset "
                    + "with compression=\"gzip\"")
        ) {
            try Memorization.score(f: [path], g: [foreign("g_gzip.h5")])
        }
    }
}
