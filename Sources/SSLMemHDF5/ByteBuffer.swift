/// A growable, 64-byte-aligned raw buffer owned by one worker. Streaming reuses
/// it from block to block, so memory stays at a few blocks whatever the file size.
final class ByteBuffer {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int

    init() {
        capacity = 64
        pointer = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `bytes` bytes; the contents are not preserved.
    func reserve(_ bytes: Int) {
        guard bytes > capacity else { return }
        pointer.deallocate()
        capacity = bytes
        pointer = .allocate(byteCount: bytes, alignment: 64)
    }
}
