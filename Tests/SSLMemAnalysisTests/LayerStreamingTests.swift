import CCoreKernels
import Foundation
import SSLMemModel
import SSLMemTestSupport
import Testing

@testable import SSLMemAnalysis
@testable import SSLMemCore
@testable import SSLMemStats

/// `sslmem layers` and `sslmem units` at the score path's speed (issue 28 item 3) give today's results to the
/// last digit: the blocked Gram kernel (k > 6), the fused kernel of pairing `original` and the interleaved
/// UnitMem sums equal the dot-by-dot and plain-loop arithmetic bit for bit, in every variant this CPU runs;
/// and on a per-layer pair with the experiment's eight views (fixtures/layers_k8, made by
/// scripts/fixtures/make_layer_streaming_fixture.py) the JSON of `layers` and `units` equals, character for character,
/// what sslmem printed before these kernels (fixtures/expected/layers_k8.json), with 1, 2 and 3 workers.
@Suite struct LayerStreamingTests {
    static let variants = [SSLMEM_KERNEL_BASELINE, SSLMEM_KERNEL_AVX2_FMA, SSLMEM_KERNEL_AVX512]
        .filter { sslmem_kernel_supported(Int32($0)) != 0 }

    static func vectors(_ count: Int, length: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<(count * length)).map { _ in Float.random(in: -3...3, using: &rng) }
    }

    @Test(arguments: [1, 3, 4, 225, 1_027])
    func gramOfManyViewsEqualsDotByDot(length: Int) {
        for k in 1...12 {
            let data = Self.vectors(k, length: length, seed: UInt64(k * 7_919 + length))
            data.withUnsafeBufferPointer { base in
                let pointers: [UnsafePointer<Float>?] = (0..<k).map { UnsafePointer(base.baseAddress! + $0 * length) }
                for variant in Self.variants {
                    var gram = [Double](repeating: .nan, count: k * k)
                    _ = sslmem_gram_variant(Int32(variant), pointers, k, length, &gram)
                    for i in 0..<k {
                        for j in 0..<k {
                            let one = sslmem_dot_variant(
                                Int32(SSLMEM_KERNEL_BASELINE), pointers[i], pointers[j], length)
                            #expect(
                                gram[i * k + j].bitPattern == one.bitPattern,
                                "variant \(variant), k \(k), length \(length), (\(i), \(j))")
                        }
                    }
                }
                var gram = [Double](repeating: .nan, count: k * k)
                Float.gram(base.baseAddress!, count: k, length: length, into: &gram)
                #expect(
                    gram.indices.allSatisfy {
                        gram[$0].bitPattern
                            == Float.dot(
                                base.baseAddress! + $0 / k * length,
                                base.baseAddress! + $0 % k * length, length
                            ).bitPattern
                    })
            }
        }
    }

    @Test(arguments: [1, 3, 4, 225, 1_027])
    func originalDotsEqualDotByDot(length: Int) {
        for k in 1...11 {
            let data = Self.vectors(k + 1, length: length, seed: UInt64(k * 104_729 + length))
            data.withUnsafeBufferPointer { base in
                let o = base.baseAddress!
                let views = base.baseAddress! + length
                let pointers: [UnsafePointer<Float>?] = (0..<k).map { UnsafePointer(views + $0 * length) }
                func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> UInt64 {
                    sslmem_dot_variant(Int32(SSLMEM_KERNEL_BASELINE), a, b, length).bitPattern
                }
                for variant in Self.variants {
                    var norms = [Double](repeating: .nan, count: k + 1)
                    var dots = [Double](repeating: .nan, count: k)
                    _ = sslmem_original_dots_variant(Int32(variant), o, pointers, k, length, &norms, &dots)
                    for i in 0..<k {
                        #expect(
                            norms[i].bitPattern == dot(views + i * length, views + i * length),
                            "variant \(variant), k \(k), ‖v\(i)‖²")
                        #expect(dots[i].bitPattern == dot(o, views + i * length), "variant \(variant), k \(k), o·v\(i)")
                    }
                    #expect(norms[k].bitPattern == dot(o, o), "variant \(variant), k \(k), ‖o‖²")
                }
            }
        }
    }

    /// sslmem_unit_sums_halves on float16 views (summed as they lie, exact in any order) against the in-order
    /// loop on their Float values, bit for bit: halves over the whole range (subnormals to ±65504, so that an
    /// inexact double sum would show), inner from 1 to the 8,192 limit, with and without whole eights, sixteens
    /// and thirty-twos, outer > 1, the halves at an odd address; a NaN or an infinity is reported; unsupported
    /// shapes (inner 0 or > 8,192) run nothing.
    @Test func halfUnitSumsEqualThePlainLoop() {
        for (outer, units, inner) in [
            (1, 9, 25), (1, 16, 9), (1, 128, 16), (1, 32, 196), (2, 24, 49), (1, 8, 8), (3, 40, 15), (1, 3, 8_192),
            (1, 5, 33), (2, 3, 47), (1, 128, 1), (7, 12, 1), (1, 13, 1), (2, 5, 3), (1, 17, 7)
        ] {
            var rng = SplitMix64(seed: UInt64(outer * 1_000 + units * 10 + inner))
            let bits = (0..<(outer * units * inner)).map { i -> UInt16 in
                let magnitude = UInt16.random(in: 0...0x7bff, using: &rng)  // every finite half, subnormals too
                return (i % 5 == 0 ? 0x7bff : magnitude) | (Bool.random(using: &rng) ? 0x8000 : 0)
            }
            let view = bits.map { Float(Float16(bitPattern: $0)) }
            var expected = (0..<units).map { Double($0) * 0.1 }
            #expect(sslmem_unit_sums(view, outer, units, inner, &expected) == 1)
            var bytes = [UInt8](repeating: 0, count: 2 * bits.count + 1)
            for (i, b) in bits.enumerated() {
                bytes[1 + 2 * i] = UInt8(b & 0xff)
                bytes[2 + 2 * i] = UInt8(b >> 8)
            }
            func run(_ bytes: [UInt8]) -> (Int32, [Double]) {
                var sums = (0..<units).map { Double($0) * 0.1 }
                let result = bytes.withUnsafeBytes {
                    sslmem_unit_sums_halves($0.baseAddress! + 1, outer, units, inner, &sums)
                }
                return (result, sums)
            }
            guard sslmem_unit_sums_halves_fused(inner) != 0 else {
                #expect(run(bytes).0 == -1)
                continue
            }
            let (result, sums) = run(bytes)
            #expect(result == 1)
            #expect(zip(sums, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(outer)×\(units)×\(inner)")
            for bad: UInt16 in [0x7e00, 0xfc00] {
                var broken = bytes
                let at = 1 + 2 * ((outer - 1) * units * inner + (units - 1) * inner + inner / 2)
                broken[at] = UInt8(bad & 0xff)
                broken[at + 1] = UInt8(bad >> 8)
                #expect(run(broken).0 == 0, "\(bad) in \(outer)×\(units)×\(inner)")
            }
        }
        #expect(sslmem_unit_sums_halves_fused(0) == 0 && sslmem_unit_sums_halves_fused(8_193) == 0)
    }

    /// sslmem_unit_sums against the loop it replaces (`UnitActivations.accumulate`'s order), bit for bit, on
    /// shapes with and without a multiple of eight (and sixteen) units and of eight values per unit, inner = 1
    /// (tokens) and outer > 1, in every variant this CPU runs; a NaN or an infinity is reported.
    @Test func unitSumsEqualThePlainLoop() {
        for (outer, units, inner) in [
            (1, 9, 25), (1, 16, 9), (1, 128, 16), (7, 12, 1), (3, 10, 4), (1, 13, 1), (2, 5, 3),
            (1, 32, 196), (2, 24, 49), (1, 8, 8), (3, 40, 15), (1, 17, 7)
        ] {
            // Exponents from 2⁻⁴⁰ to 2⁴⁰, so that the double sums round and a different order of additions shows.
            var rng = SplitMix64(seed: UInt64(outer * 1_000 + units * 10 + inner))
            let view = (0..<(outer * units * inner)).map { _ in
                Float.random(in: -3...3, using: &rng)
                    * Float(sign: .plus, exponent: Int.random(in: -40...40, using: &rng), significand: 1)
            }
            var expected = (0..<units).map { Double($0) * 0.1 }
            for o in 0..<outer {
                for u in 0..<units {
                    var s = 0.0
                    for i in 0..<inner { s += Double(view[(o * units + u) * inner + i]) }
                    expected[u] += s
                }
            }
            var sums = (0..<units).map { Double($0) * 0.1 }
            #expect(sslmem_unit_sums(view, outer, units, inner, &sums) == 1)
            #expect(zip(sums, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(outer)×\(units)×\(inner)")
            for variant in Self.variants {
                var sums = (0..<units).map { Double($0) * 0.1 }
                #expect(sslmem_unit_sums_variant(Int32(variant), view, outer, units, inner, &sums) == 1)
                #expect(
                    zip(sums, expected).allSatisfy { $0.bitPattern == $1.bitPattern },
                    "variant \(variant), \(outer)×\(units)×\(inner)")
            }
            var bad = view
            bad[bad.count - 1] = .nan
            #expect(sslmem_unit_sums(bad, outer, units, inner, &sums) == 0, "NaN in \(outer)×\(units)×\(inner)")
            for variant in Self.variants {
                bad = view
                bad[(outer - 1) * units * inner + Int(variant) % units * inner] = .infinity
                #expect(
                    sslmem_unit_sums_variant(Int32(variant), bad, outer, units, inner, &sums) == 0,
                    "Inf, variant \(variant), \(outer)×\(units)×\(inner)")
            }
        }
    }

    static let f = Repository.fixture("layers_k8/f.h5"), g = Repository.fixture("layers_k8/g.h5")

    static var expected: [String: [String: String]] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/layers_k8.json")))
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return ["layers": object["layers"] as! [String: String], "units": object["units"] as! [String: String]]
    }

    static func conventions(_ name: String) -> Conventions {
        switch name {
        case "authors-code": return Conventions(.authorsCode)
        case "all-pairs cosine":
            var c = Conventions(.paper)
            c.pairing = .allPairs
            c.distance = .cosine
            return c
        default: return Conventions(.paper)
        }
    }

    /// What `sslmem layers --json` prints, built as LayersCommand builds it.
    @Test(arguments: ["paper", "authors-code", "all-pairs cosine"], [1, 2, 3])
    func layersJSONIsToday(convention: String, workers: Int) throws {
        let c = Self.conventions(convention)
        let analysis = try LayerMem.analyze(
            f: [Self.f], g: [Self.g], options: c.alignment, extremes: nil,
            rangeOver: c.rangeOver, workers: workers)
        let consistency = LayerConsistency(analysis, tops: c.topX(fitting: analysis.candidates.count))
        let intervals = LayerIntervals(analysis, conventions: c)
        let findings = LayerFindings(analysis, intervals: intervals)
        let text = layersJSON(analysis, consistency, intervals: intervals, findings: findings).text
        #expect(text == Self.expected["layers"]![convention]!, "\(convention), \(workers) workers")
    }

    /// What `sslmem units --json --f F --g G --allow-negative [--rest median]` prints.
    @Test(arguments: [RestStatistic.mean, .median], [1, 2, 3])
    func unitsJSONIsToday(rest: RestStatistic, workers: Int) throws {
        func analyze(_ path: String) throws -> [UnitMemLayer] {
            try UnitMem.analyze(
                file: path, layers: [], subsets: [.shared, .candidate], rest: rest, allowNegative: true,
                workers: workers)
        }
        let text = unitsJSON(f: try analyze(Self.f), g: try analyze(Self.g)).text
        #expect(text == Self.expected["units"]![rest.rawValue]!, "rest \(rest.rawValue), \(workers) workers")
    }
}

/// The bootstrap's division-free remainder equals `%` for every divisor shape (1, powers of two, odd, near
/// 2⁶³ and 2⁶⁴) and numerators from 0 to UInt64.max, so the layer intervals' draws are today's.
@Suite struct ExactRemainderTests {
    @Test func equalsTheRemainderOperator() {
        var rng = SplitMix64(seed: 28)
        var divisors: [UInt64] = [
            1, 2, 3, 5, 7, 8, 10, 60, 300, 301, 1_200, 4_096, 65_537, 1 << 32, (1 << 32) + 1,
            (1 << 63) - 1, 1 << 63, (1 << 63) + 1, .max - 1, .max
        ]
        divisors += (0..<200).map { _ in rng.next() >> (rng.next() % 64) }.filter { $0 >= 1 }
        for d in divisors {
            let r = ExactRemainder(d)
            var xs: [UInt64] = [0, 1, d - 1, d, d &+ 1, .max, .max - 1, d &* 2, (.max / d) &* d, (.max / d) &* d &- 1]
            xs += (0..<500).map { _ in rng.next() }
            for x in xs {
                #expect(r.remainder(x) == x % d, "\(x) mod \(d)")
            }
        }
    }
}

/// The bootstrap's draws by the kernel (`sslmem_splitmix_remainders`, eight at a time with AVX-512) are those of
/// `ExactRemainder.remainder(generator.next())` in turn, with and without AVX-512, for counts around the vector
/// width and divisors from 1 to near 2⁶⁴; the generator ends where drawing one by one leaves it.
@Suite struct BootstrapDrawTests {
    @Test func kernelDrawsTheScalarDraws() {
        var rng = SplitMix64(seed: 41)
        var divisors: [UInt64] = [1, 2, 3, 7, 8, 300, 301, 1_200, 65_537, 1 << 32, (1 << 32) + 1, 1 << 63, .max]
        divisors += (0..<30).map { _ in rng.next() >> (rng.next() % 64) }.filter { $0 >= 1 }
        for d in divisors {
            let divisor = ExactRemainder(d)
            for count in [0, 1, 7, 8, 9, 16, 300, 1_003] {
                let seed = rng.next()
                var scalar = SplitMix64(seed: seed)
                let expected = (0..<count).map { _ in divisor.remainder(scalar.next()) }
                for wide in [false, true] {
                    var generator = SplitMix64(seed: seed)
                    var got = [UInt64](repeating: .max, count: count)
                    got.withUnsafeMutableBufferPointer { divisor.fill($0, from: &generator, wide: wide) }
                    #expect(got == expected, "divisor \(d), count \(count), wide \(wide)")
                    #expect(generator.next() == scalar.next() && generator.state == scalar.state)
                    scalar = SplitMix64(seed: seed, skipping: UInt64(count))
                }
            }
        }
    }
}

/// `Bootstrap.rowSums` (four resamples side by side in CStatsKernels) against the plain loop over the draws of
/// `Bootstrap.intervals` (SplitMix64, resample by resample, group by group, `next() % size`), bit for bit: groups
/// with an empty one, widths 3, 4 and 8 (with and without the AVX2 path), resample counts around four and the
/// parallel cut, 1–3 workers.
@Suite struct BootstrapRowSumsTests {
    @Test func rowSumsEqualThePlainLoop() {
        var rng = SplitMix64(seed: 71)
        let groups = [37, 0, 11]
        for width in [3, 4, 8] {
            let tables = groups.map { n in
                (0..<(n * width)).map { _ in rng.normal() * pow(10, Double(Int.random(in: -8...8, using: &rng))) }
            }
            for resamples in [1, 3, 4, 5, 257, 1_030] {
                let seed = rng.next()
                var generator = SplitMix64(seed: seed)
                var expected: [Double] = []
                for _ in 0..<resamples {
                    for (j, n) in groups.enumerated() {
                        var sum = [Double](repeating: 0, count: width)
                        for _ in 0..<n {
                            let row = Int(generator.next() % UInt64(n))
                            for l in 0..<width { sum[l] += tables[j][row * width + l] }
                        }
                        expected += sum
                    }
                }
                for workers in [1, 2, 3] {
                    let got = Bootstrap.rowSums(
                        groups: groups, tables: tables, width: width, resamples: resamples, seed: seed,
                        workers: workers)
                    #expect(
                        got.count == expected.count
                            && zip(got, expected).allSatisfy { $0.bitPattern == $1.bitPattern },
                        "width \(width), \(resamples) resamples, \(workers) workers")
                }
            }
        }
    }
}

/// Kendall's τ ranks a few hundred values per pair of layers with a comparison sort: the same order and keys as
/// the radix sort (ascending, ties in increasing position, −0 equal to +0) on random, tied and signed-zero data.
@Suite struct SmallSortTests {
    @Test(arguments: [0, 1, 2, 7, 300, 2_047])
    func comparisonSortEqualsRadixSort(count: Int) {
        var rng = SplitMix64(seed: UInt64(count) + 99)
        let random = (0..<count).map { _ in Double.random(in: -1e3...1e3, using: &rng) }
        let tied = (0..<count).map { _ in Double(Int.random(in: -3...3, using: &rng)) * 0.5 }
        let zeros = (0..<count).map { i in [0.0, -0.0, 1e-300, -1e-300, .infinity, -.infinity][i % 6] }
        for values in [random, tied, zeros] {
            let small = RadixSort.comparisonSort(values)
            let radix = RadixSort.radixSort(values)
            #expect(small.order == radix.order && small.keys == radix.keys, "n \(count)")
        }
    }
}

/// The bootstrap's resamples on several threads (each from the generator moved to its first resample) give the
/// intervals of one thread drawing them in turn, bit for bit; `SplitMix64(seed:skipping:)` is `next()` n times.
@Suite struct ParallelBootstrapTests {
    @Test func workersDoNotChangeTheIntervals() {
        var rng = SplitMix64(seed: 5)
        let a = (0..<37).map { _ in rng.normal() }
        let b = (0..<11).map { _ in rng.normal() }
        for resamples in [2, 255, 3_001] {
            func run(_ workers: Int) -> [Interval] {
                Bootstrap.intervals(
                    groups: [37, 0, 11], count: 3, resamples: resamples, seed: 9,
                    workers: workers
                ) { draws, out in
                    out[0] = draws[0].reduce(0.0) { $0 + a[$1] } / 37
                    out[1] = draws[2].reduce(0.0) { $0 + b[$1] } / 11
                    out[2] = out[0] - out[1]
                }
            }
            let one = run(1)
            for workers in [2, 3, 8] {
                let other = run(workers)
                #expect(
                    zip(one, other).allSatisfy {
                        $0.lower.bitPattern == $1.lower.bitPattern && $0.upper.bitPattern == $1.upper.bitPattern
                    }, "\(resamples) resamples, \(workers) workers")
            }
        }
        var stepped = SplitMix64(seed: 77)
        for _ in 0..<1_000 { _ = stepped.next() }
        var jumped = SplitMix64(seed: 77, skipping: 1_000)
        #expect(stepped.next() == jumped.next())
    }
}
