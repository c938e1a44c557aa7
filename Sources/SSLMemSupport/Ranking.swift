/// The toolkit's one rank-by-value rule, used wherever points (or units) are ranked by a score: top-n lists of
/// `select`, the most memorized candidates of a report, the top/least sets of LayerMem, the top-X of overlaps,
/// the most memorizing units.
///
/// Order: the higher value first (`highestFirst`) or the lower first (`lowestFirst`); equal values in
/// ascending order of their key (the dataset index for points, the position for units or rows already in
/// index order): `TieRule.lowerIndex`. The sort is total and deterministic, so every command and the reports
/// select the same points from the same scores. NaN values go last in either order.
public enum TieRule: String, Codable, Sendable, CaseIterable {
    /// Equal values: the lower dataset index (or position) first.
    case lowerIndex = "lower-index"

    /// The rule in words, for reports and help texts.
    public var sentence: String { "ties to the lower index" }
}

public enum Ranking {
    /// `rows` ordered by `value(row)`, the highest first; ties by `key(row)` ascending (`TieRule.lowerIndex`).
    public static func highestFirst<Key: Comparable>(
        _ rows: some Sequence<Int>, value: (Int) -> Double, key: (Int) -> Key
    ) -> [Int] {
        rows.sorted { precedes(value($0), key($0), value($1), key($1), descending: true) }
    }

    /// `rows` ordered by `value(row)`, the lowest first; ties by `key(row)` ascending (`TieRule.lowerIndex`).
    public static func lowestFirst<Key: Comparable>(
        _ rows: some Sequence<Int>, value: (Int) -> Double, key: (Int) -> Key
    ) -> [Int] {
        rows.sorted { precedes(value($0), key($0), value($1), key($1), descending: false) }
    }

    /// Positions of `values`, the highest first, ties to the lower position.
    public static func highestFirst(_ values: [Double]) -> [Int] {
        highestFirst(values.indices, value: { values[$0] }, key: { $0 })
    }

    /// Positions of `values`, the lowest first, ties to the lower position.
    public static func lowestFirst(_ values: [Double]) -> [Int] {
        lowestFirst(values.indices, value: { values[$0] }, key: { $0 })
    }

    @inline(__always)
    static func precedes<Key: Comparable>(_ a: Double, _ keyA: Key, _ b: Double, _ keyB: Key, descending: Bool) -> Bool
    {
        if a.isNaN || b.isNaN { return a.isNaN != b.isNaN ? b.isNaN : keyA < keyB }
        if a != b { return descending ? a > b : a < b }
        return keyA < keyB
    }
}
