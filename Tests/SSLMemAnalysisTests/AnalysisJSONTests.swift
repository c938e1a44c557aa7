import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemTestSupport
import Testing

/// The exact `--json` documents of `sslmem stats`, `sslmem compare` and `sslmem audit`
/// on the fixtures' expected scores, against scipy's and scikit-learn's
/// (scripts/fixtures/make_expected.sh):
/// same keys in the same order, strings and integers equal, numbers within 1e-9.
@Suite struct AnalysisJSONTests {
    func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    func keys(_ text: String) -> [String] {
        // Key order as written: every "name": in the text.
        let regex = try! NSRegularExpression(pattern: "\"([a-z_0-9]+)\":")
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    func agree(_ got: Any, _ expected: Any, _ path: String) {
        switch (got, expected) {
        case (let a as [String: Any], let b as [String: Any]):
            #expect(Set(a.keys) == Set(b.keys), "\(path)")
            for (key, value) in b { if let mine = a[key] { agree(mine, value, path + "." + key) } }
        case (let a as [Any], let b as [Any]):
            #expect(a.count == b.count, "\(path)")
            for (i, (x, y)) in zip(a, b).enumerated() { agree(x, y, "\(path)[\(i)]") }
        case (let a as String, let b as String):
            #expect(a == b, "\(path)")
        case (let a as NSNumber, let b as NSNumber):
            let x = a.doubleValue
            let y = b.doubleValue
            #expect(y == 0 ? x == 0 : abs(x - y) <= 1e-9 * abs(y), "\(path): \(x) vs \(y)")
        case (is NSNull, is NSNull):
            break
        default:
            Issue.record("\(path): \(got) vs \(expected)")
        }
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOfFile: Repository.fixture("expected/\(name)"), encoding: .utf8)
    }

    @Test(arguments: [(false, "stats_simclr.json"), (true, "stats_simclr_welch.json")])
    func statsJSONEqualsScipy(welch: Bool, file: String) throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        let text = SubsetTest.json(SubsetSummary.of(table), SubsetTest.paperTests(table, welch: welch)).text
        let reference = try expected(file)
        #expect(keys(text) == keys(reference))
        agree(try parse(text), try parse(reference), "$")
    }

    @Test func auditJSONEqualsScikitLearn() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        let text = try MembershipAudit(table).json.text
        let reference = try expected("audit_simclr.json")
        #expect(keys(text) == keys(reference))
        agree(try parse(text), try parse(reference), "$")
    }

    @Test func compareJSONEqualsScipy() throws {
        let tables = try ["simclr_allpairs_l2_range", "vicreg_allpairs_cosine_none", "both_allpairs_l2_range"].map {
            try ScoresTable(csvFile: Repository.fixture("expected/\($0).csv"))
        }
        let comparison = try RunComparison(
            tables, names: ["simclr", "vicreg", "both"],
            tops: [10, 20, 50, 75, 100, 150, 200])
        let text = comparison.json.text
        let reference = try expected("compare.json")
        #expect(keys(text) == keys(reference))
        agree(try parse(text), try parse(reference), "$")
    }

    @Test func statsOnAMissingSubsetSaysWhy() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv")).dropping(
            .extra)
        let tests = SubsetTest.paperTests(table)
        let extra = tests.filter { $0.a == .extra || $0.b == .extra }
        #expect(extra.count == 3)
        #expect(extra.allSatisfy { $0.result.notComputable != nil && $0.result.pValue.isNaN })
        #expect(SubsetTest.json(SubsetSummary.of(table), tests).text.contains("\"note\": \"not computable"))
    }
}
