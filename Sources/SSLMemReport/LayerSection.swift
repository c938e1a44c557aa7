import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemStats
import SSLMemSupport

/// A run report's "Where is it memorized?" section, when the dumps carry `/layers`: LayerMem and
/// ΔLayerMem per layer, the top/least candidates, layer consistency and UnitMem of f's units (Wang,
/// Dziedzic, Backes, Boenisch, NeurIPS 2024), with a findings sentence computed from those numbers.
public struct LayerSection {
    public let analysis: LayerMemAnalysis
    public let consistency: LayerConsistency
    /// Bootstrap intervals of LayerMem, ΔLayerMem and LayerMem − control (the conventions' resamples and seed).
    public let intervals: LayerIntervals
    /// UnitMem of the first f file's layers over its training points (shared, candidate), or nil with `unitNote`.
    public let units: [UnitMemLayer]?
    /// UnitMem of the first g file's units over the same points: the baseline (`UnitMemBaseline`).
    public let baseline: [UnitMemBaseline]
    public let unitNote: String?
    public let figures: [PaperFigure]

    public init(
        analysis: LayerMemAnalysis, consistency: LayerConsistency, units: [UnitMemLayer]?, unitNote: String?,
        figures: [PaperFigure], intervals: LayerIntervals? = nil, baseline: [UnitMemBaseline] = []
    ) {
        self.analysis = analysis
        self.consistency = consistency
        self.intervals = intervals ?? LayerIntervals(analysis)
        self.units = units
        self.baseline = baseline
        self.unitNote = unitNote
        self.figures = figures
    }

    /// The section for the run's files, or nil when the first f file has no `/layers` group.
    static func of(
        f: [String], g: [String], scores: ScoresTable, conventions: Conventions,
        width: FigureWidth
    ) throws -> LayerSection? {
        guard let first = f.first, LayerGroup.present(in: try RepresentationsFile(path: first)) else { return nil }
        // Top and least sets of a quarter of the candidates (`LayerMem.defaultExtremes`), as `sslmem layers`.
        let analysis = try LayerMem.analyze(
            f: f, g: g, options: conventions.alignment, extremes: nil,
            rangeOver: conventions.rangeOver)
        let consistency = LayerConsistency(analysis, tops: conventions.topX(fitting: analysis.candidates.count))
        // UnitMem layer by layer: a layer with negative unit means (a linear head, say) is left out with
        // its reason, and the others keep theirs.
        var computed: [UnitMemLayer] = []
        var computedG: [UnitMemLayer] = []
        var skipped: [String] = []
        for layer in analysis.layers {
            do {
                computed += try UnitMem.analyze(file: first, layers: [layer.name])
                if let g = g.first { computedG += (try? UnitMem.analyze(file: g, layers: [layer.name])) ?? [] }
            } catch let error as SSLMemError {
                skipped.append("\(layer.name): " + Self.reason(error))
            }
        }
        let units: [UnitMemLayer]? = computed.isEmpty ? nil : computed
        let note: String? = skipped.isEmpty ? nil : "UnitMem not computed for " + skipped.joined(separator: "; ") + "."
        var figures: [PaperFigure] = [
            .layerMemProfile(analysis, width: width), .layerMemExtremes(analysis, width: width)
        ]
        if analysis.layers.count >= 2 { figures.append(.layerKendallHeatmap(consistency, width: width)) }
        if let units {
            figures += [.unitMemHistogram(units, width: width), .unitMemScatter(units, scores: scores, width: width)]
        }
        return LayerSection(
            analysis: analysis, consistency: consistency, units: units, unitNote: note,
            figures: figures, intervals: LayerIntervals(analysis, conventions: conventions),
            baseline: UnitMemBaseline.compare(f: computed, g: computedG))
    }

    /// Why UnitMem was not computed for a layer, in words: no raw error text (issue 26), the dataset named
    /// with its file's name and the value rounded.
    static func reason(_ error: SSLMemError) -> String {
        let message = error.message
        let file = error.file.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        let place = [error.dataset.map { "dataset \($0)" }, file.map { "of \($0)" }].compactMap { $0 }.joined(
            separator: " ")
        let words = message.split(separator: " ")
        if let i = words.firstIndex(of: "activation"), i + 2 < words.count, words[i + 2] == "<",
            let value = Double(words[i + 1])
        {
            return "its units take negative mean activations (down to \(NumberFormat.fixed(value)) at point "
                + "\(error.point.map(String.init) ?? "?"), \(place)), and UnitMem, (μ_max − μ_rest)/(μ_max + μ_rest), is "
                + "defined for non-negative activations such as a ReLU's; a linear head has negative ones"
        }
        return message + (place.isEmpty ? "" : " (\(place))")
    }

    /// LayerMem only: the UnitMem numbers are in their own table (`unitTable`), once. The control itself, the
    /// layers' order and n are in the introduction and summary.json. The interval columns are text, so that a
    /// value and its interval may break over two lines where the page (or a 5.5 in LaTeX column) is narrow.
    var columns: [ReportTable.Column] {
        [
            .text("layer"), .text("LayerMem [95%]"), .text("ΔLayerMem [95%]"), .text("LayerMem − control [95%]"),
            .numeric("top \(analysis.extremes)"), .numeric("least \(analysis.extremes)")
        ]
    }

    var rows: [[String]] {
        analysis.layers.map { l in
            let i = intervals.layers.first { $0.name == l.name }
            func withCI(_ value: Double, _ ci: [Double]?) -> String {
                NumberFormat.fixed(value)
                    + (ci.map { " [\(NumberFormat.fixed($0[0])), \(NumberFormat.fixed($0[1]))]" } ?? "")
            }
            return [
                l.name, withCI(l.layerMem, i?.layerMemCI), withCI(l.delta, i?.deltaCI),
                withCI(i?.excess ?? .nan, i?.excessCI), NumberFormat.fixed(l.top), NumberFormat.fixed(l.least)
            ]
        }
    }

    static let unitColumns: [ReportTable.Column] = [
        .text("layer"), .numeric("units"), .numeric("mean UnitMem"),
        .numeric("UnitMem > 0.5"), .numeric("above g's q95")
    ]

    /// UnitMem per layer of f, for the layers it was computed on: units, mean, share above 0.5 and share above
    /// the 95th percentile of g's units (`UnitMemBaseline`; "—" without g's).
    var unitRows: [[String]] {
        (units ?? []).map { u in
            let b = baseline.first { $0.layer == u.name }
            return [
                u.name, String(u.units.count), NumberFormat.fixed(u.summary.mean),
                NumberFormat.percent(u.summary.aboveHalf),
                b.map { NumberFormat.percent($0.shareAbove) } ?? "—"
            ]
        }
    }

    /// The UnitMem table without the columns that say nothing row by row: all placeholders ("—", no g), or one
    /// value in every row of several (every layer with 64 units, or 0% above 0.5); a constant column is said
    /// once in `note` instead, an empty one is named there with its reason.
    var unitTable: (table: ReportTable, note: String?) {
        let full = ReportTable(
            Self.unitColumns, unitRows,
            export: .init(
                "unitmem",
                caption: "UnitMem of f's units per layer: the number of units, their mean UnitMem, the share "
                    + "above 0.5 and the share above the 95th percentile of g's units over the same points."))
        let (table, dropped) = full.withoutEmptyColumns()
        var kept = table
        var notes: [String] = []
        if !dropped.isEmpty {
            notes.append(
                "No " + dropped.joined(separator: " or ") + " column: g's units could not be scored, so there "
                    + "is no baseline.")
        }
        if kept.rows.count >= 2 {
            let constant = kept.columns.indices.dropFirst().filter { c in Set(kept.rows.map { $0[c] }).count == 1 }
            if !constant.isEmpty {
                notes.append(
                    "Every layer has the same "
                        + constant.map { c in
                            "\(kept.columns[c].title) (\(kept.rows[0][c]))"
                        }.joined(separator: " and ") + ", so "
                        + (constant.count == 1 ? "that column is" : "those columns are") + " not shown.")
                let keep = kept.columns.indices.filter { !constant.contains($0) }
                kept.columns = keep.map { kept.columns[$0] }
                kept.rows = kept.rows.map { row in keep.map { row[$0] } }
            }
        }
        return (kept, notes.isEmpty ? nil : notes.joined(separator: " "))
    }

    static let pairColumns: [ReportTable.Column] = [
        .text("layer a"), .text("layer b"), .numeric("τ-b of m(x)"),
        .numeric("unadjusted p"),
        .numeric("top-10 overlap"), .numeric("top-50 overlap")
    ]

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
            + "over the other shared and candidate points (encoder f); 1 means one point alone drives the unit. "
            + "Intervals: \(Int((intervals.level * 100).rounded()))% percentile bootstrap over points "
            + "(\(intervals.resamples) resamples, seed \(intervals.seed)); LayerMem − control compares the candidates "
            + "with the \(analysis.extra.count) extra points. Above g's q95: the share of f's units whose UnitMem exceeds "
            + "the 95th percentile of g's units over the same points (about 5% without memorization)."
    }

    /// What the layers' numbers support (`LayerFindings`: rankings only where intervals do not overlap,
    /// "no detectable excess at n = …" rather than "no layer memorizes"), then the UnitMem baseline.
    var findings: String {
        LayerFindings(analysis, intervals: intervals).text
            + (baseline.isEmpty
                ? ""
                : " UnitMem against g's units over the same points: "
                    + baseline.map(\.sentence).joined(separator: "; ") + ".")
    }

    var blocks: [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading("Where is it memorized?", id: "layers"), .paragraph(introduction),
            .table(
                ReportTable(
                    columns, rows,
                    export: .init(
                        "layers",
                        caption: "LayerMem, ΔLayerMem and LayerMem − control per layer with 95% bootstrap "
                            + "intervals, and the top and least memorized candidates' LayerMem."),
                    size: .small)),
            .paragraph(findings, .note)
        ]
        if !unitRows.isEmpty {
            let (table, note) = unitTable
            blocks.append(.table(table))
            if let note { blocks.append(.paragraph(note, .note)) }
        }
        if let unitNote { blocks.append(.paragraph(unitNote, .note)) }
        if !pairRows.isEmpty {
            // A top-X column is empty when there are fewer than X candidates: left out, and said.
            let (table, dropped) = ReportTable(
                Self.pairColumns, pairRows,
                export: .init(
                    "layer_pairs", caption: "Layer consistency: Kendall's τ-b of m(x) and top-X overlap between layers."
                )
            ).withoutEmptyColumns()
            blocks.append(.table(table))
            if !dropped.isEmpty {
                blocks.append(
                    .paragraph(
                        "No " + dropped.joined(separator: " or ") + " column: there are only "
                            + "\(analysis.candidates.count) candidates.", .note))
            }
        }
        return blocks + figures.map { .figure($0) }
    }

    /// summary.json's "layers": `sslmem layers --json` plus the findings and the UnitMem summaries.
    var json: JSONValue {
        guard
            case .object(var members) = layersJSON(
                analysis, consistency, intervals: intervals,
                findings: LayerFindings(analysis, intervals: intervals))
        else { return .null }
        if let units, case .object(let u) = unitsJSON(f: units, g: nil) {
            var kept = u.filter { $0.0 == "summary" }
            if !baseline.isEmpty, let value = try? JSONValueEncoder.encode(baseline) {
                kept.append(("baseline", value))
            }
            members.append(("units", .object(kept)))
        }
        return .object(members)
    }
}
