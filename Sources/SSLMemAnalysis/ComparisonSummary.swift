import Foundation
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// The numbers of a comparison of runs as a value (issue 13: reports only format): per run and per setup
/// (paper Table 1), Kendall's τ-b between runs (Table 13), top-X overlap with its chance baseline
/// (Table 12), Welch's two-sided tests between runs' candidate scores (within-run) and between setups over
/// seeds (`MethodTest`), a study's removal tests (`RemovalTest`), SSLMem against downstream accuracy
/// (`AccuracyLink`), the findings across runs and the caveats. A comparison report writes it as comparison.json (`encoded()`, the same conventions as
/// summary.json: members in declaration order, "nan"/"inf" for non-finite numbers); `init(json:path:)`
/// reads it back.
///
/// `runs`, `kendall` and `overlap` have the shape and keys of `sslmem compare --json` (`RunComparison.json`).
public struct ComparisonSummary: SummaryDocument, Sendable, Equatable {
    /// One run: its candidates' scores (mean ± std over points, n − 1) and f's linear-probe accuracy.
    public struct Run: Codable, Sendable, Equatable {
        public var name: String
        public var candidates: Int
        public var candidateMean: Double
        public var candidateStd: Double
        public var linearProbeAccuracy: Double?
        /// The root attributes of the run's f encoder (method, epoch, …) as text.
        public var attributes: OrderedObject<String>
        enum CodingKeys: String, CodingKey {
            case name, candidates
            case candidateMean = "candidate_mean"
            case candidateStd = "candidate_std"
            case
                linearProbeAccuracy = "linear_probe_accuracy"
            case attributes
        }
    }

    /// Runs of one setup (method · architecture · dataset) over seeds: mean ± std over runs (paper Table 1).
    public struct Setup: Codable, Sendable, Equatable {
        public var setup: String
        public var runs: [String]
        public var seeds: [String]
        public var memorizationMean: Double
        /// Over runs (n − 1); nil for a single run.
        public var memorizationStd: Double?
        public var linearProbeMean: Double?
        public var linearProbeStd: Double?
        /// The group's numbers: the mean over its runs of each run's mean candidate score, std over runs.
        public init(_ group: RunGroup) {
            let m = group.memorization
            let probe = group.probe
            setup = group.key
            runs = group.runs.map(\.name)
            seeds = group.runs.compactMap { $0.attributes["seed"] }
            memorizationMean = m.mean
            memorizationStd = m.count > 1 ? m.standardDeviation : nil
            linearProbeMean = probe?.mean
            linearProbeStd = probe.flatMap { $0.count > 1 ? $0.standardDeviation : nil }
        }
        enum CodingKeys: String, CodingKey {
            case setup, runs, seeds
            case memorizationMean = "memorization_mean"
            case memorizationStd = "memorization_std"
            case
                linearProbeMean = "linear_probe_mean"
            case linearProbeStd = "linear_probe_std"
        }
    }

    public struct Kendall: Codable, Sendable, Equatable {
        public var tau: Double
        public var pvalue: Double
        public var n: Int
    }

    public struct Top: Codable, Sendable, Equatable {
        public var x: Int
        public var overlap: Double
        public var tau: Double
        public var pvalue: Double
        public var n: Int
        public var common: Int
        public var expectedCommon: Double
        public var expectedOverlap: Double
        public var chancePValue: Double
        enum CodingKeys: String, CodingKey {
            case x, overlap, tau, pvalue, n, common
            case expectedCommon = "expected_common"
            case
                expectedOverlap = "expected_overlap"
            case chancePValue = "chance_pvalue"
        }
    }

    public struct Overlap: Codable, Sendable, Equatable {
        public var a: String
        public var b: String
        public var top: [Top]
    }

    /// Welch's two-sided t-test between two runs' candidate scores (`RunMeanTest`), the points of each run as
    /// its sample: within-run, not across training randomness (its p shrinks with the number of points; the
    /// seed-level test between setups is `MethodTest`).
    public struct MeanTest: Codable, Sendable, Equatable {
        public var a: String
        public var b: String
        public var meanDifference: Double
        public var t: Double
        /// Welch–Satterthwaite degrees of freedom (not an integer in general).
        public var df: Double
        public var pvalue: Double
        /// Always "points (within-run, not across training randomness)".
        public var unit: String
        enum CodingKeys: String, CodingKey {
            case a, b
            case meanDifference = "mean_difference"
            case t, df, pvalue, unit
        }
    }

    /// `MeanTest.unit`.
    public static let withinRun = "points (within-run, not across training randomness)"

    /// The run names, in the order given.
    public var runs: [String]
    /// kendall[i][j]: τ-b between runs i and j over the candidates both scored.
    public var kendall: [[Kendall]]
    /// Every pair i < j.
    public var overlap: [Overlap]
    public var candidates: [Run]
    public var setups: [Setup]
    /// Per pair of runs, Welch on their points (within-run).
    public var tests: [MeanTest]
    /// Per pair of setups with seeds, Welch over seeds (`MethodTest`, two-sided); empty when no setup has two runs.
    public var methodTests: [MethodTest]
    /// A study's removal experiment per dataset and size (`RemovalTest`, paired over seeds, one-sided); empty
    /// outside a study.
    public var removalTests: [RemovalTest]
    /// SSLMem against downstream accuracy over setups (`AccuracyLink`); nil when no run records
    /// `downstream_accuracy`.
    public var accuracyLink: AccuracyLink?
    public var findings: [RunSummary.Finding]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case runs, kendall, overlap, candidates, setups, tests
        case methodTests = "method_tests"
        case
            removalTests = "removal_tests"
        case accuracyLink = "accuracy_link"
        case findings, warnings
    }

    /// `runs`, `kendall` and `overlap` of `comparison`; the rest empty.
    public init(_ comparison: RunComparison) {
        runs = comparison.names
        kendall = comparison.kendall.map { $0.map { Kendall(tau: $0.tau, pvalue: $0.pValue, n: $0.count) } }
        overlap = comparison.pairs.map { pair in
            Overlap(
                a: comparison.names[pair.a], b: comparison.names[pair.b],
                top: pair.top.map {
                    Top(
                        x: $0.x, overlap: $0.overlap, tau: $0.kendall.tau, pvalue: $0.kendall.pValue, n: $0.n,
                        common: $0.common, expectedCommon: $0.expectedCommon, expectedOverlap: $0.expectedOverlap,
                        chancePValue: $0.chancePValue)
                })
        }
        candidates = []
        setups = []
        tests = []
        methodTests = []
        removalTests = []
        accuracyLink = nil
        findings = []
        warnings = []
    }

    /// The whole comparison of `sources` (their tables already joined to one subset labelling): Kendall and
    /// top-X at `tops`, Welch between runs, the findings (`Findings.comparison`) and the caveats
    /// (`Caveats.comparison`, `Caveats.runAttributes`).
    public init(_ sources: [RunSource], comparison: RunComparison) {
        self.init(comparison)
        let tables = sources.map(\.table)
        candidates = sources.map { run in
            let d = Descriptive(run.table.scores(of: .candidate))
            return Run(
                name: run.name, candidates: d.count, candidateMean: d.mean, candidateStd: d.standardDeviation,
                linearProbeAccuracy: run.number("linear_probe_accuracy"),
                attributes: OrderedObject(run.attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
        let groups = RunGroup.bySetup(sources)
        setups = groups.map(Setup.init)
        tests = RunMeanTest.pairs(tables).map { test in
            let r = test.result
            return MeanTest(
                a: comparison.names[test.a], b: comparison.names[test.b], meanDifference: r.meanDifference,
                t: r.statistic, df: r.degreesOfFreedom, pvalue: r.pValue, unit: Self.withinRun)
        }
        methodTests = MethodTest.pairs(groups)
        accuracyLink = AccuracyLink(groups)
        // Runs that are seeds of setups: memorization is compared across seeds, not on the points of single runs
        // (two seeds of one setup differ on their points by training randomness alone; the within-run tests stay in
        // `tests`, labelled so).
        findings =
            Findings.seeds(methodTests)
            + Findings.comparison(
                tables, comparison: comparison, perPointMeans: groups.allSatisfy { $0.runs.count == 1 })
            + (accuracyLink.map { $0.nSetups >= 2 ? [Findings.accuracyLink($0)] : [] } ?? [])
        warnings = Caveats.runAttributes(sources) + Caveats.comparison(comparison) + Caveats.seeds(groups)
    }

    /// A study (`Study`): the comparison of its runs and its removal experiment (`RemovalTest`, with its findings
    /// and caveats).
    public init(study: Study, comparison: RunComparison) {
        self.init(study.sources, comparison: comparison)
        removalTests = study.removal.map(RemovalTest.all) ?? []
        findings = Findings.removal(removalTests) + findings
        warnings += Caveats.removal(removalTests)
    }

    /// Reads a comparison.json, with an error naming the file.
    public init(json data: Data, path: String) throws {
        do { self = try Self.decoded(from: data) } catch is DecodingError {
            throw SSLMemError(
                file: path,
                "not a comparison summary; write the comparison report again with this "
                    + "version of sslmem")
        }
    }
}
