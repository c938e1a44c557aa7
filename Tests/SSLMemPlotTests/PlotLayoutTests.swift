import Testing

@testable import SSLMemPlot

/// The pure layout functions of the plotting module.
@Suite struct PlotLayoutTests {
    @Test func niceSteps() {
        #expect(Ticks.niceStep(0.13) == 0.2)
        #expect(Ticks.niceStep(3) == 5)
        #expect(Ticks.niceStep(7) == 10)
        #expect(Ticks.niceStep(0.024) == 0.025)
        #expect(Ticks.niceStep(1) == 1)
    }

    @Test func linearTicksStayInsideAndShareDecimals() {
        let scale = Scale(-0.43, 0.58)
        let ticks = Ticks.positions(scale)
        #expect(ticks == [-0.4, -0.2, 0, 0.2, 0.4])
        #expect(Ticks.labels(ticks) == ["−0.4", "−0.2", "0.0", "0.2", "0.4"])
        #expect(Ticks.labels([0, 0.25, 0.5]) == ["0.00", "0.25", "0.50"])
        #expect(Ticks.labels([0, 5000, 10000]) == ["0", "5000", "10000"])
        #expect(Ticks.labels([0, 100_000, 200_000]) == ["0", "1.0e+05", "2.0e+05"])
    }

    @Test func nicedScaleCoversTheData() {
        let niced = Scale(0.1034, 0.7812).niced()
        #expect(niced.lower <= 0.1034 && niced.upper >= 0.7812)
        #expect(niced.lower == 0 && niced.upper == 0.8)
        #expect(Scale(3, 3).lower < 3)  // a degenerate domain is widened, not divided by zero
    }

    @Test func logScale() {
        let scale = Scale(1e-4, 1, kind: .log)
        #expect(abs(scale.fraction(1e-2) - 0.5) < 1e-12)
        #expect(Ticks.positions(scale) == [1e-4, 1e-3, 1e-2, 1e-1, 1])
        // One style per axis (issue 26): powers of ten throughout once one tick needs them.
        #expect(Ticks.labels([1e-4, 1e-2, 1, 1e3], kind: .log) == ["10^{−4}", "10^{−2}", "10^{0}", "10^{3}"])
        #expect(Ticks.labels([1e-3, 2e-3, 5e-3], kind: .log) == ["10^{−3}", "2×10^{−3}", "5×10^{−3}"])
        #expect(Ticks.labels([0.01, 0.1, 1], kind: .log) == ["0.01", "0.1", "1"])
    }

    @Test func viridisEndsAndMiddle() {
        #expect(Viridis.color(0) == Color(hex: 0x440154))
        #expect(Viridis.color(1) == Color(hex: 0xFDE725))
        #expect(Viridis.color(0.5) == Color(hex: 0x26828E))
        #expect(Viridis.color(-3) == Viridis.color(0) && Viridis.color(.nan) == Viridis.color(0))
        #expect(Viridis.color(0.1).luminance < Viridis.color(0.9).luminance)
    }

    @Test func richTextScripts() {
        #expect(RichText("S_C").runs == [.init(text: "S", level: 0), .init(text: "C", level: -1)])
        #expect(
            RichText("10^{−3} s").runs == [
                .init(text: "10", level: 0), .init(text: "−3", level: 1),
                .init(text: " s", level: 0)
            ])
        #expect(RichText("plain").runs == [.init(text: "plain", level: 0)])
    }
}
