import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// comparison.json: the comparison's numbers as `ComparisonSummary`, written by the comparison report,
/// read back unchanged, equal to scipy's numbers (fixtures/expected/compare.json); runs that differ in a
/// training attribute carry a warning naming it and both values.
@Suite struct ComparisonSummaryTests {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf",
            nan: "nan")
        return decoder
    }

    static func close(_ a: Double, _ b: Double?) -> Bool {
        guard let b else { return a.isNaN }  // null in the reference: NaN here
        return abs(a - b) <= 1e-12 * max(1, abs(b))
    }

    @Test func comparisonJSONRoundTripsAndEqualsScipy() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let names = ["simclr", "vicreg", "both"]
        let runs = try zip(["simclr_allpairs_l2_range", "vicreg_allpairs_cosine_none", "both_allpairs_l2_range"], names)
            .map {
                try RunSource(Repository.fixture("expected/\($0).csv"), name: $1)
            }
        let report = try ComparisonReport(runs: runs, title: nil, commandLine: "sslmem report --compare (test)")
        _ = try report.write(
            to: scratch.file("compare"), templates: try ReportTemplates(folder: Repository.root + "/templates"))
        let path = scratch.file("compare/comparison.json")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        // Round trip: the file decodes to the report's value (re-encoded to the same bytes: NaN ≠ NaN for ==).
        let decoded = try ComparisonSummary(json: data, path: path)
        #expect(try decoded.encoded() + Data("\n".utf8) == data)
        #expect(decoded.runs == names && decoded.findings == report.findings && decoded.warnings == report.warnings)
        #expect(
            decoded.findings.count == 6 && decoded.tests.count == 3
                && decoded.candidates.map(\.candidates) == [200, 200, 200])

        // Key values equal the scipy reference of `sslmem compare --json`.
        let reference = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: URL(
                        fileURLWithPath: Repository.fixture("expected/compare.json")))) as? [String: Any])
        #expect(reference["runs"] as? [String] == names)
        let kendall = try #require(reference["kendall"] as? [[[String: Any]]])
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(Self.close(decoded.kendall[i][j].tau, kendall[i][j]["tau"] as? Double))
                #expect(Self.close(decoded.kendall[i][j].pvalue, kendall[i][j]["pvalue"] as? Double))
                #expect(decoded.kendall[i][j].n == kendall[i][j]["n"] as? Int)
            }
        }
        let overlap = try #require(reference["overlap"] as? [[String: Any]])
        #expect(decoded.overlap.map { [$0.a, $0.b] } == overlap.map { [$0["a"] as! String, $0["b"] as! String] })
        var checked = 0
        for (mine, theirs) in zip(decoded.overlap, overlap) {
            for top in mine.top {
                let row = try #require((theirs["top"] as? [[String: Any]])?.first { $0["x"] as? Int == top.x })
                for (value, key) in [
                    (top.overlap, "overlap"), (top.tau, "tau"), (top.pvalue, "pvalue"),
                    (top.expectedOverlap, "expected_overlap"), (top.chancePValue, "chance_pvalue")
                ] {
                    #expect(Self.close(value, row[key] as? Double), "\(mine.a) vs \(mine.b) top \(top.x) \(key)")
                }
                #expect(top.common == row["common"] as? Int)
                checked += 1
            }
        }
        #expect(checked == 21, "3 pairs × the 7 top-X sizes of the conventions")
        // The report's tables are formatted from the same value.
        #expect(report.tests.map { $0[3] }.allSatisfy { $0.contains(".") }, "Welch df keep their decimals")
    }

    /// Two runs trained for different numbers of epochs: the comparison's warnings (comparison.json, HTML
    /// caution block, PDF) name the attribute and both values.
    @Test func runsThatDifferInEpochsAreACaveat() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let runs = try [("long", 80), ("short", 20)].map { name, epoch in
            try RunSource(try EpochsDifferTests.pair(name, f: epoch, g: epoch, in: scratch), name: name)
        }
        let report = try ComparisonReport(runs: runs, title: nil, commandLine: "sslmem report --compare (test)")
        let warning = try #require(report.warnings.first { $0.contains("differ in epoch") })
        #expect(warning.contains("long has 80") && warning.contains("short has 20"))
        _ = try report.write(
            to: scratch.file("compare"), templates: try ReportTemplates(folder: Repository.root + "/templates"))
        let json = try ComparisonSummary(
            json: try Data(contentsOf: URL(fileURLWithPath: scratch.file("compare/comparison.json"))),
            path: "comparison.json")
        #expect(json.warnings.contains(warning))
        let html = try String(contentsOfFile: scratch.file("compare/report.html"), encoding: .utf8)
        let caution = try #require(html.range(of: "<div class=\"caution\"").map { String(html[$0.lowerBound...]) })
        #expect(ReportParityTests.text(of: caution).contains("long has 80, short has 20"))
        let paragraphs = try PDFReport.write(report.document, to: scratch.file("p.pdf"), paper: .a4)
        #expect(paragraphs.contains("• " + warning))
    }
}
