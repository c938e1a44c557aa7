import SSLMemHDF5
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemCore

/// `FileAlignment.alignments(of:)` runs the blocks of several datasets in one loop (LayerMem's layers): each
/// stream's values are those of streaming it alone, bit for bit, and on bad data the error is the first failing
/// stream's lowest failing block, whatever the number of workers.
@Suite struct AlignmentStreamsTests {
    /// Three views datasets [40, 3, 10] in chunks of 6 rows; `bad` maps a dataset to (row, value) written into
    /// view 0 of that row.
    static func streams(in directory: TemporaryDirectory, bad: [String: (Int, Float)] = [:]) throws
        -> [FileAlignment.Stream]
    {
        let path = directory.file("streams.h5")
        let (n, k, d) = (40, 3, 10)
        var rng = SplitMix64(seed: 17)
        do {
            let file = try HDF5File(creating: path)
            for name in ["a", "b", "c"] {
                var values = (0..<(n * k * d)).map { _ in Double(Float.random(in: -1...1, using: &rng)) }
                if let (row, value) = bad[name] {
                    for e in 0..<d { values[row * k * d + e] = Double(value) }
                }
                _ = try file.write(
                    "/\(name)", shape: [n, k, d], values: values, storedAs: .single, chunks: [6, k, d])
            }
        }
        let reading = try HDF5File(reading: path)
        return try ["a", "b", "c"].map { name in
            FileAlignment.Stream(
                views: try RowBlockReader(reading.dataset("/\(name)")), original: nil, file: path,
                keys: (0..<Int64(n)).map { 100 + $0 }, viewCount: k, viewLength: d)
        }
    }

    static let options = AlignmentOptions(pairing: .allPairs, distance: .l2)

    @Test(arguments: [1, 2, 3])
    func eachStreamAsAlone(workers: Int) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let streams = try Self.streams(in: directory)
        let together = try FileAlignment.alignments(of: streams, options: Self.options, workers: workers)
        for (stream, values) in zip(streams, together) {
            let alone = try FileAlignment.alignments(
                views: stream.views, original: nil, file: stream.file, keys: stream.keys,
                viewCount: stream.viewCount, viewLength: stream.viewLength, options: Self.options, workers: 1)
            #expect(values.map(\.bitPattern) == alone.map(\.bitPattern))
            #expect(values.allSatisfy { $0.isFinite })
        }
    }

    /// b fails at row 31 (a zero view), c at row 0 (NaN): b's error, as if the streams ran in turn.
    @Test(arguments: [1, 2, 3])
    func firstFailingStreamWins(workers: Int) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let streams = try Self.streams(in: directory, bad: ["b": (31, 0), "c": (0, .nan)])
        var message = "no error"
        do { _ = try FileAlignment.alignments(of: streams, options: Self.options, workers: workers) } catch {
            message = "\(error)"
        }
        #expect(
            message.contains("/b") && message.contains("131") && message.contains("view 0 is a zero vector"),
            "\(message)")
    }
}
