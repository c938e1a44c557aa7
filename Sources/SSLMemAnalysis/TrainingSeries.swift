import Foundation
import SSLMemCore
import SSLMemIO

/// Memorization over training (paper Fig. 2b): f and g dumps at several epochs
/// (a folder of layout-v1 files with an `epoch` attribute), scored epoch by
/// epoch, and the training losses from the backend's JSON logs.
///
/// Each checkpoint is scored on its own (`Memorization.score`, default options: all pairs of views,
/// L2, range normalization), so its scores are range-normalized within that checkpoint; compare
/// checkpoints by `gaps` (unnormalized diff, `MemorizationGap`), not by the mean scores.
public struct TrainingSeries: Sendable {
    public struct Epoch: Sendable {
        public var epoch: Int
        /// Mean SSLMem score of the candidates (range-normalized within the epoch).
        public var candidateMean: Double
        /// Mean score of the 10% most memorized candidates.
        public var candidateTop10: Double
        public var independentMean: Double
        /// Candidates − independent and candidates − extra in unnormalized diff, with Welch 95%
        /// intervals (those the checkpoint's subsets allow, in that order).
        public var gaps: [MemorizationGap]

        /// The gap over `reference`, if the checkpoint has it.
        public func gap(over reference: Subset) -> MemorizationGap? { gaps.first { $0.reference == reference } }
    }

    /// One training log: the loss after each epoch.
    public struct Loss: Sendable {
        public var name: String
        public var epochs: [Double]
        public var values: [Double]
    }

    public var epochs: [Epoch]
    public var losses: [Loss]

    /// Scores each epoch that has both an f and a g file in `directory`.
    public init(checkpoints directory: String, logs: [String]) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".h5") }.sorted()
        var roles: [Int: (f: [String], g: [String])] = [:]
        for name in names {
            let path = directory + "/" + name
            let file = try RepresentationsFile(path: path)
            guard let epoch = try file.file.attribute("epoch")?.integer else {
                throw SSLMemError(file: path, "root attribute epoch is missing; checkpoint dumps need it")
            }
            let isF = file.trainedOn.contains("candidate")
            var entry = roles[Int(epoch)] ?? ([], [])
            if isF { entry.f.append(path) } else { entry.g.append(path) }
            roles[Int(epoch)] = entry
        }
        epochs = try roles.keys.sorted().compactMap { epoch in
            let (f, g) = roles[epoch]!
            guard !f.isEmpty, !g.isEmpty else { return nil }
            let table = try Memorization.score(f: f, g: g)
            let candidates = table.scores(of: .candidate).sorted(by: >)
            let top = candidates.prefix(max(1, candidates.count / 10))
            let independent = table.scores(of: .independent)
            return Epoch(epoch: epoch, candidateMean: candidates.reduce(0, +) / Double(max(1, candidates.count)),
                         candidateTop10: top.reduce(0, +) / Double(top.count),
                         independentMean: independent.reduce(0, +) / Double(max(1, independent.count)),
                         gaps: MemorizationGap.gaps(table))
        }
        guard !epochs.isEmpty else {
            throw SSLMemError(file: directory, "no epoch has both an f and a g dump")
        }
        losses = try logs.enumerated().map { position, path in
            let log = try Self.readLog(path)
            return Loss(name: Self.lossName(position: position, of: logs.count, path: path),
                        epochs: log.map { Double($0.0) }, values: log.map(\.1))
        }
    }

    /// The series name of a log: `--logs f.json,g.json` gives f's log first and g's second, so one or two
    /// logs are "f (trained on S_C)" and "g (trained on S_I)"; more logs keep their file names.
    static func lossName(position: Int, of count: Int, path: String) -> String {
        guard count <= 2 else { return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        return position == 0 ? "f (trained on S_C)" : "g (trained on S_I)"
    }

    /// A log `{"log": [{"epoch": 1, "loss": 4.8, …}, …]}`.
    static func readLog(_ path: String) throws -> [(Int, Double)] {
        struct Log: Decodable {
            struct Entry: Decodable {
                let epoch: Int
                let loss: Double
            }
            let log: [Entry]
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(file: path, "cannot read the training log")
        }
        do {
            return try JSONDecoder().decode(Log.self, from: data).log.map { ($0.epoch, $0.loss) }
        } catch {
            throw SSLMemError(file: path, "not a training log {\"log\": [{\"epoch\", \"loss\"}, …]}")
        }
    }
}
