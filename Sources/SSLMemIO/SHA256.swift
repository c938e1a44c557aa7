import CIOKernels
import Foundation
import SSLMemSupport

/// SHA-256 (FIPS 180-4) of files, for the provenance section of reports:
/// streamed in 1 MiB reads, so any file size works.
public enum SHA256 {
    /// Hex digest of the bytes of `path`.
    public static func hex(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SSLMemError(file: path, "cannot read the file to hash it")
        }
        defer { try? handle.close() }
        var state = State()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { state.update(chunk) }
        return state.finish()
    }

    /// Hex digest of `data`.
    public static func hex(of data: Data) -> String {
        var state = State()
        state.update(data)
        return state.finish()
    }

    /// The running hash: eight state words, the bytes of an unfinished block, and the length so far.
    /// Whole blocks go to the C compression function (CIOKernels/sha256.c), which uses the CPU's SHA
    /// instructions when it has them.
    struct State {
        var h: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        ]
        var pending: [UInt8] = []
        var length: UInt64 = 0

        mutating func update(_ data: Data) {
            length += UInt64(data.count)
            data.withUnsafeBytes { raw in
                var bytes = raw.bindMemory(to: UInt8.self)[...]
                if !pending.isEmpty {
                    let fill = min(64 - pending.count, bytes.count)
                    pending.append(contentsOf: bytes.prefix(fill))
                    bytes = bytes.dropFirst(fill)
                    guard pending.count == 64 else { return }
                    compress(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                let whole = bytes.count / 64 * 64
                compress(UnsafeBufferPointer(rebasing: bytes.prefix(whole)))
                pending.append(contentsOf: bytes.dropFirst(whole))
            }
        }

        mutating func finish() -> String {
            var tail = pending + [0x80]
            while tail.count % 64 != 56 { tail.append(0) }
            for shift in stride(from: 56, through: 0, by: -8) {
                tail.append(UInt8(truncatingIfNeeded: (length * 8) >> UInt64(shift)))
            }
            compress(tail)
            return h.map { String(format: "%08x", $0) }.joined()
        }

        /// Compresses whole 64-byte blocks.
        private mutating func compress(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count >= 64, let base = bytes.baseAddress else { return }
            h.withUnsafeMutableBufferPointer { sslmem_sha256_blocks($0.baseAddress!, base, bytes.count / 64) }
        }

        private mutating func compress(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { compress($0) }
        }
    }
}
