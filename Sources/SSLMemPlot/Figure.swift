import CCairo
import Foundation
import SSLMemSupport

/// Output formats of a figure: vector PDF (fonts embedded) for LaTeX, SVG for
/// the web, PNG (300 dpi) for a quick look.
public enum FigureFormat: String, CaseIterable, Sendable {
    case pdf, svg, png
}

/// The printed width of a figure and the type sizes that go with it (`Style`).
///
/// Without a venue: `single` is one column of a two-column page, 3.25 in (234 pt), and `double` the
/// full text width of that page, 6.75 in (486 pt): the column and text widths of the ICML and IEEE
/// two-column templates (the old 3.3 in / 7 in were wider than those columns).
///
/// With a venue, the venue's widths: NeurIPS and ICLR are one-column, 5.5 in (396 pt) text width,
/// for `single` and `double` alike; ICML is two-column, 3.25 in per column (`single`) and 6.75 in
/// across (`double`). The venue's type sizes: all three set body text in 10 pt Times, captions at
/// 9 pt (ICLR, NeurIPS \small) and footnotes at 8 pt, so a figure placed at 100% uses 8 pt ticks
/// (\footnotesize, the smallest size the templates use for running text) and 9 pt axis labels and
/// titles (the caption size): never smaller than the footnotes, never louder than the body.
public struct FigureWidth: Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    /// One column or the full text width of the page.
    public enum Column: String, CaseIterable, Sendable { case single, double }
    /// Conference templates whose widths and type sizes `--venue` picks.
    public enum Venue: String, CaseIterable, Sendable {
        case neurips, iclr, icml

        /// Text width (inches) of one column (`single`) or of the page (`double`).
        public func inches(_ column: Column) -> Double {
            switch self {
            case .neurips, .iclr: return 5.5
            case .icml: return column == .single ? 3.25 : 6.75
            }
        }
    }

    public var column: Column
    public var venue: Venue?

    public init(_ column: Column, venue: Venue? = nil) {
        self.column = column
        self.venue = venue
    }

    public static let single = FigureWidth(.single)
    public static let double = FigureWidth(.double)
    public static let allCases: [FigureWidth] = [.single, .double]

    /// Width in inches: 3.25 or 6.75 without a venue, else the venue's (`Venue.inches`).
    public var inches: Double { venue?.inches(column) ?? (column == .single ? 3.25 : 6.75) }

    /// Width in points (1/72 in).
    public var points: Double { inches * 72 }

    /// Whether the figure is one narrow column (≤ 3.5 in): layouts stack panels and use taller aspect ratios.
    public var isNarrow: Bool { inches <= 3.5 }

    public var description: String { venue.map { "\($0.rawValue) \(column.rawValue)" } ?? column.rawValue }
}

/// Something drawn once and rendered to any format.
public struct Figure {
    public var width: Double
    public var height: Double
    public var draw: (Canvas) -> Void

    public init(width: Double, height: Double, draw: @escaping (Canvas) -> Void) {
        self.width = width
        self.height = height
        self.draw = draw
    }

    /// PNG resolution.
    public static let pixelsPerPoint = 300.0 / 72

    /// Renders to `path`. PDF creation dates come from SOURCE_DATE_EPOCH when
    /// set, so the same drawing gives the same bytes.
    public func write(to path: String, format: FigureFormat) throws {
        let surface: OpaquePointer?
        var scale = 1.0
        switch format {
        case .pdf:
            surface = cairo_pdf_surface_create(path, width, height)
            if let date = Self.sourceDate {
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date)
            }
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sslmem")
        case .svg:
            surface = cairo_svg_surface_create(path, width, height)
        case .png:
            scale = Self.pixelsPerPoint
            surface = cairo_image_surface_create(
                CAIRO_FORMAT_ARGB32, Int32((width * scale).rounded()),
                Int32((height * scale).rounded()))
        }
        guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw SSLMemError.figure(path, "cannot create the \(format.rawValue) surface")
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)!
        cairo_scale(context, scale, scale)
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        draw(Canvas(context: context, width: width, height: height))
        let drawn = cairo_status(context)
        cairo_destroy(context)
        if format == .png, drawn == CAIRO_STATUS_SUCCESS {
            guard let png = PNGEncoding.encode(surface: surface) else {
                throw SSLMemError.figure(path, "cannot encode the image surface as PNG")
            }
            do { try Data(png).write(to: URL(fileURLWithPath: path)) } catch {
                throw SSLMemError.figure(path, "cannot write the PNG file (\(error.localizedDescription))")
            }
        }
        cairo_surface_finish(surface)
        let status = drawn == CAIRO_STATUS_SUCCESS ? cairo_surface_status(surface) : drawn
        guard status == CAIRO_STATUS_SUCCESS else {
            throw SSLMemError.figure(path, String(cString: cairo_status_to_string(status)))
        }
        if format == .svg { try Self.renumberObjectIDs(path) }
    }

    /// Cairo numbers SVG surfaces, images and patterns with process-wide
    /// counters (`id="surface74"`), so a figure's bytes would depend on what was
    /// drawn before it. Renumbering each kind by first appearance — only in
    /// `id="…"` and `#…` references, never inside embedded data — makes them
    /// depend on the figure alone.
    static func renumberObjectIDs(_ path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError.figure(path, "cannot read back the SVG")
        }
        let text = String(decoding: data, as: UTF8.self)
        let regex = try! NSRegularExpression(
            pattern: "(id=\"|#)(surface|image|pattern|source|mask|clip|filter)([0-9]+)")
        var numbers: [String: [String: Int]] = [:]
        var result = ""
        var last = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            func group(_ i: Int) -> String { String(text[Range(match.range(at: i), in: text)!]) }
            let kind = group(2)
            let number = group(3)
            let renumbered = numbers[kind]?[number] ?? (numbers[kind]?.count ?? 0) + 1
            numbers[kind, default: [:]][number] = renumbered
            let whole = Range(match.range, in: text)!
            result += text[last..<whole.lowerBound] + group(1) + kind + String(renumbered)
            last = whole.upperBound
        }
        result += text[last...]
        result = pixelated(result)
        guard FileManager.default.createFile(atPath: path, contents: Data(result.utf8)) else {
            throw SSLMemError.figure(path, "cannot rewrite the SVG")
        }
    }

    /// Every `<image>` of the SVG with `style="image-rendering:pixelated"`: the only raster images the
    /// figures draw are small pictures (28 × 28 points) scaled up, which browsers would otherwise smooth
    /// into blur. Cairo (1.16) writes no rendering hint of its own for SVG; for PDF its
    /// `CAIRO_FILTER_NEAREST` (set by `Canvas.image`) becomes `/Interpolate false`, and PNGs are
    /// painted with it directly.
    static func pixelated(_ svg: String) -> String {
        let regex = try! NSRegularExpression(pattern: "<image (?![^>]*image-rendering)")
        return regex.stringByReplacingMatches(
            in: svg, range: NSRange(svg.startIndex..., in: svg),
            withTemplate: "<image style=\"image-rendering:pixelated\" ")
    }

    /// SOURCE_DATE_EPOCH as a PDF date (ISO 8601, UTC), if set.
    static var sourceDate: String? {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(text) else {
            return nil
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}

extension SSLMemError {
    /// "`path`: cannot write figure: `why`".
    static func figure(_ path: String, _ why: String) -> SSLMemError {
        SSLMemError(file: path, "cannot write figure: " + why)
    }
}
