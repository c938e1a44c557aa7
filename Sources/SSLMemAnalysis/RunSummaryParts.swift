import SSLMemIO
import SSLMemStats

/// The analysis results as the `RunSummary` value types that summary.json holds.
extension RunSummary.SubsetStatistics {
    public init(_ summary: SubsetSummary) {
        let ci = summary.score.meanInterval()
        self.init(
            n: summary.score.count, mean: summary.score.mean, std: summary.score.standardDeviation,
            ci95: [ci.lower, ci.upper])
    }
}

extension RunSummary.Test {
    public init(_ test: SubsetTest) {
        let r = test.result
        self.init(
            a: test.a.description, b: test.b.map { .subset($0.description) } ?? .value(test.value),
            alternative: r.alternative.rawValue, variant: r.variant.rawValue, statistic: r.statistic,
            df: r.degreesOfFreedom, pvalue: r.pValue, cohensD: r.cohensD, hedgesG: r.hedgesG,
            note: r.notComputable.map { "not computable: " + $0 })
    }
}

extension RunSummary.DejaVu {
    /// The attack at `fractions` (which hold `table4Q`) and the sweep q = 0.1 … 1, with `agreement`.
    public init(_ attack: DejaVuAttack, agreement: DejaVuAgreement, fractions: [Double], table4Q: Double) {
        let quadrants = attack.quadrants
        let r = agreement.test
        self.init(
            k: attack.k, nA: attack.a.count, nB: attack.b.count,
            fractions: fractions.map { q in
                let t = attack.target(q)
                let r = attack.reference(q)
                return Fraction(q: q, target: t, reference: r, gap: t - r)
            },
            table4Q: table4Q, memorized: quadrants.memorized, forgotten: quadrants.forgotten,
            correlated: quadrants.correlated, bothWrong: quadrants.bothWrong,
            sweep: DejaVuAttack.sweepFractions.map {
                Fraction(q: $0, target: attack.target($0), reference: attack.reference($0), gap: nil)
            },
            sslmem: Agreement(
                memorizedN: agreement.memorized.count, memorizedMean: agreement.memorized.mean,
                restN: agreement.rest.count, restMean: agreement.rest.mean, welchT: r.statistic,
                pvalue: r.pValue))
    }
}

extension RunSummary.Audit {
    public init(_ audit: MembershipAudit) {
        self.init(
            members: "candidate", nonMembers: "extra", nMembers: audit.signals[0].members.count,
            nNonMembers: audit.signals[0].nonMembers.count,
            signals: audit.signals.map { signal in
                Signal(
                    signal: signal.name == "−align_f" ? "-align_f" : signal.name, auc: signal.roc.auc,
                    tprAtFPR: zip(MembershipAudit.falsePositiveRates, signal.atLowFalsePositiveRates).map {
                        Point(
                            fprMax: $0, tpr: $1.truePositiveRate, fpr: $1.falsePositiveRate, threshold: $1.threshold,
                            note: signal.isMeasurable(atFalsePositiveRate: $0)
                                ? nil
                                : "not measurable at n = \(signal.nonMembers.count) non-members")
                    }, aucCI95: [signal.aucInterval.lower, signal.aucInterval.upper])
            })
    }
}
