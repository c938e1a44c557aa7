import Foundation
import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// Memorization over training (paper Fig. 2b): f and g dumps at several epochs
/// (a folder of layout-v1 files with an `epoch` attribute), scored epoch by
/// epoch, and the training losses from the backend's JSON logs.
///
/// Each checkpoint is scored on its own (`Memorization.score`, the default conventions), so its scores are
/// range-normalized within that checkpoint; compare checkpoints by `gaps` (unnormalized diff,
/// `MemorizationGap`), not by the mean scores.
///
/// Pairing (`CheckpointPairs.of`): when f and g trained for the same number of epochs, an f and a g checkpoint pair at
/// the same epoch. When they trained for different numbers (f for E_f, g for E_g epochs: the largest
/// checkpoint epoch of each, or the final dumps' `epoch` given as `totals`), they pair at the same fraction of
/// training: f's epoch e with the g epoch e′ nearest to e·E_g/E_f, if within half an epoch of each side
/// (|e/E_f − e′/E_g| ≤ 1/(2E_f) + 1/(2E_g)); each g checkpoint pairs at most once. `caveat` then names both
/// epoch counts: at one fraction, f and g saw their data a different number of times.
public struct TrainingSeries: Sendable {
    public struct Epoch: Sendable {
        /// f's epoch (the x axis).
        public var epoch: Int
        /// The epoch of the g checkpoint paired with it (`epoch` when f and g trained alike).
        public var gEpoch: Int
        /// epoch / E_f: the fraction of f's training.
        public var fraction: Double
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
    /// Set when f and g trained for different numbers of epochs and checkpoints were paired by fraction.
    public var caveat: String?

    /// Which f and g checkpoints of a folder are scored together (see `TrainingSeries`).
    public struct CheckpointPairs: Sendable, Equatable {
        public struct Pair: Sendable, Equatable {
            public var fEpoch: Int
            public var gEpoch: Int
            public var f: [String]
            public var g: [String]
        }
        public var pairs: [Pair]
        /// E_f and E_g.
        public var fEpochs: Int
        public var gEpochs: Int
        public var caveat: String?

        /// Reads the `epoch` attribute of every .h5 in `directory` (f: trained on the candidates; g: the others).
        /// `totals`: E_f and E_g from the run's final dumps, if known. Throws when no pair can be formed.
        public static func of(checkpoints directory: String, totals: (f: Int, g: Int)? = nil) throws -> CheckpointPairs {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".h5") }.sorted()
            var fFiles: [Int: [String]] = [:], gFiles: [Int: [String]] = [:]
            for name in names {
                let path = directory + "/" + name
                let file = try RepresentationsFile(path: path)
                guard let epoch = try file.file.attribute("epoch")?.integer else {
                    throw SSLMemError(file: path, "root attribute epoch is missing; checkpoint dumps need it")
                }
                if file.trainedOn.contains("candidate") { fFiles[Int(epoch), default: []].append(path) }
                else { gFiles[Int(epoch), default: []].append(path) }
            }
            let fTotal = totals?.f ?? fFiles.keys.max() ?? 0, gTotal = totals?.g ?? gFiles.keys.max() ?? 0
            var pairs: [Pair] = []
            if fTotal == gTotal || fTotal <= 0 || gTotal <= 0 {
                for epoch in fFiles.keys.sorted() where gFiles[epoch] != nil {
                    pairs.append(Pair(fEpoch: epoch, gEpoch: epoch, f: fFiles[epoch]!, g: gFiles[epoch]!))
                }
            } else {
                var free = Set(gFiles.keys)
                let tolerance = 0.5 / Double(fTotal) + 0.5 / Double(gTotal)
                for epoch in fFiles.keys.sorted() {
                    let fraction = Double(epoch) / Double(fTotal)
                    let nearest = free.sorted().min {
                        abs(Double($0) / Double(gTotal) - fraction) < abs(Double($1) / Double(gTotal) - fraction)
                    }
                    guard let g = nearest, abs(Double(g) / Double(gTotal) - fraction) <= tolerance + 1e-12 else { continue }
                    free.remove(g)
                    pairs.append(Pair(fEpoch: epoch, gEpoch: g, f: fFiles[epoch]!, g: gFiles[g]!))
                }
            }
            guard !pairs.isEmpty else {
                let list = { (d: [Int: [String]]) in d.keys.sorted().map(String.init).joined(separator: ", ") }
                throw SSLMemError(file: directory, "no f checkpoint has a g checkpoint at the same "
                                  + (fTotal == gTotal ? "epoch" : "fraction of training")
                                  + " (f at epochs \(list(fFiles)) of \(fTotal); g at \(list(gFiles)) of \(gTotal))")
            }
            var caveat: String?
            if fTotal != gTotal, fTotal > 0, gTotal > 0 {
                caveat = "f trained for \(fTotal) epochs and g for \(gTotal): the checkpoints are paired by fraction of "
                    + "training (" + pairs.map { "f epoch \($0.fEpoch) with g epoch \($0.gEpoch)" }.joined(separator: ", ")
                    + "). At one fraction f and g have seen their data a different number of times, so memorization "
                    + "over training mixes memorization with the difference in training length; read its trend, not "
                    + "its level at one checkpoint."
            }
            return CheckpointPairs(pairs: pairs, fEpochs: fTotal, gEpochs: gTotal, caveat: caveat)
        }
    }

    /// Scores each pair of f and g checkpoints in `directory` (`CheckpointPairs`), with E_f and E_g from `totals`
    /// when given (the run's final dumps), else from the checkpoints.
    public init(checkpoints directory: String, logs: [String], totals: (f: Int, g: Int)? = nil) throws {
        let pairing = try CheckpointPairs.of(checkpoints: directory, totals: totals)
        caveat = pairing.caveat
        epochs = try pairing.pairs.map { pair in
            let (f, g, epoch) = (pair.f, pair.g, pair.fEpoch)
            let table = try Memorization.score(f: f, g: g)
            let candidates = table.scores(of: .candidate).sorted(by: >)
            let top = candidates.prefix(max(1, candidates.count / 10))
            let independent = table.scores(of: .independent)
            return Epoch(epoch: epoch, gEpoch: pair.gEpoch,
                         fraction: pairing.fEpochs > 0 ? Double(epoch) / Double(pairing.fEpochs) : .nan, candidateMean: candidates.reduce(0, +) / Double(max(1, candidates.count)),
                         candidateTop10: top.reduce(0, +) / Double(top.count),
                         independentMean: independent.reduce(0, +) / Double(max(1, independent.count)),
                         gaps: MemorizationGap.gaps(table))
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
