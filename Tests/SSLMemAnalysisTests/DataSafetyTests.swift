import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemSupport
import SSLMemTestSupport
import Testing

/// The data-safety rule (`OutputGuard`): an output never replaces an input nor
/// a file sslmem did not write. Each case of issue 16 checks that the files
/// beside the output are byte for byte what they were. The same cases run
/// end to end through the CLI in scripts/checks/data_safety_check.sh.
@Suite struct DataSafetyTests {
    /// Every regular file under `folder` (relative path → bytes).
    func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)
        while let path = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files[path] = FileManager.default.contents(atPath: folder + "/" + path)
            }
        }
        return files
    }

    func selection() throws -> PointSelection {
        let scores = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        return try PointSelection(scores, sizes: [5, 10])
    }

    func write(_ text: String, _ path: String) {
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    @Test func theCurrentDirectoryAFolderAboveItAndRootAreRefused() throws {
        let cwd = FileManager.default.currentDirectoryPath
        for folder in [cwd, ".", "./", (cwd as NSString).deletingLastPathComponent, "/"] {
            #expect(throws: SSLMemError.self) { try OutputGuard.checkFolder(folder, kind: "report") }
            #expect(throws: SSLMemError.self) { try OutputGuard.checkFolder(folder, kind: "report", force: true) }
        }
    }

    @Test func aFolderHoldingAnInputIsRefusedEvenForced() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        write("index,subset\n", temp.file("data/run/f.h5"))
        for folder in [temp.file("data"), temp.file("data/run"), temp.path] {
            #expect(throws: SSLMemError.self) {
                try OutputGuard.checkFolder(folder, kind: "report", inputs: [temp.file("data/run/f.h5")], force: true)
            }
        }
        try OutputGuard.checkFolder(temp.file("data/other"), kind: "report", inputs: [temp.file("data/run/f.h5")])
    }

    /// `select --out fixtures/simclr_f.h5` replaced the dump with a folder.
    @Test func aFolderOutputNeverReplacesAFile() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let dump = temp.file("simclr_f.h5")
        try FileManager.default.copyItem(atPath: Repository.fixture("simclr_f.h5"), toPath: dump)
        let before = snapshot(temp.path)
        #expect(throws: SSLMemError.self) { try selection().write(to: dump, scoresFile: "scores.csv") }
        #expect(throws: SSLMemError.self) { try selection().write(to: dump, scoresFile: "scores.csv", force: true) }
        #expect(snapshot(temp.path) == before)
    }

    /// `report … --out myfolder` removed the user's myfolder/notes.txt.
    @Test func aForeignNonEmptyFolderIsRefusedAndForcedOnlyAddsBesideItsFiles() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let folder = temp.file("myfolder")
        write("my notes\n", folder + "/notes.txt")
        write("keep\n", folder + "/sub/keep.txt")
        let before = snapshot(folder)
        #expect(throws: SSLMemError.self) { try selection().write(to: folder, scoresFile: "scores.csv") }
        #expect(snapshot(folder) == before)
        try selection().write(to: folder, scoresFile: "scores.csv", force: true)
        let after = snapshot(folder)
        #expect(after["notes.txt"] == before["notes.txt"] && after["sub/keep.txt"] == before["sub/keep.txt"])
        #expect(after["top-5.txt"] != nil && after["selection.h5"] != nil)
        #expect(OutputFolderMarker(folder: folder)?.files == ["selection.h5", "top-10.txt", "top-5.txt"])
    }

    @Test func forcedOutputNeverReplacesAFileOfTheSameNameSslmemDidNotWrite() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let folder = temp.file("lists")
        write("my own top five\n", folder + "/top-5.txt")
        let before = snapshot(folder)
        #expect(throws: SSLMemError.self) { try selection().write(to: folder, scoresFile: "scores.csv", force: true) }
        #expect(snapshot(folder) == before)
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + OutputFolderMarker.name))
    }

    @Test func anEarlierOutputOfTheSameKindIsReplacedButNotItsNeighbours() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let folder = temp.file("lists")
        let scores = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        try PointSelection(scores, sizes: [5, 7]).write(to: folder, scoresFile: "a.csv")
        write("notes\n", folder + "/notes.txt")
        try PointSelection(scores, sizes: [5, 10]).write(to: folder, scoresFile: "a.csv")
        let after = snapshot(folder)
        #expect(after["top-7.txt"] == nil, "an earlier sslmem file no longer written is removed")
        #expect(after["top-10.txt"] != nil && after["notes.txt"] == Data("notes\n".utf8))
        // Another kind's folder is not this kind's.
        #expect(throws: SSLMemError.self) { try OutputGuard.checkFolder(folder, kind: "report") }
    }

    @Test func aFailedBuildLeavesTheFolderUntouched() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let folder = temp.file("lists")
        try selection().write(to: folder, scoresFile: "a.csv")
        let before = snapshot(folder)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try AtomicOutput.writeDirectory(folder, kind: "selection") { temporary in
                write("half", temporary + "/top-5.txt")
                throw Stop()
            }
        }
        #expect(snapshot(folder) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == ["lists"])
    }

    /// `score --f f.h5 --g g.h5 --out g.h5` replaced the g dump with scores.
    @Test func aFileOutputIsNeverAnInputByPathOrInode() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let g = temp.file("g.h5")
        try FileManager.default.copyItem(atPath: Repository.fixture("simclr_g.h5"), toPath: g)
        try FileManager.default.linkItem(atPath: g, toPath: temp.file("link.h5"))
        for out in [g, temp.path + "/./g.h5", temp.file("link.h5")] {
            #expect(throws: SSLMemError.self) {
                try OutputGuard.checkFile(
                    out, kind: .scores, inputs: [Repository.fixture("simclr_f.h5"), g], force: true)
            }
        }
    }

    @Test func aFileOutputReplacesOnlyAnSslmemOutputOfTheSameKind() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let scores = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        try scores.write(to: temp.file("scores.csv"))
        try scores.write(to: temp.file("scores.h5"))
        try FileManager.default.copyItem(atPath: Repository.fixture("simclr_f.h5"), toPath: temp.file("dump.h5"))
        try FileManager.default.copyItem(atPath: Repository.fixture("images.h5"), toPath: temp.file("images.h5"))
        write("index,score\n1,0.5\n", temp.file("other.csv"))
        write("notes\n", temp.file("notes.txt"))
        #expect(OutputFileKind.of(temp.file("scores.csv")) == .scores)
        #expect(OutputFileKind.of(temp.file("scores.h5")) == .scores)
        try OutputGuard.checkFile(temp.file("scores.csv"), kind: .scores)
        try OutputGuard.checkFile(temp.file("scores.h5"), kind: .scores)
        try OutputGuard.checkFile(temp.file("new.csv"), kind: .scores)
        #expect(throws: SSLMemError.self) { try OutputGuard.checkFile(temp.file("scores.h5"), kind: .alignments) }
        for name in ["dump.h5", "images.h5", "other.csv", "notes.txt"] {
            #expect(OutputFileKind.of(temp.file(name)) == nil)
            #expect(throws: SSLMemError.self) { try OutputGuard.checkFile(temp.file(name), kind: .scores) }
            try OutputGuard.checkFile(temp.file(name), kind: .scores, force: true)
        }
        #expect(throws: SSLMemError.self) { try OutputGuard.checkFile(temp.path, kind: .scores, force: true) }
    }

    @Test func theMarkerReadsBackAndIgnoresPathsOutsideTheFolder() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        write(
            "sslmem output: report\nreport.html\n../escape.txt\n/etc/passwd\nfigures/a.pdf\n",
            temp.file(OutputFolderMarker.name))
        #expect(
            OutputFolderMarker(folder: temp.path)
                == OutputFolderMarker(kind: "report", files: ["figures/a.pdf", "report.html"]))
        #expect(OutputFolderMarker(kind: "report", files: ["b", "a"]).text == "sslmem output: report\na\nb\n")
    }
}
