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
    ///
    /// - `equalAspect`: the plot area is made square (the larger side shrunk and centred), so with the
    ///   same scale on x and y one unit has the same length on both axes (and y = x is at 45°).
    /// - `left`: the room left of the plot area, instead of what its own tick labels need; panels stacked
    ///   on one x axis pass the largest `Axes.leftMargin` of them so their plot areas line up.
    /// - x ticks whose labels would touch are thinned (every second, third … kept) until they do not.
    public init(
        canvas: Canvas, style: Style, bounds: Rect, x: Scale, y: Scale, xLabel: String?, yLabel: String?,
        title: String? = nil, rightMargin: Double = 0, xTicks: [Double]? = nil, yTicks: [Double]? = nil,
        equalAspect: Bool = false, left: Double? = nil
    ) {
        self.canvas = canvas
        self.style = style
        self.x = x
        self.y = y
        let allXTicks = xTicks ?? Ticks.positions(x)
        self.yTicks = yTicks ?? Ticks.positions(y)
        let yLabels = Ticks.labels(self.yTicks, kind: y.kind)
        let allXLabels = Ticks.labels(allXTicks, kind: x.kind)
        let lastHalf = (allXLabels.last.map { canvas.measure($0, size: style.tickSize).width } ?? 0) / 2
        let leftRoom = left ?? Self.leftMargin(canvas: canvas, style: style, yLabels: yLabels, yLabel: yLabel)
        let bottom =
            style.tickLength + style.padding + style.tickSize * 1.2 + (xLabel == nil ? 0 : style.labelSize * 1.4)
            + style.padding
        let top = (title == nil ? style.tickSize * 0.6 : style.titleSize * 1.6) + style.padding
        var frame = bounds.inset(
            left: leftRoom, top: top, right: max(rightMargin, lastHalf) + style.padding, bottom: bottom)
        if equalAspect {
            let side = min(frame.width, frame.height)
            frame = Rect(
                x: frame.x + (frame.width - side) / 2, y: frame.y + (frame.height - side) / 2, width: side,
                height: side)
        }
        self.frame = frame
        let (keptTicks, keptLabels) = Self.thinned(
            allXTicks, labels: allXLabels, scale: x, width: frame.width,
            canvas: canvas, style: style)
        self.xTicks = keptTicks
        draw(xLabels: keptLabels, yLabels: yLabels, xLabel: xLabel, yLabel: yLabel, title: title, bounds: bounds)
        canvas.axesLayouts.append(AxesLayout(frame: frame, x: x, y: y))
    }

    /// Room left of the plot area for y tick labels (`Ticks.labels` of `yTicks`, or of the scale's
    /// ticks), ticks and the y axis label.
    public static func leftMargin(canvas: Canvas, style: Style, y: Scale, yTicks: [Double]? = nil, yLabel: String?)
        -> Double
    {
        let ticks = yTicks ?? Ticks.positions(y)
        return leftMargin(canvas: canvas, style: style, yLabels: Ticks.labels(ticks, kind: y.kind), yLabel: yLabel)
    }

    static func leftMargin(canvas: Canvas, style: Style, yLabels: [String], yLabel: String?) -> Double {
        let widest = yLabels.map { canvas.measure($0, size: style.tickSize).width }.max() ?? 0
        return style.tickLength + style.padding + widest + (yLabel == nil ? 0 : style.labelSize * 1.4) + style.padding
    }

    /// Every k-th tick (k = 1, 2, 3, …, the smallest that works, keeping 0 when it is a tick) such that
    /// neighbouring labels are at least two paddings apart across `width`.
    static func thinned(
        _ ticks: [Double], labels: [String], scale: Scale, width: Double, canvas: Canvas, style: Style
    ) -> ([Double], [String]) {
        guard ticks.count > 2 else { return (ticks, labels) }
        let widths = labels.map { canvas.measure($0, size: style.tickSize).width }
        let anchor = ticks.firstIndex(of: 0) ?? 0
        for k in 1..<ticks.count {
            let kept = ticks.indices.filter { ($0 - anchor) % k == 0 }
            let fits = zip(kept, kept.dropFirst()).allSatisfy { a, b in
                (scale.fraction(ticks[b]) - scale.fraction(ticks[a])) * width >= (widths[a] + widths[b]) / 2 + 2
                    * style.padding
            }
            if fits { return (kept.map { ticks[$0] }, kept.map { labels[$0] }) }
        }
        return ([ticks[anchor]], [labels[anchor]])
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

    private func draw(
        xLabels: [String], yLabels: [String], xLabel: String?, yLabel: String?, title: String?, bounds: Rect
    ) {
        let c = canvas
        let s = style
        c.setColor(.black)
        c.setLineWidth(s.axisWidth)
        c.setDash([])
        c.line(Point(frame.x, frame.maxY), Point(frame.maxX, frame.maxY))
        c.line(Point(frame.x, frame.y), Point(frame.x, frame.maxY))
        for (tick, label) in zip(xTicks, xLabels) {
            let at = px(tick)
            c.line(Point(at, frame.maxY), Point(at, frame.maxY + s.tickLength))
            c.text(
                label, at: Point(at, frame.maxY + s.tickLength + s.padding), size: s.tickSize,
                anchor: TextAnchor(.center, .top))
        }
        for (tick, label) in zip(yTicks, yLabels) {
            let at = py(tick)
            c.line(Point(frame.x - s.tickLength, at), Point(frame.x, at))
            c.text(
                label, at: Point(frame.x - s.tickLength - s.padding, at), size: s.tickSize,
                anchor: TextAnchor(.right, .middle))
        }
        if let xLabel {
            c.text(
                xLabel, at: Point(frame.x + frame.width / 2, bounds.maxY - s.padding), size: s.labelSize,
                anchor: TextAnchor(.center, .bottom))
        }
        if let yLabel {
            c.text(
                yLabel, at: Point(bounds.x + s.padding, frame.y + frame.height / 2), size: s.labelSize,
                anchor: TextAnchor(.center, .top), angle: -.pi / 2)
        }
        if let title {
            c.text(
                title, at: Point(frame.x + frame.width / 2, bounds.y + s.padding), size: s.titleSize,
                anchor: TextAnchor(.center, .top), bold: true, rich: false)
        }
    }
}
