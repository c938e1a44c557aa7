import Foundation
import Testing

/// Runs the `sslmem` binary under test: `SSLMEM_BIN` (e.g. .build/release/sslmem), else this checkout's
/// .build/debug/sslmem. `make test` runs the CLI suites against both.
package enum CLI {
    package static let binary: String = {
        let path = ProcessInfo.processInfo.environment["SSLMEM_BIN"] ?? ".build/debug/sslmem"
        return path.hasPrefix("/") ? path : Repository.root + "/" + path
    }()

    package struct Outcome: CustomStringConvertible {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        package var errorLines: [Substring] { stderr.split(separator: "\n") }
        package var description: String { "exit \(status); stderr: \(stderr.prefix(400))" }
    }

    /// Runs `sslmem arguments…` in the repository root with `environment` added (a nil value removes a variable);
    /// output goes through files, so a large output cannot block the child.
    package static func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> Outcome {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        env["SSLMEM_BIN"] = nil
        process.environment = env
        _ = FileManager.default.createFile(atPath: scratch.file("out"), contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.file("err"), contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.file("out")))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.file("err")))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: scratch.file("out"), encoding: .utf8),
            stderr: try String(contentsOfFile: scratch.file("err"), encoding: .utf8))
    }

    /// Runs a command that must succeed; records its stderr otherwise.
    @discardableResult
    package static func succeed(
        _ arguments: [String], environment: [String: String?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Outcome {
        let outcome = try run(arguments, environment: environment)
        #expect(
            outcome.status == 0, "sslmem \(arguments.joined(separator: " ")): \(outcome)",
            sourceLocation: sourceLocation)
        return outcome
    }

    /// A refusal: non-zero exit, exactly one error line naming each of `tokens` (file, dataset, point — not the
    /// wording, which may change), and no file at any of `absent` nor a temporary file beside them.
    package static func refuse(
        _ arguments: [String], naming tokens: [String], absent: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let outcome = try run(arguments)
        let command = "sslmem " + arguments.joined(separator: " ")
        #expect(outcome.status != 0, "\(command) succeeded", sourceLocation: sourceLocation)
        #expect(outcome.errorLines.count == 1, "\(command): \(outcome)", sourceLocation: sourceLocation)
        for token in tokens {
            #expect(
                outcome.stderr.contains(token), "\(command): error does not name \(token): \(outcome.stderr)",
                sourceLocation: sourceLocation)
        }
        for path in absent {
            #expect(
                !FileManager.default.fileExists(atPath: path), "\(command) left \(path)",
                sourceLocation: sourceLocation)
            let url = URL(fileURLWithPath: path)
            let siblings =
                (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
            let temporary = siblings.filter { $0.hasPrefix("." + url.lastPathComponent) }
            #expect(temporary.isEmpty, "\(command) left temporary files \(temporary)", sourceLocation: sourceLocation)
        }
    }
}

/// Field-by-field comparison of JSON documents: the same keys, strings, booleans and nulls exactly, numbers within
/// a relative tolerance (absolute where the expected number is 0), arrays of the same length.
package enum JSONComparison {
    package static func load(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: path)), options: [.fragmentsAllowed])
    }

    package static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The differences between `got` and `expected` (empty when they agree); `ignoring` names keys left out.
    package static func differences(
        _ got: Any, _ expected: Any, tolerance: Double = 1e-9, ignoring: Set<String> = [],
        path: String = "$"
    ) -> [String] {
        switch (got, expected) {
        case (let a as [String: Any], let b as [String: Any]):
            let keysA = Set(a.keys).subtracting(ignoring)
            let keysB = Set(b.keys).subtracting(ignoring)
            if keysA != keysB { return ["\(path): keys \(keysA.sorted()) vs \(keysB.sorted())"] }
            return keysB.sorted().flatMap {
                differences(
                    a[$0]!, b[$0]!, tolerance: tolerance, ignoring: ignoring,
                    path: "\(path).\($0)")
            }
        case (let a as [Any], let b as [Any]):
            if a.count != b.count { return ["\(path): \(a.count) elements vs \(b.count)"] }
            return zip(a, b).enumerated().flatMap { i, pair in
                differences(pair.0, pair.1, tolerance: tolerance, ignoring: ignoring, path: "\(path)[\(i)]")
            }
        case (let a as String, let b as String):
            return a == b ? [] : ["\(path): \"\(a)\" vs \"\(b)\""]
        case (is NSNull, is NSNull):
            return []
        case (let a as NSNumber, let b as NSNumber):  // the expected files hold no booleans
            let x = a.doubleValue
            let y = b.doubleValue
            if x.isNaN && y.isNaN { return [] }
            let deviation = y == 0 ? abs(x) : abs(x - y) / abs(y)
            return deviation <= tolerance || x == y ? [] : ["\(path): \(x) vs \(y) (relative \(deviation))"]
        default:
            return ["\(path): \(got) vs \(expected)"]
        }
    }
}

/// A scores CSV read as text: index, subset and label exactly, the four numeric columns as Double.
package struct ScoresCSVText: Equatable {
    package var header: String
    package var keys: [String]  // "index,subset,label"
    package var numbers: [[Double]]  // align_f, align_g, diff, score

    package init(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        header = lines.first ?? ""
        keys = []
        numbers = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            keys.append(fields.prefix(3).joined(separator: ","))
            numbers.append(fields.dropFirst(3).map { Double($0) ?? .nan })
        }
    }

    /// The differences from `expected`: header, points, subsets and labels exactly, numbers within `tolerance`.
    package func differences(from expected: ScoresCSVText, tolerance: Double = 1e-9) -> [String] {
        if header != expected.header { return ["header \(header) vs \(expected.header)"] }
        if keys != expected.keys {
            return ["points, subsets or labels differ (\(keys.count) rows vs \(expected.keys.count))"]
        }
        var problems: [String] = []
        for (row, (a, b)) in zip(numbers, expected.numbers).enumerated() {
            if a.count != b.count || zip(a, b).contains(where: { !(abs($0 - $1) <= tolerance) }) {
                problems.append("row \(row + 1) (\(keys[row])): \(a) vs \(b)")
            }
        }
        return problems
    }
}
