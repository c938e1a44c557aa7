import CDeflate
import Foundation
import SSLMemHDF5
import SSLMemModel
import SSLMemSupport

/// The numeric arrays of a MATLAB file, as per-point sources: level 5 (what
/// `scipy.io.savemat` writes, and MATLAB's `save -v7`), each variable
/// zlib-compressed or not, and v7.3, which is HDF5 behind a 512-byte header.
///
/// Level 5 (MathWorks, "MAT-File Format", ch. 1): a 128-byte header ending in
/// the version 0x0100 and the endian mark "IM" (little-endian; big-endian files
/// are refused), then data elements, each a tag (type, byte count — or the
/// small form with both in 4 bytes and the data in the next 4) padded to 8
/// bytes. A variable is an miMATRIX element holding array flags (class), the
/// dimensions, the name and the real part, stored in any numeric type
/// (MATLAB stores a double array of small integers as int8, say); an
/// miCOMPRESSED element is a zlib stream holding one such element. Values are
/// column-major; numeric classes only, complex and sparse arrays are refused.
public struct MATFile {
    public let path: String
    /// Level-5 variables: name → (dimensions, values as Double).
    private var arrays: [String: (shape: [Int], values: [Double])] = [:]
    /// Variables that are not plain real numeric arrays, with what they are.
    private var skipped: [String: String] = [:]
    /// A v7.3 file, read through libhdf5.
    private var hdf5: HDF5File?

    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(file: path, "cannot read the file")
        }
        guard data.count >= 128 else {
            throw SSLMemError(file: path, "not a MATLAB file: shorter than its 128-byte header")
        }
        let bytes = [UInt8](data)
        let text = String(decoding: bytes.prefix(116), as: UTF8.self)
        if text.hasPrefix("MATLAB 7.3") {
            hdf5 = try HDF5File(reading: path)
            return
        }
        guard text.hasPrefix("MATLAB 5.0") || bytes[126] == UInt8(ascii: "I") && bytes[127] == UInt8(ascii: "M") else {
            throw SSLMemError(
                file: path,
                bytes[126] == UInt8(ascii: "M") && bytes[127] == UInt8(ascii: "I")
                    ? "a big-endian MATLAB file; save it on a little-endian machine or with scipy.io.savemat"
                    : "not a MATLAB level-5 or v7.3 file (header \"\(text.prefix(20))…\")")
        }
        var offset = 128
        while offset + 8 <= bytes.count {
            let (type, count, start, next) = try Self.tag(bytes, at: offset, path: path)
            guard start + count <= bytes.count else {
                throw SSLMemError(
                    file: path, "element at byte \(offset) runs past the end of the file: it is truncated")
            }
            if type == 15 {
                let inflated = try Self.inflate(Array(bytes[start..<(start + count)]), path: path, at: offset)
                try readMatrix(inflated, at: 0)
                offset = start + count
            } else {
                if type == 14 { try readMatrix(bytes, at: offset) }
                offset = next
            }
        }
    }

    /// Names of the numeric variables (level 5), in name order.
    public var names: [String] { arrays.keys.sorted() }

    /// The values of variable `name` as a vector (a 1×N or N×1 array, or a
    /// v7.3 dataset of N values), or nil when the file has no such variable.
    public func vector(_ name: String) throws -> [Double]? {
        if let hdf5 {
            guard hdf5.exists("/" + name) else { return nil }
            let dataset = try hdf5.dataset("/" + name)
            guard dataset.shape.filter({ $0 > 1 }).count <= 1 else {
                throw SSLMemError(
                    file: path, dataset: name,
                    "is a \(dataset.shape.map(String.init).joined(separator: "×")) "
                        + "array; a per-point score is a vector")
            }
            return try dataset.readAll(as: Double.self)
        }
        if let what = skipped[name] {
            throw SSLMemError(file: path, dataset: name, "is \(what), not a real numeric array")
        }
        guard let array = arrays[name] else { return nil }
        guard array.shape.filter({ $0 > 1 }).count <= 1 else {
            throw SSLMemError(
                file: path, dataset: name,
                "is a \(array.shape.map(String.init).joined(separator: "×")) "
                    + "array; a per-point score is a vector")
        }
        return array.values
    }

    /// (type, byte count, start of data, start of the next element).
    private static func tag(_ b: [UInt8], at offset: Int, path: String) throws -> (Int, Int, Int, Int) {
        guard offset + 8 <= b.count else { throw SSLMemError(file: path, "element at byte \(offset) is truncated") }
        let first =
            UInt32(b[offset]) | UInt32(b[offset + 1]) << 8 | UInt32(b[offset + 2]) << 16 | UInt32(b[offset + 3]) << 24
        if first >> 16 != 0 {  // small data element: type and size in 4 bytes, data in the next 4
            return (Int(first & 0xFFFF), Int(first >> 16), offset + 4, offset + 8)
        }
        let count = Int(
            UInt32(b[offset + 4]) | UInt32(b[offset + 5]) << 8 | UInt32(b[offset + 6]) << 16
                | UInt32(b[offset + 7]) << 24)
        return (Int(first), count, offset + 8, offset + 8 + (count + 7) / 8 * 8)
    }

    private static func inflate(_ stream: [UInt8], path: String, at offset: Int) throws -> [UInt8] {
        let decompressor = libdeflate_alloc_decompressor()
        defer { libdeflate_free_decompressor(decompressor) }
        var capacity = max(1 << 16, stream.count * 4)
        while capacity <= 1 << 34 {
            var output = [UInt8](repeating: 0, count: capacity)
            var length = 0
            let status = output.withUnsafeMutableBytes { out in
                stream.withUnsafeBytes {
                    libdeflate_zlib_decompress(
                        decompressor, $0.baseAddress, $0.count, out.baseAddress, capacity, &length)
                }
            }
            if status == LIBDEFLATE_SUCCESS { return Array(output.prefix(length)) }
            guard status == LIBDEFLATE_INSUFFICIENT_SPACE else { break }
            capacity *= 4
        }
        throw SSLMemError(file: path, "compressed element at byte \(offset) is not valid zlib data")
    }

    /// Reads the miMATRIX element at `offset` of `b` into `arrays` (or `skipped`).
    private mutating func readMatrix(_ b: [UInt8], at offset: Int) throws {
        let (type, count, start, _) = try Self.tag(b, at: offset, path: path)
        guard type == 14 else { return }
        let end = start + count
        guard end <= b.count else { throw SSLMemError(file: path, "variable at byte \(offset) is truncated") }
        var parts: [(type: Int, data: ArraySlice<UInt8>)] = []
        var cursor = start
        while cursor + 8 <= end, parts.count < 5 {
            let (t, n, s, next) = try Self.tag(b, at: cursor, path: path)
            guard s + n <= end else { throw SSLMemError(file: path, "variable at byte \(offset) is truncated") }
            parts.append((t, b[s..<(s + n)]))
            cursor = next
        }
        guard parts.count >= 3 else { throw SSLMemError(file: path, "variable at byte \(offset) is incomplete") }
        let flags = parts[0].data.first.map(Int.init) ?? 0
        let complex = parts[0].data.count > 1 && parts[0].data[parts[0].data.startIndex + 1] & 0x08 != 0
        let shape = Self.numbers(parts[1].type, parts[1].data).map { Int($0) }
        let name = String(decoding: parts[2].data, as: UTF8.self)
        let classes = [1: "a cell array", 2: "a struct", 3: "an object", 4: "a character array", 5: "a sparse array"]
        if let what = classes[flags] {
            skipped[name] = what
            return
        }
        guard (6...15).contains(flags), parts.count >= 4 else {
            skipped[name] = "of MATLAB class \(flags)"
            return
        }
        if complex {
            skipped[name] = "complex"
            return
        }
        let values = Self.numbers(parts[3].type, parts[3].data)
        guard values.count == shape.reduce(1, *) else {
            throw SSLMemError(
                file: path, dataset: name,
                "holds \(values.count) values for dimensions "
                    + shape.map(String.init).joined(separator: "×"))
        }
        arrays[name] = (shape, values)
    }

    /// Little-endian numbers of MAT data type `type` as Double.
    private static func numbers(_ type: Int, _ data: ArraySlice<UInt8>) -> [Double] {
        let raw = Array(data)
        func read<T>(_: T.Type, _ convert: (T) -> Double) -> [Double] {
            raw.withUnsafeBytes { buffer in
                (0..<(raw.count / MemoryLayout<T>.size)).map {
                    convert(buffer.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
                }
            }
        }
        switch type {
        case 1: return read(Int8.self) { Double($0) }
        case 2: return read(UInt8.self) { Double($0) }
        case 3: return read(Int16.self) { Double($0) }
        case 4: return read(UInt16.self) { Double($0) }
        case 5: return read(Int32.self) { Double($0) }
        case 6: return read(UInt32.self) { Double($0) }
        case 7: return read(Float.self) { Double($0) }
        case 9: return read(Double.self) { $0 }
        case 12: return read(Int64.self) { Double($0) }
        case 13: return read(UInt64.self) { Double($0) }
        default: return []
        }
    }
}

extension ScoresTable {
    /// A per-point score from a MATLAB file: the vector variable `column`
    /// ("score" when nil); `index` (whole numbers) when present, else each
    /// value's position 0, 1, … as its dataset index — how a score of every
    /// training point is saved in dataset order; `subset` (codes 0–3) and
    /// `label` when present. Values must be finite.
    public init(matFile path: String, column: String? = nil) throws {
        let mat = try MATFile(path: path)
        let name = column ?? "score"
        guard let score = try mat.vector(name) else {
            throw SSLMemError(
                file: path,
                "has no variable \(name)"
                    + (mat.names.isEmpty
                        ? ""
                        : " (its numeric variables: \(mat.names.joined(separator: ", ")))")
                    + "; give the name of the score's variable as the column")
        }
        func integers(_ variable: String) throws -> [Int64]? {
            guard let values = try mat.vector(variable) else { return nil }
            guard values.count == score.count else {
                throw SSLMemError(
                    file: path, dataset: variable, "has \(values.count) values, \(name) has \(score.count)")
            }
            return try values.map { x in
                guard x == x.rounded(), abs(x) < 0x1p62 else {
                    throw SSLMemError(file: path, dataset: variable, "\(x) is not a whole number")
                }
                return Int64(x)
            }
        }
        let subset = try integers("subset").map { codes in
            try codes.map { code in
                guard let s = UInt8(exactly: code).flatMap(Subset.init(rawValue:)) else {
                    throw SSLMemError(file: path, dataset: "subset", "subset code \(code) is not 0–3")
                }
                return s
            }
        }
        self.init(
            index: try integers("index") ?? score.indices.map(Int64.init), score: score, subset: subset,
            label: try integers("label"))
        try checkFinite(source: path) { $0 == "score" ? name : $0 }
        sortByIndex()
    }
}
