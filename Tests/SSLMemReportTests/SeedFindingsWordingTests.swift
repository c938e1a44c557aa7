import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// The seed-level findings (`report --compare` with seeds, `report --study`) speak the report's one language
/// (issue 26 item 3): "H₁: … — verdict", the Holm p that decides and the unadjusted p named so, null results
/// called null, never "significant", the number of seeds, and where the exact sign-flip test's floor 2⁻ⁿ is at
/// or above 0.05 (3 seeds: 0.125), that it can never reach 0.05. The seed tables show both p's.
@Suite struct SeedFindingsWordingTests {
    static let study = Repository.fixture("study")

    static func studyFindings() throws -> [RunSummary.Finding] {
        let study = try Study(directory: Self.study)
        let groups = RunGroup.bySetup(study.sources)
        return Findings.seeds(MethodTest.pairs(groups))
            + Findings.removal(RemovalTest.all(try #require(study.removal)))
            + [Findings.accuracyLink(try #require(AccuracyLink(groups)))]
    }

    @Test func everySeedFindingIsAHypothesisWithItsPValuesNamed() throws {
        let findings = try Self.studyFindings()
        #expect(findings.count >= 7)
        for finding in findings {
            let s = finding.sentence
            #expect(s.hasPrefix("H₁: \(finding.claim) — \(finding.verdict)"), "\(s)")
            #expect(!s.lowercased().contains("significant"), "\(s)")
            #expect(s.contains(" seed") || s.contains(" setups"), "states n: \(s)")
            if finding.test.hasPrefix("Kendall") {
                #expect(s.contains("(a single test, not adjusted)"), "\(s)")
            } else if finding.verdict != "inconclusive" || finding.p.isFinite {
                #expect(s.contains("Holm p = ") && s.contains("unadjusted p = "), "\(s)")
            }
            if finding.verdict == "not supported" && !s.contains("goes the other way") {
                #expect(s.contains("a null result"), "\(s)")
            }
        }
        // 4 seeds: the paired t alone supports the removal claim at 500 points, the sign-flip floor 1/16 does not.
        let removal = findings.filter { $0.test.hasPrefix("paired t") }
        #expect(removal.map(\.verdict) == ["not supported", "inconclusive", "not supported"])
        #expect(
            removal[1].sentence.contains("cannot go below p = 0.0625")
                && removal[1].sentence.contains("can never reach 0.05"))
        // 100 points: the mean difference is on the other side of 0 but its interval spans 0: a null result, not
        // "the difference goes the other way".
        #expect(removal[0].ci95[0] < 0 && removal[0].ci95[1] > 0 && removal[0].effect > 0)
        #expect(
            removal[0].sentence.contains("a null result at 4 seeds")
                && !removal[0].sentence.contains("goes the other way")
                && removal[0].sentence.contains("points the other way, within its interval"), "\(removal[0].sentence)")
        #expect(
            findings.last!.sentence.contains("descriptive only")
                && findings.last!.sentence.contains("can never reach 0.05"))
    }

    /// Three seeds, all differences in the claimed direction: the paired t is below 0.05 but the exact sign-flip
    /// p is 2⁻³ = 0.125 at best; the sentence says so with the seeds counted. Five seeds reach 1/32 and support it.
    @Test func threeSeedsStateTheSignFlipFloor() throws {
        func rows(_ seeds: Int) -> [RemovalRuns.Row] {
            (1...seeds).flatMap { s -> [RemovalRuns.Row] in
                let d = 0.01 * Double(s)
                return [
                    .init(removed: 100, kind: .top, dataset: "cifar10", seed: "\(s)", accuracy: 0.70 - 0.02 - d / 10),
                    .init(removed: 100, kind: .random, dataset: "cifar10", seed: "\(s)", accuracy: 0.70 + d / 10)
                ]
            }
        }
        let three = Findings.removal(RemovalTest.all(RemovalRuns(rows: rows(3))))
        #expect(three.count == 1 && three[0].verdict == "inconclusive" && three[0].pAdjusted < 0.05)
        #expect(
            three[0].sentence.contains(
                "with 3 seeds the exact sign-flip test cannot go below p = 0.1250 (2⁻³), "
                    + "so it can never reach 0.05"), "\(three[0].sentence)")
        let five = Findings.removal(RemovalTest.all(RemovalRuns(rows: rows(5))))
        #expect(
            five[0].verdict == "supported" && five[0].sentence.hasPrefix("H₁: removing the 100 most memorized points"))
        #expect(five[0].sentence.contains("5 seeds") && !five[0].sentence.contains("can never reach"))
    }

    /// A null result over seeds between two setups is called one, with both p's and the seeds counted.
    @Test func methodNullResultWording() throws {
        let study = try Study(directory: Self.study)
        let tests = MethodTest.pairs(RunGroup.bySetup(study.sources))
        let findings = Findings.seeds(tests)
        let adjusted = Findings.seedsAdjusted(tests)
        #expect(findings.count == tests.count)
        for finding in findings {
            let test = try #require(
                tests.first {
                    "\($0.a) and \($0.b) differ in \($0.statistic.description), across seeds" == finding.claim
                })
            let i = try #require(
                tests.firstIndex { $0.a == test.a && $0.b == test.b && $0.statistic == test.statistic })
            #expect(finding.pAdjusted == adjusted[i] && finding.pAdjusted >= test.p)
            #expect(finding.sentence.contains("\(test.nA) + \(test.nB) seeds"), "\(finding.sentence)")
        }
    }

    /// The study report's seed tables carry "Holm p" beside "unadjusted p", equal to the findings'.
    @Test func seedTablesShowHolmAndUnadjustedP() throws {
        let report = try ComparisonReport(study: try Study(directory: Self.study), title: nil, commandLine: "test")
        let tables = report.document.tables
        let method = try #require(tables.first { $0.export?.name == "seeds" })
        let titles = method.columns.map(\.title)
        let holm = try #require(titles.firstIndex(of: "Holm p"))
        let raw = try #require(titles.firstIndex(of: "unadjusted p"))
        let adjusted = Findings.seedsAdjusted(report.summary.methodTests)
        for (row, (test, p)) in zip(method.rows, zip(report.summary.methodTests, adjusted)) {
            #expect(row[holm] == NumberFormat.pValue(p) && row[raw] == NumberFormat.pValue(test.p))
        }
        let removal = try #require(tables.first { $0.export?.name == "removal_seeds" })
        #expect(
            removal.columns.map(\.title).contains("Holm p (paired t)")
                && removal.columns.map(\.title).contains("unadjusted p (paired t)"))
        let tests = try #require(tables.first { $0.export?.name == "tests" })
        #expect(tests.columns.map(\.title).suffix(2) == ["Holm p", "unadjusted p"])
        let paragraphs = report.document.blocks.compactMap { block -> String? in
            if case .paragraph(let text, _) = block { return text } else { return nil }
        }
        #expect(paragraphs.contains { $0.contains("here 4 seeds: 0.0625") })
    }

    /// Every findings table names its p's as the sentences do, the deciding Holm p first; the top-X overlap
    /// table has no row at X = n (all candidates: 100% overlap by construction).
    @Test func findingsTableAndOverlapRows() throws {
        let report = try ComparisonReport(study: try Study(directory: Self.study), title: nil, commandLine: "test")
        let findings = try #require(report.document.tables.first { $0.export?.name == "findings" })
        let titles = findings.columns.map(\.title)
        #expect(
            titles.contains("Holm p") && titles.contains("unadjusted p") && !titles.contains("p (Holm)")
                && !titles.contains("p"))
        #expect(titles.firstIndex(of: "Holm p")! < titles.firstIndex(of: "unadjusted p")!)
        let n = report.summary.candidates.map(\.candidates).min()!
        let overlap = try #require(report.document.tables.first { $0.export?.name == "overlap" })
        let x = try #require(overlap.columns.firstIndex { $0.title == "X" })
        #expect(!overlap.rows.isEmpty && overlap.rows.allSatisfy { Int($0[x])! < n })
    }
}
