// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (snake_case names mirror the keys of the reference JSON they decode.)
import Foundation
import SSLMemTestSupport
import Testing

@testable import SSLMemStats

/// SSLMemStats against scipy's numbers (scripts/fixtures/make_stats_vectors.py → Vectors/stats_vectors.json).
@Suite struct StatsVectorTests {
    /// A number from the vectors file: "nan", "inf" and "-inf" are strings there.
    struct Number: Decodable {
        let value: Double
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let x = try? container.decode(Double.self) {
                value = x
                return
            }
            switch try container.decode(String.self) {
            case "inf": value = .infinity
            case "-inf": value = -.infinity
            default: value = .nan
            }
        }
    }

    struct TTestVector: Decodable {
        let kind, variant, alternative: String
        let a: [Double]
        let b: [Double]?
        let mu: Double?
        let statistic, df, pvalue: Number
        let ci: [Number]?
        let cohens_d, hedges_g: Number?
    }

    struct KendallVector: Decodable {
        let label, alternative: String
        let x, y: [Double]
        let tau, pvalue: Number
    }

    struct AdjustmentVector: Decodable {
        let p, holm, bh: [Double]
    }

    struct DescriptiveVector: Decodable {
        let values: [Double]
        let mean, std: Double
        let ci: [Double]
    }

    struct Vectors: Decodable {
        let ttests: [TTestVector]
        let kendall: [KendallVector]
        let adjustments: [AdjustmentVector]
        let descriptive: [DescriptiveVector]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/stats_vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    /// Agreement within 1e-9 relative; infinities and NaNs must match exactly.
    func agree(_ got: Double, _ expected: Double, _ what: String) {
        if expected.isNaN || expected.isInfinite || expected == 0 {
            #expect(got == expected || (got.isNaN && expected.isNaN), "\(what): \(got) vs \(expected)")
        } else {
            #expect(abs(got - expected) <= 1e-9 * abs(expected), "\(what): \(got) vs \(expected)")
        }
    }

    @Test func tTestsMatchScipy() {
        #expect(Self.vectors.ttests.count > 80)
        for (i, v) in Self.vectors.ttests.enumerated() {
            let alternative = Alternative(rawValue: v.alternative)!
            let r =
                v.kind == "one-sample"
                ? TTest.oneSample(v.a, against: v.mu!, alternative: alternative)
                : TTest.twoSample(
                    v.a, v.b!, variant: v.variant == "welch" ? .welch : .student,
                    alternative: alternative)
            let name = "t-test \(i) (\(v.variant), \(v.alternative), n=\(v.a.count))"
            #expect(r.notComputable == nil)
            agree(r.statistic, v.statistic.value, "\(name) statistic")
            agree(r.degreesOfFreedom, v.df.value, "\(name) df")
            agree(r.pValue, v.pvalue.value, "\(name) p")
            if let ci = v.ci {
                agree(r.confidenceInterval.lower, ci[0].value, "\(name) CI low")
                agree(r.confidenceInterval.upper, ci[1].value, "\(name) CI high")
            }
            if let d = v.cohens_d { agree(r.cohensD, d.value, "\(name) Cohen's d") }
            if let g = v.hedges_g { agree(r.hedgesG, g.value, "\(name) Hedges' g") }
        }
    }

    @Test func kendallMatchesScipy() {
        var methods = Set<KendallResult.Method>()
        for v in Self.vectors.kendall {
            let r = KendallTau.tauB(v.x, v.y, alternative: Alternative(rawValue: v.alternative)!)
            methods.insert(r.method)
            agree(r.tau, v.tau.value, "\(v.label) \(v.alternative) tau")
            agree(r.pValue, v.pvalue.value, "\(v.label) \(v.alternative) p")
            #expect((r.notComputable != nil) == v.tau.value.isNaN, "\(v.label)")
        }
        #expect(methods == [.exact, .asymptotic])
    }

    @Test func adjustmentsMatch() {
        for v in Self.vectors.adjustments {
            // zip stops at the shorter: the lengths first, so an empty or short result cannot pass.
            #expect(PValueAdjustment.holm(v.p).count == v.holm.count && v.holm.count == v.p.count, "Holm length")
            #expect(PValueAdjustment.benjaminiHochberg(v.p).count == v.bh.count && v.bh.count == v.p.count, "BH length")
            for (got, expected) in zip(PValueAdjustment.holm(v.p), v.holm) { agree(got, expected, "Holm") }
            for (got, expected) in zip(PValueAdjustment.benjaminiHochberg(v.p), v.bh) { agree(got, expected, "BH") }
        }
    }

    @Test func descriptiveMatchesScipy() {
        for v in Self.vectors.descriptive {
            let d = Descriptive(v.values)
            agree(d.mean, v.mean, "mean")
            agree(d.standardDeviation, v.std, "std")
            let ci = d.meanInterval()
            agree(ci.lower, v.ci[0], "CI low")
            agree(ci.upper, v.ci[1], "CI high")
        }
    }
}

@Suite struct StatsPropertyTests {
    @Test func degenerateTTestsSayWhy() {
        #expect(TTest.oneSample([1]).notComputable?.contains("at least 2") == true)
        #expect(TTest.oneSample([2, 2, 2]).notComputable?.contains("zero variance") == true)
        #expect(TTest.twoSample([1, 1], [3, 3]).notComputable?.contains("zero variance") == true)
        #expect(TTest.twoSample([1, 2, 3], [4]).pValue.isNaN)
    }

    @Test func kendallOfAMillionTiedPointsIsOneForIdenticalRankings() {
        let x = (0..<100_000).map { Double($0 % 97) }
        let r = KendallTau.tauB(x, x.map { $0 * 2 + 1 })
        #expect(r.tau == 1)
        #expect(r.method == .asymptotic)
    }

    @Test func topOverlapOfIdenticalAndReversedRankings() {
        let a = (0..<50).map(Double.init)
        #expect(TopOverlap(a, a, top: 10).overlap == 1)
        #expect(abs(TopOverlap(a, a, top: 10).kendall.tau - 1) < 1e-15)
        #expect(TopOverlap(a, a.reversed(), top: 10).overlap == 0)
        let half = TopOverlap(a, a.map { $0 < 45 ? $0 : -$0 }, top: 10)
        #expect(half.overlap == 0.5)
        #expect(half.kendall.count == 5 && abs(half.kendall.tau - 1) < 1e-15)
        #expect(TopOverlap(a, a.reversed(), top: 10).kendall.notComputable != nil)
    }

    @Test func bootstrapIsSeededAndCoversTheMean() {
        var rng = SplitMix64(seed: 5)
        let values = (0..<300).map { _ in Double(rng.next() % 1000) / 1000 }
        let first = Bootstrap.meanInterval(values, seed: 11)
        let again = Bootstrap.meanInterval(values, seed: 11)
        #expect(first == again)
        let mean = values.reduce(0, +) / 300
        #expect(first.lower < mean && mean < first.upper)
        let t = Descriptive(values).meanInterval()
        let widthRatio = (first.upper - first.lower) / (t.upper - t.lower)
        #expect(abs(widthRatio - 1) < 0.1)
    }
}

/// Kendall's τ-b at sizes where the two-thread paths run (n ≥ 65,536), against an
/// independent O(n log n) count in the test: pairs sorted by (x, y) and a Fenwick
/// tree over y ranks for the discordant pairs.
@Suite struct KendallLargeTests {
    func reference(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        let order = (0..<n).sorted { (x[$0], y[$0]) < (x[$1], y[$1]) }
        let ys = Array(Set(y)).sorted()
        let rankOf = Dictionary(uniqueKeysWithValues: ys.enumerated().map { ($1, $0 + 1) })
        var tree = [Int](repeating: 0, count: ys.count + 1)
        var discordant = 0
        var seen = 0
        for i in order {  // discordant: earlier in (x, y) order with strictly greater y
            var r = rankOf[y[i]]!
            var atMost = 0
            while r > 0 {
                atMost += tree[r]
                r -= r & -r
            }
            discordant += seen - atMost
            r = rankOf[y[i]]!
            while r <= ys.count {
                tree[r] += 1
                r += r & -r
            }
            seen += 1
        }
        func tiedPairs<T: Hashable>(_ v: [T]) -> Int {
            Dictionary(v.map { ($0, 1) }, uniquingKeysWith: +).values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        }
        // Pairs tied in x but not in y sit in (x, y) order without inversion, so the
        // discordant count is exact; n_c − n_d = n₀ − n₁ − n₂ + n₃ − 2n_d.
        let n0 = n * (n - 1) / 2
        let n1 = tiedPairs(x)
        let n2 = tiedPairs(y)
        let n3 = tiedPairs(zip(x, y).map { "\($0) \($1)" })
        return Double(n0 - n1 - n2 + n3 - 2 * discordant) / (Double(n0 - n1) * Double(n0 - n2)).squareRoot()
    }

    @Test(arguments: [(150_000, 0), (120_001, 40), (100_000, 3)])
    func matchesIndependentCount(n: Int, levels: Int) {
        var rng = SplitMix64(seed: UInt64(n + levels))
        let x = (0..<n).map { _ in levels == 0 ? rng.normal() : Double(rng.next() % UInt64(levels)) }
        let y = x.map { $0 + (levels == 0 ? rng.normal() : Double(rng.next() % UInt64(levels))) }
        let r = KendallTau.tauB(x, y)
        #expect(abs(r.tau - reference(x, y)) < 1e-12)
    }
}
