/// The four data subsets of the SSLMem setup (Wang et al. 2024, Sec. 3):
/// encoder f trains on S_S ∪ S_C, encoder g on S_S ∪ S_I, and S_E is held out
/// from both. Raw values are layout v1's `/points/subset` codes.
public enum Subset: UInt8, CaseIterable, Sendable, CustomStringConvertible, Comparable {
    /// S_S: trained on by both encoders.
    case shared = 0
    /// S_C: trained on by f only — the points whose memorization is measured.
    case candidate = 1
    /// S_I: trained on by g only.
    case independent = 2
    /// S_E: trained on by neither.
    case extra = 3

    public var description: String { Self.names[Int(rawValue)] }

    /// Names in code order, as in the `names` attribute of `/points/subset`.
    public static let names = ["shared", "candidate", "independent", "extra"]

    public init?(name: String) {
        guard let code = Self.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: UInt8(code))
    }

    public static func < (a: Subset, b: Subset) -> Bool { a.rawValue < b.rawValue }
}

/// Which encoder of the SSLMem pair a representations file belongs to.
public enum EncoderRole: String, Sendable {
    /// f: trained on shared + candidate.
    case f
    /// g: trained on shared + independent.
    case g

    /// The subset only this role's encoder trained on, which `trained_on` must list.
    public var ownSubset: Subset { self == .f ? .candidate : .independent }
    /// The subset this role's encoder must not have trained on.
    public var otherSubset: Subset { self == .f ? .independent : .candidate }
}
