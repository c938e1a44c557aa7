import Foundation
import SSLMemCore
import SSLMemIO

/// One run as comparisons and sweeps read it: its scores, the root attributes
/// of its f encoder's file (method, seed, epoch, linear_probe_accuracy, a
/// swept λ …) and, from a report folder, the run's summary.json.
///
/// A run is given as a report folder (scores.csv + summary.json), a scores
/// file (.csv, or .h5 whose provenance names the f files the attributes are
/// read from), or an "F.h5,G.h5" pair of dumps, scored on the way.
public struct RunSource {
    public var name: String
    public var table: ScoresTable
    /// Attribute values as text ("simclr", "10", "0.893").
    public var attributes: [String: String]
    /// summary.json of a report folder; empty otherwise.
    public var summary: [String: Any]
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
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw SSLMemError(file: path, "cannot read the run's summary (write the run's report first)")
            }
            table = try ScoresTable(csvFile: argument + "/scores.csv")
            summary = object
            attributes = (object["attributes"] as? [String: Any] ?? [:]).mapValues(Self.text)
            inputs = [argument + "/scores.csv"]
        } else if argument.contains(",") {
            let files = argument.split(separator: ",").map(String.init)
            guard files.count == 2 else {
                throw SSLMemError(file: argument, "a pair of dumps is written F.h5,G.h5")
            }
            table = try Memorization.score(f: [files[0]], g: [files[1]])
            attributes = try Self.attributes(ofDump: files[0])
            summary = [:]
            inputs = files
        } else {
            table = try ScoresTable(file: argument, column: column)
            let fFiles = table.provenance.first { $0.0 == "f_files" }.flatMap { name, value -> [String]? in
                if case .strings(let files) = value { return files } else { return nil }
            } ?? []
            attributes = try fFiles.first.map { FileManager.default.fileExists(atPath: $0) ? try Self.attributes(ofDump: $0) : [:] } ?? [:]
            summary = [:]
            inputs = [argument]
        }
    }

    static func attributes(ofDump path: String) throws -> [String: String] {
        Dictionary(try RepresentationsFile(path: path).attributes().map { ($0.name, Self.text(Self.json($0.value))) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// An attribute as JSON: a single number or string as itself, lists as arrays.
    static func json(_ value: HDF5AttributeValue) -> JSONValue {
        switch value {
        case .integers(let v): return v.count == 1 ? .integer(Int(v[0])) : .array(v.map { .integer(Int($0)) })
        case .reals(let v): return v.count == 1 ? .number(v[0]) : .array(v.map { .number($0) })
        case .strings(let v): return v.count == 1 ? .string(v[0]) : .array(v.map { .string($0) })
        case .unsupported(let what): return .string(what)
        }
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        case let array as [Any]: return array.map(text).joined(separator: ", ")
        case let json as JSONValue:
            if case .string(let s) = json { return s }
            return json.text
        default: return "\(value)"
        }
    }

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

    /// A numeric attribute, e.g. `lambda`, `epoch`.
    public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    /// The candidates' mean SSLMem score.
    public var candidateMean: Double {
        let scores = table.scores(of: .candidate)
        return scores.isEmpty ? .nan : scores.reduce(0, +) / Double(scores.count)
    }
}
