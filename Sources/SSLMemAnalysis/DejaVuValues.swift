import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// One encoder's Déjà Vu inputs held in memory: what a dump's `/dejavu` group
/// holds (docs/layout.md), for code that has the embeddings as arrays.
///
/// `crops` is row-major [Nc, D], row r the encoder's representation of a
/// periphery crop of point `cropIndex[r]`; `publicRows` is row-major [M, D], a
/// labelled public set neither encoder trained on, row m of class `publicLabel[m]`.
public struct DejaVuEmbeddings: Sendable {
    public var cropIndex: [Int64]
    public var crops: [Float]
    public var publicRows: [Float]
    public var publicLabel: [Int64]
    /// D, the length of every crop and public vector.
    public var vectorLength: Int
    /// Names these embeddings in error messages, e.g. "f".
    public var name: String

    /// Checks the shapes and that every value is finite.
    public init(
        cropIndex: [Int64], crops: [Float], publicRows: [Float], publicLabel: [Int64], vectorLength: Int,
        name: String = "embeddings"
    ) throws {
        let d = vectorLength
        guard d >= 1, crops.count == cropIndex.count * d, publicRows.count == publicLabel.count * d else {
            throw SSLMemError(
                file: name,
                "crops hold \(crops.count) numbers for \(cropIndex.count) crops and public "
                    + "rows \(publicRows.count) for \(publicLabel.count) labels; with vectors of length "
                    + "\(d) they should hold \(cropIndex.count * d) and \(publicLabel.count * d)")
        }
        if let row = publicRows.indices.first(where: { !publicRows[$0].isFinite }) {
            throw SSLMemError(file: name, dataset: "public", "row \(row / d) holds NaN or Inf")
        }
        if let row = crops.indices.first(where: { !crops[$0].isFinite }) {
            throw SSLMemError(
                file: name, dataset: "crop", point: cropIndex[row / d],
                "holds NaN or Inf; the attack needs finite representations")
        }
        self.cropIndex = cropIndex
        self.crops = crops
        self.publicRows = publicRows
        self.publicLabel = publicLabel
        self.vectorLength = d
        self.name = name
    }

    /// Row numbers of the k public rows nearest to crop row `row`, nearest
    /// first: squared L2 distances as `SquaredDistance.exact` gives them, ties by
    /// lower row — the neighbours `NearestNeighbours` finds in files, found here
    /// by comparing with every public row.
    func nearest(toCrop row: Int, k: Int) -> [Int] {
        let d = vectorLength
        return crops.withUnsafeBufferPointer { crops in
            publicRows.withUnsafeBufferPointer { rows in
                let distances = publicLabel.indices.map { m in
                    SquaredDistance.exact(crops.baseAddress! + row * d, rows.baseAddress! + m * d, count: d)
                }
                return Array(publicLabel.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(k))
            }
        }
    }
}

extension DejaVuAttack {
    /// The attack on embeddings in memory. The targets are the candidate
    /// (set A) and independent (set B) points of `points` that have a crop;
    /// f and g must hold crops of the same targets, and each target needs a
    /// class label (≥ 0) in `points.label`.
    public init(points: PointTable, f: DejaVuEmbeddings, g: DejaVuEmbeddings, k: Int = 100) throws {
        let rowOfPoint = Dictionary(points.index.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func targets(_ e: DejaVuEmbeddings) throws -> [Int64: Int] {
            if let problem = DejaVuAttack.kProblem(k, publicCount: e.publicLabel.count) {
                throw SSLMemError(file: e.name, dataset: "public", problem)
            }
            var rows: [Int64: Int] = [:]
            for (row, key) in e.cropIndex.enumerated() {
                guard let point = rowOfPoint[key] else {
                    throw SSLMemError(file: e.name, dataset: "crop_index", point: key, "crop of a point not in points")
                }
                if points.subset[point] == .candidate || points.subset[point] == .independent { rows[key] = row }
            }
            return rows
        }
        let fRows = try targets(f)
        let gRows = try targets(g)
        guard Set(fRows.keys) == Set(gRows.keys) else {
            throw SSLMemError(
                file: g.name, dataset: "crop_index",
                "crops differ from \(f.name): Déjà Vu needs crops of the same target points in both")
        }
        let keys = fRows.keys.sorted()
        let chosen = try keys.map { key -> Point in
            let row = rowOfPoint[key]!
            guard points.label[row] >= 0 else {
                throw SSLMemError(
                    file: f.name, dataset: "label", point: key,
                    "no class label; Déjà Vu scores the inferred label against the point's label")
            }
            func inference(_ e: DejaVuEmbeddings, _ cropRow: Int) -> LabelInference {
                LabelInference(neighbourLabels: e.nearest(toCrop: cropRow, k: k).map { e.publicLabel[$0] })
            }
            return Point(
                index: key, subset: points.subset[row], label: points.label[row],
                f: inference(f, fRows[key]!), g: inference(g, gRows[key]!))
        }
        for subset in [Subset.candidate, .independent] where !chosen.contains(where: { $0.subset == subset }) {
            throw SSLMemError(
                file: f.name, dataset: "crop_index",
                "no \(subset) point has a crop; Déjà Vu compares candidate and independent points")
        }
        self.init(k: k, a: chosen.filter { $0.subset == .candidate }, b: chosen.filter { $0.subset == .independent })
    }
}
