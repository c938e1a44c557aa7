import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemStats

/// Paths of the repository's fixtures, found from this source file.
package enum Repository {
    package static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    package static func fixture(_ name: String) -> String { root + "/fixtures/" + name }
}

/// A fresh temporary directory, removed by the caller with `remove()`.
package struct TemporaryDirectory {
    package let path: String
    package init() {
        path = NSTemporaryDirectory() + "sslmem-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    package func file(_ name: String) -> String { path + "/" + name }
    package func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension SplitMix64 {
    /// A standard normal draw (Box–Muller), for test data.
    package mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// A layout-v1 representations file written by the tests, in any storage layout.
package struct SyntheticDump {
    package var index: [Int64]
    package var subset: [UInt8]
    package var views: [Double]  // [N, K, D]
    package var original: [Double]?  // [N, D]
    package var k: Int
    package var d: Int
    package var trainedOn = ["shared", "candidate"]
    package var storage: FloatStorage = .single
    package var chunkRows: Int? = nil
    package var splitColumns = false  // chunks that hold part of a row
    package var shuffle = false
    package var deflate: Int? = nil
    package var labels: [Int64]? = nil  // /points/label; index % 10 when nil
    package var dejavu: DejaVuGroup? = nil
    /// Datasets and root attributes (by name) left out, for malformed files.
    package var omit: Set<String> = []
    /// Datasets written by these instead of the usual writer, for malformed files.
    package var replace: [String: (HDF5File) throws -> Void] = [:]

    /// The `/dejavu` group: crops of target points and a labelled public set, [rows, length].
    package struct DejaVuGroup {
        package var crop: [Double]
        package var cropIndex: [Int64]
        package var publicRows: [Double]
        package var publicLabel: [Int64]
        package var length: Int
        package var chunkRows: Int? = nil

        package init(
            crop: [Double], cropIndex: [Int64], publicRows: [Double], publicLabel: [Int64], length: Int,
            chunkRows: Int? = nil
        ) {
            self.crop = crop
            self.cropIndex = cropIndex
            self.publicRows = publicRows
            self.publicLabel = publicLabel
            self.length = length
            self.chunkRows = chunkRows
        }
    }

    package init(points n: Int, views k: Int, dim d: Int, seed: UInt64, original: Bool = false) {
        var rng = SplitMix64(seed: seed)
        self.k = k
        self.d = d
        index = (0..<Int64(n)).map { $0 * 7 + 3 }.shuffled(using: &rng)
        subset = (0..<n).map { UInt8($0 % 4) }
        views = (0..<(n * k * d)).map { _ in rng.normal() }
        self.original = original ? (0..<(n * d)).map { _ in rng.normal() } : nil
    }

    package var count: Int { index.count }

    package func write(to path: String) throws {
        let file = try HDF5File(creating: path)
        func put(_ name: String, _ write: () throws -> Void) throws {
            if omit.contains(name) { return }
            if let custom = replace[name] { try custom(file) } else { try write() }
        }
        try put("sslmem_format") { try file.setAttribute("sslmem_format", .strings(["representations"])) }
        try put("sslmem_format_version") { try file.setAttribute("sslmem_format_version", .integers([1])) }
        try put("trained_on") { try file.setAttribute("trained_on", .strings(trainedOn)) }
        try put("/points/index") { try file.write("/points/index", index) }
        try put("/points/subset") { try file.write("/points/subset", subset) }
        try put("/points/label") { try file.write("/points/label", labels ?? index.map { $0 % 10 }) }
        let chunks = chunkRows.map { [$0, k, splitColumns ? max(1, d / 3) : d] }
        try put("/views/representations") {
            try file.write(
                "/views/representations", shape: [count, k, d], values: views, storedAs: storage,
                chunks: chunks, shuffle: shuffle, deflateLevel: deflate)
        }
        if let original {
            try put("/views/original") {
                try file.write(
                    "/views/original", shape: [count, d], values: original, storedAs: storage,
                    chunks: chunkRows.map { [$0, d] }, shuffle: shuffle, deflateLevel: deflate)
            }
        }
        if let dejavu {
            let chunks = dejavu.chunkRows.map { [$0, dejavu.length] }
            try put("/dejavu/crop") {
                try file.write(
                    "/dejavu/crop", shape: [dejavu.cropIndex.count, dejavu.length], values: dejavu.crop,
                    storedAs: storage, chunks: chunks)
            }
            try put("/dejavu/crop_index") { try file.write("/dejavu/crop_index", dejavu.cropIndex) }
            try put("/dejavu/public") {
                try file.write(
                    "/dejavu/public", shape: [dejavu.publicLabel.count, dejavu.length],
                    values: dejavu.publicRows, storedAs: storage, chunks: chunks)
            }
            try put("/dejavu/public_label") { try file.write("/dejavu/public_label", dejavu.publicLabel) }
        }
    }

    /// The values as stored (rounded to the storage precision).
    package func stored(_ x: Double) -> Double {
        switch storage {
        case .half: return Double(Float16(x))
        case .single: return Double(Float(x))
        case .double: return x
        }
    }

    /// a(x) of each row by the definition, in Float64: explicit unit vectors and differences.
    package func naiveAlignments(pairing: String = "all-pairs", cosine: Bool = false) -> [Double] {
        func unit(_ v: [Double]) -> [Double] {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        func distance(_ a: [Double], _ b: [Double]) -> Double {
            cosine
                ? 1 - zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
                : zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        return (0..<count).map { row in
            let u = (0..<k).map { v in unit((0..<d).map { stored(views[(row * k + v) * d + $0]) }) }
            if pairing == "original", let original {
                let o = unit((0..<d).map { stored(original[row * d + $0]) })
                return u.reduce(0) { $0 + distance($1, o) } / Double(k)
            }
            var total = 0.0
            for i in 0..<k { for j in (i + 1)..<k { total += distance(u[i], u[j]) } }
            return total / Double(k * (k - 1) / 2)
        }
    }
}

/// Relative deviation |a − b| / |b|.
package func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

extension ScoresTable {
    /// The same table without the points of `subset` (for tests of a missing subset).
    package func dropping(_ subset: Subset) -> ScoresTable {
        filter { self.subset[$0] != subset }
    }
}
