/// Marks drawn on `Axes` in data coordinates.
extension Axes {
    /// A histogram from bin `edges` (count + 1) and `heights`: filled bars, or a step outline.
    /// The opacity of a filled histogram's bars (a legend swatch for one uses the same).
    public static let histogramFillOpacity = 0.35

    public func histogram(edges: [Double], heights: [Double], color: Color, filled: Bool, lineWidth: Double? = nil) {
        clipped {
            if filled {
                canvas.setColor(color.opacity(Self.histogramFillOpacity))
                for (i, h) in heights.enumerated() where h > 0 {
                    canvas.rectangle(
                        Rect(
                            x: px(edges[i]), y: py(h), width: px(edges[i + 1]) - px(edges[i]),
                            height: py(y.lower) - py(h)))
                    canvas.fill()
                }
            }
            canvas.setColor(color)
            canvas.setLineWidth(lineWidth ?? style.lineWidth)
            canvas.setDash([])
            canvas.move(to: point(edges[0], y.lower))
            for (i, h) in heights.enumerated() {
                canvas.line(to: point(edges[i], h))
                canvas.line(to: point(edges[i + 1], h))
            }
            canvas.line(to: point(edges[heights.count], y.lower))
            canvas.stroke()
        }
    }

    /// A polyline through (xs, ys), skipping non-finite points.
    public func line(_ xs: [Double], _ ys: [Double], color: Color, width: Double? = nil, dash: [Double] = []) {
        clipped {
            canvas.setColor(color)
            canvas.setLineWidth(width ?? style.lineWidth)
            canvas.setDash(dash)
            var started = false
            for (vx, vy) in zip(xs, ys) {
                guard vx.isFinite, vy.isFinite else {
                    started = false
                    continue
                }
                started ? canvas.line(to: point(vx, vy)) : canvas.move(to: point(vx, vy))
                started = true
            }
            canvas.stroke()
            canvas.setDash([])
        }
    }

    /// A shaded band between `lower` and `upper` along xs.
    public func band(_ xs: [Double], lower: [Double], upper: [Double], color: Color) {
        guard !xs.isEmpty else { return }
        clipped {
            canvas.setColor(color.opacity(0.2))
            canvas.move(to: point(xs[0], upper[0]))
            for i in xs.indices.dropFirst() { canvas.line(to: point(xs[i], upper[i])) }
            for i in xs.indices.reversed() { canvas.line(to: point(xs[i], lower[i])) }
            canvas.close()
            canvas.fill()
        }
    }

    /// Markers of `radius` points (round unless `marker` says otherwise), one colour per point.
    public func scatter(_ xs: [Double], _ ys: [Double], colors: [Color], radius: Double, marker: Marker = .circle) {
        clipped {
            for i in xs.indices where xs[i].isFinite && ys[i].isFinite {
                canvas.marker(
                    marker, at: point(xs[i], ys[i]), radius: radius, color: colors[i],
                    lineWidth: style.axisWidth)
            }
        }
    }

    /// Vertical error bars from `lower` to `upper` at `xs`, with caps `cap` points wide.
    public func errorBars(
        _ xs: [Double], lower: [Double], upper: [Double], color: Color, cap: Double, width: Double? = nil
    ) {
        clipped {
            canvas.setColor(color)
            canvas.setLineWidth(width ?? style.axisWidth)
            canvas.setDash([])
            for i in xs.indices where xs[i].isFinite && lower[i].isFinite && upper[i].isFinite {
                let cx = px(xs[i])
                canvas.line(Point(cx, py(lower[i])), Point(cx, py(upper[i])))
                canvas.line(Point(cx - cap / 2, py(lower[i])), Point(cx + cap / 2, py(lower[i])))
                canvas.line(Point(cx - cap / 2, py(upper[i])), Point(cx + cap / 2, py(upper[i])))
            }
        }
    }

    /// Vertical bars centred at `positions` from 0 (or the axis bottom) to `values`,
    /// with error bars from `lower` to `upper` where given.
    public func bars(
        _ positions: [Double], _ values: [Double], width: Double, color: Color, lower: [Double]? = nil,
        upper: [Double]? = nil
    ) {
        let base = max(y.lower, min(y.upper, 0))
        clipped {
            for (i, position) in positions.enumerated() where values[i].isFinite {
                let left = px(position - width / 2)
                let right = px(position + width / 2)
                let top = min(py(values[i]), py(base))
                let bottom = max(py(values[i]), py(base))
                canvas.fill(Rect(x: left, y: top, width: right - left, height: bottom - top), color)
            }
            guard let lower, let upper else { return }
            canvas.setColor(.black)
            canvas.setLineWidth(style.axisWidth)
            let cap = (px(width / 4) - px(0))
            for (i, position) in positions.enumerated() where lower[i].isFinite && upper[i].isFinite {
                let cx = px(position)
                canvas.line(Point(cx, py(lower[i])), Point(cx, py(upper[i])))
                canvas.line(Point(cx - cap, py(lower[i])), Point(cx + cap, py(lower[i])))
                canvas.line(Point(cx - cap, py(upper[i])), Point(cx + cap, py(upper[i])))
            }
        }
    }

    /// A horizontal or vertical reference line across the plot area.
    public func reference(x value: Double? = nil, y level: Double? = nil, color: Color = .grey, dash: [Double] = [3, 2])
    {
        clipped {
            canvas.setColor(color)
            canvas.setLineWidth(style.axisWidth)
            canvas.setDash(dash)
            if let value { canvas.line(Point(px(value), frame.y), Point(px(value), frame.maxY)) }
            if let level { canvas.line(Point(frame.x, py(level)), Point(frame.maxX, py(level))) }
            canvas.setDash([])
        }
    }
}

/// Marker shapes, so series stay apart in grayscale print and for readers who cannot tell their colours apart.
public enum Marker: Sendable, Equatable {
    case circle, square, triangle, diamond
    /// An open circle (outline only).
    case ring
}

extension Canvas {
    /// One marker of `radius` (half its width) at `center`, filled with `color` (an outline for `ring`).
    public func marker(_ marker: Marker, at center: Point, radius r: Double, color: Color, lineWidth: Double = 0.6) {
        setColor(color)
        setDash([])
        switch marker {
        case .circle, .ring:
            circle(center, radius: marker == .ring ? r * 0.85 : r)
        case .square:
            let side = r * 1.7
            rectangle(Rect(x: center.x - side / 2, y: center.y - side / 2, width: side, height: side))
        case .triangle:
            let h = r * 1.25
            move(to: Point(center.x, center.y - h))
            line(to: Point(center.x + h * 0.95, center.y + h * 0.7))
            line(to: Point(center.x - h * 0.95, center.y + h * 0.7))
            close()
        case .diamond:
            let h = r * 1.3
            move(to: Point(center.x, center.y - h))
            line(to: Point(center.x + h, center.y))
            line(to: Point(center.x, center.y + h))
            line(to: Point(center.x - h, center.y))
            close()
        }
        if marker == .ring {
            setLineWidth(lineWidth)
            stroke()
        } else {
            fill()
        }
    }
}
