import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// What μ_rest(u) averages the other points with.
public enum RestStatistic: String, CaseIterable, Sendable, Codable {
    /// The mean of μ(x, u) over the points other than x*(u).
    case mean
    /// Their median (the mean of the two middle values for an even count), as the released code computes it.
    case median
}

/// UnitMem of every unit of one layer of one encoder (Wang, Dziedzic, Backes, Boenisch, "Localizing
/// Memorization in SSL Vision Encoders", NeurIPS 2024, Sec. 3.2, Eq. 3), over the points of the chosen
/// subsets P:
///
///     μ_max(u) = max_{x∈P} μ(x, u),   x*(u) = its argmax (the lowest dataset index on ties),
///     μ_rest(u) = mean (or median) of μ(x, u) over P \ {x*(u)},
///     UnitMem(u) = (μ_max(u) − μ_rest(u)) / (μ_max(u) + μ_rest(u)),
///
/// μ(x, u) as `UnitActivations` computes it. For non-negative activations UnitMem ∈ [0, 1]: 1 when only
/// x*(u) activates u, 0 when every point activates it alike. A dead unit (μ ≡ 0, so 0/0) gets 0, no
/// selectivity; with negative activations allowed, a zero denominator with μ_max ≠ 0 gives NaN.
public struct UnitMemLayer: Codable, Sendable {
    public var name: String
    public var order: Int
    public var unitsAxis: Int
    /// |P|.
    public var points: Int
    public var units: [Double]
    /// x*(u) as a dataset index.
    public var argmaxIndex: [Int64]
    public var muMax: [Double]
    public var muRest: [Double]

    /// Summary over the units with a finite UnitMem.
    public var summary: UnitMemSummary { UnitMemSummary(units) }

    /// The `count` units with the highest UnitMem (ties to the lower unit), as positions.
    public func mostMemorizing(_ count: Int) -> [Int] {
        Array(
            Ranking.highestFirst(units.indices.filter { units[$0].isFinite }, value: { units[$0] }, key: { $0 })
                .prefix(count))
    }
}

/// Mean, quartiles (linear interpolation between order statistics, numpy's default) and the share of
/// units above 0.5, over the finite UnitMem values of a layer.
public struct UnitMemSummary: Codable, Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var min: Double
    public var q25: Double
    public var median: Double
    public var q75: Double
    public var max: Double
    /// Share of units with UnitMem > 0.5.
    public var aboveHalf: Double

    public init(_ values: [Double]) {
        let v = values.filter(\.isFinite).sorted()
        count = v.count
        func quantile(_ q: Double) -> Double {
            guard !v.isEmpty else { return .nan }
            let h = q * Double(v.count - 1)
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, v.count - 1)
            return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
        }
        mean = v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
        min = v.first ?? .nan
        max = v.last ?? .nan
        q25 = quantile(0.25)
        median = quantile(0.5)
        q75 = quantile(0.75)
        aboveHalf = v.isEmpty ? .nan : Double(v.filter { $0 > 0.5 }.count) / Double(v.count)
    }
}

public enum UnitMem {
    /// UnitMem of every unit of the chosen layers (all when `layers` is empty) of one representations file,
    /// over the points of `subsets`. Negative μ(x, u) is an error naming the file, layer, unit and point
    /// unless `allowNegative`.
    public static func analyze(
        file path: String, layers names: [String] = [], subsets: Set<Subset> = [.shared, .candidate],
        rest: RestStatistic = .mean, allowNegative: Bool = false, workers: Int = FileAlignment.defaultWorkers
    ) throws -> [UnitMemLayer] {
        let file = try RepresentationsFile(path: path)
        let layers = try LayerGroup.select(try LayerGroup.layers(of: file), names: names)
        let order = PointTable.order(file.index)
        let kept = order.filter { subsets.contains(file.subset[$0]) }
        guard kept.count >= 2 else {
            throw SSLMemError(
                file: path, dataset: "/points/subset",
                "\(kept.count) point(s) in \(subsets.sorted().map(\.description).joined(separator: ", ")); "
                    + "UnitMem compares the most activating point with the rest and needs at least two")
        }
        let allMeans = try UnitActivations.means(of: layers, keys: file.index, workers: workers)
        return try zip(layers, allMeans).map { layer, means in
            let units = layer.unitCount
            var result = UnitMemLayer(
                name: layer.name, order: layer.order, unitsAxis: layer.unitsAxis,
                points: kept.count, units: [], argmaxIndex: [], muMax: [], muRest: [])
            var column = [Double](repeating: 0, count: kept.count)
            for u in 0..<units {
                for (position, row) in kept.enumerated() {
                    let value = means[row * units + u]
                    if value < 0 && !allowNegative {
                        throw SSLMemError(
                            file: path, dataset: layer.representations.path, point: file.index[row],
                            "unit \(u) of layer \(layer.name) has mean activation \(value) < 0; UnitMem "
                                + "is defined for non-negative activations (allow negative activations to "
                                + "compute it anyway)")
                    }
                    column[position] = value
                }
                var best = 0
                for position in 1..<column.count where column[position] > column[best] { best = position }
                var others = column
                others.remove(at: best)
                let top = column[best]
                let restValue: Double
                switch rest {
                case .mean:
                    restValue = others.reduce(0, +) / Double(others.count)
                case .median:
                    others.sort()
                    let middle = others.count / 2
                    restValue = others.count % 2 == 1 ? others[middle] : (others[middle - 1] + others[middle]) / 2
                }
                let denominator = top + restValue
                result.units.append(denominator == 0 ? (top == 0 ? 0 : .nan) : (top - restValue) / denominator)
                result.argmaxIndex.append(file.index[kept[best]])
                result.muMax.append(top)
                result.muRest.append(restValue)
            }
            return result
        }
    }
}
