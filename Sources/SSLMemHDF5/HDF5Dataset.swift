import CHDF5
import SSLMemModel
import SSLMemSupport

/// The element type of a dataset as stored in the file.
public enum HDF5ElementType: Equatable, Sendable, CustomStringConvertible {
    /// IEEE binary16/32/64; `littleEndian` as stored.
    case float(bytes: Int, littleEndian: Bool)
    case integer(bytes: Int, signed: Bool)
    case string
    case other(String)

    public var description: String {
        switch self {
        case .float(let bytes, let le): return "float\(bytes * 8)" + (le ? "" : " (big-endian)")
        case .integer(let bytes, let signed): return (signed ? "int" : "uint") + "\(bytes * 8)"
        case .string: return "string"
        case .other(let what): return what
        }
    }
}

/// How a dataset's bytes are stored.
public enum HDF5Layout: Equatable, Sendable, CustomStringConvertible {
    case contiguous
    case compact
    case chunked([Int])
    case other

    public var description: String {
        switch self {
        case .contiguous: return "contiguous"
        case .compact: return "compact"
        case .chunked(let dims): return "chunks " + dims.map(String.init).joined(separator: "×")
        case .other: return "other"
        }
    }
}

/// One stage of a dataset's filter pipeline, in the order the writer applied them.
public struct HDF5Filter: Equatable, Sendable {
    /// The HDF5 filter id (1 deflate, 2 shuffle, 32000 LZF, …).
    public var id: Int32
    /// The name the file or libhdf5 gives the filter (may be empty).
    public var name: String
    /// The filter's client data values (deflate: the level).
    public var parameters: [UInt32]

    /// HDF5's deflate (gzip) filter.
    public static let deflateID: Int32 = 1
    /// HDF5's byte-shuffle filter.
    public static let shuffleID: Int32 = 2
    /// h5py's LZF filter, which libhdf5 itself lacks; the row reader decodes it with liblzf.
    public static let lzfID: Int32 = 32000

    /// Names of registered third-party filters (support.hdfgroup.org's list), for files
    /// whose pipeline message does not name them.
    static let knownNames: [Int32: String] = [
        307: "bzip2", 32000: "lzf", 32001: "blosc", 32004: "lz4", 32008: "bitshuffle", 32013: "zfp", 32015: "zstd",
        32017: "sz", 32026: "blosc2"
    ]

    /// "lzf (id 32000)".
    public var label: String {
        let known = name.isEmpty || name.hasPrefix("HDF5 ") ? Self.knownNames[id] ?? name : name
        return (known.isEmpty ? "filter" : known) + " (id \(id))"
    }
}

/// An open dataset. Sendable: its state is immutable and every libhdf5 call it
/// makes holds `HDF5Library`'s lock.
public final class HDF5Dataset: Sendable {
    /// The open file the dataset belongs to (kept open while the dataset is).
    public let file: HDF5File
    /// Absolute path of the dataset in the file, e.g. `/views/representations`.
    public let path: String
    let id: hid_t
    private let fileType: hid_t
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// How each element is stored.
    public let elementType: HDF5ElementType
    /// Contiguous, compact, or chunked with the chunk shape.
    public let layout: HDF5Layout
    /// The filter pipeline, in the order applied when writing.
    public let filters: [HDF5Filter]

    /// Opens the dataset; the caller holds `HDF5Library`'s lock (`HDF5File.dataset(_:)` does).
    init(file: HDF5File, path: String) throws {
        self.file = file
        self.path = path
        // A 32 MiB chunk cache holds a band of chunks that split rows across columns.
        let access = H5Pcreate(sslmem_H5P_DATASET_ACCESS())
        defer { H5Pclose(access) }
        H5Pset_chunk_cache(access, 12_421, 32 << 20, 0.75)
        id = try HDF5Library.check(H5Dopen2(file.id, path, access), "cannot open dataset")
        fileType = H5Dget_type(id)
        let space = H5Dget_space(id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: max(rank, 0))
        if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
        shape = dims.map { Int($0) }
        elementType = Self.describe(fileType)
        let plist = H5Dget_create_plist(id)
        defer { H5Pclose(plist) }
        switch H5Pget_layout(plist) {
        case H5D_CONTIGUOUS: layout = .contiguous
        case H5D_COMPACT: layout = .compact
        case H5D_CHUNKED:
            var chunk = [hsize_t](repeating: 0, count: max(rank, 1))
            H5Pget_chunk(plist, Int32(rank), &chunk)
            layout = .chunked(chunk.prefix(rank).map { Int($0) })
        default: layout = .other
        }
        var filters: [HDF5Filter] = []
        for i in 0..<max(0, H5Pget_nfilters(plist)) {
            var flags: UInt32 = 0
            var count = 8
            var values = [UInt32](repeating: 0, count: count)
            var name = [CChar](repeating: 0, count: 64)
            var config: UInt32 = 0
            let filterID = H5Pget_filter2(plist, UInt32(i), &flags, &count, &values, name.count, &name, &config)
            filters.append(
                HDF5Filter(id: filterID, name: String(nullTerminated: name), parameters: Array(values.prefix(count))))
        }
        self.filters = filters
    }

    deinit {
        HDF5Library.serialized {
            H5Tclose(fileType)
            H5Dclose(id)
        }
    }

    private static func describe(_ type: hid_t) -> HDF5ElementType {
        let size = H5Tget_size(type)
        let littleEndian = H5Tget_order(type) == H5T_ORDER_LE
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            var spos = 0
            var epos = 0
            var esize = 0
            var mpos = 0
            var msize = 0
            H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize)
            let ieee =
                (size == 2 && esize == 5 && msize == 10) || (size == 4 && esize == 8 && msize == 23)
                || (size == 8 && esize == 11 && msize == 52)
            return ieee
                ? .float(bytes: size, littleEndian: littleEndian)
                : .other("\(size * 8)-bit float with \(esize) exponent and \(msize) mantissa bits")
        case H5T_INTEGER:
            return .integer(bytes: size, signed: H5Tget_sign(type) == H5T_SGN_2)
        case H5T_STRING:
            return .string
        default:
            return .other("non-numeric type")
        }
    }

    /// Number of elements of one row (the product of all dimensions after the first).
    public var rowLength: Int { shape.dropFirst().reduce(1, *) }

    /// Bytes per stored element.
    public var elementBytes: Int { HDF5Library.serialized { H5Tget_size(fileType) } }

    /// Attribute `name` of the dataset, nil when absent.
    public func attribute(_ name: String) throws -> HDF5AttributeValue? {
        do { return try HDF5Library.serialized { try HDF5Attributes.read(name, of: id) } } catch let error
            as SSLMemError
        {
            throw error.located(file: file.path, dataset: path)
        }
    }

    /// Writes (replacing) attribute `name` of the dataset.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        try HDF5Library.serialized { try HDF5Attributes.write(name, value, to: id) }
    }

    /// The filters of this dataset that this libhdf5 cannot decode (no plugin for them).
    public var unavailableFilters: [HDF5Filter] {
        HDF5Library.serialized {
            filters.filter { filter in
                defer { HDF5Library.errorDetail() }  // a failed plugin search leaves an error on the stack
                return H5Zfilter_avail(H5Z_filter_t(filter.id)) <= 0
            }
        }
    }

    /// Throws, naming the filter, its id and how to rewrite the file, when
    /// libhdf5 would have to decode a filter it lacks.
    func requireAvailableFilters() throws {
        guard let missing = unavailableFilters.first else { return }
        throw SSLMemError(
            file: file.path, dataset: path,
            "compressed with the \(missing.label) filter, which libhdf5 \(HDF5Library.version) here cannot "
                + "decode"
                + (missing.id == HDF5Filter.lzfID
                    ? " for this layout (sslmem decodes LZF itself only in "
                        + "chunks of whole rows)" : "")
                + "; rewrite the file with gzip or no compression: h5repack -f GZIP=4 in.h5 out.h5 (where "
                + "the filter's plugin is installed), or in h5py copy each dataset with compression=\"gzip\"")
    }

    /// All elements, converted by libhdf5 to `T` (for small index, subset and label arrays).
    public func readAll<T: HDF5Native & Numeric>(as: T.Type = T.self) throws -> [T] {
        try HDF5Library.serialized {
            try requireAvailableFilters()
            let count = shape.reduce(1, *)
            var values = [T](repeating: 0, count: count)
            let status = values.withUnsafeMutableBufferPointer {
                H5Dread(id, T.hdf5Type, sslmem_H5S_ALL(), sslmem_H5S_ALL(), sslmem_H5P_DEFAULT(), $0.baseAddress)
            }
            try check(status, "cannot read")
            return values
        }
    }

    /// Reads rows `rows` into `buffer` as the stored bytes in little-endian order,
    /// without any type conversion (float16 stays 2 bytes per element).
    public func readRawRows(_ rows: Range<Int>, into buffer: UnsafeMutableRawPointer) throws {
        try HDF5Library.serialized {
            try requireAvailableFilters()
            let memoryType = H5Tcopy(fileType)
            defer { H5Tclose(memoryType) }
            H5Tset_order(memoryType, H5T_ORDER_LE)
            let space = H5Dget_space(id)
            defer { H5Sclose(space) }
            var start = [hsize_t](repeating: 0, count: shape.count)
            var count = shape.map { hsize_t($0) }
            start[0] = hsize_t(rows.lowerBound)
            count[0] = hsize_t(rows.count)
            H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nil, &count, nil)
            let memory = H5Screate_simple(Int32(shape.count), &count, nil)
            defer { H5Sclose(memory) }
            try check(
                H5Dread(id, memoryType, memory, space, sslmem_H5P_DEFAULT(), buffer),
                "cannot read rows \(rows.lowerBound)..<\(rows.upperBound)")
        }
    }

    /// Where the chunk whose first row is `row` is stored: its byte offset from
    /// the start of the file, its stored (filtered) size — 0 if the chunk was
    /// never written and holds the fill value — and the mask of filters skipped
    /// for it (bit i set: filter i was not applied).
    public func chunkLocation(atRow row: Int) throws -> (offset: UInt64, size: Int, filterMask: UInt32) {
        try HDF5Library.serialized { try locateChunk(atRow: row) }
    }

    private func locateChunk(atRow row: Int) throws -> (offset: UInt64, size: Int, filterMask: UInt32) {
        var coordinates = [hsize_t](repeating: 0, count: shape.count)
        coordinates[0] = hsize_t(row)
        var mask: UInt32 = 0
        var address: haddr_t = 0
        var size: hsize_t = 0
        try check(
            H5Dget_chunk_info_by_coord(id, &coordinates, &mask, &address, &size),
            "cannot locate the chunk at row \(row)")
        return size == 0 || address == haddr_t.max ? (0, 0, 0) : (UInt64(address) + file.baseAddress, Int(size), mask)
    }

    /// Byte offset of a contiguous dataset's data from the start of the file
    /// (nil when its storage is not allocated).
    public var contiguousOffset: UInt64? {
        HDF5Library.serialized {
            let address = H5Dget_offset(id)
            return address == haddr_t.max ? nil : UInt64(address) + file.baseAddress
        }
    }

    private func check(_ status: herr_t, _ what: String) throws {
        do { try HDF5Library.check(status, what) } catch let error as SSLMemError {
            throw error.located(file: file.path, dataset: path)
        }
    }
}
