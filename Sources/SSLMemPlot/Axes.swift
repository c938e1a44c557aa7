/// A plot area with its x and y scales, axis lines, ticks, labels and title.
/// Marks (see the extensions) draw in data coordinates, clipped to the area.
public final class Axes {
    public let canvas: Canvas
    public let style: Style
    public let frame: Rect
    public let x: Scale
    public let y: Scale
    public let xTicks: [Double]
    public let yTicks: [Double]

    /// Lays out axes inside `bounds`, leaving room for tick labels, axis labels,
    /// the title and `rightMargin` (a colour bar or legend) so nothing is clipped.
    /// Axis labels may hold scripts (S_C); the title is taken literally.
    public init(
        canvas: Canvas, style: Style, bounds: Rect, x: Scale, y: Scale, xLabel: String?, yLabel: String?,
        title: String? = nil, rightMargin: Double = 0, xTicks: [Double]? = nil, yTicks: [Double]? = nil
    ) {
        self.canvas = canvas
        self.style = style
        self.x = x
        self.y = y
        self.xTicks = xTicks ?? Ticks.positions(x)
        self.yTicks = yTicks ?? Ticks.positions(y)
        let yLabels = Ticks.labels(self.yTicks, kind: y.kind)
        let widest = yLabels.map { canvas.measure($0, size: style.tickSize).width }.max() ?? 0
        let xLabels = Ticks.labels(self.xTicks, kind: x.kind)
        let lastHalf = (xLabels.last.map { canvas.measure($0, size: style.tickSize).width } ?? 0) / 2
        let left = style.tickLength + style.padding + widest + (yLabel == nil ? 0 : style.labelSize * 1.4) + style.padding
        let bottom = style.tickLength + style.padding + style.tickSize * 1.2 + (xLabel == nil ? 0 : style.labelSize * 1.4)
            + style.padding
        let top = (title == nil ? style.tickSize * 0.6 : style.titleSize * 1.6) + style.padding
        frame = bounds.inset(left: left, top: top, right: max(rightMargin, lastHalf) + style.padding, bottom: bottom)
        draw(xLabels: xLabels, yLabels: yLabels, xLabel: xLabel, yLabel: yLabel, title: title, bounds: bounds)
        canvas.axesLayouts.append(AxesLayout(frame: frame, x: x, y: y))
    }

    /// Canvas x of a data x value.
    public func px(_ value: Double) -> Double { frame.x + x.fraction(value) * frame.width }
    /// Canvas y of a data y value.
    public func py(_ value: Double) -> Double { frame.maxY - y.fraction(value) * frame.height }
    public func point(_ vx: Double, _ vy: Double) -> Point { Point(px(vx), py(vy)) }

    /// Runs `body` with drawing clipped to the plot area.
    public func clipped(_ body: () -> Void) {
        canvas.save()
        canvas.clip(frame)
        body()
        canvas.restore()
    }

    private func draw(xLabels: [String], yLabels: [String], xLabel: String?, yLabel: String?, title: String?, bounds: Rect) {
        let c = canvas, s = style
        c.setColor(.black)
        c.setLineWidth(s.axisWidth)
        c.setDash([])
        c.line(Point(frame.x, frame.maxY), Point(frame.maxX, frame.maxY))
        c.line(Point(frame.x, frame.y), Point(frame.x, frame.maxY))
        for (tick, label) in zip(xTicks, xLabels) {
            let at = px(tick)
            c.line(Point(at, frame.maxY), Point(at, frame.maxY + s.tickLength))
            c.text(label, at: Point(at, frame.maxY + s.tickLength + s.padding), size: s.tickSize,
                   anchor: TextAnchor(.center, .top))
        }
        for (tick, label) in zip(yTicks, yLabels) {
            let at = py(tick)
            c.line(Point(frame.x - s.tickLength, at), Point(frame.x, at))
            c.text(label, at: Point(frame.x - s.tickLength - s.padding, at), size: s.tickSize,
                   anchor: TextAnchor(.right, .middle))
        }
        if let xLabel {
            c.text(xLabel, at: Point(frame.x + frame.width / 2, bounds.maxY - s.padding), size: s.labelSize,
                   anchor: TextAnchor(.center, .bottom))
        }
        if let yLabel {
            c.text(yLabel, at: Point(bounds.x + s.padding, frame.y + frame.height / 2), size: s.labelSize,
                   anchor: TextAnchor(.center, .top), angle: -.pi / 2)
        }
        if let title {
            c.text(title, at: Point(frame.x + frame.width / 2, bounds.y + s.padding), size: s.titleSize,
                   anchor: TextAnchor(.center, .top), bold: true, rich: false)
        }
    }
}
