import Foundation
import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemTestSupport
import Testing

/// Sharded scoring: balanced shards, and merged shards that equal one run byte for byte.
@Suite struct ShardTests {
    @Test func shardsAreBalancedWhateverTheIndexPattern() {
        let patterns: [(Int64) -> Int64] = [{ $0 }, { $0 * 1000 }, { $0 * 4 + 3 }]
        for pattern in patterns {
            var sizes = [Int](repeating: 0, count: 4)
            for i in Int64(0)..<20_000 {
                let shard = (0..<4).first { Shard($0, of: 4).contains(pattern(i)) }
                sizes[shard!] += 1
            }
            #expect(sizes.allSatisfy { abs($0 - 5_000) < 250 }, "\(sizes)")
        }
        #expect(Shard("3/4") == Shard(3, of: 4) && Shard("4/4") == nil && Shard("1") == nil && Shard("-1/2") == nil)
    }

    @Test func fourMergedShardsEqualOneRunByteForByte() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let f = [Repository.fixture("vicreg_f.h5")]
        let g = [Repository.fixture("vicreg_g.h5")]
        let options = AlignmentOptions(pairing: .original, distance: .cosine)
        for workers in [1, 2] {
            var parts: [(path: String, table: AlignmentsTable)] = []
            for i in (0..<4).reversed() {
                let path = directory.file("part-\(i).h5")
                try Memorization.alignments(f: f, g: g, options: options, shard: Shard(i, of: 4), workers: workers)
                    .write(to: path)
                parts.append((path, try AlignmentsTable(path: path)))
            }
            #expect(parts.map(\.table.count).reduce(0, +) == 800)
            try AlignmentsTable.merge(parts).scores(.range).write(to: directory.file("merged-\(workers).csv"))
            try Memorization.score(f: f, g: g, options: options, workers: 3 - workers)
                .write(to: directory.file("whole-\(workers).csv"))
            #expect(
                FileManager.default.contentsEqual(
                    atPath: directory.file("merged-\(workers).csv"),
                    andPath: directory.file("whole-\(workers).csv")))
        }
    }
}
