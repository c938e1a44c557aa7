import SSLMemIO
import SSLMemModel
import SSLMemStats

/// SSLMem next to Déjà Vu (paper Table 4): do the candidates whose label the
/// Déjà Vu attack infers with f but not with g have higher SSLMem scores than
/// the other candidates?
///
/// Groups: the candidates of the attack's set A with a score, split by
/// `DejaVuAttack.Point.isMemorized`. Test: Welch's two-sample t-test,
/// one-sided, H₁: mean SSLMem of the Déjà Vu-memorized > mean of the rest.
public struct DejaVuAgreement: Sendable {
    public let memorized: Descriptive
    public let rest: Descriptive
    public let test: TTestResult

    public init(_ attack: DejaVuAttack, scores: ScoresTable) {
        let scoreOf = Dictionary(uniqueKeysWithValues: zip(scores.index, scores.score))
        var memorized: [Double] = []
        var rest: [Double] = []
        for point in attack.a {
            guard let score = scoreOf[point.index] else { continue }
            if point.isMemorized { memorized.append(score) } else { rest.append(score) }
        }
        self.memorized = Descriptive(memorized)
        self.rest = Descriptive(rest)
        test = TTest.twoSample(memorized, rest, variant: .welch, alternative: .greater)
    }
}
