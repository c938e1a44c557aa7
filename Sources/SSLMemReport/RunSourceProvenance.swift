import SSLMemIO
import SSLMemAnalysis
import SSLMemStats

extension RunSource {
    /// Provenance rows of comparisons and sweeps: run, input file, bytes, SHA-256.
    static func provenanceRows(_ runs: [RunSource]) throws -> [[String]] {
        try runs.flatMap { run in
            try run.inputs.map { path in
                let file = try RunReport.InputFile(path: path)
                return [run.name, file.path, String(file.bytes), file.sha256]
            }
        }
    }
}

extension RunGroup {
    static let columns: [ReportTable.Column] = [.text("setup"), .text("runs (seeds)"),
                                                .numeric("candidate SSLMem, mean ± std over seeds"),
                                                .numeric("linear probe, mean ± std over seeds")]

    /// The group's row of Table 1 (`ComparisonSummary.Setup`).
    var row: [String] { Self.row(ComparisonSummary.Setup(self)) }

    /// "simclr", "2 (1, 2)", "0.0190 ± 0.0030" over seeds (the bare mean for one run), probe likewise.
    static func row(_ setup: ComparisonSummary.Setup) -> [String] {
        [setup.setup, "\(setup.runs.count)" + (setup.seeds.isEmpty ? "" : " (\(setup.seeds.joined(separator: ", ")))"),
         NumberFormat.meanStd(setup.memorizationMean, setup.memorizationStd),
         setup.linearProbeMean.map { NumberFormat.meanStd($0, setup.linearProbeStd) } ?? "—"]
    }
}
