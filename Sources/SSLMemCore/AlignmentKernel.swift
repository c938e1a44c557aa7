import CCoreKernels

/// The alignment loss of one point from its views, in Float64.
///
/// Both distances need only dot products: with cᵢⱼ = vᵢ·vⱼ / (‖vᵢ‖ ‖vⱼ‖),
/// ‖u(vᵢ) − u(vⱼ)‖₂ = √(2 − 2cᵢⱼ) and 1 − cos = 1 − cᵢⱼ. Every product of two
/// float32 (or float16) values is exact in Float64, and the sums run in Float64,
/// so the result matches a float64 computation to about 1e-12 relative even
/// where views are nearly equal (√ of a difference near 0 loses at most half
/// the digits of 2 − 2cᵢⱼ, whose absolute error is ~1e-16).
public enum AlignmentKernel {
    /// Outcome for one point: its alignment, or which view is unusable.
    public enum Outcome: Equatable {
        case alignment(Double)
        /// View `view` (K for the original) has a zero, NaN or infinite norm.
        case badView(view: Int, norm: Double)
    }

    /// a(x) for the K views of length D at `views` (row-major [K, D]), paired
    /// as `options` says; `original` (length D) is used by pairing `original`.
    @inlinable
    public static func alignment<T: KernelScalar>(
        views: UnsafePointer<T>, count k: Int, length d: Int, original: UnsafePointer<T>?, options: AlignmentOptions
    ) -> Outcome {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(2 * k + 1, k * k)) { scratch in
            alignment(views: views, count: k, length: d, original: original, options: options, scratch)
        }
    }

    @inlinable
    static func alignment<T: KernelScalar>(
        views: UnsafePointer<T>, count k: Int, length d: Int, original: UnsafePointer<T>?, options: AlignmentOptions,
        _ squaredNorms: UnsafeMutableBufferPointer<Double>
    ) -> Outcome {
        var total = 0.0
        switch options.pairing {
        case .allPairs:
            // Every dot among the views at once (the Gram matrix, k × k), then the same arithmetic per pair.
            let gram = squaredNorms.baseAddress!
            T.gram(views, count: k, length: d, into: gram)
            return alignment(gram: gram, count: k, options.distance)
        case .original:
            // ‖vᵢ‖², ‖o‖² and o·vᵢ in a few passes over the data, then the same checks and arithmetic per view.
            guard let original else { preconditionFailure("pairing original needs the original view") }
            let norms = squaredNorms.baseAddress!
            let dots = norms + (k + 1)
            T.originalDots(original, views: views, count: k, length: d, norms: norms, dots: dots)
            for i in 0...k {
                if let bad = check(norms[i], view: i) { return bad }
            }
            for i in 0..<k {
                let c = dots[i] / (norms[k] * norms[i]).squareRoot()
                total += distance(cosine: c, options.distance)
            }
            return .alignment(total / Double(k))
        }
    }

    /// Pairing `all-pairs` for k float16 views of length d stored at `views` (row-major [k, d], little-endian,
    /// any alignment; `DecodedRows.half`): the Gram matrix straight from the halves (`sslmem_gram_halves`,
    /// converting in registers where the CPU allows), the same bits as `alignment(views:…)` on their Float
    /// values, since every half is exactly a Float.
    public static func allPairsAlignment(
        halves views: UnsafeRawPointer, count k: Int, length d: Int, distance: Distance
    ) -> Outcome {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, k * k)) { gram in
            withUnsafeTemporaryAllocation(of: UnsafeRawPointer?.self, capacity: max(1, k)) { pointers in
                for i in 0..<k { pointers[i] = views + 2 * i * d }
                guard sslmem_gram_halves(pointers.baseAddress!, k, d, gram.baseAddress!) != 0 else {
                    fatalError("out of memory converting \(k) float16 views of length \(d)")
                }
                return alignment(gram: gram.baseAddress!, count: k, distance)
            }
        }
    }

    /// Pairing `all-pairs` from the views' Gram matrix (k × k, row-major): every view's norm checked, then
    /// the mean over i < j of the distance between u(vᵢ) and u(vⱼ), cᵢⱼ = gᵢⱼ / √(gᵢᵢ gⱼⱼ).
    @inlinable
    static func alignment(gram: UnsafePointer<Double>, count k: Int, _ distance: Distance) -> Outcome {
        for i in 0..<k {
            if let bad = check(gram[i * k + i], view: i) { return bad }
        }
        var total = 0.0
        for i in 0..<k {
            for j in (i + 1)..<k {
                let c = gram[i * k + j] / (gram[i * k + i] * gram[j * k + j]).squareRoot()
                total += Self.distance(cosine: c, distance)
            }
        }
        return .alignment(total / Double(k * (k - 1) / 2))
    }

    @inlinable
    static func check(_ squaredNorm: Double, view: Int) -> Outcome? {
        squaredNorm.isFinite && squaredNorm > 0 ? nil : .badView(view: view, norm: squaredNorm.squareRoot())
    }

    @inlinable
    static func distance(cosine c: Double, _ distance: Distance) -> Double {
        switch distance {
        case .l2: return max(0, 2 - 2 * c).squareRoot()
        case .cosine: return 1 - c
        }
    }
}

/// Element types the kernel reads: products and sums are formed in Float64.
public protocol KernelScalar {
    /// Σᵢ aᵢbᵢ over n elements, in Float64.
    static func dot(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ n: Int) -> Double
    /// gram[i·k + j] = dot(vᵢ, vⱼ) for the k vectors of length d at `vectors` (row-major [k, d]).
    static func gram(
        _ vectors: UnsafePointer<Self>, count k: Int, length d: Int, into gram: UnsafeMutablePointer<Double>)
    /// Pairing `original`'s dots: norms[i] = dot(vᵢ, vᵢ) for the k views at `views` (row-major [k, d]),
    /// norms[k] = dot(o, o) and dots[i] = dot(o, vᵢ), each exactly as `dot` computes it.
    static func originalDots(
        _ original: UnsafePointer<Self>, views: UnsafePointer<Self>, count k: Int, length d: Int,
        norms: UnsafeMutablePointer<Double>, dots: UnsafeMutablePointer<Double>)
}

extension KernelScalar {
    /// Pair by pair with `dot`.
    @inlinable
    public static func gram(
        _ vectors: UnsafePointer<Self>, count k: Int, length d: Int, into gram: UnsafeMutablePointer<Double>
    ) {
        for i in 0..<k {
            for j in i..<k {
                let value = dot(vectors + i * d, vectors + j * d, d)
                gram[i * k + j] = value
                gram[j * k + i] = value
            }
        }
    }

    /// Dot by dot with `dot`.
    @inlinable
    public static func originalDots(
        _ original: UnsafePointer<Self>, views: UnsafePointer<Self>, count k: Int, length d: Int,
        norms: UnsafeMutablePointer<Double>, dots: UnsafeMutablePointer<Double>
    ) {
        for i in 0..<k { norms[i] = dot(views + i * d, views + i * d, d) }
        norms[k] = dot(original, original, d)
        for i in 0..<k { dots[i] = dot(original, views + i * d, d) }
    }
}

extension Float: KernelScalar {
    /// The C kernel (CCoreKernels/dot.c): AVX2 + FMA when the CPU has it, the same
    /// bits in every version; products are exact in Float64, the four lanes are
    /// summed in a fixed order.
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
        sslmem_dot(a, b, n)
    }

    /// The C Gram kernel: each view read once per step, the same bits as `dot` pair by pair.
    public static func gram(
        _ vectors: UnsafePointer<Float>, count k: Int, length d: Int, into gram: UnsafeMutablePointer<Double>
    ) {
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: k) { pointers in
            for i in 0..<k { pointers[i] = vectors + i * d }
            sslmem_gram(pointers.baseAddress!, k, d, gram)
        }
    }

    /// The C kernel: up to four views per pass with the original, the same bits as `dot` one by one.
    public static func originalDots(
        _ original: UnsafePointer<Float>, views: UnsafePointer<Float>, count k: Int, length d: Int,
        norms: UnsafeMutablePointer<Double>, dots: UnsafeMutablePointer<Double>
    ) {
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: k) { pointers in
            for i in 0..<k { pointers[i] = views + i * d }
            sslmem_original_dots(original, pointers.baseAddress!, k, d, norms, dots)
        }
    }
}

extension Double: KernelScalar {
    @inlinable
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = SIMD4<Double>()
        var s1 = SIMD4<Double>()
        var i = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            s0 +=
                ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            s1 +=
                ra.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            i += 8
        }
        var tail = 0.0
        while i < n {
            tail += a[i] * b[i]
            i += 1
        }
        return (s0 + s1).sum() + tail
    }
}
