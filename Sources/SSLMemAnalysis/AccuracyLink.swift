import SSLMemIO
import SSLMemStats

/// Does a setup that memorizes more also generalize better downstream? (The link behind paper Table 1, where
/// each setup's SSLMem and downstream accuracy sit side by side.) Over setups (`RunGroup.bySetup`), Kendall's τ-b
/// (`KendallTau`, scipy.stats.kendalltau: exact two-sided p without ties for small n) between each setup's mean
/// SSLMem (the mean over its seeds of each run's mean candidate score) and its mean downstream accuracy.
///
/// Uncertainty over seeds: a percentile bootstrap (`Bootstrap.interval`, SplitMix64 from `seed`) in which each
/// replicate redraws, within every setup in order, as many of its runs as it has, with replacement
/// (index = next() mod n, runs in order), recomputes the setup means (a run's SSLMem and accuracy move together)
/// and τ-b over setups; a replicate whose τ-b is undefined (every mean tied) counts as τ = 0; the interval is
/// the 2.5% and 97.5% quantiles with numpy's linear interpolation. With k setups τ-b takes few values and the
/// smallest two-sided exact p is 2/k! (0.33 at 3 setups): a handful of setups cannot establish the link.
///
/// Also τ-b over the runs themselves (`runsTau`), which mixes differences between setups with those between
/// seeds of one setup; it is shown for reference, not as the test.
public struct AccuracyLink: Codable, Sendable, Equatable {
    public struct Setup: Codable, Sendable, Equatable {
        public var setup: String
        public var seeds: Int
        public var meanSSLMem: Double
        public var meanAccuracy: Double
        enum CodingKeys: String, CodingKey {
            case setup, seeds
            case meanSSLMem = "mean_sslmem"
            case meanAccuracy = "mean_accuracy"
        }
    }

    /// One run: its setup, mean candidate score and downstream accuracy.
    public struct Run: Codable, Sendable, Equatable {
        public var name: String
        public var setup: String
        public var sslmem: Double
        public var accuracy: Double
    }

    public var setups: [Setup]
    public var runs: [Run]
    public var nSetups: Int
    public var nRuns: Int
    /// τ-b over setups, with its two-sided p.
    public var tau: Double
    public var p: Double
    /// Two-sided 95% percentile bootstrap interval of τ-b over seeds.
    public var ci95: [Double]
    public var resamples: Int
    /// The bootstrap's SplitMix64 seed.
    public var seed: Int
    /// τ-b over runs, with its two-sided p (reference only).
    public var runsTau: Double
    public var runsP: Double
    public var notComputable: String?

    enum CodingKeys: String, CodingKey {
        case setups, runs
        case nSetups = "n_setups"
        case nRuns = "n_runs"
        case tau, p, ci95, resamples, seed
        case runsTau = "runs_tau"
        case
            runsP = "runs_p"
        case notComputable = "not_computable"
    }

    /// Runs without a finite mean candidate score or without `downstream_accuracy` are left out; nil when no
    /// run has both.
    public init?(_ groups: [RunGroup], resamples: Int = 10_000, seed: Int = 0) {
        let kept = groups.map { group in
            (group.key, group.runs.filter { $0.candidateMean.isFinite && $0.number("downstream_accuracy") != nil })
        }.filter { !$0.1.isEmpty }
        guard !kept.isEmpty else { return nil }
        runs = kept.flatMap { key, runs in
            runs.map {
                Run(name: $0.name, setup: key, sslmem: $0.candidateMean, accuracy: $0.number("downstream_accuracy")!)
            }
        }
        let points = kept.map { key, runs in
            (
                key: key, memorization: runs.map(\.candidateMean),
                accuracy: runs.map { $0.number("downstream_accuracy")! }
            )
        }
        setups = points.map {
            Setup(
                setup: $0.key, seeds: $0.memorization.count, meanSSLMem: Descriptive($0.memorization).mean,
                meanAccuracy: Descriptive($0.accuracy).mean)
        }
        nSetups = points.count
        nRuns = points.map(\.memorization.count).reduce(0, +)
        let k = KendallTau.tauB(setups.map(\.meanSSLMem), setups.map(\.meanAccuracy))
        tau = k.tau
        p = k.pValue
        notComputable = k.notComputable.map { "over \(points.count) setup\(points.count == 1 ? "" : "s"): " + $0 }
        self.resamples = resamples
        self.seed = seed
        if k.notComputable == nil {
            let interval = Bootstrap.interval(resamples: resamples, seed: UInt64(truncatingIfNeeded: seed)) {
                generator in
                var x: [Double] = []
                var y: [Double] = []
                for point in points {
                    let n = point.memorization.count
                    var sx = 0.0
                    var sy = 0.0
                    for _ in 0..<n {
                        let i = Int(generator.next() % UInt64(n))
                        sx += point.memorization[i]
                        sy += point.accuracy[i]
                    }
                    x.append(sx / Double(n))
                    y.append(sy / Double(n))
                }
                let tau = KendallTau.tauBByPairs(x, y)
                return tau.isNaN ? 0 : tau
            }
            ci95 = [interval.lower, interval.upper]
        } else {
            ci95 = [.nan, .nan]
        }
        let overRuns = KendallTau.tauB(points.flatMap(\.memorization), points.flatMap(\.accuracy))
        runsTau = overRuns.tau
        runsP = overRuns.pValue
    }

    /// The smallest two-sided exact p of τ-b over `nSetups` setups without ties, 2/k!.
    public var smallestP: Double {
        guard nSetups >= 2 else { return 1 }
        return min(1, 2 / (1...nSetups).reduce(1.0) { $0 * Double($1) })
    }
}
