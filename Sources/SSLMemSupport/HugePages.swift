#if canImport(Glibc)
    import Glibc
#endif

/// Transparent huge pages for large buffers that are written once and then read.
///
/// A 410 MB array backed by 4 KiB pages takes about 100,000 page faults on its first write, and scattered
/// reads of it walk page tables; with 2 MiB pages it takes about 200. Linux's default ("madvise" mode) gives
/// huge pages only to ranges that ask for them.
public enum HugePages {
    /// Asks the kernel to back the whole 2 MiB pages inside `buffer` with huge pages. Call it before the
    /// buffer is first written. A hint: ignored where unsupported, and it never changes the contents.
    public static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
            guard let base = buffer.baseAddress else { return }
            let page = 1 << 21
            let start = (Int(bitPattern: base) + page - 1) / page * page
            let end = (Int(bitPattern: base) + buffer.count) / page * page
            if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        #endif
    }
}
