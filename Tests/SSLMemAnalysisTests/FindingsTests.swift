// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (snake_case names mirror the keys of the reference JSON they decode.)
import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemTestSupport
import Testing

/// Findings (p, Holm-adjusted p, effect, 95% interval) and the top-X chance baseline against scipy:
/// fixtures/expected/findings_reference.json, written by scripts/reference/findings_reference.py.
@Suite struct FindingsTests {
    struct Reference: Decodable {
        struct Claim: Decodable {
            var p: Double
            var p_adjusted: Double
            var effect: Double
            var ci95: [Double]
        }
        struct Overlap: Decodable {
            var n: Int
            var x: Int
            var k: Int
            var expected: Double
            var p: Double
        }
        var simclr_student: [Claim]
        var simclr_welch: [Claim]
        var vicreg_student: [Claim]
        var overlap: [Overlap]
    }
    static let reference = try! JSONDecoder().decode(
        Reference.self,
        from: Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/findings_reference.json"))))

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b)) || (a == b)
    }

    func check(_ findings: [RunSummary.Finding], _ expected: [Reference.Claim]) {
        #expect(findings.count == 5 && expected.count == 5)
        for (f, e) in zip(findings, expected) {
            #expect(Self.close(f.p, e.p, 1e-7), "\(f.claim): p \(f.p) vs \(e.p)")
            #expect(Self.close(f.pAdjusted, e.p_adjusted, 1e-7), "\(f.claim): Holm \(f.pAdjusted) vs \(e.p_adjusted)")
            #expect(Self.close(f.effect, e.effect), "\(f.claim): effect")
            #expect(Self.close(f.ci95[0], e.ci95[0], 1e-7) && Self.close(f.ci95[1], e.ci95[1], 1e-7), "\(f.claim): CI")
        }
    }

    @Test func simclrSupportsThePaper() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        let findings = Findings.run(table)
        check(findings, Self.reference.simclr_student)
        check(Findings.run(table, welch: true), Self.reference.simclr_welch)
        // The small fixture: independent below shared survives Holm (p 0.0059 → 0.029); candidate above extra
        // does not (p 0.029 → 0.087), and is then called a null result.
        #expect(findings[2].verdict == "supported" && findings[0].test.hasPrefix("Student"))
        #expect(
            findings[1].verdict == "not supported" && findings[1].p < 0.05
                && findings[1].sentence.contains("a null result"))
        #expect(Findings.run(table, welch: true)[0].test.hasPrefix("Welch"))
        // One significance language: the claim as H₁, the verdict, the Holm p that decides it and the
        // unadjusted p, each named.
        for f in findings {
            #expect(f.sentence.hasPrefix("H₁: \(f.claim) — \(f.verdict)"), "\(f.sentence)")
            #expect(f.sentence.contains("Holm p = ") && f.sentence.contains("unadjusted p = "), "\(f.sentence)")
            #expect(!f.sentence.contains("significant"), "\(f.sentence)")
        }
    }

    /// The VICReg fixture memorizes nothing detectable: every directional claim is a null result, and the
    /// sentences say so.
    @Test func vicregIsANullResult() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"))
        let findings = Findings.run(table)
        check(findings, Self.reference.vicreg_student)
        for f in findings.prefix(4) {
            #expect(f.verdict == "not supported")
            #expect(f.sentence.contains("a null result"))
        }
    }

    /// A missing subset makes its claims inconclusive and leaves the Holm family to the others.
    @Test func missingSubsetIsInconclusive() throws {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv")).dropping(
            .extra)
        let findings = Findings.run(table)
        #expect(findings[1].verdict == "inconclusive" && findings[3].verdict == "inconclusive")
        #expect(findings[1].pAdjusted.isNaN)
        let ps = [findings[0].p, findings[2].p, findings[4].p]
        #expect(
            zip([findings[0], findings[2], findings[4]], PValueAdjustment.holm(ps)).allSatisfy { $0.pAdjusted == $1 })
    }

    /// Two runs: Welch and Kendall findings, Holm-adjusted per family; a run against a shuffled copy of
    /// itself is unrelated in ranking.
    @Test func comparisonFindings() throws {
        let a = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        let b = try ScoresTable(csvFile: Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"))
        let comparison = try RunComparison([a, b], names: ["simclr", "vicreg"])
        let findings = Findings.comparison([a, b], comparison: comparison)
        #expect(findings.count == 2)
        #expect(
            findings[0].test == "Welch two-sample t on points, two-sided (within-run, not across training randomness)")
        #expect(findings[1].test.hasPrefix("Kendall"))
        #expect(findings[1].effect == comparison.kendall[0][1].tau)
        #expect(findings[1].ci95[0] <= findings[1].effect && findings[1].effect <= findings[1].ci95[1])
    }

    @Test func tauIntervalIsFisherZ() {
        let ci = Findings.tauInterval(0.3, n: 104)
        let half = 1.959963984540054 * (0.437 / 100).squareRoot()
        #expect(Self.close(ci[0], tanh(atanh(0.3) - half)) && Self.close(ci[1], tanh(atanh(0.3) + half)))
        #expect(Findings.tauInterval(0.3, n: 4)[0].isNaN)
    }

    /// Expected overlap X²/n and the hypergeometric tail against scipy.stats.hypergeom.sf.
    @Test func overlapChanceBaseline() {
        for e in Self.reference.overlap {
            #expect(Self.close(Double(e.x * e.x) / Double(e.n), e.expected))
            let p = Hypergeometric.upperTail(e.k, population: e.n, marked: e.x, draws: e.x)
            #expect(Self.close(p, e.p, 1e-9), "n \(e.n) X \(e.x) k \(e.k): \(p) vs \(e.p)")
        }
        // 50% at X = 100 of 200 is chance: TopOverlap's expected share is exactly that.
        let a = (0..<200).map(Double.init)
        let b = (0..<200).map { Double(($0 * 37) % 200) }
        let t = TopOverlap(a, b, top: 100)
        #expect(t.expectedOverlap == 0.5 && t.expectedCommon == 50 && t.n == 200)
        #expect(t.chancePValue == Hypergeometric.upperTail(t.common, population: 200, marked: 100, draws: 100))
    }
}

/// The audit's AUC interval against an O(m·n) numpy DeLong (scripts/reference/findings_reference.py), and the
/// "not measurable" rule: FPR moves in steps of 1/n_non-members.
@Suite struct AUCIntervalTests {
    struct Reference: Decodable {
        struct Signal: Decodable {
            var auc: Double
            var variance: Double
            var ci95: [Double]
        }
        var delong_simclr: [String: Signal]
    }

    @Test func deLongMatchesNumpy() throws {
        let reference = try JSONDecoder().decode(
            Reference.self,
            from: Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/findings_reference.json"))))
        let audit = try MembershipAudit(
            try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv")))
        for signal in audit.signals {
            let e = reference.delong_simclr[signal.name == "−align_f" ? "-align_f" : signal.name]!
            let ci = signal.aucInterval
            #expect(abs(ci.auc - e.auc) < 1e-12 && abs(ci.auc - signal.roc.auc) < 1e-12)
            #expect(abs(ci.variance - e.variance) < 1e-12 * max(1, e.variance))
            #expect(abs(ci.lower - e.ci95[0]) < 1e-9 && abs(ci.upper - e.ci95[1]) < 1e-9)
            let n = signal.nonMembers.count
            #expect(signal.isMeasurable(atFalsePositiveRate: 1 / Double(n)))
            #expect(!signal.isMeasurable(atFalsePositiveRate: 0.999 / Double(n)))
        }
        let text = audit.json.text
        let n = audit.signals[0].nonMembers.count
        #expect(text.contains("\"auc_ci95\""))
        #expect(text.contains("not measurable at n = \(n) non-members") == (0.001 * Double(n) < 1))
    }

    @Test func tiesUseMidranks() {
        let ci = DeLongInterval(members: [1, 2, 2, 3], nonMembers: [0, 2, 1])
        // ψ by hand: members 1,2,2,3 vs 0,2,1 → (1+0+0.5)+(1+0.5+1)·2+(1+1+1) = 1.5+5+3 = 9.5 of 12.
        #expect(abs(ci.auc - 9.5 / 12) < 1e-15)
        #expect(DeLongInterval(members: [1], nonMembers: [0, 1]).auc.isNaN)
    }
}
