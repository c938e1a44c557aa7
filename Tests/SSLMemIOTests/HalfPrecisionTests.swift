import Foundation
import SSLMemHDF5
import Testing

@testable import SSLMemIO

/// float16 decoding (HalfPrecision.swift) against an independent bitwise decoder of IEEE binary16, on all 65,536
/// bit patterns, plain and byte-shuffled.
@Suite struct HalfPrecisionTests {
    /// IEEE 754 binary16 by its definition: sign, 5-bit exponent (bias 15), 10-bit fraction; exponent 0 is
    /// subnormal (fraction · 2⁻²⁴), exponent 31 is ±Inf (fraction 0) or NaN.
    static func decode(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int(bits >> 10) & 0x1F
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1024 + fraction) * pow(2, Double(exponent - 25))
        }
    }

    static func same(_ a: Float, _ b: Double) -> Bool {
        b.isNaN ? a.isNaN : Double(a) == b && a.sign == b.sign
    }

    @Test func knownValues() {
        let halves: [UInt16] = [
            0x3C00, 0xC000, 0x0001, 0x7BFF, 0x7C00, 0x0000, 0x8000, 0x3555,
            0xFC00, 0x7E00, 0xFE00, 0x7C01, 0x03FF, 0x8001, 0x83FF, 0x0400, 0xFBFF
        ]
        var out = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBytes { HalfPrecision.convert($0.baseAddress!, count: halves.count, into: &out) }
        #expect(out[0] == 1)
        #expect(out[1] == -2)
        #expect(out[2] == 0x1p-24)  // smallest subnormal
        #expect(out[3] == 65504)  // largest finite
        #expect(out[4] == .infinity)
        #expect(out[5] == 0 && out[6] == 0 && out[6].sign == .minus)
        #expect(out[7] == 0.333251953125)
        #expect(out[8] == -.infinity)
        #expect(out[9].isNaN && out[10].isNaN && out[11].isNaN, "quiet, negative and signalling NaN")
        #expect(out[12] == 1023 * 0x1p-24, "largest subnormal")
        #expect(out[13] == -0x1p-24 && out[14] == -1023 * 0x1p-24, "negative subnormals")
        #expect(out[15] == 0x1p-14, "smallest normal")
        #expect(out[16] == -65504)
    }

    @Test func everyBitPatternMatchesTheDefinition() {
        let halves = (0...UInt16.max).map { $0 }
        var out = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBytes { HalfPrecision.convert($0.baseAddress!, count: halves.count, into: &out) }
        let wrong = halves.filter { !Self.same(out[Int($0)], Self.decode($0)) }
        #expect(wrong.isEmpty, "\(wrong.count) patterns, first \(wrong.prefix(5).map { String($0, radix: 16) })")
    }

    /// Every bit pattern (negatives, subnormals, Inf, NaN, odd and even exponents) in shuffled planes, against the
    /// definition — not against the plain conversion, which shares the table.
    @Test func shuffledPlanesMatchTheDefinition() {
        var rng = SplitMix64Shuffle(state: 7)
        var halves = (0...UInt16.max).map { $0 }
        for i in halves.indices.dropFirst().reversed() { halves.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var planes = [UInt8](repeating: 0, count: 2 * halves.count)
        for (i, h) in halves.enumerated() {
            planes[i] = UInt8(h & 0xFF)
            planes[halves.count + i] = UInt8(h >> 8)
        }
        let count = halves.count - 5  // only the first `count` elements are converted
        var fused = [Float](repeating: 42, count: halves.count)
        planes.withUnsafeBytes {
            HalfPrecision.convertShuffled($0.baseAddress!, planeLength: halves.count, count: count, into: &fused)
        }
        let wrong = (0..<count).filter { !Self.same(fused[$0], Self.decode(halves[$0])) }
        #expect(
            wrong.isEmpty,
            "\(wrong.count) elements, first bit patterns \(wrong.prefix(5).map { String(halves[$0], radix: 16) })")
        #expect(fused[count...].allSatisfy { $0 == 42 }, "wrote past count")
    }
}

/// A SplitMix64 of the test's own (the shuffle only needs to be fixed, not the library's).
struct SplitMix64Shuffle {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
