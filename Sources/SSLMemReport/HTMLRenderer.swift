import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

/// A `ReportDocument` as one self-contained HTML page: templates/document.html.mustache filled with the
/// document's blocks. Figures are inline SVG, thumbnails data URIs, CSS inline: no network access. Every value
/// from the input files goes through `{{…}}`, which HTML-escapes it, except the figures' SVG (written by
/// Cairo, with its text escaped) and the point explorer's JSON (`{{{json}}}` in templates/explore.mustache), which
/// `PointExplorer.string` escapes for a `<script>` element. A column is right-aligned because the table
/// declares it numeric, never because its cells look like numbers.
enum HTMLRenderer {
    static func render(_ document: ReportDocument, figureDirectory: String, templates: ReportTemplates) throws
        -> String
    {
        var blocks: [[String: Any]] = []
        var hasExplorer = false
        for block in document.blocks {
            switch block {
            case .heading(let text, let id, let level):
                blocks.append(["heading": ["text": text, "id": id, "level3": level >= 3] as [String: Any]])
            case .paragraph(let text, let style):
                blocks.append(["paragraph": ["text": text, "note": style == .note] as [String: Any]])
            case .finding(let finding):
                appendItem(finding.sentence, to: "findings", in: &blocks)
            case .caveat(let text):
                appendItem(text, to: "caveats", in: &blocks)
            case .list(let items):
                blocks.append(["list": ["items": items]])
            case .table(let table):
                blocks.append(["table": context(table)])
            case .figure(let figure):
                blocks.append(["figure": try inline(figure, directory: figureDirectory)])
            case .code(let label, let text):
                blocks.append(["code": ["label": label, "text": text]])
            case .explorer(let explorer):
                hasExplorer = true
                blocks.append(["explorer": ["note": explorer.note, "json": explorer.json]])
            }
        }
        let context: [String: Any] = [
            "title": document.title, "generated": document.generated, "version": RunReport.version,
            "sections": document.sections.map { ["text": $0.title, "id": $0.id] }, "hasExplorer": hasExplorer,
            "blocks": blocks
        ]
        return try templates.render(context, template: "document.html")
    }

    /// Consecutive findings (caveats) form one list: `item` joins the list the last block holds, or starts one.
    private static func appendItem(_ item: String, to kind: String, in blocks: inout [[String: Any]]) {
        if var list = blocks.last?[kind] as? [String: Any], let items = list["items"] as? [String] {
            list["items"] = items + [item]
            blocks[blocks.count - 1] = [kind: list]
        } else {
            blocks.append([kind: ["items": [item]]])
        }
    }

    static func cssClass(_ kind: ReportTable.Column.Kind) -> String {
        switch kind {
        case .numeric: return "num"
        case .text: return "text"
        case .image: return "image"
        case .code: return "path"
        }
    }

    static func context(_ table: ReportTable) -> [String: Any] {
        let kinds = table.columns.map { cssClass($0.kind) }
        let rows = table.rows.enumerated().map { r, row -> [String: Any] in
            let cells = row.enumerated().map { c, text -> [String: Any] in
                var cell: [String: Any] = [
                    "text": text, "kind": kinds[c], "label": table.columns[c].title,
                    "image": false
                ]
                if table.columns[c].kind == .image {
                    var image: [String: Any] = ["alt": text]
                    if r < table.images.count, let picture = table.images[r] {
                        let png = PNGEncoding.encode(
                            picture.pixels, columns: picture.columns, rows: picture.rows,
                            channels: picture.channels)
                        image["src"] = "data:image/png;base64," + Data(png).base64EncodedString()
                    }
                    cell["image"] = image
                }
                return cell
            }
            var context: [String: Any] = ["cells": cells]
            if let points = table.points, r < points.count { context["point"] = String(points[r]) }
            return context
        }
        var context: [String: Any] = [
            "columns": table.columns.map { ["title": $0.title, "kind": cssClass($0.kind)] }, "rows": rows,
            // Four or more columns: on a phone each row reads as label: value lines (style.mustache).
            "reflow": table.columns.count >= 4 && !table.columns.contains { $0.kind == .image }
        ]
        if let id = table.id { context["id"] = id }
        return context
    }

    /// A figure's SVG, inlined with ids made unique per figure, and its caption.
    static func inline(_ figure: PaperFigure, directory figureDirectory: String) throws -> [String: Any] {
        let path = "\(figureDirectory)/\(figure.name).svg"
        guard var svg = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SSLMemError(file: path, "cannot read back the file")
        }
        if let start = svg.range(of: "<svg") { svg = String(svg[start.lowerBound...]) }
        // Unique ids per figure: Cairo reuses glyph and surface names in every SVG.
        svg = svg.replacingAll("id=\"", with: "id=\"\(figure.name)-")
            .replacingAll("#", with: "#\(figure.name)-")
            .replacingAll("<svg ", with: "<svg role=\"img\" aria-label=\"\(attributeEscaped(figure.caption))\" ")
        return [
            "name": figure.name, "caption": figure.caption, "svg": svg,
            "width": String(Int(figure.figure.width.rounded(.up)))
        ]
    }

    /// Text made safe inside a double-quoted HTML attribute.
    static func attributeEscaped(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("\"", with: "&quot;")
            .replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
    }
}
