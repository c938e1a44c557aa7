import Foundation
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

/// One figure of the paper for one run: the drawing, and the numbers it plots
/// as CSV so a user can re-plot them in their own tool.
public struct PaperFigure {
    /// File stem: `score_distribution` → score_distribution.pdf/.svg/.png/.csv.
    public var name: String
    /// One sentence saying what the figure shows (and which paper figure it mirrors).
    public var caption: String
    public var figure: Figure
    public var columns: [String]
    public var rows: [[String]]

    public init(name: String, caption: String, figure: Figure, columns: [String], rows: [[String]]) {
        self.name = name
        self.caption = caption
        self.figure = figure
        self.columns = columns
        self.rows = rows
    }

    public var csv: String {
        ([columns] + rows).map(CSV.line).joined(separator: "\n") + "\n"
    }

    /// Writes `DIR/name.<format>` for each format and `DIR/name.csv`, each atomically.
    /// Returns the paths written.
    @discardableResult
    public func write(to directory: String, formats: [FigureFormat]) throws -> [String] {
        var written: [String] = []
        for format in formats {
            let path = "\(directory)/\(name).\(format.rawValue)"
            try AtomicOutput.write(to: path) { temporary in
                do { try figure.write(to: temporary, format: format) } catch let error as SSLMemError {
                    throw error.file == temporary ? SSLMemError(file: path, error.message) : error
                }
            }
            written.append(path)
        }
        let data = "\(directory)/\(name).csv"
        try AtomicOutput.write(text: csv, to: data)
        return written + [data]
    }
}

/// How the figures draw and name the four subsets: Okabe–Ito colours, and — so the subsets stay apart in
/// grayscale print, where vermillion, blue and green come out as similar greys — a line style and a marker
/// shape each, and the paper's symbols.
enum SubsetStyle {
    /// Dash pattern of a subset's line: candidates solid, independent dashed, shared dotted, extra dash-dot.
    static func dash(_ subset: Subset) -> [Double] {
        switch subset {
        case .candidate: return []
        case .independent: return [4, 2]
        case .shared: return [1, 1.5]
        case .extra: return [5, 1.5, 1, 1.5]
        }
    }

    static func marker(_ subset: Subset) -> Marker {
        switch subset {
        case .candidate: return .circle
        case .independent: return .square
        case .shared: return .ring
        case .extra: return .triangle
        }
    }

    static func color(_ subset: Subset) -> Color {
        switch subset {
        case .candidate: return OkabeIto.vermillion
        case .independent: return OkabeIto.blue
        case .shared: return OkabeIto.black
        case .extra: return OkabeIto.bluishGreen
        }
    }

    static func label(_ subset: Subset) -> String {
        switch subset {
        case .shared: return "shared S_S"
        case .candidate: return "candidate S_C"
        case .independent: return "independent S_I"
        case .extra: return "extra S_E"
        }
    }
}

/// Numbers in CSV: shortest exact form.
func csvNumber(_ x: Double) -> String { x.isFinite ? "\(x)" : "" }
