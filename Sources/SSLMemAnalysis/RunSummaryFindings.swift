extension RunSummary {
    /// A caveat of a report, with the findings it undermines: summary.json's `"caveats"`; its `text` is also one
    /// of `"warnings"`.
    public struct Caveat: Codable, Sendable, Equatable {
        /// A short stable name, e.g. "offset-shared", "f-g-differ", "small-subset-extra".
        public var id: String
        public var text: String
        /// The claims (`Finding.claim`) it undermines.
        public var undermines: [String]
        public init(id: String, text: String, undermines: [String]) {
            self.id = id
            self.text = text
            self.undermines = undermines
        }
    }

    /// One of a report's findings: a claim of the paper checked on the numbers (`Findings` in
    /// SSLMemAnalysis says which test feeds which claim). summary.json's `"findings"` list.
    public struct Finding: Codable, Sendable, Equatable {
        /// What is claimed, e.g. "candidates score above shared points".
        public var claim: String
        /// "supported", "not supported" or "inconclusive".
        public var verdict: String
        /// The test behind the claim, e.g. "Student two-sample t, one-sided (greater)".
        public var test: String
        /// The test's p-value, and the same adjusted by Holm's step-down over the report's family of claims.
        public var p: Double
        public var pAdjusted: Double
        /// The effect: a mean difference of scores (or a mean, or Kendall's τ-b), with its two-sided 95% interval.
        public var effect: Double
        public var ci95: [Double]
        /// One plain sentence; a null result says so.
        public var sentence: String
        /// The ids of the report's caveats (`Caveat`) that undermine this finding; absent when none does.
        public var caveats: [String]?
        enum CodingKeys: String, CodingKey {
            case claim, verdict, test, p
            case pAdjusted = "p_adjusted"
            case effect, ci95, sentence, caveats
        }
        public init(
            claim: String, verdict: String, test: String, p: Double, pAdjusted: Double, effect: Double,
            ci95: [Double], sentence: String
        ) {
            self.claim = claim
            self.verdict = verdict
            self.test = test
            self.p = p
            self.pAdjusted = pAdjusted
            self.effect = effect
            self.ci95 = ci95
            self.sentence = sentence
        }
    }
}
