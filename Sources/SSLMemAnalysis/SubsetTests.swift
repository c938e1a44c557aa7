import SSLMemIO
import SSLMemStats

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
        (.candidate, .shared), (.candidate, .extra), (.shared, .independent), (.extra, .independent),
    ]
    public static let oneSample: [(Subset, Alternative)] = [
        (.candidate, .greater), (.independent, .less), (.shared, .twoSided), (.extra, .greater),
    ]

    /// Tables 2 and 16 on `table`; a test whose subsets are missing or too
    /// small is kept, marked not computable with the reason.
    public static func paperTests(_ table: ScoresTable, welch: Bool = false) -> [SubsetTest] {
        let variant: TTestResult.Variant = welch ? .welch : .student
        let two = twoSample.map { a, b in
            SubsetTest(a: a, b: b, value: 0, result: TTest.twoSample(
                table.scores(of: a), table.scores(of: b), variant: variant, alternative: .greater))
        }
        let one = oneSample.map { a, alternative in
            SubsetTest(a: a, b: nil, value: 0, result: TTest.oneSample(
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
    public static func json(_ summaries: [SubsetSummary], _ tests: [SubsetTest]) -> JSONValue {
        let subsets = summaries.map { s -> (String, JSONValue) in
            let ci = s.score.meanInterval()
            return (s.subset.description, .object([
                ("n", .integer(s.score.count)), ("mean", .number(s.score.mean)),
                ("std", .number(s.score.standardDeviation)), ("ci95", .array([.number(ci.lower), .number(ci.upper)])),
            ]))
        }
        let results = tests.map { test -> JSONValue in
            let r = test.result
            var members: [(String, JSONValue)] = [
                ("a", .string(test.a.description)),
                ("b", test.b.map { .string($0.description) } ?? .number(test.value)),
                ("alternative", .string(r.alternative.rawValue)), ("variant", .string(r.variant.rawValue)),
                ("statistic", .number(r.statistic)), ("df", .number(r.degreesOfFreedom)),
                ("pvalue", .number(r.pValue)), ("cohens_d", .number(r.cohensD)),
                ("hedges_g", .number(r.hedgesG)),
            ]
            if let reason = r.notComputable { members.append(("note", .string("not computable: " + reason))) }
            return .object(members)
        }
        return .object([("subsets", .object(subsets)), ("tests", .array(results))])
    }
}
