import SSLMemHDF5
import SSLMemSupport

/// One layer of a representations file's `/layers` group (docs/layout.md, "LayerMem and UnitMem"):
/// `/layers/<name>/representations` [N, K, …] holds the layer's output for the K augmented views of
/// each point, `/layers/<name>/original` [N, …] its output for the un-augmented point, and the group
/// attributes `order` (depth, 0 nearest the input) and `units_axis` (which trailing axis holds the
/// units: 0 for conv maps [C, H, W], 1 for tokens [T, C]; default 0). Rows are those of `/points/index`.
public struct Layer {
    public let name: String
    /// Depth in the encoder; layers are analysed in ascending order.
    public let order: Int
    /// Axis of one view's shape (`viewShape`) that indexes the units.
    public let unitsAxis: Int
    public let representations: HDF5Dataset
    /// `/layers/<name>/original`, when the file has it (pairing `original` needs it).
    public let original: HDF5Dataset?
    public let file: String

    /// `/layers/<name>`.
    public var path: String { "/layers/\(name)" }
    /// K.
    public var viewCount: Int { representations.shape[1] }
    /// The shape of one view, e.g. [C, H, W] or [T, C].
    public var viewShape: [Int] { Array(representations.shape.dropFirst(2)) }
    /// D: length of one flattened view.
    public var viewLength: Int { viewShape.reduce(1, *) }
    /// Number of units: the length of the units axis.
    public var unitCount: Int { viewShape[unitsAxis] }
}

/// Discovery and validation of the `/layers` group: every problem is one line
/// naming the file and the layer.
public enum LayerGroup {
    /// Whether `file` has a `/layers` group.
    public static func present(in file: RepresentationsFile) -> Bool { file.file.isGroup("/layers") }

    /// The layers of `file`, checked and sorted by `order`.
    public static func layers(of file: RepresentationsFile) throws -> [Layer] {
        let path = file.path
        guard present(in: file) else {
            throw SSLMemError(
                file: path, dataset: "/layers",
                "missing group; LayerMem and UnitMem need per-layer dumps (docs/layout.md, "
                    + "\"LayerMem and UnitMem\")")
        }
        let names = try file.file.members(ofGroup: "/layers")
        guard !names.isEmpty else { throw SSLMemError(file: path, dataset: "/layers", "group holds no layers") }
        let n = file.index.count
        var layers: [Layer] = []
        for name in names {
            let group = "/layers/\(name)"
            guard file.file.isGroup(group) else {
                throw SSLMemError(
                    file: path, dataset: group,
                    "is not a group; each layer is a group holding "
                        + "representations (and original)")
            }
            let representations = try file.file.dataset(group + "/representations")
            try RepresentationsFile.expect(representations, minimumRank: 3, rows: n)
            guard representations.shape[1] >= 2 else {
                throw SSLMemError(
                    file: path, dataset: representations.path,
                    "K = \(representations.shape[1]) view per point; layer \(name) needs K ≥ 2 "
                        + "augmented views")
            }
            guard let orderValue = try file.file.attribute("order", ofGroup: group) else {
                throw SSLMemError(
                    file: path, dataset: group,
                    "attribute order (integer depth, 0 nearest the input) "
                        + "is missing")
            }
            guard let order = orderValue.integer else {
                throw SSLMemError(file: path, dataset: group, "attribute order is \(orderValue), expected one integer")
            }
            var unitsAxis = 0
            if let axisValue = try file.file.attribute("units_axis", ofGroup: group) {
                guard let axis = axisValue.integer else {
                    throw SSLMemError(
                        file: path, dataset: group,
                        "attribute units_axis is \(axisValue), expected one integer")
                }
                let rank = representations.shape.count - 2
                guard axis >= 0, axis < rank else {
                    throw SSLMemError(
                        file: path, dataset: group,
                        "units_axis \(axis) is not an axis of a view of "
                            + "shape \(Array(representations.shape.dropFirst(2))) (0…\(rank - 1))")
                }
                unitsAxis = Int(axis)
            }
            var original: HDF5Dataset?
            if file.file.exists(group + "/original") {
                let o = try file.file.dataset(group + "/original")
                try RepresentationsFile.expect(o, minimumRank: 2, rows: n)
                guard Array(o.shape.dropFirst()) == Array(representations.shape.dropFirst(2)) else {
                    throw SSLMemError(
                        file: path, dataset: o.path,
                        "shape \(Array(o.shape.dropFirst())) per point, the views have "
                            + "\(Array(representations.shape.dropFirst(2)))")
                }
                original = o
            }
            if let other = layers.first(where: { $0.order == Int(order) }) {
                throw SSLMemError(
                    file: path, dataset: group,
                    "order \(order) is also the order of layer \(other.name); each layer needs its own depth")
            }
            layers.append(
                Layer(
                    name: name, order: Int(order), unitsAxis: unitsAxis, representations: representations,
                    original: original, file: path))
        }
        return layers.sorted { $0.order < $1.order }
    }

    /// Checks that `layers` (of another file of the same run) match `reference`:
    /// the same names, orders, view shapes and units axes.
    public static func check(_ layers: [Layer], matches reference: [Layer]) throws {
        guard let first = reference.first, let mine = layers.first else { return }
        for r in reference where !layers.contains(where: { $0.name == r.name }) {
            throw SSLMemError(
                file: mine.file, dataset: r.path, "layer \(r.name) is missing here but present in \(first.file)")
        }
        for l in layers {
            guard let r = reference.first(where: { $0.name == l.name }) else {
                throw SSLMemError(file: l.file, dataset: l.path, "layer \(l.name) is not in \(first.file)")
            }
            if l.viewShape != r.viewShape {
                throw SSLMemError(
                    file: l.file, dataset: l.representations.path,
                    "layer \(l.name) has views of shape \(l.viewShape) here but \(r.viewShape) in \(r.file)")
            }
            if l.order != r.order || l.unitsAxis != r.unitsAxis {
                throw SSLMemError(
                    file: l.file, dataset: l.path,
                    "layer \(l.name) has order \(l.order), units_axis \(l.unitsAxis) here but order "
                        + "\(r.order), units_axis \(r.unitsAxis) in \(r.file)")
            }
        }
    }

    /// The layers named in `names` (all when empty), in `order`.
    public static func select(_ layers: [Layer], names: [String]) throws -> [Layer] {
        guard !names.isEmpty else { return layers }
        for name in names where !layers.contains(where: { $0.name == name }) {
            throw SSLMemError(
                file: layers.first?.file, dataset: "/layers/\(name)",
                "no such layer (the file has \(layers.map(\.name).joined(separator: ", ")))")
        }
        return layers.filter { names.contains($0.name) }
    }
}
