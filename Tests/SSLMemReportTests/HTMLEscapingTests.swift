import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// Text from the input files (titles, run names, attribute names, removal CSV fields) reaches the HTML pages only
/// escaped: in text (Mustache's `{{…}}`) and inside double-quoted attributes (`HTMLRenderer.attributeEscaped`, the
/// figures' `aria-label`), in the run, sweep and comparison reports.
@Suite(.serialized) struct HTMLEscapingTests {
    /// Attribute values that end somewhere other than before a space, `/` or `>`: a quote in a value broke out of it.
    static func malformedAttributes(_ html: String) -> [String] {
        var problems: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "aria-label=\"") {
            let value = rest[start.upperBound...]
            guard let end = value.firstIndex(of: "\"") else {
                problems.append("unterminated aria-label")
                break
            }
            let after = value[value.index(after: end)...].first
            if let after, !" />".contains(after) {
                problems.append("aria-label=\"\(value[..<end])\" followed by \(after)")
            }
            if value[..<end].contains("<") || value[..<end].contains(">") {
                problems.append("< or > in \(value[..<end])")
            }
            rest = value[value.index(after: end)...]
        }
        return problems
    }

    @Test func attributeEscapingCoversQuotesAndMarkup() {
        #expect(HTMLRenderer.attributeEscaped(#"a "b" <c> & d"#) == "a &quot;b&quot; &lt;c&gt; &amp; d")
        #expect(HTMLRenderer.attributeEscaped("&quot;") == "&amp;quot;", "escaping is not undone")
        #expect(Self.malformedAttributes(#"<svg aria-label="x" role="img">"#).isEmpty)
        #expect(Self.malformedAttributes(#"<svg aria-label="x"y" role="img">"#).count == 1)
    }

    /// The sweep figure's caption holds the attribute name: a quote in it must not end the aria-label.
    @Test func sweepAttributeNameIsEscapedInsideAttributes() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let name = #"λ" onload="alert(1)"#
        var runs: [RunSource] = []
        for (i, value) in [0.1, 0.2].enumerated() {
            var f = SyntheticDump(points: 40, views: 3, dim: 6, seed: UInt64(i + 1))
            var g = SyntheticDump(points: 40, views: 3, dim: 6, seed: UInt64(i + 101))
            g.index = f.index
            g.trainedOn = ["shared", "independent"]
            f.replace["sslmem_format_version"] = { file in
                try file.setAttribute("sslmem_format_version", .integers([1]))
                try file.setAttribute(name, .reals([value]))
            }
            try f.write(to: directory.file("s\(i)_f.h5"))
            try g.write(to: directory.file("s\(i)_g.h5"))
            runs.append(try RunSource(directory.file("s\(i)_f.h5") + "," + directory.file("s\(i)_g.h5")))
        }
        let sweep = try SweepReport(runs: runs, attribute: name, title: nil, commandLine: "test")
        let paths = try sweep.write(
            to: directory.file("sweep"), templates: ReportTemplates(folder: Repository.root + "/templates"))
        let html = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(!html.contains(#"" onload=""#), "attribute injection through the attribute name")
        #expect(html.contains("λ&quot; onload=&quot;alert(1)"))
        #expect(Self.malformedAttributes(html).isEmpty, "\(Self.malformedAttributes(html).prefix(2))")
    }

    /// The comparison report: run names (--names) and the removal CSV's fields are escaped in text and attributes.
    @Test func comparisonReportEscapesNamesAndRemovalFields() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let removal = directory.file("removal.csv")
        try """
        removed,kind,dataset,accuracy,std
        0,memorized,<script>x()</script>,0.8,0.01
        100,memorized,<script>x()</script>,0.7,0.01
        0,random,<script>x()</script>,0.8,0.01
        100,random,<script>x()</script>,0.79,0.01

        """.write(toFile: removal, atomically: true, encoding: .utf8)
        let runs = try [("simclr_allpairs_l2_range.csv", #"<b>a"b</b>"#), ("vicreg_allpairs_cosine_none.csv", "c&d")]
            .map { try RunSource(Repository.fixture("expected/" + $0.0), name: $0.1) }
        let report = try ComparisonReport(
            runs: runs, title: "<i>t</i>", removal: try RemovalResults(csvFile: removal),
            commandLine: "test")
        let paths = try report.write(
            to: directory.file("comparison"),
            templates: ReportTemplates(folder: Repository.root + "/templates"))
        let html = try String(contentsOfFile: paths.first { $0.hasSuffix(".html") }!, encoding: .utf8)
        #expect(
            !html.contains("<script>x()") && !html.contains("<b>a") && !html.contains("<i>t"),
            "an input string reached the comparison page unescaped")
        #expect(html.contains("&lt;b&gt;a") && html.contains("c&amp;d") && html.contains("&lt;script&gt;x()"))
        #expect(Self.malformedAttributes(html).isEmpty, "\(Self.malformedAttributes(html).prefix(2))")
    }
}
