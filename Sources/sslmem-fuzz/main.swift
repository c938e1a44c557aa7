// sslmem-fuzz: damages the fixture dumps in seeded random ways and runs
// `sslmem inspect` and `sslmem score` on each mutant. No run may die of a
// signal, hang, or print more than one error line. `score` either fails (non-zero
// exit, exactly one error line, no output file) or succeeds (exit 0) with a
// complete scores CSV: the header, the control run's 800 indices in ascending
// order, a known subset and finite numbers on every row. `inspect` either gives
// its verdict (exit 0 and a last line "valid layout v1", or exit 2 and a line
// "NOT valid layout v1: …") or fails with one error line. Before the mutants, the
// undamaged fixtures must pass (inspect valid, score 800 rows): a binary that
// does nothing (e.g. /bin/true) fails the run.
//
//   sslmem-fuzz SSLMEM [--count 1000] [--seed 1] [--timeout 30]
//
// Mutations, in turn: flip 1–8 random bytes; overwrite a 512-byte run inside
// the data; truncate at a random length; damage the chunk index (bytes just
// after a "TREE" B-tree node signature); zero the superblock's end-of-file
// address region. Mutants are of fixtures/vicreg_f.h5 (as --f) and
// fixtures/vicreg_g.h5 (as --g).
import Foundation
import SSLMemStats

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let value = Int(arguments[i + 1]) else {
        return fallback
    }
    arguments.removeSubrange(i...(i + 1))
    return value
}
let count = option("--count", 1000)
let seed = option("--seed", 1)
let timeout = option("--timeout", 30)
guard let sslmem = arguments.first else {
    FileHandle.standardError.write(Data("usage: sslmem-fuzz SSLMEM [--count N] [--seed S] [--timeout SECONDS]\n".utf8))
    exit(64)
}

let originals = [
    "f": try Data(contentsOf: URL(fileURLWithPath: "fixtures/vicreg_f.h5")),
    "g": try Data(contentsOf: URL(fileURLWithPath: "fixtures/vicreg_g.h5"))
]
let work = FileManager.default.temporaryDirectory.appendingPathComponent("sslmem-fuzz-\(getpid())").path
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
/// Ends the run; `exit` skips `defer`, so the work folder is removed here.
func finish(_ status: Int32) -> Never {
    try? FileManager.default.removeItem(atPath: work)
    exit(status)
}

var rng = SplitMix64(seed: UInt64(seed))
@MainActor func random(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }

/// Offsets just past each "TREE" signature (HDF5 v1 B-tree nodes: the chunk index).
let treeOffsets: [Int] = originals.mapValues { data in
    let signature = Data("TREE".utf8)
    var offsets: [Int] = []
    var start = data.startIndex
    while let found = data.range(of: signature, in: start..<data.endIndex) {
        offsets.append(found.upperBound)
        start = found.upperBound
    }
    return offsets
}["f"]!

@MainActor func mutate(_ original: Data, kind: Int) -> (Data, String) {
    var data = original
    switch kind {
    case 0:
        let flips = random(1..<9)
        for _ in 0..<flips { data[random(0..<data.count)] ^= UInt8(random(1..<256)) }
        return (data, "\(flips) bytes flipped")
    case 1:
        let at = random(2048..<(data.count - 512))
        for i in at..<(at + 512) { data[i] = UInt8(random(0..<256)) }
        return (data, "512 bytes overwritten at \(at)")
    case 2:
        let length = random(0..<data.count)
        return (data.prefix(length), "truncated to \(length) bytes")
    case 3:
        let at = treeOffsets.isEmpty ? random(0..<data.count) : treeOffsets[random(0..<treeOffsets.count)]
        let span = random(1..<40)
        for i in at..<min(data.count, at + span) { data[i] = UInt8(random(0..<256)) }
        return (data, "chunk index damaged at \(at) (\(span) bytes)")
    default:
        for i in 40..<56 { data[i] = 0 }
        let extra = random(0..<16)
        data[random(56..<512)] ^= UInt8(extra + 1)
        return (data, "superblock addresses zeroed")
    }
}

/// What one run of the binary did.
struct Outcome {
    var status: Int32
    var signalled: Bool
    var hung: Bool
    var stdout: String
    var stderr: String
    var errorLines: Int { stderr.split(separator: "\n").count }
}

@MainActor func run(_ command: [String]) -> Result<Outcome, Error> {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sslmem)
    process.arguments = command
    // Files, not pipes: a full pipe would block the child; read back after it ends.
    let outPath = "\(work)/stdout"
    let errPath = "\(work)/stderr"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
        return .failure(CocoaError(.fileWriteUnknown))
    }
    defer {
        try? out.close()
        try? err.close()
    }
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { return .failure(error) }
    let deadline = Date().addingTimeInterval(Double(timeout))
    var hung = false
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            hung = true
            break
        }
        usleep(2000)
    }
    process.waitUntilExit()
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return .success(
        Outcome(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            hung: hung, stdout: read(outPath), stderr: read(errPath)))
}

/// Why a finished run broke the common contract (no signal, no hang, at most one error line), or nil.
func common(_ outcome: Outcome) -> String? {
    if outcome.hung { return "no answer within \(timeout) s" }
    if outcome.signalled { return "killed by signal \(outcome.status)" }
    if outcome.errorLines > 1 { return "\(outcome.errorLines) error lines: \(outcome.stderr.prefix(300))" }
    return nil
}

/// `inspect`: a verdict (exit 0 and "valid layout v1" last; exit 2 and a "NOT valid layout v1: …" line) or
/// one error line. Returns the problem, or nil; `valid` tells the verdict.
func inspectProblem(_ outcome: Outcome) -> (problem: String?, valid: Bool) {
    if let problem = common(outcome) { return (problem, false) }
    let lines = outcome.stdout.split(separator: "\n").map(String.init)
    switch outcome.status {
    case 0:
        if lines.last != "valid layout v1" || lines.contains(where: { $0.hasPrefix("NOT valid") }) {
            return ("exit 0 without the verdict \"valid layout v1\" (last line: \(lines.last ?? "none"))", false)
        }
        if outcome.errorLines != 0 { return ("exit 0 with an error line: \(outcome.stderr.prefix(200))", false) }
        return (nil, true)
    case 2 where lines.contains(where: { $0.hasPrefix("NOT valid layout v1: ") }):
        return (nil, false)
    default:
        return (outcome.errorLines == 1 ? nil : "exit \(outcome.status) without one error line", false)
    }
}

let header = "index,subset,label,align_f,align_g,diff,score"
let subsets: Set<String> = ["shared", "candidate", "independent", "extra"]

/// Why `out` is not a complete scores CSV for the points `indices`, or nil.
func scoresProblem(_ out: String, indices: [Int64]?) -> String? {
    guard let text = try? String(contentsOfFile: out, encoding: .utf8) else { return "no readable output \(out)" }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.first == header else { return "output header is \(lines.first ?? "missing")" }
    guard lines.last == "" else { return "output does not end with a newline" }
    let rows = lines.dropFirst().dropLast()
    var seen: [Int64] = []
    for (number, row) in rows.enumerated() {
        let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 7, let index = Int64(fields[0]), subsets.contains(fields[1]), Int64(fields[2]) != nil,
            fields[3...].allSatisfy({ Double($0)?.isFinite == true })
        else { return "output row \(number + 1) is not a scores row: \(row.prefix(120))" }
        if let last = seen.last, index <= last { return "output indices not ascending at row \(number + 1)" }
        seen.append(index)
    }
    if let indices, seen != indices {
        return "output holds \(seen.count) points, not the control run's \(indices.count)"
    }
    return nil
}

/// `score`: fails with one error line and no output, or succeeds with a complete output.
func scoreProblem(_ outcome: Outcome, out: String, indices: [Int64]?) -> String? {
    if let problem = common(outcome) { return problem }
    if outcome.status != 0 {
        if outcome.errorLines != 1 { return "exit \(outcome.status) without an error line" }
        if FileManager.default.fileExists(atPath: out) { return "failed (exit \(outcome.status)) but left \(out)" }
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).filter {
            $0.hasPrefix(".")
        }
        if !leftovers.isEmpty { return "failed but left \(leftovers.joined(separator: ", "))" }
        return nil
    }
    return scoresProblem(out, indices: indices)
}

/// The control: the undamaged fixtures pass inspect and score to a full 800-row output.
let control: [Int64]
do {
    let out = "\(work)/scores.csv"
    var problems: [String] = []
    for role in ["f", "g"] {
        switch run(["inspect", "fixtures/vicreg_\(role).h5"]) {
        case .failure(let error): problems.append("cannot start \(sslmem): \(error)")
        case .success(let outcome):
            let verdict = inspectProblem(outcome)
            if let problem = verdict.problem {
                problems.append("inspect \(role): \(problem)")
            } else if !verdict.valid {
                problems.append("inspect \(role): the undamaged fixture is not valid")
            }
        }
    }
    switch run(["score", "--f", "fixtures/vicreg_f.h5", "--g", "fixtures/vicreg_g.h5", "--out", out]) {
    case .failure(let error): problems.append("cannot start \(sslmem): \(error)")
    case .success(let outcome):
        if outcome.status != 0 {
            problems.append("score of the undamaged fixtures exits \(outcome.status)")
        } else if let problem = scoreProblem(outcome, out: out, indices: nil) {
            problems.append("score: \(problem)")
        }
    }
    let rows = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
    control = rows.compactMap { Int64($0.prefix { $0 != "," }) }
    if control.count != 800 { problems.append("the control output has \(control.count) rows, not 800") }
    if !problems.isEmpty {
        print("FAIL control (undamaged fixtures): " + problems.joined(separator: "; "))
        finish(1)
    }
    try? FileManager.default.removeItem(atPath: out)
}

var failures = 0
var rejected = 0
var scored = 0
var invalid = 0
for mutant in 0..<count {
    let role = mutant % 2 == 0 ? "f" : "g"
    let (data, what) = mutate(originals[role]!, kind: (mutant / 2) % 5)
    let path = "\(work)/mutant-\(role).h5"
    let out = "\(work)/scores.csv"
    try data.write(to: URL(fileURLWithPath: path))
    try? FileManager.default.removeItem(atPath: out)
    let f = role == "f" ? path : "fixtures/vicreg_f.h5"
    let g = role == "g" ? path : "fixtures/vicreg_g.h5"
    var problems: [String] = []
    switch run(["inspect", path]) {
    case .failure(let error): problems.append("cannot start \(sslmem): \(error)")
    case .success(let outcome):
        let verdict = inspectProblem(outcome)
        if let problem = verdict.problem { problems.append("inspect: \(problem)") }
        if !verdict.valid { invalid += 1 }
    }
    switch run(["score", "--f", f, "--g", g, "--out", out]) {
    case .failure(let error): problems.append("cannot start \(sslmem): \(error)")
    case .success(let outcome):
        if let problem = scoreProblem(outcome, out: out, indices: control) { problems.append("score: \(problem)") }
        if outcome.status == 0 { scored += 1 } else { rejected += 1 }
    }
    if !problems.isEmpty {
        failures += 1
        let kept = "\(FileManager.default.currentDirectoryPath)/fuzz-failure-\(mutant).h5"
        try? data.write(to: URL(fileURLWithPath: kept))
        print("FAIL mutant \(mutant) (\(role), \(what)): \(problems.joined(separator: "; ")); kept as \(kept)")
    }
    // Temporary files of a failed score are checked above; nothing else may stay.
    for name in (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [] where name.hasPrefix(".") {
        try? FileManager.default.removeItem(atPath: "\(work)/\(name)")
    }
}
print(
    "fuzz: control passed; \(count) mutants: \(rejected) rejected by score with one error line and no output, "
        + "\(scored) still scored to a complete 800-row output; inspect found \(invalid) not valid; \(failures) failures"
)
finish(failures == 0 ? 0 : 1)
