// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (snake_case names mirror the keys of the reference JSON they decode.)
import CCoreKernels
import Foundation
import SSLMemCore
import SSLMemTestSupport
import Testing

/// Every compiled variant of the exact squared-distance kernel (CCoreKernels/squared_distance.c: baseline without
/// FMA, AVX2 + FMA, AVX-512) against sums computed exactly with fractions and rounded once
/// (scripts/fixtures/make_kernel_vectors.py → Vectors/squared_distance_vectors.json). The library picks one variant per
/// CPU, so without this a machine with AVX2 never runs the baseline or AVX-512 code; each variant the CPU can
/// run is tested here, and one it cannot is reported as skipped.
@Suite struct SquaredDistanceKernelTests {
    struct Case: Decodable {
        let name: String
        let t: [String]
        let p: [String]
        let expected: String
        let naive_differs: Bool
    }

    struct Vectors: Decodable { let cases: [Case] }

    static let vectors: [Case] = {
        let url = URL(fileURLWithPath: Repository.root + "/Tests/SSLMemCoreTests/Vectors/squared_distance_vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url)).cases
    }()

    static func float(_ hex: String) -> Float { Float(bitPattern: UInt32(hex, radix: 16)!) }
    static func double(_ hex: String) -> Double { Double(bitPattern: UInt64(hex, radix: 16)!) }

    struct Variant: CustomTestStringConvertible, Sendable {
        let id: Int32
        let name: String
        var testDescription: String { name }
        var supported: Bool { sslmem_kernel_supported(id) != 0 }
    }

    static let variants = [
        Variant(id: Int32(SSLMEM_KERNEL_BASELINE), name: "baseline (Dekker, no FMA)"),
        Variant(id: Int32(SSLMEM_KERNEL_AVX2_FMA), name: "AVX2 + FMA"),
        Variant(id: Int32(SSLMEM_KERNEL_AVX512), name: "AVX-512")
    ]

    @Test func vectorsAreNotTrivial() {
        #expect(Self.vectors.count >= 30)
        #expect(Self.vectors.filter(\.naive_differs).count >= 10, "cases where plain float64 summation is wrong")
    }

    @Test(arguments: variants)
    func variantRoundsOnceOnEveryVector(variant: Variant) throws {
        try #require(variant.supported || variant.id != Int32(SSLMEM_KERNEL_BASELINE), "baseline always runs")
        guard variant.supported else {
            print("skipped: this CPU cannot run the \(variant.name) kernel")
            return
        }
        for c in Self.vectors {
            let t = c.t.map(Self.float)
            let p = c.p.map(Self.float)
            let got = sslmem_squared_distance_variant(variant.id, t, p, t.count)
            let expected = Self.double(c.expected)
            #expect(got.bitPattern == expected.bitPattern, "\(variant.name), \(c.name): \(got) ≠ \(expected)")
            // Symmetric in its arguments.
            #expect(
                sslmem_squared_distance_variant(variant.id, p, t, t.count).bitPattern == expected.bitPattern,
                "\(variant.name), \(c.name), swapped")
        }
    }

    /// The dispatching entry point (what the library calls) runs the best variant this CPU has.
    @Test func dispatchRunsTheBestSupportedVariant() {
        let best = Self.variants.last(where: \.supported)!
        #expect(sslmem_kernel_chosen() == best.id)
        for c in Self.vectors {
            let t = c.t.map(Self.float)
            let p = c.p.map(Self.float)
            #expect(
                SquaredDistance.exact(t, p, count: t.count).bitPattern == Self.double(c.expected).bitPattern,
                "\(c.name)")
        }
    }
}
