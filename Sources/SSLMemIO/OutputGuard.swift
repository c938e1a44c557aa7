import Foundation
import SSLMemHDF5
import SSLMemModel
import SSLMemSupport

/// The data-safety rule for every output, in one place: **an output never
/// replaces an input, nor a file the tool did not write.**
///
/// - A folder output (a report, a selection, figures) goes into a new or empty
///   folder, or one holding an earlier sslmem output of the same kind: such a
///   folder carries the marker file `.sslmem-output` (`OutputFolderMarker`),
///   which lists every file sslmem wrote there. Any other non-empty folder is
///   refused unless forced, and even then only the files a marker lists are
///   replaced. The current directory, any folder above it, `/`, and a folder
///   holding an input are refused always.
/// - A file output (scores, shard alignments) never has the path or the inode
///   of an input; an existing file is replaced only when it is an sslmem output
///   of the same kind (`OutputFileKind.of(_:)`), unless forced.
public enum OutputGuard {
    /// Fails when the folder `directory` may not receive an output of `kind`:
    /// it is `/`, the current directory or above it, it holds one of `inputs`,
    /// it is a file, or it is a non-empty folder without a marker of `kind`
    /// (unless `force`).
    public static func checkFolder(_ directory: String, kind: String, inputs: [String] = [], force: Bool = false) throws
    {
        let target = absolute(directory)
        if target == "/" {
            throw SSLMemError(
                file: directory, "refusing to write an output into / (name a new folder, e.g. reports/NAME)")
        }
        let cwd = absolute(FileManager.default.currentDirectoryPath)
        if contains(target, cwd) {
            throw SSLMemError(
                file: directory,
                "refusing to write an output into the current directory or a folder "
                    + "above it (name a new folder, e.g. reports/NAME)")
        }
        for input in inputs where !input.isEmpty && contains(target, absolute(input)) {
            throw SSLMemError(
                file: directory,
                "refusing to write an output into a folder that holds the input "
                    + "\(input); an output never replaces an input (name a new folder)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw SSLMemError(
                file: directory,
                "exists and is not a folder; an output folder never replaces a file "
                    + "(name a new folder)")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        if entries.isEmpty || force { return }
        if let marker = OutputFolderMarker(folder: target), marker.kind == kind { return }
        if let marker = OutputFolderMarker(folder: target) {
            throw SSLMemError(
                file: directory,
                "holds an sslmem \(marker.kind), not a \(kind); name a new or empty "
                    + "folder, or force it (--force) to replace only the files sslmem wrote there")
        }
        throw SSLMemError(
            file: directory,
            "is not empty and holds no earlier sslmem \(kind) (no \(OutputFolderMarker.name) "
                + "marker); name a new or empty folder, or force it (--force) to write beside its files "
                + "(files sslmem did not write are never replaced)")
    }

    /// Fails when the file output `path` may not be written: it is (by path or
    /// inode) one of `inputs`, a folder, or an existing file that is not an
    /// sslmem output of `kind` (unless `force`).
    public static func checkFile(_ path: String, kind: OutputFileKind, inputs: [String] = [], force: Bool = false)
        throws
    {
        let target = absolute(path)
        var own = stat()
        let exists = stat(target, &own) == 0
        for input in inputs where !input.isEmpty {
            var other = stat()
            let sameInode =
                exists && stat(input, &other) == 0 && other.st_dev == own.st_dev && other.st_ino == own.st_ino
            if sameInode || absolute(input) == target {
                throw SSLMemError(
                    file: path,
                    "is an input of this command; an output never replaces an input "
                        + "(name another output file)")
            }
        }
        guard exists else { return }
        if (own.st_mode & S_IFMT) == S_IFDIR {
            throw SSLMemError(file: path, "is a folder; name an output file")
        }
        if force { return }
        let found = OutputFileKind.of(target)
        if found == kind { return }
        let what =
            found.map { "an sslmem \($0.description), not \(kind.description)" }
            ?? "not an sslmem \(kind.description)"
        throw SSLMemError(
            file: path,
            "exists and is \(what); sslmem replaces only its own outputs of the same kind: "
                + "name another file, or force it (--force)")
    }

    /// The absolute, standardized path, with symbolic links of existing parts resolved.
    static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if let real = realpath(url.path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        // Not there yet: resolve the nearest existing parent.
        let parent = url.deletingLastPathComponent().path
        if parent == url.path { return url.path }
        return (absolute(parent) as NSString).appendingPathComponent(url.lastPathComponent)
    }

    /// Whether `folder` is `path` or one of its ancestors.
    static func contains(_ folder: String, _ path: String) -> Bool {
        folder == path || folder == "/" || path.hasPrefix(folder + "/")
    }
}

/// What an existing file holds, as far as sslmem's outputs go.
public enum OutputFileKind: Sendable, Equatable, CustomStringConvertible {
    /// scores.csv (the header `index,subset,label,…`) or a scores `.h5` (`sslmem_format = "scores"`).
    case scores
    /// A shard's alignments (`sslmem_format = "alignments"`).
    case alignments
    /// selection.h5 (`sslmem_format = "selection"`).
    case selection

    public var description: String {
        switch self {
        case .scores: "scores file"
        case .alignments: "shard of alignments"
        case .selection: "selection file"
        }
    }

    /// The kind of sslmem output `path` holds, or nil for anything else
    /// (a layout-v1 dump, an images file, a CSV with another header, …).
    public static func of(_ path: String) -> OutputFileKind? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        try? handle.close()
        if head.starts(with: [0x89, 0x48, 0x44, 0x46]) {  // the HDF5 signature
            let format = HDF5Library.serialized { () -> String? in
                guard let file = try? HDF5File(reading: path) else { return nil }
                return (try? file.attribute("sslmem_format"))??.string
            }
            switch format {
            case "scores": return .scores
            case "alignments": return .alignments
            case "selection": return .selection
            default: return nil
            }
        }
        var text = String(decoding: head, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let header = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let columns = header.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
        return columns == ScoresTable.columns ? .scores : nil
    }
}

/// The marker `.sslmem-output` that every output folder carries: its first
/// line names the kind (`sslmem output: report`), the next lines the files
/// sslmem wrote there, relative to the folder, sorted. Only those files are
/// ever replaced or removed by a later run.
public struct OutputFolderMarker: Equatable, Sendable {
    public static let name = ".sslmem-output"
    static let prefix = "sslmem output: "

    public var kind: String
    public var files: [String]

    public init(kind: String, files: [String]) {
        self.kind = kind
        self.files = files.sorted()
    }

    /// Reads the marker of `folder`, or nil when there is none (or it is not one).
    public init?(folder: String) {
        guard let text = try? String(contentsOfFile: folder + "/" + Self.name, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard let first = lines.first, first.hasPrefix(Self.prefix) else { return nil }
        self.init(
            kind: String(first.dropFirst(Self.prefix.count)),
            files: lines.dropFirst().filter {
                !$0.isEmpty && !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..")
            })
    }

    public var text: String { ([Self.prefix + kind] + files).joined(separator: "\n") + "\n" }
}
