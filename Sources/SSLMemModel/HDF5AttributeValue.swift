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
