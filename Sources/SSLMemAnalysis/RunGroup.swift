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
            if let i = groups.firstIndex(where: { $0.key == k }) { groups[i].runs.append(run) } else {
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
