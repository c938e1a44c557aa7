import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// HTML and PDF carry the same text (issue 14): every paragraph of a report's HTML is a paragraph of its
/// PDF and the other way round, and the HTML's list items (findings, caveats) are the PDF's bullets; for a
/// run report, a comparison report and a sweep report made from the fixtures. Both render one
/// `ReportDocument` (issue 26), so this holds by design; the test stays as a check on the two renderers.
@Suite(.serialized) struct ReportParityTests {
    /// The text a reader sees in `html`: tags dropped, entities decoded, white space collapsed.
    static func text(of html: String) -> String {
        var s = html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        for (entity, character) in [
            ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"),
            ("&#34;", "\""), ("&#x2F;", "/"), ("&#47;", "/"), ("&#96;", "`"), ("&#x60;", "`"),
            ("&#61;", "="), ("&#x3D;", "="), ("&amp;", "&")
        ] {
            s = s.replacingOccurrences(of: entity, with: character)
        }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The texts of every `<tag …>…</tag>` element of `html`, in order.
    static func elements(_ tag: String, of html: String) -> [String] {
        let regex = try! NSRegularExpression(
            pattern: "<\(tag)(\\s[^>]*)?>(.*?)</\(tag)>", options: [.dotMatchesLineSeparators])
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            text(of: String(html[Range($0.range(at: 2), in: html)!]))
        }
    }

    static func normalized(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    /// `html`'s paragraphs and list items against `pdf`'s paragraphs and bullets.
    static func expectSameText(html page: String, pdf: [String], _ what: String) {
        // What the PDF cannot have: the section that exists only with JavaScript (hidden until the script shows
        // it). The command line is a paragraph in the PDF and a label over a scrolling code block in the HTML.
        let html =
            page
            .replacingOccurrences(
                of: "(?s)<section id=\"explore\" hidden>.*?</section>", with: "",
                options: .regularExpression
            )
            .replacingOccurrences(
                of: "(?s)<p>Command line:</p>\\s*<pre class=\"command\"><code>(.*?)</code></pre>",
                with: "<p>Command line: $1</p>", options: .regularExpression)
        let htmlParagraphs = elements("p", of: html)
        let htmlItems = elements("li", of: html.components(separatedBy: "</nav>").last!)
        let pdfParagraphs = pdf.filter { !$0.hasPrefix("• ") }.map(normalized)
        let pdfBullets = pdf.filter { $0.hasPrefix("• ") }.map { normalized(String($0.dropFirst(2))) }
        let pdfLacks = htmlParagraphs.filter { !pdfParagraphs.contains($0) }
        let htmlLacks = pdfParagraphs.filter { !htmlParagraphs.contains($0) }
        let pdfLacksItems = htmlItems.filter { !pdfBullets.contains($0) }
        let htmlLacksBullets = pdfBullets.filter { !htmlItems.contains($0) }
        #expect(pdfLacks.isEmpty, "\(what): paragraphs of the HTML missing in the PDF: \(pdfLacks)")
        #expect(htmlLacks.isEmpty, "\(what): paragraphs of the PDF missing in the HTML: \(htmlLacks)")
        #expect(pdfLacksItems.isEmpty, "\(what): list items of the HTML missing in the PDF: \(pdfLacksItems)")
        #expect(htmlLacksBullets.isEmpty, "\(what): bullets of the PDF missing in the HTML: \(htmlLacksBullets)")
        #expect(htmlParagraphs.count >= 3)
    }

    @Test func runComparisonAndSweepReportsSayTheSameInHTMLAndPDF() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let templates = try ReportTemplates(folder: Repository.root + "/templates")

        let inputs = RunReport.Inputs(
            f: [Repository.fixture("simclr_f.h5")], g: [Repository.fixture("simclr_g.h5")],
            images: Repository.fixture("images.h5"), checkpoints: nil, logs: [], title: "parity",
            options: AlignmentOptions(), commandLine: "sslmem report (test)")
        let run = try RunReport(inputs)
        _ = try ReportWriter.write(run, to: scratch.file("run"), templates: templates)
        try Self.expectSameText(
            html: String(contentsOfFile: scratch.file("run/report.html"), encoding: .utf8),
            pdf: PDFReport.write(run.document, to: scratch.file("run.pdf"), paper: .a4),
            "run report")

        let comparison = try ComparisonReport.fixtureComparison()
        _ = try comparison.write(to: scratch.file("compare"), templates: templates)
        try Self.expectSameText(
            html: String(contentsOfFile: scratch.file("compare/report.html"), encoding: .utf8),
            pdf: PDFReport.write(comparison.document, to: scratch.file("c.pdf"), paper: .a4),
            "comparison report")

        let pairs = [8, 26].map { e in
            Repository.fixture("checkpoints/simclr_f_epoch" + String(format: "%03d", e) + ".h5") + ","
                + Repository.fixture("checkpoints/simclr_g_epoch" + String(format: "%03d", e) + ".h5")
        }
        let sweep = try SweepReport(
            runs: try pairs.map { try RunSource($0) }, attribute: "epoch", title: nil,
            commandLine: "sslmem report --sweep (test)")
        _ = try sweep.write(to: scratch.file("sweep"), templates: templates)
        try Self.expectSameText(
            html: String(contentsOfFile: scratch.file("sweep/report.html"), encoding: .utf8),
            pdf: PDFReport.write(sweep.document, to: scratch.file("s.pdf"), paper: .a4),
            "sweep report")
    }
}
