import Foundation
import SSLMemHDF5
import SSLMemStats
import SSLMemTestSupport
import Testing

/// `RowBlockReader.decode(_:slicesOf:_:)`: unfiltered blocks read slice by slice give the rows `decode`
/// gives, in order and covering the block once (whole and partial last chunks, contiguous data,
/// float16 and float32); filtered blocks come whole; a file cut short under an open reader is the
/// same error, through the file's mapping or `pread`.
@Suite struct RowBlockSliceTests {
    struct Layout: Sendable, CustomTestStringConvertible {
        var name: String
        var storage: FloatStorage
        var chunkRows: Int?
        var deflate: Int?
        var sliced: Bool
        var testDescription: String { name }
    }

    static let layouts: [Layout] = [
        Layout(name: "float32 chunks of 8 rows (last partial)", storage: .single, chunkRows: 8, sliced: true),
        Layout(name: "float32 contiguous", storage: .single, sliced: true),
        Layout(name: "float16 chunks of 5 rows", storage: .half, chunkRows: 5, sliced: true),
        Layout(name: "float32 gzip (filtered: whole)", storage: .single, chunkRows: 8, deflate: 1, sliced: false)
    ]

    /// 21 rows of 6 values; slices of at most 2 rows (the slice size is 2 rows of bytes plus one byte); read
    /// through the file's mapping and with `pread`; with `halves`, unfiltered float16 slices come as stored.
    @Test(arguments: layouts, [(true, false), (false, false), (true, true), (false, true)])
    func slicesGiveTheRowsOfDecode(layout: Layout, read: (mapped: Bool, halves: Bool)) throws {
        let (mapped, halves) = read
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let rows = 21
        let length = 6
        var rng = SplitMix64(seed: 5)
        let values = (0..<(rows * length)).map { _ in Double(Float16(Float.random(in: -2...2, using: &rng))) }
        let dataset = try HDF5File(creating: directory.file("rows.h5")).write(
            "/rows", shape: [rows, length], values: values, storedAs: layout.storage,
            chunks: layout.chunkRows.map { [$0, length] }, deflateLevel: layout.deflate)
        let reader = try RowBlockReader(dataset, mapsFile: mapped)
        let bytes = layout.storage == .half ? 2 : 4
        for block in 0..<reader.blockCount {
            let scratch = RowBlockScratch()
            try reader.locate(block: block, into: scratch)
            var seen: [Range<Int>] = []
            var got: [Float] = []
            try reader.decode(scratch, slicesOf: 2 * length * bytes + 1, halves: halves) { slice, decoded in
                seen.append(slice)
                switch decoded {
                case .single(let p) where !(halves && layout.storage == .half && layout.sliced):
                    got += (0..<(slice.count * length)).map { p[$0] }
                case .half(let p) where halves && layout.storage == .half && layout.sliced:
                    got += (0..<(slice.count * length)).map {
                        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))
                    }
                default:
                    Issue.record("\(decoded) for \(layout.name), halves \(halves)")
                }
            }
            let block = reader.rows(ofBlock: block)
            #expect(got == values[(block.lowerBound * length)..<(block.upperBound * length)].map(Float.init))
            #expect(seen.first?.lowerBound == block.lowerBound && seen.last?.upperBound == block.upperBound)
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(seen.count == (layout.sliced ? (block.count + 1) / 2 : 1), "\(seen)")
        }
    }

    /// Cut short after the reader opened it: the mapping (made before) must not be read past the new end, which
    /// would raise SIGBUS; both paths give the same error.
    @Test(arguments: [true, false])
    func truncatedFileIsTheSameError(mapped: Bool) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("rows.h5")
        let values = (0..<(64 * 16)).map(Double.init)
        _ = try HDF5File(creating: path).write(
            "/rows", shape: [64, 16], values: values, storedAs: .single,
            chunks: [16, 16])
        let reader = try RowBlockReader(try HDF5File(reading: path).dataset("/rows"), mapsFile: mapped)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 600).write(to: URL(fileURLWithPath: path))
        let last = reader.blockCount - 1
        func message(_ read: (RowBlockScratch) throws -> Void) -> String {
            let scratch = RowBlockScratch()
            do {
                try reader.locate(block: last, into: scratch)
                try read(scratch)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let whole = message { _ = try reader.decode($0) }
        let sliced = message { try reader.decode($0, slicesOf: 64) { _, _ in } }
        #expect(whole.contains("rows 48..<64: stored past the end of the file"), "\(whole)")
        #expect(sliced == whole)
    }

    /// Pages read through the file mapping are released block by block (`FileMapping.release`): reading a 34 MB
    /// file keeps the process's resident file pages within a few blocks of where they started (without the
    /// release they grow by the whole file), with both `decode` variants.
    @Test func mappedPagesDoNotPileUp() throws {
        func residentFileMB() throws -> Double {
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssFile:") }),
                let kB = Double(line.split(separator: " ").dropFirst().first ?? "")
            else { return .nan }
            return kB / 1024
        }
        guard try residentFileMB().isFinite else { return }  // no RssFile line (kernel before 4.5)
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("rows.h5")
        let (rows, length) = (2_048, 4_096)
        _ = try HDF5File(creating: path).write(
            "/rows", shape: [rows, length], values: [Double](repeating: 0.5, count: rows * length),
            storedAs: .single)
        for sliced in [true, false] {
            let reader = try RowBlockReader(try HDF5File(reading: path).dataset("/rows"))
            let scratch = RowBlockScratch()
            let before = try residentFileMB()
            var total = 0.0
            for block in 0..<reader.blockCount {
                try reader.locate(block: block, into: scratch)
                func add(_ decoded: DecodedRows, _ count: Int) {
                    guard case .single(let p) = decoded else { return }
                    for i in stride(from: 0, to: count * length, by: 1_024) { total += Double(p[i]) }
                }
                if sliced {
                    try reader.decode(scratch, slicesOf: 1 << 20) { slice, decoded in add(decoded, slice.count) }
                } else {
                    add(try reader.decode(scratch), scratch.rows.count)
                }
            }
            let growth = try residentFileMB() - before
            #expect(total == Double(rows * length / 1_024) * 0.5)
            #expect(growth < 12, "resident file pages grew by \(growth) MB reading a 34 MB file (sliced \(sliced))")
        }
    }
}
