import ArgumentParser
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per-subset summary and the paper's t-tests (Tables 2 and 16) on a scores file.",
        discussion: """
            Two-sample tests are one-sided ("greater"): candidate > shared, candidate > extra, \
            shared > independent, extra > independent (Table 2); Student's pooled-variance test, or Welch's \
            with --welch. One-sample tests against 0 (Table 16): candidate > 0, independent < 0, \
            shared ≠ 0 (two-sided), extra > 0. Cohen's d uses the pooled SD (ddof 1); one sample: mean/SD.
            With --a and --b, one two-sample test between those subsets instead (e.g. --a candidate \
            --b independent), one-sided "greater" unless --alternative says otherwise.
            """)

    @Argument(
        help:
            "A scores file written by `sslmem score` (.csv or .h5), or a per-point score (.csv, .h5, .mat) with index, a score column and subset."
    )
    var scores: String

    @Option(help: "Score column of a per-point file from another tool (default: score).")
    var column: String?

    @Option(help: "Take the points' subsets from this scores file (joined on index, over the common points).")
    var subsets: String?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Flag(help: "Welch's unequal-variance test for the two-sample tests.")
    var welch = false

    @Option(help: "Test this subset against --b instead of the paper's tests (with --b).")
    var a: SubsetName?

    @Option(help: "The subset --a is tested against.")
    var b: SubsetName?

    @Option(help: "With --a and --b: greater (mean of a above mean of b, the default), less or two-sided.")
    var alternative: AlternativeName = .greater

    func validate() throws {
        if (a == nil) != (b == nil) { throw ValidationError("--a and --b go together: give both subsets or neither") }
        if let a, a == b { throw ValidationError("--a and --b name the same subset (\(a.rawValue))") }
        if a == nil && alternative != .greater {
            throw ValidationError("--alternative applies to --a/--b; the paper's tests have their own directions")
        }
    }

    func run() throws {
        try requireInputs([scores] + (subsets.map { [$0] } ?? []))
        var table = try ScoresTable(file: scores, column: column)
        var joined: String?
        if let subsets {
            let all = table.count
            table = table.joiningSubsets(from: try ScoresTable(file: subsets))
            joined = "\(table.count) of \(all) points joined on index with the subsets of \(subsets)"
        }
        try table.requireSubsets(source: scores, for: "stats")
        var summaries = SubsetSummary.of(table)
        var tests = SubsetTest.paperTests(table, welch: welch)
        if let a = a?.subset, let b = b?.subset {
            summaries = summaries.filter { $0.subset == a || $0.subset == b }
            tests = [SubsetTest.between(a, b, in: table, welch: welch, alternative: alternative.alternative)]
        }
        if json {
            print(SubsetTest.json(summaries, tests).text)
            return
        }
        print("\(scores): \(table.count) points" + (joined.map { " (\($0))" } ?? "") + "\n")
        var subsets = TextTable("subset", "n", "mean", "std", "95% CI of the mean")
        for s in summaries {
            let ci = s.score.meanInterval()
            subsets.add(
                s.subset.description, "\(s.score.count)", fixed(s.score.mean), fixed(s.score.standardDeviation),
                "[\(fixed(ci.lower)), \(fixed(ci.upper))]")
        }
        print(subsets.text)
        let variant = welch ? "Welch, unequal variances" : "Student, pooled variance"
        if a != nil {
            print("\nTwo-sample t-test, \(alternative.rawValue) (\(variant))")
            print(Self.table(tests))
            for test in tests {
                if let reason = test.result.notComputable { print("\(test.hypothesis): not computable: \(reason)") }
            }
            return
        }
        print("\nTwo-sample t-tests, one-sided (\(variant)) — paper Table 2")
        print(Self.table(tests.filter { $0.b != nil }))
        print("\nOne-sample t-tests against 0 — paper Table 16")
        print(Self.table(tests.filter { $0.b == nil }))
        for test in tests {
            if let reason = test.result.notComputable { print("\(test.hypothesis): not computable: \(reason)") }
        }
        print(
            """

            t is the statistic; the paper's "effect size" column (86.82, 60.44, …) reports t, not Cohen's d.
            p-values below 2.2e-308 underflow and print as 0.
            """)
    }

    static func table(_ tests: [SubsetTest]) -> String {
        var table = TextTable("hypothesis", "t", "df", "p", "Cohen's d", "Hedges' g")
        for test in tests {
            let r = test.result
            table.add(
                test.hypothesis, fixed(r.statistic, 3), NumberFormat.degreesOfFreedom(r.degreesOfFreedom),
                scientific(r.pValue),
                fixed(r.cohensD, 3), fixed(r.hedgesG, 3))
        }
        return table.text
    }
}

/// `--a`/`--b` of `stats`: one of the four subsets, by name.
enum SubsetName: String, CaseIterable, ExpressibleByArgument {
    case shared, candidate, independent, extra

    var subset: Subset { Subset(name: rawValue)! }
}

/// `--alternative` of `stats --a/--b`.
enum AlternativeName: String, CaseIterable, ExpressibleByArgument {
    case greater, less
    case twoSided = "two-sided"

    var alternative: Alternative { Alternative(rawValue: rawValue)! }
}
