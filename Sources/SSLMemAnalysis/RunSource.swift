import Foundation
import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

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
    /// How its scores were computed, as `Conventions.label` words ("all-pairs, l2, range over candidate"):
    /// from a report's summary.json, a scores .h5's provenance, or the defaults for a pair of dumps scored
    /// here; nil when unknown (a .csv, a summary written before conventions were recorded).
    public var convention: String?
    /// The same of its g encoder's file (from a report folder's metadata, the second dump of a pair, or the g
    /// files a scores .h5 names); empty when unknown.
    public var gAttributes: [String: String] = [:]
    /// summary.json of a report folder; nil otherwise.
    public var summary: RunSummary?
    /// The files the run's numbers come from, for provenance.
    public var inputs: [String]

    /// `column`: the score column of a per-point file from another tool ("score" when nil).
    public init(_ argument: String, name: String? = nil, column: String? = nil) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory)
        self.name =
            name
            ?? URL(fileURLWithPath: argument.split(separator: ",").first.map(String.init) ?? argument)
            .deletingPathExtension().lastPathComponent
        if exists && isDirectory.boolValue {
            let path = argument + "/summary.json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SSLMemError(file: path, "cannot read the run's summary (write the run's report first)")
            }
            let summary = try RunSummary(json: data, path: path)
            table = try ScoresTable(csvFile: argument + "/scores.csv")
            self.summary = summary
            attributes = Dictionary(
                summary.attributes.members.map { ($0.name, $0.value.text) },
                uniquingKeysWith: { a, _ in a })
            convention = summary.conventions.map {
                Self.convention($0.pairing, $0.distance, $0.normalize, $0.rangeOver)
            }
            gAttributes = Dictionary(
                summary.metadata.members.compactMap { member in
                    member.value.count == 2 && member.value[1] != "—" ? (member.name, member.value[1]) : nil
                }, uniquingKeysWith: { a, _ in a })
            inputs = [argument + "/scores.csv"]
        } else if argument.contains(",") {
            let files = argument.split(separator: ",").map(String.init)
            guard files.count == 2 else {
                throw SSLMemError(file: argument, "a pair of dumps is written F.h5,G.h5")
            }
            table = try Memorization.score(f: [files[0]], g: [files[1]])
            attributes = try Self.attributes(ofDump: files[0])
            gAttributes = try Self.attributes(ofDump: files[1])
            let defaults = Conventions.defaults
            convention = Self.convention(
                defaults.pairing.rawValue, defaults.distance.rawValue,
                defaults.normalization.rawValue, defaults.rangeOver.rawValue)
            summary = nil
            inputs = files
        } else {
            table = try ScoresTable(file: argument, column: column)
            let fFiles =
                table.provenance.first { $0.0 == "f_files" }.flatMap { name, value -> [String]? in
                    if case .strings(let files) = value { return files } else { return nil }
                } ?? []
            attributes =
                try fFiles.first.map {
                    FileManager.default.fileExists(atPath: $0) ? try Self.attributes(ofDump: $0) : [:]
                } ?? [:]
            let gFiles =
                table.provenance.first { $0.0 == "g_files" }.flatMap { name, value -> [String]? in
                    if case .strings(let files) = value { return files } else { return nil }
                } ?? []
            let provenance = table.provenance
            func text(_ name: String) -> String? {
                provenance.first { $0.0 == name }.flatMap { _, value in
                    if case .strings(let v) = value { return v.first } else { return nil }
                }
            }
            if let pairing = text("pairing"), let distance = text("distance"), let normalize = text("normalize") {
                // Scores files written before range_over was recorded divided by the range over all points.
                convention = Self.convention(pairing, distance, normalize, text("range_over") ?? "all")
            }
            gAttributes =
                try gFiles.first.map {
                    FileManager.default.fileExists(atPath: $0) ? try Self.attributes(ofDump: $0) : [:]
                } ?? [:]
            summary = nil
            inputs = [argument]
        }
    }

    static func convention(_ pairing: String, _ distance: String, _ normalize: String, _ rangeOver: String) -> String {
        "\(pairing), \(distance), " + (normalize == "range" ? "range over \(rangeOver)" : "not normalized")
    }

    /// Root attributes of a dump, as text.
    static func attributes(ofDump path: String) throws -> [String: String] {
        Dictionary(
            try RepresentationsFile(path: path).attributes().map { ($0.name, $0.value.text) },
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
    public init(name: String, table: ScoresTable, attributes: [String: String], summary: RunSummary?, inputs: [String])
    {
        self.name = name
        self.table = table
        self.attributes = attributes
        self.summary = summary
        self.inputs = inputs
    }
}
