import Foundation
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// A study's removal experiment (paper Fig. 3, Figs. 6–7, Table 14; the coreset of Table 17), one row per
/// retrained encoder and seed, as `sslmem-backend study` writes `removal.csv`: header
/// `removed,kind,dataset,seed,accuracy`, kind `none` (the full run, removed 0), `top` (the `removed` most
/// memorized points left out), `random` (as many random points), `coreset-top`, `coreset-random` (training on
/// a coreset only, `--only`; `removed` is then the coreset's size); accuracy the downstream linear-probe top-1
/// accuracy in [0, 1]. Other columns are allowed; a `method` column (a study that removes points for several
/// methods) makes each dataset · method its own group (`dataset` then reads "fashion-mnist · simclr").
public struct RemovalRuns: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case none, top, random
        case coresetTop = "coreset-top"
        case coresetRandom = "coreset-random"
    }

    public struct Row: Sendable, Equatable {
        public var removed: Int
        public var kind: Kind
        /// The downstream dataset, with " · method" when the CSV has a method column.
        public var dataset: String
        public var seed: String
        public var accuracy: Double
        public init(removed: Int, kind: Kind, dataset: String, seed: String, accuracy: Double) {
            self.removed = removed
            self.kind = kind
            self.dataset = dataset
            self.seed = seed
            self.accuracy = accuracy
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    /// Reads the CSV, with an error naming the file and line of the first bad row; a row repeated for the same
    /// removed, kind, dataset and seed is an error.
    public init(csvFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(file: path, "cannot read the removal results")
        }
        let lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: true) {
            $0 == "\n" || $0 == "\r\n"
        }
        .map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let required = ["removed", "kind", "dataset", "seed", "accuracy"]
        guard let header = lines.first, Set(required).isSubset(of: header), Set(header).count == header.count else {
            throw SSLMemError(file: path, "the header must hold removed,kind,dataset,seed,accuracy (each once)")
        }
        let at = required.map { header.firstIndex(of: $0)! }
        let methodAt = header.firstIndex(of: "method")
        var seen = Set<String>()
        rows = try lines.dropFirst().enumerated().map { number, fields in
            func fail(_ why: String) -> SSLMemError { SSLMemError(file: path, "line \(number + 2): \(why)") }
            guard fields.count == header.count else { throw fail("\(fields.count) fields, expected \(header.count)") }
            let (removedText, kindText, datasetText, seed, accuracyText) =
                (fields[at[0]], fields[at[1]], fields[at[2]], fields[at[3]], fields[at[4]])
            guard let removed = Int(removedText), removed >= 0 else { throw fail("removed must be a whole number ≥ 0") }
            guard let kind = Kind(rawValue: kindText) else {
                throw fail(
                    "kind \"\(kindText)\" is not one of " + Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard kind != .none || removed == 0 else { throw fail("a row of kind none has removed 0") }
            guard !seed.isEmpty else { throw fail("the seed is empty") }
            guard let accuracy = Double(accuracyText), accuracy.isFinite, (0...1).contains(accuracy) else {
                throw fail("accuracy must be a fraction in [0, 1]")
            }
            let dataset = datasetText + (methodAt.map { " · " + fields[$0] } ?? "")
            guard seen.insert([removedText, kindText, dataset, seed].joined(separator: ",")).inserted else {
                throw fail(
                    "a second row for removed \(removed), kind \(kind.rawValue), dataset \(dataset), seed \(seed)")
            }
            return Row(removed: removed, kind: kind, dataset: dataset, seed: seed, accuracy: accuracy)
        }
        guard !rows.isEmpty else { throw SSLMemError(file: path, "no rows after the header") }
    }

    /// Datasets in first-seen order.
    public var datasets: [String] {
        rows.map(\.dataset).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The rows of one dataset and kind at one size, in file order.
    public func rows(_ dataset: String, _ kind: Kind, removed: Int? = nil) -> [Row] {
        rows.filter { $0.dataset == dataset && $0.kind == kind && (removed == nil || $0.removed == removed) }
    }

    /// Mean with the two-sided 95% t-interval over seeds (mean ± t₀.₉₇₅,ₙ₋₁·s/√n; NaN bounds below 2 seeds) of
    /// one dataset, kind and size.
    public func mean(_ dataset: String, _ kind: Kind, removed: Int) -> (mean: Double, interval: Interval, n: Int) {
        let d = Descriptive(rows(dataset, kind, removed: removed).map(\.accuracy))
        return (d.mean, d.meanInterval(), d.count)
    }
}

/// Per dataset and size, whether leaving out the most memorized points changes downstream accuracy more than
/// leaving out as many random ones, with the seed as the unit: the encoders retrained with the same seed form a
/// pair, and the test is on the seed-wise differences d = accuracy(top) − accuracy(random) (`PairedTest`):
/// the paired t (scipy.stats.ttest_rel) and beside it the exact sign-flip permutation p, since n is small.
///
/// One-sided, in the paper's direction: for removal (`top` vs `random`) H₁: top lowers accuracy more,
/// mean(d) < 0 (alternative "less"); for the coreset (`coreset-top` vs `coreset-random`, Table 17) H₁: the
/// coreset of the most memorized points keeps accuracy higher, mean(d) > 0 ("greater"). Seeds with only one of
/// the two kinds are left out of the pair count (`unpairedSeeds`).
public struct RemovalTest: Codable, Sendable, Equatable {
    /// "removal" or "coreset".
    public var kind: String
    public var dataset: String
    public var removed: Int
    /// Seeds with both kinds at this size.
    public var nSeeds: Int
    /// Mean accuracy over those seeds of the top (coreset-top) and random (coreset-random) encoders.
    public var meanTop: Double
    public var meanRandom: Double
    /// Paired t on the differences top − random, with n − 1 degrees of freedom.
    public var t: Double
    public var df: Double
    public var p: Double
    /// Exact sign-flip permutation p, same alternative; its smallest possible value is 2⁻ⁿ.
    public var pPermutation: Double
    /// "less" (removal) or "greater" (coreset).
    public var alternative: String
    /// Seeds that have only one of the two kinds at this size (left out).
    public var unpairedSeeds: [String]
    public var notComputable: String?

    enum CodingKeys: String, CodingKey {
        case kind, dataset, removed
        case nSeeds = "n_seeds"
        case meanTop = "mean_top"
        case meanRandom = "mean_random"
        case t, df, p
        case
            pPermutation = "p_permutation"
        case alternative
        case unpairedSeeds = "unpaired_seeds"
        case
            notComputable = "not_computable"
    }

    /// The smallest p the sign-flip test can give with `nSeeds` pairs, 2⁻ⁿ.
    public var smallestPermutationP: Double { nSeeds > 0 ? 1 / Double(1 << min(nSeeds, 62)) : 1 }

    /// Every dataset and size with rows of both kinds: removal first, then the coreset, sizes ascending.
    public static func all(_ results: RemovalRuns) -> [RemovalTest] {
        let variants: [(String, RemovalRuns.Kind, RemovalRuns.Kind, Alternative)] = [
            ("removal", .top, .random, .less), ("coreset", .coresetTop, .coresetRandom, .greater)
        ]
        var tests: [RemovalTest] = []
        for dataset in results.datasets {
            for (name, topKind, randomKind, alternative) in variants {
                let sizes = Set(results.rows(dataset, topKind).map(\.removed))
                    .intersection(results.rows(dataset, randomKind).map(\.removed)).sorted()
                for removed in sizes {
                    let top = results.rows(dataset, topKind, removed: removed)
                    let random = results.rows(dataset, randomKind, removed: removed)
                    let randomBySeed = Dictionary(
                        random.map { ($0.seed, $0.accuracy) }, uniquingKeysWith: { a, _ in a })
                    let paired = top.filter { randomBySeed[$0.seed] != nil }
                    let x = paired.map(\.accuracy)
                    let y = paired.map { randomBySeed[$0.seed]! }
                    let pairedSeeds = Set(paired.map(\.seed))
                    let unpaired = (top + random).map(\.seed).filter { !pairedSeeds.contains($0) }
                        .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    let r = PairedTest.t(x, y, alternative: alternative)
                    tests.append(
                        RemovalTest(
                            kind: name, dataset: dataset, removed: removed, nSeeds: x.count,
                            meanTop: Descriptive(x).mean,
                            meanRandom: Descriptive(y).mean, t: r.statistic, df: r.degreesOfFreedom, p: r.pValue,
                            pPermutation: PairedTest.signFlipPValue(x, y, alternative: alternative),
                            alternative: alternative.rawValue, unpairedSeeds: unpaired, notComputable: r.notComputable))
                }
            }
        }
        return tests
    }
}
