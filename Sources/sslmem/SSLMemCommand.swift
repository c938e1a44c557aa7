import ArgumentParser

@main
struct SSLMemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sslmem",
        abstract: "Measure and report memorization in self-supervised encoders (SSLMem, Wang et al., ICLR 2024).",
        version: "0.1.0",
        subcommands: [ScoreCommand.self, InspectCommand.self, StatsCommand.self, CompareCommand.self, FiguresCommand.self, ReportCommand.self,
                      DejaVuCommand.self, MergeCommand.self, SelectCommand.self,
                      AuditCommand.self, LayersCommand.self, UnitsCommand.self])
}
