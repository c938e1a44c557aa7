import CCoreKernels
import SSLMemStats
import Testing

/// The nearest-neighbour screen's Float32 prefilter (CCoreKernels/screen.c): the AVX2 and the portable
/// version select the same rows as the rule written out in Swift, fl(h − ŝ) ≤ θ or ŝ not finite,
/// with infinite and NaN products, halves of −∞ (an overflowing ‖p‖²/2) and estimates equal to θ,
/// at lengths with and without a tail past the last multiple of eight.
@Suite struct ScreenKernelTests {
    @Test(arguments: [1, 7, 8, 9, 64, 1_001])
    func variantsSelectTheRowsOfTheRule(length: Int) {
        var rng = SplitMix64(seed: UInt64(length) + 40)
        var products = (0..<length).map { _ in Float.random(in: -4...4, using: &rng) }
        var halves = (0..<length).map { _ in Float.random(in: 0...4, using: &rng) }
        let theta: Float = 0.5
        for j in stride(from: 0, to: length, by: 5) {
            switch (j / 5) % 5 {
            case 0: products[j] = .infinity
            case 1: products[j] = .nan
            case 2: halves[j] = -.infinity
            case 3: products[j] = -.infinity
            default: halves[j] = products[j] + theta  // an estimate equal to θ (when exact) passes
            }
        }
        let expected = (0..<length).filter { halves[$0] - products[$0] <= theta || !products[$0].isFinite }
            .map { Int32(100 + $0) }
        #expect(!expected.isEmpty)
        for avx2 in [0, 1] {
            var rows = [Int32](repeating: -1, count: length)
            let found = sslmem_screen_variant(Int32(avx2), products, halves, length, theta, 100, &rows)
            #expect(Array(rows[..<found]) == expected, "avx2 = \(avx2), length \(length)")
        }
    }
}
