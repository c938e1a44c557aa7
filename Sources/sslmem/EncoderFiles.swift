import ArgumentParser

/// The dumps of one run: `--f` files (encoders trained with the candidates)
/// and `--g` files (trained with the independent points), each repeatable
/// for several seeds (the expectation of Eq. 2).
struct EncoderFiles: ParsableArguments {
    @Option(name: .customLong("f"), help: "Representations of an f encoder (trained with the candidates); repeatable.")
    var f: [String] = []

    @Option(
        name: .customLong("g"),
        help: "Representations of a g encoder (trained with the independent points); repeatable.")
    var g: [String] = []

    /// Fails unless both roles have a file.
    func requireBoth() throws {
        guard !f.isEmpty, !g.isEmpty else { throw ValidationError("give at least one --f and one --g file") }
    }
}
