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
        let reader = try RowBlockReader(layer.representations)
        let shape = layer.viewShape
        let axis = layer.unitsAxis
        let outer = shape[..<axis].reduce(1, *)
        let units = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        let k = layer.viewCount
        let d = layer.viewLength
        let count = Double(k * outer * inner)
        let path = layer.file
        let dataset = layer.representations.path
        var result = [Double](repeating: .nan, count: keys.count * units)
        try result.withUnsafeMutableBufferPointer { buffer in
            let output = ParallelBuffer(buffer)  // each block writes its own rows
            try ParallelBlocks.run(reader.blockCount, workers: workers, state: { RowBlockScratch() }) {
                block, scratch in
                try HDF5Library.serialized { try reader.locate(block: block, into: scratch) }
                // Unfiltered blocks in cache-sized slices, as `FileAlignment` reads them.
                try reader.decode(scratch, slicesOf: FileAlignment.sliceBytes) { rows, decoded in
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
                                    p + (r * k + view) * d, outer: outer, units: units,
                                    inner: inner, into: target)
                            }
                            guard sumsFinite else {
                                throw SSLMemError(
                                    file: path, dataset: dataset, point: keys[row],
                                    "view \(view) holds NaN or Inf; UnitMem needs finite activations")
                            }
                        }
                        for u in 0..<units { target[u] /= count }
                    }
                }
            }
        }
        return result
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
