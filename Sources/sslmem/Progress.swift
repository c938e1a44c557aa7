import Foundation

/// A status line on stderr for long steps (reading, scoring, the attack,
/// rendering) when stderr is a terminal; nothing at all otherwise, so logs and
/// pipelines stay clean.
enum Progress {
    static let enabled = isatty(STDERR_FILENO) != 0

    /// Replaces the status line with "sslmem: message …".
    static func show(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2Ksslmem: \(message) …".utf8))
    }

    /// Clears the status line.
    static func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
