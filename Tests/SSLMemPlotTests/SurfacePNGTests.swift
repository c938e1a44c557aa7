import CCairo
import CPlotKernels
import Foundation
import Testing

@testable import SSLMemPlot

/// SSLMemPlot's PNG encoder (SurfacePNG.swift) against cairo's own writer: the
/// same pixels decoded back (an opaque figure-like surface, one with
/// translucent and fully transparent pixels, an RGB24 one), filtered rows that
/// reconstruct, the same bytes twice, and files no more than 10% larger than cairo's.
@Suite struct SurfacePNGTests {
    /// Lines, text, a gradient and noise on white (or on nothing, for `transparent`).
    static func surface(_ format: cairo_format_t, transparent: Bool) -> OpaquePointer {
        let surface = cairo_image_surface_create(format, 301, 157)!
        let context = cairo_create(surface)!
        if !transparent {
            cairo_set_source_rgb(context, 1, 1, 1)
            cairo_paint(context)
        }
        let gradient = cairo_pattern_create_linear(0, 0, 301, 0)!
        cairo_pattern_add_color_stop_rgba(gradient, 0, 0.1, 0.4, 0.8, 1)
        cairo_pattern_add_color_stop_rgba(gradient, 1, 0.9, 0.3, 0.1, transparent ? 0.3 : 1)
        cairo_set_source(context, gradient)
        cairo_rectangle(context, 10, 10, 200, 60)
        cairo_fill(context)
        cairo_pattern_destroy(gradient)
        cairo_set_source_rgba(context, 0, 0.45, 0.7, transparent ? 0.6 : 1)
        cairo_set_line_width(context, 2.5)
        for i in 0..<12 {
            cairo_move_to(context, Double(i * 25), 150)
            cairo_line_to(context, Double(i * 25 + 40), 80 + Double(i % 5) * 9)
        }
        cairo_stroke(context)
        cairo_move_to(context, 220, 40)
        cairo_set_font_size(context, 14)
        cairo_show_text(context, "SSLMem 0.42")
        cairo_destroy(context)
        cairo_surface_flush(surface)
        // Noise in a corner, so rows filtered with Average and Paeth appear.
        let data = cairo_image_surface_get_data(surface)!
        let stride = Int(cairo_image_surface_get_stride(surface))
        var state: UInt32 = 7
        for row in 100..<157 {
            for column in 230..<301 {
                state = state &* 1_664_525 &+ 1_013_904_223
                let value = UInt32(row * 2 + column) & 0xff
                let word = 0xff00_0000 | value << 16 | (state >> 24) << 8 | UInt32(column & 0xff)
                (data + row * stride + column * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee = word }
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }

    static func cairoPNG(_ surface: OpaquePointer) -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        cairo_surface_write_to_png_stream(
            surface,
            { closure, data, length in
                Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue().bytes
                    .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        return sink.bytes
    }

    /// The pixels cairo reads back from PNG bytes, as ARGB32 words.
    static func decoded(_ png: [UInt8]) -> [UInt32] {
        final class Source {
            var bytes: [UInt8]
            var offset = 0
            init(_ b: [UInt8]) { bytes = b }
        }
        let source = Source(png)
        let surface = cairo_image_surface_create_from_png_stream(
            { closure, data, length in
                let source = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
                guard source.offset + Int(length) <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
                for i in 0..<Int(length) { data![i] = source.bytes[source.offset + i] }
                source.offset += Int(length)
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(source).toOpaque())!
        defer { cairo_surface_destroy(surface) }
        #expect(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        return (0..<height).flatMap { row in
            (0..<width).map { UnsafeRawPointer(data + row * stride + $0 * 4).loadUnaligned(as: UInt32.self) }
        }
    }

    @Test(arguments: [(CAIRO_FORMAT_ARGB32, false), (CAIRO_FORMAT_ARGB32, true), (CAIRO_FORMAT_RGB24, false)])
    func decodesToCairosPixels(format: cairo_format_t, transparent: Bool) throws {
        let surface = Self.surface(format, transparent: transparent)
        defer { cairo_surface_destroy(surface) }
        let ours = try #require(PNGEncoding.encode(surface: surface))
        let theirs = Self.cairoPNG(surface)
        #expect(Self.decoded(ours) == Self.decoded(theirs))
        #expect(PNGEncoding.encode(surface: surface) == ours, "not deterministic")
        #expect(ours[25] == (transparent ? 6 : 2), "colour type: RGBA only when some pixel is not opaque")
        #expect(Double(ours.count) <= 1.1 * Double(theirs.count), "\(ours.count) bytes, cairo \(theirs.count)")
    }

    /// Rows that favour different filters: several types are chosen, and the rows reconstruct exactly.
    @Test func filteredRowsReconstruct() {
        // Rows of: constant (None), a ramp along the row (Sub), a copy of the row above (Up), and noise.
        let width = 64
        let rows = 40
        let bpp = 3
        var raw = [UInt8](repeating: 0, count: width * bpp * rows)
        var state: UInt32 = 3
        for row in 0..<rows {
            for i in 0..<(width * bpp) {
                state = state &* 1_664_525 &+ 1_013_904_223
                let value: Int
                switch row % 4 {
                case 0: value = 200
                case 1: value = i * 3
                case 2: value = Int(raw[(row - 1) * width * bpp + i])
                default:
                    value = i / bpp * 2 + (row > 0 ? Int(raw[(row - 1) * width * bpp + i]) / 2 : 0) + Int(state >> 30)
                }
                raw[row * width * bpp + i] = UInt8(truncatingIfNeeded: value)
            }
        }
        let rowBytes = width * bpp
        let filtered = PNGEncoding.filter(raw, rows: rows, rowBytes: rowBytes, bytesPerPixel: bpp)
        let types = (0..<rows).map { filtered[$0 * (rowBytes + 1)] }
        #expect(Set(types).count >= 3 && types.allSatisfy { $0 <= 4 }, "\(types)")
        // The portable build gives the same bytes as the one this CPU runs.
        var portable = [UInt8](repeating: 0, count: filtered.count)
        var scratch = [UInt8](repeating: 0, count: 6 * rowBytes)
        sslmem_png_filter_variant(0, raw, rows, rowBytes, bpp, &portable, &scratch)
        #expect(portable == filtered)
        // Each row's type is the first with the smallest Σ|signed byte| (computed here from the definitions).
        for row in 0..<rows {
            let costs = (0..<5).map { type in
                (0..<rowBytes).reduce(0) { sum, i in
                    let x = Int(raw[row * rowBytes + i])
                    let a = i >= bpp ? Int(raw[row * rowBytes + i - bpp]) : 0
                    let b = row > 0 ? Int(raw[(row - 1) * rowBytes + i]) : 0
                    let c = row > 0 && i >= bpp ? Int(raw[(row - 1) * rowBytes + i - bpp]) : 0
                    let p = a + b - c
                    let pa = abs(p - a)
                    let pb = abs(p - b)
                    let pc = abs(p - c)
                    let predictor = [0, a, b, (a + b) / 2, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][type]
                    return sum + abs(Int(Int8(truncatingIfNeeded: x - predictor)))
                }
            }
            #expect(Int(types[row]) == costs.firstIndex(of: costs.min()!)!, "row \(row): costs \(costs)")
        }
        // Reconstruction as the PNG specification (§9.2) defines it gives the rows back.
        var restored = [UInt8](repeating: 0, count: raw.count)
        for row in 0..<rows {
            let type = filtered[row * (rowBytes + 1)]
            for i in 0..<rowBytes {
                let x = Int(filtered[row * (rowBytes + 1) + 1 + i])
                let a = i >= bpp ? Int(restored[row * rowBytes + i - bpp]) : 0
                let b = row > 0 ? Int(restored[(row - 1) * rowBytes + i]) : 0
                let c = row > 0 && i >= bpp ? Int(restored[(row - 1) * rowBytes + i - bpp]) : 0
                let p = a + b - c
                let pa = abs(p - a)
                let pb = abs(p - b)
                let pc = abs(p - c)
                let predictor = [0, a, b, (a + b) / 2, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][Int(type)]
                restored[row * rowBytes + i] = UInt8(truncatingIfNeeded: x + predictor)
            }
        }
        #expect(restored == raw)
    }
}
