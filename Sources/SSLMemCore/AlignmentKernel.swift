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
        withUnsafeTemporaryAllocation(of: Double.self, capacity: k + 1) { squaredNorms in
            alignment(views: views, count: k, length: d, original: original, options: options, squaredNorms)
        }
    }

    @inlinable
    static func alignment<T: KernelScalar>(
        views: UnsafePointer<T>, count k: Int, length d: Int, original: UnsafePointer<T>?, options: AlignmentOptions,
        _ squaredNorms: UnsafeMutableBufferPointer<Double>
    ) -> Outcome {
        for i in 0..<k {
            squaredNorms[i] = T.dot(views + i * d, views + i * d, d)
            if let bad = check(squaredNorms[i], view: i) { return bad }
        }
        var total = 0.0
        switch options.pairing {
        case .allPairs:
            for i in 0..<k {
                for j in (i + 1)..<k {
                    let c = T.dot(views + i * d, views + j * d, d) / (squaredNorms[i] * squaredNorms[j]).squareRoot()
                    total += distance(cosine: c, options.distance)
                }
            }
            return .alignment(total / Double(k * (k - 1) / 2))
        case .original:
            guard let original else { preconditionFailure("pairing original needs the original view") }
            squaredNorms[k] = T.dot(original, original, d)
            if let bad = check(squaredNorms[k], view: k) { return bad }
            for i in 0..<k {
                let c = T.dot(original, views + i * d, d) / (squaredNorms[k] * squaredNorms[i]).squareRoot()
                total += distance(cosine: c, options.distance)
            }
            return .alignment(total / Double(k))
        }
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
}

extension Float: KernelScalar {
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            let x = ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            s0 += SIMD4<Double>(x.lowHalf) * SIMD4<Double>(y.lowHalf)
            s1 += SIMD4<Double>(x.highHalf) * SIMD4<Double>(y.highHalf)
            i += 8
        }
        var tail = 0.0
        while i < n {
            tail += Double(a[i]) * Double(b[i])
            i += 1
        }
        return (s0 + s1).sum() + tail
    }
}

extension Double: KernelScalar {
    @inlinable
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            s0 += ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            s1 += ra.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
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
