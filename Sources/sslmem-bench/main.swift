// Benchmark harness for `make bench` (bench/kendall.py): times the statistics
// kernels on arrays written by the driver, so both sides see the same numbers.
//
//   sslmem-bench kendall X.f64 Y.f64 [repeats]
//
// X and Y are raw little-endian float64 arrays. Prints the best wall time of
// `repeats` runs (default 5) in seconds, then tau and p, one per line.
import Foundation
import SSLMemStats

func readDoubles(_ path: String) -> [Double] {
    guard let data = FileManager.default.contents(atPath: path), data.count % 8 == 0 else {
        FileHandle.standardError.write(Data("sslmem-bench: cannot read float64 array \(path)\n".utf8))
        exit(1)
    }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, arguments[1] == "kendall" else {
    FileHandle.standardError.write(Data("usage: sslmem-bench kendall X.f64 Y.f64 [repeats]\n".utf8))
    exit(64)
}
let x = readDoubles(arguments[2]), y = readDoubles(arguments[3])
let repeats = arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5
var best = Double.infinity
var result = KendallTau.tauB(x, y)
for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    result = KendallTau.tauB(x, y)
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
print(best)
print(result.tau)
print(result.pValue)
