import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemHDF5
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// A run whose f and g were trained for different numbers of epochs (issue 14: SSLMem assumes f and g
/// differ only in their data): its report says so with both numbers, in summary.json's "warnings", the
/// HTML caution block and the PDF.
@Suite struct EpochsDifferTests {
    /// A pair of synthetic dumps (40 points, every subset) whose f and g carry `epoch` f and g and the same
    /// method, written into `directory`; returns "F.h5,G.h5".
    static func pair(_ name: String, f fEpoch: Int, g gEpoch: Int, in directory: TemporaryDirectory) throws -> String {
        var f = SyntheticDump(points: 40, views: 3, dim: 6, seed: 7)
        var g = SyntheticDump(points: 40, views: 3, dim: 6, seed: 107)
        g.index = f.index
        g.trainedOn = ["shared", "independent"]
        for (dump, epoch) in [(0, fEpoch), (1, gEpoch)] {
            let attributes: (HDF5File) throws -> Void = { file in
                try file.setAttribute("sslmem_format_version", .integers([1]))
                try file.setAttribute("method", .strings(["simclr"]))
                try file.setAttribute("epoch", .integers([Int64(epoch)]))
            }
            if dump == 0 {
                f.replace["sslmem_format_version"] = attributes
            } else {
                g.replace["sslmem_format_version"] = attributes
            }
        }
        let fPath = directory.file("\(name)_f.h5")
        let gPath = directory.file("\(name)_g.h5")
        try f.write(to: fPath)
        try g.write(to: gPath)
        return fPath + "," + gPath
    }

    @Test func theReportWarnsWithBothEpochs() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let files = try Self.pair("run", f: 100, g: 50, in: scratch).split(separator: ",").map(String.init)
        let inputs = RunReport.Inputs(
            f: [files[0]], g: [files[1]], images: nil, checkpoints: nil, logs: [], title: "epochs differ",
            options: AlignmentOptions(), commandLine: "sslmem report (test)")
        let report = try RunReport(inputs)
        _ = try ReportWriter.write(
            report, to: scratch.file("r"), templates: try ReportTemplates(folder: Repository.root + "/templates"))
        let summary = try RunSummary(
            json: try Data(contentsOf: URL(fileURLWithPath: scratch.file("r/summary.json"))),
            path: "summary.json")
        let warning = try #require(summary.warnings?.first { $0.contains("epoch") }, "\(summary.warnings ?? [])")
        #expect(warning.contains("has 100") && warning.contains("has 50"))
        let html = try String(contentsOfFile: scratch.file("r/report.html"), encoding: .utf8)
        let caution = try #require(html.range(of: "<div class=\"caution\"").map { String(html[$0.lowerBound...]) })
        let shown = ReportParityTests.text(of: String(caution.prefix { $0 != "\u{0}" }))
        #expect(shown.contains("has 100") && shown.contains("has 50"))
        let paragraphs = try PDFReport.write(report.document, to: scratch.file("p.pdf"), paper: .a4)
        #expect(paragraphs.contains { $0.hasPrefix("• ") && $0.contains("has 100") && $0.contains("has 50") })
    }
}
