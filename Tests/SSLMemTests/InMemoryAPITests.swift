import Foundation
import SSLMem
import SSLMemTestSupport
import Testing

/// The in-memory API: the README's "Use it from Swift" example, run and checked
/// here through the umbrella module `SSLMem` as the README imports it, and kept
/// identical to the README by `readmeBlockMatches`.
@Suite struct InMemoryAPITests {
    @Test func readmeExample() throws {
        // BEGIN README
        // 80 points, 20 per subset, in two classes; K = 4 views of length D = 8 per point.
        let n = 80
        let k = 4
        let d = 8
        let subsets: [Subset] = (0..<n).map { [.shared, .candidate, .independent, .extra][$0 % 4] }
        let points = PointTable(index: (0..<n).map(Int64.init), subset: subsets, label: (0..<n).map { Int64($0 % 2) })
        var random = SplitMix64(seed: 7)
        func noise(_ scale: Float) -> [Float] { (0..<d).map { _ in Float.random(in: -scale...scale, using: &random) } }
        let centres = (0..<n).map { _ in noise(1) }

        // An encoder aligns the views of the points it trained on: little noise there, more elsewhere.
        func views(trainedOn: Set<Subset>, name: String) throws -> Views {
            let values = (0..<n).flatMap { i in
                (0..<k).flatMap { _ in zip(centres[i], noise(trainedOn.contains(subsets[i]) ? 0.1 : 0.5)).map(+) }
            }
            return try Views(points: points, viewCount: k, viewLength: d, values: values, name: name)
        }
        let f = try views(trainedOn: [.shared, .candidate], name: "f")
        let g = try views(trainedOn: [.shared, .independent], name: "g")
        let scores = try Memorization.score(f: [f], g: [g])  // Eq. 1–2, range-normalized

        // The paper's t-tests (Tables 2 and 16), the membership audit, and Kendall's
        // τ-b between the candidates' scores of two f seeds (Table 13).
        let tests = SubsetTest.paperTests(scores)
        let audit = try MembershipAudit(scores)
        let rerun = try Memorization.score(f: [try views(trainedOn: [.shared, .candidate], name: "f2")], g: [g])
        let tau = KendallTau.tauB(scores.scores(of: .candidate), rerun.scores(of: .candidate))

        // Déjà Vu: each encoder's embeddings of crops of the targets, and a labelled public set.
        let classCentres: [[Float]] = [Array(repeating: 1, count: d), Array(repeating: -1, count: d)]
        let publicLabel = (0..<40).map { Int64($0 % 2) }
        let publicRows = publicLabel.flatMap { zip(classCentres[Int($0)], noise(1)).map(+) }
        func crops(trainedOn own: Subset, name: String) throws -> DejaVuEmbeddings {
            let targets = points.index.filter { [.candidate, .independent].contains(subsets[Int($0)]) }
            let rows = targets.flatMap { i in  // a crop of a point trained on lands near its class
                zip(classCentres[Int(i % 2)], noise(1)).map { subsets[Int(i)] == own ? $0 + $1 : 2 * $1 }
            }
            return try DejaVuEmbeddings(
                cropIndex: targets, crops: rows, publicRows: publicRows,
                publicLabel: publicLabel, vectorLength: d, name: name)
        }
        let dejaVu = try DejaVuAttack(
            points: points, f: try crops(trainedOn: .candidate, name: "f"),
            g: try crops(trainedOn: .independent, name: "g"), k: 5)

        for test in tests { print(test.hypothesis, "t =", test.result.statistic, "p =", test.result.pValue) }
        print("AUC of the score:", audit.signals[1].roc.auc, "τ-b between seeds:", tau.tau)
        print("Déjà Vu gap at q = 0.2:", dejaVu.target(0.2) - dejaVu.reference(0.2))
        // END README

        let candidateOverShared = tests.first { $0.a == .candidate && $0.b == .shared }!
        #expect(candidateOverShared.result.pValue < 1e-6)
        #expect(tests.first { $0.a == .independent && $0.b == nil }!.result.pValue < 1e-6)
        #expect(scores.scores(of: .candidate).allSatisfy { $0 > 0 })
        #expect(scores.scores(of: .independent).allSatisfy { $0 < 0 })
        #expect(audit.signals[1].roc.auc > 0.95)
        #expect(tau.count == 20 && tau.tau > 0.3)
        #expect(dejaVu.a.count == 20 && dejaVu.b.count == 20)
        #expect(dejaVu.target(0.2) - dejaVu.reference(0.2) > 0.2)
    }

    /// The README's "Use it from Swift" block is this file's example, line for line.
    @Test func readmeBlockMatches() throws {
        let readme = try String(contentsOfFile: Repository.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.range(of: "## Use it from Swift"))
        let fence = try #require(readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```\n", range: fence.upperBound..<readme.endIndex))
        let block = readme[fence.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("import ") }.drop { $0.isEmpty }
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let begin = try #require(source.range(of: "// BEGIN README\n"))
        let stop = try #require(source.range(of: "        // END README", range: begin.upperBound..<source.endIndex))
        let example = source[begin.upperBound..<stop.lowerBound].split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map { $0.hasPrefix("        ") ? $0.dropFirst(8) : $0 }
        #expect(Array(block.map(String.init)) == example.map(String.init))
    }

    /// Scores from arrays equal those of the same views written to files and scored from them.
    @Test func viewsScoreLikeFiles() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let f = SyntheticDump(points: 24, views: 3, dim: 5, seed: 11)
        var g = f
        g.views = SyntheticDump(points: 24, views: 3, dim: 5, seed: 12).views
        g.trainedOn = ["shared", "independent"]
        let paths = [directory.file("f.h5"), directory.file("g.h5")]
        var views: [Views] = []
        for (dump, path) in zip([f, g], paths) {
            try dump.write(to: path)
            views.append(
                try Views(
                    points: PointTable(
                        index: dump.index, subset: dump.subset.map { Subset(rawValue: $0)! },
                        label: dump.index.map { $0 % 10 }),
                    viewCount: dump.k, viewLength: dump.d, values: dump.views.map { Float($0) },
                    name: path))
        }
        for options in [AlignmentOptions(), AlignmentOptions(distance: .cosine)] {
            let fromFiles = try Memorization.score(f: [paths[0]], g: [paths[1]], options: options)
            let fromArrays = try Memorization.score(f: [views[0]], g: [views[1]], options: options)
            #expect(fromArrays.index == fromFiles.index && fromArrays.subset == fromFiles.subset)
            #expect(fromArrays.alignF == fromFiles.alignF && fromArrays.alignG == fromFiles.alignG)
            #expect(fromArrays.score == fromFiles.score)
        }
    }

    @Test func viewsRefuseBadShapesAndValues() throws {
        let points = PointTable(index: [3, 1], subset: [.candidate, .shared], label: [0, 1])
        #expect(
            throws: SSLMemError(
                file: "f", dataset: "values",
                "holds 7 numbers; 2 points × 2 views × 2 is 8")
        ) {
            try Views(points: points, viewCount: 2, viewLength: 2, values: Array(repeating: 1, count: 7), name: "f")
        }
        let zero = try Views(points: points, viewCount: 2, viewLength: 2, values: [1, 0, 0, 1, 0, 0, 1, 1], name: "f")
        #expect(
            throws: SSLMemError(
                file: "f", dataset: "values", point: 1,
                "view 0 is a zero vector; the alignment needs finite, non-zero views")
        ) {
            try Memorization.score(f: [zero], g: [zero])
        }
    }
}
