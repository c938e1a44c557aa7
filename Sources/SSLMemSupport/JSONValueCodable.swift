/// `JSONValue` as a `Codable` value, so a typed document (such as `RunSummary`) can carry a section whose
/// shape belongs to a module above this one (the LayerMem section) and read it back.
///
/// Encoding keeps the members of an object in order (through `JSONValueEncoder` the value is taken as it
/// is); decoding through Foundation's `JSONDecoder` gives objects with their members sorted by key, since
/// that decoder does not keep the order of the text. Integers decode as `.integer`, other numbers as
/// `.number`; the strings "nan", "inf" and "-inf" stay strings unless the decoder converts them.
extension JSONValue: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            self = .object(
                try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                    ($0.stringValue, try object.decode(JSONValue.self, forKey: $0))
                })
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let n = try? single.decode(Int.self) {
            self = .integer(n)
        } else if let x = try? single.decode(Double.self) {
            self = .number(x)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (name, value) in members { try container.encode(value, forKey: Key(stringValue: name)) }
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .number(let x):
            var container = encoder.singleValueContainer()
            try container.encode(x)
        case .integer(let n):
            var container = encoder.singleValueContainer()
            try container.encode(n)
        case .string(let s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }

    /// The member `key` of an object; nil for a missing member or a value that is no object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The items of an array; nil otherwise.
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
    /// The string; nil otherwise.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// An integer; nil otherwise.
    public var intValue: Int? { if case .integer(let n) = self { n } else { nil } }
    /// A number, integers included; NaN for null (how non-finite numbers are written); nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .number(let x): x
        case .integer(let n): Double(n)
        case .null: .nan
        default: nil
        }
    }
}

extension JSONValue: Equatable {
    /// Structural equality; object members compare in order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): x == y
        case (.number(let x), .number(let y)): x == y || (x.isNaN && y.isNaN)
        case (.integer(let x), .integer(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }
}
