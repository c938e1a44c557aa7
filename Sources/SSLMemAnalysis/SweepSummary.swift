import Foundation
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// The numbers of a sweep over a numeric run attribute (λ, ε, mask ratio, epoch …; paper Fig. 4, Tables 5
/// and 9) as a value: per value of the attribute, its runs (seeds of one point) with the mean over them of
/// each run's mean candidate SSLMem score and of f's linear-probe accuracy, ± the standard deviation over
/// runs (n − 1; nil for one run). A sweep report writes it as sweep.json (`encoded()`, the conventions of
/// summary.json) and formats its tables from it.
public struct SweepSummary: SummaryDocument, Sendable, Equatable {
    public struct Point: Codable, Sendable, Equatable {
        public var value: Double
        public var runs: [String]
        public var candidateMean: Double
        public var candidateStd: Double?
        public var linearProbeMean: Double?
        public var linearProbeStd: Double?
        enum CodingKeys: String, CodingKey {
            case value, runs
            case candidateMean = "candidate_mean"
            case candidateStd = "candidate_std"
            case
                linearProbeMean = "linear_probe_mean"
            case linearProbeStd = "linear_probe_std"
        }
    }

    public var attribute: String
    /// In increasing order of `value`.
    public var points: [Point]
    /// Caveats on the runs (f and g trained for different epochs: `Caveats.unequalTraining`); nil when none.
    public var warnings: [String]?

    /// Groups `runs` by their value of `attribute`; throws, naming the run and the attributes it has, when
    /// one lacks a numeric value.
    public init(_ runs: [RunSource], attribute: String) throws {
        for run in runs where run.number(attribute) == nil {
            let names = run.attributes.keys.sorted()
            throw SSLMemError(
                file: run.inputs.first,
                "run \(run.name) has no numeric attribute \(attribute) "
                    + (names.isEmpty
                        ? "(it carries no attributes: a scores .csv records none; give report "
                            + "folders, scores .h5 files or F.h5,G.h5 pairs of dumps)"
                        : "(it has: \(names.joined(separator: ", ")))"))
        }
        self.attribute = attribute
        let caveats = Caveats.unequalTraining(runs, attribute: attribute)
        warnings = caveats.isEmpty ? nil : caveats
        points = RunGroup.group(runs) { String($0.number(attribute)!) }
            .sorted { $0.runs[0].number(attribute)! < $1.runs[0].number(attribute)! }
            .map { group in
                let m = group.memorization
                let probe = group.probe
                return Point(
                    value: group.runs[0].number(attribute)!, runs: group.runs.map(\.name),
                    candidateMean: m.mean, candidateStd: m.count > 1 ? m.standardDeviation : nil,
                    linearProbeMean: probe?.mean,
                    linearProbeStd: probe.flatMap { $0.count > 1 ? $0.standardDeviation : nil })
            }
    }

}
