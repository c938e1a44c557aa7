import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemSupport

extension RunReport {
    /// The report as one document: what report.html, report.pdf and tables/ show, in order. A section is
    /// added by appending its blocks here (see `ReportDocument`).
    public var document: ReportDocument {
        var document = ReportDocument(title: title, date: date)
        document += ReportText.findingsBlocks(findings, caveats: warnings)
        document += [
            .heading("The run", id: "run"), .paragraph(scoreDefinition),
            .table(ReportTable([.text("attribute"), .text("f"), .text("g")], metadata.map { [$0.0, $0.1, $0.2] })),
            .heading("Memorization per subset", id: "summary"), .table(ReportText.summaryTable(summaries)),
            .heading("Significance tests", id: "tests"), .paragraph(testsIntroduction),
            .table(ReportText.testsTable(tests)), .list(tests.map { ReportText.sentence($0, findings: findings) })
        ]
        if let dejaVu { document += dejaVu.blocks }
        if let audit { document += audit.blocks }
        if let layers { document += layers.blocks }
        document += [.heading("Figures", id: "figures")] + figures.map { .figure($0) }
        document += [.heading("Most memorized candidates", id: "top")] + topBlocks + [.explorer(explorer)]
        document += [
            .heading("Provenance", id: "provenance"),
            .table(
                ReportTable(
                    [.code("input file"), .numeric("bytes"), .code("SHA-256")],
                    files.map { [$0.path, String($0.bytes), $0.sha256] }, size: .tiny)),
            .table(ReportTable([.text("option"), .text("value")], options.map { [$0.0, $0.1] })),
            .code(label: "Command line:", text: commandLine)
        ]
        return document
    }

    /// The top table, without an image column when the run has no images, and a line saying what it holds.
    var topBlocks: [ReportBlock] {
        let candidates = scores.scores(of: .candidate)
        let positive = candidates.filter { $0 > 0 }.count
        guard !top.isEmpty else {
            return [
                .paragraph(
                    "No candidate has a positive score (f aligns none of them better than g does), so "
                        + "none is listed as memorized.")
            ]
        }
        let (table, dropped) = topTable.withoutEmptyColumns()
        var text = "The \(top.count) candidates with the highest scores"
        text +=
            positive <= 20
            ? ": every candidate with a score above 0 (\(positive) of \(candidates.count))."
            : " (\(positive) of the \(candidates.count) candidates score above 0)."
        if dropped.contains("image") { text += " No images were given (--images), so the table has no thumbnails." }
        return [.paragraph(text), .table(table)]
    }

    /// The most memorized candidates with their thumbnails (tables/top20.tex and .csv without them).
    var topTable: ReportTable {
        var table = ReportTable(
            [
                .numeric("rank"), .numeric("index"), .text("class"), .numeric("score"),
                ReportTable.Column("image", .image)
            ],
            top.map {
                [String($0.rank), String($0.index), $0.label, NumberFormat.fixed($0.score), "point \($0.index)"]
            },
            export: .init("top20", caption: "The \(top.count) most memorized candidates."),
            images: top.map(\.image), points: top.map(\.index))
        table.id = "top-table"
        return table
    }
}
