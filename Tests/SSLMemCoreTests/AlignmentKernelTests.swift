import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemCore

@Suite struct AlignmentKernelTests {
    func align(_ views: [Float], k: Int, original: [Float]? = nil, _ options: AlignmentOptions)
        -> AlignmentKernel.Outcome
    {
        let d = views.count / k
        return views.withUnsafeBufferPointer { v in
            if let original {
                return original.withUnsafeBufferPointer { o in
                    AlignmentKernel.alignment(
                        views: v.baseAddress!, count: k, length: d, original: o.baseAddress!,
                        options: options)
                }
            }
            return AlignmentKernel.alignment(
                views: v.baseAddress!, count: k, length: d, original: nil, options: options)
        }
    }

    @Test func orthogonalViewsAreSqrtTwoApart() {
        // Three orthogonal views of different lengths: every unit pair is √2 apart, cos = 0.
        let views: [Float] = [3, 0, 0, 0, 0.5, 0, 0, 0, 7]
        #expect(align(views, k: 3, AlignmentOptions()) == .alignment(2.0.squareRoot()))
        #expect(align(views, k: 3, AlignmentOptions(distance: .cosine)) == .alignment(1))
    }

    @Test func scaledCopiesAreAligned() {
        let views: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 4, 6, 8, 10, 12, 14, 16, 18]
        guard case .alignment(let a) = align(views, k: 2, AlignmentOptions()) else {
            Issue.record()
            return
        }
        #expect(abs(a) < 1e-7)
    }

    @Test func originalPairingAveragesOverViews() {
        // Views at 0° and 90° from the original: distances 0 and √2, mean √2/2.
        let views: [Float] = [1, 0, 0, 1]
        let outcome = align(views, k: 2, original: [2, 0], AlignmentOptions(pairing: .original))
        #expect(outcome == .alignment(2.0.squareRoot() / 2))
    }

    @Test func zeroAndNonFiniteViewsAreReported() {
        #expect(align([1, 2, 0, 0, 3, 4], k: 3, AlignmentOptions()) == .badView(view: 1, norm: 0))
        guard case .badView(let view, let norm) = align([1, 2, 3, 4, .nan, 1], k: 3, AlignmentOptions()) else {
            Issue.record("NaN not reported")
            return
        }
        #expect(view == 2 && norm.isNaN)
        #expect(
            align([1, 2, 3, 4], k: 2, original: [0, 0], AlignmentOptions(pairing: .original))
                == .badView(view: 2, norm: 0))
    }

    @Test func longVectorsMatchDefinitionInFloat64() {
        var rng = SplitMix64(seed: 42)
        let d = 1003  // not a multiple of the SIMD width
        let views = (0..<(4 * d)).map { _ in Float(rng.normal()) }
        let unit = (0..<4).map { v -> [Double] in
            let x = (0..<d).map { Double(views[v * d + $0]) }
            let n = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return x.map { $0 / n }
        }
        var expected = 0.0
        for i in 0..<4 {
            for j in (i + 1)..<4 {
                expected += zip(unit[i], unit[j]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            }
        }
        expected /= 6
        guard case .alignment(let a) = align(views, k: 4, AlignmentOptions()) else {
            Issue.record()
            return
        }
        #expect(relative(a, expected) < 1e-13)
    }
}
