import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemStats

/// The words and numbers of a report, shared by its HTML, PDF and LaTeX forms.
enum ReportText {
    /// One plain-language sentence per test.
    static func sentence(_ test: SubsetTest) -> String {
        let r = test.result
        if let reason = r.notComputable { return "\(test.hypothesis): not computable — \(reason)." }
        let claim: String
        switch (test.b, r.alternative) {
        case (let b?, _): claim = "\(test.a.description.capitalized) points score higher than \(b) points"
        case (nil, .greater): claim = "\(test.a.description.capitalized) points score above 0 on average"
        case (nil, .less): claim = "\(test.a.description.capitalized) points score below 0 on average"
        case (nil, .twoSided): claim = "\(test.a.description.capitalized) points' mean score differs from 0"
        }
        let verdict = r.pValue < 0.01 ? "significant at the 1% level" : r.pValue < 0.05 ? "significant at the 5% level"
            : "not significant at the 5% level"
        return "\(claim): t = \(NumberFormat.fixed(r.statistic, 2)), p = \(NumberFormat.pValue(r.pValue)), \(verdict)."
    }

    /// Subset summary rows: subset, n, mean, std, 95% CI.
    static func summaryRows(_ summaries: [SubsetSummary]) -> [[String]] {
        summaries.map { s in
            let ci = s.score.meanInterval()
            return [s.subset.description, String(s.score.count), NumberFormat.fixed(s.score.mean), NumberFormat.fixed(s.score.standardDeviation),
                    NumberFormat.interval(ci.lower, ci.upper)]
        }
    }
    static let summaryColumns = ["subset", "n", "mean score", "std", "95% CI of the mean"]

    static func testRows(_ tests: [SubsetTest]) -> [[String]] {
        tests.map { t in
            let r = t.result
            return [t.hypothesis, r.variant.rawValue, NumberFormat.fixed(r.statistic, 3), NumberFormat.degreesOfFreedom(r.degreesOfFreedom),
                    NumberFormat.pValue(r.pValue), NumberFormat.fixed(r.cohensD, 3), NumberFormat.fixed(r.hedgesG, 3)]
        }
    }
    /// Findings rows: claim, verdict, effect [95% CI], p, Holm-adjusted p, test.
    static func findingRows(_ findings: [RunSummary.Finding]) -> [[String]] {
        findings.map { f in
            let digits = f.test.hasPrefix("Kendall") ? 3 : 4
            let ci = f.ci95.count == 2 ? " " + NumberFormat.interval(f.ci95[0], f.ci95[1], digits) : ""
            return [f.claim, f.verdict, NumberFormat.fixed(f.effect, digits) + (f.effect.isNaN ? "" : ci), NumberFormat.pValue(f.p),
                    NumberFormat.pValue(f.pAdjusted), f.test]
        }
    }
    /// findings.tex / findings.csv of a run or comparison report: name, caption, columns, rows.
    static func findingsTable(_ findings: [RunSummary.Finding]) -> (String, String, [String], [[String]]) {
        ("findings", "The paper's claims checked on these scores: verdict by Holm-adjusted p, effect with its "
         + "two-sided 95\\% interval.", findingColumns, findingRows(findings))
    }

    static let findingColumns = ["claim", "verdict", "effect [95% CI]", "p", "p (Holm)", "test"]

    /// The sentence above the findings table.
    static let findingsIntroduction = "The paper's claims checked on these scores. Verdicts use Holm-adjusted p "
        + "(family-wise error 5% within each family: a run's five claims; across runs, the memorization tests, and the ranking tests); the effect is a difference of mean scores "
        + "(a mean for \"about 0\", Kendall's τ-b for rankings) with its two-sided 95% interval. \"Not supported\" "
        + "with an interval around 0 is a null result: no detectable effect, not proof of none."

    static let testColumns = ["hypothesis", "test", "t", "df", "p", "Cohen's d", "Hedges' g"]
}
