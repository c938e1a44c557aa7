import Dispatch
import Synchronization

/// The loop every streaming computation here runs: blocks 0..<count handed out
/// in order to up to `workers` threads, each thread with its own state (scratch
/// buffers) made once. After a failure no new block starts, and the error of
/// the lowest failing block is thrown, so the message does not depend on the
/// number of threads.
package enum ParallelBlocks {
    /// The loop with checked closures: `makeState` and `body` are `@Sendable`, so
    /// the compiler checks that everything they capture may be shared between
    /// threads. Output written from several workers goes through a
    /// `ParallelBuffer`, the one unchecked primitive, at positions each worker owns.
    package static func run<State>(
        _ count: Int, workers: Int, state makeState: @Sendable () -> State,
        _ body: @Sendable (Int, inout State) throws -> Void
    ) throws {
        let next = Atomic<Int>(0)
        let failure = Mutex<(block: Int, error: any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            var state = makeState()
            while true {
                let block = next.add(1, ordering: .relaxed).oldValue
                guard block < count, failure.withLock({ $0 == nil }) else { return }
                do { try body(block, &state) } catch {
                    failure.withLock { if $0 == nil || $0!.block > block { $0 = (block, error) } }
                }
            }
        }
        if let failure = failure.withLock({ $0 }) { throw failure.error }
    }

    /// The loop over the blocks of several parts, part after part (block b of part p is block
    /// first[p] + b of one loop, first[p] = Σ_{q<p} blockCounts[q]): a worker done with one part's blocks
    /// takes the next part's instead of waiting at its end (LayerMem and UnitMem stream every layer this
    /// way). `body(part, block, &state)` gets the block's number within its part; the error thrown is the
    /// first failing part's lowest failing block's, as if the parts ran one after another.
    package static func run<State>(
        parts blockCounts: [Int], workers: Int, state makeState: @Sendable () -> State,
        _ body: @Sendable (_ part: Int, _ block: Int, inout State) throws -> Void
    ) throws {
        var first = [0]
        for count in blockCounts { first.append(first.last! + count) }
        let starts = first
        try run(starts.last!, workers: workers, state: makeState) { block, state in
            var part = 0
            while starts[part + 1] <= block { part += 1 }
            try body(part, block - starts[part], &state)
        }
    }
}

/// Memory that the workers of a `ParallelBlocks` loop share: any worker may
/// read it, and each element is written by at most one worker (the one whose
/// block covers it) and read by others only after the loop. The compiler cannot
/// check that writes are disjoint; each use says which worker owns what. The
/// memory must outlive the loop (a `withUnsafe…Pointer` scope around it).
package struct ParallelBuffer<Element>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Element>

    @inlinable package init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
    @inlinable package init(_ buffer: UnsafeMutableBufferPointer<Element>) { base = buffer.baseAddress! }
    /// Read-only memory, shared for reading.
    @inlinable package init(reading base: UnsafePointer<Element>) { self.base = UnsafeMutablePointer(mutating: base) }

    /// In place, without copying (an element that is an array is not copied on write).
    @inlinable package subscript(i: Int) -> Element {
        unsafeAddress { UnsafePointer(base + i) }
        nonmutating unsafeMutableAddress { base + i }
    }
}
