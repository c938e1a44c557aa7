// Benchmark harness for `make bench` (bench/kendall.py): times the statistics
// kernels on arrays written by the driver, so both sides see the same numbers.
//
//   sslmem-bench kendall X.f64 Y.f64 [repeats]
//   sslmem-bench knn DUMP.h5 [k]
//
// kendall: X and Y are raw little-endian float64 arrays. Prints the best wall time of
// `repeats` runs (default 5) in seconds, then tau and p, one per line.
// knn: the k nearest `/dejavu/public` rows (default k = 100) of every `/dejavu/crop` row
// of one dump, on both cores (SSLMEM_KNN_PRUNING=off: brute force; =verbose: phase
// times on stderr). Prints the wall time in seconds and a checksum of the neighbour sets.
import Foundation
import SSLMemCore
import SSLMemHDF5
import SSLMemIO
import SSLMemStats

func readDoubles(_ path: String) -> [Double] {
    guard let data = FileManager.default.contents(atPath: path), data.count % 8 == 0 else {
        FileHandle.standardError.write(Data("sslmem-bench: cannot read float64 array \(path)\n".utf8))
        exit(1)
    }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
}

let arguments = CommandLine.arguments
if arguments.count >= 3, arguments[1] == "knn" {
    do {
        let set = try DejaVuSet(RepresentationsFile(path: arguments[2]))
        let k = arguments.count > 3 ? Int(arguments[3]) ?? 100 : 100
        let targets = try FloatPanelReader(set.crops).readAll(workers: 2)
        let start = DispatchTime.now().uptimeNanoseconds
        let sets = try NearestNeighbours.neighbourSets(
            targets: targets, count: set.crops.shape[0],
            publicRows: FloatPanelReader(set.publicRows), k: k, workers: 2)
        print(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        print(sets.enumerated().reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1.offset % 7 + 1) &* UInt64($1.element) })
    } catch {
        FileHandle.standardError.write(Data("sslmem-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
guard arguments.count >= 4, arguments[1] == "kendall" else {
    FileHandle.standardError.write(Data("usage: sslmem-bench kendall X.f64 Y.f64 [repeats]\n".utf8))
    exit(64)
}
let x = readDoubles(arguments[2])
let y = readDoubles(arguments[3])
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
