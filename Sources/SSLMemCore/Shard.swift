/// One of N parts of the points, for scoring on several machines: point x is
/// in shard h(x) mod N, where h is the SplitMix64 finalizer of its
/// `/points/index` (Steele et al. 2014). The hash spreads any index pattern —
/// consecutive, strided, clustered — evenly, so shards are balanced.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let number: Int
    public let count: Int

    public init(_ number: Int, of count: Int) {
        precondition(count >= 1 && number >= 0 && number < count)
        self.number = number
        self.count = count
    }

    /// Parses "i/N" with 0 ≤ i < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else { return nil }
        self.init(i, of: n)
    }

    public var description: String { "\(number)/\(count)" }

    public func contains(_ index: Int64) -> Bool {
        Int(Self.hash(UInt64(bitPattern: index)) % UInt64(count)) == number
    }

    static func hash(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
