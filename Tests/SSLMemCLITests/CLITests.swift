import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemTestSupport
import Testing

/// The command line end to end: every command and option family on the fixtures, outputs compared with the
/// committed expected files of independent implementations (fixtures/expected/, made by make_expected.sh: numpy
/// float64, scipy, scikit-learn, scripts/reference/dejavu_reference.py, scripts/reference/select_reference.py). CSV numbers within
/// 1e-9, JSON field by field (relative 1e-9). Runs the binary of `SSLMEM_BIN` (default .build/debug/sslmem);
/// `make test` runs it against the debug and the release build. Refusals are checked by exit status, one error
/// line naming the file (not the wording) and no output left behind.
@Suite(.serialized) struct CLITests {
    static func fixture(_ name: String) -> String { Repository.fixture(name) }
    static func expected(_ name: String) -> String { Repository.fixture("expected/" + name) }
    static let simclr = ["--f", fixture("simclr_f.h5"), "--g", fixture("simclr_g.h5")]
    static let vicreg = ["--f", fixture("vicreg_f.h5"), "--g", fixture("vicreg_g.h5")]

    func expectCSV(
        _ path: String, equals expectedPath: String, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let problems = try ScoresCSVText(path).differences(from: ScoresCSVText(expectedPath))
        #expect(problems.isEmpty, "\(what): \(problems.prefix(3))", sourceLocation: sourceLocation)
    }

    func expectJSON(
        _ text: String, equals expectedPath: String, _ what: String, ignoring: Set<String> = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let got = try JSONComparison.parse(text)
        let want = try JSONComparison.load(expectedPath)
        let problems = JSONComparison.differences(got, want, ignoring: ignoring)
        #expect(problems.isEmpty, "\(what): \(problems.prefix(3))", sourceLocation: sourceLocation)
    }

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "no sslmem at \(CLI.binary)")
    }

    // MARK: score

    /// --pairing, --distance, --normalize and several encoders per role, CSV and HDF5 output.
    @Test func scoreEveryOptionFamilyEqualsTheFloat64Reference() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let all = ["--range-over", "all"]
        let runs: [([String], String)] = [
            (Self.simclr, "simclr_allpairs_l2_range_candidate.csv"),
            (Self.simclr + ["--convention", "paper"], "simclr_allpairs_l2_range_candidate.csv"),
            (Self.simclr + all, "simclr_allpairs_l2_range.csv"),
            (
                Self.simclr + ["--pairing", "all-pairs", "--distance", "l2", "--normalize", "range"] + all,
                "simclr_allpairs_l2_range.csv"
            ),
            (Self.simclr + ["--pairing", "original"] + all, "simclr_original_l2_range.csv"),
            (Self.vicreg + ["--distance", "cosine", "--normalize", "none"], "vicreg_allpairs_cosine_none.csv"),
            (
                [
                    "--f", Self.fixture("simclr_f.h5"), "--f", Self.fixture("vicreg_f.h5"),
                    "--g", Self.fixture("simclr_g.h5"), "--g", Self.fixture("vicreg_g.h5")
                ] + all, "both_allpairs_l2_range.csv"
            )
        ]
        for (i, (options, expected)) in runs.enumerated() {
            let out = dir.file("run\(i).csv")
            try CLI.succeed(["score"] + options + ["--out", out])
            try expectCSV(out, equals: Self.expected(expected), options.joined(separator: " "))
        }
        // HDF5 output: the same numbers, and the options recorded as root attributes.
        try CLI.succeed(
            ["score"] + Self.vicreg + ["--distance", "cosine", "--normalize", "none", "--out", dir.file("v.h5")])
        let table = try ScoresTable(file: dir.file("v.h5"))
        let reference = try ScoresCSVText(Self.expected("vicreg_allpairs_cosine_none.csv"))
        #expect(table.count == 800 && reference.numbers.count == 800)
        for row in 0..<min(table.count, reference.numbers.count) {
            let got = [table.alignF[row], table.alignG[row], table.diff[row], table.score[row]]
            #expect(zip(got, reference.numbers[row]).allSatisfy { abs($0 - $1) <= 1e-9 }, "HDF5 row \(row)")
        }
        let file = try HDF5File(reading: dir.file("v.h5"))
        #expect(try file.attribute("distance")?.string == "cosine")
        #expect(try file.attribute("normalize")?.string == "none")
        #expect(try file.attribute("pairing")?.string == "all-pairs")
    }

    /// The option values not covered by a reference file, derived from the reference's own columns:
    /// --normalize none gives score = diff; --distance cosine --normalize range gives diff / (max − min).
    @Test func normalizeOptionsRescaleTheReferenceDiff() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try CLI.succeed(["score"] + Self.simclr + ["--normalize", "none", "--out", dir.file("none.csv")])
        let none = try ScoresCSVText(dir.file("none.csv"))
        let l2 = try ScoresCSVText(Self.expected("simclr_allpairs_l2_range.csv"))
        #expect(none.keys == l2.keys)
        for (a, b) in zip(none.numbers, l2.numbers) {
            #expect(abs(a[2] - b[2]) <= 1e-9 && abs(a[3] - b[2]) <= 1e-9, "score = diff without normalization")
        }
        try CLI.succeed(
            ["score"] + Self.vicreg + ["--distance", "cosine", "--range-over", "all", "--out", dir.file("range.csv")])
        let range = try ScoresCSVText(dir.file("range.csv"))
        let cosine = try ScoresCSVText(Self.expected("vicreg_allpairs_cosine_none.csv"))
        let diffs = cosine.numbers.map { $0[2] }
        let width = diffs.max()! - diffs.min()!
        #expect(range.keys == cosine.keys)
        for (a, b) in zip(range.numbers, cosine.numbers) {
            #expect(abs(a[2] - b[2]) <= 1e-9 && abs(a[3] - b[2] / width) <= 1e-9, "score = diff / (max − min)")
        }
    }

    @Test func scoreRefusesBadInputAndLeavesNothing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.file("out.csv")
        _ = FileManager.default.createFile(atPath: dir.file("bad.h5"), contents: Data("not hdf5".utf8))
        try CLI.refuse(
            ["score", "--f", dir.file("bad.h5"), "--g", Self.fixture("simclr_g.h5"), "--out", out],
            naming: ["bad.h5"], absent: [out])
        try CLI.refuse(
            ["score", "--f", Self.fixture("simclr_g.h5"), "--g", Self.fixture("simclr_f.h5"), "--out", out],
            naming: ["simclr_g.h5"], absent: [out])
        try CLI.refuse(
            [
                "score", "--f", Self.fixture("simclr_f.h5"), "--g", Self.fixture("checkpoints/simclr_g_epoch008.h5"),
                "--out", out
            ], naming: [], absent: [out])
        let outcome = try CLI.run(["score"] + Self.simclr + ["--distance", "manhattan", "--out", out])
        #expect(
            outcome.status == 64 && outcome.stderr.contains("distance") && !FileManager.default.fileExists(atPath: out))
    }

    // MARK: stats, compare, audit

    /// `compare` warns on stderr, after its results, when the runs' f files (a scores .h5 names them) differ in a
    /// training attribute, naming it and both values, and when top-X overlaps are not above chance.
    @Test func compareWarnsWhenRunsDifferInATrainingAttribute() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        for run in ["simclr", "vicreg"] {
            _ = try CLI.succeed([
                "score", "--f", Repository.fixture("\(run)_f.h5"), "--g", Repository.fixture("\(run)_g.h5"),
                "--out", scratch.file("\(run).h5")
            ])
        }
        let outcome = try CLI.succeed(["compare", scratch.file("simclr.h5"), scratch.file("vicreg.h5"), "--json"])
        #expect(
            outcome.stderr.contains(
                "warning: The runs compared differ in method: simclr has simclr, vicreg has vicreg."),
            "\(outcome.stderr)")
        #expect(outcome.stderr.contains("is not above chance"))
        #expect(outcome.stdout.hasPrefix("{\"runs\": [\"simclr\", \"vicreg\"]"))
    }

    @Test func statsAndCompareJSONEqualScipy() throws {
        let simclr = Self.expected("simclr_allpairs_l2_range.csv")
        try expectJSON(
            try CLI.succeed(["stats", simclr, "--json"]).stdout, equals: Self.expected("stats_simclr.json"),
            "stats --json")
        try expectJSON(
            try CLI.succeed(["stats", simclr, "--json", "--welch"]).stdout,
            equals: Self.expected("stats_simclr_welch.json"), "stats --json --welch")
        let table = try CLI.succeed(["stats", simclr]).stdout
        #expect(table.contains("candidate > shared") && table.contains("200"))
        let compare = try CLI.succeed([
            "compare", simclr, Self.expected("vicreg_allpairs_cosine_none.csv"),
            Self.expected("both_allpairs_l2_range.csv"), "--names", "simclr,vicreg,both", "--json"
        ])
        try expectJSON(compare.stdout, equals: Self.expected("compare.json"), "compare --json")
        let text = try CLI.succeed(["compare", simclr, Self.expected("both_allpairs_l2_range.csv")]).stdout
        #expect(text.contains("0.45"), "compare's table shows τ(simclr, both) = 0.455: \(text.prefix(300))")
    }

    @Test func auditJSONEqualsScikitLearn() throws {
        let outcome = try CLI.succeed(["audit"] + Self.simclr + ["--range-over", "all", "--json"])
        try expectJSON(outcome.stdout, equals: Self.expected("audit_simclr.json"), "audit --json")
        #expect(try CLI.succeed(["audit"] + Self.simclr).stdout.contains("AUC"))
    }

    // MARK: dejavu (and OpenBLAS's kernels)

    @Test func dejavuJSONEqualsTheReferenceAttack() throws {
        for method in ["simclr", "vicreg"] {
            let outcome = try CLI.succeed([
                "dejavu", "--f", Self.fixture("\(method)_f.h5"), "--g", Self.fixture("\(method)_g.h5"),
                "--json"
            ])
            try expectJSON(outcome.stdout, equals: Self.expected("dejavu_\(method).json"), "dejavu \(method)")
        }
        let k7 = try CLI.succeed(["dejavu"] + Self.simclr + ["--k", "7", "--fractions", "0.01,0.29,0.5", "--json"])
        try expectJSON(k7.stdout, equals: Self.expected("dejavu_simclr_k7.json"), "dejavu --k 7 --fractions")
    }

    /// OpenBLAS's generic Prescott kernels (what it falls back to on CPUs it does not know) give the same JSON.
    @Test func dejavuOnPrescottKernelsIsTheSame() throws {
        let outcome = try CLI.succeed(
            ["dejavu"] + Self.simclr + ["--json"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        try expectJSON(outcome.stdout, equals: Self.expected("dejavu_simclr.json"), "dejavu on Prescott kernels")
    }

    /// The restart with OPENBLAS_CORETYPE (FastBLAS.swift): told that OpenBLAS chose Prescott, the process restarts
    /// once on the kernels its CPU runs (it then prints the core OpenBLAS really runs) and gives the same JSON.
    @Test func dejavuRestartsOnceOnFasterKernels() throws {
        let outcome = try CLI.succeed(
            ["dejavu"] + Self.simclr + ["--json"],
            environment: ["SSLMEM_TEST_BLAS_CORENAME": "Prescott", "OPENBLAS_CORETYPE": nil])
        try expectJSON(outcome.stdout, equals: Self.expected("dejavu_simclr.json"), "dejavu after the restart")
        let cpu = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(
            cpu.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        let core =
            flags.contains("avx512f") ? "SkylakeX" : flags.contains("avx2") && flags.contains("fma") ? "Haswell" : nil
        if let core {
            #expect(
                outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("openblas core: ") } == [
                    "openblas core: \(core)"
                ],
                "expected one restart onto \(core): \(outcome.stderr)")
        } else {
            #expect(outcome.stderr.contains("openblas core: "), "no restart possible, the process goes on")
        }
    }

    @Test func dejavuRefusesKLargerThanThePublicSet() throws {
        try CLI.refuse(["dejavu"] + Self.simclr + ["--k", "5000"], naming: ["1000"])
    }

    // MARK: select

    struct SelectCase: Decodable {
        let scores, pool: String
        let sizes: [Int]
        let seed: String?
        let top: [String: [Int64]]
        let random: [String: [Int64]]?
    }

    /// Pinned to scripts/reference/select_reference.py (independent SplitMix64 + Fisher–Yates), on the SimCLR reference
    /// scores and on fixtures/ties_scores.csv, whose scores are tied in pairs (ties go to the lower index).
    @Test func selectEqualsTheIndependentReference() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let cases = try JSONDecoder().decode(
            [SelectCase].self,
            from: Data(contentsOf: URL(fileURLWithPath: Self.expected("select.json"))))
        #expect(cases.count == 6 && cases.contains { $0.scores.contains("ties") })
        for (i, c) in cases.enumerated() {
            let out = dir.file("sel\(i)")
            var arguments = [
                "select", Repository.root + "/" + c.scores, "--pool", c.pool,
                "--top", c.sizes.map(String.init).joined(separator: ","), "--out", out
            ]
            if let seed = c.seed { arguments += ["--random", "--seed", seed] }
            try CLI.succeed(arguments)
            for size in c.sizes {
                for (kind, lists) in [("top", c.top), ("random", c.random)] {
                    guard let list = lists?[String(size)] else { continue }
                    let text = try? String(contentsOfFile: "\(out)/\(kind)-\(size).txt", encoding: .utf8)
                    #expect(
                        text == list.map(String.init).joined(separator: "\n") + "\n",
                        "\(c.scores) \(c.pool) seed \(c.seed ?? "-"): \(kind)-\(size)")
                }
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: out)
            // The lists, selection.h5 and the .sslmem-output marker of every output folder.
            #expect(files.count == c.sizes.count * (c.seed == nil ? 1 : 2) + 2, "\(files)")
            #expect(files.contains(".sslmem-output"), "\(files)")
        }
        try CLI.refuse(
            ["select", Self.fixture("ties_scores.csv"), "--top", "11", "--out", dir.file("big")],
            naming: ["ties_scores.csv"], absent: [dir.file("big")])
    }

    // MARK: merge

    /// Four shards merged give the bytes of one run; every kind of mismatched shard set is refused.
    @Test func mergeJoinsShardsAndRefusesMismatches() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        for i in 0..<4 {
            try CLI.succeed(["score"] + Self.simclr + ["--shard", "\(i)/4", "--out", dir.file("part-\(i).h5")])
        }
        let parts = (0..<4).map { dir.file("part-\($0).h5") }
        try CLI.succeed(["merge"] + parts + ["--out", dir.file("merged.csv")])
        try expectCSV(
            dir.file("merged.csv"), equals: Self.expected("simclr_allpairs_l2_range_candidate.csv"), "merged shards")
        try CLI.succeed(["merge"] + parts + ["--range-over", "all", "--out", dir.file("merged-all.csv")])
        try expectCSV(
            dir.file("merged-all.csv"), equals: Self.expected("simclr_allpairs_l2_range.csv"), "merged shards, all")
        try CLI.succeed(["merge"] + parts + ["--normalize", "none", "--out", dir.file("merged-none.csv")])
        let none = try ScoresCSVText(dir.file("merged-none.csv"))
        #expect(none.numbers.allSatisfy { $0[2] == $0[3] }, "merge --normalize none: score = diff")

        let out = dir.file("out.csv")
        func refused(_ last: String, _ why: String, naming: [String]) throws {
            try CLI.refuse(["merge"] + parts.prefix(3) + [last, "--out", out], naming: naming, absent: [out])
        }
        // A shard of another shard count.
        try CLI.succeed(["score"] + Self.simclr + ["--shard", "2/3", "--out", dir.file("three-2.h5")])
        try refused(dir.file("three-2.h5"), "shard count", naming: ["three-2.h5"])
        // The same options on other files (f_files, g_files differ).
        try CLI.succeed(["score"] + Self.vicreg + ["--shard", "3/4", "--out", dir.file("vicreg-3.h5")])
        try refused(dir.file("vicreg-3.h5"), "files", naming: ["vicreg-3.h5"])
        // Another distance; another pairing.
        try CLI.succeed(
            ["score"] + Self.simclr + ["--distance", "cosine", "--shard", "3/4", "--out", dir.file("cos-3.h5")])
        try refused(dir.file("cos-3.h5"), "distance", naming: ["cos-3.h5", "distance"])
        try CLI.succeed(
            ["score"] + Self.simclr + ["--pairing", "original", "--shard", "3/4", "--out", dir.file("orig-3.h5")])
        try refused(dir.file("orig-3.h5"), "pairing", naming: ["orig-3.h5", "pairing"])
        // Not a shard: a scores file, a representations file.
        try CLI.succeed(["score"] + Self.simclr + ["--out", dir.file("scores.h5")])
        try refused(dir.file("scores.h5"), "scores file", naming: ["scores.h5"])
        try refused(Self.fixture("simclr_f.h5"), "representations", naming: ["simclr_f.h5"])
        // Overlapping shards: shard 1's points relabelled as shard 3.
        var overlap = try AlignmentsTable(path: parts[1])
        overlap.shard = 3
        try overlap.write(to: dir.file("overlap-3.h5"))
        try refused(dir.file("overlap-3.h5"), "overlap", naming: ["/index"])
        // A shard missing, a shard given twice.
        try CLI.refuse(["merge"] + parts.prefix(3) + ["--out", out], naming: ["3/4"], absent: [out])
        try CLI.refuse(["merge"] + parts + [parts[1], "--out", out], naming: ["part-1.h5"], absent: [out])
    }

    // MARK: inspect

    @Test func inspectGivesItsVerdictInTheExitStatus() throws {
        let valid = try CLI.run(["inspect", Self.fixture("simclr_f.h5")])
        #expect(valid.status == 0 && valid.stdout.split(separator: "\n").last == "valid layout v1", "\(valid)")
        #expect(valid.stdout.contains("K = 5") && !valid.stdout.contains("NOT valid"))
        let images = try CLI.run(["inspect", Self.fixture("images.h5")])
        #expect(images.status == 0, "\(images)")
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try CLI.succeed(["score"] + Self.simclr + ["--out", dir.file("s.h5")])
        // A scores file is recognised as such (exit 0), not judged as a representations file.
        let scores = try CLI.run(["inspect", dir.file("s.h5")])
        #expect(
            scores.status == 0 && scores.stdout.contains("scores file") && !scores.stdout.contains("NOT valid"),
            "\(scores)")
        let invalid = try CLI.run(["inspect", Self.fixture("malformed/libver_latest.h5")])
        #expect(invalid.status != 0, "\(invalid)")
        try CLI.refuse(["inspect", dir.file("missing.h5")], naming: ["missing.h5"])
    }

    // MARK: figures

    @Test func figuresWritesEveryFigureWithItsData() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let scores = Self.expected("simclr_allpairs_l2_range.csv")
        let outcome = try CLI.succeed([
            "figures", "--scores", scores, "--images", Self.fixture("images.h5"), "--checkpoints",
            Self.fixture("checkpoints"),
            "--logs", Self.fixture("log_simclr_f.json") + "," + Self.fixture("log_simclr_g.json"),
            "--compare", Self.expected("vicreg_allpairs_cosine_none.csv"), "--names", "simclr,vicreg",
            "--removal", Self.fixture("removal_example.csv"), "--out", dir.file("figs")
        ])
        let printed = outcome.stdout.split(separator: "\n").map(String.init)
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.file("figs"))
        #expect(listed.contains(".sslmem-output"), "the output folder's marker")
        let files = Set(listed.filter { !$0.hasPrefix(".") })
        #expect(
            !printed.isEmpty && printed.allSatisfy { files.contains(URL(fileURLWithPath: $0).lastPathComponent) },
            "it prints the paths it wrote")
        let names = Set(files.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
        for name in names {
            for ext in ["pdf", "svg", "png", "csv"] {
                #expect(files.contains("\(name).\(ext)"), "\(name).\(ext) missing")
            }
        }
        #expect(names.count >= 12, "\(names.sorted())")
        for required in [
            "score_distribution", "alignment_scatter", "class_means", "kendall", "removal", "membership_roc"
        ] {
            #expect(names.contains { $0.contains(required) }, "no \(required) figure in \(names.sorted())")
        }
        // The scatter's data are the run's points: index, subset, align_f, align_g and score as in the reference.
        let reference = try ScoresCSVText(scores)
        let byIndex = Dictionary(
            uniqueKeysWithValues: zip(reference.keys.map { $0.split(separator: ",")[0] }, reference.numbers))
        let scatter = try String(contentsOfFile: dir.file("figs/alignment_scatter.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(scatter.count == 800, "alignment_scatter.csv rows")
        for row in scatter {
            let want = byIndex[row[0]]
            let got = row.dropFirst(2).map { Double($0) ?? .nan }
            #expect(
                want != nil && got.count == 3 && abs(got[0] - want![0]) <= 1e-9 && abs(got[1] - want![1]) <= 1e-9
                    && abs(got[2] - want![3]) <= 1e-9, "alignment_scatter row \(row)")
        }
        // The class means count the 200 candidates over the 10 classes.
        let classes = try String(contentsOfFile: dir.file("figs/class_means.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(classes.count == 10 && classes.compactMap { Int($0[2]) }.reduce(0, +) == 200, "class_means.csv")
        let only = try CLI.succeed(["figures", "--scores", scores, "--format", "svg", "--out", dir.file("svg")])
        #expect(!only.stdout.isEmpty)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.file("svg")).allSatisfy {
                $0.hasSuffix(".svg") || $0.hasSuffix(".csv") || $0 == ".sslmem-output"
            })
    }

    // MARK: report

    /// A run's report: its scores equal the reference, its summary the scipy statistics, its Déjà Vu numbers the
    /// reference attack; the date comes from SOURCE_DATE_EPOCH.
    @Test func reportOfARunHoldsTheReferenceNumbers() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.file("simclr")
        try CLI.succeed(
            ["report"] + Self.simclr + [
                "--range-over", "all", "--images", Self.fixture("images.h5"),
                "--out", out
            ],
            environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        try expectCSV(out + "/scores.csv", equals: Self.expected("simclr_allpairs_l2_range.csv"), "report scores.csv")
        let summary = try JSONComparison.load(out + "/summary.json") as? [String: Any]
        let stats = try JSONComparison.load(Self.expected("stats_simclr.json")) as? [String: Any]
        for key in ["subsets", "tests"] {
            let problems = JSONComparison.differences(summary?[key] as Any, stats?[key] as Any)
            #expect(problems.isEmpty, "summary.json \(key): \(problems.prefix(3))")
        }
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("2023-11-14 22:13 UTC"), "the date of SOURCE_DATE_EPOCH=1700000000")
        #expect(FileManager.default.fileExists(atPath: out + "/report.pdf"))
    }

    /// `layers --json` and a report's summary.json "layers" hold the same numbers for the same files (both follow
    /// the conventions: the same pairing, top-X sizes and bootstrap draws); with --convention authors-code the
    /// report records it and `select` ranks as remove_samples.py.
    @Test func layersJSONEqualsTheReportsLayers() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let files = ["--f", Self.fixture("layers/f.h5"), "--g", Self.fixture("layers/g.h5")]
        let layers = try CLI.succeed(["layers"] + files + ["--json"]).stdout
        try CLI.succeed(["report"] + files + ["--out", dir.file("r")], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let summary = try #require(try JSONComparison.load(dir.file("r/summary.json")) as? [String: Any])
        var fromReport = try #require(summary["layers"] as? [String: Any])
        fromReport["units"] = nil
        let fromCommand = try #require(try JSONSerialization.jsonObject(with: Data(layers.utf8)) as? [String: Any])
        #expect(fromCommand["intervals"] != nil && fromCommand["findings"] != nil)
        let problems = JSONComparison.differences(fromReport, fromCommand)
        #expect(problems.isEmpty, "\(problems.prefix(3))")
        let conventions = try #require(summary["conventions"] as? [String: Any])
        #expect(conventions["convention"] as? String == "paper" && conventions["range_over"] as? String == "candidate")

        try CLI.succeed(["score"] + Self.simclr + ["--convention", "authors-code", "--out", dir.file("a.csv")])
        try CLI.succeed([
            "select", dir.file("a.csv"), "--convention", "authors-code", "--top", "10", "--out", dir.file("s")
        ])
        let top = try String(contentsOfFile: dir.file("s/top-10.txt"), encoding: .utf8).split(separator: "\n").map {
            Int($0)!
        }
        let reference = try #require(
            try JSONComparison.load(Self.expected("conventions_reference.json")) as? [String: Any])
        let select = try #require(reference["select_authors_code"] as? [String: Any])
        #expect(top == (select["top"] as? [String: [Int]])?["10"])
    }

    /// Two runs compared: Kendall's τ and the top-X overlap in the comparison's JSON equal scipy's.
    @Test func reportCompareHoldsTheReferenceNumbers() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.file("comparison")
        try CLI.succeed(
            [
                "report", "--compare", Self.expected("simclr_allpairs_l2_range.csv"),
                Self.expected("vicreg_allpairs_cosine_none.csv"), Self.expected("both_allpairs_l2_range.csv"),
                "--names", "simclr,vicreg,both", "--removal", Self.fixture("removal_example.csv"), "--out", out
            ],
            environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("simclr") && html.contains("vicreg") && html.contains("2023-11-14 22:13 UTC"))
        #expect(FileManager.default.fileExists(atPath: out + "/report.pdf"))
        let expected = try JSONComparison.load(Self.expected("compare.json")) as? [String: Any]
        let kendall = try #require(expected?["kendall"] as? [[[String: Any]]])
        // The heatmap's data: τ-b, p and n of every pair of runs, as scipy.stats.kendalltau gives them.
        let names = ["simclr", "vicreg", "both"]
        let rows = try String(contentsOfFile: out + "/figures/kendall_heatmap.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 9)
        for row in rows {
            guard let i = names.firstIndex(of: row[0]), let j = names.firstIndex(of: row[1]) else {
                Issue.record("kendall_heatmap.csv row \(row)")
                continue
            }
            let want = [String: Any]()
                .merging(kendall[i][j], uniquingKeysWith: { $1 })
            let got: [String: Any] = [
                "tau": Double(row[2]) ?? .nan, "pvalue": Double(row[3]) ?? .nan, "n": Int(row[4]) ?? -1
            ]
            let problems = JSONComparison.differences(got, want)
            #expect(problems.isEmpty, "τ(\(row[0]), \(row[1])): \(problems)")
        }
    }

    /// A sweep over epochs: the page's table shows, per epoch, the gaps and 95% intervals of
    /// scripts/reference/gap_reference.py (the quantity its figure plots, issue 26), and sweep.json the candidates' mean
    /// of scripts/reference/sweep_reference.py.
    @Test func reportSweepHoldsTheReferenceNumbers() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.file("sweep")
        let pairs =
            ["008", "026", "053"].map {
                Self.fixture("checkpoints/simclr_f_epoch\($0).h5") + ","
                    + Self.fixture("checkpoints/simclr_g_epoch\($0).h5")
            } + [Self.fixture("simclr_f.h5") + "," + Self.fixture("simclr_g.h5")]
        try CLI.succeed(
            ["report", "--sweep", "epoch"] + pairs + ["--out", out],
            environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        func text(_ x: Double) -> String { String(format: "%.4f", x).replacingOccurrences(of: "-", with: "−") }
        let gaps = try #require(try JSONComparison.load(Self.expected("gap_reference.json")) as? [[String: Any]])
        #expect(gaps.count == 4)
        for row in gaps {
            for reference in ["independent", "extra"] {
                let gap = try #require((row["gaps"] as? [String: Any])?[reference] as? [String: Any])
                func number(_ key: String) -> Double { (gap[key] as? NSNumber)?.doubleValue ?? .nan }
                let cell = "\(text(number("gap"))) [\(text(number("ci95_low"))), \(text(number("ci95_high")))]"
                #expect(html.contains(cell), "epoch \(row["epoch"]!) \(reference): \(cell) not on the page")
            }
        }
        let json = try String(contentsOfFile: out + "/sweep.json", encoding: .utf8)
        let expected = try #require(try JSONComparison.load(Self.expected("sweep_epoch.json")) as? [[String: Any]])
        for row in expected {
            let mean = (row["candidate_mean"] as? NSNumber)?.doubleValue ?? .nan
            #expect(json.contains(String(mean).prefix(12)), "epoch \(row["epoch"]!): mean \(mean) not in sweep.json")
        }
        #expect(FileManager.default.fileExists(atPath: out + "/report.pdf"))
    }
}
