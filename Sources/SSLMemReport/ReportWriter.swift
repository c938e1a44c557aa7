import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

/// Writes a report folder: report.html, report.pdf, figures/ (PDF, SVG, PNG and
/// CSV per figure), tables/ (LaTeX booktabs and CSV), scores.csv and
/// summary.json. Everything goes to a temporary folder beside the target,
/// renamed into place at the end, so a failed run leaves no partial report.
public enum ReportWriter {
    public static func write(
        _ report: RunReport, to directory: String, templates: ReportTemplates, paper: PDFPages.Paper = .a4,
        progress: (String) -> Void = { _ in }, force: Bool = false, workers: Int = FileAlignment.defaultWorkers
    ) throws -> [String] {
        try intoPlace(directory, force: force) { temporary in
            progress("writing figures, tables, HTML and PDF")
            try report.scores.write(to: temporary + "/scores.csv")
            try AtomicOutput.write(
                text: String(decoding: try summary(report).encoded(), as: UTF8.self) + "\n",
                to: temporary + "/summary.json")
            try write(report.document, into: temporary, templates: templates, paper: paper, workers: workers)
        }
    }

    /// A document's files in a report folder being built: its figures (figures/), exported tables (tables/),
    /// report.html and report.pdf.
    static func write(
        _ document: ReportDocument, into folder: String, templates: ReportTemplates,
        paper: PDFPages.Paper, workers: Int = FileAlignment.defaultWorkers
    ) throws {
        try writeFigures(document.figures, to: folder + "/figures", workers: workers)
        for table in document.tables {
            if let export = table.export { try writeTable(table, export, to: folder + "/tables") }
        }
        let html = try HTMLRenderer.render(document, figureDirectory: folder + "/figures", templates: templates)
        try AtomicOutput.write(text: html, to: folder + "/report.html")
        try PDFReport.write(document, to: folder + "/report.pdf", paper: paper)
    }

    /// Draws and writes the figures (PDF, SVG, PNG and CSV each) on all cores, a figure per worker at a
    /// time. The workers only read the figures (`ParallelBuffer(reading:)`): a figure's drawing closure
    /// reads the values it captured and draws on its own Cairo surface, and each figure writes its own files.
    /// The files do not depend on the number of workers; the error of the first failing figure is thrown.
    static func writeFigures(_ figures: [PaperFigure], to directory: String, workers: Int) throws {
        try figures.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let shared = ParallelBuffer(reading: base)
            try ParallelBlocks.run(buffer.count, workers: workers, state: {}) { i, _ in
                try shared[i].write(to: directory, formats: FigureFormat.allCases)
            }
        }
    }

    /// Builds a report folder in a temporary folder beside `directory` (with
    /// figures/ and tables/), then moves it into place; nothing is left on failure.
    /// Into a new or empty folder, or one holding an earlier report (`OutputGuard`); `force` allows another
    /// folder, where only files sslmem wrote are replaced.
    static func intoPlace(_ directory: String, force: Bool = false, _ build: (String) throws -> Void) throws -> [String]
    {
        try AtomicOutput.writeDirectory(directory, kind: "report", force: force) { temporary in
            try FileManager.default.createDirectory(atPath: temporary + "/figures", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: temporary + "/tables", withIntermediateDirectories: true)
            do { try build(temporary) } catch var error as SSLMemError {
                // Name the report folder, not the temporary one being built.
                if let file = error.file, file.hasPrefix(temporary) {
                    error.file = directory + file.dropFirst(temporary.count)
                }
                throw error
            }
        }
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        return [target.path + "/report.html", target.path + "/report.pdf"]
    }

    /// `NAME.tex` (booktabs) and `NAME.csv` in `directory`; an image column is left out of both.
    static func writeTable(_ table: ReportTable, _ export: ReportTable.Export, to directory: String) throws {
        try AtomicOutput.write(
            text: LaTeXTable.booktabs(table, caption: export.caption, label: export.name),
            to: "\(directory)/\(export.name).tex")
        let keep = table.columns.indices.filter { table.columns[$0].kind != .image }
        // CSV is for machines: the ASCII minus, not the U+2212 of the formatted cells.
        let rows =
            [keep.map { table.columns[$0].title }]
            + table.rows.map { row in
                keep.map { row[$0].replacingOccurrences(of: NumberFormat.minus, with: "-") }
            }
        try AtomicOutput.write(
            text: rows.map(CSV.line).joined(separator: "\n") + "\n",
            to: "\(directory)/\(export.name).csv")
    }

    /// summary.json's content: the run's numbers as `RunSummary` value types.
    static func summary(_ report: RunReport) -> RunSummary {
        RunSummary(
            title: report.title,
            metadata: OrderedObject(report.metadata.map { ($0.0, [$0.1, $0.2]) }),
            attributes: OrderedObject(report.attributes.map { ($0.name, $0.value) }),
            subsets: OrderedObject(report.summaries.map { ($0.subset.description, RunSummary.SubsetStatistics($0)) }),
            tests: report.tests.map(RunSummary.Test.init),
            dejavu: report.dejaVu?.summary, audit: report.audit.map { RunSummary.Audit($0.audit) },
            top: report.top.map { RunSummary.TopPoint(index: $0.index, class: $0.label, score: $0.score) },
            files: report.files.map { RunSummary.File(path: $0.path, bytes: $0.bytes, sha256: $0.sha256) },
            toolkit: "sslmem \(RunReport.version)", warnings: report.warnings,
            layers: report.layers?.json, findings: report.findings, conventions: report.conventions.record,
            caveats: report.caveats.isEmpty ? nil : report.caveats)
    }
}
