import Dispatch
import SSLMemCore
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// Whether the layers memorize the same candidates (the layer-consistency analysis of Wang et al.,
/// NeurIPS 2024): for every pair of layers a < b (in `order`), Kendall's τ-b between their m(x) over all
/// candidates, and for each X the top-X overlap of m(x) with τ-b over the common points (`TopOverlap`:
/// ties at the cut to the lower index; SSLMem's Table 12 construction). Sizes X above |C| are skipped.
public struct LayerConsistency: Codable, Sendable {
    public struct Top: Codable, Sendable, Equatable {
        public var x: Int
        /// |topₓ(a) ∩ topₓ(b)| / X.
        public var overlap: Double
        /// τ-b over the common points (NaN when fewer than 2 or all tied).
        public var tau: Double
        public var pValue: Double
    }

    public struct Pair: Codable, Sendable, Equatable {
        public var a: String
        public var b: String
        /// τ-b of m(x) between layers a and b over the candidates, two-sided p as scipy.stats.kendalltau.
        public var tau: Double
        public var pValue: Double
        public var n: Int
        public var top: [Top]
    }

    public var names: [String]
    public var pairs: [Pair]
    /// The sizes X that were asked for but exceed |C|.
    public var skipped: [Int]

    public init(_ analysis: LayerMemAnalysis, tops: [Int]) {
        names = analysis.layers.map(\.name)
        let n = analysis.candidates.count
        skipped = tops.filter { $0 > n }
        // The pairs i < j in order, computed on every core (each pair's values do not depend on the others).
        let indices = analysis.layers.indices.flatMap { i in analysis.layers.indices.filter { $0 > i }.map { (i, $0) } }
        let names = names
        var computed = [Pair?](repeating: nil, count: indices.count)
        computed.withUnsafeMutableBufferPointer { buffer in
            let output = ParallelBuffer(buffer)  // each pair writes its own slot
            DispatchQueue.concurrentPerform(iterations: indices.count) { p in
                let (i, j) = indices[p]
                let a = analysis.m[i]
                let b = analysis.m[j]
                let k = KendallTau.tauB(a, b)
                let top = TopOverlap.sizes(a, b, tops: tops.filter { $0 <= n }).map { t in
                    Top(x: t.x, overlap: t.overlap, tau: t.kendall.tau, pValue: t.kendall.pValue)
                }
                output[p] = Pair(a: names[i], b: names[j], tau: k.tau, pValue: k.pValue, n: n, top: top)
            }
        }
        pairs = computed.map { $0! }
    }

    /// τ-b between layers i and j (1 on the diagonal, symmetric).
    public func tau(_ i: Int, _ j: Int) -> Double {
        if i == j { return 1 }
        let (a, b) = (names[min(i, j)], names[max(i, j)])
        return pairs.first { $0.a == a && $0.b == b }?.tau ?? .nan
    }
}

extension LayerConsistency.Pair {
    var json: JSONValue {
        .object([
            ("a", .string(a)), ("b", .string(b)), ("tau", .number(tau)), ("pvalue", .number(pValue)),
            ("n", .integer(n)),
            (
                "top",
                .array(
                    top.map {
                        .object([
                            ("x", .integer($0.x)), ("overlap", .number($0.overlap)), ("tau", .number($0.tau)),
                            ("pvalue", .number($0.pValue))
                        ])
                    })
            )
        ])
    }
}

/// `sslmem layers --json`: {"layers": [{name, order, layermem, delta, n}], "pairs": [{a, b, tau, pvalue, n,
/// top: [{x, overlap, tau, pvalue}]}], "extremes": {"count", "top": [per layer], "least": [per layer]},
/// "control": [per layer: mean m/range_C over the extra points], "pairing", "distance"}, then with
/// `intervals` "intervals": {resamples, seed, level, candidates, extra, layers: [{name, layermem, layermem_ci,
/// delta, delta_ci, excess, excess_ci}]} (`LayerIntervals`) and with `findings` "findings": [sentences]
/// (`LayerFindings`). `sslmem layers --json` and a report's summary.json "layers" write the same members
/// for the same files and conventions.
public func layersJSON(
    _ analysis: LayerMemAnalysis, _ consistency: LayerConsistency,
    intervals: LayerIntervals? = nil, findings: LayerFindings? = nil
) -> JSONValue {
    var members: [(String, JSONValue)] = [
        (
            "layers",
            .array(
                analysis.layers.map {
                    .object([
                        ("name", .string($0.name)), ("order", .integer($0.order)), ("layermem", .number($0.layerMem)),
                        ("delta", .number($0.delta)), ("n", .integer($0.n))
                    ])
                })
        ),
        ("pairs", .array(consistency.pairs.map(\.json))),
        (
            "extremes",
            .object([
                ("count", .integer(analysis.extremes)),
                ("top", .array(analysis.layers.map { .number($0.top) })),
                ("least", .array(analysis.layers.map { .number($0.least) }))
            ])
        ),
        ("control", .array(analysis.layers.map { .number($0.control) })),
        ("pairing", .string(analysis.pairing)), ("distance", .string(analysis.distance))
    ]
    if let intervals, let value = try? JSONValueEncoder.encode(intervals) { members.append(("intervals", value)) }
    if let findings { members.append(("findings", .array(findings.sentences.map { .string($0) }))) }
    return .object(members)
}

/// `sslmem units --json`: {"layers": [{name, units, argmax_index}], "summary": [{name, order, points, mean,
/// q25, median, q75, above_half}], and with g: "g" and "g_summary" alike, and "baseline": [{layer, points,
/// units, baseline, share_above, expected_share, f_mean, g_mean}] (`UnitMemBaseline`)}.
public func unitsJSON(f: [UnitMemLayer], g: [UnitMemLayer]?) -> JSONValue {
    func layers(_ list: [UnitMemLayer]) -> JSONValue {
        .array(
            list.map {
                .object([
                    ("name", .string($0.name)), ("units", .array($0.units.map { .number($0) })),
                    ("argmax_index", .array($0.argmaxIndex.map { .integer(Int($0)) }))
                ])
            })
    }
    func summaries(_ list: [UnitMemLayer]) -> JSONValue {
        .array(
            list.map { layer in
                let s = layer.summary
                return .object([
                    ("name", .string(layer.name)), ("order", .integer(layer.order)),
                    ("points", .integer(layer.points)), ("mean", .number(s.mean)), ("q25", .number(s.q25)),
                    ("median", .number(s.median)), ("q75", .number(s.q75)),
                    ("above_half", .number(s.aboveHalf))
                ])
            })
    }
    var members: [(String, JSONValue)] = [("layers", layers(f)), ("summary", summaries(f))]
    if let g {
        members += [("g", layers(g)), ("g_summary", summaries(g))]
        if let value = try? JSONValueEncoder.encode(UnitMemBaseline.compare(f: f, g: g)) {
            members.append(("baseline", value))
        }
    }
    return .object(members)
}
