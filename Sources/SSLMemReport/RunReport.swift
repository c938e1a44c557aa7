import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemStats
import SSLMemSupport

/// Everything one run's report shows, computed once and written as HTML, PDF,
/// tables and JSON: what was trained, how much it memorized, whether that is
/// significant, which points and what they look like, and where it all came from.
public struct RunReport {
    public struct Inputs {
        public var f: [String]
        public var g: [String]
        public var images: String?
        public var checkpoints: String?
        public var logs: [String]
        public var title: String?
        /// Every convention of the report's numbers (`Conventions`; the defaults unless set).
        public var conventions = Conventions.defaults
        /// The alignment part of `conventions` (pairing and distance).
        public var options: SSLMemCore.AlignmentOptions {
            get { conventions.alignment }
            set {
                conventions.pairing = newValue.pairing
                conventions.distance = newValue.distance
            }
        }
        public var commandLine: String
        /// Neighbours of the Déjà Vu attack, run when the single f and g files have /dejavu groups.
        public var dejaVuK = 100
        /// The score's normalization (Eq. 2's range, or none): `conventions.normalization`.
        public var normalization: Normalization {
            get { conventions.normalization }
            set { conventions.normalization = newValue }
        }
        /// The worker threads of the alignment.
        public var workers: Int = FileAlignment.defaultWorkers
        /// Welch's unequal-variance test for the two-sample tests (Table 2) instead of Student's pooled one.
        public var welch = false

        public init(
            f: [String], g: [String], images: String?, checkpoints: String?, logs: [String], title: String?,
            options: SSLMemCore.AlignmentOptions, commandLine: String
        ) {
            self.f = f
            self.g = g
            self.images = images
            self.checkpoints = checkpoints
            self.logs = logs
            self.title = title
            self.conventions.pairing = options.pairing
            self.conventions.distance = options.distance
            self.commandLine = commandLine
        }
    }

    /// One of the most memorized candidates.
    public struct Point {
        public var rank: Int
        public var index: Int64
        public var label: String
        public var score: Double
        public var image: ImagesFile.Image?
    }

    public struct InputFile {
        public var path: String
        public var bytes: Int
        public var sha256: String

        /// The file's size and SHA-256, read now.
        init(path: String) throws {
            self.path = path
            bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            sha256 = try SHA256.hex(ofFile: path)
        }
    }

    public var title: String
    /// Rows (attribute, value for f files, value for g files).
    public var metadata: [(String, String, String)]
    /// Root attributes of the (first) f file: the run's description for comparisons and sweeps.
    public var attributes: [(name: String, value: HDF5AttributeValue)]
    /// Where the f and g dumps differ in method, architecture, dataset, augmentations or epoch (`DumpAgreement`),
    /// then the caveats computed from the numbers (`Caveats.run`).
    public var warnings: [String]
    /// The caveats that undermine findings, with the claims each undermines (`Caveats.typed`).
    public var caveats: [RunSummary.Caveat]
    public var scores: ScoresTable
    public var summaries: [SubsetSummary]
    public var tests: [SubsetTest]
    /// The paper's claims checked on the scores, Holm-adjusted (`Findings.run`): the report opens with them.
    public var findings: [RunSummary.Finding]
    public var figures: [PaperFigure]
    public var dejaVu: DejaVuSection?
    public var audit: AuditSection?
    /// "Where is it memorized?" when the dumps carry /layers.
    public var layers: LayerSection?
    public var top: [Point]
    /// The points and hit maps of the HTML page's tooltips, table and highlights.
    var explorer: PointExplorer
    /// "The run" section's sentence: what the score is, with the normalization actually used, then the
    /// headline number with its convention and the conventions sentence.
    public var scoreDefinition: String
    /// The conventions of every number in the report.
    public var conventions: Conventions
    /// "SSLMem of the candidates: mean [95% t-interval] (n = …; <convention label>)", or nil without candidates.
    public var headline: String?
    /// The tests section's sentence, naming the two-sample variant actually used.
    public var testsIntroduction: String
    public var files: [InputFile]
    public var options: [(String, String)]
    public var commandLine: String
    public var date: String

    public static let version = ToolkitVersion.current
    public static let metadataAttributes = [
        "method", "architecture", "dataset", "encoder", "seed", "epoch",
        "linear_probe_accuracy", "augmentations", "trained_on"
    ]

    /// `progress` hears the name of each long step as it starts.
    public init(_ inputs: Inputs, width: FigureWidth = .double, progress: (String) -> Void = { _ in }) throws {
        let dumpWarnings = Caveats.dumps(try DumpAgreement(inputs.f + inputs.g).warnings)
        warnings = dumpWarnings
        progress("scoring \(inputs.f.count + inputs.g.count) files")
        conventions = inputs.conventions
        let scores = try Memorization.score(
            f: inputs.f, g: inputs.g, options: inputs.options,
            normalization: inputs.normalization, rangeOver: inputs.conventions.rangeOver,
            workers: inputs.workers)
        self.scores = scores
        summaries = SubsetSummary.of(scores)
        tests = SubsetTest.paperTests(scores, welch: inputs.welch)
        findings = Findings.run(scores, welch: inputs.welch)
        let f = try inputs.f.map { try RepresentationsFile(path: $0) }
        let g = try inputs.g.map { try RepresentationsFile(path: $0) }
        func values(_ files: [RepresentationsFile], _ name: String) throws -> String {
            try files.map { try $0.file.attribute(name).map(Self.text) ?? "—" }.joined(separator: "; ")
        }
        metadata = try Self.metadataAttributes.map { ($0, try values(f, $0), try values(g, $0)) }
            .filter { $0.1 != "—" || $0.2 != "—" }
        attributes = try f[0].attributes().filter { !$0.name.hasPrefix("sslmem_format") && $0.name != "trained_on" }
        let method = try f.first?.file.attribute("method")?.string ?? "run"
        let dataset = try f.first?.file.attribute("dataset")?.string
        title = inputs.title ?? "SSLMem report: \(method)" + (dataset.map { " on \($0)" } ?? "")
        let images = try inputs.images.map { try ImagesFile(path: $0) }
        progress("drawing figures")
        // Fig. 2b ends with the run's own f and g (their epoch), the checkpoints scored with the run's pairing and
        // distance so that every point's gap is in the same units.
        let final = try inputs.checkpoints.flatMap { _ in
            try TrainingSeries.FinalModel.of(f: inputs.f, g: inputs.g, table: scores)
        }
        figures = try PaperFigure.runFigures(
            scores, images: images, checkpoints: inputs.checkpoints, logs: inputs.logs,
            width: width, final: final, options: inputs.options)
        if let checkpoints = inputs.checkpoints,
            let caveat = try TrainingSeries.CheckpointPairs.of(
                checkpoints: checkpoints, totals: final.map { ($0.epoch, $0.gEpoch) }
            ).caveat
        {
            warnings.append(caveat)
        }
        audit = AuditSection.of(scores, width: width)
        warnings += Caveats.run(scores, tests: tests, audit: audit?.audit)
        caveats = Caveats.typed(scores, tests: tests, audit: audit?.audit, dumpWarnings: dumpWarnings)
        warnings += caveats.filter { $0.id.hasPrefix("offset-") }.map(\.text)
        findings = Caveats.annotate(findings, with: caveats)
        progress("Déjà Vu attack (k nearest neighbours)")
        dejaVu = try DejaVuSection.of(f: f, g: g, scores: scores, k: inputs.dejaVuK, width: width)
        if let warning = dejaVu?.warning { warnings.append(warning) }
        progress("LayerMem and UnitMem")
        layers = try LayerSection.of(
            f: inputs.f, g: inputs.g, scores: scores, conventions: inputs.conventions,
            width: width)
        let ranked = Ranking.highestFirst(
            scores.index.indices.filter { scores.subset[$0] == .candidate },
            value: { scores.score[$0] }, key: { scores.index[$0] })
        // Only what the scores support: a candidate with a score ≤ 0 is not memorized by this measure.
        top = try ranked.prefix(20).filter { scores.score[$0] > 0 }.enumerated().map { rank, row in
            let image = try images?.image(of: scores.index[row])
            let label = scores.label[row] >= 0 ? scores.label[row] : image?.label ?? -1
            return Point(
                rank: rank + 1, index: scores.index[row],
                label: label >= 0 ? ImagesFile.className(label, names: images?.classNames ?? []) : "—",
                score: scores.score[row], image: image)
        }
        explorer = try PointExplorer(scores: scores, images: images, figures: figures + (audit?.figures ?? []))
        let inputsList =
            inputs.f + inputs.g + [inputs.images].compactMap { $0 } + inputs.logs
            + (try inputs.checkpoints.map { dir in
                try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".h5") }.sorted()
                    .map { dir + "/" + $0 }
            } ?? [])
        files = try inputsList.map(InputFile.init)
        options =
            inputs.conventions.provenance + [
                ("two-sample test", (inputs.welch ? "Welch (unequal variances)" : "Student (pooled)") + ", one-sided"),
                ("toolkit", "sslmem \(Self.version)")
            ]
        if let dejaVu { options.insert(("Déjà Vu neighbours k", String(dejaVu.attack.k)), at: options.count - 1) }
        scoreDefinition =
            "Encoder f trained on the shared and candidate points, encoder g on the shared and independent "
            + "points. A point's SSLMem score is g's alignment loss minus f's"
            + (inputs.normalization == .range
                ? ", divided by its range over "
                    + (inputs.conventions.rangeOver == .candidate ? "the candidates" : "all points")
                : " (not normalized)")
            + " (Wang et al., ICLR 2024, Eq. 1–2): positive where f aligns the point better."
        headline = CandidateHeadline(scores, conventions: inputs.conventions)?.sentence
        scoreDefinition += (headline.map { " " + $0 } ?? "") + " " + inputs.conventions.sentence
        testsIntroduction =
            "The tests of the paper's Tables 2 and 16: one-sided two-sample t-tests ("
            + (inputs.welch ? "Welch, unequal variances" : "Student, pooled variance")
            + ") between subsets and one-sample t-tests against 0 (shared ≠ 0 two-sided). The paper's \"effect size\" "
            + "column reports the t statistic; Cohen's d is given separately. The p-values in the table are unadjusted; "
            + "the findings decide with Holm-adjusted ones (\"Holm p\"), so a test can have p < 0.05 here while its "
            + "finding is not supported."
        commandLine = inputs.commandLine
        date = Self.reportDate()
    }

    /// UTC date of SOURCE_DATE_EPOCH when set, else now.
    static func reportDate() -> String {
        let seconds =
            ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init)
            ?? Date().timeIntervalSince1970
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func text(_ value: HDF5AttributeValue) -> String {
        switch value {
        case .strings(let s): return s.joined(separator: ", ")
        case .integers(let v): return v.map(String.init).joined(separator: ", ")
        case .reals(let v): return v.map { NumberFormat.general($0, significant: 4) }.joined(separator: ", ")
        case .unsupported(let what): return what
        }
    }
}
