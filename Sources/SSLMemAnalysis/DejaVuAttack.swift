import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// Déjà Vu memorization (Meehan et al. 2023) measured from layout-v1 dumps,
/// following facebookresearch/DejaVu's `label_inference_attack.py`.
///
/// Set A holds the candidate points (f trained on them), set B the independent
/// points (g trained on them). For each encoder M ∈ {f, g} and each point of
/// A ∪ B, the attack looks up the k nearest rows of M's `/dejavu/public` to M's
/// representation of the point's periphery crop (squared L2 on the raw
/// embeddings, exact; ties by lower row — `NearestNeighbours`) and infers the
/// label by majority vote with an entropy confidence (`LabelInference`).
///
/// - acc_M(S, q): accuracy on the ⌊q·|S|⌋ (at least 1) most confident points of
///   S, lowest entropy first, ties by lower point index. q·|S| is rounded down
///   after adding 10⁻⁹, so that q = 0.29 of 100 points takes 29, as written.
/// - target(q) = (acc_f(A, q) + acc_g(B, q)) / 2: each encoder on its own training points;
///   reference(q) = (acc_f(B, q) + acc_g(A, q)) / 2: each on points it never saw;
///   gap = target − reference.
/// - Over all of A and B, no confidence filter: memorized = (P_A[f right, g wrong]
///   + P_B[g right, f wrong]) / 2, forgotten = (P_A[f wrong, g right] +
///   P_B[g wrong, f right]) / 2, correlated = both right, both_wrong likewise;
///   the four shares add up to 1.
public struct DejaVuAttack: Sendable {
    /// One target point and what each encoder's attack inferred for it.
    public struct Point: Sendable {
        public let index: Int64
        public let subset: Subset
        public let label: Int64
        public let f: LabelInference
        public let g: LabelInference

        public func inference(_ model: EncoderRole) -> LabelInference { model == .f ? f : g }
        public func isRight(_ model: EncoderRole) -> Bool { inference(model).prediction == label }
        /// Right with the encoder that trained on the point, wrong with the other.
        public var isMemorized: Bool {
            let own: EncoderRole = subset == .candidate ? .f : .g
            return isRight(own) && !isRight(own == .f ? .g : .f)
        }
    }

    public let k: Int
    /// Set A (candidates) and set B (independent), each in ascending point index.
    public let a: [Point]
    public let b: [Point]

    /// One point of a confidence ranking: its position in `a` or `b`, and whether the model is right on it.
    private typealias Ranked = (position: Int, right: Bool)

    /// For model M and set S (`rankingSlot`): the points of S most confident first (lowest entropy, ties by
    /// lower index), ranked once for every acc_M(S, q) and for the bootstrap.
    private let rankings: [[Ranked]]

    /// For model M and set S (`rankingSlot`): how many of the i most confident
    /// points are right, i = 0…|S| — so each acc_M(S, q) is a lookup.
    private let rightAmongMostConfident: [[Int]]

    public init(k: Int, a: [Point], b: [Point]) {
        self.k = k
        self.a = a.sorted { $0.index < $1.index }
        self.b = b.sorted { $0.index < $1.index }
        rankings = [(EncoderRole.f, self.a), (.f, self.b), (.g, self.a), (.g, self.b)].map { model, points in
            points.indices.sorted {
                (points[$0].inference(model).entropy, points[$0].index)
                    < (points[$1].inference(model).entropy, points[$1].index)
            }.map { ($0, points[$0].isRight(model)) }
        }
        rightAmongMostConfident = rankings.map { ranked in
            ranked.reduce(into: [0]) { counts, point in counts.append(counts.last! + (point.right ? 1 : 0)) }
        }
    }

    private static func rankingSlot(_ model: EncoderRole, _ set: Subset) -> Int {
        (model == .f ? 0 : 2) + (set == .candidate ? 0 : 1)
    }

    public static let sweepFractions = (1...10).map { Double($0) / 10 }

    /// How many of n points a fraction q selects: ⌊q·n + 10⁻⁹⌋, between 1 and n.
    public static func selectedCount(_ q: Double, of n: Int) -> Int {
        min(n, max(1, Int((q * Double(n) + 1e-9).rounded(.down))))
    }

    /// acc_M(S, q) for S = A (candidate) or B (independent).
    public func accuracy(_ model: EncoderRole, on set: Subset, fraction q: Double) -> Double {
        let counts = rightAmongMostConfident[Self.rankingSlot(model, set)]
        guard counts.count > 1 else { return .nan }
        let chosen = Self.selectedCount(q, of: counts.count - 1)
        return Double(counts[chosen]) / Double(chosen)
    }

    public func target(_ q: Double) -> Double {
        (accuracy(.f, on: .candidate, fraction: q) + accuracy(.g, on: .independent, fraction: q)) / 2
    }

    public func reference(_ q: Double) -> Double {
        (accuracy(.f, on: .independent, fraction: q) + accuracy(.g, on: .candidate, fraction: q)) / 2
    }

    /// 95% percentile-bootstrap interval of gap(q): A and B are resampled with
    /// replacement, each on its own, and the whole attack summary recomputed
    /// (1,000 seeded resamples). The sampling uncertainty of the gap over the
    /// target points, not over retrained encoders.
    ///
    /// A resample is a multiset of the points, so its confidence ranking is the
    /// original ranking with each point repeated as often as it was drawn:
    /// acc_M(S, q) of a resample is a walk along the original ranking, O(|S|),
    /// with no sorting per resample. The draws (A's, then B's, from one
    /// SplitMix64) and the arithmetic are those of rebuilding the attack from
    /// the drawn points, so the interval is the same to the last bit.
    public func gapInterval(_ q: Double, resamples: Int = 1_000, seed: UInt64 = 0) -> Interval {
        let fA = rankings[Self.rankingSlot(.f, .candidate)]
        let fB = rankings[Self.rankingSlot(.f, .independent)]
        let gA = rankings[Self.rankingSlot(.g, .candidate)]
        let gB = rankings[Self.rankingSlot(.g, .independent)]
        var drawnA = [Int](repeating: 0, count: a.count)
        var drawnB = [Int](repeating: 0, count: b.count)
        /// acc_M(S, q) of the resample that drew each point of S `drawn[i]` times.
        func accuracy(_ ranked: [Ranked], _ drawn: [Int]) -> Double {
            guard !ranked.isEmpty else { return .nan }
            let chosen = Self.selectedCount(q, of: ranked.count)
            var taken = 0
            var right = 0
            for (position, isRight) in ranked where drawn[position] > 0 {
                let times = min(drawn[position], chosen - taken)
                taken += times
                if isRight { right += times }
                if taken == chosen { break }
            }
            return Double(right) / Double(chosen)
        }
        return Bootstrap.interval(resamples: resamples, seed: seed) { generator in
            for i in drawnA.indices { drawnA[i] = 0 }
            for i in drawnB.indices { drawnB[i] = 0 }
            for _ in a.indices { drawnA[Int(generator.next() % UInt64(a.count))] += 1 }
            for _ in b.indices { drawnB[Int(generator.next() % UInt64(b.count))] += 1 }
            let target = (accuracy(fA, drawnA) + accuracy(gB, drawnB)) / 2
            let reference = (accuracy(fB, drawnB) + accuracy(gA, drawnA)) / 2
            return target - reference
        }
    }

    /// The same interval by rebuilding the attack from every resample (the
    /// definition, O(|S| log |S|) per resample); tests check `gapInterval` against it.
    func gapIntervalByResampling(_ q: Double, resamples: Int = 1_000, seed: UInt64 = 0) -> Interval {
        Bootstrap.interval(resamples: resamples, seed: seed) { generator in
            func draw(_ points: [Point]) -> [Point] {
                points.indices.map { _ in points[Int(generator.next() % UInt64(points.count))] }
            }
            let resampled = DejaVuAttack(k: k, a: draw(a), b: draw(b))
            return resampled.target(q) - resampled.reference(q)
        }
    }

    /// Shares of the four outcomes over A and B, averaged over the two sets.
    public struct Quadrants: Sendable {
        public let memorized: Double
        public let forgotten: Double
        public let correlated: Double
        public let bothWrong: Double
    }

    public var quadrants: Quadrants {
        func share(_ points: [Point], own: EncoderRole, _ ownRight: Bool, _ otherRight: Bool) -> Double {
            let other: EncoderRole = own == .f ? .g : .f
            let n = points.count { $0.isRight(own) == ownRight && $0.isRight(other) == otherRight }
            return Double(n) / Double(points.count)
        }
        func mean(_ ownRight: Bool, _ otherRight: Bool) -> Double {
            (share(a, own: .f, ownRight, otherRight) + share(b, own: .g, ownRight, otherRight)) / 2
        }
        return Quadrants(
            memorized: mean(true, false), forgotten: mean(false, true),
            correlated: mean(true, true), bothWrong: mean(false, false))
    }

    /// `sslmem dejavu --json`: {"k", "n_A", "n_B", "fractions": [{"q", "target",
    /// "reference", "gap"}], "memorized", "forgotten", "correlated", "both_wrong",
    /// "sweep": [{"q", "target", "reference"}]} with sweep q = 0.1, 0.2, …, 1.
    public func json(fractions: [Double]) -> JSONValue {
        let quadrants = self.quadrants
        return .object([
            ("k", .integer(k)), ("n_A", .integer(a.count)), ("n_B", .integer(b.count)),
            (
                "fractions",
                .array(
                    fractions.map { q in
                        let t = target(q)
                        let r = reference(q)
                        return .object([
                            ("q", .number(q)), ("target", .number(t)), ("reference", .number(r)),
                            ("gap", .number(t - r))
                        ])
                    })
            ),
            ("memorized", .number(quadrants.memorized)), ("forgotten", .number(quadrants.forgotten)),
            ("correlated", .number(quadrants.correlated)), ("both_wrong", .number(quadrants.bothWrong)),
            (
                "sweep",
                .array(
                    Self.sweepFractions.map { q in
                        .object([
                            ("q", .number(q)), ("target", .number(target(q))), ("reference", .number(reference(q)))
                        ])
                    })
            )
        ])
    }
}
