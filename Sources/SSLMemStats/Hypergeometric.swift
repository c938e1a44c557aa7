import Foundation

/// The hypergeometric distribution: the number K of marked items among `draws` drawn without replacement
/// from `population` items of which `marked` are marked. P(K = k) = C(marked, k)·C(population − marked,
/// draws − k) / C(population, draws), summed in log space (`Distributions.logGamma`).
public enum Hypergeometric {
    /// log C(n, k).
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        Distributions.logGamma(Double(n + 1)) - Distributions.logGamma(Double(k + 1))
            - Distributions.logGamma(Double(n - k + 1))
    }

    /// Upper tail P(K ≥ k) (scipy: `hypergeom.sf(k − 1, population, marked, draws)`), capped at 1.
    public static func upperTail(_ k: Int, population: Int, marked: Int, draws: Int) -> Double {
        precondition(population >= 0 && (0...population).contains(marked) && (0...population).contains(draws))
        let low = max(0, draws - (population - marked))
        let high = min(marked, draws)
        if k <= low { return 1 }
        if k > high { return 0 }
        let total = logChoose(population, draws)
        var sum = 0.0
        for i in k...high {
            sum += exp(logChoose(marked, i) + logChoose(population - marked, draws - i) - total)
        }
        return min(1, sum)
    }
}
