import CHDF5
import Foundation
import SSLMemSupport

/// Process-wide state of libhdf5. Builds without thread safety must never be
/// entered from two threads at once, so every libhdf5 call in this module —
/// opening and closing files and datasets included — runs inside `serialized`:
/// `HDF5File` (its groups and attributes too) and `HDF5Dataset` take the lock in
/// each of their entry points, and `RowBlockReader.locate` expects its caller to
/// hold it. No other module calls libhdf5. Thread-safe builds (Debian's) keep error-printing settings per
/// thread, so every entry point turns the printing off for its own thread.
public enum HDF5Library {
    /// Recursive: an entry point may call another (`dataset(_:)` checks `exists` first).
    private static let lock = NSRecursiveLock()

    /// Runs `body`, which calls libhdf5, while no other thread does.
    public static func serialized<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        prepare()
        return try body()
    }

    /// The libhdf5 version linked, e.g. "1.10.8".
    public static var version: String {
        serialized {
            var major: UInt32 = 0
            var minor: UInt32 = 0
            var release: UInt32 = 0
            H5get_libversion(&major, &minor, &release)
            return "\(major).\(minor).\(release)"
        }
    }

    /// Turns off HDF5's automatic error-stack printing for the calling thread
    /// and, once, the loading of filter plugins.
    static func prepare() {
        _ = noPlugins
        sslmem_H5_silence()
    }

    /// libhdf5 is linked statically (Package.swift), and a filter plugin is a
    /// shared library built against the shared libhdf5: loading one would bring
    /// a second libhdf5 into the process, whose ids are not this one's. So no
    /// plugin is loaded, and a dataset compressed with a filter this libhdf5
    /// lacks gets `requireAvailableFilters`' error, which names the filter and
    /// says how to rewrite the file.
    private static let noPlugins: Void = sslmem_H5_no_plugins()

    /// The innermost message on HDF5's error stack, which is then cleared.
    @discardableResult
    static func errorDetail() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        sslmem_H5_error_detail(&buffer)
        return String(nullTerminated: buffer)
    }

    /// Converts a negative HDF5 status into an `SSLMemError` that names what failed.
    @discardableResult
    static func check<T: BinaryInteger>(_ status: T, _ what: @autoclosure () -> String) throws -> T {
        if status < 0 {
            let detail = errorDetail()
            throw SSLMemError((detail.isEmpty ? what() : "\(what()) (\(detail))") + newerFormatHint(detail))
        }
        return status
    }

    /// A name libhdf5 returns the way `H5Lget_name_by_idx` and `H5Aget_name_by_idx` do: `read(nil, 0)` gives its
    /// length, `read(buffer, size)` fills `buffer`; `what` says whose name, for the error.
    static func name(_ what: @autoclosure () -> String, _ read: (UnsafeMutablePointer<CChar>?, Int) -> Int) throws
        -> String
    {
        let length = try check(read(nil, 0), "cannot read \(what())")
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = buffer.withUnsafeMutableBufferPointer { read($0.baseAddress, $0.count) }
        return String(nullTerminated: buffer)
    }
}

/// What to do about a file written in a format newer than this libhdf5 reads:
/// h5py with `libver="latest"` on HDF5 ≥ 1.12 writes layout and datatype
/// messages that HDF5 1.10 (Debian 12) reports as "bad version number".
func newerFormatHint(_ detail: String) -> String {
    guard detail.contains("bad version number") || detail.contains("unknown message") else { return "" }
    return "; the file uses a newer HDF5 format than libhdf5 \(HDF5Library.version) reads (h5py libver=\"latest\"): "
        + "rewrite it with h5py.File(path, \"w\", libver=(\"earliest\", \"v110\")), or with a newer h5repack"
}

extension String {
    /// The text of a C character buffer up to its first NUL.
    init(nullTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
