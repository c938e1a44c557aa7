import ArgumentParser
import SSLMemHDF5
import SSLMemIO
import SSLMemModel

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a layout-v1 file holds and list every way it departs from the layout.",
        discussion: """
            sslmem's own outputs are recognised too: a scores file (.csv or .h5), a shard of alignments \
            (score --shard) and a selection.h5 (select), with their points and options.
            """)

    @Argument(help: "A representations or images file, or a scores, alignments or selection file.")
    var file: String

    func run() throws {
        try requireInputs([file])
        if let kind = OutputFileKind.of(file) {
            try describe(kind)
            return
        }
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
        if let views = inspection.datasets.first(where: { $0.path == "/views/representations" }), views.shape.count >= 3
        {
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

    /// One of sslmem's outputs: what it is, its points per subset and its recorded options.
    func describe(_ kind: OutputFileKind) throws {
        func counts(_ subsets: [Subset]) -> String {
            "points: \(subsets.count) ("
                + Subset.allCases.map { s in "\(s) \(subsets.filter { $0 == s }.count)" }
                .joined(separator: ", ") + ")"
        }
        switch kind {
        case .scores:
            let table = try ScoresTable(file: file)
            print("\(file): scores file (sslmem score), columns " + ScoresTable.columns.joined(separator: ","))
            print(counts(table.subset))
            for (name, value) in table.provenance { print("  \(name) = \(value)") }
        case .alignments:
            let table = try AlignmentsTable(path: file)
            print(
                "\(file): shard \(table.shard) of \(table.shards) of alignments (sslmem score --shard), for sslmem merge"
            )
            print(counts(table.subset))
            for (name, value) in table.provenance { print("  \(name) = \(value)") }
        case .selection:
            let inspection = try LayoutInspection(path: file)
            print("\(file): selection (sslmem select): index lists for retraining")
            for (name, value) in inspection.attributes where name != "sslmem_format" { print("  \(name) = \(value)") }
            let h5 = try HDF5File(reading: file)
            let sizes =
                (try h5.attribute("sizes")).flatMap { value -> [Int64]? in
                    if case .integers(let sizes) = value { return sizes } else { return nil }
                } ?? []
            for kind in ["top", "random"] {
                let present = sizes.filter { h5.exists("/\(kind)/\($0)") }
                print("\(kind) lists: " + (present.isEmpty ? "none" : present.map(String.init).joined(separator: ", ")))
            }
        }
    }
}
