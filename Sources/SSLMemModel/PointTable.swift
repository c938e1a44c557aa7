/// The points being scored, in ascending `/points/index` order: the order of
/// every output. Files are joined on the index, never by row position.
public struct PointTable: Sendable, Equatable {
    public let index: [Int64]
    public let subset: [Subset]
    public let label: [Int64]

    public init(index: [Int64], subset: [Subset], label: [Int64]) {
        self.index = index
        self.subset = subset
        self.label = label
    }

    public var count: Int { index.count }

    /// Row order that sorts `keys` ascending.
    package static func order(_ keys: [Int64]) -> [Int] {
        keys.indices.sorted { keys[$0] < keys[$1] }
    }
}
