import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Kendall's tau-b between runs' scores (paper Table 13) and their top-X overlap (Table 12).",
        discussion: """
            Each pair of runs is joined on the point index, over the points both scored in --subset. \
            tau-b with ties; p two-sided, exact without ties for n ≤ 33, else the normal approximation with \
            the tie-corrected variance (as scipy.stats.kendalltau). Top-X overlap: share of the X highest-scored \
            points (ties to the lower index) common to both runs, with tau-b over those common points.
            """)

    @Argument(
        help:
            "Two or more scores files (.csv, .h5, or .mat), or per-point scores from other tools (index and a score column)."
    )
    var scores: [String]

    @Option(help: "Score column of per-point files from other tools (default: score).")
    var column: String?

    @Option(
        help: ArgumentHelp("Names of the runs, comma-separated (default: the file names).", valueName: "name,name,…"))
    var names: CommaSeparated<String>?

    @Option(help: "Subset to compare.")
    var subset: SubsetChoice = .candidate

    @Option(
        help: ArgumentHelp(
            "Sizes X of the top-X overlap, comma-separated (default: 10,20,50,75,100,150,200, those that fit the points compared).",
            valueName: "x,x,…"))
    var top: CommaSeparated<Int>?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    static let defaultTops = Conventions.defaults.topX

    func validate() throws {
        guard scores.count >= 2 else { throw ValidationError("give at least two scores files") }
        if let top, top.values.contains(where: { $0 < 1 }) {
            throw ValidationError("--top takes positive whole numbers, comma-separated")
        }
        if let names, names.values.count != scores.count {
            throw ValidationError("--names must name each of the \(scores.count) runs")
        }
    }

    /// The sizes given, or the defaults that fit the fewest points two runs share in the subset.
    func tops(_ tables: [ScoresTable]) -> [Int] {
        if let top { return top.values }
        var shared = Int.max
        for i in tables.indices {
            let keys = Set(
                tables[i].index.indices.filter { subset.subset == nil || tables[i].subset[$0] == subset.subset }
                    .map { tables[i].index[$0] })
            for j in tables.indices where j > i {
                let common = tables[j].index.indices.filter {
                    (subset.subset == nil || tables[j].subset[$0] == subset.subset)
                        && keys.contains(tables[j].index[$0])
                }.count
                shared = min(shared, common)
            }
        }
        let (kept, skipped) = sizesThatFit(Self.defaultTops, limit: shared)
        if !skipped.isEmpty {
            note(
                "the runs share \(shared) \(subset.rawValue) points: default top-X sizes "
                    + skipped.map(String.init).joined(separator: ", ") + " skipped")
        }
        return kept
    }

    func run() throws {
        try requireInputs(scores)
        let tables = try scores.map { try ScoresTable(file: $0, column: column) }
        let runNames =
            names?.values
            ?? scores.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        let comparison = try RunComparison(tables, names: runNames, subset: subset.subset, tops: tops(tables))
        // Caveats on stderr, after the results: top-X overlaps not above chance, and runs whose f files (named
        // in a scores .h5's provenance; a .csv records none) differ in a training attribute.
        let attributes = zip(scores, runNames).compactMap { path, name in
            path.hasSuffix(".h5") ? try? RunSource(path, name: name, column: column) : nil
        }
        // Runs of one setup (the same --names label, or method · architecture · dataset of a scores .h5's f files)
        // are seeds: setups are tested over seeds (Welch, two-sided), as comparison.json's method_tests.
        let sources = zip(scores, runNames).enumerated().map { i, pair in
            attributes.first { $0.name == pair.1 && $0.inputs == [pair.0] }
                ?? RunSource(name: pair.1, table: tables[i], attributes: [:], summary: nil, inputs: [pair.0])
        }
        let groups = RunGroup.bySetup(sources)
        let methodTests = MethodTest.pairs(groups)
        defer { warn(Caveats.runAttributes(attributes) + Caveats.comparison(comparison) + Caveats.seeds(groups)) }
        if json {
            guard !methodTests.isEmpty, case .object(var members) = comparison.json else {
                print(comparison.json.text)
                return
            }
            members.append(("method_tests", (try? JSONValueEncoder.encode(methodTests)) ?? .null))
            print(JSONValue.finiteAsText(.object(members)).text)
            return
        }
        print(
            "Kendall's tau-b between runs' \(subset.rawValue) scores (p two-sided, n points joined on index) — paper Table 13"
        )
        for (name, table) in zip(runNames, tables) where !table.known.contains(.subset) {
            print(
                "\(name): \(table.count) points without subsets; the first run with subsets gives them (common points only)"
            )
        }
        var matrix = TextTable(["run"] + runNames)
        for (i, row) in comparison.kendall.enumerated() {
            matrix.add([runNames[i]] + row.map { "\(fixed($0.tau, 3)) (p \(scientific($0.pValue)), n \($0.count))" })
        }
        print(matrix.text)
        for pair in comparison.pairs {
            print("\nTop-X overlap, \(runNames[pair.a]) vs \(runNames[pair.b]) — paper Table 12")
            var table = TextTable("X", "overlap", "chance", "p (chance)", "tau-b on the common points", "p", "n")
            for t in pair.top {
                table.add(
                    "\(t.x)", NumberFormat.percent(t.overlap), NumberFormat.percent(t.expectedOverlap),
                    scientific(t.chancePValue), fixed(t.kendall.tau, 3), scientific(t.kendall.pValue),
                    "\(t.kendall.count)")
            }
            print(table.text)
            print(
                "chance: expected overlap of two random rankings (X/n); p (chance): hypergeometric P(overlap >= observed)"
            )
        }
        if !methodTests.isEmpty {
            print(
                "\nSetups over seeds: Welch's t-test, two-sided, each run one observation (runs of one --names label or setup are seeds)"
            )
            var table = TextTable("statistic", "setups", "seeds", "mean A", "mean B", "t", "df", "p")
            for t in methodTests {
                table.add(
                    t.statistic.rawValue, "\(t.a) vs \(t.b)", "\(t.nA) + \(t.nB)", fixed(t.meanA, 4), fixed(t.meanB, 4),
                    fixed(t.t, 3), NumberFormat.degreesOfFreedom(t.df), scientific(t.p))
            }
            print(table.text)
        }
    }
}
