import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// The paper's significance tests on one run's scores.
///
/// Table 2 — two-sample, one-sided ("greater"): candidate > shared,
/// candidate > extra, shared > independent, extra > independent.
/// Table 16 — one-sample against 0: candidate > 0, independent < 0,
/// shared ≠ 0 (two-sided), extra > 0.
/// Student's pooled-variance test by default, Welch's on request. The paper's
/// "effect size" column (86.82, 60.44, …) is the t statistic, not Cohen's d.
public struct SubsetTest: Sendable {
    public var a: Subset
    /// The second subset, or nil for a one-sample test against `value`.
    public var b: Subset?
    public var value: Double
    public var result: TTestResult

    public static let twoSample: [(Subset, Subset)] = [
        (.candidate, .shared), (.candidate, .extra), (.shared, .independent), (.extra, .independent)
    ]
    public static let oneSample: [(Subset, Alternative)] = [
        (.candidate, .greater), (.independent, .less), (.shared, .twoSided), (.extra, .greater)
    ]

    /// Tables 2 and 16 on `table`; a test whose subsets are missing or too
    /// small is kept, marked not computable with the reason.
    public static func paperTests(_ table: ScoresTable, welch: Bool = false) -> [SubsetTest] {
        let variant: TTestResult.Variant = welch ? .welch : .student
        let two = twoSample.map { a, b in
            SubsetTest(
                a: a, b: b, value: 0,
                result: TTest.twoSample(
                    table.scores(of: a), table.scores(of: b), variant: variant, alternative: .greater))
        }
        let one = oneSample.map { a, alternative in
            SubsetTest(
                a: a, b: nil, value: 0,
                result: TTest.oneSample(
                    table.scores(of: a), against: 0, alternative: alternative))
        }
        return two + one
    }

    /// "candidate > shared", "independent < 0", "shared ≠ 0".
    public var hypothesis: String {
        let symbol = result.alternative == .greater ? ">" : result.alternative == .less ? "<" : "≠"
        return "\(a) \(symbol) " + (b.map(\.description) ?? "0")
    }

    /// `sslmem stats --json`: {"subsets": {name: {n, mean, std, ci95}}, "tests": [{a, b,
    /// alternative, variant, statistic, df, pvalue, cohens_d, hedges_g}]}; b is the value tested
    /// against for one-sample tests; a test not computable adds "note" with the reason.
    /// The same shape as summary.json's "subsets" and "tests" (`RunSummary`).
    public static func json(_ summaries: [SubsetSummary], _ tests: [SubsetTest]) -> JSONValue {
        struct Document: Encodable {
            let subsets: OrderedObject<RunSummary.SubsetStatistics>
            let tests: [RunSummary.Test]
        }
        let document = Document(
            subsets: OrderedObject(summaries.map { ($0.subset.description, RunSummary.SubsetStatistics($0)) }),
            tests: tests.map(RunSummary.Test.init))
        return (try? JSONValueEncoder.encode(document)) ?? .null  // numbers and strings only: cannot fail
    }
}
