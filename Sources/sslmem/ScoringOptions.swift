import ArgumentParser
import SSLMemCore

/// How views are compared (Eq. 1): `--pairing`, `--distance`.
struct AlignmentChoice: ParsableArguments {
    @Option(help: "all-pairs (paper, Eq. 1) or original (authors' code).")
    var pairing: Pairing = .allPairs

    @Option(help: "l2 (between unit vectors) or cosine (1 − cos).")
    var distance: Distance = .l2

    var options: AlignmentOptions { AlignmentOptions(pairing: pairing, distance: distance) }
}

/// How the score is normalized (Eq. 2): `--normalize`.
struct NormalizeChoice: ParsableArguments {
    @Option(help: "range (divide by max − min of diff) or none.")
    var normalize: Normalization = .range
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
/// `--pairing`, `--distance`, `--normalize`, `--threads`. Commands that only use part of them take that
/// part: dejavu `--threads` (`ThreadsChoice`), merge `--normalize` (`NormalizeChoice`).
struct ScoringOptions: ParsableArguments {
    @OptionGroup var alignment: AlignmentChoice
    @OptionGroup var normalization: NormalizeChoice
    @OptionGroup var threading: ThreadsChoice

    var options: AlignmentOptions { alignment.options }
    var normalize: Normalization { normalization.normalize }
    var workers: Int { threading.workers }
}

extension Pairing: ExpressibleByArgument {}
extension Distance: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}
