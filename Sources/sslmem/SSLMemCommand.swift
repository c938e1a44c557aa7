import ArgumentParser
import Foundation
import SSLMemSupport

@main
struct SSLMemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sslmem",
        abstract: "Measure and report memorization in self-supervised encoders (SSLMem, Wang et al., ICLR 2024).",
        discussion: """
            Outputs never replace an input, nor a file sslmem did not write: an output folder (report, select, \
            figures) must be new, empty, or hold an earlier sslmem output of the same kind (its .sslmem-output \
            marker lists the files sslmem wrote there, and only those are replaced); an output file (score, merge) \
            must not be an input and replaces only an sslmem output of the same kind. --force allows other \
            folders and files, still replacing only files sslmem wrote and never an input.
            """,
        version: ToolkitVersion.current,
        subcommands: [
            ScoreCommand.self, InspectCommand.self, StatsCommand.self, CompareCommand.self, FiguresCommand.self,
            ReportCommand.self,
            DejaVuCommand.self, MergeCommand.self, SelectCommand.self,
            AuditCommand.self, LayersCommand.self, UnitsCommand.self
        ])

    /// Checks the command line for unknown commands before parsing it, and for unknown options (with a
    /// did-you-mean) when parsing fails, then runs the command as `ParsableCommand.main` would.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func fail(_ problem: String) -> Never {
            FileHandle.standardError.write(Data((problem + "\n").utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        if let problem = CommandLineCheck.commandProblem(arguments) { fail(problem) }
        let command: ParsableCommand
        do { command = try parseAsRoot(arguments) } catch {
            if let problem = CommandLineCheck.optionProblem(arguments) { fail(problem) }
            exit(withError: error)
        }
        do {
            var command = command
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
