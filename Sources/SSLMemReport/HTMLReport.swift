import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemPlot

/// The report as one self-contained HTML page: the Mustache template
/// `report.html.mustache` (templates/) filled with the report's values. Figures
/// are inline SVG, thumbnails data URIs, CSS inline: no network access. Every
/// value from the input files goes through `{{…}}`, which HTML-escapes it, except the point explorer's JSON
/// (`{{{json}}}` in templates/explore.mustache), which `PointExplorer.string` escapes for a `<script>` element.
enum HTMLReport {
    static func render(_ report: RunReport, figureDirectory: String, templates: ReportTemplates) throws -> String {
        try templates.render(try context(report, figureDirectory: figureDirectory), template: "report.html")
    }

    /// Each figure's SVG, inlined with ids made unique per figure, and its caption.
    static func inlineFigures(_ figures: [PaperFigure], directory figureDirectory: String) throws -> [[String: Any]] {
        try figures.map { figure in
            let path = "\(figureDirectory)/\(figure.name).svg"
            guard var svg = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SSLMemError(file: path, "cannot read back the file")
            }
            if let start = svg.range(of: "<svg") { svg = String(svg[start.lowerBound...]) }
            // Unique ids per figure: Cairo reuses glyph and surface names in every SVG.
            svg = svg.replacingAll("id=\"", with: "id=\"\(figure.name)-")
                .replacingAll("#", with: "#\(figure.name)-")
                .replacingAll("<svg ", with: "<svg role=\"img\" aria-label=\"\(attributeEscaped(figure.caption))\" ")
            return ["name": figure.name, "caption": figure.caption, "svg": svg,
                    "width": String(Int(figure.figure.width.rounded(.up)))]
        }
    }

    /// Text made safe inside a double-quoted HTML attribute.
    static func attributeEscaped(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("\"", with: "&quot;")
            .replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
    }

    static func context(_ report: RunReport, figureDirectory: String) throws -> [String: Any] {
        let figures = try inlineFigures(report.figures, directory: figureDirectory)
        var context: [String: Any] = [
            "title": report.title,
            "date": report.date,
            "metadata": report.metadata.map { ["name": $0.0, "f": $0.1, "g": $0.2] },
            "findingsIntroduction": ReportText.findingsIntroduction, "findingColumns": ReportText.findingColumns,
            "findingRows": ReportText.findingRows(report.findings).map { ["cells": $0] },
            "findingSentences": report.findings.map(\.sentence),
            "scoreDefinition": report.scoreDefinition, "testsIntroduction": report.testsIntroduction,
            "warnings": report.warnings, "hasWarnings": !report.warnings.isEmpty,
            "summaryColumns": ReportText.summaryColumns,
            "summary": ReportText.summaryRows(report.summaries).map { ["cells": $0] },
            "testColumns": ReportText.testColumns,
            "tests": ReportText.testRows(report.tests).map { ["cells": $0] },
            "sentences": report.tests.map { ReportText.sentence($0) },
            "figures": figures,
            "top": report.top.map { point -> [String: Any] in
                var row: [String: Any] = ["rank": point.rank, "index": String(point.index), "label": point.label,
                                          "score": NumberFormat.fixed(point.score)]
                if let image = point.image {
                    let png = PNGEncoding.encode(image.pixels, columns: image.columns, rows: image.rows,
                                                 channels: image.channels)
                    row["thumbnail"] = "data:image/png;base64," + Data(png).base64EncodedString()
                }
                return row
            },
            "files": report.files.map { ["path": $0.path, "bytes": String($0.bytes), "sha256": $0.sha256] },
            "options": report.options.map { ["name": $0.0, "value": $0.1] },
            "commandLine": report.commandLine,
            "version": RunReport.version,
            "explorer": ["note": report.explorer.note, "json": report.explorer.json] as [String: Any],
        ]
        if let section = report.dejaVu {
            context["dejavu"] = [
                "introduction": section.introduction,
                "fractionColumns": DejaVuSection.fractionColumns,
                "fractions": section.fractionRows.map { ["cells": $0] },
                "quadrantColumns": DejaVuSection.quadrantColumns,
                "quadrants": section.quadrantRows.map { ["cells": $0] },
                "agreementColumns": DejaVuSection.agreementColumns,
                "agreement": section.agreementRows.map { ["cells": $0] },
                "agreementSentence": section.agreementSentence,
                "figure": try inlineFigures([section.figure], directory: figureDirectory)[0],
            ] as [String: Any]
        }
        if let section = report.audit {
            context["audit"] = [
                "introduction": section.introduction, "columns": AuditSection.columns,
                "rows": section.rows.map { ["cells": $0] },
                "figures": try inlineFigures(section.figures, directory: figureDirectory),
            ] as [String: Any]
        }
        if let section = report.layers {
            context["layers"] = [
                "introduction": section.introduction, "findings": section.findings, "columns": section.columns,
                "rows": section.rows.map { ["cells": $0] }, "pairColumns": LayerSection.pairColumns,
                "pairs": section.pairRows.map { ["cells": $0] }, "hasPairs": !section.pairRows.isEmpty,
                "unitNote": section.unitNote ?? "",
                "figures": try inlineFigures(section.figures, directory: figureDirectory),
            ] as [String: Any]
        }
        return context
    }
}

/// A report that could not be written is an `SSLMemError`; the old name stays
/// for code written against it.
@available(*, deprecated, renamed: "SSLMemError")
public typealias ReportError = SSLMemError
