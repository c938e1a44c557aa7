import Foundation

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

    /// Builds a folder at a temporary name beside `directory`, then moves it into
    /// place (replacing an older one); on any error nothing is left behind.
    public static func writeDirectory(_ directory: String, _ build: (_ temporaryPath: String) throws -> Void) throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw SSLMemError(file: directory, "cannot create the folder \(parent)")
        }
        let temporary = parent + "/." + target.lastPathComponent + ".\(getpid()).tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            try build(temporary)
            try? FileManager.default.removeItem(atPath: target.path)
            try FileManager.default.moveItem(atPath: temporary, toPath: target.path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
