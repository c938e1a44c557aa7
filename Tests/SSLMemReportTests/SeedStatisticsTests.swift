import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// Seeds as the unit (issue 24 item 3, issue 23 item 5) on the synthetic study fixtures/study, against the
/// scipy values scripts/reference/study_reference.py wrote to fixtures/study/expected.json: Welch over seeds between
/// setups (method_tests), where the per-point Welch between single runs is significant and the seed-level one
/// is not; the removal experiment's paired t and exact sign-flip p (removal_tests); Kendall's τ-b of SSLMem
/// against downstream accuracy with its bootstrap over seeds reproduced draw for draw.
@Suite struct SeedStatisticsTests {
    static let study = Repository.fixture("study")

    static func expected() throws -> [String: Any] {
        try #require(try JSONComparison.load(study + "/expected.json") as? [String: Any])
    }

    static func close(
        _ a: Double, _ b: Any?, tolerance: Double = 1e-10, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let b = b as? Double ?? (b as? Int).map(Double.init) ?? .nan
        #expect(abs(a - b) <= tolerance * max(1, abs(b)), "\(what): \(a) vs scipy \(b)", sourceLocation: sourceLocation)
    }

    @Test func methodTestsEqualScipyWhilePerPointWelchIsSignificant() throws {
        let expected = try Self.expected()
        let sources = try Study(directory: Self.study).sources
        let tests = MethodTest.pairs(RunGroup.bySetup(sources))
        let reference = try #require(expected["method_tests"] as? [[String: Any]])
        #expect(tests.count == reference.count && tests.count == 6)
        for (mine, theirs) in zip(tests, reference) {
            let what = "\(mine.statistic.rawValue) \(mine.a) vs \(mine.b)"
            #expect(
                mine.statistic.rawValue == theirs["statistic"] as? String && mine.a == theirs["a"] as? String
                    && mine.b == theirs["b"] as? String, "\(what)")
            #expect(mine.nA == theirs["n_a"] as? Int && mine.nB == theirs["n_b"] as? Int, "\(what)")
            for (value, key) in [
                (mine.meanA, "mean_a"), (mine.meanB, "mean_b"), (mine.t, "t"), (mine.df, "df"), (mine.p, "p")
            ] {
                Self.close(value, theirs[key], "\(what) \(key)")
            }
            #expect(mine.alternative == "two-sided" && mine.unit == "seeds" && mine.notComputable == nil)
        }
        // The point of seeds as the unit: the per-point test between the first runs of simclr and vicreg is
        // significant, the seed-level tests of the same setups are not.
        let perPoint = try #require(expected["per_point_first_runs"] as? [String: Any])
        let comparison = try RunComparison(sources.map(\.table), names: sources.map(\.name))
        let summary = ComparisonSummary(sources, comparison: comparison)
        let within = try #require(
            summary.tests.first { $0.a == perPoint["a"] as? String && $0.b == perPoint["b"] as? String })
        Self.close(within.t, perPoint["t"], "per-point t")
        Self.close(within.df, perPoint["df"], "per-point df")
        Self.close(within.pvalue, perPoint["p"], tolerance: 1e-6, "per-point p")
        #expect(within.pvalue < 0.001 && within.unit == ComparisonSummary.withinRun)
        let seedLevel = summary.methodTests.filter { $0.a.hasPrefix("simclr") && $0.b.hasPrefix("vicreg") }
        #expect(seedLevel.count == 2 && seedLevel.allSatisfy { $0.p > 0.2 })
        // Findings compare setups over seeds, not runs over points; the byol setup (2 seeds) carries a caveat.
        #expect(!summary.findings.contains { $0.test.hasPrefix("Welch two-sample t on points") })
        #expect(summary.findings.filter { $0.test.hasPrefix("Welch two-sample t over seeds") }.count == 6)
        #expect(summary.warnings.contains { $0.hasPrefix("Setup byol") && $0.contains("2 seeds") })
        #expect(!summary.warnings.contains { $0.hasPrefix("Setup simclr") })
        // Seeds of a single setup: no setups to compare and no per-point "memorize to different degrees" findings
        // between seeds (they differ by training randomness alone); the within-run tests stay in `tests`.
        let simclr = Array(sources.prefix(3))
        let one = ComparisonSummary(
            simclr, comparison: try RunComparison(simclr.map(\.table), names: simclr.map(\.name)))
        #expect(one.methodTests.isEmpty && one.tests.count == 3)
        #expect(!one.findings.contains { $0.test.hasPrefix("Welch") })
    }

    @Test func removalTestsEqualScipy() throws {
        let reference = try #require(try Self.expected()["removal_tests"] as? [[String: Any]])
        let tests = RemovalTest.all(try RemovalRuns(csvFile: Self.study + "/removal.csv"))
        #expect(tests.count == reference.count && tests.count == 3)
        for (mine, theirs) in zip(tests, reference) {
            let what = "\(mine.kind) \(mine.removed)"
            #expect(
                mine.kind == theirs["kind"] as? String && mine.removed == theirs["removed"] as? Int
                    && mine.nSeeds == theirs["n_seeds"] as? Int && mine.alternative == theirs["alternative"] as? String)
            for (value, key) in [
                (mine.meanTop, "mean_top"), (mine.meanRandom, "mean_random"), (mine.t, "t"),
                (mine.df, "df"), (mine.p, "p"), (mine.pPermutation, "p_permutation")
            ] {
                Self.close(value, theirs[key], "\(what) \(key)")
            }
        }
        // 4 seeds: the sign-flip p cannot go below 1/16, so a significant paired t is inconclusive, not supported.
        let findings = Findings.removal(tests)
        #expect(findings.map(\.verdict) == ["not supported", "inconclusive", "not supported"])
        #expect(findings[1].sentence.contains("cannot go below p = 0.0625"))
    }

    @Test func accuracyLinkEqualsScipyAndTheBootstrapDrawForDraw() throws {
        let reference = try #require(try Self.expected()["accuracy_link"] as? [String: Any])
        let link = try #require(AccuracyLink(RunGroup.bySetup(try Study(directory: Self.study).sources)))
        #expect(link.nSetups == reference["n_setups"] as? Int && link.nRuns == reference["n_runs"] as? Int)
        Self.close(link.tau, reference["tau"], "tau")
        Self.close(link.p, reference["p"], "p")
        Self.close(link.runsTau, reference["runs_tau"], "runs tau")
        Self.close(link.runsP, reference["runs_p"], "runs p")
        let ci = try #require(reference["ci95"] as? [Double])
        Self.close(link.ci95[0], ci[0], tolerance: 1e-12, "ci low")
        Self.close(link.ci95[1], ci[1], tolerance: 1e-12, "ci high")
        for (mine, theirs) in zip(link.setups.map(\.meanSSLMem), try #require(reference["mean_sslmem"] as? [Double])) {
            Self.close(mine, theirs, "setup mean SSLMem")
        }
        // With 3 setups the exact test cannot reach 0.05: the finding says so instead of "no link".
        #expect(abs(link.smallestP - 1.0 / 3) < 1e-15)
        let finding = Findings.accuracyLink(link)
        #expect(finding.verdict == "inconclusive" && finding.sentence.contains("descriptive only"))
    }

    /// A bootstrap with other data: an interval whose ends differ, equal to the same draws in Swift twice
    /// (reproducible from its seed), and different with another seed.
    @Test func accuracyLinkBootstrapIsReproducibleFromItsSeed() throws {
        let groups = RunGroup.bySetup(try Study(directory: Self.study).sources)
        let a = try #require(AccuracyLink(groups, resamples: 500, seed: 7))
        let b = try #require(AccuracyLink(groups, resamples: 500, seed: 7))
        #expect(a == b && a.resamples == 500 && a.seed == 7)
    }

    @Test func tauByPairsEqualsTauB() {
        var generator = SplitMix64(seed: 3)
        for n in [2, 3, 4, 7, 12] {
            for _ in 0..<40 {
                // Values on a coarse grid, so ties in x, in y and in both occur.
                let x = (0..<n).map { _ in Double(generator.next() % 4) }
                let y = (0..<n).map { _ in Double(generator.next() % 3) }
                let fast = KendallTau.tauB(x, y).tau
                let pairs = KendallTau.tauBByPairs(x, y)
                #expect(fast.isNaN ? pairs.isNaN : abs(fast - pairs) < 1e-14, "x \(x) y \(y)")
            }
        }
    }

    @Test func signFlipPermutation() {
        // All differences negative: only the identity (and nothing else) is as extreme, p = 2⁻ⁿ.
        let a = [0.70, 0.71, 0.69, 0.72]
        let b = [0.75, 0.74, 0.76, 0.78]
        #expect(PairedTest.signFlipPValue(a, b, alternative: .less) == 1.0 / 16)
        #expect(PairedTest.signFlipPValue(a, b, alternative: .greater) == 1)
        #expect(PairedTest.signFlipPValue(a, b, alternative: .twoSided) == 2.0 / 16)
        // Zero differences: every sign vector ties with the observed mean.
        #expect(PairedTest.signFlipPValue(a, a, alternative: .less) == 1)
        #expect(PairedTest.signFlipPValue([], [], alternative: .less).isNaN)
        let t = PairedTest.t(a, b, alternative: .less)
        #expect(t.degreesOfFreedom == 3 && t.statistic < 0 && t.pValue < 0.05)
    }

    /// Seeds with only one of the two kinds are left out of the pairs and named in a caveat; fewer than 3 pairs
    /// get a caveat too; one pair cannot be tested (inconclusive, not a crash or a silent NaN verdict).
    @Test func unpairedAndFewSeeds() {
        typealias Row = RemovalRuns.Row
        let rows = [
            Row(removed: 100, kind: .top, dataset: "d", seed: "1", accuracy: 0.80),
            Row(removed: 100, kind: .random, dataset: "d", seed: "1", accuracy: 0.81),
            Row(removed: 100, kind: .top, dataset: "d", seed: "2", accuracy: 0.79),
            Row(removed: 100, kind: .random, dataset: "d", seed: "3", accuracy: 0.82)
        ]
        let tests = RemovalTest.all(RemovalRuns(rows: rows))
        #expect(tests.count == 1 && tests[0].nSeeds == 1 && tests[0].unpairedSeeds == ["2", "3"])
        #expect(tests[0].notComputable != nil && tests[0].p.isNaN)
        let caveats = Caveats.removal(tests)
        #expect(caveats.count == 1 && caveats[0].contains("only 1 paired seed") && caveats[0].contains("seeds 2, 3"))
        #expect(Findings.removal(tests).map(\.verdict) == ["inconclusive"])
    }

    @Test func badStudyInputsGiveOneLineNamingTheFile() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        func write(_ name: String, _ text: String) {
            _ = FileManager.default.createFile(atPath: scratch.file(name), contents: Data(text.utf8))
        }
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return ""
            } catch { return "\(error)" }
        }
        write("removal.csv", "removed,kind,dataset,accuracy\n0,none,x,0.8\n")
        #expect(
            message { _ = try RemovalRuns(csvFile: scratch.file("removal.csv")) }.contains(
                "removed,kind,dataset,seed,accuracy"))
        write("removal.csv", "removed,kind,dataset,seed,accuracy\n0,none,x,1,0.8\n100,memorized,x,1,0.8\n")
        #expect(message { _ = try RemovalRuns(csvFile: scratch.file("removal.csv")) }.contains("line 3"))
        write("removal.csv", "removed,kind,dataset,seed,accuracy\n100,top,x,1,81.2\n")
        #expect(message { _ = try RemovalRuns(csvFile: scratch.file("removal.csv")) }.contains("fraction in [0, 1]"))
        write("removal.csv", "removed,kind,dataset,seed,accuracy\n100,top,x,1,0.8\n100,top,x,1,0.7\n")
        #expect(message { _ = try RemovalRuns(csvFile: scratch.file("removal.csv")) }.contains("a second row"))
        // The backend adds a method column when it removes points for several methods: each is its own group.
        write(
            "removal.csv",
            "removed,kind,dataset,seed,accuracy,method\n0,none,x,1,0.8,simclr\n100,top,x,1,0.7,simclr\n"
                + "100,random,x,1,0.75,simclr\n100,top,x,1,0.72,vicreg\n100,random,x,1,0.74,vicreg\n")
        let byMethod = try RemovalRuns(csvFile: scratch.file("removal.csv"))
        #expect(byMethod.datasets == ["x · simclr", "x · vicreg"] && RemovalTest.all(byMethod).count == 2)
        write("study.json", #"{"sslmem_format": "summary", "sslmem_format_version": 1, "runs": []}"#)
        #expect(message { _ = try StudyManifest(directory: scratch.path) }.contains("expected \"study\""))
        write("study.json", #"{"sslmem_format": "study", "sslmem_format_version": 1, "runs": [{"method": "simclr"}]}"#)
        #expect(message { _ = try StudyManifest(directory: scratch.path) }.contains("runs[0].name is missing"))
        write(
            "study.json",
            #"{"sslmem_format": "study", "sslmem_format_version": 1, "runs": [{"name": "a", "scores": "runs/a.csv"}]}"#)
        let missing = message { _ = try Study(directory: scratch.path) }
        #expect(missing.contains("study.json") && missing.contains("run \"a\""))
        try CLI.refuse(
            ["report", "--study", scratch.path, "--out", scratch.file("out")], naming: ["study.json", "run \"a\""],
            absent: [scratch.file("out")])
        try CLI.refuse(
            ["report", "--study", scratch.file("nothing"), "--out", scratch.file("out")], naming: ["study.json"],
            absent: [scratch.file("out")])
    }

    /// `sslmem report --study`: comparison.json holds method_tests, removal_tests and accuracy_link equal to
    /// scipy, the figures are written, the HTML and PDF name the sections; `--compare` of scores files with one
    /// `--names` label per setup gives the same method_tests.
    @Test func reportStudyCommand() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let out = scratch.file("study-report")
        try CLI.succeed(
            ["report", "--study", Self.study, "--out", out], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let summary = try ComparisonSummary(
            json: try Data(contentsOf: URL(fileURLWithPath: out + "/comparison.json")),
            path: out + "/comparison.json")
        let expected = try Self.expected()
        let method = try #require(expected["method_tests"] as? [[String: Any]])
        #expect(summary.methodTests.count == method.count)
        for (mine, theirs) in zip(summary.methodTests, method) { Self.close(mine.p, theirs["p"], "method p") }
        let removal = try #require(expected["removal_tests"] as? [[String: Any]])
        #expect(summary.removalTests.count == removal.count)
        for (mine, theirs) in zip(summary.removalTests, removal) {
            Self.close(mine.p, theirs["p"], "removal p")
            Self.close(mine.pPermutation, theirs["p_permutation"], "removal permutation p")
        }
        #expect(summary.accuracyLink?.nSetups == 3)
        let raw = try #require(try JSONComparison.load(out + "/comparison.json") as? [String: Any])
        #expect(raw["method_tests"] != nil && raw["removal_tests"] != nil && raw["accuracy_link"] != nil)
        for figure in ["removal", "sslmem_vs_accuracy"] {
            #expect(FileManager.default.fileExists(atPath: out + "/figures/\(figure).pdf"), "\(figure)")
        }
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(
            html.contains("Tests between setups over seeds") && html.contains("Removing memorized points, over seeds")
                && html.contains("Memorization and downstream accuracy") && html.contains("within-run"))

        let files = try Study(directory: Self.study).sources.map { Self.study + "/runs/\($0.name)/scores.csv" }
        let names = files.map {
            URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent
                .replacingOccurrences(of: #"-seed\d+$"#, with: "", options: .regularExpression)
        }
        let compared = scratch.file("compare-report")
        try CLI.succeed(["report", "--compare"] + files + ["--names", names.joined(separator: ","), "--out", compared])
        let byNames = try ComparisonSummary(
            json: try Data(contentsOf: URL(fileURLWithPath: compared + "/comparison.json")),
            path: compared + "/comparison.json")
        #expect(byNames.methodTests.map(\.p).count == 6)
        for (mine, theirs) in zip(byNames.methodTests, method) {
            Self.close(mine.p, theirs["p"], "--names method p")
            Self.close(mine.t, theirs["t"], "--names method t")
        }
    }

    /// `sslmem compare --json` with one --names label per setup adds method_tests (3 + 3 seeds, equal to scipy);
    /// with distinct names it prints no method_tests and warns that every setup has one run.
    @Test func compareCommandTestsOverSeeds() throws {
        let method = try #require(try Self.expected()["method_tests"] as? [[String: Any]])
        let files = ["simclr", "vicreg"].flatMap { m in
            (1...3).map { Self.study + "/runs/\(m)-small-cnn-seed\($0)/scores.csv" }
        }
        let outcome = try CLI.succeed(
            ["compare"] + files + ["--names", "simclr,simclr,simclr,vicreg,vicreg,vicreg", "--json"])
        let json = try #require(try JSONComparison.parse(outcome.stdout) as? [String: Any])
        let tests = try #require(json["method_tests"] as? [[String: Any]])
        let reference = method.filter {
            ($0["a"] as? String)?.hasPrefix("simclr") == true && ($0["b"] as? String)?.hasPrefix("vicreg") == true
        }
        #expect(tests.count == 2 && reference.count == 2)
        for (mine, theirs) in zip(tests, reference) {
            for key in ["t", "df", "p", "mean_a", "mean_b"] {
                Self.close(mine[key] as? Double ?? .nan, theirs[key], "compare \(key)")
            }
            #expect(
                mine["a"] as? String == "simclr" && mine["n_a"] as? Int == 3
                    && mine["alternative"] as? String == "two-sided")
        }
        let single = try CLI.succeed(["compare"] + Array(files.prefix(2)) + ["--names", "a,b", "--json"])
        #expect(try #require(try JSONComparison.parse(single.stdout) as? [String: Any])["method_tests"] == nil)
        #expect(single.stderr.contains("Each setup has one run"))
    }
}
