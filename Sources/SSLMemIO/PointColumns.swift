import SSLMemHDF5
import SSLMemModel
import SSLMemSupport

/// The root datasets of a per-point table that sslmem writes (scores, shards of
/// alignments): `index` and columns of the same length, `subset` as layout-v1 codes.
struct PointColumns {
    let file: HDF5File
    let index: [Int64]

    init(_ file: HDF5File) throws {
        self.file = file
        index = try file.dataset("/index").readAll(as: Int64.self)
    }

    /// The column `name`, which must have one row per index.
    func column<T: HDF5Native & Numeric>(_ name: String, _ type: T.Type) throws -> [T] {
        let values = try file.dataset("/" + name).readAll(as: T.self)
        guard values.count == index.count else {
            throw SSLMemError(
                file: file.path, dataset: "/" + name, "has \(values.count) rows, /index has \(index.count)")
        }
        return values
    }

    /// The `subset` column decoded.
    func subsets() throws -> [Subset] {
        try column("subset", UInt8.self).enumerated().map { row, code in
            guard let s = Subset(rawValue: code) else {
                throw SSLMemError(
                    file: file.path, dataset: "/subset", point: index[row], "subset code \(code) is not 0–3")
            }
            return s
        }
    }
}
