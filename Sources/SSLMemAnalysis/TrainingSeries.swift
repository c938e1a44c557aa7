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
        /// Whether this point is the run's final f and g (`FinalModel`) rather than a checkpoint pair.
        public var isFinal = false
        /// The number of points of each subset the point was scored on (shared, candidate, independent, extra:
        /// those present).
        public var sizes: [Subset: Int] = [:]

        /// "200 points per subset" when every subset has as many points, else "200 candidate, 200 independent
        /// and 100 extra points".
        public var sizeDescription: String {
            let present = Subset.allCases.filter { (sizes[$0] ?? 0) > 0 }
            let counts = present.map { sizes[$0]! }
            guard let first = counts.first else { return "no points" }
            if counts.allSatisfy({ $0 == first }) { return "\(first) points per subset" }
            let parts = present.map { "\(sizes[$0]!) \($0)" }
            return parts.dropLast().joined(separator: ", ") + " and " + parts.last! + " points"
        }

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

    /// The run's final f and g, already scored (the report's own table): paper Fig. 2b ends with the trained
    /// model, so it is the series' last point, at its epoch (f's `epoch` attribute; g's as `gEpoch`), when it
    /// lies after every checkpoint. Only its unnormalized diff enters the series (`MemorizationGap`), so its
    /// normalization does not matter; its pairing and distance should be those the checkpoints are scored with
    /// (`options` of `init`).
    public struct FinalModel: Sendable {
        public var epoch: Int
        public var gEpoch: Int
        public var table: ScoresTable
        public init(epoch: Int, gEpoch: Int, table: ScoresTable) {
            self.epoch = epoch
            self.gEpoch = gEpoch
            self.table = table
        }

        /// The final model of a run whose f and g dumps are `f` and `g` (the first of each), with its scores
        /// `table`; nil when the dumps carry no `epoch` attribute.
        public static func of(f: [String], g: [String], table: ScoresTable) throws -> FinalModel? {
            guard let first = f.first, let firstG = g.first,
                let fEpoch = try RepresentationsFile(path: first).file.attribute("epoch")?.integer,
                let gEpoch = try RepresentationsFile(path: firstG).file.attribute("epoch")?.integer
            else { return nil }
            return FinalModel(epoch: Int(fEpoch), gEpoch: Int(gEpoch), table: table)
        }

        /// The final model of a scored table from its provenance, as `Memorization.score` records it and a
        /// scores .h5 keeps it (`f_files`, `g_files`, `pairing`, `distance`), with the alignment options the
        /// checkpoints must be scored with; nil when it records no dumps (a scores .csv), the dumps are gone or
        /// carry no `epoch`.
        public static func of(_ table: ScoresTable) throws -> (final: FinalModel, options: SSLMemCore.AlignmentOptions)?
        {
            func strings(_ name: String) -> [String] {
                table.provenance.first { $0.0 == name }.flatMap { _, value -> [String]? in
                    if case .strings(let v) = value { return v } else { return nil }
                } ?? []
            }
            let f = strings("f_files")
            let g = strings("g_files")
            guard !f.isEmpty, !g.isEmpty, (f + g).allSatisfy({ FileManager.default.fileExists(atPath: $0) }),
                let final = try of(f: f, g: g, table: table)
            else { return nil }
            var options = SSLMemCore.AlignmentOptions()
            if let pairing = strings("pairing").first.flatMap(Pairing.init(rawValue:)) { options.pairing = pairing }
            if let distance = strings("distance").first.flatMap(Distance.init(rawValue:)) {
                options.distance = distance
            }
            return (final, options)
        }
    }

    /// The final model's point (`FinalModel`), when the series has one: its last.
    public var final: Epoch? { epochs.last.flatMap { $0.isFinal ? $0 : nil } }

    /// Set when the final model was scored on other numbers of points than the checkpoints: the sentence says
    /// both, and that its interval differs in width for that reason alone (an interval narrows with √n).
    public var finalSizeNote: String? {
        guard let final, let checkpoint = epochs.dropLast().last, final.sizes != checkpoint.sizes else { return nil }
        let candidatesFinal = Double(final.sizes[.candidate] ?? 0)
        let candidates = Double(checkpoint.sizes[.candidate] ?? 0)
        let ratio = candidates > 0 ? (candidatesFinal / candidates).squareRoot() : .nan
        let same = epochs.dropLast().allSatisfy { $0.sizes == checkpoint.sizes }
        return "The final model (epoch \(final.epoch)) was scored on \(final.sizeDescription), the checkpoints on "
            + (same
                ? checkpoint.sizeDescription
                : "other numbers (\(checkpoint.sizeDescription) at epoch \(checkpoint.epoch))")
            + (ratio.isFinite && ratio != 1
                ? ", so its interval is about \(NumberFormat.fixed(max(ratio, 1 / ratio), 1))× "
                    + (ratio > 1 ? "narrower" : "wider") + " for that reason alone (an interval scales with 1/√n)"
                : "")
            + "."
    }

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
        public static func of(checkpoints directory: String, totals: (f: Int, g: Int)? = nil) throws -> CheckpointPairs
        {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".h5") }
                .sorted()
            var fFiles: [Int: [String]] = [:]
            var gFiles: [Int: [String]] = [:]
            for name in names {
                let path = directory + "/" + name
                let file = try RepresentationsFile(path: path)
                guard let epoch = try file.file.attribute("epoch")?.integer else {
                    throw SSLMemError(file: path, "root attribute epoch is missing; checkpoint dumps need it")
                }
                if file.trainedOn.contains("candidate") {
                    fFiles[Int(epoch), default: []].append(path)
                } else {
                    gFiles[Int(epoch), default: []].append(path)
                }
            }
            let fTotal = totals?.f ?? fFiles.keys.max() ?? 0
            let gTotal = totals?.g ?? gFiles.keys.max() ?? 0
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
                    guard let g = nearest, abs(Double(g) / Double(gTotal) - fraction) <= tolerance + 1e-12 else {
                        continue
                    }
                    free.remove(g)
                    pairs.append(Pair(fEpoch: epoch, gEpoch: g, f: fFiles[epoch]!, g: gFiles[g]!))
                }
            }
            guard !pairs.isEmpty else {
                let list = { (d: [Int: [String]]) in d.keys.sorted().map(String.init).joined(separator: ", ") }
                throw SSLMemError(
                    file: directory,
                    "no f checkpoint has a g checkpoint at the same "
                        + (fTotal == gTotal ? "epoch" : "fraction of training")
                        + " (f at epochs \(list(fFiles)) of \(fTotal); g at \(list(gFiles)) of \(gTotal))")
            }
            var caveat: String?
            if fTotal != gTotal, fTotal > 0, gTotal > 0 {
                caveat =
                    "f trained for \(fTotal) epochs and g for \(gTotal): the checkpoints are paired by fraction of "
                    + "training ("
                    + pairs.map { "f epoch \($0.fEpoch) with g epoch \($0.gEpoch)" }.joined(separator: ", ")
                    + "). At one fraction f and g have seen their data a different number of times, so memorization "
                    + "over training mixes memorization with the difference in training length; read its trend, not "
                    + "its level at one checkpoint."
            }
            return CheckpointPairs(pairs: pairs, fEpochs: fTotal, gEpochs: gTotal, caveat: caveat)
        }
    }

    /// Scores each pair of f and g checkpoints in `directory` (`CheckpointPairs`) with `options` (pairing and
    /// distance), with E_f and E_g from `totals` when given, else from `final`'s epochs (the run's final
    /// dumps), else from the checkpoints; then appends `final` as the last point when its epoch lies after
    /// every checkpoint's (a checkpoint at the final epoch is the same model and stays the only point there).
    public init(
        checkpoints directory: String, logs: [String], totals: (f: Int, g: Int)? = nil,
        final: FinalModel? = nil, options: SSLMemCore.AlignmentOptions = SSLMemCore.AlignmentOptions()
    ) throws {
        let pairing = try CheckpointPairs.of(
            checkpoints: directory, totals: totals ?? final.map { ($0.epoch, $0.gEpoch) })
        caveat = pairing.caveat
        func point(_ table: ScoresTable, epoch: Int, gEpoch: Int) -> Epoch {
            let candidates = table.scores(of: .candidate).sorted(by: >)
            let top = candidates.prefix(max(1, candidates.count / 10))
            let independent = table.scores(of: .independent)
            var point = Epoch(
                epoch: epoch, gEpoch: gEpoch,
                fraction: pairing.fEpochs > 0 ? Double(epoch) / Double(pairing.fEpochs) : .nan,
                candidateMean: candidates.reduce(0, +) / Double(max(1, candidates.count)),
                candidateTop10: top.reduce(0, +) / Double(top.count),
                independentMean: independent.reduce(0, +) / Double(max(1, independent.count)),
                gaps: MemorizationGap.gaps(table))
            point.sizes = Dictionary(
                uniqueKeysWithValues: Subset.allCases.map { s in
                    (s, table.known.contains(.subset) ? table.subset.lazy.filter { $0 == s }.count : 0)
                }
            ).filter { $0.value > 0 }
            return point
        }
        epochs = try pairing.pairs.map { pair in
            point(
                try Memorization.score(f: pair.f, g: pair.g, options: options), epoch: pair.fEpoch, gEpoch: pair.gEpoch)
        }
        if let final, final.epoch > (epochs.map(\.epoch).max() ?? .min) {
            var last = point(final.table, epoch: final.epoch, gEpoch: final.gEpoch)
            last.isFinal = true
            epochs.append(last)
        }
        losses = try logs.enumerated().map { position, path in
            let log = try Self.readLog(path)
            return Loss(
                name: Self.lossName(position: position, of: logs.count, path: path),
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
