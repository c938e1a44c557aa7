import ArgumentParser
import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemPlot

/// `--force`, shared by every command that writes: the data-safety rule is in
/// `OutputGuard` (an output never replaces an input nor a file sslmem did not write).
struct ForceOption: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Write into a non-empty folder that holds no earlier sslmem output of this kind, or over a file that is not one.",
        discussion: "Even then, only files sslmem wrote are replaced, and an input never is."))
    var force = false
}

/// The files and folders named in a run list (`F.h5,G.h5` pairs, report folders, scores files).
func runListPaths(_ runs: [String]) -> [String] {
    runs.flatMap { $0.split(separator: ",").map(String.init) }
}

/// Fails with one wording for every command when an input file or folder is missing: "PATH: no such file".
func requireInputs(_ paths: [String]) throws {
    for path in paths where !FileManager.default.fileExists(atPath: path) {
        throw SSLMemError(file: path, "no such file")
    }
}

/// Writes `figures` (in `formats`, each with its CSV) into the folder `out` under the rules of every folder
/// output (`OutputGuard`: never the current directory, a folder above it or one holding an input; a
/// non-empty folder only when it holds earlier figures, or beside other files with `--force`), built at a
/// temporary name and moved into place. Returns the paths written, as `out/NAME`.
func writeFigureFolder(_ figures: [PaperFigure], to out: String, inputs: [String], force: Bool,
                       formats: [FigureFormat] = FigureFormat.allCases) throws -> [String] {
    try OutputGuard.checkFolder(out, kind: "figures", inputs: inputs, force: force)
    var written: [String] = []
    try AtomicOutput.writeDirectory(out, kind: "figures", force: force) { temporary in
        for figure in figures {
            written += try figure.write(to: temporary, formats: formats).map { ($0 as NSString).lastPathComponent }
        }
    }
    var folder = Substring(out)
    while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
    return written.map { folder + (folder.hasSuffix("/") ? "" : "/") + $0 }
}
