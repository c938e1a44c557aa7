import SSLMemSupport
import Testing

/// `NumberFormat`: every number a person reads, one rule per row.
@Suite struct NumberFormatTests {
    static let m = "\u{2212}"

    @Test(
        arguments: [
            (0.0213, 4, "0.0213"), (-0.0213, 4, "\u{2212}0.0213"), (-0.00001, 4, "0.0000"), (-0.0, 2, "0.00"),
            (85.2349, 1, "85.2"), (-3.0, 0, "\u{2212}3"), (Double.nan, 4, "n/a"), (Double.infinity, 2, "∞"),
            (-Double.infinity, 2, "\u{2212}∞")
        ] as [(Double, Int, String)])
    func fixed(_ x: Double, _ digits: Int, _ text: String) {
        #expect(NumberFormat.fixed(x, digits) == text)
    }

    @Test(
        arguments: [
            (0.5, "0.5000"), (1e-4, "0.0001"), (3.14e-7, "3.1e\u{2212}07"), (9.99e-5, "1.0e\u{2212}04"),
            (1e-300, "1.0e\u{2212}300"), (5e-301, "< 1e\u{2212}300"), (0.0, "< 1e\u{2212}300"),
            (Double.leastNonzeroMagnitude, "< 1e\u{2212}300"), (Double.nan, "n/a"), (1.0, "1.0000")
        ] as [(Double, String)])
    func pValue(_ p: Double, _ text: String) {
        #expect(NumberFormat.pValue(p) == text)
    }

    @Test(arguments: [(398.0, "398"), (397.62, "397.6"), (1.0, "1"), (Double.nan, "n/a")] as [(Double, String)])
    func degreesOfFreedom(_ df: Double, _ text: String) {
        #expect(NumberFormat.degreesOfFreedom(df) == text)
    }

    @Test(
        arguments: [(0.125, "12.5%"), (0.0, "0.0%"), (1.0, "100.0%"), (0.5004, "50.0%"), (Double.nan, "n/a")]
            as [(Double, String)])
    func percent(_ share: Double, _ text: String) {
        #expect(NumberFormat.percent(share) == text)
    }

    @Test func meanStdIntervalAndGeneral() {
        #expect(NumberFormat.meanStd(85.23, 0.41, 1) == "85.2 ± 0.4")
        #expect(NumberFormat.meanStd(-0.019, 0.003) == "\(Self.m)0.0190 ± 0.0030")
        #expect(NumberFormat.meanStd(0.019, nil) == "0.0190")
        #expect(NumberFormat.interval(-0.01234, 0.0456) == "[\(Self.m)0.0123, 0.0456]")
        #expect(NumberFormat.general(0.005) == "0.005")
        #expect(NumberFormat.general(1e-5) == "1e\(Self.m)05")
        #expect(NumberFormat.scientific(-2.5e-3) == "\(Self.m)2.5e\(Self.m)03")
    }

    /// Nothing a person reads carries the ASCII hyphen as a minus sign.
    @Test func noASCIIMinus() {
        for x in [-1.5, -1e-9, -123.456, -Double.infinity] {
            for text in [
                NumberFormat.fixed(x), NumberFormat.scientific(x), NumberFormat.general(x),
                NumberFormat.interval(x, x), NumberFormat.meanStd(x, 1)
            ] {
                #expect(!text.contains("-"), "\(text)")
            }
        }
    }
}
