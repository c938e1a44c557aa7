import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// LayerMem and ΔLayerMem of one layer (Wang, Dziedzic, Backes, Boenisch, "Localizing Memorization in
/// SSL Vision Encoders", NeurIPS 2024, Sec. 3.1, over dumped activations).
public struct LayerProfile: Codable, Sendable, Equatable {
    public var name: String
    public var order: Int
    /// LayerMem_l = mean over the candidates C of m̃(x).
    public var layerMem: Double
    /// ΔLayerMem_l = LayerMem_l − LayerMem_{l−1} (previous layer in `order`); the first layer's is its LayerMem.
    public var delta: Double
    /// |C|.
    public var n: Int
    /// Mean of m̃(x) over the `extremes` candidates with the highest final SSLMem score.
    public var top: Double
    /// Mean of m̃(x) over the `extremes` candidates with the lowest final SSLMem score.
    public var least: Double
    /// Control (not in the paper): the same m(x) / (max_C m − min_C m) averaged over the extra points S_E,
    /// on which neither encoder trained; NaN without extra points. LayerMem well above it points to
    /// memorization of the candidates, LayerMem near it to a plain difference between the encoders.
    public var control: Double
}

/// The per-layer memorization of one run (f and g files), with the per-point
/// values it comes from.
///
/// For each layer l and encoder M ∈ {f, g}, a_M(x) is x's alignment loss on
/// that layer's flattened outputs (`LayerAlignment`: u(v) = v/‖v‖₂, pairing
/// `original` = mean over k of d(u(o), u(vₖ)) as the authors' released code,
/// `all-pairs` = mean over i < j of d(u(vᵢ), u(vⱼ)), the paper's Eq. 1;
/// d = ‖·‖₂ or 1 − cos), averaged over all files of that role like
/// `sslmem score`. Then m(x) = a_g(x) − a_f(x) for x ∈ C (the candidates),
/// m̃(x) = m(x) / (max_C m − min_C m) (normalized over C, per layer), and
/// LayerMem_l = mean_C m̃(x); ΔLayerMem_l = LayerMem_l − LayerMem_{l−1}.
///
/// `top`/`least`: the candidates ranked by the final SSLMem score (`/views`,
/// same pairing and distance, range-normalized over `rangeOver`, which does not
/// change the order; ties to the lower index, `Ranking`), the first and last `extremes` of them (all when |C| is
/// smaller), and the mean of m̃ over them (m̃ still normalized over all of C).
public struct LayerMemAnalysis: Codable, Sendable {
    public var pairing: String
    public var distance: String
    public var fFiles: [String]
    public var gFiles: [String]
    /// The layers in `order`.
    public var layers: [LayerProfile]
    /// Dataset indices of the candidates, ascending: the order of `m` and `score`.
    public var candidates: [Int64]
    /// m(x) per layer (in `layers` order) over `candidates`.
    public var m: [[Double]]
    /// The final SSLMem score of each candidate.
    public var score: [Double]
    /// Dataset indices of the extra points S_E, ascending, and m(x) per layer over them (the control).
    public var extra: [Int64]
    public var mExtra: [[Double]]
    /// The number of candidates in each of the top and least sets.
    public var extremes: Int
    /// Dataset indices of the top and least sets, in rank order.
    public var topIndex: [Int64]
    public var leastIndex: [Int64]
}

public enum LayerMem {
    /// The size of the top and least sets when none is given: a quarter of the candidates, at least 1 and at most
    /// 50, so that the two sets never overlap or hold all of them (16 candidates: 4 each, not 16 and 16).
    public static func defaultExtremes(candidates: Int) -> Int { min(50, max(1, candidates / 4)) }

    /// LayerMem of every layer of the `f` and `g` files (see `LayerMemAnalysis`); `extremes` nil: `defaultExtremes`.
    public static func analyze(
        f: [String], g: [String], options: AlignmentOptions = AlignmentOptions(),
        extremes: Int? = 50, rangeOver scope: RangeScope = .candidate, workers: Int = FileAlignment.defaultWorkers
    ) throws -> LayerMemAnalysis {
        guard !f.isEmpty, !g.isEmpty else { throw SSLMemError("give at least one --f file and one --g file") }
        guard (extremes ?? 1) >= 1 else { throw SSLMemError("the top/least sets need at least 1 candidate") }
        var points: PointTable?
        var reference = ""
        var referenceLayers: [Layer] = []
        // Every layer of every file, f files first, then every file's /views for the final SSLMem score, as one
        // loop over all their blocks (no worker waits at the end of a dataset); the sums then add the files in
        // the order given, as one file after another would.
        var streams: [FileAlignment.Stream] = []
        var opened: [(file: RepresentationsFile, layers: [Layer])] = []
        for (path, role) in f.map({ ($0, EncoderRole.f) }) + g.map({ ($0, EncoderRole.g) }) {
            let file = try RepresentationsFile(path: path)
            try file.checkRole(role)
            try Memorization.checkPoints(of: file, matches: opened.first?.file)
            let layers = try LayerGroup.layers(of: file)
            if points == nil {
                points = PointTable(file)
                reference = path
                referenceLayers = layers
            } else {
                try LayerGroup.check(layers, matches: referenceLayers)
            }
            opened.append((file, layers))
            for layer in layers {
                streams.append(try LayerAlignment.stream(of: layer, keys: file.index, options: options))
            }
        }
        let layerStreams = streams.count
        for (file, _) in opened { streams.append(try Memorization.stream(of: file, options: options)) }
        let values = try FileAlignment.alignments(of: streams, options: options, workers: workers)
        var layerValues = values.prefix(layerStreams)
        func meanAlignments(_ files: ArraySlice<(file: RepresentationsFile, layers: [Layer])>) throws
            -> [String: [Double]]
        {
            var sum: [String: [Double]] = [:]
            for (file, layers) in files {
                for layer in layers {
                    let arranged = try points!.arrange(layerValues.removeFirst(), of: file, reference: reference)
                    sum[layer.name] = sum[layer.name].map { zip($0, arranged).map { $0 + $1 } } ?? arranged
                }
            }
            return sum.mapValues { $0.map { $0 / Double(files.count) } }
        }
        let alignF = try meanAlignments(opened.prefix(f.count))
        let alignG = try meanAlignments(opened.suffix(g.count))
        let table = points!
        let candidateRows = table.index.indices.filter { table.subset[$0] == .candidate }
        let extraRows = table.index.indices.filter { table.subset[$0] == .extra }
        guard candidateRows.count >= 2 else {
            throw SSLMemError(
                file: reference, dataset: "/points/subset",
                "\(candidateRows.count) candidate point(s); LayerMem normalizes m(x) over the "
                    + "candidates and needs at least two")
        }
        let scores = try Memorization.table(
            f: opened.prefix(f.count).map(\.file), g: opened.suffix(g.count).map(\.file),
            alignments: Array(values.suffix(opened.count)), options: options, shard: nil
        ).scores(.range, rangeOver: scope)
        guard scores.index == table.index else {
            throw SSLMemError(
                file: reference, dataset: "/points/index", "the /views rows do not match the layers' rows")
        }
        let candidateScore = candidateRows.map { scores.score[$0] }
        let e = min(extremes ?? defaultExtremes(candidates: candidateRows.count), candidateRows.count)
        let positions = Array(candidateRows.indices)
        let topPositions = Array(Ranking.highestFirst(positions, value: { candidateScore[$0] }, key: { $0 }).prefix(e))
        let leastPositions = Array(Ranking.lowestFirst(positions, value: { candidateScore[$0] }, key: { $0 }).prefix(e))
        var profiles: [LayerProfile] = []
        var ms: [[Double]] = []
        var extraMs: [[Double]] = []
        for layer in referenceLayers {
            let af = alignF[layer.name]!
            let ag = alignG[layer.name]!
            let m = candidateRows.map { ag[$0] - af[$0] }
            let low = m.min()!
            let high = m.max()!
            guard high > low else {
                throw SSLMemError(
                    file: reference, dataset: layer.path,
                    "m(x) = a_g(x) − a_f(x) is the same for all \(m.count) candidates in layer "
                        + "\(layer.name); LayerMem divides by its range over the candidates")
            }
            let normalized = m.map { $0 / (high - low) }
            let value = mean(normalized)
            let delta = profiles.last.map { value - $0.layerMem } ?? value
            profiles.append(
                LayerProfile(
                    name: layer.name, order: layer.order, layerMem: value, delta: delta, n: m.count,
                    top: mean(topPositions.map { normalized[$0] }), least: mean(leastPositions.map { normalized[$0] }),
                    control: extraRows.isEmpty ? .nan : mean(extraRows.map { (ag[$0] - af[$0]) / (high - low) })))
            ms.append(m)
            extraMs.append(extraRows.map { ag[$0] - af[$0] })
        }
        let candidates = candidateRows.map { table.index[$0] }
        return LayerMemAnalysis(
            pairing: options.pairing.rawValue, distance: options.distance.rawValue, fFiles: f, gFiles: g,
            layers: profiles, candidates: candidates, m: ms, score: candidateScore,
            extra: extraRows.map { table.index[$0] }, mExtra: extraMs, extremes: e,
            topIndex: topPositions.map { candidates[$0] }, leastIndex: leastPositions.map { candidates[$0] })
    }

    private static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
