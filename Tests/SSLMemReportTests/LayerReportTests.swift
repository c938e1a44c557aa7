import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemCore
@testable import SSLMemReport

/// The run report's "Where is it memorized?" section: present exactly when the dumps carry /layers,
/// deterministic, and its findings sentence follows the numbers.
@Suite(.serialized) struct LayerReportTests {
    func write(_ f: String, _ g: String, to directory: String, pairing: Pairing = .original) throws -> RunReport {
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let inputs = RunReport.Inputs(
            f: [f], g: [g], images: nil, checkpoints: nil, logs: [], title: "layers",
            options: AlignmentOptions(pairing: pairing), commandLine: "sslmem report (test)")
        let report = try RunReport(inputs)
        _ = try ReportWriter.write(
            report, to: directory, templates: ReportTemplates(folder: Repository.root + "/templates"))
        return report
    }

    /// The real fixture's `fc` layer is the linear head (negative means): UnitMem is left out for that
    /// layer alone, with its reason, and computed for conv1–conv3.
    @Test func unitMemSkipsOnlyTheLayersWithNegativeMeans() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let report = try write(
            Repository.fixture("layers/f.h5"), Repository.fixture("layers/g.h5"), to: scratch.file("r"),
            pairing: .allPairs)
        let section = try #require(report.layers)
        #expect(section.units?.map(\.name) == ["conv1", "conv2", "conv3"])
        let note = try #require(section.unitNote)
        #expect(note.hasPrefix("UnitMem not computed for fc: ") && note.contains("/layers/fc/representations"))
        #expect(!note.contains("--allow-negative"), "a library message names no flag")
        // Small n (issue 26): no raw error text or unrounded value, and top/least sets of a quarter of the 16
        // candidates, not all 16.
        #expect(!note.contains("0.15126037") && note.contains("negative mean activations"), "\(note)")
        #expect(section.analysis.extremes == 4)
        #expect(section.figures.map(\.name).contains("unitmem_histogram"))
    }

    @Test func sectionOnSyntheticLayers() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let f = Repository.fixture("layers_synthetic/conv_f.h5")
        let g = Repository.fixture("layers_synthetic/conv_g.h5")
        let report = try write(f, g, to: scratch.file("one"))
        _ = try write(f, g, to: scratch.file("two"))
        let section = try #require(report.layers)
        #expect(section.analysis.layers.map(\.name) == ["stem", "block", "tokens"])
        #expect(
            section.figures.map(\.name) == [
                "layermem_profile", "layermem_extremes", "layer_kendall",
                "unitmem_histogram", "unitmem_scatter"
            ])
        for name in ["report.html", "report.pdf", "summary.json", "tables/layers.csv", "figures/layermem_profile.svg"] {
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.file("one/" + name), andPath: scratch.file("two/" + name)),
                "\(name) differs between two runs")
        }
        let html = try String(contentsOfFile: scratch.file("one/report.html"), encoding: .utf8)
        #expect(html.contains("id=\"layers\"") && html.contains("Where is it memorized?"))
        #expect(html.contains("LayerMem is highest at tokens (0.6329 ["))
        // Three layers rising at every step: τ = 1, but p = 1/3 with three layers, so no claim of a trend.
        #expect(section.findings.contains("inconclusive") && section.findings.contains("grows at every layer"))
        // By construction f's candidates align better than the extra points at block and tokens, not at stem.
        #expect(
            section.findings.contains("exceed those of the extra points, which neither encoder saw, at block, tokens"))
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: scratch.file("one/summary.json"))))
            as! [String: Any]
        let layers = summary["layers"] as! [String: Any]
        #expect((layers["layers"] as! [Any]).count == 3 && layers["findings"] is [String] && layers["intervals"] != nil)
        // The comparison report shows the runs' LayerMem profiles side by side.
        let comparison = try ComparisonReport(
            runs: [
                RunSource(scratch.file("one"), name: "a"),
                RunSource(scratch.file("two"), name: "b")
            ],
            title: "layers", commandLine: "test")
        let profiles = try #require(comparison.layers)
        #expect(profiles.layers == ["stem", "block", "tokens"] && profiles.runs == ["a", "b"])
        for (a, b) in zip(profiles.layerMem.map { $0[0] }, section.analysis.layers.map(\.layerMem)) {
            #expect(abs(a - b) <= 1e-15 * abs(b))  // read back from summary.json
        }
        #expect(profiles.sentence == "a: tokens (0.6329); b: tokens (0.6329)")
        _ = try comparison.write(
            to: scratch.file("cmp"), templates: ReportTemplates(folder: Repository.root + "/templates"))
        let comparisonHTML = try String(contentsOfFile: scratch.file("cmp/report.html"), encoding: .utf8)
        #expect(comparisonHTML.contains("id=\"layers\"") && comparisonHTML.contains("layermem_comparison"))
        for figure in section.figures {
            #expect(FileManager.default.fileExists(atPath: scratch.file("one/figures/\(figure.name).png")))
            #expect(FileManager.default.fileExists(atPath: scratch.file("one/figures/\(figure.name).csv")))
        }
    }

    @Test func noSectionWithoutLayers() throws {
        let f = Repository.fixture("simclr_f.h5")
        let g = Repository.fixture("simclr_g.h5")
        let scores = try Memorization.score(f: [f], g: [g])
        #expect(try LayerSection.of(f: [f], g: [g], scores: scores, conventions: .defaults, width: .double) == nil)
    }

    func section(_ values: [Double]) -> LayerSection {
        var previous: Double?
        let layers = values.enumerated().map { i, v in
            defer { previous = v }
            return LayerProfile(
                name: "layer\(i + 1)", order: i, layerMem: v, delta: previous.map { v - $0 } ?? v, n: 10,
                top: v, least: v, control: 0)
        }
        let analysis = LayerMemAnalysis(
            pairing: "original", distance: "l2", fFiles: [], gFiles: [], layers: layers,
            candidates: [1, 2], m: values.map { _ in [0, 1] }, score: [0, 1], extra: [],
            mExtra: values.map { _ in [] }, extremes: 1,
            topIndex: [2], leastIndex: [1])
        return LayerSection(
            analysis: analysis, consistency: LayerConsistency(analysis, tops: []), units: nil,
            unitNote: nil, figures: [])
    }

    @Test func findingsFollowTheNumbers() {
        // m(x) is the same at every layer here, so every bootstrap interval overlaps: no layer is ranked first.
        let rising = section([0.01, 0.02, 0.05, 0.04, 0.1, 0.2, 0.3]).findings
        #expect(rising.hasPrefix("LayerMem is highest at layer7 (0.3000 ["), "\(rising)")
        #expect(rising.contains("cannot be ranked at n = 2 candidates") && rising.contains("layer6 (0.2000"))
        #expect(rising.contains("Memorization rises with depth") && !rising.contains("inconclusive"))
        let falling = section([0.5, 0.4, 0.3, 0.2, 0.1, 0.05]).findings
        #expect(falling.contains("falls with depth"))
        let flat = section([0.2, 0.1, 0.3, 0.1, 0.25]).findings
        #expect(
            flat.contains("inconclusive")
                && flat.contains(
                    "No single layer's increase stands out: the largest "
                        + "ΔLayerMem, at layer3")
        )
        #expect(section([0.1, 0.2]).findings.contains("inconclusive with 2 layer(s)"))
    }
}
