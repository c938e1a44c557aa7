import Foundation
import Testing

@testable import SSLMemSupport

/// `Concurrently.run`: both results, the second computed on another thread, and the first step's
/// error whenever it fails (whichever finishes first).
@Suite struct ConcurrentlyTests {
    struct Failure: Error, Equatable { let step: Int }

    @Test func returnsBothResultsFromTwoThreads() throws {
        let (a, b) = try Concurrently.run(
            { (Thread.current, (1...1_000).reduce(0, +)) },
            { (Thread.current, (1...100).map { $0 * $0 }.reduce(0, +)) })
        #expect(a.1 == 500_500 && b.1 == 338_350)
        #expect(a.0 !== b.0, "the second step ran on the calling thread")
    }

    @Test func theFirstStepsErrorWins() {
        for firstSleeps in [false, true] {
            #expect(throws: Failure(step: 1)) {
                _ = try Concurrently.run(
                    { () throws -> Int in
                        if firstSleeps { usleep(20_000) }
                        throw Failure(step: 1)
                    }, { () throws -> Int in throw Failure(step: 2) })
            }
        }
        #expect(throws: Failure(step: 2)) {
            _ = try Concurrently.run({ 1 }, { () throws -> Int in throw Failure(step: 2) })
        }
    }

    /// When the first step fails fast, the call still returns only after the slow second step.
    @Test func returnsAfterBothStepsAlsoOnError() {
        final class Flag: @unchecked Sendable { var done = false }  // written before the handoff's signal
        let flag = Flag()
        #expect(throws: Failure(step: 1)) {
            _ = try Concurrently.run(
                { () throws -> Int in throw Failure(step: 1) },
                {
                    usleep(50_000)
                    flag.done = true
                    return 2
                })
        }
        #expect(flag.done)
    }
}
