import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO
import SSLMemSupport

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Compute the SSLMem score of every point from f and g representation dumps.",
        discussion: """
            a(x) = mean distance between the unit-normalized views of x (all-pairs: over view pairs i<j, \
            the paper's Eq. 1; original: between each view and the un-augmented one). A_f, A_g = mean of a(x) \
            over the --f and --g files; diff = A_g − A_f; score = diff / (max diff − min diff) with \
            --normalize range, max and min over the candidates (--range-over candidate, the default) or all points. \
            Defaults: --convention paper (all-pairs, l2, range over the candidates); --convention authors-code \
            gives the released code's numbers. Files are joined on /points/index. Writes CSV, or HDF5 for an .h5 name.
            """)

    @OptionGroup var encoders: EncoderFiles

    @OptionGroup var scoring: ScoringOptions

    @Option(
        help:
            "Score only shard i of N (points spread by a hash of their index) and write their alignments to an .h5 file for `sslmem merge`."
    )
    var shard: String?

    @Option(
        help: ArgumentHelp(
            "Output: scores.csv, or an .h5 name for HDF5 (with --shard: the shard's alignments, .h5).",
            discussion:
                "Never an input; an existing file is replaced only when it is an sslmem output of the same kind."))
    var out: String

    @OptionGroup var output: ForceOption

    @OptionGroup var progressOption: ProgressOption

    func validate() throws {
        try encoders.requireBoth()
        if let shard {
            guard Shard(shard) != nil else { throw ValidationError("--shard takes i/N with 0 ≤ i < N, e.g. 0/4") }
            guard out.hasSuffix(".h5") else {
                throw ValidationError("with --shard, --out names an .h5 file (part-i.h5)")
            }
        }
    }

    func run() throws {
        progressOption.apply()
        try requireInputs(encoders.f + encoders.g)
        try OutputGuard.checkFile(
            out, kind: shard == nil ? .scores : .alignments, inputs: encoders.f + encoders.g,
            force: output.force)
        let agreement = try DumpAgreement(encoders.f + encoders.g)
        let start = Date()
        Progress.show("reading and scoring \(encoders.f.count + encoders.g.count) files")
        defer { Progress.done() }
        if let shard = shard.flatMap(Shard.init) {
            let part = try Memorization.alignments(
                f: encoders.f, g: encoders.g, options: scoring.options, shard: shard, workers: scoring.workers)
            try part.write(to: out)
            let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
            FileHandle.standardError.write(
                Data("shard \(shard): aligned \(part.count) points in \(seconds) s → \(out)\n".utf8))
            warn(agreement.warnings)
            return
        }
        let table = try Memorization.score(
            f: encoders.f, g: encoders.g, options: scoring.options, normalization: scoring.normalize,
            rangeOver: scoring.rangeOver, workers: scoring.workers)
        try table.write(to: out)
        var summary = TextTable("subset", "n", "mean align_f", "mean align_g", "mean score", "std score")
        for s in SubsetSummary.of(table) {
            summary.add(
                s.subset.description, "\(s.score.count)", fixed(s.meanAlignF), fixed(s.meanAlignG),
                fixed(s.score.mean), fixed(s.score.standardDeviation))
        }
        print(summary.text)
        if let headline = CandidateHeadline(table, conventions: scoring.conventions) { print(headline.sentence) }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        FileHandle.standardError.write(Data("scored \(table.count) points in \(seconds) s → \(out)\n".utf8))
        warn(agreement.warnings)
    }
}
