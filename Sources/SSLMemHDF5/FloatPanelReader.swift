import SSLMemSupport

/// Reads a float16 or float32 [N, D…] dataset as contiguous row-major Float
/// panels of whole rows, for code that hands rows to BLAS.
///
/// A panel is a run of `RowBlockReader` blocks; its blocks are located under
/// libhdf5's lock and decoded on `workers` threads. float16 and float32 values
/// are exact in Float; float64 is refused rather than rounded, because callers
/// rely on the panel holding the stored values exactly.
public final class FloatPanelReader: Sendable {
    /// The block reader the panels are assembled from.
    public let reader: RowBlockReader
    /// Rows per panel: a whole number of blocks, about `targetBytes` of Float.
    public let panelRows: Int
    /// Rows of the dataset (its first dimension).
    public var rowCount: Int { reader.rowCount }
    /// Elements per row (the product of the other dimensions).
    public var rowLength: Int { reader.rowLength }

    /// `targetBytes`: the panel size aimed at; a panel is at least one block.
    public init(_ dataset: HDF5Dataset, targetBytes: Int = 32 << 20) throws {
        guard case .float(let bytes, _) = dataset.elementType, bytes == 2 || bytes == 4 else {
            throw SSLMemError(
                file: dataset.file.path, dataset: dataset.path,
                "holds \(dataset.elementType), expected float16 or float32 (layout v1)")
        }
        reader = try RowBlockReader(dataset)
        let blocksPerPanel = max(1, targetBytes / max(1, reader.blockRows * reader.rowLength * 4))
        panelRows = blocksPerPanel * reader.blockRows
    }

    /// How many panels cover the rows.
    public var panelCount: Int { (rowCount + panelRows - 1) / panelRows }

    /// The rows panel `panel` holds (the last may be shorter).
    public func rows(ofPanel panel: Int) -> Range<Int> {
        (panel * panelRows)..<min(rowCount, (panel + 1) * panelRows)
    }

    /// Every row, as one array of `rowCount · rowLength` values. The array is not zero-filled first (the
    /// panels write every element) and asks for huge pages (`HugePages`): a public set of 50,000 × 2,048
    /// floats is 410 MB, 100,000 page faults with 4 KiB pages.
    public func readAll(workers: Int) throws -> [Float] {
        let count = rowCount * rowLength
        guard count > 0 else { return [] }
        return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            for panel in 0..<panelCount {
                try read(
                    panel: panel, into: buffer.baseAddress! + rows(ofPanel: panel).lowerBound * rowLength,
                    workers: workers)
            }
            initialized = count
        }
    }

    /// Writes the rows of `panel` to `target`, which holds `rows(ofPanel:).count · rowLength` values.
    public func read(panel: Int, into target: UnsafeMutablePointer<Float>, workers: Int) throws {
        let rows = rows(ofPanel: panel)
        let firstBlock = rows.lowerBound / reader.blockRows
        let blockCount = (rows.count + reader.blockRows - 1) / reader.blockRows
        // Each block writes its own rows of `target`.
        let output = ParallelBuffer(target)
        let reader = reader
        let rowLength = rowLength
        try ParallelBlocks.run(blockCount, workers: workers, state: RowBlockScratch.init) { offset, scratch in
            try HDF5Library.serialized { try reader.locate(block: firstBlock + offset, into: scratch) }
            guard case .single(let values) = try reader.decode(scratch) else {
                preconditionFailure("float16 and float32 decode to Float")
            }
            let blockRows = scratch.rows
            (output.base + (blockRows.lowerBound - rows.lowerBound) * rowLength)
                .update(from: values, count: blockRows.count * rowLength)
        }
    }
}
