import SSLMemIO
import SSLMemStats

/// Whether two setups (method · architecture · dataset, `RunGroup.bySetup`; for scores files, runs given
/// the same `--names` label) memorize to different degrees, with the seed as the unit (paper Table 1 reports
/// mean ± std over three seeds): each run contributes one number, and Welch's two-sample t-test,
/// **two-sided**, compares the setups' runs (scipy.stats.ttest_ind(a, b, equal_var=False)):
/// t = (m_a − m_b)/√(s_a²/n_a + s_b²/n_b), ν by Welch–Satterthwaite, p = 2·P(T_ν > |t|).
///
/// Two statistics per run:
/// - `candidateMean`: the run's mean candidate SSLMem score (the Table 1 number; range-normalized per run);
/// - `candidateMinusIndependent`: the run's unnormalized gap mean diff(S_C) − mean diff(S_I)
///   (`MemorizationGap`), free of the per-run range and of an f–g offset.
///
/// Unlike Welch on the points of two runs (`RunMeanTest`, "within-run, not across training randomness"), whose
/// p shrinks with the number of points, this test's variance is the spread between seeds, so it says whether
/// the difference would survive retraining. With n seeds per setup the test has at most n_a + n_b − 2
/// degrees of freedom; below 3 seeds it has little power (`Caveats.seeds`).
public struct MethodTest: Codable, Sendable, Equatable {
    public enum Statistic: String, Codable, Sendable, CaseIterable {
        case candidateMean = "candidate_mean"
        case candidateMinusIndependent = "candidate_minus_independent"

        /// How the statistic reads in a sentence.
        public var description: String {
            switch self {
            case .candidateMean: "mean candidate score"
            case .candidateMinusIndependent: "candidate − independent gap (unnormalized diff)"
            }
        }
    }

    public var statistic: Statistic
    /// The setups' keys.
    public var a: String
    public var b: String
    /// Seeds (runs) with the statistic in each setup.
    public var nA: Int
    public var nB: Int
    /// Mean of the statistic over the setup's seeds.
    public var meanA: Double
    public var meanB: Double
    public var t: Double
    /// Welch–Satterthwaite degrees of freedom.
    public var df: Double
    public var p: Double
    /// Two-sided 95% Welch interval of mean_a − mean_b.
    public var ci95: [Double]
    /// Always "two-sided".
    public var alternative: String
    /// "seeds": each run is one observation.
    public var unit: String
    /// Why t and p are NaN (fewer than 2 seeds in a setup, no spread between seeds); nil when computed.
    public var notComputable: String?

    enum CodingKeys: String, CodingKey {
        case statistic, a, b
        case nA = "n_a"
        case nB = "n_b"
        case meanA = "mean_a"
        case meanB = "mean_b"
        case t, df, p, ci95, alternative, unit
        case
            notComputable = "not_computable"
    }

    /// The statistic's value for each run of `group` that has it (the gap needs subsets and alignments).
    public static func values(_ group: RunGroup, _ statistic: Statistic) -> [Double] {
        switch statistic {
        case .candidateMean: group.runs.map(\.candidateMean).filter(\.isFinite)
        case .candidateMinusIndependent:
            group.runs.compactMap { MemorizationGap($0.table, reference: .independent)?.gap }
        }
    }

    /// Every pair i < j of `groups`, for each statistic (candidate mean first), or none when no setup has
    /// two seeds (then only the within-run test between runs is available).
    public static func pairs(_ groups: [RunGroup]) -> [MethodTest] {
        guard groups.count >= 2, groups.contains(where: { $0.runs.count >= 2 }) else { return [] }
        var tests: [MethodTest] = []
        for statistic in Statistic.allCases {
            let values = groups.map { Self.values($0, statistic) }
            guard values.contains(where: { !$0.isEmpty }) else { continue }
            for i in groups.indices {
                for j in groups.indices where j > i {
                    let r = TTest.twoSample(values[i], values[j], variant: .welch, alternative: .twoSided)
                    tests.append(
                        MethodTest(
                            statistic: statistic, a: groups[i].key, b: groups[j].key, nA: values[i].count,
                            nB: values[j].count, meanA: Descriptive(values[i]).mean, meanB: Descriptive(values[j]).mean,
                            t: r.statistic, df: r.degreesOfFreedom, p: r.pValue,
                            ci95: [r.confidenceInterval.lower, r.confidenceInterval.upper],
                            alternative: Alternative.twoSided.rawValue,
                            unit: "seeds", notComputable: r.notComputable.map { "seeds: " + $0 }))
                }
            }
        }
        return tests
    }
}
