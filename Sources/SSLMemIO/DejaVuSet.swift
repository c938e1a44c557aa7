import SSLMemHDF5
import SSLMemSupport

/// The `/dejavu` group of a representations file (layout v1): one encoder's
/// representations of periphery crops of target points and of a labelled
/// public set neither encoder trained on.
///
/// Opening checks ranks, types, row counts, matching vector lengths and
/// duplicate crop indices; the values themselves are read by the caller
/// through `crops` and `publicRows`.
public struct DejaVuSet {
    public let file: RepresentationsFile
    /// `/dejavu/crop_index`: the point (`/points/index`) of each crop row.
    public let cropIndex: [Int64]
    /// `/dejavu/crop`, [Nc, D…].
    public let crops: HDF5Dataset
    /// `/dejavu/public`, [M, D…].
    public let publicRows: HDF5Dataset
    /// `/dejavu/public_label`: the class of each public row.
    public let publicLabel: [Int64]
    public var vectorLength: Int { crops.rowLength }

    public init(_ file: RepresentationsFile) throws {
        self.file = file
        let path = file.path
        for name in ["/dejavu/crop", "/dejavu/crop_index", "/dejavu/public", "/dejavu/public_label"]
        where !file.file.exists(name) {
            throw SSLMemError(
                file: path, dataset: name,
                "missing dataset; Déjà Vu needs /dejavu/crop, "
                    + "/dejavu/crop_index, /dejavu/public and /dejavu/public_label (layout v1)")
        }
        crops = try file.file.dataset("/dejavu/crop")
        try RepresentationsFile.expect(crops, minimumRank: 2)
        let indexSet = try file.file.dataset("/dejavu/crop_index")
        try RepresentationsFile.expect(indexSet, rank: 1, integer: true, rows: crops.shape[0], rowsOf: "/dejavu/crop")
        cropIndex = try indexSet.readAll(as: Int64.self)
        publicRows = try file.file.dataset("/dejavu/public")
        try RepresentationsFile.expect(publicRows, minimumRank: 2)
        let labelSet = try file.file.dataset("/dejavu/public_label")
        try RepresentationsFile.expect(
            labelSet, rank: 1, integer: true, rows: publicRows.shape[0],
            rowsOf: "/dejavu/public")
        publicLabel = try labelSet.readAll(as: Int64.self)
        guard publicRows.rowLength == crops.rowLength else {
            throw SSLMemError(
                file: path, dataset: "/dejavu/public",
                "holds vectors of length \(publicRows.rowLength), /dejavu/crop has \(crops.rowLength)")
        }
        var seen = Set<Int64>(minimumCapacity: cropIndex.count)
        for key in cropIndex where !seen.insert(key).inserted {
            throw SSLMemError(
                file: path, dataset: "/dejavu/crop_index", point: key,
                "two crop rows for one point; each target point has one crop")
        }
    }
}
