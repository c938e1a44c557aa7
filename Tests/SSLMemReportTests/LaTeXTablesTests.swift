import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// Every LaTeX table a report writes can be pasted into a paper (issue 26): it compiles in a bare `article`
/// with a 5.5 in text width (ICLR, NeurIPS), under the default font encoding (OT1) and under T1, with no
/// overfull box wider than 1 pt, and prints no "¡" or "¿" (what a bare `<` or `>` becomes under OT1). The text
/// checks always run; the compile runs where pdflatex is installed (Debian's texlive-latex-recommended,
/// `make deps`), the printed-text check where pdftotext is (poppler-utils), and are skipped otherwise.
@Suite(.serialized) struct LaTeXTablesTests {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` with `arguments` in `folder`; its exit status.
    static func run(_ tool: String, _ arguments: [String], in folder: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// `text` without its `$…$` math.
    static func outsideMath(_ text: String) -> String {
        text.replacingOccurrences(of: "\\$[^$]*\\$", with: "", options: .regularExpression)
    }

    /// Checks and (with pdflatex) compiles every .tex in `folder`, one document per table and encoding.
    static func check(tables folder: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tex") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            for symbol in ["≠", "τ", "±", "·", "−", "Δ", "≈", "—", "₁", "…", "×"] {
                #expect(!text.contains(symbol), "\(name) holds a raw \(symbol)")
            }
            for command in ["pm", "tau", "neq", "cdot", "Delta", "times"] {
                #expect(!text.contains("$\\\\" + command), "\(name) holds $\\\\\(command)…, a line break inside math")
            }
            let body = outsideMath(
                text.components(separatedBy: "\n").filter { !$0.hasPrefix("%") && !$0.hasPrefix("\\begin{tabular}") }
                    .joined(separator: "\n"))
            for special in ["<", ">", "|"] {
                #expect(!body.contains(special), "\(name) has a bare \(special) in text mode (¡ ¿ — under OT1)")
            }
            #expect(!text.contains("e$-$0"), "\(name) writes a p-value as 2.6e$-$05, not in math")
            guard let pdflatex = tool("pdflatex") else { continue }
            for (encoding, preamble) in [("ot1", ""), ("t1", "\\usepackage[T1]{fontenc}\n")] {
                let document =
                    "\\documentclass{article}\n" + preamble + "\\usepackage{booktabs}\n\\usepackage{array}\n"
                    + "\\setlength{\\textwidth}{5.5in}\n\\begin{document}\n\\input{\(name)}\n\\end{document}\n"
                let stem = "doc_\(encoding)_" + name.dropLast(4)
                try document.write(toFile: folder + "/\(stem).tex", atomically: true, encoding: .utf8)
                let status = try run(
                    pdflatex, ["-interaction=nonstopmode", "-halt-on-error", stem + ".tex"], in: folder)
                let log = (try? String(contentsOfFile: folder + "/\(stem).log", encoding: .isoLatin1)) ?? ""
                #expect(
                    status == 0,
                    "\(name) does not compile (\(encoding)): \(log.components(separatedBy: "\n").filter { $0.hasPrefix("!") }.prefix(3))"
                )
                let overfull = try NSRegularExpression(pattern: "Overfull \\\\hbox \\(([0-9.]+)pt too wide\\)")
                let widths = overfull.matches(in: log, range: NSRange(log.startIndex..., in: log)).compactMap {
                    Range($0.range(at: 1), in: log).flatMap { Double(log[$0]) }
                }
                #expect(
                    widths.allSatisfy { $0 <= 1 },
                    "\(name) (\(encoding)) overflows a 5.5 in text width by \(widths.max() ?? 0) pt")
                guard let pdftotext = tool("pdftotext"), status == 0 else { continue }
                _ = try run(pdftotext, ["-enc", "UTF-8", stem + ".pdf", stem + ".txt"], in: folder)
                let printed = try String(contentsOfFile: folder + "/\(stem).txt", encoding: .utf8)
                #expect(
                    !printed.contains("¡") && !printed.contains("¿"), "\(name) (\(encoding)) prints ¡ or ¿: \(printed)")
            }
        }
    }

    @Test func escapingCoversWhatOT1CannotPrint() {
        #expect(
            LaTeXTable.escape("candidate > shared, independent < 0 | x") == "candidate \\textgreater{} shared, "
                + "independent \\textless{} 0 \\textbar{} x")
        #expect(LaTeXTable.escape("2.6e−05") == "$2.6\\times10^{-5}$")
        #expect(LaTeXTable.escape("< 1e−300") == "$<10^{-300}$")
        #expect(LaTeXTable.escape("H₁: \"about 0\"") == "H$_{1}$: ``about 0''")
        #expect(LaTeXTable.escape("a\nb") == "a b")
    }

    @Test func runComparisonAndSweepTablesCompileAtAFiveAndAHalfInchWidth() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let templates = try ReportTemplates(folder: Repository.root + "/templates")
        let inputs = RunReport.Inputs(
            f: [Repository.fixture("simclr_f.h5")], g: [Repository.fixture("simclr_g.h5")], images: nil,
            checkpoints: nil,
            logs: [], title: "LaTeX τ ± ≠ check", options: AlignmentOptions(), commandLine: "sslmem report (test)")
        _ = try ReportWriter.write(try RunReport(inputs), to: scratch.file("run"), templates: templates)
        try Self.check(tables: scratch.file("run/tables"))
        let layers = RunReport.Inputs(
            f: [Repository.fixture("layers/f.h5")], g: [Repository.fixture("layers/g.h5")], images: nil,
            checkpoints: nil,
            logs: [], title: "layers", options: AlignmentOptions(), commandLine: "sslmem report (test)")
        _ = try ReportWriter.write(try RunReport(layers), to: scratch.file("layers"), templates: templates)
        try Self.check(tables: scratch.file("layers/tables"))
        let comparison = try ComparisonReport.fixtureComparison()
        _ = try comparison.write(to: scratch.file("compare"), templates: templates)
        try Self.check(tables: scratch.file("compare/tables"))
        let pairs = [8, 26].map { e in
            Repository.fixture("checkpoints/simclr_f_epoch" + String(format: "%03d", e) + ".h5") + ","
                + Repository.fixture("checkpoints/simclr_g_epoch" + String(format: "%03d", e) + ".h5")
        }
        let sweep = try SweepReport(
            runs: try pairs.map { try RunSource($0) }, attribute: "epoch", title: nil,
            commandLine: "sslmem report --sweep (test)")
        _ = try sweep.write(to: scratch.file("sweep"), templates: templates)
        try Self.check(tables: scratch.file("sweep/tables"))
    }
}
