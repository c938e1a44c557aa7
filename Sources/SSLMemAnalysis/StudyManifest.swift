import Foundation
import SSLMemCore
import SSLMemIO
import SSLMemSupport

/// A study folder's manifest, `DIR/study.json`, as `sslmem-backend study` writes it:
/// {"sslmem_format": "study", "sslmem_format_version": 1, "runs": [{name, method, architecture, dataset, seed,
/// f, g, scores, downstream_accuracy, downstream_n}], "removal": "removal.csv"}, paths relative to DIR.
/// Runs with the same method, architecture and dataset are seeds of one setup. `downstream_accuracy` is the
/// full f encoder's downstream linear-probe top-1 accuracy. Members this reader does not know are ignored.
public struct StudyManifest: Codable, Sendable {
    public struct Run: Codable, Sendable {
        public var name: String
        public var method: String?
        public var architecture: String?
        public var dataset: String?
        public var seed: Int?
        public var f: String?
        public var g: String?
        public var scores: String?
        public var downstreamAccuracy: Double?
        public var downstreamN: Int?
        enum CodingKeys: String, CodingKey {
            case name, method, architecture, dataset, seed, f, g, scores
            case downstreamAccuracy = "downstream_accuracy"
            case
                downstreamN = "downstream_n"
        }
    }

    public var sslmemFormat: String
    public var sslmemFormatVersion: Int
    public var runs: [Run]
    /// The removal results, relative to the folder; nil when the study has none.
    public var removal: String?

    enum CodingKeys: String, CodingKey {
        case sslmemFormat = "sslmem_format"
        case sslmemFormatVersion = "sslmem_format_version"
        case runs, removal
    }

    /// The folder the manifest was read from.
    public private(set) var directory = ""

    /// Reads `directory/study.json`, with an error naming the file and what is wrong.
    public init(directory: String) throws {
        let path = directory + "/study.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(
                file: path,
                "cannot read the study manifest (is \(directory) a study folder written by "
                    + "sslmem-backend study?)")
        }
        do { self = try JSONDecoder().decode(Self.self, from: data) } catch let error as DecodingError {
            throw SSLMemError(file: path, "not a study manifest: " + Self.describe(error))
        }
        guard sslmemFormat == "study" else {
            throw SSLMemError(file: path, "sslmem_format is \"\(sslmemFormat)\", expected \"study\"")
        }
        guard sslmemFormatVersion == 1 else {
            throw SSLMemError(
                file: path,
                "sslmem_format_version \(sslmemFormatVersion) is not supported (this "
                    + "sslmem reads version 1)")
        }
        guard !runs.isEmpty else { throw SSLMemError(file: path, "the study lists no runs") }
        var seen = Set<String>()
        for run in runs where !seen.insert(run.name).inserted {
            throw SSLMemError(file: path, "run \"\(run.name)\" is listed twice")
        }
        for run in runs {
            if let accuracy = run.downstreamAccuracy, !(0...1).contains(accuracy) {
                throw SSLMemError(
                    file: path,
                    "run \"\(run.name)\": downstream_accuracy \(accuracy) is not a "
                        + "fraction in [0, 1]")
            }
        }
        self.directory = directory
    }

    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty
                ? "the top level"
                : path.reduce(into: "") { text, key in
                    if let i = key.intValue {
                        text += "[\(i)]"
                    } else {
                        text += (text.isEmpty ? "" : ".") + key.stringValue
                    }
                }
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(at(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(at(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(at(context.codingPath)) is invalid"
        @unknown default: return "unreadable"
        }
    }

    /// A path of the manifest, resolved against the folder (absolute paths stay).
    public func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }

    /// Every input file the study's runs name that exists (scores, or else the f and g dumps), and the removal CSV.
    public var inputFiles: [String] {
        runs.flatMap { run -> [String] in
            if let scores = run.scores.map(resolve), FileManager.default.fileExists(atPath: scores) { return [scores] }
            return [run.f, run.g].compactMap { $0.map(resolve) }
        } + [removal.map(resolve)].compactMap { $0 }
    }

    /// The runs as `RunSource`s: each run's scores file, or, when the manifest names none or it is absent, its f and
    /// g dumps scored with the default options. The run's attributes are the manifest's method, architecture,
    /// dataset, seed and downstream accuracy (also as `linear_probe_accuracy`, the column of Table 1), over those
    /// of its f dump when it was scored from dumps.
    public func sources() throws -> [RunSource] {
        try runs.map { run in
            let scores = run.scores.map(resolve)
            var source: RunSource
            if let scores, FileManager.default.fileExists(atPath: scores) {
                source = try RunSource(scores, name: run.name)
            } else if let f = run.f.map(resolve), let g = run.g.map(resolve) {
                source = try RunSource(f + "," + g, name: run.name)
            } else {
                throw SSLMemError(
                    file: directory + "/study.json",
                    "run \"\(run.name)\": "
                        + (scores.map { "its scores file \($0) does not exist and " } ?? "")
                        + "it names no f and g dumps to score")
            }
            let given: [(String, String?)] = [
                ("method", run.method), ("architecture", run.architecture), ("dataset", run.dataset),
                ("seed", run.seed.map(String.init)), ("downstream_accuracy", run.downstreamAccuracy.map { "\($0)" }),
                ("linear_probe_accuracy", run.downstreamAccuracy.map { "\($0)" }),
                ("downstream_n", run.downstreamN.map(String.init))
            ]
            for case (let key, let value?) in given { source.attributes[key] = value }
            return source
        }
    }
}
