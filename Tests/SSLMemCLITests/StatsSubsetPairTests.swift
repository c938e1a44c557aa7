import Foundation
import SSLMemTestSupport
import Testing

/// `sslmem stats --a A --b B`: one two-sample test between any two subsets, against scipy's numbers for the
/// same scores (scripts/reference/scipy_reference.py → fixtures/expected/stats_simclr*.json).
@Suite struct StatsSubsetPairTests {
    static let scores = Repository.fixture("expected/simclr_allpairs_l2_range.csv")

    static func reference(_ welch: Bool) throws -> [String: Any] {
        try JSONComparison.load(Repository.fixture("expected/stats_simclr\(welch ? "_welch" : "").json"))
            as! [String: Any]
    }

    /// Each of the paper's four pairs, asked for alone, gives scipy's test and the two subsets' statistics.
    @Test(arguments: [false, true]) func paperPairsEqualScipy(welch: Bool) throws {
        let reference = try Self.reference(welch)
        let subsets = reference["subsets"] as! [String: Any]
        let pairs = (reference["tests"] as! [[String: Any]]).filter { $0["b"] is String }
        #expect(pairs.count == 4)
        for test in pairs {
            let a = test["a"] as! String
            let b = test["b"] as! String
            let outcome = try CLI.succeed(
                ["stats", Self.scores, "--a", a, "--b", b, "--json"] + (welch ? ["--welch"] : []))
            let got = try JSONComparison.parse(outcome.stdout) as! [String: Any]
            let expected: [String: Any] = ["subsets": [a: subsets[a]!, b: subsets[b]!], "tests": [test]]
            let problems = JSONComparison.differences(got, expected)
            #expect(problems.isEmpty, "stats --a \(a) --b \(b): \(problems.prefix(3))")
        }
    }

    /// Candidate > independent, the test `make experiment` reports: Welch's t and df from scipy's subset means and
    /// standard deviations (ddof 1), t = (m_c − m_i) / √(s_c²/n_c + s_i²/n_i) and the Welch–Satterthwaite df.
    @Test func candidateAgainstIndependentWelch() throws {
        let subsets = try Self.reference(true)["subsets"] as! [String: [String: Any]]
        func stat(_ s: String, _ key: String) -> Double { (subsets[s]![key] as! NSNumber).doubleValue }
        let vc = pow(stat("candidate", "std"), 2) / stat("candidate", "n")
        let vi = pow(stat("independent", "std"), 2) / stat("independent", "n")
        let t = (stat("candidate", "mean") - stat("independent", "mean")) / (vc + vi).squareRoot()
        let df = pow(vc + vi, 2) / (vc * vc / (stat("candidate", "n") - 1) + vi * vi / (stat("independent", "n") - 1))
        let outcome = try CLI.succeed([
            "stats", Self.scores, "--a", "candidate", "--b", "independent", "--welch", "--json"
        ])
        let got = try JSONComparison.parse(outcome.stdout) as! [String: Any]
        let tests = got["tests"] as! [[String: Any]]
        try #require(tests.count == 1)
        let test = tests[0]
        #expect(test["a"] as? String == "candidate" && test["b"] as? String == "independent")
        #expect(test["alternative"] as? String == "greater" && test["variant"] as? String == "welch")
        let statistic = (test["statistic"] as! NSNumber).doubleValue
        let dof = (test["df"] as! NSNumber).doubleValue
        #expect(abs(statistic - t) <= 1e-9 * abs(t), "t = \(statistic), expected \(t)")
        #expect(abs(dof - df) <= 1e-9 * df, "df = \(dof), expected \(df)")
        #expect((got["subsets"] as! [String: Any]).keys.sorted() == ["candidate", "independent"])
        let text = try CLI.succeed(["stats", Self.scores, "--a", "candidate", "--b", "independent", "--welch"]).stdout
        #expect(text.contains("candidate > independent") && !text.contains("Table 16"), "\(text)")
        let less = try CLI.succeed([
            "stats", Self.scores, "--a", "candidate", "--b", "independent", "--alternative", "less",
            "--json"
        ]).stdout
        #expect(less.contains("\"alternative\": \"less\""))
    }

    @Test func refusesHalfAPairOrTheSameSubset() throws {
        for arguments in [
            ["--a", "candidate"], ["--b", "independent"], ["--a", "shared", "--b", "shared"],
            ["--alternative", "less"], ["--a", "candidates", "--b", "shared"]
        ] {
            let outcome = try CLI.run(["stats", Self.scores] + arguments)
            #expect(outcome.status != 0 && outcome.stdout.isEmpty, "stats \(arguments): \(outcome)")
        }
    }
}
