import ArgumentParser
import Foundation
import Synchronization

/// Progress of long steps (reading, scoring, the attack, rendering) on stderr: a status line rewritten in
/// place (`tty`), one plain line per step (`plain`), or nothing (`none`). The default is `tty` on a
/// terminal, `plain` in a batch job (Slurm, PBS, LSF: their logs show life before a task ends), and `none`
/// otherwise, so that pipes and scripts see only results and one-line errors.
enum Progress {
    enum Mode: String, CaseIterable, ExpressibleByArgument, Sendable {
        case plain, tty, none
    }

    private static let current = Mutex<Mode>(defaultMode)

    static var defaultMode: Mode {
        if isatty(STDERR_FILENO) != 0 { return .tty }
        let environment = ProcessInfo.processInfo.environment
        return ["SLURM_JOB_ID", "PBS_JOBID", "LSB_JOBID"].contains { environment[$0] != nil } ? .plain : .none
    }

    static var mode: Mode {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// Replaces the status line with "sslmem: message …" (tty), or writes it as a line of its own (plain).
    static func show(_ message: String) {
        switch mode {
        case .tty: FileHandle.standardError.write(Data("\r\u{1B}[2Ksslmem: \(message) …".utf8))
        case .plain: FileHandle.standardError.write(Data("sslmem: \(message) …\n".utf8))
        case .none: break
        }
    }

    /// Clears the status line (tty only).
    static func done() {
        guard mode == .tty else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// `--progress plain|tty|none` for the commands with long steps.
struct ProgressOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Progress on stderr: tty (a status line), plain (a line per step), none. Default: tty on a terminal, plain in a Slurm/PBS/LSF job, else none."
        ))
    var progress: Progress.Mode?

    /// Sets the mode for this run.
    func apply() {
        if let progress { Progress.mode = progress }
    }
}
