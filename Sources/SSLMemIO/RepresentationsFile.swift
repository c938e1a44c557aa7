import SSLMemHDF5
import SSLMemModel
import SSLMemSupport

/// A layout-v1 representations file (docs/layout.md): the K augmented views of
/// N points as seen by one encoder, plus the points' keys and metadata.
///
/// Opening checks what scoring needs and throws the first problem as one
/// line; `LayoutValidator` lists every problem of a file for `sslmem inspect`.
public final class RepresentationsFile {
    public let file: HDF5File
    public var path: String { file.path }
    /// `/points/index`: the dataset index of each row, the key that joins files.
    public let index: [Int64]
    public let subset: [Subset]
    /// `/points/label`, -1 where unknown or absent.
    public let label: [Int64]
    /// `/views/representations`, [N, K, D…].
    public let representations: HDF5Dataset
    public var viewCount: Int { representations.shape[1] }
    /// D: length of one flattened view.
    public var viewLength: Int { representations.shape.dropFirst(2).reduce(1, *) }
    public let trainedOn: [String]

    public init(path: String) throws {
        file = try HDF5File(reading: path)
        let format = try file.attribute("sslmem_format")?.string
        guard format == "representations" else {
            throw SSLMemError(
                file: path,
                "root attribute sslmem_format is \(format.map { "\"\($0)\"" } ?? "missing"), "
                    + "expected \"representations\" (layout v1)")
        }
        guard case .strings(let trainedOn)? = try file.attribute("trained_on") else {
            throw SSLMemError(file: path, "root attribute trained_on (string array) is missing")
        }
        self.trainedOn = trainedOn
        let indexSet = try file.dataset("/points/index")
        try Self.expect(indexSet, rank: 1, integer: true)
        let n = indexSet.shape[0]
        let keys = try indexSet.readAll(as: Int64.self)
        index = keys
        let subsetSet = try file.dataset("/points/subset")
        try Self.expect(subsetSet, rank: 1, integer: true, rows: n)
        let codes = try subsetSet.readAll(as: Int64.self)
        subset = try codes.enumerated().map { row, code in
            guard let s = Subset(rawValue: UInt8(clamping: code)), code >= 0, code <= 3 else {
                throw SSLMemError(
                    file: path, dataset: "/points/subset", point: keys[row],
                    "subset code \(code) is not 0 (shared), 1 (candidate), 2 (independent) or 3 (extra)")
            }
            return s
        }
        if file.exists("/points/label") {
            let labelSet = try file.dataset("/points/label")
            try Self.expect(labelSet, rank: 1, integer: true, rows: n)
            label = try labelSet.readAll(as: Int64.self)
        } else {
            label = Array(repeating: -1, count: n)
        }
        representations = try file.dataset("/views/representations")
        try Self.expect(representations, minimumRank: 3, rows: n)
        guard viewCount >= 2 else {
            throw SSLMemError(
                file: path, dataset: "/views/representations",
                "K = \(viewCount) view per point; alignment needs K ≥ 2 augmented views")
        }
        var seen = [Int64: Int](minimumCapacity: n)
        for (row, key) in index.enumerated() {
            if let first = seen.updateValue(row, forKey: key) {
                throw SSLMemError(
                    file: path, dataset: "/points/index", point: key,
                    "duplicate index (rows \(first) and \(row)); indices must be unique")
            }
        }
    }

    /// Checks `trained_on` against the role the user gave the file (`--f` or `--g`).
    public func checkRole(_ role: EncoderRole) throws {
        guard trainedOn.contains(role.ownSubset.description), !trainedOn.contains(role.otherSubset.description) else {
            throw SSLMemError(
                file: path,
                "given as --\(role.rawValue) but trained_on is [\(trainedOn.joined(separator: ", "))]; "
                    + "an \(role.rawValue) encoder lists \"\(role.ownSubset)\" and not \"\(role.otherSubset)\"")
        }
    }

    /// `/views/original`, [N, D…], checked against the views' shape.
    public func original() throws -> HDF5Dataset {
        guard file.exists("/views/original") else {
            throw SSLMemError(
                file: path, dataset: "/views/original",
                "missing dataset; pairing 'original' needs the un-augmented view (or use pairing all-pairs)")
        }
        let original = try file.dataset("/views/original")
        try Self.expect(original, minimumRank: 2, rows: index.count)
        guard original.rowLength == viewLength else {
            throw SSLMemError(
                file: path, dataset: "/views/original",
                "holds vectors of length \(original.rowLength), the views have \(viewLength)")
        }
        return original
    }

    /// Root attributes as text, for provenance and reports.
    public func attributes() throws -> [(name: String, value: HDF5AttributeValue)] {
        try file.attributeNames().compactMap { name in try file.attribute(name).map { (name, $0) } }
    }

    static func expect(
        _ dataset: HDF5Dataset, rank: Int? = nil, minimumRank: Int? = nil, integer: Bool = false, rows: Int? = nil,
        rowsOf rowSource: String = "/points/index"
    ) throws {
        func fail(_ message: String) -> SSLMemError {
            SSLMemError(file: dataset.file.path, dataset: dataset.path, message)
        }
        if let rank, dataset.shape.count != rank {
            throw fail("rank \(dataset.shape.count) (shape \(dataset.shape)), expected rank \(rank)")
        }
        if let minimumRank, dataset.shape.count < minimumRank {
            throw fail("rank \(dataset.shape.count) (shape \(dataset.shape)), expected at least \(minimumRank)")
        }
        if integer, case .integer = dataset.elementType {
        } else if integer {
            throw fail("holds \(dataset.elementType), expected integers")
        }
        if !integer, case .float(let bytes, _) = dataset.elementType, [2, 4, 8].contains(bytes) {
        } else if !integer {
            throw fail("holds \(dataset.elementType), expected float16 or float32 (float64 accepted)")
        }
        if let rows, dataset.shape.first != rows {
            throw fail("has \(dataset.shape.first ?? 0) rows, \(rowSource) has \(rows)")
        }
    }
}
