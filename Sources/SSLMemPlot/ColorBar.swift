/// A vertical colour bar for a continuous colour map, beside a plot area.
public struct ColorBar {
    public var scale: Scale
    public var label: String
    public var map: (Double) -> Color

    public init(scale: Scale, label: String, map: @escaping (Double) -> Color) {
        self.scale = scale
        self.label = label
        self.map = map
    }

    /// Room it needs to the right of the plot area.
    public func width(canvas: Canvas, style: Style) -> Double {
        let labels = Ticks.labels(Ticks.positions(scale, target: 5))
        let widest = labels.map { canvas.measure($0, size: style.tickSize).width }.max() ?? 0
        // Bar at 3 paddings, tick, padding, labels, padding, rotated label (its line height), padding.
        return style.padding * 6 + 8 + style.tickLength + widest + style.labelSize * 1.3
    }

    public func draw(beside axes: Axes) { draw(at: axes.frame, canvas: axes.canvas, style: axes.style) }

    /// Draws the bar to the right of `frame`, as tall as it.
    public func draw(at frame: Rect, canvas c: Canvas, style s: Style) {
        let bar = Rect(x: frame.maxX + s.padding * 3, y: frame.y, width: 8, height: frame.height)
        let steps = 128
        for i in 0..<steps {
            let t0 = Double(i) / Double(steps)
            let value = scale.lower + (t0 + 0.5 / Double(steps)) * (scale.upper - scale.lower)
            c.fill(
                Rect(
                    x: bar.x, y: bar.maxY - (t0 + 1 / Double(steps)) * bar.height, width: bar.width,
                    height: bar.height / Double(steps) + 0.3), map(value))
        }
        c.setColor(.black)
        c.setLineWidth(s.axisWidth)
        c.rectangle(bar)
        c.stroke()
        let ticks = Ticks.positions(scale, target: 5)
        var right = bar.maxX
        for (tick, text) in zip(ticks, Ticks.labels(ticks)) {
            let y = bar.maxY - scale.fraction(tick) * bar.height
            c.line(Point(bar.maxX, y), Point(bar.maxX + s.tickLength, y))
            c.text(
                text, at: Point(bar.maxX + s.tickLength + s.padding, y), size: s.tickSize,
                anchor: TextAnchor(.left, .middle))
            right = max(right, bar.maxX + s.tickLength + s.padding + c.measure(text, size: s.tickSize).width)
        }
        c.text(
            label, at: Point(right + s.padding, bar.y + bar.height / 2), size: s.labelSize,
            anchor: TextAnchor(.center, .top), angle: -.pi / 2)
    }
}
