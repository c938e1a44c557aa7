import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemStats

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

    @Argument(help: "Two or more scores files (.csv, .h5, or .mat), or per-point scores from other tools (index and a score column).")
    var scores: [String]

    @Option(help: "Score column of per-point files from other tools (default: score).")
    var column: String?

    @Option(help: "Names of the runs, comma-separated (default: the file names).")
    var names: String?

    @Option(help: "Subset to compare: shared, candidate, independent, extra, or all.")
    var subset: String = "candidate"

    @Option(help: "Sizes X of the top-X overlap, comma-separated.")
    var top: String = "10,20,50,75,100,150,200"

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        guard scores.count >= 2 else { throw ValidationError("give at least two scores files") }
        guard subset == "all" || Subset(name: subset) != nil else {
            throw ValidationError("--subset must be shared, candidate, independent, extra or all")
        }
        guard let sizes = Optional(top.split(separator: ",").compactMap { Int($0) }), !sizes.isEmpty,
              sizes.count == top.split(separator: ",").count, sizes.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--top takes positive whole numbers, comma-separated")
        }
        if let names, names.split(separator: ",").count != scores.count {
            throw ValidationError("--names must name each of the \(scores.count) runs")
        }
    }

    func run() throws {
        let tables = try scores.map { try ScoresTable(file: $0, column: column) }
        let runNames = names.map { $0.split(separator: ",").map(String.init) }
            ?? scores.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        let sizes = top.split(separator: ",").compactMap { Int($0) }
        let comparison = try RunComparison(tables, names: runNames, subset: Subset(name: subset), tops: sizes)
        if json {
            print(comparison.json.text)
            return
        }
        print("Kendall's tau-b between runs' \(subset) scores (p two-sided, n points joined on index) — paper Table 13")
        for (name, table) in zip(runNames, tables) where !table.known.contains(.subset) {
            print("\(name): \(table.count) points without subsets; the first run with subsets gives them (common points only)")
        }
        var matrix = TextTable(["run"] + runNames)
        for (i, row) in comparison.kendall.enumerated() {
            matrix.add([runNames[i]] + row.map { "\(fixed($0.tau, 3)) (p \(scientific($0.pValue)), n \($0.count))" })
        }
        print(matrix.text)
        for pair in comparison.pairs {
            print("\nTop-X overlap, \(runNames[pair.a]) vs \(runNames[pair.b]) — paper Table 12")
            var table = TextTable("X", "overlap", "tau-b on the common points", "p", "n")
            for t in pair.top {
                table.add("\(t.x)", fixed(100 * t.overlap, 1) + "%", fixed(t.kendall.tau, 3),
                          scientific(t.kendall.pValue), "\(t.kendall.count)")
            }
            print(table.text)
        }
    }
}
