import SSLMemCore
import SSLMemIO
import SSLMemStats

/// Percentile bootstrap intervals over points of each layer's LayerMem, ΔLayerMem and LayerMem − S_E control
/// (`LayerMemAnalysis`), so that layers are ranked, and memorization claimed, only where the sampling of points
/// cannot explain the difference.
///
/// Per resample (draws of `Bootstrap.intervals`: first |C| candidate positions, then |E| extra positions, with
/// replacement, from SplitMix64(`seed`); the same draws for every layer, so ΔLayerMem is paired):
///
///     LayerMem*_l  = mean over the drawn candidates x of m_l(x) / r_l,
///     ΔLayerMem*_l = LayerMem*_l − LayerMem*_{l−1}  (the first layer's is its LayerMem*),
///     excess*_l    = LayerMem*_l − mean over the drawn extra points y of m_l(y) / r_l,
///
/// with r_l = max_C m_l − min_C m_l of the full sample held fixed (the unit of LayerMem, as in the point
/// estimates; re-taking a max − min in every resample would make the interval mostly about two extreme
/// points). The interval is the (1 − level)/2 and (1 + level)/2 quantile over `resamples` (linear
/// interpolation, numpy's default). Without extra points (or with one) the excess intervals are NaN.
public struct LayerIntervals: Codable, Sendable, Equatable {
    public struct Layer: Codable, Sendable, Equatable {
        public var name: String
        public var layerMem: Double
        public var layerMemCI: [Double]
        public var delta: Double
        public var deltaCI: [Double]
        /// LayerMem − S_E control (NaN without extra points).
        public var excess: Double
        public var excessCI: [Double]
        enum CodingKeys: String, CodingKey {
            case name
            case layerMem = "layermem"
            case layerMemCI = "layermem_ci"
            case delta
            case deltaCI = "delta_ci"
            case excess
            case
                excessCI = "excess_ci"
        }
    }

    public var resamples: Int
    public var seed: UInt64
    public var level: Double
    /// |C| and |E|: the points resampled.
    public var candidates: Int
    public var extra: Int
    public var layers: [Layer]

    public init(
        _ analysis: LayerMemAnalysis, resamples: Int = Conventions.defaultBootstrapResamples, seed: UInt64 = 0,
        level: Double = 0.95
    ) {
        self.resamples = resamples
        self.seed = seed
        self.level = level
        let nC = analysis.candidates.count
        let nE = analysis.extra.count >= 2 ? analysis.extra.count : 0
        candidates = nC
        extra = analysis.extra.count
        let count = analysis.layers.count
        // m / r per layer, as the point estimates divide them.
        let ranges = analysis.m.map { m in (m.max() ?? 0) - (m.min() ?? 0) }
        // m / r point by point, the layers side by side ([point][layer], each point's row padded with zeros to
        // whole groups of four), so that the layers' sums advance together: each lane still adds its layer's
        // draws in order, from 0, the same bits as a sum per layer.
        let width = (count + 3) / 4 * 4
        func table(_ m: [[Double]], points: Int) -> [Double] {
            (0..<points).flatMap { i in (0..<width).map { l in l < count ? m[l][i] / ranges[l] : 0 } }
        }
        let byPoint = table(analysis.m, points: nC)
        let extraByPoint = table(analysis.mExtra, points: nE)
        // Per resample the sums over the drawn candidates and extra points (`Bootstrap.rowSums`: the draws of
        // `Bootstrap.intervals`, each lane added in draw order from 0), then the statistics.
        var intervals = Array(repeating: Interval(.nan, .nan), count: 3 * count)
        if resamples >= 2 {
            let groups = nE > 0 ? [nC, nE] : [nC]
            let sums = Bootstrap.rowSums(
                groups: groups, tables: nE > 0 ? [byPoint, extraByPoint] : [byPoint], width: width,
                resamples: resamples, seed: seed, workers: FileAlignment.defaultWorkers)
            var values = [Double](repeating: .nan, count: 3 * count * resamples)  // [statistic][resample]
            for r in 0..<resamples {
                let candidateSums = r * groups.count * width
                var previous = 0.0
                for l in 0..<count {
                    let layerMem = sums[candidateSums + l] / Double(nC)
                    values[l * resamples + r] = layerMem
                    values[(count + l) * resamples + r] = l == 0 ? layerMem : layerMem - previous
                    previous = layerMem
                    values[(2 * count + l) * resamples + r] =
                        nE > 0 ? layerMem - sums[candidateSums + width + l] / Double(nE) : .nan
                }
            }
            intervals = Bootstrap.percentileIntervals(
                &values, count: 3 * count, resamples: resamples, level: level, workers: FileAlignment.defaultWorkers)
        }
        layers = analysis.layers.enumerated().map { l, profile in
            Layer(
                name: profile.name, layerMem: profile.layerMem,
                layerMemCI: [intervals[l].lower, intervals[l].upper], delta: profile.delta,
                deltaCI: [intervals[count + l].lower, intervals[count + l].upper],
                excess: profile.control.isFinite ? profile.layerMem - profile.control : .nan,
                excessCI: [intervals[2 * count + l].lower, intervals[2 * count + l].upper])
        }
    }

    /// Intervals with the conventions' resamples, seed and level.
    public init(_ analysis: LayerMemAnalysis, conventions: Conventions) {
        self.init(
            analysis, resamples: conventions.bootstrapResamples, seed: conventions.bootstrapSeed,
            level: conventions.level)
    }

    /// Whether the intervals of two layers' LayerMem overlap (the layers cannot be ranked).
    public func overlap(_ a: Int, _ b: Int) -> Bool {
        let x = layers[a].layerMemCI
        let y = layers[b].layerMemCI
        return !(x[0] > y[1] || y[0] > x[1])
    }
}
