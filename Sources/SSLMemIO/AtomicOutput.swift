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
}
