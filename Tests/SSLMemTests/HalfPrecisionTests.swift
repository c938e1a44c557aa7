import Testing
@testable import SSLMemIO

@Suite struct HalfPrecisionTests {
    @Test func knownValues() {
        let halves: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x7BFF, 0x7C00, 0x0000, 0x8000, 0x3555]
        var out = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBytes { HalfPrecision.convert($0.baseAddress!, count: halves.count, into: &out) }
        #expect(out[0] == 1)
        #expect(out[1] == -2)
        #expect(out[2] == 0x1p-24)  // smallest subnormal
        #expect(out[3] == 65504)    // largest finite
        #expect(out[4] == .infinity)
        #expect(out[5] == 0 && out[6] == 0 && out[6].sign == .minus)
        #expect(out[7] == 0.333251953125)
    }

    @Test func shuffledPlanesMatchPlainConversion() {
        let halves: [UInt16] = (0..<1000).map { UInt16(truncatingIfNeeded: $0 &* 2654435761) & 0x7BFF }
        var planes = [UInt8](repeating: 0, count: 2 * halves.count)
        for (i, h) in halves.enumerated() {
            planes[i] = UInt8(h & 0xFF)
            planes[halves.count + i] = UInt8(h >> 8)
        }
        var plain = [Float](repeating: 0, count: 700), fused = [Float](repeating: 0, count: 700)
        halves.withUnsafeBytes { HalfPrecision.convert($0.baseAddress!, count: 700, into: &plain) }
        planes.withUnsafeBytes {
            HalfPrecision.convertShuffled($0.baseAddress!, planeLength: halves.count, count: 700, into: &fused)
        }
        #expect(plain == fused)
    }
}
