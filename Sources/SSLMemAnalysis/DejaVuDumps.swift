import SSLMemCore
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemSupport

extension DejaVuAttack {
    /// Runs the attack on a pair of dumps: f's and g's `/dejavu` groups, with the
    /// targets' subsets and labels from `/points`.
    ///
    /// The target points are the candidate and independent points that have a
    /// crop; both files must hold crops for the same ones, and agree on their
    /// subsets and labels. Crops of shared or extra points are not used.
    public init(
        f: RepresentationsFile, g: RepresentationsFile, k: Int = 100,
        workers: Int = FileAlignment.defaultWorkers
    ) throws {
        try self.init(f: DejaVuSet(f), g: DejaVuSet(g), k: k, workers: workers)
    }

    /// As `init(f:g:k:workers:)` on `/dejavu` groups already opened.
    public init(f: DejaVuSet, g: DejaVuSet, k: Int = 100, workers: Int = FileAlignment.defaultWorkers) throws {
        let targets = try Self.targets(f, g)
        let keys = targets.map(\.key)
        let labels = try Self.labels(of: keys, f.file, g.file)
        // With two or more workers, f's and g's searches run at once on half the workers each: one
        // encoder's serial steps (reading a panel, settling the candidates) overlap the other's SGEMM,
        // and there is no barrier between the halves. The neighbours do not depend on the split.
        let (fInference, gInference) =
            workers >= 2
            ? try Concurrently.run(
                { try Self.infer(f, keys: keys, k: k, workers: workers / 2) },
                { try Self.infer(g, keys: keys, k: k, workers: workers - workers / 2) })
            : (
                try Self.infer(f, keys: keys, k: k, workers: workers),
                try Self.infer(g, keys: keys, k: k, workers: workers)
            )
        let points = targets.indices.map { i in
            Point(index: keys[i], subset: targets[i].subset, label: labels[i], f: fInference[i], g: gInference[i])
        }
        self.init(k: k, a: points.filter { $0.subset == .candidate }, b: points.filter { $0.subset == .independent })
    }

    /// Candidate and independent points with crops and their subsets (as f has them), in ascending index.
    static func targets(_ f: DejaVuSet, _ g: DejaVuSet) throws -> [(key: Int64, subset: Subset)] {
        func targets(_ set: DejaVuSet) throws -> [Int64: Subset] {
            let subsets = Dictionary(uniqueKeysWithValues: zip(set.file.index, set.file.subset))
            var targets: [Int64: Subset] = [:]
            for key in set.cropIndex {
                guard let subset = subsets[key] else {
                    throw SSLMemError(
                        file: set.file.path, dataset: "/dejavu/crop_index", point: key,
                        "crop of a point that /points/index does not hold")
                }
                if subset == .candidate || subset == .independent { targets[key] = subset }
            }
            return targets
        }
        let fTargets = try targets(f)
        let fKeys = Set(fTargets.keys)
        let gKeys = Set(try targets(g).keys)
        guard fKeys == gKeys else {
            let onlyF = fKeys.subtracting(gKeys).sorted()
            let onlyG = gKeys.subtracting(fKeys).sorted()
            let examples = (onlyF + onlyG).prefix(5).map(String.init).joined(separator: ", ")
            throw SSLMemError(
                file: g.file.path, dataset: "/dejavu/crop_index",
                "crops differ from \(f.file.path): \(onlyF.count) target points have a crop only in f, "
                    + "\(onlyG.count) only in g (e.g. \(examples))")
        }
        for subset in [Subset.candidate, .independent] where !fTargets.values.contains(subset) {
            throw SSLMemError(
                file: f.file.path, dataset: "/dejavu/crop_index",
                "no \(subset) point has a crop; Déjà Vu compares candidate and independent points")
        }
        return fTargets.sorted { $0.key < $1.key }.map { (key: $0.key, subset: $0.value) }
    }

    /// The class of each target from `/points/label`, which f and g must agree on.
    static func labels(of keys: [Int64], _ f: RepresentationsFile, _ g: RepresentationsFile) throws -> [Int64] {
        let fLabels = Dictionary(uniqueKeysWithValues: zip(f.index, zip(f.label, f.subset)))
        let gLabels = Dictionary(uniqueKeysWithValues: zip(g.index, zip(g.label, g.subset)))
        return try keys.map { key in
            let (label, subset) = fLabels[key]!
            guard label >= 0 else {
                throw SSLMemError(
                    file: f.path, dataset: "/points/label", point: key,
                    "no class label; Déjà Vu scores the inferred label against /points/label")
            }
            guard let (gLabel, gSubset) = gLabels[key] else {
                throw SSLMemError(
                    file: g.path, dataset: "/points/index", point: key, "has a crop but is not a point here")
            }
            guard gLabel == label, gSubset == subset else {
                throw SSLMemError(
                    file: g.path, dataset: gLabel == label ? "/points/subset" : "/points/label", point: key,
                    gLabel == label
                        ? "subset \(gSubset) here but \(subset) in \(f.path)"
                        : "label \(gLabel) here but \(label) in \(f.path)")
            }
            return label
        }
    }

    /// Why `k` neighbours cannot run against a public set of `publicCount` rows, or nil when they can. With
    /// k ≥ the public set every crop's neighbours are the whole public set, so every target gets the same
    /// inferred label and the gap is exactly 0 by construction: k must be below the public set's size.
    public static func kProblem(_ k: Int, publicCount: Int) -> String? {
        if k < 1 { return "k = \(k) neighbours asked for; k must be at least 1" }
        guard k >= publicCount else { return nil }
        return "k = \(k) neighbours asked for, the public set has \(publicCount) rows: with k ≥ the public set every "
            + "target gets the same inferred label and the gap is 0 by construction; use k below \(publicCount)"
    }

    /// The k a report runs with: `requested`, or one less than the smaller public set when `requested` is not
    /// below it, with a warning naming both numbers (nil when k is kept).
    public static func usableK(_ requested: Int, publicCounts: [Int]) -> (k: Int, warning: String?) {
        let smallest = publicCounts.min() ?? 0
        guard requested >= smallest, smallest >= 2 else { return (requested, nil) }
        let k = smallest - 1
        return (
            k,
            "Déjà Vu ran with k = \(k) neighbours instead of the \(requested) asked for: the public set has "
                + "\(smallest) rows, and with k ≥ the public set every target gets the same inferred label (a gap of 0 "
                + "by construction). With so few public examples the attack is weak; read its numbers as a lower bound."
        )
    }

    /// One encoder's attack on the targets `keys`.
    static func infer(_ set: DejaVuSet, keys: [Int64], k: Int, workers: Int) throws -> [LabelInference] {
        let path = set.file.path
        if let problem = DejaVuAttack.kProblem(k, publicCount: set.publicLabel.count) {
            throw SSLMemError(file: path, dataset: "/dejavu/public", problem)
        }
        let cropReader = try FloatPanelReader(set.crops)
        let crops = try cropReader.readAll(workers: workers)
        let rowOf = Dictionary(uniqueKeysWithValues: set.cropIndex.enumerated().map { ($1, $0) })
        let d = set.vectorLength
        var targets = [Float](repeating: 0, count: keys.count * d)
        for (i, key) in keys.enumerated() {
            let row = rowOf[key]!
            let values = crops[(row * d)..<((row + 1) * d)]
            guard values.allSatisfy(\.isFinite) else {
                throw SSLMemError(
                    file: path, dataset: "/dejavu/crop", point: key,
                    "holds NaN or Inf; the attack needs finite representations")
            }
            targets.replaceSubrange((i * d)..<((i + 1) * d), with: values)
        }
        let neighbours = try NearestNeighbours.neighbourSets(
            targets: targets, count: keys.count, publicRows: try FloatPanelReader(set.publicRows), k: k,
            workers: workers)
        return keys.indices.map { i in
            LabelInference(neighbourLabels: neighbours[(i * k)..<((i + 1) * k)].map { set.publicLabel[Int($0)] })
        }
    }
}
