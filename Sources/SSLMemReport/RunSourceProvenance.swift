import SSLMemAnalysis
import SSLMemIO
import SSLMemStats
import SSLMemSupport

extension RunSource {
    /// Provenance rows of comparisons and sweeps: run, the file's role (f, g or scores), input file, bytes,
    /// SHA-256.
    static func provenanceRows(_ runs: [RunSource]) throws -> [[String]] {
        try runs.flatMap { run in
            try run.inputs.enumerated().map { i, path in
                let file = try RunReport.InputFile(path: path)
                let role = run.inputs.count == 2 ? (i == 0 ? "f" : "g") : "scores"
                return [run.name, role, file.path, String(file.bytes), file.sha256]
            }
        }
    }
}

extension RunGroup {
    /// Table 1's columns; "mean ± std over seeds" only when some setup has several runs (seeds).
    static func columns(seeds: Bool) -> [ReportTable.Column] {
        let spread = seeds ? ", mean ± std over seeds" : ""
        return [
            .text("setup"), .text("runs (seeds)"), .numeric("candidate SSLMem" + spread),
            .numeric("linear probe" + spread)
        ]
    }

    /// The group's row of Table 1 (`ComparisonSummary.Setup`).
    var row: [String] { Self.row(ComparisonSummary.Setup(self)) }

    /// "simclr", "2 (1, 2)", "0.0190 ± 0.0030" over seeds (the bare mean for one run), probe likewise.
    static func row(_ setup: ComparisonSummary.Setup) -> [String] {
        [
            setup.setup,
            "\(setup.runs.count)" + (setup.seeds.isEmpty ? "" : " (\(setup.seeds.joined(separator: ", ")))"),
            NumberFormat.meanStd(setup.memorizationMean, setup.memorizationStd),
            setup.linearProbeMean.map { NumberFormat.meanStd($0, setup.linearProbeStd) } ?? "—"
        ]
    }
}
