import ArgumentParser
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO
import SSLMemModel

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shards of a sharded scoring run and normalize: the same bytes as one `sslmem score`.",
        discussion: """
            Each shard comes from `sslmem score … --shard i/N --out part-i.h5` with the same --f, --g and options. \
            All N shards must be given. The range normalization runs here, over the candidates (or all points with --range-over all).
            """)

    @Argument(help: "The shards' .h5 files.")
    var parts: [String]

    @Option(help: "range (divide by max − min of diff, default) or none; give the same as to `sslmem score`.")
    var normalize: Normalization = Conventions.defaults.normalization

    @Option(
        name: .customLong("range-over"), help: "candidate (default) or all: the points whose range divides the score.")
    var rangeOver: RangeScope = Conventions.defaults.rangeOver

    @Option(
        help: ArgumentHelp(
            "Output: scores.csv, or an .h5 name for HDF5.",
            discussion: "Never a shard; an existing file is replaced only when it is a scores file."))
    var out: String

    @OptionGroup var output: ForceOption

    func validate() throws {
        guard !parts.isEmpty else { throw ValidationError("give the shards' .h5 files") }
    }

    func run() throws {
        try requireInputs(parts)
        try OutputGuard.checkFile(out, kind: .scores, inputs: parts, force: output.force)
        let tables = try parts.map { (path: $0, table: try AlignmentsTable(path: $0)) }
        let merged = try AlignmentsTable.merge(tables)
        try merged.scores(normalize, rangeOver: rangeOver).write(to: out)
        print("merged \(parts.count) shards, \(merged.count) points → \(out)")
    }
}
