/// Mean, spread and the t-interval of the mean of one sample.
public struct Descriptive: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// Sample variance, ddof 1 (NaN when count < 2); computed in two passes.
    public var variance: Double
    public var standardDeviation: Double { variance.squareRoot() }
    /// Standard error of the mean, s/√n.
    public var standardError: Double { (variance / Double(count)).squareRoot() }

    public init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(count)
        let m = mean
        variance = count < 2 ? .nan : values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)
    }

    /// mean ± t₍₁₋α/2, n−1₎ · s/√n, the two-sided t-interval at `level`
    /// (NaN bounds when count < 2).
    public func meanInterval(level: Double = 0.95) -> Interval {
        guard count >= 2 else { return Interval(.nan, .nan) }
        let half = Distributions.studentQuantile(0.5 + level / 2, df: Double(count - 1)) * standardError
        return Interval(mean - half, mean + half)
    }
}

/// A confidence interval; a bound may be infinite (one-sided) or NaN (not computable).
public struct Interval: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}
