import CCairo

extension PNGEncoding {
    /// A small image as compact PNG bytes at its own resolution, for the HTML report's point explorer (the page
    /// scales it up with sharp pixels): 8-bit grayscale for one or two channels (the first), 8-bit RGB for three or four (alpha dropped).
    public static func thumbnail(_ pixels: [UInt8], columns: Int, rows: Int, channels: Int) -> [UInt8] {
        let gray = channels < 3
        let surface = cairo_image_surface_create(
            gray ? CAIRO_FORMAT_A8 : CAIRO_FORMAT_RGB24, Int32(columns), Int32(rows))!
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        for r in 0..<rows {
            for c in 0..<columns {
                let p = (r * columns + c) * channels
                if gray {
                    data[r * stride + c] = pixels[p]
                } else {
                    // RGB24: one native-endian 32-bit word 0x00RRGGBB per pixel.
                    let word = UInt32(pixels[p]) << 16 | UInt32(pixels[p + 1]) << 8 | UInt32(pixels[p + 2])
                    (data + r * stride + c * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee = word }
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        return bytes(of: surface)
    }
}
