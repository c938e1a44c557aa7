import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

/// summary.json is `RunSummary` encoded and decoded with Codable: the same value comes back.
@Suite struct RunSummaryTests {
    @Test func encodesAndDecodesTheSameValue() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        var tests = SubsetTest.paperTests(table).map(RunSummary.Test.init)
        tests[0].statistic = .nan
        tests[1].pvalue = -.infinity
        let summary = RunSummary(
            title: "a \"quoted\" title/with slash",
            metadata: OrderedObject([("method", ["simclr", "simclr"]), ("seed", ["1", "2"])]),
            attributes: OrderedObject([
                ("seed", .integers([10])), ("lambda", .reals([0.5])), ("trained_on", .strings(["shared", "candidate"]))
            ]),
            subsets: OrderedObject(
                SubsetSummary.of(table).map { ($0.subset.description, RunSummary.SubsetStatistics($0)) }),
            tests: tests, dejavu: nil, audit: RunSummary.Audit(try MembershipAudit(table)),
            top: [RunSummary.TopPoint(index: 7, class: "bag", score: 0.25)],
            files: [RunSummary.File(path: "f.h5", bytes: 3, sha256: "ab")], toolkit: "sslmem test")
        let data = try summary.encoded()
        let back = try RunSummary(json: data, path: "summary.json")
        #expect(back.tests[0].statistic.isNaN && back.tests[1].pvalue == -.infinity)
        var comparable = back
        comparable.tests[0].statistic = summary.tests[0].statistic
        #expect(comparable.tests[1...] == summary.tests[1...])
        // Decoding keeps every member; their order is the decoder's (Foundation's is not the text's).
        for member in summary.subsets.members { #expect(comparable.subsets[member.name] == member.value) }
        #expect(comparable.subsets.members.count == 4)
        #expect(comparable.attributes["lambda"] == .reals([0.5]) && comparable.attributes["seed"] == .integers([10]))
        #expect(comparable.audit == summary.audit)
        #expect(comparable.top == summary.top && comparable.files == summary.files && comparable.title == summary.title)
        #expect(try summary.encoded() == data)  // deterministic
        let text = String(decoding: data, as: UTF8.self)
        #expect(
            text.hasPrefix(
                "{\"title\": \"a \\\"quoted\\\" title/with slash\", \"metadata\": {\"method\": [\"simclr\", \"simclr\"], \"seed\""
            ))
        #expect(
            throws: SSLMemError(
                file: "s.json",
                "not a run summary (title is missing); write the run's report again "
                    + "with this version of sslmem")
        ) {
            try RunSummary(json: Data("{}".utf8), path: "s.json")
        }
    }
}
