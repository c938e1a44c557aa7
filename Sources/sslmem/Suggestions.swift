import ArgumentParser
import Foundation

/// Checks the command line before ArgumentParser sees it, for the mistakes it reports unhelpfully: an unknown
/// subcommand (`sslmem socre …` was "Unknown option '--f'"), `help` of an unknown command (printed the
/// top-level help and exited 0), and an unknown option (`--ouput` was "Missing expected argument '--out'").
/// Each gets one error line with the closest known name, then the usage of the command concerned.
enum CommandLineCheck {
    /// The message to print (error line and usage) for `arguments` (without the program name), or nil.
    static func problem(_ arguments: [String], root: ParsableCommand.Type = SSLMemCommand.self) -> String? {
        if let problem = commandProblem(arguments, root: root) { return problem }
        return optionProblem(arguments, root: root)
    }

    /// An unknown command, or `help` of one; cheap, so checked before parsing.
    static func commandProblem(_ arguments: [String], root: ParsableCommand.Type = SSLMemCommand.self) -> String? {
        let subcommands = root.configuration.subcommands
        let names = subcommands.map { $0._commandName } + ["help"]
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        if first == "help" {
            guard arguments.count > 1, !arguments[1].hasPrefix("-") else { return nil }
            guard subcommands.contains(where: { $0._commandName == arguments[1] }) else {
                return unknownCommand(arguments[1], names: names, root: root)
            }
            return nil
        }
        guard subcommands.contains(where: { $0._commandName == first }) else {
            return unknownCommand(first, names: names, root: root)
        }
        return nil
    }

    /// An unknown option of a known command, with the closest known name. Reading a command's option names
    /// renders its help (a few milliseconds), so this runs only when parsing has failed.
    static func optionProblem(_ arguments: [String], root: ParsableCommand.Type = SSLMemCommand.self) -> String? {
        guard let first = arguments.first, first != "help",
            let command = root.configuration.subcommands.first(where: { $0._commandName == first })
        else { return nil }
        let known = optionNames(of: command, root: root)
        for argument in arguments.dropFirst() {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if known.contains(name) { continue }
            let hint = closest(name, among: known).map { "; did you mean '\($0)'?" } ?? ""
            return "Error: unknown option '\(name)' for 'sslmem \(first)'\(hint)\n"
                + "Usage: " + root.usageString(for: command) + "\n  See 'sslmem \(first) --help' for more information."
        }
        return nil
    }

    static func unknownCommand(_ name: String, names: [String], root: ParsableCommand.Type) -> String {
        let hint = closest(name, among: names).map { "; did you mean '\($0)'?" } ?? ""
        return
            "Error: unknown command '\(name)'\(hint) (commands: \(names.filter { $0 != "help" }.joined(separator: ", ")))\n"
            + "Usage: sslmem <subcommand>\n  See 'sslmem --help' for more information."
    }

    /// The long option names `command` accepts, read from its help (with hidden options) plus the built-in ones.
    static func optionNames(of command: ParsableCommand.Type, root: ParsableCommand.Type) -> Set<String> {
        let help = root.helpMessage(for: command, includeHidden: true, columns: 10_000)
        var names: Set<String> = ["--help", "--version", "--experimental-dump-help"]
        var scanner = Substring(help)
        while let range = scanner.range(of: "--") {
            let rest = scanner[range.upperBound...]
            let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !word.isEmpty { names.insert("--" + word) }
            scanner = rest.dropFirst(word.count)
        }
        return names
    }

    /// The known name nearest to `name` (edit distance at most a third of its length, but 2 always allowed; or a unique prefix).
    static func closest(_ name: String, among known: some Collection<String>) -> String? {
        let prefixed = known.filter { $0.hasPrefix(name) }
        if prefixed.count == 1 { return prefixed.first }
        let scored = known.map { ($0, distance(name, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first, best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    /// Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions, adjacent swaps).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
