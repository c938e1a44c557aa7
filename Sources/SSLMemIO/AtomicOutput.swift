import Foundation
import SSLMemSupport

/// Writes an output so that it appears whole or not at all: the content goes
/// to a temporary name in the target directory, renamed at the end; on any
/// error the temporary file is removed and nothing is left behind.
public enum AtomicOutput {
    public static func write(to path: String, _ body: (_ temporaryPath: String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SSLMemError(file: path, "cannot write: directory \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw SSLMemError(file: path, "cannot write: directory \(directory) is not writable")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".\(getpid()).tmp"
        do {
            try body(temporary)
            guard rename(temporary, path) == 0 else {
                throw SSLMemError(file: path, "cannot write: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes `text` atomically as UTF-8.
    public static func write(text: String, to path: String) throws {
        try write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
                throw SSLMemError(file: path, "cannot write: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Builds a folder output of `kind` at a temporary name beside `directory`,
    /// then moves it into place; on any error nothing is left behind and the
    /// target is untouched. The folder gets the marker `.sslmem-output` listing
    /// every file written. `OutputGuard.checkFolder` decides whether the target
    /// may be used; into an existing folder, only the files its marker lists are
    /// removed, and a new file never replaces one sslmem did not write.
    public static func writeDirectory(
        _ directory: String, kind: String = "output", force: Bool = false,
        _ build: (_ temporaryPath: String) throws -> Void
    ) throws {
        try OutputGuard.checkFolder(directory, kind: kind, force: force)
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw SSLMemError(file: directory, "cannot create the folder \(parent)")
        }
        let temporary = parent + "/." + target.lastPathComponent + ".\(getpid()).tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        try build(temporary)
        let written = files(under: temporary).filter { $0 != OutputFolderMarker.name }
        let marker = OutputFolderMarker(kind: kind, files: written)
        try write(text: marker.text, to: temporary + "/" + OutputFolderMarker.name)
        guard FileManager.default.fileExists(atPath: target.path) else {
            try FileManager.default.moveItem(atPath: temporary, toPath: target.path)
            return
        }
        try replace(in: target.path, with: temporary, files: written, marker: marker)
    }

    /// Moves the files of `source` into the existing folder `target`: first the
    /// files the old marker lists are removed, then the new ones moved in, then
    /// the marker. Fails before touching anything when a new file would land on
    /// a file (or folder) sslmem did not write.
    static func replace(in target: String, with source: String, files: [String], marker: OutputFolderMarker) throws {
        let fm = FileManager.default
        let owned = Set(OutputFolderMarker(folder: target)?.files ?? [])
        for file in files where !owned.contains(file) {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: target + "/" + file, isDirectory: &isDirectory) {
                throw SSLMemError(
                    file: target + "/" + file,
                    "exists and sslmem did not write it; an output never "
                        + "replaces such a file (move it, or name a new folder)")
            }
            var prefix = ""
            for part in file.split(separator: "/").dropLast() {
                prefix += (prefix.isEmpty ? "" : "/") + part
                if fm.fileExists(atPath: target + "/" + prefix, isDirectory: &isDirectory), !isDirectory.boolValue {
                    throw SSLMemError(
                        file: target + "/" + prefix,
                        "exists and is not a folder; an output never replaces "
                            + "a file sslmem did not write (move it, or name a new folder)")
                }
            }
        }
        for file in owned.sorted() { unlink(target + "/" + file) }
        for folder in Set(owned.flatMap(parents)).sorted(by: { $0.count > $1.count }) {
            rmdir(target + "/" + folder)  // only when empty
        }
        for file in files {
            let destination = target + "/" + file
            try fm.createDirectory(
                atPath: (destination as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            guard rename(source + "/" + file, destination) == 0 else {
                throw SSLMemError(file: destination, "cannot write: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(source + "/" + OutputFolderMarker.name, target + "/" + OutputFolderMarker.name) == 0 else {
            throw SSLMemError(file: target, "cannot write the marker: \(String(cString: strerror(errno)))")
        }
    }

    /// The folders above `file` (a relative path), nearest last.
    static func parents(_ file: String) -> [String] {
        let parts = file.split(separator: "/").dropLast()
        return parts.indices.map { parts[...($0)].joined(separator: "/") }
    }

    /// Regular files under `folder`, as sorted paths relative to it.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(path)
            }
        }
        return files.sorted()
    }
}
