import Foundation
import Testing
import SSLMemCore
import SSLMemIO
@testable import SSLMemReport

/// Every LaTeX table a report writes compiles with pdflatex (booktabs, no raw Unicode math, `$\pm$` and
/// `$\tau_b$`, not `$\\pm$`, which is a line break). The text checks always run; the compile runs where
/// pdflatex is installed (Debian's texlive-latex-recommended, `make deps`) and is skipped otherwise.
@Suite(.serialized) struct LaTeXTablesTests {
    static let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Checks and (with pdflatex) compiles every .tex in `folder`, one document per table.
    static func check(tables folder: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tex") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            for symbol in ["≠", "τ", "±", "·", "−", "Δ", "≈", "—"] {
                #expect(!text.contains(symbol), "\(name) holds a raw \(symbol)")
            }
            #expect(!text.contains("$\\\\"), "\(name) holds $\\\\…, a line break inside math")
            guard let pdflatex else { continue }
            let document = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n"
                + "\\begin{document}\n\\input{\(name)}\n\\end{document}\n"
            let stem = "doc_" + name.dropLast(4)
            try document.write(toFile: folder + "/\(stem).tex", atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: pdflatex)
            process.arguments = ["-interaction=nonstopmode", "-halt-on-error", stem + ".tex"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: folder + "/\(stem).log", encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "\(name) does not compile: \(log.components(separatedBy: "\n").filter { $0.hasPrefix("!") }.prefix(3))")
        }
    }

    @Test func runAndComparisonTablesCompile() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let templates = try ReportTemplates(folder: Repository.root + "/templates")
        let inputs = RunReport.Inputs(
            f: [Repository.fixture("simclr_f.h5")], g: [Repository.fixture("simclr_g.h5")], images: nil, checkpoints: nil,
            logs: [], title: "LaTeX τ ± ≠ check", options: AlignmentOptions(), commandLine: "sslmem report (test)")
        _ = try ReportWriter.write(try RunReport(inputs), to: scratch.file("run"), templates: templates)
        try Self.check(tables: scratch.file("run/tables"))
        let comparison = try ComparisonReport(
            runs: [try RunSource(Repository.fixture("expected/simclr_allpairs_l2_range.csv"), name: "SimCLR"),
                   try RunSource(Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"), name: "VICReg")],
            title: nil, commandLine: "sslmem report --compare (test)")
        _ = try comparison.write(to: scratch.file("compare"), templates: templates)
        try Self.check(tables: scratch.file("compare/tables"))
    }
}
