import Foundation
import SSLMemFigures
import SSLMemHDF5
import SSLMemReport
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemAnalysis
@testable import SSLMemCore
@testable import SSLMemIO

/// The malformed-input suite: each broken input gives one error naming the
/// file, the dataset and (where it applies) the point, and leaves no output.
@Suite struct InputErrorTests {
    enum Role { case f, g }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Breaks the pair before it is written.
        var edit: @Sendable (inout SyntheticDump, inout SyntheticDump) -> Void = { _, _ in }
        /// Damages the written files (paths of f and g).
        var damage: @Sendable (String, String) throws -> Void = { _, _ in }
        var options = AlignmentOptions()
        var output = "scores.csv"
        /// Which file the error names, nil when none.
        var file: Role?
        var dataset: String?
        /// Row of the point the error names (same row in f and g).
        var row: Int?
        var text: String
        var testDescription: String { name }
    }

    static func flipInsideFirstChunk(of path: String) throws {
        let (offset, size, _) = try HDF5File(reading: path).dataset("/views/representations").chunkLocation(atRow: 0)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset + UInt64(size / 2))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 16))
        try handle.close()
    }

    static func truncate(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: path))
    }

    static let cases: [Case] = [
        Case(
            name: "not an HDF5 file", damage: { f, _ in try Data("hello".utf8).write(to: URL(fileURLWithPath: f)) },
            file: .f, text: "not an HDF5 file"),
        Case(
            name: "truncated file",
            edit: { f, _ in
                f.chunkRows = 4
                f.deflate = 1
            },
            damage: { f, _ in try truncate(f) }, file: .f, text: "truncated"),
        Case(
            name: "bytes flipped inside a chunk",
            edit: { f, _ in
                f.chunkRows = 4
                f.deflate = 1
            },
            damage: { f, _ in try flipInsideFirstChunk(of: f) }, file: .f, dataset: "/views/representations",
            text: "corrupt chunk"),
        Case(
            name: "/points/index missing", edit: { f, _ in f.omit = ["/points/index"] }, file: .f,
            dataset: "/points/index", text: "missing"),
        Case(
            name: "/points/subset missing", edit: { _, g in g.omit = ["/points/subset"] }, file: .g,
            dataset: "/points/subset", text: "missing"),
        Case(
            name: "/views/representations missing", edit: { f, _ in f.omit = ["/views/representations"] }, file: .f,
            dataset: "/views/representations", text: "missing"),
        Case(
            name: "root attribute trained_on missing", edit: { f, _ in f.omit = ["trained_on"] }, file: .f,
            text: "trained_on (string array) is missing"),
        Case(
            name: "root attribute sslmem_format missing", edit: { _, g in g.omit = ["sslmem_format"] }, file: .g,
            text: "sslmem_format is missing"),
        Case(
            name: "/points/index of rank 2",
            edit: { f, _ in
                let index = f.index
                f.replace["/points/index"] = { file in
                    _ = try index.withUnsafeBytes {
                        try file.write(
                            "/points/index", shape: [index.count, 1], type: Int64.hdf5Type, bytes: $0.baseAddress!)
                    }
                }
            }, file: .f, dataset: "/points/index", text: "expected rank 1"),
        Case(
            name: "/views/representations of rank 2",
            edit: { f, _ in
                let (n, k, d, views) = (f.count, f.k, f.d, f.views)
                f.replace["/views/representations"] = { file in
                    try file.write("/views/representations", shape: [n, k * d], values: views, storedAs: .single)
                }
            }, file: .f, dataset: "/views/representations", text: "expected at least 3"),
        Case(
            name: "integer representations",
            edit: { f, _ in
                let (n, k, d) = (f.count, f.k, f.d)
                f.replace["/views/representations"] = { file in
                    let values = [Int64](repeating: 1, count: n * k * d)
                    _ = try values.withUnsafeBytes {
                        try file.write(
                            "/views/representations", shape: [n, k, d], type: Int64.hdf5Type,
                            bytes: $0.baseAddress!)
                    }
                }
            }, file: .f, dataset: "/views/representations", text: "expected float16 or float32"),
        Case(
            name: "K = 1",
            edit: { f, _ in
                f.k = 1
                f.views = Array(f.views.prefix(16 * 8))
            }, file: .f,
            dataset: "/views/representations", text: "K ≥ 2"),
        Case(
            name: "subset code 7", edit: { f, _ in f.subset[4] = 7 }, file: .f, dataset: "/points/subset", row: 4,
            text: "subset code 7"),
        Case(
            name: "duplicate index",
            edit: { f, g in
                f.index[3] = f.index[9]
                g.index = f.index
            }, file: .f,
            dataset: "/points/index", row: 9, text: "duplicate index"),
        Case(
            name: "f and g hold different points",
            edit: { _, g in
                g.index[0] = 100_000
                g.index[1] = 100_001
            },
            file: .g, dataset: "/points/index", text: "2 points of"),
        Case(
            name: "subset differs between f and g", edit: { _, g in g.subset[2] = (g.subset[2] + 1) % 4 }, file: .g,
            dataset: "/points/subset", row: 2, text: "here but"),
        Case(
            name: "NaN in a view", edit: { f, _ in f.views[5 * 24 + 9] = .nan }, file: .f,
            dataset: "/views/representations", row: 5, text: "view 1 holds NaN or Inf"),
        Case(
            name: "Inf in a view", edit: { _, g in g.views[7 * 24] = .infinity }, file: .g,
            dataset: "/views/representations", row: 7, text: "view 0 holds NaN or Inf"),
        // The same refusals when the views are stored as float16 (decoded by table, HalfPrecision.swift) or float64.
        Case(
            name: "NaN in a float16 view",
            edit: { f, _ in
                f.storage = .half
                f.views[6 * 24 + 17] = .nan
            }, file: .f,
            dataset: "/views/representations", row: 6, text: "view 2 holds NaN or Inf"),
        Case(
            name: "-Inf in a float16 view (shuffled, gzip)",
            edit: { _, g in
                g.storage = .half
                g.chunkRows = 4
                g.shuffle = true
                g.deflate = 1
                g.views[2 * 24 + 8] = -.infinity
            }, file: .g, dataset: "/views/representations", row: 2, text: "view 1 holds NaN or Inf"),
        Case(
            name: "a value beyond float16's range (stored as Inf)",
            edit: { f, _ in
                f.storage = .half
                f.views[9 * 24 + 3] = 1e6
            }, file: .f, dataset: "/views/representations", row: 9, text: "view 0 holds NaN or Inf"),
        Case(
            name: "NaN in a float64 view",
            edit: { _, g in
                g.storage = .double
                g.views[4 * 24 + 20] = .nan
            }, file: .g,
            dataset: "/views/representations", row: 4, text: "view 2 holds NaN or Inf"),
        Case(
            name: "zero vector", edit: { _, g in for i in 0..<8 { g.views[(3 * 3 + 2) * 8 + i] = 0 } }, file: .g,
            dataset: "/views/representations", row: 3, text: "view 2 is a zero vector"),
        Case(
            name: "trained_on contradicts --g", edit: { _, g in g.trainedOn = ["shared", "candidate"] }, file: .g,
            text: "given as --g but trained_on is [shared, candidate]"),
        Case(
            name: "/points/label of the wrong length", edit: { f, _ in f.labels = [1, 2, 3] }, file: .f,
            dataset: "/points/label", text: "has 3 rows, /points/index has 16"),
        Case(
            name: "fewer representation rows than points",
            edit: { f, _ in
                let (k, d, views) = (f.k, f.d, f.views)
                f.replace["/views/representations"] = { file in
                    try file.write(
                        "/views/representations", shape: [10, k, d], values: Array(views.prefix(10 * k * d)),
                        storedAs: .single)
                }
            }, file: .f, dataset: "/views/representations", text: "has 10 rows, /points/index has 16"),
        Case(
            name: "pairing original without /views/original", options: AlignmentOptions(pairing: .original),
            file: .f, dataset: "/views/original", text: "missing dataset"),
        Case(
            name: "original view of another length",
            edit: { f, g in
                f.original = Array(repeating: 1, count: 16 * 8)
                g.original = Array(repeating: 1, count: 16 * 8)
                f.replace["/views/original"] = { file in
                    try file.write(
                        "/views/original", shape: [16, 5], values: Array(repeating: 1, count: 80), storedAs: .single)
                }
            }, options: AlignmentOptions(pairing: .original), file: .f, dataset: "/views/original",
            text: "holds vectors of length 5"),
        Case(name: "output directory missing", output: "no/such/dir/scores.csv", text: "does not exist"),
        Case(name: "output directory not writable", output: "/proc/sslmem-scores.csv", text: "cannot write")
    ]

    @Test(arguments: cases)
    func brokenInputIsOneErrorAndNoOutput(_ c: Case) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var f = SyntheticDump(points: 16, views: 3, dim: 8, seed: 1)
        var g = SyntheticDump(points: 16, views: 3, dim: 8, seed: 2)
        g.index = f.index
        g.trainedOn = ["shared", "independent"]
        c.edit(&f, &g)
        let paths = (f: directory.file("f.h5"), g: directory.file("g.h5"))
        try f.write(to: paths.f)
        try g.write(to: paths.g)
        try c.damage(paths.f, paths.g)
        let output = c.output.hasPrefix("/") ? c.output : directory.file(c.output)
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let error = #expect(throws: SSLMemError.self) {
            try Memorization.score(f: [paths.f], g: [paths.g], options: c.options).write(to: output)
        }
        guard let error else { return }
        #expect(error.file == c.file.map { $0 == .f ? paths.f : paths.g } ?? error.file)
        if c.file == nil && c.dataset == nil { #expect(error.file == output) }
        #expect(error.dataset == c.dataset, "\(error)")
        #expect(error.point == c.row.map { (c.file == .g ? g : f).index[$0] }, "\(error)")
        #expect(error.message.contains(c.text), "\(error)")
        #expect(!error.description.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
    }

    @Test func newerHDF5FormatIsExplained() {
        let path = Repository.fixture("malformed/libver_latest.h5")
        let error = #expect(throws: SSLMemError.self) {
            try FileAlignment.alignments(
                of: RepresentationsFile(path: path), options: AlignmentOptions())
        }
        #expect(error?.file == path && error?.dataset == "/views/representations")
        #expect(error?.message.contains("libver=(\"earliest\", \"v110\")") == true, "\(String(describing: error))")
    }

    @Test func imagesOfOtherPointsAreAnError() throws {
        let table = try Memorization.score(
            f: [Repository.fixture("simclr_f.h5")], g: [Repository.fixture("simclr_g.h5")])
        var shifted = table
        shifted.index = table.index.map { $0 + 1_000_000 }
        let images = try ImagesFile(path: Repository.fixture("images.h5"))
        let error = #expect(throws: SSLMemError.self) {
            try PaperFigure.memorizedImages(shifted, images: images, most: true, width: .single)
        }
        #expect(error?.file == images.path && error?.dataset == "/index")
        #expect(error?.message.contains("none of the candidates") == true)
    }

    /// No extra points: the tests that need them are marked not computable, and the report still renders.
    @Test func emptySubsetIsMarkedNotComputable() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var f = SyntheticDump(points: 24, views: 3, dim: 8, seed: 1)
        f.subset = f.subset.map { $0 == 3 ? 0 : $0 }
        var g = SyntheticDump(points: 24, views: 3, dim: 8, seed: 2)
        g.index = f.index
        g.subset = f.subset
        g.trainedOn = ["shared", "independent"]
        try f.write(to: directory.file("f.h5"))
        try g.write(to: directory.file("g.h5"))
        let report = try RunReport(
            .init(
                f: [directory.file("f.h5")], g: [directory.file("g.h5")], images: nil,
                checkpoints: nil, logs: [], title: nil, options: AlignmentOptions(),
                commandLine: "test"))
        let extra = report.tests.filter { $0.a == .extra || $0.b == .extra }
        #expect(extra.count == 3 && extra.allSatisfy { $0.result.notComputable != nil })
        let paths = try ReportWriter.write(
            report, to: directory.file("report"),
            templates: ReportTemplates(folder: Repository.root + "/templates"))
        let html = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(html.contains("not computable"))
    }

    @Test func dejaVuCropsMustBeFiniteAndKnown() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        func pair(_ name: String, crop: [Double], cropIndex: (SyntheticDump) -> [Int64]) throws
            -> (RepresentationsFile, RepresentationsFile)
        {
            var f = SyntheticDump(points: 8, views: 2, dim: 3, seed: 1)
            var g = SyntheticDump(points: 8, views: 2, dim: 3, seed: 1)
            g.trainedOn = ["shared", "independent"]
            for i in [0, 1] {
                let dump = i == 0 ? f : g
                let group = SyntheticDump.DejaVuGroup(
                    crop: crop, cropIndex: cropIndex(dump), publicRows: [0, 0, 1, 1],
                    publicLabel: [0, 1], length: 2)
                if i == 0 { f.dejavu = group } else { g.dejavu = group }
            }
            try f.write(to: directory.file("\(name)-f.h5"))
            try g.write(to: directory.file("\(name)-g.h5"))
            return (
                try RepresentationsFile(path: directory.file("\(name)-f.h5")),
                try RepresentationsFile(path: directory.file("\(name)-g.h5"))
            )
        }
        let targets = { (d: SyntheticDump) in
            d.index.indices.filter { [1, 2].contains(d.subset[$0]) }.map { d.index[$0] }
        }
        let (f, g) = try pair("nan", crop: [0, 0, .nan, 1, 0, 1, 1, 0], cropIndex: targets)
        let nan = #expect(throws: SSLMemError.self) { try DejaVuAttack(f: f, g: g, k: 1) }
        #expect(
            nan?.dataset == "/dejavu/crop"
                && nan?.point == targets(SyntheticDump(points: 8, views: 2, dim: 3, seed: 1))[1])
        let (f2, g2) = try pair("unknown", crop: [0, 0, 1, 1], cropIndex: { _ in [999, 998] })
        let unknown = #expect(throws: SSLMemError.self) { try DejaVuAttack(f: f2, g: g2, k: 1) }
        #expect(unknown?.dataset == "/dejavu/crop_index" && unknown?.point == 999)
    }
}
