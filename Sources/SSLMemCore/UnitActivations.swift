import CCoreKernels
import SSLMemHDF5
import SSLMemIO
import SSLMemSupport

/// μ(x, u) of every row and unit of one layer (UnitMem's per-point activation;
/// Wang et al., NeurIPS 2024): the activation of unit u for one view is the
/// mean of the view's values along every axis except `units_axis`, at index u
/// along it (a channel's spatial mean; a feature's mean over tokens); μ(x, u)
/// is the mean of that over the K views, i.e. the mean over all K·(D/U) values
/// of unit u, summed in Float64.
///
/// Streams the layer with `RowBlockReader` on `workers` threads, unfiltered
/// blocks in cache-sized slices like `FileAlignment` (memory: a few blocks per
/// worker plus the N×U result). Float16 and float32 values are summed by the C
/// kernel `sslmem_unit_sums` (the same order of additions, several units' sums
/// side by side), float64 values by `accumulate` here.
public enum UnitActivations {
    /// Row-major [rows, units] means, rows in file order. A NaN or infinite
    /// value is an error naming the file, layer, point and view.
    public static func means(of layer: Layer, keys: [Int64], workers: Int = FileAlignment.defaultWorkers) throws
        -> [Double]
    {
        try means(of: [layer], keys: keys, workers: workers)[0]
    }

    /// The means of each layer, in one loop over the blocks of all of them (layer by layer, in order), so that no
    /// worker waits at the end of a layer; each layer's values as `means(of:keys:workers:)` gives them alone, and
    /// on bad data the error of the first failing layer's lowest failing block.
    public static func means(of layers: [Layer], keys: [Int64], workers: Int = FileAlignment.defaultWorkers)
        throws -> [[Double]]
    {
        let readers = try layers.map { try RowBlockReader($0.representations) }
        // Layer l writes values offset[l]..<offset[l + 1] of one flat result.
        var offset = [0]
        for layer in layers { offset.append(offset.last! + keys.count * layer.unitCount) }
        let valueStarts = offset
        let shapes = layers.map(UnitShape.init)
        var result = [Double](repeating: .nan, count: offset.last!)
        try result.withUnsafeMutableBufferPointer { buffer in
            let output = ParallelBuffer(buffer)  // each block writes its own rows
            try ParallelBlocks.run(parts: readers.map(\.blockCount), workers: workers, state: { RowBlockScratch() }) {
                l, block, scratch in
                try means(
                    block: block, of: shapes[l], reader: readers[l], keys: keys,
                    into: ParallelBuffer(output.base + valueStarts[l]), scratch: scratch)
            }
        }
        return layers.indices.map { Array(result[offset[$0]..<offset[$0 + 1]]) }
    }

    /// What the loop needs of a layer: a view is [outer, units, inner], K views of D values per row.
    private struct UnitShape: Sendable {
        var outer, units, inner, k, d: Int
        var file, dataset: String

        init(_ layer: Layer) {
            let shape = layer.viewShape
            let axis = layer.unitsAxis
            outer = shape[..<axis].reduce(1, *)
            units = shape[axis]
            inner = shape[(axis + 1)...].reduce(1, *)
            k = layer.viewCount
            d = layer.viewLength
            file = layer.file
            dataset = layer.representations.path
        }
    }

    /// μ of the rows of one block of a layer into their rows of `output` (the worker owns them).
    private static func means(
        block: Int, of layer: UnitShape, reader: RowBlockReader, keys: [Int64], into output: ParallelBuffer<Double>,
        scratch: RowBlockScratch
    ) throws {
        let (outer, units, inner, k, d) = (layer.outer, layer.units, layer.inner, layer.k, layer.d)
        let count = Double(k * outer * inner)
        try HDF5Library.serialized { try reader.locate(block: block, into: scratch) }
        // Unfiltered blocks in cache-sized slices, as `FileAlignment` reads them; float16 slices as stored where
        // the kernel sums them as they lie (`sslmem_unit_sums_halves`: exact, so in any order).
        let halves = sslmem_unit_sums_halves_fused(inner) != 0
        try reader.decode(scratch, slicesOf: FileAlignment.sliceBytes, halves: halves) { rows, decoded in
            for row in rows {
                let r = row - rows.lowerBound
                let target = output.base + row * units
                for u in 0..<units { target[u] = 0 }
                for view in 0..<k {
                    let sumsFinite: Bool
                    switch decoded {
                    case .single(let p):
                        sumsFinite = sslmem_unit_sums(p + (r * k + view) * d, outer, units, inner, target) != 0
                    case .double(let p):
                        sumsFinite = accumulate(
                            p + (r * k + view) * d, outer: outer, units: units, inner: inner, into: target)
                    case .half(let p):
                        sumsFinite =
                            sslmem_unit_sums_halves(p + 2 * (r * k + view) * d, outer, units, inner, target) == 1
                    }
                    guard sumsFinite else {
                        throw SSLMemError(
                            file: layer.file, dataset: layer.dataset, point: keys[row],
                            "view \(view) holds NaN or Inf; UnitMem needs finite activations")
                    }
                }
                for u in 0..<units { target[u] /= count }
            }
        }
    }

    /// Adds the values of one view [outer, units, inner] to `sums[u]`; false
    /// when a value is not finite. `sslmem_unit_sums` is this loop for Float.
    @inline(__always)
    private static func accumulate<T: BinaryFloatingPoint>(
        _ view: UnsafePointer<T>, outer: Int, units: Int, inner: Int, into sums: UnsafeMutablePointer<Double>
    ) -> Bool {
        var finite = true
        for o in 0..<outer {
            for u in 0..<units {
                let start = view + (o * units + u) * inner
                var s = 0.0
                for i in 0..<inner { s += Double(start[i]) }
                finite = finite && s.isFinite
                sums[u] += s
            }
        }
        return finite
    }
}
