import CCairo

/// Encodes an 8-bit grayscale, RGB or RGBA image as PNG bytes in memory (for
/// thumbnails embedded as data URIs), scaled up `scale` times, pixels kept sharp.
public enum PNGEncoding {
    public static func encode(_ pixels: [UInt8], columns: Int, rows: Int, channels: Int, scale: Int = 2) -> [UInt8] {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(columns * scale), Int32(rows * scale))!
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        Canvas(context: context, width: Double(columns * scale), height: Double(rows * scale))
            .image(
                pixels, columns: columns, rows: rows, channels: channels,
                in: Rect(x: 0, y: 0, width: Double(columns * scale), height: Double(rows * scale)))
        cairo_destroy(context)
        return bytes(of: surface)
    }

    /// The PNG bytes of an image surface, written in memory: `encode(surface:)` for colour surfaces,
    /// cairo's writer for the others (A8 thumbnails).
    static func bytes(of surface: OpaquePointer) -> [UInt8] {
        if let png = encode(surface: surface) { return png }
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        cairo_surface_write_to_png_stream(
            surface,
            { closure, data, length in
                let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        return sink.bytes
    }
}
