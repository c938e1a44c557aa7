/// The value of an HDF5 attribute, as far as layout v1 needs to read one; also
/// the provenance (options, input files) that scores and alignments carry.
public enum HDF5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case strings([String])
    case integers([Int64])
    case reals([Double])
    case unsupported(String)

    /// The single string of a scalar (or one-element) string attribute.
    public var string: String? {
        if case .strings(let s) = self, s.count == 1 { return s[0] }
        return nil
    }

    public var integer: Int64? {
        if case .integers(let v) = self, v.count == 1 { return v[0] }
        return nil
    }

    public var description: String {
        func list<T>(_ v: [T], _ show: (T) -> String) -> String {
            v.count == 1 ? show(v[0]) : "[" + v.map(show).joined(separator: ", ") + "]"
        }
        switch self {
        case .strings(let v): return list(v) { "\"\($0)\"" }
        case .integers(let v): return list(v) { String($0) }
        case .reals(let v): return list(v) { String($0) }
        case .unsupported(let what): return "<\(what)>"
        }
    }
}

/// Attribute values in JSON: a single number or string as itself, lists as arrays.
extension HDF5AttributeValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int64.self) {
            self = .integers([v])
        } else if let v = try? c.decode(Double.self) {
            self = .reals([v])
        } else if let v = try? c.decode(String.self) {
            self = .strings([v])
        } else if let v = try? c.decode([Int64].self) {
            self = .integers(v)
        } else if let v = try? c.decode([Double].self) {
            self = .reals(v)
        } else {
            self = .strings(try c.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .integers(let v): if v.count == 1 { try c.encode(v[0]) } else { try c.encode(v) }
        case .reals(let v): if v.count == 1 { try c.encode(v[0]) } else { try c.encode(v) }
        case .strings(let v): if v.count == 1 { try c.encode(v[0]) } else { try c.encode(v) }
        case .unsupported(let what): try c.encode(what)
        }
    }

    /// The value as text: lists joined by ", " ("simclr", "10", "0.893").
    public var text: String {
        switch self {
        case .strings(let v): return v.joined(separator: ", ")
        case .integers(let v): return v.map(String.init).joined(separator: ", ")
        case .reals(let v): return v.map { "\($0)" }.joined(separator: ", ")
        case .unsupported(let what): return what
        }
    }
}
