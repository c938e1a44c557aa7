import SSLMemHDF5
import SSLMemSupport

/// A layout-v1 images file: `/index`, `/pixels` [N, H, W] or [N, H, W, C]
/// uint8, optional `/label` with class `names`. Only the rows asked for are read.
public final class ImagesFile {
    public struct Image: Sendable {
        public var pixels: [UInt8]
        public var rows: Int
        public var columns: Int
        public var channels: Int
        public var label: Int64
    }

    public let path: String
    private let pixels: HDF5Dataset
    private var rowOf: [Int64: Int] = [:]
    private let labels: [Int64]?
    /// Class names from `/label`'s `names` attribute (empty when absent).
    public let classNames: [String]

    public init(path: String) throws {
        self.path = path
        let file = try HDF5File(reading: path)
        guard try file.attribute("sslmem_format")?.string == "images" else {
            throw SSLMemError(file: path, "root attribute sslmem_format is not \"images\" (layout v1 images file)")
        }
        let index = try file.dataset("/index").readAll(as: Int64.self)
        pixels = try file.dataset("/pixels")
        guard (3...4).contains(pixels.shape.count), pixels.shape[0] == index.count,
            pixels.elementType == .integer(bytes: 1, signed: false)
        else {
            throw SSLMemError(
                file: path, dataset: "/pixels",
                "expected uint8 [N, H, W] or [N, H, W, C] with N = \(index.count), found "
                    + "\(pixels.elementType) \(pixels.shape)")
        }
        for (row, key) in index.enumerated() { rowOf[key] = row }
        if file.exists("/label") {
            let set = try file.dataset("/label")
            labels = try set.readAll(as: Int64.self)
            if case .strings(let names)? = try set.attribute("names") { classNames = names } else { classNames = [] }
        } else {
            labels = nil
            classNames = []
        }
    }

    /// The image of the point with dataset index `key`, or nil if the file has none.
    public func image(of key: Int64) throws -> Image? {
        guard let row = rowOf[key] else { return nil }
        let rows = pixels.shape[1]
        let columns = pixels.shape[2]
        let channels = pixels.shape.count == 4 ? pixels.shape[3] : 1
        var buffer = [UInt8](repeating: 0, count: rows * columns * channels)
        try buffer.withUnsafeMutableBytes { try pixels.readRawRows(row..<(row + 1), into: $0.baseAddress!) }
        return Image(pixels: buffer, rows: rows, columns: columns, channels: channels, label: labels?[row] ?? -1)
    }

    /// The class name of `label`: from the file's names, else "class k".
    public func className(_ label: Int64) -> String {
        label >= 0 ? Self.className(label, names: classNames) : "unlabelled"
    }

    /// The name of class `label` (≥ 0) among `names`, else "class k".
    public static func className(_ label: Int64, names: [String]) -> String {
        Int(label) < names.count ? names[Int(label)] : "class \(label)"
    }
}
