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

    /// The same rows for the HTML templates' provenance table.
    static func provenanceContext(_ rows: [[String]]) -> [[String: String]] {
        rows.map { ["name": $0[0], "path": $0[1], "bytes": $0[2], "sha256": $0[3]] }
    }
}

extension RunGroup {
    /// "0.0190 ± 0.0030" over seeds, or the bare mean for one run.
    static func meanText(_ d: Descriptive) -> String {
        d.count > 1 ? "\(ReportText.number(d.mean)) ± \(ReportText.number(d.standardDeviation))"
            : ReportText.number(d.mean)
    }

    static let columns = ["setup", "runs (seeds)", "candidate SSLMem, mean ± std over seeds",
                          "linear probe, mean ± std over seeds"]

    var row: [String] {
        let seeds = runs.compactMap { $0.attributes["seed"] }
        return [key, "\(runs.count)" + (seeds.isEmpty ? "" : " (\(seeds.joined(separator: ", ")))"),
                Self.meanText(memorization), probe.map(Self.meanText) ?? "—"]
    }
}
