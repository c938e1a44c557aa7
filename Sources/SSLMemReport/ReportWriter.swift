import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemPlot

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
            try writeFigures(report.figures + [report.dejaVu?.figure].compactMap({ $0 }) + (report.audit?.figures ?? [])
                             + (report.layers?.figures ?? []), to: temporary + "/figures", workers: workers)
            try writeTables(report, to: temporary + "/tables")
            try report.scores.write(to: temporary + "/scores.csv")
            try AtomicOutput.write(text: String(decoding: try summary(report).encoded(), as: UTF8.self) + "\n",
                                   to: temporary + "/summary.json")
            let html = try HTMLReport.render(report, figureDirectory: temporary + "/figures", templates: templates)
            try AtomicOutput.write(text: html, to: temporary + "/report.html")
            try PDFReport.write(to: temporary + "/report.pdf", paper: paper, title: report.title) { $0.render(report) }
        }
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
    static func intoPlace(_ directory: String, force: Bool = false, _ build: (String) throws -> Void) throws -> [String] {
        try AtomicOutput.writeDirectory(directory, kind: "report", force: force) { temporary in
            try FileManager.default.createDirectory(atPath: temporary + "/figures", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: temporary + "/tables", withIntermediateDirectories: true)
            do { try build(temporary) } catch var error as SSLMemError {
                // Name the report folder, not the temporary one being built.
                if let file = error.file, file.hasPrefix(temporary) { error.file = directory + file.dropFirst(temporary.count) }
                throw error
            }
        }
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        return [target.path + "/report.html", target.path + "/report.pdf"]
    }

    /// `name.tex` (booktabs) and `name.csv` in `directory`.
    static func writeTable(_ name: String, caption: String, columns: [String], rows: [[String]], to directory: String) throws {
        try AtomicOutput.write(text: LaTeXTable.booktabs(columns: columns, rows: rows, caption: caption, label: name),
                               to: "\(directory)/\(name).tex")
        // CSV is for machines: the ASCII minus, not the U+2212 of the formatted cells.
        let ascii = rows.map { $0.map { $0.replacingOccurrences(of: NumberFormat.minus, with: "-") } }
        try AtomicOutput.write(text: ([columns] + ascii).map(CSV.line).joined(separator: "\n") + "\n",
                               to: "\(directory)/\(name).csv")
    }

    static func writeTables(_ report: RunReport, to directory: String) throws {
        let tables: [(String, String, [String], [[String]])] = [
            ReportText.findingsTable(report.findings),
            ("subsets", "SSLMem score per subset (mean, standard deviation, 95\\% CI of the mean).",
             ReportText.summaryColumns, ReportText.summaryRows(report.summaries)),
            ("tests", "t-tests of the paper's Tables 2 and 16 (one-sided unless marked).",
             ReportText.testColumns, ReportText.testRows(report.tests)),
            ("top20", "The 20 most memorized candidates.", ["rank", "index", "class", "score"],
             report.top.map { [String($0.rank), String($0.index), $0.label, NumberFormat.fixed($0.score)] }),
        ]
        let dejaVu: [(String, String, [String], [[String]])] = report.dejaVu.map { section in [
            ("dejavu", "D\\'ej\\`a Vu label-inference accuracy on the most confident fraction q (k = \(section.attack.k)).",
             DejaVuSection.fractionColumns, section.fractionRows),
            ("dejavu_quadrants", "D\\'ej\\`a Vu outcomes over sets A and B.", DejaVuSection.quadrantColumns,
             section.quadrantRows),
            ("dejavu_sslmem", "SSLMem of candidates D\\'ej\\`a Vu calls memorized and of the rest (paper Table 4).",
             DejaVuSection.agreementColumns, section.agreementRows),
        ] } ?? []
        let audit: [(String, String, [String], [[String]])] = report.audit.map { section in [
            ("audit", "Membership audit: candidates (members) vs extra points (non-members).", AuditSection.columns,
             section.rows),
        ] } ?? []
        let layers: [(String, String, [String], [[String]])] = report.layers.map { section in [
            ("layers", "LayerMem, \\(\\Delta\\)LayerMem and UnitMem per layer.", section.columns, section.rows),
            ("layer_pairs", "Layer consistency: Kendall's \\(\\tau_b\\) of m(x) and top-X overlap between layers.",
             LayerSection.pairColumns, section.pairRows),
        ] } ?? []
        for (name, caption, columns, rows) in tables + dejaVu + audit + layers {
            try writeTable(name, caption: caption, columns: columns, rows: rows, to: directory)
        }
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

/// Tables for papers: LaTeX with booktabs rules.
enum LaTeXTable {
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(c)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "−": out += "$-$"
            // pdflatex has no Unicode math: the symbols reports use, as math.
            case "≠": out += "$\\neq$"
            case "τ": out += "$\\tau$"
            case "±": out += "$\\pm$"
            case "·": out += "$\\cdot$"
            case "Δ": out += "$\\Delta$"
            case "≈": out += "$\\approx$"
            case "≤": out += "$\\leq$"
            case "≥": out += "$\\geq$"
            case "→": out += "$\\to$"
            case "—": out += "---"
            case "–": out += "--"
            default: out.append(c)
            }
        }
        return out
    }

    static func booktabs(columns: [String], rows: [[String]], caption: String, label: String) -> String {
        let spec = "l" + String(repeating: "r", count: max(0, columns.count - 1))
        var lines = ["% Requires \\usepackage{booktabs}. Written by sslmem.", "\\begin{table}[t]", "\\centering",
                     "\\caption{\(caption)}", "\\label{tab:\(label)}", "\\begin{tabular}{\(spec)}", "\\toprule",
                     columns.map(escape).joined(separator: " & ") + " \\\\", "\\midrule"]
        lines += rows.map { $0.map(escape).joined(separator: " & ") + " \\\\" }
        lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
