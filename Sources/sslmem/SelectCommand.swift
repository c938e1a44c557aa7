import ArgumentParser
import SSLMemAnalysis
import SSLMemIO

extension PointSelection.Pool: ExpressibleByArgument {}

struct SelectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Index lists of the most memorized points (and seeded random controls) for retraining without or only on them.",
        discussion: """
            Top n: the n highest scores of the pool, ties by lower index. Random n (with --random): the first n of \
            the pool after a seeded Fisher–Yates shuffle (SplitMix64). Writes top-N.txt, random-N.txt (one index per \
            line, ascending) and selection.h5 with all lists and the options. A size larger than the pool is an error.
            """)

    @Argument(help: "A scores file written by `sslmem score` (.csv or .h5).")
    var scores: String

    @Option(help: "Score column of a per-point file from another tool (default: score).")
    var column: String?

    @Option(help: "List sizes, comma-separated.")
    var top: String = "500,1000,2000,4000,8000,16000"

    @Flag(help: "Also write seeded random lists of the same sizes.")
    var random = false

    @Option(help: "Seed of the random lists.")
    var seed: UInt64 = 0

    @Option(help: "candidate (the points SSLMem measures) or all.")
    var pool: PointSelection.Pool = .candidate

    @Option(help: "Output folder (replaced whole when complete).")
    var out: String

    var sizes: [Int] { top.split(separator: ",").compactMap { Int($0) } }

    func validate() throws {
        guard !sizes.isEmpty, sizes.count == top.split(separator: ",").count else {
            throw ValidationError("--top takes list sizes, comma-separated, e.g. 500,1000")
        }
    }

    func run() throws {
        let table = try ScoresTable(file: scores, column: column)
        let selection: PointSelection
        do {
            selection = try PointSelection(table, sizes: sizes, pool: pool, seed: random ? seed : nil)
        } catch let error as SSLMemError {
            throw error.located(file: scores)
        }
        try selection.write(to: out, scoresFile: scores)
        print("\(sizes.count) top lists" + (random ? " and \(sizes.count) random lists (seed \(seed))" : "")
              + " from the \(pool.rawValue) pool → \(out)")
    }
}
