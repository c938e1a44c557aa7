import CCairo
import Foundation

/// Where a text's reference point sits on the text.
public struct TextAnchor: Sendable {
    public enum Horizontal: Sendable { case left, center, right }
    public enum Vertical: Sendable { case top, middle, baseline, bottom }
    public var horizontal: Horizontal
    public var vertical: Vertical
    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }
}

/// A drawing surface in points (1/72 in, y down) on a Cairo context. The same
/// drawing code renders to PDF, SVG and PNG (see `Figure`).
public final class Canvas {
    let context: OpaquePointer
    public let width: Double
    public let height: Double
    public let fontFamily = "DejaVu Sans"
    /// Every `Axes` laid out on this canvas so far (`Figure.axesLayouts`).
    var axesLayouts: [AxesLayout] = []

    init(context: OpaquePointer, width: Double, height: Double) {
        self.context = context
        self.width = width
        self.height = height
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
    }

    public func setColor(_ c: Color) { cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha) }
    public func setLineWidth(_ w: Double) { cairo_set_line_width(context, w) }
    public func setDash(_ pattern: [Double]) { cairo_set_dash(context, pattern, Int32(pattern.count), 0) }

    public func save() { cairo_save(context) }
    public func restore() { cairo_restore(context) }

    /// Restricts drawing to `rect` until `restore()`.
    public func clip(_ rect: Rect) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    public func move(to p: Point) { cairo_move_to(context, p.x, p.y) }
    public func line(to p: Point) { cairo_line_to(context, p.x, p.y) }
    public func close() { cairo_close_path(context) }
    public func rectangle(_ r: Rect) { cairo_rectangle(context, r.x, r.y, r.width, r.height) }
    public func circle(_ center: Point, radius: Double) {
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * .pi)
    }

    public func stroke() { cairo_stroke(context) }
    public func fill() { cairo_fill(context) }

    /// A straight line from a to b in the current colour and width.
    public func line(_ a: Point, _ b: Point) {
        move(to: a)
        line(to: b)
        stroke()
    }

    public func fill(_ r: Rect, _ color: Color) {
        setColor(color)
        rectangle(r)
        fill()
    }

    // MARK: Text

    private func setFont(size: Double, bold: Bool) {
        cairo_select_font_face(
            context, fontFamily, CAIRO_FONT_SLANT_NORMAL,
            bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    private func advance(_ text: String, size: Double, bold: Bool) -> Double {
        setFont(size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Width and height (ascent + descent of the font) of `text` set at `size`;
    /// `rich: false` takes the text literally (names from files, which may hold `_`).
    public func measure(_ text: String, size: Double, bold: Bool = false, rich: Bool = true) -> (
        width: Double, height: Double
    ) {
        let width = runs(text, rich: rich).reduce(0.0) {
            $0 + advance($1.text, size: $1.level == 0 ? size : size * RichText.scriptScale, bold: bold)
        }
        return (width, size * 1.17)
    }

    private func runs(_ text: String, rich: Bool) -> [RichText.Run] {
        rich ? RichText(text).runs : [RichText.Run(text: text, level: 0)]
    }

    /// Draws `text` (with _sub and ^super scripts unless `rich` is false)
    /// anchored at `point`, rotated by `angle` radians (−π/2 reads bottom to top).
    public func text(
        _ text: String, at point: Point, size: Double, anchor: TextAnchor = TextAnchor(.left, .baseline),
        color: Color = .black, bold: Bool = false, angle: Double = 0, rich: Bool = true
    ) {
        let width = measure(text, size: size, bold: bold, rich: rich).width
        let dx: Double = anchor.horizontal == .left ? 0 : anchor.horizontal == .center ? -width / 2 : -width
        let ascent = size * 0.76
        let descent = size * 0.24
        let dy: Double
        switch anchor.vertical {
        case .top: dy = ascent
        case .middle: dy = (ascent - descent) / 2
        case .baseline: dy = 0
        case .bottom: dy = -descent
        }
        save()
        cairo_translate(context, point.x, point.y)
        cairo_rotate(context, angle)
        setColor(color)
        var x = dx
        for run in runs(text, rich: rich) {
            let runSize = run.level == 0 ? size : size * RichText.scriptScale
            let shift = run.level == 0 ? 0 : run.level < 0 ? size * 0.22 : -size * 0.38
            setFont(size: runSize, bold: bold)
            cairo_move_to(context, x, dy + shift)
            cairo_show_text(context, run.text)
            x += advance(run.text, size: runSize, bold: bold)
        }
        restore()
    }

    // MARK: Images

    /// Paints an 8-bit grayscale (channels 1), RGB (3) or RGBA (4) image of
    /// `columns × rows` pixels into `rect`, pixels kept sharp (nearest neighbour).
    public func image(_ pixels: [UInt8], columns: Int, rows: Int, channels: Int, in rect: Rect) {
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(columns)))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(columns), Int32(rows)) else { return }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let data = cairo_image_surface_get_data(surface)!
        for r in 0..<rows {
            let row = (data + r * stride).withMemoryRebound(to: UInt32.self, capacity: columns) { $0 }
            for c in 0..<columns {
                let i = (r * columns + c) * channels
                let red = UInt32(pixels[i])
                let green = UInt32(channels >= 3 ? pixels[i + 1] : pixels[i])
                let blue = UInt32(channels >= 3 ? pixels[i + 2] : pixels[i])
                let alpha = UInt32(channels == 4 ? pixels[i + 3] : 255)
                // Premultiplied ARGB in native byte order.
                row[c] = alpha << 24 | (red * alpha / 255) << 16 | (green * alpha / 255) << 8 | (blue * alpha / 255)
            }
        }
        cairo_surface_mark_dirty(surface)
        save()
        cairo_translate(context, rect.x, rect.y)
        cairo_scale(context, rect.width / Double(columns), rect.height / Double(rows))
        cairo_set_source_surface(context, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
        cairo_paint(context)
        restore()
    }
}

extension Canvas {
    /// Runs `body` on a canvas of `width` × `height` points over a 1×1-pixel surface that clips everything:
    /// for measuring text and laying out without drawing a file. Nil when Cairo cannot make the surface.
    static func scratch<T>(width: Double = 1, height: Double = 1, _ body: (Canvas) -> T) -> T? {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard let context = cairo_create(surface) else { return nil }
        defer { cairo_destroy(context) }
        return body(Canvas(context: context, width: width, height: height))
    }
}
