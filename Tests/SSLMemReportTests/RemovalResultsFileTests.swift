import Foundation
import SSLMemFigures
import SSLMemReport
import SSLMemTestSupport
import Testing

/// The removal results a user types or exports (`report --compare --removal FILE`): read as written by Python or
/// Excel, and named in the comparison's provenance like every other input.
@Suite struct RemovalResultsFileTests {
    static let example = Repository.fixture("removal_example.csv")

    /// Excel's CSV (a UTF-8 byte-order mark, CRLF line ends) gives the same rows as the plain file.
    @Test func excelCSVReadsAsThePlainFile() throws {
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let plain = try String(contentsOfFile: Self.example, encoding: .utf8)
        let excel = "\u{FEFF}" + plain.split(separator: "\n").joined(separator: "\r\n") + "\r\n"
        try excel.write(toFile: scratch.file("excel.csv"), atomically: true, encoding: .utf8)
        let a = try RemovalResults(csvFile: Self.example)
        let b = try RemovalResults(csvFile: scratch.file("excel.csv"))
        #expect(a.rows.count == 30)
        #expect(a.rows.map(\.accuracy) == b.rows.map(\.accuracy))
        #expect(a.rows.map(\.kind) == b.rows.map(\.kind))
        #expect(a.rows.map(\.removed) == b.rows.map(\.removed))
    }

    /// The removal CSV is an input of the comparison: its path, size and SHA-256 are in the provenance.
    @Test func comparisonProvenanceNamesTheRemovalFile() throws {
        let comparison = try ComparisonReport.fixtureComparison()
        let row = try #require(comparison.files.first { $0.first == "removal" })
        let bytes = try FileManager.default.attributesOfItem(atPath: Self.example)[.size] as! Int
        #expect(row[2].hasSuffix("removal_example.csv"))
        #expect(row[3] == String(bytes))
        #expect(row[4].count == 64)
    }
}
