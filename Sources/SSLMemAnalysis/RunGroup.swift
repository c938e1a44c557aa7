import SSLMemIO
import SSLMemModel
import SSLMemStats

/// Runs of one configuration that differ only by seed, summarized over the
/// seeds as the paper's Table 1 does: the mean over runs of each run's mean
/// candidate SSLMem score, with the standard deviation over runs (n − 1), and
/// likewise the linear-probe accuracy of f.
public struct RunGroup: Sendable {
    public var key: String
    public var runs: [RunSource]

    /// Groups by method, architecture and dataset (the run's name when it has none), in first-seen order.
    public static func bySetup(_ runs: [RunSource]) -> [RunGroup] {
        group(runs) { run in
            let parts = ["method", "architecture", "dataset"].compactMap { run.attributes[$0] }
            return parts.isEmpty ? run.name : parts.joined(separator: " · ")
        }
    }

    public static func group(_ runs: [RunSource], by key: (RunSource) -> String) -> [RunGroup] {
        var groups: [RunGroup] = []
        for run in runs {
            let k = key(run)
            if let i = groups.firstIndex(where: { $0.key == k }) {
                groups[i].runs.append(run)
            } else {
                groups.append(RunGroup(key: k, runs: [run]))
            }
        }
        return groups
    }

    public var memorization: Descriptive { Descriptive(runs.map(\.candidateMean)) }

    /// Linear-probe accuracy of f over the runs that report it, or nil when none does.
    public var probe: Descriptive? {
        let values = runs.compactMap { $0.number("linear_probe_accuracy") }
        return values.isEmpty ? nil : Descriptive(values)
    }
}

extension RunGroup {
    /// The candidate − `reference` gap of a group of runs in unnormalized diff (`MemorizationGap`),
    /// with a two-sided 95% interval.
    public struct Gap: Sendable, Equatable {
        public var reference: Subset
        /// One run: its gap; several: the mean of the runs' gaps.
        public var gap: Double
        /// One run: its Welch interval (`MemorizationGap`); several runs (seeds): the t-interval of the mean
        /// of their gaps, mean ± t₀.₉₇₅,ₙ₋₁ · s/√n over the n runs (the spread between seeds, which holds the
        /// within-run noise too).
        public var interval: Interval
        public var runs: Int
    }

    /// The group's gap over `reference`, or nil when a run lacks it (unknown subsets or alignments, fewer than
    /// two points in a subset).
    public func gap(over reference: Subset) -> Gap? {
        let gaps = runs.map { MemorizationGap($0.table, reference: reference) }
        guard !gaps.isEmpty, gaps.allSatisfy({ $0 != nil }) else { return nil }
        let values = gaps.map { $0!.gap }
        if values.count == 1 { return Gap(reference: reference, gap: values[0], interval: gaps[0]!.interval, runs: 1) }
        let d = Descriptive(values)
        return Gap(reference: reference, gap: d.mean, interval: d.meanInterval(), runs: values.count)
    }
}
