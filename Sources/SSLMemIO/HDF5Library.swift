import CHDF5
import Synchronization

/// Process-wide state of libhdf5: it is built without thread safety, so every
/// call into it from a concurrent context happens while holding `lock`.
public enum HDF5Library {
    /// Serializes calls into libhdf5 from worker threads.
    public static let lock = Mutex<Void>(())

    private static let silenced: Bool = {
        sslmem_H5_silence()
        return true
    }()

    /// Turns off HDF5's automatic error-stack printing (once per process).
    static func prepare() { _ = silenced }

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
            throw SSLMemError(detail.isEmpty ? what() : "\(what()) (\(detail))")
        }
        return status
    }
}

extension String {
    /// The text of a C character buffer up to its first NUL.
    init(nullTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
