import Foundation

/// The label a k-nearest-neighbour attack infers for one target point from the
/// labels of its k nearest public rows (Déjà Vu, Meehan et al. 2023, §4).
public struct LabelInference: Equatable, Sendable {
    /// The most frequent neighbour label; among equally frequent labels, the lowest.
    public let prediction: Int64
    /// Confidence as the entropy (natural log) of the neighbour-label
    /// histogram, H = −Σ_c (n_c/k) ln(n_c/k); lower is more confident.
    ///
    /// The terms are summed over the counts in descending order, so histograms
    /// that are permutations of each other — equally confident attacks — give
    /// bit-identical entropies, and ties are broken only by the caller's rule.
    public let entropy: Double

    init(prediction: Int64, entropy: Double) {
        self.prediction = prediction
        self.entropy = entropy
    }

    public init(neighbourLabels labels: some Collection<Int64>) {
        precondition(!labels.isEmpty, "label inference needs at least one neighbour")
        var counts: [Int64: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        var best = (label: Int64.max, count: 0)
        for (label, count) in counts where count > best.count || (count == best.count && label < best.label) {
            best = (label, count)
        }
        prediction = best.label
        let k = Double(labels.count)
        var h = 0.0
        for count in counts.values.sorted(by: >) {
            let share = Double(count) / k
            h -= share * log(share)
        }
        entropy = h
    }
}
