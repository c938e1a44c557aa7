import SSLMemStats
import Testing

@testable import SSLMemCore

/// `NearestNeighbours.smallestEstimate`, the cut of the screen's first bound and of the pruned search's pass 1:
/// the rank-th smallest finite fl(h − ŝ) over every stride-th row equals the same order statistic taken by
/// sorting, with ties, infinite and NaN products, −∞ halves, descending and ascending runs (the sorted list's
/// worst and best orders), both below and above rank 64 (the quickselect path), and nil when too few are finite.
@Suite struct SmallestEstimateTests {
    static func reference(_ rank: Int, _ products: [Float], _ halves: [Float], stride: Int) -> Float? {
        let finite = Swift.stride(from: 0, to: products.count, by: stride).map { halves[$0] - products[$0] }
            .filter(\.isFinite).sorted()
        return finite.count >= rank ? finite[rank - 1] : nil
    }

    @Test(arguments: [1, 8], [1, 2, 26, 64, 65, 100])
    func equalsTheSortedOrderStatistic(stride: Int, rank: Int) {
        var rng = SplitMix64(seed: UInt64(stride * 1_000 + rank))
        for shape in 0..<4 {
            let n = 3_001
            var products: [Float]
            switch shape {
            case 0: products = (0..<n).map { _ in Float.random(in: -4...4, using: &rng) }
            case 1: products = (0..<n).map { _ in Float(Int.random(in: -3...3, using: &rng)) }  // many ties
            case 2: products = (0..<n).map { Float($0) / 100 }  // estimates descending
            default: products = (0..<n).map { -Float($0) / 100 }  // estimates ascending
            }
            var halves = [Float](repeating: 1, count: n)
            for j in Swift.stride(from: 3, to: n, by: 11) {
                switch (j / 11) % 3 {
                case 0: products[j] = .infinity
                case 1: products[j] = .nan
                default: halves[j] = -.infinity
                }
            }
            var list: [Float] = []
            let found = NearestNeighbours.smallestEstimate(
                rank, products, halves: halves, count: n, stride: stride, list: &list)
            let expected = Self.reference(rank, products, halves, stride: stride)
            #expect(found == expected, "shape \(shape), stride \(stride), rank \(rank)")
            #expect(found != nil)
        }
    }

    @Test func tooFewFiniteEstimatesGiveNil() {
        let products: [Float] = [1, .nan, 2, .infinity, 3]
        let halves: [Float] = [0, 0, -.infinity, 0, 0]
        var list: [Float] = []
        #expect(NearestNeighbours.smallestEstimate(2, products, halves: halves, count: 5, stride: 1, list: &list) == -1)
        #expect(
            NearestNeighbours.smallestEstimate(3, products, halves: halves, count: 5, stride: 1, list: &list) == nil)
        #expect(
            NearestNeighbours.smallestEstimate(80, products, halves: halves, count: 5, stride: 1, list: &list) == nil)
    }
}
