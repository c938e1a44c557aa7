import Foundation
import Testing
@testable import SSLMemCore
@testable import SSLMemIO

/// Bad input gives one error naming the file, the dataset and the point.
@Suite struct InputErrorTests {
    let directory = TemporaryDirectory()

    func score(_ f: SyntheticDump, _ g: SyntheticDump) throws -> ScoresTable {
        try f.write(to: directory.file("f.h5"))
        try g.write(to: directory.file("g.h5"))
        return try Memorization.score(f: [directory.file("f.h5")], g: [directory.file("g.h5")])
    }

    func pair(points: Int = 16) -> (SyntheticDump, SyntheticDump) {
        let f = SyntheticDump(points: points, views: 3, dim: 8, seed: 1)
        var g = SyntheticDump(points: points, views: 3, dim: 8, seed: 2)
        g.index = f.index
        g.trainedOn = ["shared", "independent"]
        return (f, g)
    }

    func expectError(
        _ body: () throws -> Void, file: String? = nil, dataset: String?, point: Int64? = nil, containing text: String
    ) {
        do {
            try body()
            Issue.record("no error; expected one containing \"\(text)\"")
        } catch let error as SSLMemError {
            if let file { #expect(error.file == file) }
            #expect(error.dataset == dataset)
            #expect(error.point == point)
            #expect(error.message.contains(text), "\(error)")
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func healthyPairScores() throws {
        let (f, g) = pair()
        #expect(try score(f, g).count == 16)
        directory.remove()
    }

    @Test func nanViewNamesThePoint() {
        var (f, g) = pair()
        f.views[5 * 24 + 9] = .nan  // point in row 5, view 1
        expectError({ _ = try score(f, g) }, file: directory.file("f.h5"), dataset: "/views/representations",
                    point: f.index[5], containing: "view 1 holds NaN or Inf")
        directory.remove()
    }

    @Test func zeroViewNamesThePoint() {
        var (f, g) = pair()
        for i in 0..<8 { g.views[(3 * 3 + 2) * 8 + i] = 0 }
        expectError({ _ = try score(f, g) }, file: directory.file("g.h5"), dataset: "/views/representations",
                    point: g.index[3], containing: "view 2 is a zero vector")
        directory.remove()
    }

    @Test func differentPointsAreCounted() {
        var (f, g) = pair()
        g.index[0] = 100_000
        g.index[1] = 100_001
        expectError({ _ = try score(f, g) }, dataset: "/points/index",
                    containing: "2 points of \(directory.file("f.h5")) are missing here")
        directory.remove()
    }

    @Test func duplicateIndexIsAnError() {
        var (f, g) = pair()
        f.index[3] = f.index[9]
        g.index = f.index
        expectError({ _ = try score(f, g) }, dataset: "/points/index", point: f.index[9], containing: "duplicate index")
        directory.remove()
    }

    @Test func trainedOnMustMatchTheRole() {
        var (f, g) = pair()
        g.trainedOn = ["shared", "candidate"]
        expectError({ _ = try score(f, g) }, file: directory.file("g.h5"), dataset: nil,
                    containing: "given as --g but trained_on is [shared, candidate]")
        directory.remove()
    }

    @Test func singleViewIsAnError() {
        var (f, g) = pair()
        f.k = 1
        f.views = Array(f.views.prefix(16 * 8))
        expectError({ _ = try score(f, g) }, dataset: "/views/representations", containing: "K ≥ 2")
        directory.remove()
    }

    @Test func subsetCodeOutOfRange() {
        var (f, g) = pair()
        f.subset[4] = 7
        expectError({ _ = try score(f, g) }, dataset: "/points/subset", point: f.index[4], containing: "subset code 7")
        directory.remove()
    }

    @Test func missingDatasetAndNonHDF5File() throws {
        let path = directory.file("f.h5")
        let file = try HDF5File(creating: path)
        try file.setAttribute("sslmem_format", .strings(["representations"]))
        try file.setAttribute("trained_on", .strings(["shared", "candidate"]))
        try file.write("/points/index", [Int64(1), 2])
        expectError({ _ = try RepresentationsFile(path: path) }, file: path, dataset: "/points/subset",
                    containing: "missing dataset")
        let text = directory.file("notes.h5")
        _ = FileManager.default.createFile(atPath: text, contents: Data("hello".utf8))
        expectError({ _ = try RepresentationsFile(path: text) }, file: text, dataset: nil, containing: "not an HDF5 file")
        directory.remove()
    }

    @Test func originalPairingNeedsTheOriginalView() {
        let (f, g) = pair()
        expectError({
            try f.write(to: directory.file("f.h5"))
            try g.write(to: directory.file("g.h5"))
            _ = try Memorization.score(f: [directory.file("f.h5")], g: [directory.file("g.h5")],
                                       options: AlignmentOptions(pairing: .original))
        }, dataset: "/views/original", containing: "missing dataset")
        directory.remove()
    }

    @Test func failedWriteLeavesNothing() throws {
        let (f, g) = pair()
        let table = try score(f, g)
        let target = directory.file("missing-dir/scores.csv")
        expectError({ try table.write(to: target) }, file: target, dataset: nil, containing: "does not exist")
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        expectError({ try table.write(to: directory.path) }, dataset: nil, containing: "cannot write")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
        directory.remove()
    }
}
