import SSLMemHDF5
import SSLMemModel

/// What a layout-v1 file holds and every way it departs from the layout, for
/// `sslmem inspect`. Unlike `RepresentationsFile`, which stops at the first
/// problem, this keeps going and lists them all.
public struct LayoutInspection {
    public struct DatasetSummary {
        public var path: String
        public var shape: [Int]
        public var type: String
        public var storage: String
    }

    public let path: String
    public let format: String?
    public var attributes: [(name: String, value: HDF5AttributeValue)] = []
    public var datasets: [DatasetSummary] = []
    public var subsetCounts: [Subset: Int] = [:]
    public var problems: [String] = []

    public var isValid: Bool { problems.isEmpty }

    private static let representationDatasets: [(path: String, required: Bool)] = [
        ("/points/index", true), ("/points/subset", true), ("/points/label", false),
        ("/views/representations", true), ("/views/original", false),
        ("/dejavu/crop", false), ("/dejavu/crop_index", false), ("/dejavu/public", false),
        ("/dejavu/public_label", false), ("/dejavu/public_index", false)
    ]
    private static let imageDatasets: [(path: String, required: Bool)] = [
        ("/index", true), ("/pixels", true), ("/label", false)
    ]

    /// Inspects `path`; only a file that HDF5 cannot open at all throws.
    public init(path: String) throws {
        self.path = path
        let file = try HDF5File(reading: path)
        format = try file.attribute("sslmem_format")?.string
        attributes = try file.attributeNames().compactMap { name in try file.attribute(name).map { (name, $0) } }
        let version = try file.attribute("sslmem_format_version")?.integer
        if version != 1 {
            problems.append(
                "root attribute sslmem_format_version is \(version.map(String.init) ?? "missing"), expected 1")
        }
        var opened: [String: HDF5Dataset] = [:]
        let expected: [(path: String, required: Bool)]
        switch format {
        case "representations": expected = Self.representationDatasets
        case "images": expected = Self.imageDatasets
        default:
            problems.append(
                "root attribute sslmem_format is \(format.map { "\"\($0)\"" } ?? "missing"), "
                    + "expected \"representations\" or \"images\"")
            expected = Self.representationDatasets + Self.imageDatasets
        }
        for (name, required) in expected {
            guard file.exists(name) else {
                if required { problems.append("\(name): missing dataset") }
                continue
            }
            do {
                let dataset = try file.dataset(name)
                opened[name] = dataset
                let filters = dataset.filters.map {
                    $0.parameters.isEmpty || $0.id != HDF5Filter.deflateID
                        ? $0.name : "\($0.name) \($0.parameters[0])"
                }
                datasets.append(
                    DatasetSummary(
                        path: name, shape: dataset.shape, type: dataset.elementType.description,
                        storage: ([dataset.layout.description] + filters).joined(separator: ", ")))
            } catch {
                problems.append("\(error)")
            }
        }
        if format == "images" {
            checkImages(opened)
        } else {
            checkRepresentations(opened, trainedOn: try file.attribute("trained_on"))
        }
    }

    private mutating func check(
        _ dataset: HDF5Dataset?, rank: ClosedRange<Int>, integer: Bool, rows: Int? = nil
    ) -> Bool {
        guard let dataset else { return false }
        var fine = true
        if !rank.contains(dataset.shape.count) {
            let wanted = rank.lowerBound == rank.upperBound ? "\(rank.lowerBound)" : "at least \(rank.lowerBound)"
            problems.append("\(dataset.path): rank \(dataset.shape.count) (shape \(dataset.shape)), expected \(wanted)")
            fine = false
        }
        switch (dataset.elementType, integer) {
        case (.integer, true): break
        case (.float(let bytes, _), false) where [2, 4, 8].contains(bytes): break
        default:
            problems.append(
                "\(dataset.path): holds \(dataset.elementType), expected "
                    + (integer ? "integers" : "float16 or float32 (float64 accepted)"))
            fine = false
        }
        if let rows, let n = dataset.shape.first, n != rows {
            problems.append("\(dataset.path): \(n) rows, expected \(rows)")
            fine = false
        }
        return fine
    }

    private mutating func checkRepresentations(_ sets: [String: HDF5Dataset], trainedOn: HDF5AttributeValue?) {
        if case .strings(let names)? = trainedOn {
            for name in names where Subset(name: name) == nil {
                problems.append("root attribute trained_on lists unknown subset \"\(name)\"")
            }
            if names.contains("candidate") == names.contains("independent") {
                problems.append(
                    "root attribute trained_on must list exactly one of \"candidate\" (an f encoder) "
                        + "and \"independent\" (a g encoder), lists [\(names.joined(separator: ", "))]")
            }
        } else {
            problems.append("root attribute trained_on (string array) is missing")
        }
        var n: Int?
        if check(sets["/points/index"], rank: 1...1, integer: true),
            let index = try? sets["/points/index"]!.readAll(as: Int64.self)
        {
            n = index.count
            var seen = Set<Int64>()
            var duplicates: [Int64] = []
            for key in index where !seen.insert(key).inserted { duplicates.append(key) }
            if !duplicates.isEmpty {
                problems.append(
                    "/points/index: \(duplicates.count) duplicate indices (e.g. "
                        + duplicates.prefix(5).map(String.init).joined(separator: ", ") + ")")
            }
        }
        if check(sets["/points/subset"], rank: 1...1, integer: true, rows: n),
            let codes = try? sets["/points/subset"]!.readAll(as: Int64.self)
        {
            let bad = codes.filter { !(0...3).contains($0) }
            if !bad.isEmpty {
                problems.append("/points/subset: \(bad.count) codes outside 0–3 (e.g. \(bad[0]))")
            }
            for code in codes {
                if let s = Subset(rawValue: UInt8(clamping: code)) { subsetCounts[s, default: 0] += 1 }
            }
        }
        _ = check(sets["/points/label"], rank: 1...1, integer: true, rows: n)
        var viewShape: [Int] = []
        if check(sets["/views/representations"], rank: 3...Int.max, integer: false, rows: n) {
            let shape = sets["/views/representations"]!.shape
            viewShape = Array(shape.dropFirst(2))
            if shape[1] < 2 { problems.append("/views/representations: K = \(shape[1]); alignment needs K ≥ 2 views") }
        }
        if check(sets["/views/original"], rank: 2...Int.max, integer: false, rows: n), !viewShape.isEmpty,
            Array(sets["/views/original"]!.shape.dropFirst()) != viewShape
        {
            problems.append("/views/original: shape \(sets["/views/original"]!.shape), expected [N] + \(viewShape)")
        }
        checkPair(sets, data: "/dejavu/crop", keys: "/dejavu/crop_index")
        checkPair(sets, data: "/dejavu/public", keys: "/dejavu/public_label")
        if sets["/dejavu/public_index"] != nil {
            _ = check(
                sets["/dejavu/public_index"], rank: 1...1, integer: true, rows: sets["/dejavu/public"]?.shape.first)
        }
    }

    private mutating func checkPair(_ sets: [String: HDF5Dataset], data: String, keys: String) {
        let rows = sets[data]?.shape.first
        if sets[data] != nil { _ = check(sets[data], rank: 2...Int.max, integer: false) }
        if sets[keys] != nil { _ = check(sets[keys], rank: 1...1, integer: true, rows: rows) }
        if (sets[data] == nil) != (sets[keys] == nil) {
            problems.append("\(sets[data] == nil ? keys : data) is present without \(sets[data] == nil ? data : keys)")
        }
    }

    private mutating func checkImages(_ sets: [String: HDF5Dataset]) {
        _ = check(sets["/index"], rank: 1...1, integer: true)
        let n = sets["/index"]?.shape.first
        if let pixels = sets["/pixels"] {
            if !(3...4).contains(pixels.shape.count) || pixels.shape.first != n {
                problems.append("/pixels: shape \(pixels.shape), expected [N, H, W] or [N, H, W, C] with N = \(n ?? 0)")
            }
            if pixels.elementType != .integer(bytes: 1, signed: false) {
                problems.append("/pixels: holds \(pixels.elementType), expected uint8")
            }
        }
        _ = check(sets["/label"], rank: 1...1, integer: true, rows: n)
    }
}
