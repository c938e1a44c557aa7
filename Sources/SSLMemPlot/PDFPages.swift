import CCairo
import SSLMemSupport

/// A multi-page PDF (A4 or Letter) drawn page by page with `Canvas`, for
/// reports: fonts embedded, creation date from SOURCE_DATE_EPOCH when set.
public final class PDFPages {
    public enum Paper: String, Sendable {
        case a4, letter
        public var size: (width: Double, height: Double) { self == .a4 ? (595.28, 841.89) : (612, 792) }
    }

    public let width: Double
    public let height: Double
    private let surface: OpaquePointer
    private let context: OpaquePointer
    public let canvas: Canvas
    private let path: String

    public init(path: String, paper: Paper, title: String) throws {
        (width, height) = paper.size
        self.path = path
        guard let surface = cairo_pdf_surface_create(path, width, height),
            cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else {
            throw SSLMemError.figure(path, "cannot create the PDF")
        }
        self.surface = surface
        if let date = Figure.sourceDate {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date)
        }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sslmem")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        context = cairo_create(surface)
        canvas = Canvas(context: context, width: width, height: height)
    }

    /// Ends the current page and starts a blank one.
    public func newPage() { cairo_show_page(context) }

    /// Draws `figure` with its top-left corner at `origin`, scaled by `scale`.
    public func draw(_ figure: Figure, at origin: Point, scale: Double = 1) {
        canvas.save()
        cairo_translate(context, origin.x, origin.y)
        cairo_scale(context, scale, scale)
        figure.draw(Canvas(context: context, width: figure.width, height: figure.height))
        canvas.restore()
    }

    /// Finishes the document; throws if Cairo failed anywhere.
    public func finish() throws {
        cairo_show_page(context)
        cairo_destroy(context)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw SSLMemError.figure(path, String(cString: cairo_status_to_string(status)))
        }
    }
}
