import Foundation
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

/// Downstream accuracy after retraining without points (paper Figs. 3, 6, 7),
/// as a CSV the user's backend wrote: `removed,kind,dataset,accuracy[,std]`,
/// kind `memorized` or `random`.
public struct RemovalResults: Sendable {
    public struct Row: Sendable {
        public var removed: Double
        public var kind: String
        public var dataset: String
        public var accuracy: Double
        public var std: Double?
    }

    public var rows: [Row]
    /// The CSV file the rows were read from (for a report's provenance), or nil.
    public var file: String?

    /// Reads `removed,kind,dataset,accuracy[,std]` rows; a UTF-8 byte-order mark and CRLF line ends (Excel's
    /// CSV) are read as plain text.
    public init(csvFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(file: path, "cannot read the removal results")
        }
        file = path
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let header = lines.first, Array(header.prefix(4)) == ["removed", "kind", "dataset", "accuracy"],
            header.count == 4 || (header.count == 5 && header[4] == "std")
        else {
            throw SSLMemError(file: path, "the header must be removed,kind,dataset,accuracy[,std]")
        }
        rows = try lines.dropFirst().enumerated().map { number, fields in
            func fail(_ why: String) -> SSLMemError { SSLMemError(file: path, "line \(number + 2): \(why)") }
            guard fields.count == header.count else { throw fail("\(fields.count) fields, expected \(header.count)") }
            guard let removed = Double(fields[0]), let accuracy = Double(fields[3]), removed.isFinite, accuracy.isFinite
            else {
                throw fail("removed and accuracy must be numbers")
            }
            guard ["memorized", "random"].contains(fields[1]) else { throw fail("kind must be memorized or random") }
            return Row(
                removed: removed, kind: fields[1], dataset: fields[2], accuracy: accuracy,
                std: header.count == 5 ? Double(fields[4]) : nil)
        }
    }
}

extension PaperFigure {
    /// Accuracy against the number of points removed, most memorized vs random,
    /// one panel per downstream dataset (paper Figs. 3, 6, 7); bands show ±1 std. x tick labels that
    /// would crowd a narrow panel are thinned (`Axes`).
    public static func removal(_ results: RemovalResults, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let datasets = results.rows.map(\.dataset).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let perRow = width.isNarrow ? 1 : min(3, datasets.count)
        let panelRows = (datasets.count + perRow - 1) / perRow
        let x = Scale.covering(results.rows.map(\.removed)).niced()
        // Colour, line style and marker differ, so the two stay apart in grayscale print.
        let kinds: [(String, String, Color, [Double], Marker)] = [
            ("memorized", "most memorized removed", OkabeIto.vermillion, [], .circle),
            ("random", "random points removed", OkabeIto.blue, [4, 2], .square)
        ]
        let panelHeight = width.points / Double(perRow) * 0.72
        let strip = style.tickSize * 2.4  // the legend's row under the panels
        let figure = Figure(width: width.points, height: panelHeight * Double(panelRows) + strip) { canvas in
            let panelWidth = canvas.width / Double(perRow)
            for (i, dataset) in datasets.enumerated() {
                let rows = results.rows.filter { $0.dataset == dataset }
                let spread = rows.flatMap { [$0.accuracy - ($0.std ?? 0), $0.accuracy + ($0.std ?? 0)] }
                let bounds = Rect(
                    x: Double(i % perRow) * panelWidth, y: Double(i / perRow) * panelHeight,
                    width: panelWidth, height: panelHeight)
                let axes = Axes(
                    canvas: canvas, style: style, bounds: bounds, x: x,
                    y: Scale.covering(spread, padding: 0.1).niced(), xLabel: "points removed",
                    yLabel: i % perRow == 0 ? "accuracy" : nil, title: dataset)
                for (kind, _, color, dash, marker) in kinds {
                    let series = rows.filter { $0.kind == kind }.sorted { $0.removed < $1.removed }
                    guard !series.isEmpty else { continue }
                    if series.contains(where: { $0.std != nil }) {
                        axes.band(
                            series.map(\.removed), lower: series.map { $0.accuracy - ($0.std ?? 0) },
                            upper: series.map { $0.accuracy + ($0.std ?? 0) }, color: color)
                    }
                    axes.line(series.map(\.removed), series.map(\.accuracy), color: color, dash: dash)
                    axes.scatter(
                        series.map(\.removed), series.map(\.accuracy), colors: series.map { _ in color },
                        radius: style.lineWidth * 1.5, marker: marker)
                }
            }
            Legend(kinds.map { Legend.Entry($0.1, $0.2, .lineMarker($0.3, $0.4)) })
                .drawRow(on: canvas, style: style, centeredAt: Point(canvas.width / 2, canvas.height - strip / 2))
        }
        let rows = results.rows.map {
            [csvNumber($0.removed), $0.kind, $0.dataset, csvNumber($0.accuracy), $0.std.map(csvNumber) ?? ""]
        }
        return PaperFigure(
            name: "removal",
            caption: "Downstream accuracy after removing the most memorized vs random training points "
                + "(paper Figs. 3, 6, 7); bands show ±1 standard deviation where given.",
            figure: figure, columns: ["removed", "kind", "dataset", "accuracy", "std"], rows: rows)
    }
}
