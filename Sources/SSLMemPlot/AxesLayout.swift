/// Where one `Axes` put its plot area on a figure and how it maps data to that
/// figure's points (1/72 in, y down): what a reader of the drawing needs to find
/// a plotted value on it, e.g. the HTML report's hover and highlight.
public struct AxesLayout: Sendable, Equatable {
    /// The plot area, in figure points.
    public let frame: Rect
    public let x: Scale
    public let y: Scale

    /// Figure x of a data x value (the same mapping as `Axes.px`).
    public func px(_ value: Double) -> Double { frame.x + x.fraction(value) * frame.width }
    /// Figure y of a data y value (the same mapping as `Axes.py`).
    public func py(_ value: Double) -> Double { frame.maxY - y.fraction(value) * frame.height }
}

extension Figure {
    /// The layout of every `Axes` the drawing lays out, in the order it lays them out. The drawing
    /// runs once more, on a 1×1-pixel surface that clips everything, so the layout is the one the
    /// written files have, with nothing to keep in step with the drawing code.
    public func axesLayouts() -> [AxesLayout] {
        Canvas.scratch(width: width, height: height) { canvas in
            draw(canvas)
            return canvas.axesLayouts
        } ?? []
    }
}
