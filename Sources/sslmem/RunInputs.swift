import ArgumentParser

/// The optional inputs beside a run's dumps that figures and reports draw on.
struct RunInputs: ParsableArguments {
    @Option(help: "Images file (layout v1): the most and least memorized candidates as pictures.")
    var images: String?

    @Option(help: "Folder of f and g dumps at several epochs (memorization over training, Fig. 2b).")
    var checkpoints: String?

    @Option(help: "Training logs of f and g (JSON), comma-separated, for the losses under Fig. 2b.")
    var logs: String?

    var logList: [String] { logs.map { $0.split(separator: ",").map(String.init) } ?? [] }

    func validate() throws {
        if logs != nil && checkpoints == nil {
            throw ValidationError(
                "--logs goes with --checkpoints (the losses are drawn under memorization over training)")
        }
    }
}
