import Foundation

/// Maps data values to positions on one axis: linear, or logarithmic (base 10).
public struct Scale: Sendable, Equatable {
    public enum Kind: Sendable { case linear, log }

    public var kind: Kind
    public var lower: Double
    public var upper: Double

    public init(_ lower: Double, _ upper: Double, kind: Kind = .linear) {
        precondition(kind == .linear || (lower > 0 && upper > 0), "a log scale needs a positive domain")
        self.kind = kind
        (self.lower, self.upper) =
            lower < upper ? (lower, upper) : lower == upper ? (lower - 0.5, upper + 0.5) : (upper, lower)
    }

    /// Position of `value` in [0, 1] across the domain (outside values extrapolate).
    public func fraction(_ value: Double) -> Double {
        switch kind {
        case .linear: return (value - lower) / (upper - lower)
        case .log: return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// The domain grown to the first and last nice tick around it (linear), or to whole decades (log).
    public func niced(targetTicks: Int = 5) -> Scale {
        switch kind {
        case .linear:
            let step = Ticks.niceStep((upper - lower) / Double(max(1, targetTicks - 1)))
            return Scale((lower / step).rounded(.down) * step, (upper / step).rounded(.up) * step)
        case .log:
            return Scale(pow(10, log10(lower).rounded(.down)), pow(10, log10(upper).rounded(.up)), kind: .log)
        }
    }

    /// The domain of `values` with a relative `padding` on each side.
    public static func covering(_ values: [Double], padding: Double = 0, kind: Kind = .linear) -> Scale {
        let finite = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        guard let low = finite.min(), let high = finite.max() else { return Scale(0, 1, kind: kind) }
        if kind == .log {
            let span = log10(high) - log10(low)
            return Scale(pow(10, log10(low) - padding * span), pow(10, log10(high) + padding * span), kind: .log)
        }
        let span = high - low
        return Scale(low - padding * span, high + padding * span)
    }
}
