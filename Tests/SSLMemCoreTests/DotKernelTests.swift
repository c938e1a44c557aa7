import CCoreKernels
import CIOKernels
import Foundation
import SSLMemCore
import SSLMemStats
import Testing

/// The alignment kernel's dot product (CCoreKernels/dot.c): every variant this CPU can run gives the same
/// bits as the baseline (the lane order is part of the definition), and the value is the exact sum of
/// the products to Float64 accuracy (checked against a double-double sum), at lengths with and
/// without a tail past the last multiple of eight.
@Suite struct DotKernelTests {
    /// Σ aᵢbᵢ in double-double (TwoSum; the products are exact in Float64), rounded once.
    static func exactDot(_ a: [Float], _ b: [Float]) -> Double {
        var high = 0.0
        var low = 0.0
        for (x, y) in zip(a, b) {
            let p = Double(x) * Double(y)
            let s = high + p
            let v = s - high
            low += (high - (s - v)) + (p - v)
            high = s
        }
        return high + low
    }

    @Test(arguments: [1, 7, 8, 9, 255, 4_096, 4_101])
    func variantsAgreeAndAreAccurate(length: Int) {
        var rng = SplitMix64(seed: UInt64(length))
        let a = (0..<length).map { _ in Float.random(in: -3...3, using: &rng) }
        let b = (0..<length).map { _ in Float.random(in: -3...3, using: &rng) }
        let baseline = sslmem_dot_variant(Int32(SSLMEM_KERNEL_BASELINE), a, b, length)
        for variant in [SSLMEM_KERNEL_AVX2_FMA, SSLMEM_KERNEL_AVX512] where sslmem_kernel_supported(Int32(variant)) != 0
        {
            #expect(
                sslmem_dot_variant(Int32(variant), a, b, length).bitPattern == baseline.bitPattern,
                "variant \(variant), length \(length)")
        }
        #expect(Float.dot(a, b, length).bitPattern == baseline.bitPattern)
        // The Gram matrix of five vectors (a, b and three more) equals the dots pair by pair, in every variant.
        let more = (0..<(3 * length)).map { _ in Float.random(in: -3...3, using: &rng) }
        let vectors = a + b + more
        let pointers: [UnsafePointer<Float>?] = vectors.withUnsafeBufferPointer { base in
            (0..<5).map { UnsafePointer(base.baseAddress! + $0 * length) }
        }
        for variant in [SSLMEM_KERNEL_BASELINE, SSLMEM_KERNEL_AVX2_FMA, SSLMEM_KERNEL_AVX512]
        where sslmem_kernel_supported(Int32(variant)) != 0 {
            for k in [2, 5, 7 / 7 * 5] {
                var gram = [Double](repeating: .nan, count: k * k)
                vectors.withUnsafeBufferPointer { _ in
                    _ = sslmem_gram_variant(Int32(variant), pointers, k, length, &gram)
                }
                for i in 0..<k {
                    for j in 0..<k {
                        let one = sslmem_dot_variant(Int32(SSLMEM_KERNEL_BASELINE), pointers[i], pointers[j], length)
                        #expect(
                            gram[i * k + j].bitPattern == one.bitPattern, "variant \(variant), k \(k), (\(i), \(j))")
                    }
                }
            }
        }
        let exact = Self.exactDot(a, b)
        let scale = zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        #expect(abs(baseline - exact) <= Double(length) * 0x1p-52 * scale, "length \(length)")
    }
}

/// The Gram matrix of float16 vectors as stored (`sslmem_gram_halves`, CCoreKernels/dot.c): the same bits as
/// `sslmem_gram` of their Float values, fused (eight vectors with AVX-512 and F16C) or through float copies
/// (any other count), at lengths with and without a tail past the last multiple of four, with the halves at an
/// odd address, and with zeros, subnormals, the largest halves, infinities and NaN among the values; and the
/// all-pairs alignment from halves equals the alignment of the Float views.
@Suite struct HalfGramTests {
    @Test(arguments: [0, 1, 3, 4, 5, 7, 61, 225, 1_027])
    func sameBitsAsTheGramOfTheFloats(length n: Int) {
        var rng = SplitMix64(seed: UInt64(n) + 11)
        let special: [UInt16] = [0x0000, 0x8000, 0x0001, 0x83ff, 0x7bff, 0xfbff, 0x7c00, 0x3c00, 0x7e00]
        for k in [1, 3, 8, 9] {
            let bits = (0..<(k * n)).map { i -> UInt16 in
                i % 97 == 5
                    ? special[(i / 97) % special.count] : Float16(Float.random(in: -4...4, using: &rng)).bitPattern
            }
            let floats = bits.map { Float(Float16(bitPattern: $0)) }
            var expected = [Double](repeating: .nan, count: k * k)
            floats.withUnsafeBufferPointer { base in
                let pointers: [UnsafePointer<Float>?] = (0..<k).map { base.baseAddress! + $0 * n }
                sslmem_gram(pointers, k, n, &expected)
            }
            // The halves one byte past an aligned start.
            var bytes = [UInt8](repeating: 0, count: 2 * k * n + 1)
            for (i, b) in bits.enumerated() {
                bytes[1 + 2 * i] = UInt8(b & 0xff)
                bytes[2 + 2 * i] = UInt8(b >> 8)
            }
            var got = [Double](repeating: .nan, count: k * k)
            let ok = bytes.withUnsafeBytes { raw in
                let pointers: [UnsafeRawPointer?] = (0..<k).map { raw.baseAddress! + 1 + 2 * $0 * n }
                return sslmem_gram_halves(pointers, k, n, &got)
            }
            #expect(ok == 1)
            #expect(
                zip(got, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) },
                "k \(k), length \(n), fused \(sslmem_gram_halves_fused(k))")
            guard n > 0, k >= 2, bits.allSatisfy({ Float16(bitPattern: $0).isFinite }) else { continue }
            let fromHalves = bytes.withUnsafeBytes { raw in
                AlignmentKernel.allPairsAlignment(halves: raw.baseAddress! + 1, count: k, length: n, distance: .l2)
            }
            let fromFloats = floats.withUnsafeBufferPointer {
                AlignmentKernel.alignment(
                    views: $0.baseAddress!, count: k, length: n, original: nil, options: AlignmentOptions())
            }
            #expect(fromHalves == fromFloats, "k \(k), length \(n)")
        }
    }
}

/// `String.replacingAll` against Foundation's `replacingOccurrences` on the cases the reports use, multi-byte
/// characters included, and on overlapping and empty patterns.
@Suite struct TextReplacementTests {
    @Test func agreesWithFoundation() {
        let cases: [(String, String, String)] = [
            ("<svg id=\"a\"><use href=\"#g1\"/></svg>", "#", "#fig-"), ("id=\"x\" id=\"y\"", "id=\"", "id=\"p-"),
            ("−0.5,−1", "−", "-"), ("aaaa", "aa", "b"), ("say \"hi\"", "\"", "\"\""), ("", "x", "y"),
            ("no match", "zz", "q"), ("ends with x", "x", ""), ("x", "x", ""), ("τ ≠ τ", "τ", "tau")
        ]
        for (text, target, replacement) in cases {
            #expect(
                text.replacingAll(target, with: replacement)
                    == text.replacingOccurrences(of: target, with: replacement), "\(text) / \(target)")
        }
        #expect("abc".replacingAll("", with: "x") == "abc")
    }
}

/// Half → float conversion (CIOKernels/half.c), with and without F16C, against Swift's Float16 on all 65,536
/// bit patterns (NaN only as NaN), plain and byte-shuffled, at a length with a tail past the vector width.
@Suite struct HalfConversionTests {
    @Test func everyHalfConvertsExactly() {
        let halves = (0...UInt16.max).map { $0 }
        let expected = halves.map { Float(Float16(bitPattern: $0)) }
        let low = halves.map { UInt8($0 & 0xff) }
        let high = halves.map { UInt8($0 >> 8) }
        for f16c in [Int32(0), 1] {
            var plain = [Float](repeating: 0, count: halves.count)
            var shuffled = plain
            sslmem_halves_to_floats_variant(f16c, halves, &plain, halves.count)
            sslmem_shuffled_halves_to_floats_variant(f16c, low, high, &shuffled, halves.count - 3)
            for i in halves.indices {
                let same = expected[i].isNaN ? plain[i].isNaN : plain[i].bitPattern == expected[i].bitPattern
                #expect(same, "F16C \(f16c), half \(String(halves[i], radix: 16))")
                if i < halves.count - 3 {
                    #expect(
                        expected[i].isNaN ? shuffled[i].isNaN : shuffled[i].bitPattern == expected[i].bitPattern,
                        "shuffled, F16C \(f16c), half \(String(halves[i], radix: 16))")
                }
            }
        }
    }
}
