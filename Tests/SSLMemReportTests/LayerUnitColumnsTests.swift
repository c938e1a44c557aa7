import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO
import SSLMemTestSupport
import Testing

@testable import SSLMemReport

/// The layers report's tables show each UnitMem number once (issue 26 item 4): the LayerMem table has no
/// UnitMem columns, the UnitMem table has units, mean, share above 0.5 and share above g's q95, and a column
/// with one value in every layer is said once in a note instead of repeated row by row.
@Suite(.serialized) struct LayerUnitColumnsTests {
    static func section() throws -> LayerSection {
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        let inputs = RunReport.Inputs(
            f: [Repository.fixture("layers/f.h5")], g: [Repository.fixture("layers/g.h5")],
            images: nil, checkpoints: nil, logs: [], title: "layers",
            options: AlignmentOptions(pairing: .allPairs), commandLine: "test")
        return try #require(try RunReport(inputs).layers)
    }

    @Test func noUnitMemColumnRepeatsAnother() throws {
        let section = try Self.section()
        let layerTitles = section.columns.map(\.title)
        #expect(
            !layerTitles.contains { $0.contains("UnitMem") || $0 == "units" || $0.contains("q95") }, "\(layerTitles)")
        #expect(section.rows.allSatisfy { $0.count == layerTitles.count })
        let (table, note) = section.unitTable
        let unitTitles = table.columns.map(\.title)
        // Every title appears in one table only (the layer name aside).
        #expect(Set(layerTitles.dropFirst()).isDisjoint(with: unitTitles.dropFirst()))
        // No column left in the UnitMem table is constant over its layers; a dropped one is named in the note.
        for c in table.columns.indices.dropFirst() where table.rows.count >= 2 {
            #expect(Set(table.rows.map { $0[c] }).count > 1, "\(unitTitles[c]) is constant")
        }
        let full = LayerSection.unitColumns.map(\.title)
        for title in full where !unitTitles.contains(title) {
            #expect(note?.contains(title) == true, "\(title) dropped without a note: \(note ?? "nil")")
        }
        // The document holds the note right after the table.
        let blocks = section.blocks
        let index = try #require(
            blocks.firstIndex {
                if case .table(let t) = $0 { return t.export?.name == "unitmem" } else { return false }
            })
        if let note {
            guard case .paragraph(let text, _) = blocks[index + 1] else {
                Issue.record("no note after the table")
                return
            }
            #expect(text == note)
        }
    }

    /// A constant column is dropped with one sentence naming its value; a varying one stays.
    @Test func constantColumnsAreStatedOnce() throws {
        let section = try Self.section()
        let rows = section.unitRows
        #expect(rows.count == 3)
        let constantUnits = Set(rows.map { $0[1] }).count == 1
        let (table, note) = section.unitTable
        #expect(table.columns.map(\.title).contains("units") == !constantUnits)
        if constantUnits { #expect(note?.contains("Every layer has the same units (\(rows[0][1]))") == true) }
        #expect(table.columns.map(\.title).contains("mean UnitMem"))
    }

    /// 16 candidates: the layer-pairs table has no top-50 column of "—" only (a note says why), and the depth
    /// trend over 4 layers says that Kendall's exact test cannot reach 0.05 (2/4! = 0.0833), not "not significant".
    @Test func layerPairsAndDepthTrendAtSmallN() throws {
        let section = try Self.section()
        let blocks = section.blocks
        let index = try #require(
            blocks.firstIndex {
                if case .table(let t) = $0 { return t.export?.name == "layer_pairs" } else { return false }
            })
        guard case .table(let pairs) = blocks[index], case .paragraph(let note, _) = blocks[index + 1] else {
            Issue.record("no layer-pairs table with a note")
            return
        }
        #expect(
            !pairs.columns.map(\.title).contains("top-50 overlap")
                && pairs.columns.map(\.title).contains("unadjusted p"))
        for c in pairs.columns.indices { #expect(pairs.rows.contains { $0[c] != "—" }, "\(pairs.columns[c].title)") }
        #expect(note == "No top-50 overlap column: there are only 16 candidates.")
        #expect(!section.findings.contains("significant"), "\(section.findings)")
        #expect(
            section.findings.contains(
                "with 4 layers Kendall's exact test cannot go below p = 0.0833, so it can never "
                    + "reach 0.05"), "\(section.findings)")
    }
}
