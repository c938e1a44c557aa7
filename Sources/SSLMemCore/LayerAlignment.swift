import SSLMemIO

/// a(x) of every row of one layer of one file: the alignment loss of `FileAlignment`
/// (`AlignmentKernel`, Float64 accumulation) on the layer's flattened views,
/// u(v) = v/‖v‖₂; pairing `original` compares each view with
/// `/layers/<name>/original`, `all-pairs` every pair i < j (SSLMem's Eq. 1).
///
/// Streams the layer block by block on `workers` threads with the same reader
/// as `sslmem score` (`RowBlockReader`, `ParallelBlocks`): memory is a few
/// blocks per worker whatever the layer's size; results do not depend on the
/// number of workers; on bad data the lowest failing block's error is thrown.
public enum LayerAlignment {
    /// a(x) per row of `layer` (rows in file order).
    public static func alignments(
        of layer: Layer, keys: [Int64], options: AlignmentOptions, workers: Int = FileAlignment.defaultWorkers
    ) throws -> [Double] {
        let views = try RowBlockReader(layer.representations)
        var original: RowBlockReader?
        if options.pairing == .original {
            guard let o = layer.original else {
                throw SSLMemError(file: layer.file, dataset: layer.path + "/original",
                                  "missing dataset; pairing 'original' needs the layer's output for the un-augmented "
                                  + "point (use --pairing all-pairs)")
            }
            guard (o.elementBytes == 8) == (layer.representations.elementBytes == 8) else {
                throw SSLMemError(file: layer.file, dataset: o.path,
                                  "stored as \(o.elementType) while the views are \(layer.representations.elementType); "
                                  + "store both as float64 or neither")
            }
            original = try RowBlockReader(o)
        }
        let k = layer.viewCount, d = layer.viewLength, path = layer.file
        let viewsPath = layer.representations.path, originalPath = layer.path + "/original"
        var result = [Double](repeating: .nan, count: keys.count)
        try result.withUnsafeMutableBufferPointer { output in
            try ParallelBlocks.forEach(views.blockCount, workers: workers,
                                       state: { (RowBlockScratch(), RowBlockScratch()) }) { block, scratch in
                let (viewScratch, originalScratch) = scratch
                try HDF5Library.serialized {
                    try views.locate(block: block, into: viewScratch)
                    try original?.locate(rows: views.rows(ofBlock: block), into: originalScratch)
                }
                let rows = viewScratch.rows
                let decoded = try views.decode(viewScratch)
                let decodedOriginal = try original.map { try $0.decode(originalScratch) }
                for row in rows {
                    let r = row - rows.lowerBound
                    let outcome: AlignmentKernel.Outcome
                    switch (decoded, decodedOriginal) {
                    case (.single(let v), .single(let o)?):
                        outcome = AlignmentKernel.alignment(views: v + r * k * d, count: k, length: d,
                                                            original: o + r * d, options: options)
                    case (.single(let v), nil):
                        outcome = AlignmentKernel.alignment(views: v + r * k * d, count: k, length: d,
                                                            original: nil, options: options)
                    case (.double(let v), .double(let o)?):
                        outcome = AlignmentKernel.alignment(views: v + r * k * d, count: k, length: d,
                                                            original: o + r * d, options: options)
                    case (.double(let v), nil):
                        outcome = AlignmentKernel.alignment(views: v + r * k * d, count: k, length: d,
                                                            original: nil, options: options)
                    default:
                        preconditionFailure("original and views decoded to different types")
                    }
                    switch outcome {
                    case .alignment(let a):
                        output[row] = a
                    case .badView(let view, let norm):
                        throw SSLMemError(
                            file: path, dataset: view == k ? originalPath : viewsPath, point: keys[row],
                            (view == k ? "original view" : "view \(view)")
                                + (norm.isNaN || norm.isInfinite ? " holds NaN or Inf" : " is a zero vector")
                                + "; LayerMem needs finite, non-zero views")
                    }
                }
            }
        }
        return result
    }
}
