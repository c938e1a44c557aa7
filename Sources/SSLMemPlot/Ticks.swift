import Foundation

/// Tick positions at "nice" numbers (1, 2, 5 × 10ᵏ; Heckbert, Graphics Gems,
/// 1990) and their labels, with as many decimals as the step needs and no more.
public enum Ticks {
    /// The nice number (1, 2, 2.5, 5 or 10 × 10ᵏ) at or above `rough`, or with
    /// `nearest`, the nice number (1, 2, 5, 10 × 10ᵏ) nearest to it.
    public static func niceStep(_ rough: Double, nearest: Bool = false) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let exponent = floor(log10(rough))
        let fraction = rough / pow(10, exponent)
        let nice: Double
        if nearest {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        }
        return nice * pow(10, exponent)
    }

    /// Ticks inside the scale's domain: about `target` of them on a linear
    /// scale; decades (and 2, 5 between them when there are few) on a log scale.
    public static func positions(_ scale: Scale, target: Int = 5) -> [Double] {
        let tolerance = 1e-9 * (scale.upper - scale.lower)
        switch scale.kind {
        case .linear:
            let step = niceStep((scale.upper - scale.lower) / Double(max(1, target - 1)), nearest: true)
            let first = (scale.lower / step - 1e-9).rounded(.up)
            var ticks: [Double] = []
            var k = first
            while k * step <= scale.upper + tolerance {
                let value = k * step
                ticks.append(abs(value) < step * 1e-9 ? 0 : value)
                k += 1
            }
            return ticks
        case .log:
            let low = Int(
                log10(scale.lower).rounded(.up) - (log10(scale.lower).rounded(.up) - log10(scale.lower) > 1e-9 ? 1 : 0))
            let high = Int(log10(scale.upper).rounded(.down))
            let decades = high - low
            let multiples: [Double] = decades <= 2 ? [1, 2, 5] : [1]
            var ticks: [Double] = []
            for e in (low - 1)...(high + 1) {
                for m in multiples {
                    let value = m * pow(10, Double(e))
                    if value >= scale.lower * (1 - 1e-9) && value <= scale.upper * (1 + 1e-9) { ticks.append(value) }
                }
            }
            return ticks
        }
    }

    /// Labels for `ticks`, all with the same number of decimals (enough to tell
    /// neighbours apart); large or tiny magnitudes in exponent form; "−" for minus.
    public static func labels(_ ticks: [Double], kind: Scale.Kind = .linear) -> [String] {
        guard ticks.count > 1 else { return ticks.map { format($0, decimals: 2) } }
        if kind == .log {
            // One style per axis: powers of ten for every tick as soon as one needs them (|exponent| ≥ 3),
            // never "10⁻³" beside "0.01".
            let exponents = ticks.map { floor(log10($0) + 1e-9) }
            if exponents.contains(where: { abs($0) >= 3 }) {
                return zip(ticks, exponents).map { t, e in
                    let power = "10^{\(Int(e))}".replacingOccurrences(of: "-", with: "−")
                    let mantissa = t / pow(10, e)
                    return abs(mantissa - 1) < 1e-9 ? power : format(mantissa, decimals: 0) + "×" + power
                }
            }
            return zip(ticks, exponents).map { t, e in format(t, decimals: max(0, -Int(e))) }
        }
        let step = zip(ticks.dropFirst(), ticks).map { $0 - $1 }.min() ?? 1
        let magnitude = ticks.map { abs($0) }.max() ?? 1
        if magnitude >= 1e5 || (magnitude < 1e-3 && magnitude > 0) {
            return ticks.map { $0 == 0 ? "0" : String(format: "%.1e", $0).replacingOccurrences(of: "-", with: "−") }
        }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let adjusted =
            ticks.contains { abs($0 * pow(10, Double(decimals)) - ($0 * pow(10, Double(decimals))).rounded()) > 1e-6 }
            ? decimals + 1 : decimals
        return ticks.map { format($0, decimals: adjusted) }
    }

    static func format(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value == 0 ? 0 : value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
