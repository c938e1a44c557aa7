import SSLMemCore
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// What a run's per-layer numbers support (Wang, Dziedzic, Backes, Boenisch, NeurIPS 2024), as sentences a
/// report prints and summary.json records, each resting on an interval or a test:
///
/// - Where LayerMem is highest: a layer is named alone only when its bootstrap interval (`LayerIntervals`) lies
///   above every other layer's; otherwise the layers whose intervals overlap the highest one's are named
///   together as not distinguishable at this number of candidates.
/// - The largest increase: named only when its ΔLayerMem interval excludes 0 and lies above every other layer's.
/// - Memorization against the control: per layer, the candidates' m(x) against the extra points' (one-sided
///   Welch, scale-free), with the bootstrap interval of LayerMem − control; where no layer shows it, "no
///   detectable excess at n = |C| candidates and |E| extra points" — a statement about what this sample can
///   detect, never "no layer memorizes".
/// - The trend with depth: Kendall's τ-b of LayerMem against `order`, inconclusive unless p < 0.05 (and with
///   fewer than 3 layers).
public struct LayerFindings: Codable, Sendable, Equatable {
    public var sentences: [String]
    /// Layers with an excess over the control (one-sided Welch p < 0.05 and an interval of LayerMem − control
    /// above 0).
    public var excessAt: [String]

    public init(_ analysis: LayerMemAnalysis, intervals: LayerIntervals) {
        let layers = analysis.layers
        var sentences: [String] = []
        let level = "\(Int((intervals.level * 100).rounded()))%"
        func ci(_ v: [Double]) -> String { "[\(NumberFormat.fixed(v[0])), \(NumberFormat.fixed(v[1]))]" }
        let ranked = Ranking.highestFirst(layers.map(\.layerMem))
        if let top = ranked.first {
            let tied = ranked.filter { $0 != top && intervals.overlap(top, $0) }
            let named =
                "\(layers[top].name) (\(NumberFormat.fixed(layers[top].layerMem)) \(ci(intervals.layers[top].layerMemCI)))"
            if tied.isEmpty {
                sentences.append(
                    layers.count > 1
                        ? "LayerMem is highest at \(named); its \(level) bootstrap interval lies above every other layer's."
                        : "LayerMem of \(named).")
            } else {
                let others = tied.map {
                    "\(layers[$0].name) (\(NumberFormat.fixed(layers[$0].layerMem)) \(ci(intervals.layers[$0].layerMemCI)))"
                }
                sentences.append(
                    "LayerMem is highest at \(named), but the \(level) bootstrap intervals of "
                        + others.joined(separator: ", ") + " overlap it: these layers cannot be ranked at n = "
                        + "\(analysis.candidates.count) candidates.")
            }
        }
        if layers.count > 1 {
            let byDelta = Ranking.highestFirst(layers.indices.dropFirst(), value: { layers[$0].delta }, key: { $0 })
            let jump = byDelta[0]
            let d = intervals.layers[jump].deltaCI
            let clear = d[0] > 0 && byDelta.dropFirst().allSatisfy { intervals.layers[$0].deltaCI[1] < d[0] }
            if clear {
                sentences.append(
                    "The largest increase is at \(layers[jump].name) (ΔLayerMem "
                        + "\(NumberFormat.fixed(layers[jump].delta)) \(ci(d))).")
            } else {
                sentences.append(
                    "No single layer's increase stands out: the largest ΔLayerMem, at \(layers[jump].name) "
                        + "(\(NumberFormat.fixed(layers[jump].delta)) \(ci(d))), "
                        + (d[0] <= 0
                            ? "has an interval that includes 0." : "has an interval overlapping another layer's."))
            }
        }
        var excessAt: [String] = []
        if analysis.mExtra.allSatisfy({ $0.count >= 2 }) {
            let tests = layers.indices.map {
                TTest.twoSample(analysis.m[$0], analysis.mExtra[$0], variant: .welch, alternative: .greater)
            }
            excessAt = layers.indices.filter {
                tests[$0].pValue < 0.05 && intervals.layers[$0].excessCI[0] > 0
            }.map { layers[$0].name }
            let detail = layers.indices.map {
                "\(layers[$0].name) LayerMem − control \(NumberFormat.fixed(intervals.layers[$0].excess)) "
                    + "\(ci(intervals.layers[$0].excessCI)), p = \(NumberFormat.pValue(tests[$0].pValue))"
            }.joined(separator: "; ")
            let n = "n = \(analysis.candidates.count) candidates and \(analysis.extra.count) extra points"
            if excessAt.isEmpty {
                sentences.append(
                    "No detectable excess of the candidates' m(x) over the extra points', which neither "
                        + "encoder saw, at \(n) (one-sided Welch and \(level) bootstrap intervals: \(detail)): at this n the "
                        + "profile cannot be told apart from how f and g differ layer by layer; it does not show that no "
                        + "layer memorizes.")
            } else {
                sentences.append(
                    "The candidates' m(x) exceed those of the extra points, which neither encoder saw, at "
                        + excessAt.joined(separator: ", ")
                        + " (\(n); one-sided Welch and \(level) bootstrap intervals: "
                        + "\(detail)).")
            }
        } else {
            sentences.append(
                "Without at least two extra points there is no control: LayerMem alone cannot separate "
                    + "memorization of the candidates from how f and g differ at each layer.")
        }
        if layers.count >= 3 {
            let k = KendallTau.tauB(layers.map { Double($0.order) }, layers.map(\.layerMem))
            let trend =
                "Kendall's τ-b of LayerMem against depth is \(NumberFormat.fixed(k.tau, 2)) "
                + "(p = \(NumberFormat.pValue(k.pValue)), a single test, not adjusted; \(layers.count) layers)"
            let monotone = layers.dropFirst().allSatisfy { $0.delta > 0 }
            // The smallest two-sided exact p of τ over k layers without ties, 2/k!.
            let floor = min(1, 2 / (1...layers.count).reduce(1.0) { $0 * Double($1) })
            if k.pValue < 0.05 {
                sentences.append(
                    "Memorization \(k.tau > 0 ? "rises" : "falls") with depth: \(trend)"
                        + (monotone ? ", and LayerMem grows at every layer." : "."))
            } else {
                sentences.append(
                    "Whether memorization rises with depth is inconclusive: \(trend)"
                        + (floor >= 0.05
                            ? "; with \(layers.count) layers Kendall's exact test cannot go below p = "
                                + "\(NumberFormat.pValue(floor)), so it can never reach 0.05" : ", p ≥ 0.05")
                        + (monotone ? ", although LayerMem grows at every layer." : "."))
            }
        } else {
            sentences.append("Whether memorization rises with depth is inconclusive with \(layers.count) layer(s).")
        }
        self.sentences = sentences
        self.excessAt = excessAt
    }

    /// The sentences as one paragraph.
    public var text: String { sentences.joined(separator: " ") }
}
