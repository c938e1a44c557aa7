import SSLMemHDF5
import SSLMemIO
import SSLMemSupport

/// a(x) of every row of one layer of one file: the alignment loss of `FileAlignment`
/// (`AlignmentKernel`, Float64 accumulation) on the layer's flattened views,
/// u(v) = v/‖v‖₂; pairing `original` compares each view with
/// `/layers/<name>/original`, `all-pairs` every pair i < j (SSLMem's Eq. 1).
///
/// Streams the layer block by block on `workers` threads with the same loop
/// as `sslmem score` (`FileAlignment.alignments(views:original:…)`): memory is a few
/// blocks per worker whatever the layer's size; results do not depend on the
/// number of workers; on bad data the lowest failing block's error is thrown.
public enum LayerAlignment {
    /// a(x) per row of `layer` (rows in file order).
    public static func alignments(
        of layer: Layer, keys: [Int64], options: AlignmentOptions, workers: Int = FileAlignment.defaultWorkers
    ) throws -> [Double] {
        try FileAlignment.alignments(
            of: [stream(of: layer, keys: keys, options: options)], options: options, workers: workers)[0]
    }

    /// The layer's views (and, for pairing `original`, its original) as one stream of
    /// `FileAlignment.alignments(of:options:shard:workers:)`, which runs the blocks of many layers in one loop.
    public static func stream(of layer: Layer, keys: [Int64], options: AlignmentOptions) throws
        -> FileAlignment.Stream
    {
        let views = try RowBlockReader(layer.representations)
        var original: RowBlockReader?
        if options.pairing == .original {
            guard let o = layer.original else {
                throw SSLMemError(
                    file: layer.file, dataset: layer.path + "/original",
                    "missing dataset; pairing 'original' needs the layer's output for the un-augmented "
                        + "point (or use pairing all-pairs)")
            }
            original = try RowBlockReader(o)
        }
        return FileAlignment.Stream(
            views: views, original: original, file: layer.file, keys: keys, viewCount: layer.viewCount,
            viewLength: layer.viewLength)
    }
}
