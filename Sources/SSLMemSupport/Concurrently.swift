import Dispatch
import Foundation

/// Two computations at once: `second` on a new thread while `first` runs on the
/// calling one. For independent steps that each leave a core idle part of the
/// time (one encoder's serial steps while the other's run, say).
package enum Concurrently {
    /// Both results; if `first` throws, its error, else `second`'s — the same
    /// error whatever the timing. Returns only after both have finished.
    package static func run<A, B>(_ first: () throws -> A, _ second: @escaping () throws -> B) throws -> (A, B) {
        let handoff = Handoff(second)
        let thread = Thread { handoff.run() }
        thread.stackSize = 8 << 20  // the main thread's size: the steps run the same code as on it
        thread.start()
        let a = Result { try first() }
        let b = handoff.wait()  // also when `first` failed: nothing it captured may outlive this call
        return (try a.get(), try b.get())
    }
}

/// Carries `second` of `Concurrently.run` to its thread and its result back.
/// The compiler cannot check it: `work` and `result` are touched by the new
/// thread until it signals `done`, and by the caller only after waiting for it,
/// so the semaphore orders every access.
private final class Handoff<B>: @unchecked Sendable {
    private var work: (() throws -> B)?
    private var result: Result<B, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () throws -> B) { self.work = work }

    /// On the new thread.
    func run() {
        result = Result { try work!() }
        work = nil
        done.signal()
    }

    /// On the caller's thread.
    func wait() -> Result<B, any Error> {
        done.wait()
        return result!
    }
}
