import Dispatch
import Synchronization

/// The loop every streaming computation here runs: blocks 0..<count handed out
/// in order to up to `workers` threads, each thread with its own state (scratch
/// buffers) made once. After a failure no new block starts, and the error of
/// the lowest failing block is thrown, so the message does not depend on the
/// number of threads.
package enum ParallelBlocks {
    package static func forEach<State>(
        _ count: Int, workers: Int, state makeState: () -> State, _ body: (Int, inout State) throws -> Void
    ) throws {
        let next = Atomic<Int>(0)
        let failure = Mutex<(block: Int, error: Error)?>(nil)
        withoutActuallyEscaping(makeState) { makeState in
            withoutActuallyEscaping(body) { body in
                let make = UnsafeSendable(makeState), run = UnsafeSendable(body)
                DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
                    var state = make.value()
                    while true {
                        let block = next.add(1, ordering: .relaxed).oldValue
                        guard block < count, failure.withLock({ $0 == nil }) else { return }
                        do { try run.value(block, &state) } catch {
                            failure.withLock { if $0 == nil || $0!.block > block { $0 = (block, error) } }
                        }
                    }
                }
            }
        }
        if let failure = failure.withLock({ $0 }) { throw failure.error }
    }
}
