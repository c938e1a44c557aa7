/// Sizes that keep text readable when a figure is printed at its width:
/// ≥ 7 pt at one column, ≥ 8 pt across the page; a venue's sizes (8 pt ticks, 9 pt labels and titles)
/// are explained at `FigureWidth`.
public struct Style: Sendable {
    public var tickSize: Double
    public var labelSize: Double
    public var titleSize: Double
    public var lineWidth: Double
    public var axisWidth: Double
    public var tickLength: Double
    public var padding: Double

    public init(width: FigureWidth) {
        switch (width.venue, width.isNarrow) {
        case (nil, true):
            (tickSize, labelSize, titleSize, lineWidth, axisWidth, tickLength, padding) = (7, 8, 8.5, 1.2, 0.6, 3, 3)
        case (nil, false):
            (tickSize, labelSize, titleSize, lineWidth, axisWidth, tickLength, padding) = (8, 9, 10, 1.4, 0.7, 3.5, 4)
        case (_?, true):
            (tickSize, labelSize, titleSize, lineWidth, axisWidth, tickLength, padding) = (8, 9, 9, 1.2, 0.6, 3, 3)
        case (_?, false):
            (tickSize, labelSize, titleSize, lineWidth, axisWidth, tickLength, padding) = (8, 9, 9, 1.4, 0.7, 3.5, 4)
        }
    }
}
