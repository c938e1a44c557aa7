import Foundation
import SSLMemCore
import SSLMemIO
import SSLMemStats

/// One run as comparisons and sweeps read it: its scores, the root attributes
/// of its f encoder's file (method, seed, epoch, linear_probe_accuracy, a
/// swept λ …) and, from a report folder, the run's summary.json.
///
/// A run is given as a report folder (scores.csv + summary.json), a scores
/// file (.csv, or .h5 whose provenance names the f files the attributes are
/// read from), or an "F.h5,G.h5" pair of dumps, scored on the way.
public struct RunSource: Sendable {
    public var name: String
    public var table: ScoresTable
    /// Attribute values as text ("simclr", "10", "0.893").
    public var attributes: [String: String]
    /// summary.json of a report folder; nil otherwise.
    public var summary: RunSummary?
    /// The files the run's numbers come from, for provenance.
    public var inputs: [String]

    /// `column`: the score column of a per-point file from another tool ("score" when nil).
    public init(_ argument: String, name: String? = nil, column: String? = nil) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory)
        self.name = name ?? URL(fileURLWithPath: argument.split(separator: ",").first.map(String.init) ?? argument)
            .deletingPathExtension().lastPathComponent
        if exists && isDirectory.boolValue {
            let path = argument + "/summary.json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SSLMemError(file: path, "cannot read the run's summary (write the run's report first)")
            }
            let summary = try RunSummary(json: data, path: path)
            table = try ScoresTable(csvFile: argument + "/scores.csv")
            self.summary = summary
            attributes = Dictionary(summary.attributes.members.map { ($0.name, $0.value.text) },
                                    uniquingKeysWith: { a, _ in a })
            inputs = [argument + "/scores.csv"]
        } else if argument.contains(",") {
            let files = argument.split(separator: ",").map(String.init)
            guard files.count == 2 else {
                throw SSLMemError(file: argument, "a pair of dumps is written F.h5,G.h5")
            }
            table = try Memorization.score(f: [files[0]], g: [files[1]])
            attributes = try Self.attributes(ofDump: files[0])
            summary = nil
            inputs = files
        } else {
            table = try ScoresTable(file: argument, column: column)
            let fFiles = table.provenance.first { $0.0 == "f_files" }.flatMap { name, value -> [String]? in
                if case .strings(let files) = value { return files } else { return nil }
            } ?? []
            attributes = try fFiles.first.map { FileManager.default.fileExists(atPath: $0) ? try Self.attributes(ofDump: $0) : [:] } ?? [:]
            summary = nil
            inputs = [argument]
        }
    }

    /// Root attributes of a dump, as text.
    static func attributes(ofDump path: String) throws -> [String: String] {
        Dictionary(try RepresentationsFile(path: path).attributes().map { ($0.name, $0.value.text) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// A numeric attribute, e.g. `lambda`, `epoch`.
    public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    /// The candidates' mean SSLMem score.
    public var candidateMean: Double {
        let scores = table.scores(of: .candidate)
        return scores.isEmpty ? .nan : scores.reduce(0, +) / Double(scores.count)
    }
}

extension RunSource {
    /// A run from scores already read (e.g. by `sslmem compare`), with the attributes that group it into a setup.
    public init(name: String, table: ScoresTable, attributes: [String: String], summary: RunSummary?, inputs: [String]) {
        self.name = name
        self.table = table
        self.attributes = attributes
        self.summary = summary
        self.inputs = inputs
    }
}
