import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

/// The comparison report's LayerMem profiles: for runs given as report folders whose summary.json has a
/// "layers" section (`LayerSection.json`), LayerMem and ΔLayerMem per layer side by side.
struct LayerComparison {
    var runs: [String]
    /// Layer names in depth order (by `order`, first run first for layers with equal order).
    var layers: [String]
    /// layerMem[layer][run], delta[layer][run]; NaN where the run lacks the layer.
    var layerMem: [[Double]]
    var delta: [[Double]]
    var figure: PaperFigure

    /// nil unless at least one run has a LayerMem profile.
    static func of(_ sources: [RunSource], width: FigureWidth = .double) -> LayerComparison? {
        var runs: [String] = []
        var profiles: [[(name: String, order: Int, layerMem: Double, delta: Double)]] = []
        for source in sources {
            guard let layers = source.summary?.layers?["layers"]?.arrayValue else { continue }
            runs.append(source.name)
            profiles.append(
                layers.compactMap { l in
                    guard let name = l["name"]?.stringValue, let order = l["order"]?.intValue else { return nil }
                    return (name, order, l["layermem"]?.doubleValue ?? .nan, l["delta"]?.doubleValue ?? .nan)
                })
        }
        guard !runs.isEmpty else { return nil }
        var names: [(String, Int)] = []
        for profile in profiles {
            for l in profile where !names.contains(where: { $0.0 == l.name }) { names.append((l.name, l.order)) }
        }
        let layers = names.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(
            \.element.0)
        func table(_ value: (Double, Double) -> Double) -> [[Double]] {
            layers.map { name in
                profiles.map { p in p.first { $0.name == name }.map { value($0.layerMem, $0.delta) } ?? .nan }
            }
        }
        let layerMem = table { m, _ in m }
        let delta = table { _, d in d }
        return LayerComparison(
            runs: runs, layers: layers, layerMem: layerMem, delta: delta,
            figure: .layerMemComparison(layers: layers, runs: runs, values: layerMem, width: width))
    }

    var columns: [ReportTable.Column] {
        [.text("layer")] + runs.map { .numeric("\($0) LayerMem") } + runs.map { .numeric("\($0) ΔLayerMem") }
    }

    var rows: [[String]] {
        layers.indices.map { l in
            [layers[l]] + layerMem[l].map { $0.isNaN ? "—" : NumberFormat.fixed($0) }
                + delta[l].map { $0.isNaN ? "—" : NumberFormat.fixed($0) }
        }
    }

    /// The layer with the highest LayerMem in each run.
    var sentence: String {
        runs.indices.map { r in
            let best = layers.indices.filter { !layerMem[$0][r].isNaN }.max { layerMem[$0][r] < layerMem[$1][r] }
            return best.map { "\(runs[r]): \(layers[$0]) (\(NumberFormat.fixed(layerMem[$0][r])))" } ?? "\(runs[r]): —"
        }.joined(separator: "; ")
    }
}
