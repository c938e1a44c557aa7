// sslmem-fuzz: damages the fixture dumps in seeded random ways and runs
// `sslmem inspect` and `sslmem score` on each mutant. No run may die of a
// signal, hang, or print more than one error line; a failed `score` must leave
// no output file. (`inspect` lists a file's problems on stdout and exits 2 when
// it is not valid layout v1.)
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
let count = option("--count", 1000), seed = option("--seed", 1), timeout = option("--timeout", 30)
guard let sslmem = arguments.first else {
    FileHandle.standardError.write(Data("usage: sslmem-fuzz SSLMEM [--count N] [--seed S] [--timeout SECONDS]\n".utf8))
    exit(64)
}

let originals = ["f": try Data(contentsOf: URL(fileURLWithPath: "fixtures/vicreg_f.h5")),
                 "g": try Data(contentsOf: URL(fileURLWithPath: "fixtures/vicreg_g.h5"))]
let work = FileManager.default.temporaryDirectory.appendingPathComponent("sslmem-fuzz-\(getpid())").path
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }

var rng = SplitMix64(seed: UInt64(seed))
@MainActor func random(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }

/// Offsets just past each "TREE" signature (HDF5 v1 B-tree nodes: the chunk index).
let treeOffsets: [Int] = originals.mapValues { data in
    let signature = Data("TREE".utf8)
    var offsets: [Int] = [], start = data.startIndex
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

/// Runs a command; returns a reason it failed the contract, or nil.
@MainActor func check(_ command: [String], output: String?) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sslmem)
    process.arguments = command
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    do { try process.run() } catch { return "cannot start \(sslmem): \(error)" }
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
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    if hung { return "no answer within \(timeout) s" }
    if process.terminationReason == .uncaughtSignal { return "killed by signal \(process.terminationStatus)" }
    let lines = stderr.split(separator: "\n").count
    if lines > 1 { return "\(lines) error lines: \(stderr.prefix(300))" }
    if process.terminationStatus != 0, let output {
        if lines != 1 { return "failed without an error line" }
        if FileManager.default.fileExists(atPath: output) { return "failed but left \(output)" }
    }
    return nil
}

var failures = 0, rejected = 0
for mutant in 0..<count {
    let role = mutant % 2 == 0 ? "f" : "g"
    let (data, what) = mutate(originals[role]!, kind: (mutant / 2) % 5)
    let path = "\(work)/mutant-\(role).h5", out = "\(work)/scores.csv"
    try data.write(to: URL(fileURLWithPath: path))
    try? FileManager.default.removeItem(atPath: out)
    let f = role == "f" ? path : "fixtures/vicreg_f.h5", g = role == "g" ? path : "fixtures/vicreg_g.h5"
    for (command, output) in [(["inspect", path], nil), (["score", "--f", f, "--g", g, "--out", out], out)] {
        if let problem = check(command, output: output) {
            failures += 1
            let kept = "\(FileManager.default.currentDirectoryPath)/fuzz-failure-\(mutant).h5"
            try? data.write(to: URL(fileURLWithPath: kept))
            print("FAIL mutant \(mutant) (\(role), \(what)): sslmem \(command.first!): \(problem); kept as \(kept)")
        }
    }
    if !FileManager.default.fileExists(atPath: out) { rejected += 1 }
}
print("fuzz: \(count) mutants, \(rejected) rejected by score with one error line, \(count - rejected) still scored, "
      + "\(failures) failures")
exit(failures == 0 ? 0 : 1)
