import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemPlot

/// A `ReportDocument` as a paginated PDF drawn with Cairo: title block, numbered sections, text wrapped to
/// the measure (`Typesetter`), tables that break across pages with their header repeated, vector figures at
/// their own size (never shrunk to fill a page: their type was set for print), a page number in every footer.
final class PDFReport {
    private let pages: PDFPages
    private var canvas: Canvas { pages.canvas }
    private var typesetter: Typesetter { Typesetter(canvas) }
    /// 0.75 in: A4's measure is then 487 pt, so a full-width figure (6.75 in = 486 pt) is placed at 100%.
    static let margin = 54.0
    private var margin: Double { Self.margin }
    private var y = 0.0
    private var page = 1
    /// Every paragraph and bullet drawn, in order (without the title): what `ReportParityTests` compares with
    /// the HTML.
    private(set) var paragraphs: [String] = []
    private let bodySize = 9.5
    private let smallSize = 8.0

    private var contentWidth: Double { pages.width - 2 * margin }
    private var bottom: Double { pages.height - margin }

    private init(path: String, paper: PDFPages.Paper, title: String) throws {
        pages = try PDFPages(path: path, paper: paper, title: title)
        y = margin
    }

    /// Writes `document` as a PDF; returns its paragraphs (`paragraphs`).
    @discardableResult
    static func write(_ document: ReportDocument, to path: String, paper: PDFPages.Paper) throws -> [String] {
        let pdf = try PDFReport(path: path, paper: paper, title: document.title)
        pdf.footer()
        pdf.paragraph(document.title, size: 17, bold: true)
        pdf.paragraphs = []
        pdf.paragraph(document.generated, size: pdf.smallSize, color: .grey)
        pdf.y += 6
        pdf.render(document.blocks)
        try pdf.pages.finish()
        return pdf.paragraphs
    }

    private func render(_ blocks: [ReportBlock]) {
        var section = 0
        for (i, block) in blocks.enumerated() {
            let previous = i > 0 ? blocks[i - 1] : nil
            switch block {
            case .heading(let text, _, let level):
                if level <= 2 {
                    section += 1
                    heading("\(section)  \(text)", following: following(blocks[(i + 1)...]))
                } else {
                    subheading(text)
                }
            case .paragraph(let text, let style):
                paragraph(text, size: style == .note ? smallSize + 0.5 : bodySize)
            case .finding(let finding):
                paragraph("• " + finding.sentence, size: smallSize + 0.5)
            case .caveat(let text):
                if case .caveat = previous {
                } else {
                    ensure(60)
                    paragraph("Caveats. Read the findings with these in mind:", bold: true)
                }
                paragraph("• " + text, size: smallSize + 0.5)
            case .list(let items):
                for item in items { paragraph("• " + item, size: smallSize + 0.5) }
            case .table(let table):
                self.table(table)
            case .figure(let figure):
                self.figure(figure)
            case .code(let label, let text):
                paragraph(label + " " + text, size: smallSize)
            case .explorer:
                break
            }
        }
    }

    // MARK: Layout

    private func footer() {
        canvas.text(
            "page \(page)", at: Point(pages.width / 2, pages.height - margin / 2), size: smallSize,
            anchor: TextAnchor(.center, .middle), color: .grey, rich: false)
    }

    private func ensure(_ height: Double) {
        guard y + height > bottom else { return }
        pages.newPage()
        page += 1
        y = margin
        footer()
    }

    /// About how much of what follows a heading must stay on its page: the next block (a figure whole, else
    /// 140 points), and when that is a short paragraph, the figure after it too.
    private func following(_ blocks: ArraySlice<ReportBlock>) -> Double {
        guard let first = blocks.first else { return 0 }
        switch first {
        case .figure(let figure): return height(of: figure)
        case .paragraph(let text, _):
            let lines = Double(typesetter.wrap(text, width: contentWidth, size: bodySize).count) * bodySize * 1.45 + 3
            if case .figure(let figure) = blocks.dropFirst().first { return lines + height(of: figure) }
            return max(140, lines + 60)
        default: return 140
        }
    }

    /// A section heading, on the next page unless `following` points (what comes right after it, at least
    /// 140 unless nothing follows) fit below it: a heading never ends a page.
    private func heading(_ text: String, following: Double) {
        ensure(29 + min(following, bottom - margin - 29))
        y += 10
        canvas.text(text, at: Point(margin, y), size: 12.5, anchor: TextAnchor(.left, .top), bold: true, rich: false)
        y += 19
    }

    /// A bold run-in heading (the HTML's h3), kept with at least 90 points of what follows it.
    private func subheading(_ text: String) {
        ensure(90)
        paragraph(text, bold: true)
        paragraphs.removeLast()
    }

    private func paragraph(_ text: String, size: Double? = nil, bold: Bool = false, color: Color = .black) {
        let size = size ?? bodySize
        paragraphs.append(text)
        let lines = typesetter.wrap(text, width: contentWidth, size: size, bold: bold)
        // No orphan or widow: a paragraph of up to three lines stays whole; a longer one starts with at least
        // two lines on the page and never leaves its last line alone on the next.
        ensure(Double(lines.count <= 3 ? lines.count : 2) * size * 1.45)
        for (i, line) in lines.enumerated() {
            if lines.count > 3 && i == lines.count - 2 { ensure(2 * size * 1.45) }
            ensure(size * 1.45)
            canvas.text(
                line, at: Point(margin, y), size: size, anchor: TextAnchor(.left, .top), color: color, bold: bold,
                rich: false)
            y += size * 1.45
        }
        y += 3
    }

    /// A table with rules above and below the header and at the end (booktabs style), at its natural width
    /// (each column as wide as its widest cell, not stretched to the measure); when that is wider than the
    /// measure, text columns wrap and share what the numeric ones leave (`Typesetter.columnWidths`), and a long
    /// header breaks over lines. Numeric columns are right-aligned, their header too; the header repeats after
    /// a page break. An image column holds thumbnails.
    private func table(_ table: ReportTable) {
        let size: Double
        switch table.size {
        case .normal: size = smallSize + 0.5
        case .small: size = smallSize - 0.5
        case .tiny: size = 6.5
        }
        let pad = 3.5
        let line = size * 1.35
        let thumb = 26.0
        let columns = table.columns
        let rows = table.rows
        let images = columns.map { $0.kind == .image }
        var wraps = columns.map { $0.kind == .text || $0.kind == .code }
        let cellWidth = columns.indices.map { c in
            images[c] ? thumb : rows.map { typesetter.width($0[c], size: size) }.max() ?? 0
        }
        let headerWord = columns.map { typesetter.longestWord($0.title, size: size, bold: true) }
        let headerWidth = columns.map { typesetter.width($0.title, size: size, bold: true) }
        var natural = columns.indices.map { c in
            max(cellWidth[c], headerWord[c], min(headerWidth[c], max(cellWidth[c], 90))) + 2 * pad + 0.5
        }
        // A wrapping column keeps its longest word whole (up to 110 pt: a path or hash breaks anywhere).
        func least(_ c: Int) -> Double {
            wraps[c]
                ? max(
                    headerWord[c], min(rows.map { typesetter.longestWord($0[c], size: size) }.max() ?? 0, 110),
                    columns[c].kind == .numeric ? 0 : 30) + 2 * pad + 0.5 : natural[c]
        }
        // When the columns that do not wrap leave the wrapping ones less than their minimum, numeric headers break
        // at every space and numeric cells holding a space ("0.0123 [0.01, 0.02]") wrap too, right-aligned: a
        // table wider than the measure would run off the page.
        if columns.indices.map(least).reduce(0, +) > contentWidth {
            for c in columns.indices where columns[c].kind == .numeric {
                natural[c] = max(cellWidth[c], headerWord[c]) + 2 * pad + 0.5
                wraps[c] = rows.contains { $0[c].contains(" ") }
            }
        }
        let minimum = columns.indices.map(least)
        let widths = Typesetter.columnWidths(natural: natural, minimum: minimum, wraps: wraps, available: contentWidth)
        let xs = widths.reduce(into: [margin]) { $0.append($0.last! + $1) }
        let right = columns.map { $0.kind == .numeric }
        let tableWidth = widths.reduce(0, +)
        func wrapped(_ cells: [String], bold: Bool) -> [[String]] {
            cells.enumerated().map { c, text in
                images[c] && !bold ? [] : typesetter.wrap(text, width: widths[c] - 2 * pad, size: size, bold: bold)
            }
        }
        func rowHeight(_ cells: [String], bold: Bool, imageRow: Bool) -> Double {
            let lines = Double(wrapped(cells, bold: bold).map(\.count).max() ?? 1) * line + 2 * pad
            return imageRow && images.contains(true) ? max(lines, thumb + 2 * pad) : lines
        }
        func drawRow(_ cells: [String], bold: Bool, image: ImagesFile.Image?? = nil) -> Double {
            let height = rowHeight(cells, bold: bold, imageRow: image != nil)
            for (column, texts) in wrapped(cells, bold: bold).enumerated() {
                // Short cells sit in the middle of a row made tall by a thumbnail.
                let top = image != nil ? y + (height - Double(texts.count) * line) / 2 : y + pad
                for (i, text) in texts.enumerated() {
                    let x = right[column] ? xs[column + 1] - pad : xs[column] + pad
                    canvas.text(
                        text, at: Point(x, top + Double(i) * line), size: size,
                        anchor: TextAnchor(right[column] ? .right : .left, .top), bold: bold, rich: false)
                }
            }
            if let image = image ?? nil, let column = images.firstIndex(of: true) {
                canvas.image(
                    image.pixels, columns: image.columns, rows: image.rows, channels: image.channels,
                    in: Rect(x: xs[column] + pad, y: y + pad, width: thumb, height: thumb))
            }
            return height
        }
        func rule(_ width: Double) {
            canvas.setColor(.black)
            canvas.setLineWidth(width)
            canvas.line(Point(margin, y), Point(margin + tableWidth, y))
        }
        let titles = columns.map(\.title)
        func header() {
            rule(0.8)
            y += drawRow(titles, bold: true)
            rule(0.5)
        }
        let rowImages: [ImagesFile.Image??] = rows.indices.map { r -> ImagesFile.Image?? in
            guard images.contains(true) else { return nil }
            return .some(r < table.images.count ? table.images[r] : nil)
        }
        let headerHeight = rowHeight(titles, bold: true, imageRow: false)
        // The header never ends a page: it stays with at least its first row (or two).
        let firstRows = rows.indices.prefix(2).map { rowHeight(rows[$0], bold: false, imageRow: rowImages[$0] != nil) }
        ensure(headerHeight + firstRows.reduce(0, +) + 12)
        header()
        for (r, row) in rows.enumerated() {
            if y + rowHeight(row, bold: false, imageRow: rowImages[r] != nil) > bottom {
                rule(0.8)
                ensure(.infinity)
                header()
            }
            y += drawRow(row, bold: false, image: rowImages[r])
        }
        rule(0.8)
        y += 10
    }

    /// The scale a figure `width` points wide is placed at on a page `pageWidth` wide: 1 unless it is wider
    /// than the measure (page width less two margins); every `FigureWidth` fits A4 and Letter at 1.
    static func figureScale(_ width: Double, pageWidth: Double) -> Double {
        min(1, (pageWidth - 2 * margin) / width)
    }

    /// The height `figure` takes on the page with its caption.
    private func height(of figure: PaperFigure) -> Double {
        let scale = Self.figureScale(figure.figure.width, pageWidth: pages.width)
        return figure.figure.height * scale
            + Double(typesetter.wrap(figure.caption, width: contentWidth, size: smallSize).count) * smallSize * 1.4 + 14
    }

    /// A figure, centred, at its own size (scaled down only when wider than the measure), with its caption
    /// below; on the next page when it does not fit below what is on this one.
    private func figure(_ figure: PaperFigure) {
        let scale = Self.figureScale(figure.figure.width, pageWidth: pages.width)
        let caption = typesetter.wrap(figure.caption, width: contentWidth, size: smallSize)
        ensure(height(of: figure))
        pages.draw(figure.figure, at: Point(margin + (contentWidth - figure.figure.width * scale) / 2, y), scale: scale)
        y += figure.figure.height * scale + 4
        for line in caption {
            canvas.text(
                line, at: Point(margin, y), size: smallSize, anchor: TextAnchor(.left, .top), color: .grey,
                rich: false)
            y += smallSize * 1.4
        }
        y += 10
    }
}
