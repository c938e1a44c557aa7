import ArgumentParser
import SSLMemIO

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a layout-v1 file holds and list every way it departs from the layout.")

    @Argument(help: "A representations or images file.")
    var file: String

    func run() throws {
        try requireInputs([file])
        let inspection = try LayoutInspection(path: file)
        print("\(file): \(inspection.format ?? "unknown format")")
        print("attributes:")
        for (name, value) in inspection.attributes { print("  \(name) = \(value)") }
        print("datasets:")
        var table = TextTable("path", "shape", "type", "storage")
        for d in inspection.datasets {
            table.add(d.path, "[" + d.shape.map(String.init).joined(separator: ", ") + "]", d.type, d.storage)
        }
        print(table.text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        if !inspection.subsetCounts.isEmpty {
            let counts = Subset.allCases.map { "\($0) \(inspection.subsetCounts[$0] ?? 0)" }
            print("points: \(inspection.subsetCounts.values.reduce(0, +)) (\(counts.joined(separator: ", ")))")
        }
        if let views = inspection.datasets.first(where: { $0.path == "/views/representations" }), views.shape.count >= 3 {
            print("views: K = \(views.shape[1]), D = \(views.shape.dropFirst(2).reduce(1, *))")
        }
        if inspection.isValid {
            print("valid layout v1")
        } else {
            print("NOT valid layout v1: \(inspection.problems.count) problem(s)")
            for problem in inspection.problems { print("  - \(problem)") }
            throw ExitCode(2)
        }
    }
}
