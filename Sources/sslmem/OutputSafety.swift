import ArgumentParser
import Foundation
import SSLMemIO

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
