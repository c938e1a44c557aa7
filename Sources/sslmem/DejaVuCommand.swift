import ArgumentParser
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO

struct DejaVuCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dejavu",
        abstract: "Déjà Vu memorization (Meehan et al. 2023): a kNN label-inference attack from periphery crops.",
        discussion: """
            Set A = candidates (f trained on them), set B = independent points (g trained on them). For f and g, \
            each target's crop representation is matched to its k nearest rows of /dejavu/public (exact squared L2 \
            on raw embeddings, ties by lower row); the inferred label is the most frequent neighbour label (ties: \
            lowest) with entropy as confidence (lower = more confident). acc_M(S, q) = accuracy on the ⌊q·|S|⌋ most \
            confident points (ties by lower index). target = (acc_f(A) + acc_g(B))/2, reference = (acc_f(B) + \
            acc_g(A))/2, gap = target − reference, with a 95% bootstrap interval over the target points in the \
            tables (not in --json). Quadrant shares count all of A and B.
            """)

    @Option(name: .customLong("f"), help: "Representations of the f encoder, with a /dejavu group.")
    var f: String

    @Option(name: .customLong("g"), help: "Representations of the g encoder, with a /dejavu group.")
    var g: String

    @Option(help: "Neighbours per target.")
    var k = 100

    @Option(help: ArgumentHelp("Confidence fractions q, comma-separated, each in (0, 1].", valueName: "q,q,…"))
    var fractions = CommaSeparated<Double>([0.05, 0.2, 1])

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @OptionGroup var progressOption: ProgressOption

    @OptionGroup var threading: ThreadsChoice

    var fractionList: [Double] { fractions.values }

    func validate() throws {
        guard fractions.values.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw ValidationError("--fractions takes numbers in (0, 1], comma-separated, e.g. 0.05,0.2,1")
        }
        if k < 1 { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        progressOption.apply()
        try requireInputs([f, g])
        useFastBLASKernels()
        let fFile = try RepresentationsFile(path: f)
        let gFile = try RepresentationsFile(path: g)
        try fFile.checkRole(.f)
        try gFile.checkRole(.g)
        Progress.show("k nearest neighbours of \(f) and \(g)")
        defer { Progress.done() }
        let attack = try DejaVuAttack(f: fFile, g: gFile, k: k, workers: threading.workers)
        if json {
            print(attack.json(fractions: fractionList).text)
            return
        }
        print("Déjà Vu, k = \(k): |A| = \(attack.a.count) candidates, |B| = \(attack.b.count) independent points\n")
        var table = TextTable("q", "points (A, B)", "target", "reference", "gap", "gap 95% CI (bootstrap)")
        for q in fractionList {
            let counts =
                "\(DejaVuAttack.selectedCount(q, of: attack.a.count)), "
                + "\(DejaVuAttack.selectedCount(q, of: attack.b.count))"
            let t = attack.target(q)
            let r = attack.reference(q)
            let ci = attack.gapInterval(q)
            table.add("\(q)", counts, fixed(t), fixed(r), fixed(t - r), "[\(fixed(ci.lower)), \(fixed(ci.upper))]")
        }
        print(table.text)
        print("CI: 1,000 seeded resamples of the target points (A and B each with replacement).")
        let shares = attack.quadrants
        var quadrants = TextTable("outcome over A and B", "share")
        quadrants.add("memorized (own encoder right, other wrong)", fixed(shares.memorized))
        quadrants.add("forgotten (own wrong, other right)", fixed(shares.forgotten))
        quadrants.add("correlated (both right)", fixed(shares.correlated))
        quadrants.add("both wrong", fixed(shares.bothWrong))
        print("\n" + quadrants.text)
    }
}
