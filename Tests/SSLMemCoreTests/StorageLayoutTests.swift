import CHDF5
import SSLMemHDF5
import SSLMemTestSupport
import Testing

@testable import SSLMemCore
@testable import SSLMemIO

/// Every storage layout a backend may write gives the alignments of the definition.
@Suite struct StorageLayoutTests {
    struct Layout: CustomTestStringConvertible, Sendable {
        var name: String
        var storage: FloatStorage
        var chunkRows: Int?
        var splitColumns = false
        var shuffle = false
        var deflate: Int?
        var testDescription: String { name }
    }

    static let layouts: [Layout] = [
        Layout(name: "float32 contiguous", storage: .single),
        Layout(name: "float32 chunks", storage: .single, chunkRows: 8),
        Layout(name: "float32 shuffle+gzip", storage: .single, chunkRows: 16, shuffle: true, deflate: 4),
        Layout(name: "float16 shuffle+gzip", storage: .half, chunkRows: 7, shuffle: true, deflate: 6),
        Layout(name: "float16 gzip", storage: .half, chunkRows: 30, deflate: 1),
        Layout(name: "float16 shuffle", storage: .half, chunkRows: 5, shuffle: true),
        Layout(name: "float16 contiguous", storage: .half),
        Layout(name: "float64 gzip", storage: .double, chunkRows: 9, deflate: 4),
        Layout(
            name: "float32 chunks split across columns", storage: .single, chunkRows: 4, splitColumns: true,
            deflate: 2)
    ]

    @Test(arguments: layouts)
    func alignmentsMatchDefinition(layout: Layout) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var dump = SyntheticDump(points: 37, views: 3, dim: 45, seed: 7, original: true)
        dump.storage = layout.storage
        dump.chunkRows = layout.chunkRows
        dump.splitColumns = layout.splitColumns
        dump.shuffle = layout.shuffle
        dump.deflate = layout.deflate
        try dump.write(to: directory.file("f.h5"))
        let file = try RepresentationsFile(path: directory.file("f.h5"))
        for (pairing, options) in [
            ("all-pairs", AlignmentOptions()), ("original", AlignmentOptions(pairing: .original))
        ] {
            let expected = dump.naiveAlignments(pairing: pairing)
            let one = try FileAlignment.alignments(of: file, options: options, workers: 1)
            let two = try FileAlignment.alignments(of: file, options: options, workers: 2)
            #expect(one == two, "results depend on the thread count")
            for row in 0..<dump.count {
                #expect(relative(one[row], expected[row]) < 1e-12, "row \(row), \(pairing)")
            }
        }
    }

    @Test func cosineDistanceMatchesDefinition() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let dump = SyntheticDump(points: 12, views: 4, dim: 33, seed: 3)
        try dump.write(to: directory.file("f.h5"))
        let file = try RepresentationsFile(path: directory.file("f.h5"))
        let got = try FileAlignment.alignments(of: file, options: AlignmentOptions(distance: .cosine))
        for (a, b) in zip(got, dump.naiveAlignments(cosine: true)) { #expect(relative(a, b) < 1e-12) }
    }
}

/// The layouts that leave the direct read path (RowBlockReader): big-endian data and chunks over 32 MiB are read
/// by libhdf5 and must give the same alignments.
@Suite struct IndirectLayoutTests {
    /// A dump whose views are stored big-endian (float32 or float64), contiguous or chunked with gzip.
    func bigEndian(_ double: Bool, chunked: Bool, in directory: TemporaryDirectory) throws -> (SyntheticDump, String) {
        var dump = SyntheticDump(points: 23, views: 3, dim: 10, seed: 11, original: true)
        dump.storage = double ? .double : .single
        let (n, k, d, views) = (dump.count, dump.k, dump.d, dump.views)
        dump.replace["/views/representations"] = { file in
            let type = H5Tcopy(double ? sslmem_H5T_NATIVE_DOUBLE() : sslmem_H5T_NATIVE_FLOAT())
            defer { H5Tclose(type) }
            H5Tset_order(type, H5T_ORDER_BE)
            func put(_ bytes: UnsafeRawBufferPointer) throws {
                try file.write(
                    "/views/representations", shape: [n, k, d], type: type, bytes: bytes.baseAddress!,
                    chunks: chunked ? [4, k, d] : nil, deflateLevel: chunked ? 3 : nil)
            }
            if double {
                try views.map { $0.bitPattern.bigEndian }.withUnsafeBytes(put)
            } else {
                try views.map { Float($0).bitPattern.bigEndian }.withUnsafeBytes(put)
            }
        }
        let path = directory.file("be-\(double)-\(chunked).h5")
        try dump.write(to: path)
        return (dump, path)
    }

    @Test(arguments: [(false, false), (false, true), (true, true)])
    func bigEndianViewsGiveTheDefinition(double: Bool, chunked: Bool) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (dump, path) = try bigEndian(double, chunked: chunked, in: directory)
        let file = try RepresentationsFile(path: path)
        let dataset = try HDF5File(reading: path).dataset("/views/representations")
        #expect(dataset.elementType == .float(bytes: double ? 8 : 4, littleEndian: false))
        #expect(try !RowBlockReader(dataset).takesDirectPath, "big-endian data must not take the direct path")
        let expected = dump.naiveAlignments()
        for workers in [1, 2] {
            let got = try FileAlignment.alignments(of: file, options: AlignmentOptions(), workers: workers)
            for row in 0..<dump.count {
                #expect(relative(got[row], expected[row]) < 1e-12, "row \(row), \(workers) workers")
            }
        }
    }

    /// One chunk of 33.6 MB (over RowBlockReader.maximumChunkBytes): read by libhdf5, same alignments.
    @Test func chunkOverThirtyTwoMebibytesIsReadByLibhdf5() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var dump = SyntheticDump(points: 20, views: 2, dim: 1, seed: 5)
        dump.d = 210_000
        var state: UInt64 = 99
        dump.views = (0..<(20 * 2 * dump.d)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000 + 0.0005
        }
        dump.chunkRows = 20
        try dump.write(to: directory.file("big.h5"))
        let dataset = try HDF5File(reading: directory.file("big.h5")).dataset("/views/representations")
        guard case .chunked(let chunk) = dataset.layout else {
            Issue.record("not chunked")
            return
        }
        #expect(chunk.reduce(4, *) > RowBlockReader.maximumChunkBytes)
        #expect(try !RowBlockReader(dataset).takesDirectPath, "a chunk over 32 MiB must not take the direct path")
        let got = try FileAlignment.alignments(
            of: try RepresentationsFile(path: directory.file("big.h5")),
            options: AlignmentOptions(), workers: 2)
        // a(x) = ‖u(v₀) − u(v₁)‖ in Float64 from the stored (float32) values.
        for row in 0..<dump.count {
            let base = row * 2 * dump.d
            var dot = 0.0
            var n0 = 0.0
            var n1 = 0.0
            for i in 0..<dump.d {
                let a = Double(Float(dump.views[base + i]))
                let b = Double(Float(dump.views[base + dump.d + i]))
                dot += a * b
                n0 += a * a
                n1 += b * b
            }
            let expected = (2 - 2 * dot / (n0 * n1).squareRoot()).squareRoot()
            #expect(relative(got[row], expected) < 1e-9, "row \(row)")
        }
    }
}
