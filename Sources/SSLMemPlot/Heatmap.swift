/// A matrix of cells coloured by value with the value (and a note) written in
/// each cell, rows and columns labelled by name: e.g. Kendall's τ between runs.
public struct Heatmap {
    public var rows: [String]
    public var columns: [String]
    /// values[r][c]; NaN cells are drawn grey with "n/a".
    public var values: [[Double]]
    /// A second line per cell (e.g. the p-value), or nil.
    public var notes: [[String]]?
    public var scale: Scale
    public var map: (Double) -> Color
    public var format: (Double) -> String
    /// Whether cell (row, column) is drawn; the others stay blank (e.g. the upper triangle and diagonal of a
    /// symmetric matrix, which repeat the lower triangle or are 1 by definition).
    public var shows: (Int, Int) -> Bool = { _, _ in true }

    /// The lower triangle of the symmetric `values` between `names`, diagonal left out: rows `names[1…]`,
    /// columns `names[…n−2]`, each pair once.
    public static func lowerTriangle(
        names: [String], values: [[Double]], notes: [[String]]? = nil, scale: Scale,
        map: @escaping (Double) -> Color, format: @escaping (Double) -> String
    ) -> Heatmap {
        let n = names.count
        var heatmap = Heatmap(
            rows: Array(names.dropFirst()), columns: Array(names.dropLast()),
            values: (1..<max(1, n)).map { i in (0..<(n - 1)).map { j in values[i][j] } },
            notes: notes.map { notes in (1..<max(1, n)).map { i in (0..<(n - 1)).map { j in notes[i][j] } } },
            scale: scale, map: map, format: format)
        heatmap.shows = { r, c in c <= r }
        return heatmap
    }

    public init(
        rows: [String], columns: [String], values: [[Double]], notes: [[String]]? = nil, scale: Scale,
        map: @escaping (Double) -> Color, format: @escaping (Double) -> String
    ) {
        self.rows = rows
        self.columns = columns
        self.values = values
        self.notes = notes
        self.scale = scale
        self.map = map
        self.format = format
    }

    /// Where the names go in a heatmap `width` points wide: the row names' width, and the column names
    /// horizontal or, when the widest is wider than its cell (long run names), bottom to top, so that
    /// neighbours never overlap; `columnHeight` is what they take above the grid.
    private struct LabelLayout {
        var rowWidth: Double
        var barWidth: Double
        var vertical: Bool
        var columnHeight: Double
    }

    private func labelLayout(canvas: Canvas, style s: Style, width: Double, colorLabel: String) -> LabelLayout {
        let rowWidth = rows.map { canvas.measure($0, size: s.tickSize, rich: false).width }.max() ?? 0
        let barWidth = ColorBar(scale: scale, label: colorLabel, map: map).width(canvas: canvas, style: s)
        let columnWidth = columns.map { canvas.measure($0, size: s.tickSize, rich: false).width }.max() ?? 0
        let availableWidth = width - rowWidth - 2 * s.padding - barWidth
        let vertical = columnWidth > availableWidth / Double(max(1, columns.count)) - s.padding
        return LabelLayout(
            rowWidth: rowWidth, barWidth: barWidth, vertical: vertical,
            columnHeight: vertical ? columnWidth + s.padding : Self.horizontalColumnHeight(s))
    }

    private static func horizontalColumnHeight(_ s: Style) -> Double { s.tickSize * 1.6 }

    /// The height the column names take above the grid beyond one horizontal line of names: 0 when they fit
    /// their cells, else what writing them bottom to top adds. A figure `width` points wide adds it to its
    /// height so that the cells keep the size they would have with short names.
    public func extraColumnLabelHeight(width: Double, style: Style, colorLabel: String) -> Double {
        Canvas.scratch { canvas in
            labelLayout(canvas: canvas, style: style, width: width, colorLabel: colorLabel).columnHeight
                - Self.horizontalColumnHeight(style)
        } ?? 0
    }

    /// Draws the matrix in `bounds` with its colour bar on the right.
    public func draw(canvas: Canvas, style: Style, bounds: Rect, title: String?, colorLabel: String) {
        let s = style
        let bar = ColorBar(scale: scale, label: colorLabel, map: map)
        let labels = labelLayout(canvas: canvas, style: s, width: bounds.width, colorLabel: colorLabel)
        let top = (title == nil ? 0 : s.titleSize * 1.6) + s.padding + labels.columnHeight
        let grid = bounds.inset(
            left: labels.rowWidth + 2 * s.padding, top: top, right: labels.barWidth, bottom: s.padding)
        let cellWidth = grid.width / Double(columns.count)
        let cellHeight = grid.height / Double(rows.count)
        // One size for every note, small enough that the widest fits its cell (many runs, narrow cells).
        let noteWidth =
            notes.map { notes in
                rows.indices.flatMap { r in
                    columns.indices.filter { shows(r, $0) }.map {
                        canvas.measure(notes[r][$0], size: s.tickSize * 0.85, rich: false).width
                    }
                }
                .max() ?? 0
            } ?? 0
        let noteSize = s.tickSize * 0.85 * min(1, noteWidth > 0 ? (cellWidth * 0.92) / noteWidth : 1)
        if let title {
            canvas.text(
                title, at: Point(grid.x + grid.width / 2, bounds.y + s.padding), size: s.titleSize,
                anchor: TextAnchor(.center, .top), bold: true)
        }
        for (c, name) in columns.enumerated() {
            let x = grid.x + (Double(c) + 0.5) * cellWidth
            if labels.vertical {
                canvas.text(
                    name, at: Point(x, grid.y - s.padding), size: s.tickSize, anchor: TextAnchor(.left, .middle),
                    angle: -Double.pi / 2, rich: false)
            } else {
                canvas.text(
                    name, at: Point(x, grid.y - s.padding), size: s.tickSize, anchor: TextAnchor(.center, .bottom),
                    rich: false)
            }
        }
        for (r, name) in rows.enumerated() {
            canvas.text(
                name, at: Point(grid.x - s.padding, grid.y + (Double(r) + 0.5) * cellHeight), size: s.tickSize,
                anchor: TextAnchor(.right, .middle), rich: false)
            for c in columns.indices where shows(r, c) {
                let value = values[r][c]
                let cell = Rect(
                    x: grid.x + Double(c) * cellWidth, y: grid.y + Double(r) * cellHeight,
                    width: cellWidth, height: cellHeight)
                let fill = value.isNaN ? Color.lightGrey : map(value)
                canvas.fill(cell, fill)
                let ink = fill.luminance > 0.35 ? Color.black : Color.white
                let center = Point(cell.x + cell.width / 2, cell.y + cell.height / 2)
                let text = value.isNaN ? "n/a" : format(value)
                if let note = notes?[r][c], !note.isEmpty {
                    canvas.text(
                        text, at: Point(center.x, center.y - s.tickSize * 0.1), size: s.tickSize,
                        anchor: TextAnchor(.center, .bottom), color: ink, bold: true)
                    canvas.text(
                        note, at: Point(center.x, center.y + s.tickSize * 0.1), size: noteSize,
                        anchor: TextAnchor(.center, .top), color: ink, rich: false)
                } else {
                    canvas.text(
                        text, at: center, size: s.tickSize, anchor: TextAnchor(.center, .middle), color: ink,
                        bold: true)
                }
            }
        }
        canvas.setColor(.white)
        canvas.setLineWidth(1)
        for c in 1..<max(1, columns.count) {
            canvas.line(Point(grid.x + Double(c) * cellWidth, grid.y), Point(grid.x + Double(c) * cellWidth, grid.maxY))
        }
        for r in 1..<max(1, rows.count) {
            canvas.line(
                Point(grid.x, grid.y + Double(r) * cellHeight), Point(grid.maxX, grid.y + Double(r) * cellHeight))
        }
        // The colour bar reads its place from an axes-shaped frame around the grid.
        bar.draw(at: grid, canvas: canvas, style: s)
    }
}
