import Foundation
import SSLMemIO
import SSLMemModel
import SSLMemSupport
import SSLMemTestSupport
import Testing

/// Mismatched f and g dumps (issue 16): differing run attributes are warnings, differing split hashes an error.
@Suite struct DumpAgreementTests {
    func dump(_ path: String, seed: UInt64, role: [String], attributes: [(String, HDF5AttributeValue)]) throws {
        var dump = SyntheticDump(points: 8, views: 2, dim: 3, seed: 1)
        dump.trainedOn = role
        dump.replace["sslmem_format"] = { file in
            try file.setAttribute("sslmem_format", .strings(["representations"]))
            for (name, value) in attributes { try file.setAttribute(name, value) }
        }
        try dump.write(to: path)
    }

    @Test func differingRunAttributesAreWarningsAndDifferingSplitsAnError() throws {
        let temp = TemporaryDirectory()
        defer { temp.remove() }
        let (f, g, h) = (temp.file("f.h5"), temp.file("g.h5"), temp.file("h.h5"))
        let split = String(repeating: "ab", count: 32)
        let other = String(repeating: "cd", count: 32)
        try dump(
            f, seed: 1, role: ["shared", "candidate"],
            attributes: [
                ("method", .strings(["simclr"])), ("epoch", .integers([80])), ("split_sha256", .strings([split]))
            ])
        try dump(
            g, seed: 2, role: ["shared", "independent"],
            attributes: [
                ("method", .strings(["vicreg"])), ("epoch", .integers([80])), ("split_sha256", .strings([split]))
            ])
        try dump(
            h, seed: 3, role: ["shared", "independent"],
            attributes: [
                ("method", .strings(["simclr"])), ("epoch", .integers([40])), ("split_sha256", .strings([other]))
            ])
        let agreement = try DumpAgreement([f, g])
        #expect(agreement.warnings == ["the dumps differ in method: \(f) has \"simclr\", \(g) has \"vicreg\""])
        #expect(throws: SSLMemError.self) { try DumpAgreement([f, h]) }
        #expect(try DumpAgreement([f, f]).warnings.isEmpty)
    }

    @Test func theFixturesAgreeAndMixedMethodsWarn() throws {
        #expect(
            try DumpAgreement([Repository.fixture("simclr_f.h5"), Repository.fixture("simclr_g.h5")]).warnings.isEmpty)
        let mixed = try DumpAgreement([Repository.fixture("simclr_f.h5"), Repository.fixture("vicreg_g.h5")]).warnings
        #expect(mixed.count == 1 && mixed[0].contains("differ in method"))
    }
}
