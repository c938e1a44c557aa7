/// Which view pairs enter a point's alignment loss.
public enum Pairing: String, CaseIterable, Sendable, Codable {
    /// The paper's Eq. 1: a(x) = mean over 1 ≤ i < j ≤ K of d(vᵢ, vⱼ).
    case allPairs = "all-pairs"
    /// The authors' released code: a(x) = mean over k of d(o, vₖ), o = `/views/original`.
    case original
}

/// The distance d between two views, computed on the whole flattened vectors.
public enum Distance: String, CaseIterable, Sendable, Codable {
    /// ‖u(a) − u(b)‖₂ with u(v) = v / ‖v‖₂.
    case l2
    /// 1 − cos(a, b) = 1 − u(a)·u(b).
    case cosine
}

public struct AlignmentOptions: Sendable, Equatable {
    public var pairing: Pairing
    public var distance: Distance

    public init(pairing: Pairing = .allPairs, distance: Distance = .l2) {
        self.pairing = pairing
        self.distance = distance
    }
}
