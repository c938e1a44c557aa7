import ArgumentParser
import SSLMemAnalysis
import SSLMemCore

/// The conventions every command starts from (`Conventions`, one set of defaults): `--convention` picks a
/// preset, and `--pairing`, `--distance`, `--normalize`, `--range-over` override its parts.
struct ConventionChoice: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "paper (default: all pairs of views, Eq. 1; range over the candidates, App. A) or authors-code (the released "
                + "code: each view against the original, range over the candidates, select ranks as remove_samples.py).",
            valueName: "preset"))
    var convention: Conventions.Preset = .paper

    @Option(help: "all-pairs (paper, Eq. 1) or original (authors' code); default: the convention's.")
    var pairing: Pairing?

    @Option(help: "l2 (between unit vectors, default) or cosine (1 − cos).")
    var distance: Distance?

    @Option(help: "range (divide by max − min of diff, default) or none.")
    var normalize: Normalization?

    @Option(
        name: .customLong("range-over"),
        help:
            "The points whose max − min of diff divides the score: candidate (default; paper App. A, released code) or all."
    )
    var rangeOver: RangeScope?

    /// Whether any part was given on the command line.
    var isCustomized: Bool {
        convention != .paper || pairing != nil || distance != nil || normalize != nil || rangeOver != nil
    }

    var conventions: Conventions {
        var c = Conventions(convention)
        if let pairing { c.pairing = pairing }
        if let distance { c.distance = distance }
        if let normalize { c.normalization = normalize }
        if let rangeOver { c.rangeOver = rangeOver }
        return c
    }
}

/// `--bootstrap`, `--seed`: the resamples and seed of the bootstrap intervals over points.
struct BootstrapChoice: ParsableArguments {
    @Option(name: .customLong("bootstrap"), help: "Bootstrap resamples of the layer intervals (default 10000).")
    var resamples: Int = Conventions.defaultBootstrapResamples

    @Option(name: .customLong("bootstrap-seed"), help: "Seed of the bootstrap draws (SplitMix64; default 0).")
    var seed: UInt64 = 0

    func validate() throws {
        if resamples < 2 { throw ValidationError("--bootstrap must be at least 2 resamples") }
    }

    func apply(to conventions: inout Conventions) {
        conventions.bootstrapResamples = resamples
        conventions.bootstrapSeed = seed
    }
}

/// `--threads`: worker threads; output bytes never depend on it.
struct ThreadsChoice: ParsableArguments {
    @Option(help: "Worker threads (default: all cores, or SSLMEM_THREADS); the output does not depend on it.")
    var threads: Int?

    var workers: Int { threads ?? FileAlignment.defaultWorkers }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// The scoring options, defined once, for every command that scores dumps (score, report, audit):
/// `--convention`, `--pairing`, `--distance`, `--normalize`, `--range-over`, `--threads`. Commands that only use
/// part of them take that part: dejavu `--threads` (`ThreadsChoice`), layers `ConventionChoice`.
struct ScoringOptions: ParsableArguments {
    @OptionGroup var choice: ConventionChoice
    @OptionGroup var threading: ThreadsChoice

    var conventions: Conventions { choice.conventions }
    var options: AlignmentOptions { conventions.alignment }
    var normalize: Normalization { conventions.normalization }
    var rangeOver: RangeScope { conventions.rangeOver }
    var workers: Int { threading.workers }
}

extension Pairing: ExpressibleByArgument {}
extension Distance: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}
extension RangeScope: ExpressibleByArgument {}
extension Conventions.Preset: ExpressibleByArgument {}
extension Conventions.SelectionRanking: ExpressibleByArgument {}
