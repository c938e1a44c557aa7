import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// The words and numbers of a report, shared by its HTML, PDF and LaTeX forms.
enum ReportText {
    /// One sentence per test, in the report's one significance language: the hypothesis as H₁, t and the
    /// test's unadjusted p (named so); for a test that feeds a finding, the Holm p and verdict of that finding,
    /// for the others a plain statement that they are outside the findings' family and unadjusted.
    static func sentence(_ test: SubsetTest, findings: [RunSummary.Finding]) -> String {
        let r = test.result
        let subject = test.a.description + " points"
        let claim: String
        switch (test.b, r.alternative) {
        case (let b?, _): claim = "\(subject) score above \(b) points"
        case (nil, .greater): claim = "\(subject) score above 0 on average"
        case (nil, .less): claim = "\(subject) score below 0 on average"
        case (nil, .twoSided): claim = "\(subject)' mean score differs from 0"
        }
        if let reason = r.notComputable { return "H₁: \(claim) — not computable: \(reason)." }
        let numbers = "t = \(NumberFormat.fixed(r.statistic, 2)), unadjusted p = \(NumberFormat.pValue(r.pValue))"
        let finding = test.b.flatMap { b in Findings.runClaim(a: test.a, b: b) }
            .flatMap { claim in findings.first { $0.claim == claim } }
        if let finding {
            return "H₁: \(claim): \(numbers); Holm p = \(NumberFormat.pValue(finding.pAdjusted)) over the findings' "
                + "family, which makes \"\(finding.claim)\" \(finding.verdict)."
        }
        return "H₁: \(claim): \(numbers) (a descriptive test outside the findings' family, not adjusted)."
    }

    /// Subset summary rows: subset, n, mean, std, 95% CI.
    static func summaryRows(_ summaries: [SubsetSummary]) -> [[String]] {
        summaries.map { s in
            let ci = s.score.meanInterval()
            return [
                s.subset.description, String(s.score.count), NumberFormat.fixed(s.score.mean),
                NumberFormat.fixed(s.score.standardDeviation),
                NumberFormat.interval(ci.lower, ci.upper)
            ]
        }
    }
    static let summaryColumns: [ReportTable.Column] = [
        .text("subset"), .numeric("n"), .numeric("mean score"),
        .numeric("std"), .numeric("95% CI of the mean")
    ]

    static func summaryTable(_ summaries: [SubsetSummary]) -> ReportTable {
        ReportTable(
            summaryColumns, summaryRows(summaries),
            export: .init(
                "subsets",
                caption: "SSLMem score per subset: mean, standard deviation over points "
                    + "and the 95% interval of the mean."))
    }

    static func testRows(_ tests: [SubsetTest]) -> [[String]] {
        tests.map { t in
            let r = t.result
            return [
                t.hypothesis, r.variant.rawValue, NumberFormat.fixed(r.statistic, 3),
                NumberFormat.degreesOfFreedom(r.degreesOfFreedom),
                NumberFormat.pValue(r.pValue), NumberFormat.fixed(r.cohensD, 3), NumberFormat.fixed(r.hedgesG, 3)
            ]
        }
    }

    static let testColumns: [ReportTable.Column] = [
        .text("hypothesis"), .text("test"), .numeric("t"), .numeric("df"),
        .numeric("unadjusted p"), .numeric("Cohen's d"), .numeric("Hedges' g")
    ]

    static func testsTable(_ tests: [SubsetTest]) -> ReportTable {
        ReportTable(
            testColumns, testRows(tests),
            export: .init(
                "tests",
                caption: "t-tests of the paper's Tables 2 and 16 (one-sided unless marked); "
                    + "p unadjusted."))
    }

    /// Findings rows: claim, verdict, effect [95% CI], Holm-adjusted p (what decides), unadjusted p, test.
    static func findingRows(_ findings: [RunSummary.Finding]) -> [[String]] {
        findings.map { f in
            let digits = f.test.hasPrefix("Kendall") ? 3 : 4
            let ci = f.ci95.count == 2 ? " " + NumberFormat.interval(f.ci95[0], f.ci95[1], digits) : ""
            return [
                f.claim, f.verdict, NumberFormat.fixed(f.effect, digits) + (f.effect.isNaN ? "" : ci),
                NumberFormat.pValue(f.pAdjusted), NumberFormat.pValue(f.p), f.test
            ]
        }
    }

    static let findingColumns: [ReportTable.Column] = [
        .text("claim"), .text("verdict"), .numeric("effect [95% CI]"),
        .numeric("Holm p"), .numeric("unadjusted p"), .text("test")
    ]

    /// The findings table of a run or comparison report (tables/findings.tex and .csv).
    static func findingsTable(_ findings: [RunSummary.Finding]) -> ReportTable {
        ReportTable(
            findingColumns, findingRows(findings),
            export: .init(
                "findings",
                caption: "The paper's claims checked on these scores: verdict by Holm-adjusted p, effect "
                    + "with its two-sided 95% interval."), size: .small)
    }

    /// The findings section of a run or comparison report: the introduction, the table, one sentence per
    /// finding, then the caveats.
    static func findingsBlocks(_ findings: [RunSummary.Finding], caveats: [String]) -> [ReportBlock] {
        [.heading("Findings", id: "findings"), .paragraph(findingsIntroduction), .table(findingsTable(findings))]
            + findings.map { .finding($0) } + caveats.map { .caveat($0) }
    }

    /// The sentence above the findings table.
    static let findingsIntroduction =
        "The paper's claims checked on these scores. Verdicts use Holm-adjusted p "
        + "(family-wise error 5% within each family: a run's five claims; across runs, the memorization tests and the "
        + "ranking tests; over seeds, the tests between setups of each statistic and the removal tests of each kind; "
        + "the link with downstream accuracy is one test, not adjusted); the effect is a difference of mean scores "
        + "(of mean accuracies for removal, a mean for \"about 0\", Kendall's τ-b for rankings) with its two-sided 95% "
        + "interval. \"Not supported\" "
        + "with an interval around 0 is a null result: no detectable effect, not proof of none."

    /// The provenance of a comparison or sweep: its input files (`RunSource.provenanceRows`) and command line.
    static func provenanceBlocks(_ files: [[String]], commandLine: String) -> [ReportBlock] {
        [
            .heading("Provenance", id: "provenance"),
            .table(
                ReportTable(
                    [.text("run"), .text("role"), .code("input file"), .numeric("bytes"), .code("SHA-256")], files,
                    size: .tiny)),
            .code(label: "Command line:", text: commandLine)
        ]
    }
}
