import CDeflate
import CLZF
import Foundation
import SSLMemSupport

/// Rows of a float dataset decoded for computation, row-major [rows, rowLength]:
/// float16 and float32 as Float, float64 as Double, or float16 as stored for a
/// caller that asks for them (`RowBlockReader.decode(_:slicesOf:halves:_:)`).
/// Points into a worker's `RowBlockScratch` or the reader's file mapping; valid
/// until that scratch is used again, while the reader lives.
public enum DecodedRows {
    case single(UnsafePointer<Float>)
    case double(UnsafePointer<Double>)
    /// IEEE binary16 values, little-endian, 2 bytes each, at any alignment: unfiltered float16 rows where the
    /// file mapping holds them, for kernels that convert as they read (no Float copy written and read back).
    case half(UnsafeRawPointer)
}

/// The buffers one worker reuses from block to block.
public final class RowBlockScratch {
    let stored = ByteBuffer()
    let work = ByteBuffer()
    let values = ByteBuffer()
    var offset: UInt64 = 0
    /// The bytes of a file mapping that this scratch's last block was read from, released (`FileMapping.release`)
    /// when the scratch decodes its next block, so that a file's pages do not stay in the process's resident set.
    var mapped: (mapping: FileMapping, bytes: Range<Int>)?
    var storedCount = 0
    var filterMask: UInt32 = 0
    var direct = false
    /// The rows the scratch holds, set by `RowBlockReader.locate`.
    public internal(set) var rows: Range<Int> = 0..<0
    /// libdeflate's decompressor state; one per worker, as it is not thread-safe.
    let decompressor = libdeflate_alloc_decompressor()

    /// Empty buffers, grown on first use; one per worker thread.
    public init() {}

    deinit { libdeflate_free_decompressor(decompressor) }
}

/// Streams the rows of an [N, …] float dataset block by block, on several threads.
///
/// libhdf5 is not thread-safe, so `locate` — the only step that calls it — runs
/// inside `HDF5Library.serialized`, and `decode` does the bulk work outside it.
/// Direct path (little-endian data, contiguous or in chunks that hold whole
/// rows, filtered by nothing but shuffle, deflate and h5py's LZF): `locate` asks libhdf5
/// where the block's bytes are; `decode` takes them from the file's memory mapping
/// (`FileMapping`; `pread` where the system gives none), inflates, unshuffles and
/// converts, so both cores read and decompress at once, and unfiltered float32 rows
/// are scored where the page cache holds them, never copied. Any other
/// layout or filter is read by libhdf5 itself in `locate` (hyperslabs aligned to
/// chunk rows, no type conversion) and only converted in `decode`.
public final class RowBlockReader: Sendable {
    /// The dataset read.
    public let dataset: HDF5Dataset
    /// Rows of the dataset (its first dimension).
    public let rowCount: Int
    /// Elements per row.
    public let rowLength: Int
    /// Rows per block: a chunk's rows on the direct path, else about 4 MiB of rows (whole chunks when chunked).
    public let blockRows: Int
    private let elementBytes: Int
    private let chunked: Bool
    private let direct: Bool
    private let descriptor: Int32
    private let mapping: FileMapping?

    /// Largest chunk the direct path takes; larger ones are read by libhdf5.
    package static let maximumChunkBytes = 32 << 20
    /// Size of a block when the reader chooses it.
    static let preferredBlockBytes = 4 << 20

    /// A reader of the float16, float32 or float64 dataset `dataset`; refuses other element types.
    public convenience init(_ dataset: HDF5Dataset) throws { try self.init(dataset, mapsFile: true) }

    /// With `mapsFile` false the direct path reads with `pread` only, as where the system refuses a mapping
    /// (for tests of that path).
    package init(_ dataset: HDF5Dataset, mapsFile: Bool) throws {
        self.dataset = dataset
        rowCount = dataset.shape.first ?? 0
        rowLength = dataset.rowLength
        elementBytes = dataset.elementBytes
        guard case .float(let bytes, _) = dataset.elementType, [2, 4, 8].contains(bytes) else {
            throw SSLMemError(
                file: dataset.file.path, dataset: dataset.path,
                "expected float16, float32 or float64 values, found \(dataset.elementType)")
        }
        let rowBytes = max(1, rowLength * elementBytes)
        let littleEndian = dataset.elementType == .float(bytes: elementBytes, littleEndian: true)
        let preferredRows = max(1, Self.preferredBlockBytes / rowBytes)
        switch dataset.layout {
        case .chunked(let chunk):
            let wholeRows = Array(chunk.dropFirst()) == Array(dataset.shape.dropFirst())
            let knownFilters = dataset.filters.allSatisfy {
                [HDF5Filter.deflateID, HDF5Filter.shuffleID, HDF5Filter.lzfID].contains($0.id)
            }
            chunked = true
            direct = wholeRows && knownFilters && littleEndian && chunk[0] * rowBytes <= Self.maximumChunkBytes
            blockRows = direct ? chunk[0] : max(chunk[0], preferredRows / chunk[0] * chunk[0])
        case .contiguous:
            chunked = false
            direct = littleEndian && dataset.contiguousOffset != nil
            blockRows = preferredRows
        default:
            chunked = false
            direct = false
            blockRows = preferredRows
        }
        descriptor = direct ? open(dataset.file.path, O_RDONLY) : -1
        if direct && descriptor < 0 {
            throw SSLMemError(file: dataset.file.path, "cannot open for reading (\(String(cString: strerror(errno))))")
        }
        // fstat, not FileManager's attributes (which look up the owner's user and group names).
        var status = stat()
        let fileSize = descriptor >= 0 && fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        mapping = descriptor >= 0 && mapsFile ? FileMapping(descriptor: descriptor, count: fileSize) : nil
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Whether blocks are read with `pread` and decoded here (false: libhdf5 reads them); for tests.
    package var takesDirectPath: Bool { direct }

    /// How many blocks cover the rows.
    public var blockCount: Int { (rowCount + blockRows - 1) / blockRows }

    /// The rows block `block` holds (the last may be shorter).
    public func rows(ofBlock block: Int) -> Range<Int> {
        (block * blockRows)..<min(rowCount, (block + 1) * blockRows)
    }

    /// First step for `block`: where its bytes are, or (off the direct path) the
    /// bytes themselves. Calls libhdf5: run it inside `HDF5Library.serialized`.
    public func locate(block: Int, into scratch: RowBlockScratch) throws {
        try locate(rows: rows(ofBlock: block), into: scratch)
    }

    /// As `locate(block:into:)` for any range of rows; only whole blocks take
    /// the direct path of a chunked dataset.
    public func locate(rows: Range<Int>, into scratch: RowBlockScratch) throws {
        scratch.rows = rows
        let wholeChunk = rows.lowerBound % blockRows == 0 && rows.count == min(blockRows, rowCount - rows.lowerBound)
        scratch.direct = direct && (!chunked || wholeChunk)
        if !scratch.direct {
            scratch.work.reserve(rows.count * rowLength * elementBytes)
            try dataset.readRawRows(rows, into: scratch.work.pointer)
        } else if chunked {
            (scratch.offset, scratch.storedCount, scratch.filterMask) = try dataset.chunkLocation(
                atRow: rows.lowerBound)
        } else {
            scratch.offset = dataset.contiguousOffset! + UInt64(rows.lowerBound * rowLength * elementBytes)
            scratch.storedCount = rows.count * rowLength * elementBytes
            scratch.filterMask = 0
        }
    }

    /// Second step: reads, unfilters and converts the located bytes. Needs no lock.
    public func decode(_ scratch: RowBlockScratch) throws -> DecodedRows {
        releaseMapped(scratch)
        let count = scratch.rows.count * rowLength
        guard scratch.direct else { return convert(scratch.work.pointer, count: count, scratch) }
        let blockElements = (chunked ? blockRows : scratch.rows.count) * rowLength
        let blockBytes = blockElements * elementBytes
        guard scratch.storedCount > 0 else {
            // A chunk never written holds HDF5's default fill value, zeros.
            scratch.work.reserve(blockBytes)
            scratch.work.pointer.initializeMemory(as: UInt8.self, repeating: 0, count: blockBytes)
            return convert(scratch.work.pointer, count: count, scratch)
        }
        try checkExtent(scratch)
        noteMapped(scratch)
        // Undo the writer's filters last to first, skipping those masked for this chunk.
        var data = try bytes(scratch.storedCount, at: scratch.offset, into: scratch.stored, rows: scratch.rows)
        var dataBytes = scratch.storedCount
        var planes = false  // float16 still byte-shuffled: unshuffled while converting
        for (position, filter) in dataset.filters.enumerated().reversed()
        where scratch.filterMask & (1 << UInt32(position)) == 0 {
            let target = data == UnsafeRawPointer(scratch.work.pointer) ? scratch.stored : scratch.work
            if filter.id == HDF5Filter.deflateID {
                target.reserve(blockBytes)
                try inflate(
                    data, count: dataBytes, into: target.pointer, expected: blockBytes, rows: scratch.rows,
                    with: scratch.decompressor)
            } else if filter.id == HDF5Filter.lzfID {
                target.reserve(blockBytes)
                // h5py stores a chunk that LZF cannot shrink unfiltered, with its mask bit set.
                let length = lzf_decompress(data, UInt32(dataBytes), target.pointer, UInt32(blockBytes))
                guard length == blockBytes else {
                    throw corrupt(
                        scratch.rows,
                        "corrupt chunk: cannot decompress it with LZF "
                            + "(\(length) bytes instead of \(blockBytes))")
                }
            } else if elementBytes == 2 && position == 0 {
                planes = true
                continue
            } else {
                target.reserve(blockBytes)
                unshuffle(data, into: target.pointer, elements: blockElements)
            }
            data = UnsafeRawPointer(target.pointer)
            dataBytes = blockBytes
        }
        guard dataBytes == blockBytes else {
            throw corrupt(scratch.rows, "holds \(dataBytes) bytes, expected \(blockBytes)")
        }
        if planes {
            scratch.values.reserve(count * MemoryLayout<Float>.stride)
            let out = scratch.values.pointer.assumingMemoryBound(to: Float.self)
            HalfPrecision.convertShuffled(data, planeLength: blockElements, count: count, into: out)
            return .single(out)
        }
        return convert(data, count: count, scratch)
    }

    /// Second step in slices of at most about `sliceBytes` of stored rows: calls
    /// `body` with consecutive ranges of the located rows, in order, and their
    /// decoded values (valid until `body` returns). Rows stored without a filter
    /// (the direct path, no filter or all masked for this chunk) are read slice by
    /// slice, so each slice is still in the core's cache when `body` reads it;
    /// anything else is decoded whole (`decode`) and handed over in one call.
    /// The same values as `decode`, and the same read errors, except that a
    /// read error in a later slice comes after `body` has seen the earlier ones.
    /// With `halves`, the slices of float16 rows stored without a filter come as
    /// stored (`DecodedRows.half`), not converted; everything else as without it.
    public func decode(
        _ scratch: RowBlockScratch, slicesOf sliceBytes: Int, halves: Bool = false,
        _ body: (Range<Int>, DecodedRows) throws -> Void
    ) throws {
        releaseMapped(scratch)
        let rows = scratch.rows
        let rowBytes = rowLength * elementBytes
        let sliceRows = max(1, sliceBytes / max(1, rowBytes))
        let unfiltered = dataset.filters.indices.allSatisfy { scratch.filterMask & (1 << UInt32($0)) != 0 }
        // A chunk's stored size is its whole (chunk rows × row bytes), also for the last, partial one.
        let wholeBytes = (chunked ? blockRows : rows.count) * rowBytes
        guard scratch.direct, unfiltered, scratch.storedCount == wholeBytes else {
            return try body(rows, try decode(scratch))
        }
        try checkExtent(scratch)
        noteMapped(scratch)
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: sliceRows) {
            let slice = start..<min(rows.upperBound, start + sliceRows)
            let stored = try bytes(
                slice.count * rowBytes, at: scratch.offset + UInt64((start - rows.lowerBound) * rowBytes),
                into: scratch.stored, rows: rows)
            try body(
                slice,
                halves && elementBytes == 2 ? .half(stored) : convert(stored, count: slice.count * rowLength, scratch))
        }
    }

    /// Whether the file still holds the located bytes, asked of the file now (`fstat`), not when the reader
    /// opened it: a mapped page past the end of a file cut short since would raise SIGBUS (`FileMapping`).
    private func checkExtent(_ scratch: RowBlockScratch) throws {
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? UInt64(status.st_size) : 0
        guard scratch.offset + UInt64(scratch.storedCount) <= size else {
            throw corrupt(scratch.rows, "stored past the end of the file (\(size) bytes): the file is truncated")
        }
    }

    /// Releases the mapped bytes of the scratch's last block (which may be another reader's).
    private func releaseMapped(_ scratch: RowBlockScratch) {
        if let (mapping, bytes) = scratch.mapped { mapping.release(bytes) }
        scratch.mapped = nil
    }

    /// Records that the located block is read from the mapping (`bytes`), to release it with the next block.
    private func noteMapped(_ scratch: RowBlockScratch) {
        let start = Int(scratch.offset)
        if let mapping, start + scratch.storedCount <= mapping.count {
            scratch.mapped = (mapping, start..<(start + scratch.storedCount))
        }
    }

    /// `count` stored bytes at file offset `offset` (within the file: `checkExtent`): in the mapping where it
    /// holds them, else read into `buffer` with `pread`.
    private func bytes(_ count: Int, at offset: UInt64, into buffer: ByteBuffer, rows: Range<Int>) throws
        -> UnsafeRawPointer
    {
        if let mapping, offset + UInt64(count) <= UInt64(mapping.count) { return mapping.base + Int(offset) }
        buffer.reserve(count)
        try read(into: buffer.pointer, count: count, at: offset, rows: rows)
        return UnsafeRawPointer(buffer.pointer)
    }

    /// `count` bytes at file offset `offset`, with `pread` (errors name `rows`).
    private func read(into target: UnsafeMutableRawPointer, count: Int, at offset: UInt64, rows: Range<Int>) throws {
        var done = 0
        while done < count {
            let n = pread(descriptor, target + done, count - done, off_t(offset) + off_t(done))
            if n <= 0 {
                throw corrupt(rows, n == 0 ? "unexpected end of file" : String(cString: strerror(errno)))
            }
            done += n
        }
    }

    private func corrupt(_ rows: Range<Int>, _ why: String) -> SSLMemError {
        SSLMemError(
            file: dataset.file.path, dataset: dataset.path,
            "rows \(rows.lowerBound)..<\(rows.upperBound): \(why)")
    }

    private func inflate(
        _ source: UnsafeRawPointer, count: Int, into target: UnsafeMutableRawPointer, expected: Int, rows: Range<Int>,
        with decompressor: OpaquePointer?
    ) throws {
        var length = 0
        let status = libdeflate_zlib_decompress(decompressor, source, count, target, expected, &length)
        guard status == LIBDEFLATE_SUCCESS, length == expected else {
            let reason =
                status == LIBDEFLATE_SUCCESS
                ? "\(length) bytes instead of \(expected)"
                : status == LIBDEFLATE_INSUFFICIENT_SPACE
                    ? "it holds more than the \(expected) bytes of a chunk"
                    : "not valid zlib data (libdeflate status \(status.rawValue))"
            throw corrupt(rows, "corrupt chunk: cannot inflate it (\(reason))")
        }
    }

    /// HDF5's shuffle stores byte b of element i at b·n + i; this puts it back at i·size + b.
    private func unshuffle(_ source: UnsafeRawPointer, into target: UnsafeMutableRawPointer, elements: Int) {
        let input = source.assumingMemoryBound(to: UInt8.self)
        let output = target.assumingMemoryBound(to: UInt8.self)
        for byte in 0..<elementBytes {
            let plane = input + byte * elements
            for i in 0..<elements { output[i * elementBytes + byte] = plane[i] }
        }
    }

    private func convert(_ source: UnsafeRawPointer, count: Int, _ scratch: RowBlockScratch) -> DecodedRows {
        switch elementBytes {
        case 2:
            scratch.values.reserve(count * MemoryLayout<Float>.stride)
            let out = scratch.values.pointer.assumingMemoryBound(to: Float.self)
            HalfPrecision.convert(source, count: count, into: out)
            return .single(out)
        case 4:
            return .single(source.assumingMemoryBound(to: Float.self))
        default:
            return .double(source.assumingMemoryBound(to: Double.self))
        }
    }
}
