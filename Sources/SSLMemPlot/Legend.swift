/// A legend inside the plot area, in the corner that covers the fewest data
/// points (so it does not hide data), with a white backing.
public struct Legend {
    public enum Swatch: Sendable {
        case line, box, dashed
        /// A line with this dash pattern (points on, off, …).
        case pattern([Double])
        /// A line with this dash pattern and a marker in its middle.
        case lineMarker([Double], Marker)
        /// A marker alone (a scatter's series).
        case marker(Marker)
    }

    public struct Entry: Sendable {
        public var label: String
        public var color: Color
        public var swatch: Swatch
        /// Whether `_` and `^` in the label make scripts (false for names from files).
        public var rich: Bool
        public init(_ label: String, _ color: Color, _ swatch: Swatch = .line, rich: Bool = true) {
            self.label = label
            self.color = color
            self.swatch = swatch
            self.rich = rich
        }
    }

    public var entries: [Entry]
    public init(_ entries: [Entry]) { self.entries = entries }

    /// Height of the legend's box drawn with `style` (as `draw(on:avoiding:)` draws it), plus its margin.
    public func height(style s: Style) -> Double { Double(entries.count) * s.tickSize * 1.35 + s.padding * 2 }

    /// The top of a y scale from 0 that leaves room for this legend above data reaching `dataTop`, in a plot
    /// area about `frameHeight` points tall: the data then stay below the legend's box in a top corner.
    public func headroom(dataTop: Double, frameHeight: Double, style: Style) -> Double {
        let share = min(0.6, height(style: style) / max(1, frameHeight))
        return dataTop * 1.04 / (1 - share)
    }

    /// Draws the legend on `axes`; `data` are points the legend should avoid, in data coordinates.
    public func draw(on axes: Axes, avoiding data: [(Double, Double)]) {
        let c = axes.canvas
        let s = axes.style
        let size = s.tickSize
        let swatchWidth = size * 1.8
        let row = size * 1.35
        let width =
            swatchWidth + s.padding + (entries.map { c.measure($0.label, size: size, rich: $0.rich).width }.max() ?? 0)
            + 2 * s.padding
        let height = Double(entries.count) * row + s.padding
        let f = axes.frame
        let m = s.padding
        let corners = [
            Rect(x: f.maxX - width - m, y: f.y + m, width: width, height: height),
            Rect(x: f.x + m, y: f.y + m, width: width, height: height),
            Rect(x: f.maxX - width - m, y: f.maxY - height - m, width: width, height: height),
            Rect(x: f.x + m, y: f.maxY - height - m, width: width, height: height)
        ]
        let points = data.map { axes.point($0.0, $0.1) }
        let box = corners.min { a, b in
            points.filter { a.contains($0) }.count < points.filter { b.contains($0) }.count
        }!
        c.fill(box, Color.white.opacity(0.85))
        c.setColor(.lightGrey)
        c.setLineWidth(0.5)
        c.rectangle(box)
        c.stroke()
        for (i, entry) in entries.enumerated() {
            let middle = box.y + s.padding / 2 + (Double(i) + 0.5) * row
            let x0 = box.x + s.padding
            switch entry.swatch {
            case .box:
                Legend.Swatch.box.draw(on: c, from: Point(x0, middle), width: swatchWidth, color: entry.color, style: s)
            default:
                entry.swatch.draw(on: c, from: Point(x0, middle), width: swatchWidth, color: entry.color, style: s)
            }
            c.text(
                entry.label, at: Point(x0 + swatchWidth + s.padding, middle), size: size,
                anchor: TextAnchor(.left, .middle), rich: entry.rich)
        }
    }

    /// Draws the entries side by side, centred on `center`: a legend for a figure
    /// of several panels, in a strip of its own.
    public func drawRow(on c: Canvas, style s: Style, centeredAt center: Point) {
        let size = s.tickSize
        let swatchWidth = size * 1.8
        let gap = size * 1.5
        let widths = entries.map { swatchWidth + s.padding + c.measure($0.label, size: size, rich: $0.rich).width }
        var x = center.x - (widths.reduce(0, +) + gap * Double(entries.count - 1)) / 2
        for (entry, width) in zip(entries, widths) {
            entry.swatch.draw(on: c, from: Point(x, center.y), width: swatchWidth, color: entry.color, style: s)
            c.text(
                entry.label, at: Point(x + swatchWidth + s.padding, center.y), size: size,
                anchor: TextAnchor(.left, .middle), rich: entry.rich)
            x += width + gap
        }
    }
}

extension Legend.Swatch {
    /// Draws the swatch from `start` (its left end, vertically centred) over `width`.
    func draw(on c: Canvas, from start: Point, width: Double, color: Color, style s: Style) {
        let end = Point(start.x + width, start.y)
        let middle = Point(start.x + width / 2, start.y)
        func stroke(_ dash: [Double]) {
            c.setColor(color)
            c.setLineWidth(s.lineWidth)
            c.setDash(dash)
            c.line(start, end)
            c.setDash([])
        }
        switch self {
        case .line: stroke([])
        case .dashed: stroke([3, 2])
        case .pattern(let dash): stroke(dash)
        case .lineMarker(let dash, let marker):
            stroke(dash)
            c.marker(marker, at: middle, radius: s.tickSize * 0.3, color: color, lineWidth: s.axisWidth)
        case .marker(let marker):
            c.marker(marker, at: middle, radius: s.tickSize * 0.3, color: color, lineWidth: s.axisWidth)
        case .box:
            // The colour the marks are filled with, exactly (a lighter swatch than its bars misleads), outlined
            // in the opaque colour as filled histograms are.
            let box = Rect(x: start.x, y: start.y - s.tickSize * 0.35, width: width, height: s.tickSize * 0.7)
            c.fill(box, color)
            c.setColor(color.opacity(1))
            c.setLineWidth(s.axisWidth)
            c.rectangle(box)
            c.stroke()
        }
    }
}
