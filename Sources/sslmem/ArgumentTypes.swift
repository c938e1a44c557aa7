import ArgumentParser
import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot

/// A comma-separated list of values of one type (`--top 10,50,100`, `--format pdf,png`): parsed and checked
/// by ArgumentParser, so a bad element is a usage error of that option. Empty elements are refused.
struct CommaSeparated<Element: ExpressibleByArgument>: ExpressibleByArgument {
    var values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        var values: [Element] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Element(argument: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        self.values = values
    }

    var defaultValueDescription: String { values.map(\.defaultValueDescription).joined(separator: ",") }
}

/// `--subset`: one of the four subsets, or all points.
enum SubsetChoice: String, CaseIterable, ExpressibleByArgument {
    case shared, candidate, independent, extra, all

    /// The subset, or nil for all points.
    var subset: Subset? { Subset(name: rawValue) }
}

extension FigureFormat: ExpressibleByArgument {}
extension FigureWidth.Column: ExpressibleByArgument {}
extension FigureWidth.Venue: ExpressibleByArgument {}
extension ScatterColoring: ExpressibleByArgument {}

/// `--width` and `--venue` of every command that draws figures: the printed width and type sizes (`FigureWidth`).
struct FigureSizeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Figure width: single (one column, 3.25 in) or double (the full text width, 6.75 in); with --venue, "
                + "that venue's column or text width.", valueName: "single|double"))
    var width: FigureWidth.Column = .single

    @Option(
        help: ArgumentHelp(
            "Size figures for a venue's template: neurips or iclr (5.5 in, one column; --width does not change it), "
                + "icml (3.25 in column, 6.75 in with --width double); 8 pt ticks, 9 pt labels and titles.",
            valueName: "neurips|iclr|icml"))
    var venue: FigureWidth.Venue?

    /// The width and type sizes the options ask for.
    var figureWidth: FigureWidth { FigureWidth(width, venue: venue) }
}
extension PDFPages.Paper: ExpressibleByArgument, CaseIterable {
    public static let allCases: [PDFPages.Paper] = [.a4, .letter]
}

/// Default list sizes that fit `limit` points, and those skipped; an explicit size is never adapted.
func sizesThatFit(_ defaults: [Int], limit: Int) -> (kept: [Int], skipped: [Int]) {
    (defaults.filter { $0 <= limit }, defaults.filter { $0 > limit })
}

/// A note on stderr (not an error: the command goes on).
func note(_ text: String) {
    FileHandle.standardError.write(Data("note: \(text)\n".utf8))
}

/// Warnings on stderr, one line each, after the command's results.
func warn(_ warnings: [String]) {
    for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
}
