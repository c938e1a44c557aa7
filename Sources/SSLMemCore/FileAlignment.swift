import CCoreKernels
import Dispatch
import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemSupport
import Synchronization

/// Streams one representations file and computes a(x) for every row, on
/// `workers` threads (default: every active core).
///
/// Each worker repeatedly takes the next block of rows, locates it under
/// libhdf5's lock, then reads, decodes and scores it outside the lock into its
/// own rows of the result; without an original view, rows stored without a
/// filter are read in slices of `sliceBytes`, each scored while it is in the
/// core's cache (5–7% less CPU time than whole 5 MB chunks on the score
/// benchmark, which is bound by the page-cache copy). Memory is a few blocks per worker whatever the file
/// size. Results do not depend on the number of workers: each point's value is
/// computed by the same code in the same order. On bad data the error of the
/// lowest failing block is thrown, so the message is deterministic too. Several
/// datasets (LayerMem's layers of all files) run as one loop over all their
/// blocks (`alignments(of:options:shard:workers:)`).
public enum FileAlignment {
    /// a(x) of every row, or with `shard` of the rows in it (NaN elsewhere).
    public static func alignments(
        of file: RepresentationsFile, options: AlignmentOptions, shard: Shard? = nil, workers: Int = defaultWorkers
    ) throws -> [Double] {
        let views = try RowBlockReader(file.representations)
        let original = try options.pairing == .original ? RowBlockReader(try file.original()) : nil
        return try alignments(
            views: views, original: original, file: file.path, keys: file.index,
            viewCount: file.viewCount, viewLength: file.viewLength, options: options, shard: shard,
            workers: workers)
    }

    /// a(x) of every row of a views dataset [N, K, D…] read by `views`, with `original` [N, D…] for
    /// pairing `original` (nil otherwise): the streaming loop behind `/views` and each `/layers/<name>`.
    /// `keys` are the rows' point indices (for `shard` and error messages); rows outside `shard` stay NaN.
    /// A zero or non-finite view stops with the file, the dataset, the point and the view.
    public static func alignments(
        views: RowBlockReader, original: RowBlockReader?, file path: String, keys: [Int64], viewCount k: Int,
        viewLength d: Int, options: AlignmentOptions, shard: Shard? = nil, workers: Int = defaultWorkers
    ) throws -> [Double] {
        let stream = Stream(
            views: views, original: original, file: path, keys: keys, viewCount: k, viewLength: d)
        return try alignments(of: [stream], options: options, shard: shard, workers: workers)[0]
    }

    /// One views dataset to stream: the arguments of `alignments(views:original:file:keys:viewCount:viewLength:…)`.
    public struct Stream: Sendable {
        public var views: RowBlockReader
        public var original: RowBlockReader?
        public var file: String
        public var keys: [Int64]
        public var viewCount: Int
        public var viewLength: Int

        public init(
            views: RowBlockReader, original: RowBlockReader?, file: String, keys: [Int64], viewCount: Int,
            viewLength: Int
        ) {
            self.views = views
            self.original = original
            self.file = file
            self.keys = keys
            self.viewCount = viewCount
            self.viewLength = viewLength
        }
    }

    /// a(x) of every row of each stream, in one loop over the blocks of all of them (stream by stream, in
    /// order): a worker done with one dataset's blocks takes the next dataset's instead of waiting at its end
    /// (LayerMem streams every layer of every file). Each value and each error are those of
    /// `alignments(views:original:…)` on the stream alone, and the error thrown is that of the first failing
    /// stream's lowest failing block, as if the streams ran one after another.
    public static func alignments(
        of streams: [Stream], options: AlignmentOptions, shard: Shard? = nil, workers: Int = defaultWorkers
    ) throws -> [[Double]] {
        for stream in streams {
            if let original = stream.original,
                (original.dataset.elementBytes == 8) != (stream.views.dataset.elementBytes == 8)
            {
                throw SSLMemError(
                    file: stream.file, dataset: original.dataset.path,
                    "stored as \(original.dataset.elementType) while the views are "
                        + "\(stream.views.dataset.elementType); store both as float64 or neither")
            }
        }
        // Stream s writes rows offset[s]..<offset[s + 1] of one flat result.
        var offset = [0]
        for stream in streams { offset.append(offset.last! + stream.keys.count) }
        let rowStarts = offset
        var result = [Double](repeating: .nan, count: offset.last!)
        try result.withUnsafeMutableBufferPointer { buffer in
            let output = ParallelBuffer(buffer)  // each block writes its own rows
            try ParallelBlocks.run(
                parts: streams.map(\.views.blockCount), workers: workers,
                state: { (RowBlockScratch(), RowBlockScratch()) }
            ) { s, block, scratch in
                try align(
                    block: block, of: streams[s], into: ParallelBuffer(output.base + rowStarts[s]),
                    options: options, shard: shard, scratch: &scratch)
            }
        }
        return streams.indices.map { Array(result[offset[$0]..<offset[$0 + 1]]) }
    }

    /// Scores one block of `stream` into its rows of `output` (the worker owns them).
    private static func align(
        block: Int, of stream: Stream, into output: ParallelBuffer<Double>, options: AlignmentOptions,
        shard: Shard?, scratch: inout (RowBlockScratch, RowBlockScratch)
    ) throws {
        let (viewScratch, originalScratch) = scratch
        let views = stream.views
        let original = stream.original
        let keys = stream.keys
        let k = stream.viewCount
        let d = stream.viewLength
        try HDF5Library.serialized {
            try views.locate(block: block, into: viewScratch)
            try original?.locate(rows: views.rows(ofBlock: block), into: originalScratch)
        }
        let decodedOriginal = try original.map { try $0.decode(originalScratch) }
        // Without an original view, unfiltered blocks are read in cache-sized slices.
        let sliceBytes = original == nil ? Self.sliceBytes : Int.max
        // All pairs of eight float16 views: the Gram kernel converts the stored halves as it reads them.
        let halves = original == nil && options.pairing == .allPairs && sslmem_gram_halves_fused(k) != 0
        let originalStart = viewScratch.rows.lowerBound
        try views.decode(viewScratch, slicesOf: sliceBytes, halves: halves) { rows, decoded in
            for row in rows where shard?.contains(keys[row]) ?? true {
                let outcome = alignment(
                    decoded, row: row - rows.lowerBound, decodedOriginal,
                    originalRow: row - originalStart, k: k, d: d, options: options)
                switch outcome {
                case .alignment(let a):
                    output[row] = a
                case .badView(let view, let norm):
                    throw SSLMemError(
                        file: stream.file, dataset: view == k ? original!.dataset.path : views.dataset.path,
                        point: keys[row],
                        (view == k ? "original view" : "view \(view)")
                            + (norm.isNaN || norm.isInfinite ? " holds NaN or Inf" : " is a zero vector")
                            + "; the alignment needs finite, non-zero views")
                }
            }
        }
    }

    /// Every active core, or `SSLMEM_THREADS` when set to a positive number.
    public static var defaultWorkers: Int {
        if let text = ProcessInfo.processInfo.environment["SSLMEM_THREADS"], let n = Int(text), n > 0 { return n }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// Bytes of stored rows read at a time from an unfiltered block: a slice stays in a core's L2 cache
    /// between the read and the kernel (`RowBlockReader.decode(_:slicesOf:_:)`).
    static let sliceBytes = 256 << 10

    @inline(__always)
    private static func alignment(
        _ views: DecodedRows, row: Int, _ original: DecodedRows?, originalRow: Int, k: Int, d: Int,
        options: AlignmentOptions
    ) -> AlignmentKernel.Outcome {
        switch views {
        case .single(let v):
            var o: UnsafePointer<Float>?
            switch original {
            case .single(let p)?: o = p + originalRow * d
            case .double?, .half?: preconditionFailure("original and views decoded to different types")
            case nil: o = nil
            }
            return AlignmentKernel.alignment(views: v + row * k * d, count: k, length: d, original: o, options: options)
        case .double(let v):
            var o: UnsafePointer<Double>?
            switch original {
            case .double(let p)?: o = p + originalRow * d
            case .single?, .half?: preconditionFailure("original and views decoded to different types")
            case nil: o = nil
            }
            return AlignmentKernel.alignment(views: v + row * k * d, count: k, length: d, original: o, options: options)
        case .half(let v):
            precondition(original == nil && options.pairing == .allPairs, "float16 rows as stored: all pairs only")
            return AlignmentKernel.allPairsAlignment(
                halves: v + 2 * row * k * d, count: k, length: d, distance: options.distance)
        }
    }
}
