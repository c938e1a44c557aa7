import CIOKernels
import Foundation
import SSLMemCore
import SSLMemStats
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemIO
@testable import SSLMemReport

/// A run's report on the fixtures: complete, escaped, and byte-identical when
/// written twice with SOURCE_DATE_EPOCH set.
@Suite(.serialized) struct ReportTests {
    static let hostileTitle = "<script>alert(1)</script> & {{title}}"

    func write(to directory: String) throws -> RunReport {
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let inputs = RunReport.Inputs(
            f: [Repository.fixture("vicreg_f.h5")], g: [Repository.fixture("vicreg_g.h5")],
            images: Repository.fixture("images.h5"), checkpoints: nil, logs: [], title: Self.hostileTitle,
            options: AlignmentOptions(), commandLine: "sslmem report (test)")
        let report = try RunReport(inputs)
        _ = try ReportWriter.write(
            report, to: directory, templates: ReportTemplates(folder: Repository.root + "/templates"))
        return report
    }

    @Test func reportIsCompleteEscapedAndDeterministic() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let report = try write(to: scratch.file("one"))
        _ = try write(to: scratch.file("two"))
        // Every file of the two folders, not only those that happen to exist: the same names, the same bytes.
        func files(_ folder: String) -> [String] {
            (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { name in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
                    && !isDirectory.boolValue
            }.sorted()
        }
        let written = files(scratch.file("one"))
        #expect(written == files(scratch.file("two")), "the two runs wrote different files")
        for name in [
            "report.html", "report.pdf", "summary.json", "scores.csv", "tables/tests.tex",
            "figures/score_distribution.csv", "figures/score_distribution.png"
        ] {
            #expect(written.contains(name), "\(name) not written")
        }
        #expect(written.count >= 30, "\(written.count) files")
        for name in written {
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.file("one/" + name), andPath: scratch.file("two/" + name)),
                "\(name) differs between two runs")
        }
        // The date is SOURCE_DATE_EPOCH's (1700000000 = 2023-11-14 22:13:20 UTC), on the page and in the PDF.
        #expect(report.date == "2023-11-14 22:13 UTC")
        let html = try String(contentsOfFile: scratch.file("one/report.html"), encoding: .utf8)
        #expect(html.contains("2023-11-14 22:13 UTC"))
        #expect(
            HTMLEscapingTests.malformedAttributes(html).isEmpty,
            "\(HTMLEscapingTests.malformedAttributes(html).prefix(2))")
        // The page's own scripts are the point explorer's data and code (templates/explore.mustache).
        #expect(
            html.components(separatedBy: "<script").count - 1 == 2 && !html.contains("<script>alert"),
            "an input string reached the page unescaped")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"))
        #expect(!html.contains("{{#") && !html.contains("{{/") && !html.contains("{{{"), "raw template tags")
        #expect(html.contains("{{title}}"), "a brace in an input string is text, not a tag")
        // (Outside the explorer's JSON, whose base64 thumbnails may hold any three characters.)
        let data = try #require(html.range(of: "id=\"sslmem-points\">"))
        let dataEnd = try #require(html.range(of: "</script>", range: data.upperBound..<html.endIndex))
        let prose = String(html[..<data.upperBound] + html[dataEnd.lowerBound...])
        #expect(
            !prose.lowercased().contains(">nan<") && !prose.contains("n/a"), "NaN or not-computable in a healthy report"
        )
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "the page must not load anything")
        // One significance language (issue 26): no "significant at the 5% level" beside Holm verdicts; every
        // p in a sentence is named Holm or unadjusted; caveats are sentences.
        let text = ReportParityTests.text(
            of: html.replacingOccurrences(
                of: "(?s)<script.*?</script>", with: "",
                options: .regularExpression))
        #expect(!text.contains("significant at") && !text.contains("significantly"), "a second significance language")
        #expect(
            !text.contains(" p = ")
                || !text.components(separatedBy: " p = ").dropLast().contains {
                    !($0.hasSuffix("Holm") || $0.hasSuffix("unadjusted"))
                }, "a p-value in a sentence not named Holm or unadjusted")
        #expect(report.warnings.allSatisfy { $0.first?.isUppercase == true && !$0.contains(Repository.root) })
        for section in [
            "id=\"run\"", "id=\"summary\"", "id=\"tests\"", "id=\"dejavu\"", "id=\"figures\"", "id=\"top\"",
            "id=\"provenance\""
        ] {
            #expect(html.contains(section))
        }
        // The fixtures have /dejavu groups: the section is there, with its figure and Table 4.
        #expect(report.dejaVu != nil && html.contains("paper Table 4"))
        #expect(report.audit?.figures.count == 3 && html.contains("id=\"audit\""))
        #expect(html.components(separatedBy: "<svg").count - 1 == report.figures.count + 1 + 3)
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 >= 20)
        let pdf = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: scratch.file("one/report.pdf"))), as: UTF8.self)
        let pages = pdf.components(separatedBy: "/Type /Page").count - pdf.components(separatedBy: "/Type /Pages").count
        #expect(pages >= 3)
        #expect(pdf.contains("/FontFile"))
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(files.sorted() == ["one", "two"], "temporary folders left behind")
        let sha = try SHA256.hex(ofFile: Repository.fixture("vicreg_f.h5"))
        #expect(report.files.first?.sha256 == sha)
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Data(String(repeating: "a", count: 1_000_000).utf8)
        #expect(SHA256.hex(of: long) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The SHA-instruction and portable compression functions give the same state, and a hash fed in
    /// pieces that split blocks anywhere equals the one-piece hash (and `sha256sum` of a fixture).
    @Test func sha256PiecesAndKernelsAgree() throws {
        var rng = SplitMix64(seed: 3)
        let bytes = (0..<(64 * 37 + 11)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var portable: [UInt32] = [1, 2, 3, 4, 5, 6, 7, 8]
        var fast = portable
        sslmem_sha256_blocks_variant(0, &portable, bytes, 37)
        sslmem_sha256_blocks_variant(1, &fast, bytes, 37)
        #expect(portable == fast)
        var state = SHA256.State()
        var start = 0
        for size in [1, 63, 65, 0, 128, 1_000, 7] + Array(repeating: 64, count: 20) where start < bytes.count {
            let end = min(bytes.count, start + size)
            state.update(Data(bytes[start..<end]))
            start = end
        }
        state.update(Data(bytes[start...]))
        #expect(state.finish() == SHA256.hex(of: Data(bytes)))
        #expect(
            try SHA256.hex(ofFile: Repository.fixture("images.h5"))
                == "1639ecd7ab7cfec6cbfd97bef5c0b7d4d3de69de36c281076c86a9886cd6191f")
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        #expect(CSV.line(["a,b", "say \"hi\"", "−1", "plain"]) == "\"a,b\",\"say \"\"hi\"\"\",-1,plain")
    }

    @Test func latexEscapesSpecialCharacters() {
        #expect(LaTeXTable.escape("a_b & 50% #1 −0.3") == "a\\_b \\& 50\\% \\#1 $-$0.3")
        let table = LaTeXTable.booktabs(
            ReportTable([.text("x"), .numeric("y")], [["1", "2"]]), caption: "c", label: "t")
        #expect(table.contains("\\toprule") && table.contains("\\midrule") && table.contains("\\bottomrule"))
    }
}
