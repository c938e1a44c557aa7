import Synchronization
import Testing

@testable import SSLMemSupport

/// `ParallelBlocks.run(parts:…)`: every block of every part is run once, numbered within its part (empty parts
/// included), and the error is the first failing part's lowest failing block, whatever the number of workers.
@Suite struct ParallelPartsTests {
    struct Failed: Error, Equatable {
        var part: Int
        var block: Int
    }

    @Test(arguments: [1, 2, 3, 8])
    func everyBlockOnceInItsPart(workers: Int) throws {
        let counts = [3, 0, 5, 1, 0, 4]
        let seen = Mutex<[[Int]]>(counts.map { [Int](repeating: 0, count: $0) })
        try ParallelBlocks.run(
            parts: counts, workers: workers, state: {},
            { part, block, _ in seen.withLock { $0[part][block] += 1 } })
        #expect(seen.withLock { $0 } == counts.map { [Int](repeating: 1, count: $0) })
    }

    @Test(arguments: [1, 2, 3, 8])
    func firstFailingPartWins(workers: Int) {
        // Part 1 fails at its block 4, part 2 at its block 0: part 1's error, as if the parts ran in turn.
        var thrown: Failed?
        do {
            let failing = [(1, 4), (1, 5), (2, 0)]
            try ParallelBlocks.run(
                parts: [2, 6, 3], workers: workers, state: {},
                { part, block, _ in
                    if failing.contains(where: { $0 == (part, block) }) { throw Failed(part: part, block: block) }
                })
        } catch {
            thrown = error as? Failed
        }
        #expect(thrown == Failed(part: 1, block: 4))
    }
}
