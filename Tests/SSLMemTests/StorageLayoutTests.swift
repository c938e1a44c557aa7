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
        Layout(name: "float32 chunks split across columns", storage: .single, chunkRows: 4, splitColumns: true,
               deflate: 2),
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
        for (pairing, options) in [("all-pairs", AlignmentOptions()), ("original", AlignmentOptions(pairing: .original))] {
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
