import CHDF5
import Foundation
import SSLMemModel
import SSLMemSupport

/// An open HDF5 file. Sendable: its state is immutable and every libhdf5 call
/// it makes holds `HDF5Library`'s lock.
public final class HDF5File: Sendable {
    /// The path the file was opened or created at.
    public let path: String
    let id: hid_t

    /// Opens `path` read-only, with an error that says why when it cannot.
    public init(reading path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SSLMemError(file: path, "no such file")
        }
        id = try HDF5Library.serialized { try Self.open(path) }
    }

    private static func open(_ path: String) throws -> hid_t {
        guard H5Fis_hdf5(path) > 0 else {
            HDF5Library.errorDetail()
            throw SSLMemError(file: path, "not an HDF5 file (or truncated before its superblock)")
        }
        let id = H5Fopen(path, sslmem_H5F_ACC_RDONLY(), sslmem_H5P_DEFAULT())
        if id < 0 {
            let detail = HDF5Library.errorDetail()
            var message = "cannot open HDF5 file (\(detail))"
            if detail.contains("superblock version") || detail.contains("version") {
                message +=
                    "; it was probably written with h5py libver=\"latest\", which HDF5 1.10 cannot read: "
                    + "rewrite it with the default libver (h5repack -f NONE in.h5 out.h5 with a newer HDF5)"
            }
            throw SSLMemError(file: path, message)
        }
        return id
    }

    /// Creates (truncates) `path` for writing.
    public init(creating path: String) throws {
        self.path = path
        id = try HDF5Library.serialized {
            let id = H5Fcreate(path, sslmem_H5F_ACC_TRUNC(), sslmem_H5P_DEFAULT(), sslmem_H5P_DEFAULT())
            if id < 0 {
                throw SSLMemError(file: path, "cannot create HDF5 file (\(HDF5Library.errorDetail()))")
            }
            return id
        }
    }

    deinit { HDF5Library.serialized { _ = H5Fclose(id) } }

    /// HDF5 addresses count from the end of the user block; this is its size.
    var baseAddress: UInt64 {
        HDF5Library.serialized {
            let plist = H5Fget_create_plist(id)
            defer { H5Pclose(plist) }
            var size: hsize_t = 0
            H5Pget_userblock(plist, &size)
            return size
        }
    }

    /// Whether the object at an absolute path like `/points/index` exists.
    public func exists(_ path: String) -> Bool {
        HDF5Library.serialized {
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += "/" + component
                guard H5Lexists(id, prefix, sslmem_H5P_DEFAULT()) > 0 else {
                    HDF5Library.errorDetail()
                    return false
                }
            }
            return H5Oexists_by_name(id, path, sslmem_H5P_DEFAULT()) > 0
        }
    }

    /// Opens the dataset at `path`; a missing one is an error naming file and dataset.
    public func dataset(_ path: String) throws -> HDF5Dataset {
        guard exists(path) else { throw SSLMemError(file: self.path, dataset: path, "missing dataset") }
        do {
            return try HDF5Library.serialized { try HDF5Dataset(file: self, path: path) }
        } catch let error as SSLMemError {
            throw error.located(file: self.path, dataset: path)
        }
    }

    /// Names of the root attributes.
    public func attributeNames() throws -> [String] { try HDF5Library.serialized { try HDF5Attributes.names(of: id) } }

    /// Root attribute `name`, nil when absent.
    public func attribute(_ name: String) throws -> HDF5AttributeValue? {
        do { return try HDF5Library.serialized { try HDF5Attributes.read(name, of: id) } } catch let error
            as SSLMemError
        {
            throw error.located(file: path)
        }
    }

    /// Writes (replacing) root attribute `name`.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        try HDF5Library.serialized { try HDF5Attributes.write(name, value, to: id) }
    }

    /// Writes a one-dimensional dataset of native values at `path`.
    @discardableResult
    public func write<T: HDF5Native>(_ path: String, _ values: [T]) throws -> HDF5Dataset {
        try values.withUnsafeBytes {
            try write(path, shape: [values.count], type: T.hdf5Type, bytes: $0.baseAddress!)
        }
    }

    /// Writes a dataset of `shape` at `path` (creating groups on the way) from
    /// `bytes`, laid out as `type` (a memory type whose bytes are stored as they
    /// are), optionally in `chunks` with shuffle and deflate at `deflateLevel`.
    @discardableResult
    package func write(
        _ path: String, shape: [Int], type: hid_t, bytes: UnsafeRawPointer,
        chunks: [Int]? = nil, shuffle: Bool = false, deflateLevel: Int? = nil
    ) throws -> HDF5Dataset {
        try HDF5Library.serialized {
            var dims = shape.map { hsize_t($0) }
            let space = H5Screate_simple(Int32(dims.count), &dims, nil)
            defer { H5Sclose(space) }
            let links = H5Pcreate(sslmem_H5P_LINK_CREATE())
            defer { H5Pclose(links) }
            H5Pset_create_intermediate_group(links, 1)
            let creation = H5Pcreate(sslmem_H5P_DATASET_CREATE())
            defer { H5Pclose(creation) }
            // No modification times in the object headers: the same content gives the same bytes.
            H5Pset_obj_track_times(creation, false)
            if var chunkDims = chunks?.map({ hsize_t($0) }) {
                H5Pset_chunk(creation, Int32(chunkDims.count), &chunkDims)
                if shuffle { H5Pset_shuffle(creation) }
                if let deflateLevel { H5Pset_deflate(creation, UInt32(deflateLevel)) }
            }
            let dataset = try HDF5Library.check(
                H5Dcreate2(id, path, type, space, links, creation, sslmem_H5P_DEFAULT()),
                "cannot create dataset \(path)")
            let status = H5Dwrite(dataset, type, sslmem_H5S_ALL(), sslmem_H5S_ALL(), sslmem_H5P_DEFAULT(), bytes)
            H5Dclose(dataset)
            try HDF5Library.check(status, "cannot write dataset \(path)")
            return try self.dataset(path.hasPrefix("/") ? path : "/" + path)
        }
    }
}

/// Element types that map to a native HDF5 memory type.
public protocol HDF5Native {
    static var hdf5Type: hid_t { get }
}

extension Int64: HDF5Native { public static var hdf5Type: hid_t { sslmem_H5T_NATIVE_INT64() } }
extension UInt8: HDF5Native { public static var hdf5Type: hid_t { sslmem_H5T_NATIVE_UINT8() } }
extension Double: HDF5Native { public static var hdf5Type: hid_t { sslmem_H5T_NATIVE_DOUBLE() } }

/// How floats are stored in a dataset written by `HDF5File.write(_:shape:values:storedAs:…)`.
public enum FloatStorage: Sendable {
    case half, single, double
}

extension HDF5File {
    /// Writes `values` (row-major, `shape`) at `path` stored as `storage`,
    /// optionally chunked, shuffled and deflated: the layouts training backends write.
    @discardableResult
    public func write(
        _ path: String, shape: [Int], values: [Double], storedAs storage: FloatStorage,
        chunks: [Int]? = nil, shuffle: Bool = false, deflateLevel: Int? = nil
    ) throws -> HDF5Dataset {
        func store<T>(_ converted: [T], _ type: hid_t) throws -> HDF5Dataset {
            try converted.withUnsafeBytes {
                try write(
                    path, shape: shape, type: type, bytes: $0.baseAddress!,
                    chunks: chunks, shuffle: shuffle, deflateLevel: deflateLevel)
            }
        }
        switch storage {
        case .half:
            let type = sslmem_H5T_IEEE_F16LE()
            defer { H5Tclose(type) }
            return try store(values.map { Float16($0).bitPattern }, type)
        case .single:
            return try store(values.map { Float($0) }, sslmem_H5T_NATIVE_FLOAT())
        case .double:
            return try store(values, sslmem_H5T_NATIVE_DOUBLE())
        }
    }
}
