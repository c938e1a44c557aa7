import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// Runs given as dumps, scores files or report folders; Table 1 over seeds; sweeps.
@Suite struct ComparisonAndSweepTests {
    /// A pair of dumps whose f file carries `attributes`; candidates are shifted by `shift` on g.
    func run(_ name: String, seed: UInt64, attributes: [(String, HDF5AttributeValue)], in directory: TemporaryDirectory)
        throws -> String
    {
        var f = SyntheticDump(points: 40, views: 3, dim: 6, seed: seed)
        var g = SyntheticDump(points: 40, views: 3, dim: 6, seed: seed + 100)
        g.index = f.index
        g.trainedOn = ["shared", "independent"]
        let fPath = directory.file("\(name)_f.h5")
        let gPath = directory.file("\(name)_g.h5")
        f.replace["sslmem_format_version"] = { file in
            try file.setAttribute("sslmem_format_version", .integers([1]))
            for (key, value) in attributes { try file.setAttribute(key, value) }
        }
        try f.write(to: fPath)
        try g.write(to: gPath)
        return fPath + "," + gPath
    }

    /// The candidates' mean score of a run, summed here from its table.
    static func candidateMean(_ source: RunSource) -> Double {
        let scores = source.table.index.indices.filter { source.table.subset[$0] == .candidate }.map {
            source.table.score[$0]
        }
        return scores.reduce(0, +) / Double(scores.count)
    }

    /// A number as the report prints it: 4 decimals, U+2212 for the minus sign.
    static func text(_ x: Double) -> String {
        String(format: "%.4f", x).replacingOccurrences(of: "-", with: "\u{2212}")
    }

    @Test func tableOneAveragesOverSeedsOfOneSetup() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var sources: [RunSource] = []
        for (i, (method, seed, probe)) in [("simclr", 1, 0.8), ("simclr", 2, 0.9), ("vicreg", 1, 0.7)].enumerated() {
            let pair = try run(
                "r\(i)", seed: UInt64(10 + i),
                attributes: [
                    ("method", .strings([method])), ("seed", .integers([Int64(seed)])),
                    ("linear_probe_accuracy", .reals([probe]))
                ], in: directory)
            sources.append(try RunSource(pair))
        }
        let groups = RunGroup.bySetup(sources)
        #expect(groups.map(\.key) == ["simclr", "vicreg"])
        // Expectations by hand, not through Descriptive or RunGroup: the mean of two values and their sample
        // standard deviation |a − b|/√2, printed with 4 decimals and a true minus sign.
        let means = sources.map { Self.candidateMean($0) }
        let simclrMean = (means[0] + means[1]) / 2
        let simclrStd = abs(means[0] - means[1]) / 2.0.squareRoot()
        #expect(abs(groups[0].memorization.mean - simclrMean) < 1e-15)
        #expect(
            groups[0].row == [
                "simclr", "2 (1, 2)", "\(Self.text(simclrMean)) ± \(Self.text(simclrStd))",
                "0.8500 ± 0.0707"
            ])
        #expect(groups[1].row[2] == Self.text(means[2]) && groups[1].row[3] == "0.7000")
    }

    @Test func scoresFilesAndPairsAreRunsToo() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let pair = try run("a", seed: 1, attributes: [("lambda", .reals([0.5]))], in: directory)
        let files = pair.split(separator: ",").map(String.init)
        try Memorization.score(f: [files[0]], g: [files[1]]).write(to: directory.file("a.h5"))
        try Memorization.score(f: [files[0]], g: [files[1]]).write(to: directory.file("a.csv"))
        let fromPair = try RunSource(pair)
        let fromH5 = try RunSource(directory.file("a.h5"))
        let fromCSV = try RunSource(directory.file("a.csv"))
        #expect(fromPair.table == fromH5.table && fromH5.table == fromCSV.table)
        #expect(fromPair.number("lambda") == 0.5 && fromH5.number("lambda") == 0.5 && fromCSV.attributes.isEmpty)
    }

    @Test func sweepGroupsByValueAndRefusesRunsWithoutIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let runs = try [(0.5, 1), (0.1, 2), (0.5, 3)].enumerated().map { i, setting in
            try RunSource(
                try run(
                    "s\(i)", seed: UInt64(setting.1), attributes: [("lambda", .reals([setting.0]))],
                    in: directory))
        }
        let sweep = try SweepReport(runs: runs, attribute: "lambda", title: nil, commandLine: "test")
        #expect(sweep.values == [0.1, 0.5])
        #expect(sweep.summary.points.map(\.runs.count) == [1, 2])
        // The table shows the gap the figure plots (issue 26): at λ = 0.5 the mean of the two seeds' gaps.
        let gaps = [runs[0], runs[2]].map { MemorizationGap($0.table, reference: .independent)!.gap }
        #expect(sweep.rows[1][3].hasPrefix(Self.text((gaps[0] + gaps[1]) / 2) + " ["), "\(sweep.rows[1])")
        #expect(sweep.columns.last?.title == "linear probe, mean ± std over seeds")
        #expect(sweep.figures.map(\.name) == ["sweep_memorization"])
        let error = #expect(throws: SSLMemError.self) {
            try SweepReport(runs: runs, attribute: "epsilon", title: nil, commandLine: "test")
        }
        #expect(error?.message.contains("has no numeric attribute epsilon") == true)
    }

    /// An attribute name from the files reaches the page only escaped, in text and in attributes.
    @Test func sweepReportEscapesTheAttributeName() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let name = "λ<b>\"x"
        let runs = try [0.1, 0.2].enumerated().map { i, value in
            try RunSource(try run("e\(i)", seed: UInt64(i + 1), attributes: [(name, .reals([value]))], in: directory))
        }
        let sweep = try SweepReport(runs: runs, attribute: name, title: nil, commandLine: "test")
        let paths = try sweep.write(
            to: directory.file("sweep"),
            templates: ReportTemplates(folder: Repository.root + "/templates"))
        let html = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(!html.contains("<b>") && html.contains("λ&lt;b&gt;"))
        #expect(FileManager.default.fileExists(atPath: directory.file("sweep/report.pdf")))
    }

    /// The fixtures' SimCLR checkpoints and final dumps against scripts/reference/sweep_reference.py.
    @Test func epochSweepOfTheFixturesEqualsTheReference() throws {
        let pairs =
            [8, 26, 53].map { e in
                let name = String(format: "%03d", e)
                return Repository.fixture("checkpoints/simclr_f_epoch\(name).h5") + ","
                    + Repository.fixture("checkpoints/simclr_g_epoch\(name).h5")
            } + [Repository.fixture("simclr_f.h5") + "," + Repository.fixture("simclr_g.h5")]
        let sweep = try SweepReport(
            runs: try pairs.map { try RunSource($0) }, attribute: "epoch", title: nil,
            commandLine: "test")
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/sweep_epoch.json")))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Double]])
        #expect(sweep.values == expected.map { $0["epoch"]! })
        for (point, row) in zip(sweep.summary.points, expected) {
            #expect(abs(point.candidateMean - row["candidate_mean"]!) < 1e-12, "epoch \(row["epoch"]!)")
            #expect(point.runs.count == Int(row["runs"]!))
        }
        // sweep.json round-trips: decoding what was encoded gives the same value.
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf",
            nan: "nan")
        #expect(try decoder.decode(SweepSummary.self, from: try sweep.summary.encoded()) == sweep.summary)
    }
}
