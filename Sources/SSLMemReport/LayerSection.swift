import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemStats

/// A run report's "Where is it memorized?" section, when the dumps carry `/layers`: LayerMem and
/// ΔLayerMem per layer, the top/least candidates, layer consistency and UnitMem of f's units (Wang,
/// Dziedzic, Backes, Boenisch, NeurIPS 2024), with a findings sentence computed from those numbers.
public struct LayerSection {
    public let analysis: LayerMemAnalysis
    public let consistency: LayerConsistency
    /// UnitMem of the first f file's layers over its training points (shared, candidate), or nil with `unitNote`.
    public let units: [UnitMemLayer]?
    public let unitNote: String?
    public let figures: [PaperFigure]

    /// The section for the run's files, or nil when the first f file has no `/layers` group.
    static func of(f: [String], g: [String], scores: ScoresTable, options: AlignmentOptions,
                   width: FigureWidth) throws -> LayerSection? {
        guard let first = f.first, LayerGroup.present(in: try RepresentationsFile(path: first)) else { return nil }
        // Top and least sets of at most a quarter of the candidates each, so that they never overlap or equal all
        // of them (16 candidates: 4 each, not "top 16" and "least 16" = all 16).
        let candidates = scores.scores(of: .candidate).count
        let analysis = try LayerMem.analyze(f: f, g: g, options: options, extremes: min(50, max(1, candidates / 4)))
        let consistency = LayerConsistency(analysis, tops: [10, 50, 100])
        // UnitMem layer by layer: a layer with negative unit means (a linear head, say) is left out with
        // its reason, and the others keep theirs.
        var computed: [UnitMemLayer] = [], skipped: [String] = []
        for layer in analysis.layers {
            do {
                computed += try UnitMem.analyze(file: first, layers: [layer.name])
            } catch let error as SSLMemError {
                skipped.append("\(layer.name): " + Self.reason(error))
            }
        }
        let units: [UnitMemLayer]? = computed.isEmpty ? nil : computed
        let note: String? = skipped.isEmpty ? nil : "UnitMem not computed for " + skipped.joined(separator: "; ") + "."
        var figures: [PaperFigure] = [.layerMemProfile(analysis, width: width), .layerMemExtremes(analysis, width: width)]
        if analysis.layers.count >= 2 { figures.append(.layerKendallHeatmap(consistency, width: width)) }
        if let units {
            figures += [.unitMemHistogram(units, width: width), .unitMemScatter(units, scores: scores, width: width)]
        }
        return LayerSection(analysis: analysis, consistency: consistency, units: units, unitNote: note,
                            figures: figures)
    }

    /// Why UnitMem was not computed for a layer, in words: no raw error text (issue 26), the dataset named
    /// with its file's name and the value rounded.
    static func reason(_ error: SSLMemError) -> String {
        let message = error.message
        let file = error.file.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        let place = [error.dataset.map { "dataset \($0)" }, file.map { "of \($0)" }].compactMap { $0 }.joined(separator: " ")
        let words = message.split(separator: " ")
        if let i = words.firstIndex(of: "activation"), i + 2 < words.count, words[i + 2] == "<",
           let value = Double(words[i + 1]) {
            return "its units take negative mean activations (down to \(NumberFormat.fixed(value)) at point "
                + "\(error.point.map(String.init) ?? "?"), \(place)), and UnitMem, (μ_max − μ_rest)/(μ_max + μ_rest), is "
                + "defined for non-negative activations such as a ReLU's; a linear head has negative ones"
        }
        return message + (place.isEmpty ? "" : " (\(place))")
    }

    var columns: [ReportTable.Column] {
        [.text("layer"), .numeric("order"), .numeric("LayerMem"), .numeric("ΔLayerMem"), .numeric("S_E control"),
         .numeric("n"), .numeric("top \(analysis.extremes)"), .numeric("least \(analysis.extremes)")]
    }

    var rows: [[String]] {
        analysis.layers.map { l in
            [l.name, String(l.order), NumberFormat.fixed(l.layerMem), NumberFormat.fixed(l.delta),
             NumberFormat.fixed(l.control), String(l.n), NumberFormat.fixed(l.top), NumberFormat.fixed(l.least)]
        }
    }

    static let unitColumns: [ReportTable.Column] = [.text("layer"), .numeric("units"), .numeric("mean UnitMem"),
                                                    .numeric("UnitMem > 0.5")]

    /// UnitMem per layer of f, for the layers it was computed on.
    var unitRows: [[String]] {
        (units ?? []).map { u in
            [u.name, String(u.units.count), NumberFormat.fixed(u.summary.mean), NumberFormat.percent(u.summary.aboveHalf)]
        }
    }

    static let pairColumns: [ReportTable.Column] = [.text("layer a"), .text("layer b"), .numeric("τ-b of m(x)"), .numeric("p"),
                                                    .numeric("top-10 overlap"), .numeric("top-50 overlap")]

    var pairRows: [[String]] {
        consistency.pairs.map { p in
            func overlap(_ x: Int) -> String {
                p.top.first { $0.x == x }.map { NumberFormat.percent($0.overlap) } ?? "—"
            }
            return [p.a, p.b, NumberFormat.fixed(p.tau, 3), NumberFormat.pValue(p.pValue), overlap(10), overlap(50)]
        }
    }

    var introduction: String {
        "Where in the encoder the memorization happens (Wang, Dziedzic, Backes, Boenisch, NeurIPS 2024), from the "
            + "per-layer dumps. For each layer, m(x) = a_g(x) − a_f(x) is a candidate's alignment loss on g minus on f "
            + "computed on that layer's outputs (pairing \(analysis.pairing), distance \(analysis.distance)); "
            + "LayerMem is its mean over the \(analysis.candidates.count) candidates after dividing by its range over "
            + "them, ΔLayerMem its increase over the previous layer. S_E control (not in the paper): the same "
            + "normalized difference averaged over the extra points, which neither encoder trained on — LayerMem near "
            + "it reflects how f and g differ at that layer, not memorization. Top/least: the same mean over the "
            + "\(analysis.extremes) candidates with the highest/lowest SSLMem score. UnitMem(u) = (μ_max − μ_rest)/"
            + "(μ_max + μ_rest) compares a unit's mean activation on its most activating training point with the mean "
            + "over the other shared and candidate points (encoder f); 1 means one point alone drives the unit."
    }

    /// Which layers memorize most and whether LayerMem rises with depth, from the numbers: Kendall's τ-b of
    /// LayerMem against `order` (exact p without ties); "inconclusive" unless p < 0.05.
    var findings: String {
        let layers = analysis.layers
        let ranked = layers.indices.sorted { layers[$0].layerMem > layers[$1].layerMem }
        var text = "\(layers[ranked[0]].name) has the highest LayerMem (\(NumberFormat.fixed(layers[ranked[0]].layerMem)))"
        if ranked.count > 1 {
            text += ", then \(layers[ranked[1]].name) (\(NumberFormat.fixed(layers[ranked[1]].layerMem)))"
        }
        if layers.count > 1 {
            let jump = layers.indices.dropFirst().max { layers[$0].delta < layers[$1].delta }!
            text += "; the largest increase is at \(layers[jump].name) (ΔLayerMem \(NumberFormat.fixed(layers[jump].delta)))"
        }
        text += ". "
        // Control: are the candidates' m(x) above those of the extra points (one-sided Welch per layer, Holm over
        // the layers)?
        if analysis.mExtra.allSatisfy({ $0.count >= 2 }) {
            let tests = layers.indices.map {
                TTest.twoSample(analysis.m[$0], analysis.mExtra[$0], variant: .welch, alternative: .greater)
            }
            let holm = PValueAdjustment.holm(tests.map(\.pValue))
            let above = layers.indices.filter { holm[$0] < 0.05 }.map { layers[$0].name }
            let detail = layers.indices.map { "\(layers[$0].name) \(NumberFormat.pValue(holm[$0]))" }
                .joined(separator: ", ")
            let how = "one-sided Welch per layer, Holm p over the \(layers.count) layers: \(detail)"
            if above.isEmpty {
                text += "H₁: the candidates' m(x) exceed those of the extra points, which no encoder saw — not "
                    + "supported at any layer (\(how)): the profile may reflect how f and g differ layer by layer "
                    + "rather than memorization of the candidates. "
            } else {
                text += "H₁: the candidates' m(x) exceed those of the extra points, which no encoder saw — supported "
                    + "at \(above.joined(separator: ", ")) (\(how)). "
            }
        }
        guard layers.count >= 3 else {
            return text + "Whether memorization rises with depth is inconclusive with \(layers.count) layer(s)."
        }
        let monotone = layers.dropFirst().allSatisfy { $0.delta > 0 }
        let k = KendallTau.tauB(layers.map { Double($0.order) }, layers.map(\.layerMem))
        let trend = "Kendall's τ-b of LayerMem against depth \(NumberFormat.fixed(k.tau, 2)), "
            + "p = \(NumberFormat.pValue(k.pValue)) over \(layers.count) layers"
        if k.pValue < 0.05 {
            return text + "H₁: memorization \(k.tau > 0 ? "rises" : "falls") with depth — supported (\(trend))"
                + (monotone ? ", and LayerMem grows at every layer." : ".")
        }
        return text + "H₁: memorization changes with depth — inconclusive (\(trend)): no detectable trend"
            + (monotone ? ", although LayerMem grows at every layer." : ".")
    }

    var blocks: [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading("Where is it memorized?", id: "layers"), .paragraph(introduction),
            .table(ReportTable(columns, rows, export: .init(
                "layers", caption: "LayerMem and ΔLayerMem per layer, the extra points' control and the top and least "
                    + "memorized candidates' LayerMem."), size: .small)),
            .paragraph(findings, .note),
        ]
        if !unitRows.isEmpty {
            blocks.append(.table(ReportTable(Self.unitColumns, unitRows, export: .init(
                "unitmem", caption: "UnitMem of f's units per layer: mean, and the share of units above 0.5."))))
        }
        if let unitNote { blocks.append(.paragraph(unitNote, .note)) }
        if !pairRows.isEmpty {
            blocks.append(.table(ReportTable(Self.pairColumns, pairRows, export: .init(
                "layer_pairs", caption: "Layer consistency: Kendall's τ-b of m(x) and top-X overlap between layers."))))
        }
        return blocks + figures.map { .figure($0) }
    }

    /// summary.json's "layers": `sslmem layers --json` plus the findings and the UnitMem summaries.
    var json: JSONValue {
        guard case .object(var members) = layersJSON(analysis, consistency) else { return .null }
        members.append(("findings", .string(findings)))
        if let units, case .object(let u) = unitsJSON(f: units, g: nil) {
            members.append(("units", .object(u.filter { $0.0 == "summary" })))
        }
        return .object(members)
    }
}
