import ArgumentParser
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

extension PointSelection.Pool: ExpressibleByArgument {}

struct SelectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract:
            "Index lists of the most memorized points (and seeded random controls) for retraining without or only on them.",
        discussion: """
            Top n: the n highest scores of the pool, ties by lower index (with --convention authors-code or \
            --ranking authors-code: the n highest A_g/max A_g − A_f/max A_f over the pool, as the released \
            remove_samples.py ranks). Random n (with --random): the first n of \
            the pool after a seeded Fisher–Yates shuffle (SplitMix64). Writes top-N.txt, random-N.txt (one index per \
            line, ascending) and selection.h5 with all lists and the options. The default sizes are the paper's \
            500, 1000, 2000, 4000, 8000 and 16000 that fit the pool (the others are skipped with a note; when none \
            fits, a quarter and a half of the pool); a size given with --top that is larger than the pool is an error.
            """)

    @Argument(help: "A scores file written by `sslmem score` (.csv or .h5).")
    var scores: String

    @Option(help: "Score column of a per-point file from another tool (default: score).")
    var column: String?

    @Option(
        help: ArgumentHelp(
            "List sizes, comma-separated (default: 500,1000,2000,4000,8000,16000, those that fit the pool).",
            valueName: "n,n,…"))
    var top: CommaSeparated<Int>?

    @Flag(help: "Also write seeded random lists of the same sizes.")
    var random = false

    @Option(help: "Seed of the random lists (default 0).")
    var seed: UInt64?

    @Option(
        help: ArgumentHelp(
            "paper (default; rank by score) or authors-code (rank as remove_samples.py).",
            valueName: "preset"))
    var convention: Conventions.Preset = .paper

    @Option(help: "score or authors-code (A_g/max A_g − A_f/max A_f over the pool); default: the convention's.")
    var ranking: Conventions.SelectionRanking?

    @Option(help: "candidate (the points SSLMem measures) or all.")
    var pool: PointSelection.Pool = .candidate

    @Option(
        help: ArgumentHelp(
            "Output folder: new, empty, or an earlier selection (only the files sslmem wrote there are replaced).",
            discussion: "Never the current directory, a folder above it, or one holding the scores file."))
    var out: String

    @OptionGroup var output: ForceOption

    static let defaultSizes = Conventions.defaults.selectionSizes

    func validate() throws {
        if seed != nil && !random { throw ValidationError("--seed goes with --random") }
        if let top, top.values.contains(where: { $0 < 1 }) {
            throw ValidationError("--top takes list sizes of at least 1, comma-separated, e.g. 500,1000")
        }
    }

    /// The sizes given, or the defaults that fit a pool of `poolCount` points.
    func sizes(poolCount: Int) -> [Int] {
        if let top { return top.values }
        let (kept, skipped) = sizesThatFit(Self.defaultSizes, limit: poolCount)
        let sizes = kept.isEmpty ? Array(Set([max(1, poolCount / 4), max(1, poolCount / 2)])).sorted() : kept
        if !skipped.isEmpty {
            note(
                "the \(pool.rawValue) pool has \(poolCount) points: default sizes "
                    + skipped.map(String.init).joined(separator: ", ")
                    + " skipped"
                    + (kept.isEmpty
                        ? "; lists of " + sizes.map(String.init).joined(separator: " and ") + " instead" : ""))
        }
        return sizes
    }

    func run() throws {
        try requireInputs([scores])
        try OutputGuard.checkFolder(out, kind: "selection", inputs: [scores], force: output.force)
        let table = try ScoresTable(file: scores, column: column)
        let poolCount = pool == .all ? table.count : table.subset.filter { $0 == .candidate }.count
        let listSizes = sizes(poolCount: poolCount)
        let selection: PointSelection
        do {
            selection = try PointSelection(
                table, sizes: listSizes, pool: pool, seed: random ? seed ?? 0 : nil,
                ranking: ranking ?? Conventions(convention).ranking)
        } catch let error as SSLMemError {
            throw error.located(file: scores)
        }
        try selection.write(to: out, scoresFile: scores, force: output.force)
        print(
            "\(listSizes.count) top lists" + (random ? " and \(listSizes.count) random lists (seed \(seed ?? 0))" : "")
                + " from the \(pool.rawValue) pool, ranked by \((ranking ?? Conventions(convention).ranking).rawValue) → \(out)"
        )
    }
}
