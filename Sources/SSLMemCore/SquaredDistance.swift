import CCoreKernels

/// Squared Euclidean distance between two Float vectors, ‖t − p‖² = Σᵢ (tᵢ − pᵢ)²,
/// accumulated in double-double precision and rounded once to Float64.
///
/// Each difference δ = tᵢ − pᵢ is formed in Float64 with its rounding error
/// (TwoSum; zero unless the two exponents are more than 28 binades apart), δ² is
/// split exactly into two Float64 values (FMA, or Dekker's product without it), and the terms are
/// summed in double-double arithmetic (TwoSum on the high part), eight lanes at a
/// time. The sum's relative error is below n²·2⁻¹⁰⁶ for n terms per lane (about
/// 10⁻²⁷ at 2,048 dimensions), so the result is the correctly rounded distance
/// unless the exact value lies that close to a midpoint between two doubles;
/// identical vector pairs always give identical results.
/// The kernel is C (CCoreKernels/squared_distance.c), compiled for AVX-512 and
/// AVX2 + FMA beside baseline x86-64 and chosen at run time; every version
/// computes the same bits.
public enum SquaredDistance {
    public static func exact(_ t: UnsafePointer<Float>, _ p: UnsafePointer<Float>, count: Int) -> Double {
        sslmem_squared_distance(t, p, count)
    }
}
