import SSLMemCore
import SSLMemIO
import SSLMemSupport

/// What UnitMem gives without memorization, per layer: UnitMem(u) = (μ_max − μ_rest)/(μ_max + μ_rest) is above
/// 0 for every selective unit, memorizing or not, and grows with the number of points (μ_max is a maximum). The
/// baseline is the UnitMem of g's units over the same points P and the same layer (g has f's architecture and
/// training recipe and never saw the candidates of P), so the count of points and the architecture are the
/// same on both sides.
///
///     baseline_l   = the 95th percentile (numpy's linear interpolation) of g's finite UnitMem in layer l,
///     share above  = share of f's units in layer l with UnitMem > baseline_l.
///
/// Without memorization f's units look like g's, and about 5% of them lie above the baseline; a share well
/// above 5% says f has more selective units than an encoder that did not see the candidates.
public struct UnitMemBaseline: Codable, Sendable, Equatable {
    public var layer: String
    /// |P| for f and for g (equal when both files hold the same points).
    public var points: Int
    public var units: Int
    public var baseline: Double
    public var shareAbove: Double
    /// The share expected without memorization: 1 − `quantile` = 0.05.
    public var expectedShare: Double
    public var fMean: Double
    public var gMean: Double
    enum CodingKeys: String, CodingKey {
        case layer, points, units, baseline
        case shareAbove = "share_above"
        case expectedShare = "expected_share"
        case
            fMean = "f_mean"
        case gMean = "g_mean"
    }

    public static let quantile = 0.95

    /// One baseline per layer present in both `f` and `g` (same name and unit count).
    public static func compare(f: [UnitMemLayer], g: [UnitMemLayer]) -> [UnitMemBaseline] {
        f.compactMap { layerF in
            guard let layerG = g.first(where: { $0.name == layerF.name }), layerG.units.count == layerF.units.count
            else { return nil }
            let reference = layerG.units.filter(\.isFinite).sorted()
            let own = layerF.units.filter(\.isFinite)
            guard !reference.isEmpty, !own.isEmpty else { return nil }
            let h = quantile * Double(reference.count - 1)
            let low = Int(h.rounded(.down))
            let high = min(low + 1, reference.count - 1)
            let baseline = reference[low] + (h - Double(low)) * (reference[high] - reference[low])
            return UnitMemBaseline(
                layer: layerF.name, points: layerF.points, units: own.count, baseline: baseline,
                shareAbove: Double(own.filter { $0 > baseline }.count) / Double(own.count),
                expectedShare: 0.05, fMean: layerF.summary.mean, gMean: layerG.summary.mean)
        }
    }

    /// "conv3: 12.5% of f's 64 units above g's 95th percentile (0.4312; 5% expected without memorization)".
    public var sentence: String {
        "\(layer): \(NumberFormat.percent(shareAbove)) of f's \(units) units above g's 95th percentile of UnitMem "
            + "(\(NumberFormat.fixed(baseline)); about 5% expected without memorization)"
    }
}
