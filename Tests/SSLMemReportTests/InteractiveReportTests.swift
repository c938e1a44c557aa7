import Foundation
import SSLMemCore
import SSLMemHDF5
import SSLMemModel
import SSLMemPlot
import SSLMemStats
import SSLMemTestSupport
import Testing

@testable import SSLMemFigures
@testable import SSLMemIO
@testable import SSLMemReport

/// The run report's interactive page (templates/explore.mustache, `PointExplorer`): the data its script reads is
/// escaped for a `<script>` element, hostile attributes, class names and file names stay text in every context,
/// and the hit maps place each point where the figure drew it. scripts/checks/browser_check.py runs the page in Chromium.
@Suite(.serialized) struct InteractiveReportTests {
    static let closeScript = "</script><script>alert('method')</script>"
    static let imgOnerror = #""><img src=x onerror=alert('architecture')>"#
    static let hostileClass = "<img src=x onerror=alert('class')>Bag"

    @Test func scriptStringsEscapeMarkupAndLineSeparators() throws {
        let text = "</script><!--\u{2028}&\"\\\n\u{1}x\u{2029}"
        let encoded = PointExplorer.string(text)
        #expect(encoded == #""\u003c/script\u003e\u003c!--\u2028\u0026\"\\\n\u0001x\u2029""#)
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!encoded.contains(forbidden)) }
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(encoded)]".utf8)) as? [String]
        #expect(decoded == [text], "the escapes decode to the original text")
    }

    /// An images file of `index` with 4×4 pixels and hostile class names.
    static func writeImages(_ path: String, index: [Int64]) throws {
        let file = try HDF5File(creating: path)
        try file.setAttribute("sslmem_format", .strings(["images"]))
        try file.write("/index", index)
        let pixels = (0..<(index.count * 16)).map { UInt8($0 % 251) }
        try pixels.withUnsafeBytes {
            _ = try file.write("/pixels", shape: [index.count, 4, 4], type: UInt8.hdf5Type, bytes: $0.baseAddress!)
        }
        let labels = try file.write("/label", index.map { $0 % 10 })
        var names = (0..<10).map { "class \($0)" }
        names[3] = hostileClass
        names[4] = "T-shirt\u{2028}</script><!--"
        try labels.setAttribute("names", .strings(names))
    }

    @Test func hostileAttributesClassNamesAndFileNamesStayText() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var f = SyntheticDump(points: 80, views: 3, dim: 6, seed: 7)
        var g = SyntheticDump(points: 80, views: 3, dim: 6, seed: 8)
        g.index = f.index
        g.trainedOn = ["shared", "independent"]
        f.replace["sslmem_format_version"] = { file in
            try file.setAttribute("sslmem_format_version", .integers([1]))
            try file.setAttribute("method", .strings([Self.closeScript]))
            try file.setAttribute("architecture", .strings([Self.imgOnerror]))
        }
        let stem = directory.file(#""><img src=x onerror=alert('file')>"#)
        try f.write(to: stem + "_f.h5")
        try g.write(to: stem + "_g.h5")
        try Self.writeImages(directory.file("images.h5"), index: f.index)
        let inputs = RunReport.Inputs(
            f: [stem + "_f.h5"], g: [stem + "_g.h5"], images: directory.file("images.h5"),
            checkpoints: nil, logs: [], title: "<b>title</b>", options: AlignmentOptions(),
            commandLine: "sslmem report --f '\(stem)_f.h5'")
        let report = try RunReport(inputs)
        let paths = try ReportWriter.write(
            report, to: directory.file("out"),
            templates: ReportTemplates(folder: Repository.root + "/templates"))
        let html = try String(contentsOfFile: paths.first { $0.hasSuffix(".html") }!, encoding: .utf8)

        // No input string became markup: the page's own two scripts only, no <img src=x>, no <b>.
        #expect(html.components(separatedBy: "<script").count - 1 == 2, "only the page's own <script> elements")
        #expect(!html.contains("<img src=x") && !html.contains("<b>title") && !html.contains("<script>alert"))
        #expect(
            html.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;method&#39;)")
                || html.contains("&lt;/script&gt;&lt;script&gt;alert('method')"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert("), "the attribute shown as text")
        #expect(HTMLEscapingTests.malformedAttributes(html).isEmpty)

        // The script's data: nothing in it can end the <script> element, and it decodes to the original names.
        let open = #"<script type="application/json" id="sslmem-points">"#
        let start = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!json.contains(forbidden)) }
        let data = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let classes = try #require(data["classes"] as? [String])
        #expect(classes.contains(Self.hostileClass) && classes.contains("T-shirt\u{2028}</script><!--"))
        #expect((data["points"] as? [Any])?.count == 80)
        #expect((data["thumbnails"] as? [String])?.count == 80)
    }

    /// The scatter's hit map is the figure's own layout: each point at (px(align_f), py(align_g)), inside the frame,
    /// a point above the diagonal (score > 0) higher on the page than the diagonal at its x.
    @Test func scatterHitMapFollowsTheAxes() throws {
        let table = try Memorization.score(
            f: [Repository.fixture("simclr_f.h5")], g: [Repository.fixture("simclr_g.h5")],
            options: AlignmentOptions(), normalization: .range, workers: 2)
        let figure = PaperFigure.alignmentScatter(table, width: .double)
        let map = try #require(figure.plottedPoints(table))
        let layout = try #require(figure.figure.axesLayouts().first)
        #expect(map.kind == .scatter && map.frame == layout.frame && map.width == figure.figure.width)
        let series = map.series[0]
        #expect(series.rows == Array(0..<table.count))
        for k in series.rows.indices {
            let row = series.rows[k]
            #expect(abs(series.x[k] - layout.px(table.alignF[row])) < 1e-9)
            #expect(abs(series.y[k] - layout.py(table.alignG[row])) < 1e-9)
            // Above the diagonal y = x: smaller page y than the diagonal's at the same x.
            if table.score[row] > 1e-6 { #expect(series.y[k] < layout.py(table.alignF[row])) }
            if table.score[row] < -1e-6 { #expect(series.y[k] > layout.py(table.alignF[row])) }
        }
    }

    /// Each point's ROC vertex is a vertex of the audit's `ROCCurve` (threshold = its own signal).
    @Test func rocVerticesAreVerticesOfTheCurve() throws {
        let table = try Memorization.score(
            f: [Repository.fixture("simclr_f.h5")], g: [Repository.fixture("simclr_g.h5")],
            options: AlignmentOptions(), normalization: .range, workers: 2)
        let rows = table.index.indices.filter { table.subset[$0] == .candidate || table.subset[$0] == .extra }
        let member = rows.map { table.subset[$0] == .candidate }
        let values = rows.map { table.score[$0] }
        let curve = ROCCurve(
            members: zip(values, member).filter { $0.1 }.map(\.0),
            nonMembers: zip(values, member).filter { !$0.1 }.map(\.0))
        let (fpr, tpr) = PaperFigure.rocVertices(
            values, member: member, members: curve.positives, others: curve.negatives)
        for k in values.indices {
            let vertex = try #require(curve.points.first { $0.threshold == values[k] })
            #expect(vertex.falsePositiveRate == fpr[k] && vertex.truePositiveRate == tpr[k])
        }
    }

    /// A large run embeds the extremes and an even sample, and says so.
    @Test func largeRunsEmbedExtremesAndASample() throws {
        let n = 10_000
        let score = (0..<n).map { Double(($0 * 7919) % n) / Double(n) - 0.5 }
        let table = ScoresTable(
            index: (0..<Int64(n)).map { $0 }, subset: (0..<n).map { Subset.allCases[$0 % 4] },
            label: Array(repeating: -1, count: n), alignF: score.map { 0.5 - $0 / 2 },
            alignG: score.map { 0.5 + $0 / 2 }, diff: score, score: score)
        let explorer = try PointExplorer(scores: table, images: nil, figures: [])
        #expect(explorer.rows.count == PointExplorer.sampledLimit)
        let kept = Set(explorer.rows)
        let byScore = table.index.indices.sorted { table.score[$0] > table.score[$1] }
        #expect(byScore.prefix(PointExplorer.extremes).allSatisfy(kept.contains))
        #expect(byScore.suffix(PointExplorer.extremes).allSatisfy(kept.contains))
        #expect(explorer.note.contains("10000 points") && explorer.note.contains("250 highest"))
    }
}
