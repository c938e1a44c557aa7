import CBLAS

/// A rank-r projection of the public rows for the nearest-neighbour search's
/// spectral pruning (`NearestNeighbours`), with rigorous lower bounds on
/// distances.
///
/// Fit: μ is the mean of a sample of public rows, V (r rows of length D, stored
/// in Float32) the top r principal directions of the centred sample, found by
/// subspace iteration (SGEMM) with a Rayleigh–Ritz step (LAPACK's dsyevr on the
/// small Gram matrix) and orthonormalized in Float64. Neither has to be the exact
/// PCA: the bound below holds for any μ and any V; the fit only makes it tight.
///
/// Bound. Let Q be an orthonormal basis of V's row space and R = I − QQᵀ. For
/// x′ = fl(x − μ) (Float32) and any two rows t, p, with y = t′ − p′,
/// ‖y‖² = ‖Qᵀy‖² + ‖Ry‖² ≥ ‖Qᵀy‖² + (‖Rt′‖ − ‖Rp′‖)² (reverse triangle
/// inequality). Each row x gets the augmented vector â = [fl(Vx′); ρ̂; 0…]
/// (`width` Float32 values, ρ̂ ≈ ‖Rx′‖), and a radius η with
/// ‖â − w‖ ≤ η, where w = [Vx′ / s; ‖Rx′‖] and s = max(1, s_max) bounds V's
/// singular values (so ‖Vy‖/s ≤ ‖Qᵀy‖). Then
///
///     ‖t − p‖ ≥ ‖â_t − â_p‖ − η_t − η_p,
///
/// because ‖t − p‖ ≥ ‖y‖ − λ(‖t′‖ + ‖p′‖) (centring rounds each coordinate by
/// at most u|x − μ|, u = 2⁻²⁴, λ = u/(1 − u), counted in η) and
/// ‖y‖ ≥ ‖w_t − w_p‖. So a row with ‖â_t − â_p‖ > √U + η_t + η_max has
/// ‖t − p‖² > U. η covers, for each row:
///
/// - the rounding of Vx′, computed by `project` in blocks of 128 columns (Float32
///   SGEMM partials, added in Float64, rounded once): ‖fl(Vx′) − Vx′‖ ≤ c‖x′‖ with
///   c ≈ γ₁₂₈‖V‖_F + u·s_max (`projectionCoefficient`; γ_n = nu/(1 − nu),
///   Higham §3.1, as the screen's bound; one SGEMM over all D columns would
///   give γ_D‖V‖_F, 16 times more at D = 2,048);
/// - the scaling by s: ‖Vx′‖(1 − 1/s) ≤ (s − 1)‖x′‖;
/// - ρ̂: ‖Qᵀx′‖ lies in [(‖fl(Vx′)‖ − g)/s_max, (‖fl(Vx′)‖ + g)/s_min] with
///   g = c‖x′‖, so ‖Rx′‖ = √(‖x′‖² − ‖Qᵀx′‖²) lies in an interval
///   [ρ₋, ρ₊] (Float64, each end widened by (D + 8)·2⁻⁵² relative); ρ̂ is its
///   midpoint rounded to Float32 and the larger distance to an end counts in η;
/// - the centring's rounding λ‖x′‖/(1 − u).
///
/// s_min and s_max come from V's Gram matrix G = VVᵀ computed in Float64
/// (`Float.dot`, error ≤ γ₆₄‖vᵢ‖‖vⱼ‖ per entry): every eigenvalue of G lies
/// within δ = ‖G − I‖_F + r·(D + 8)·2⁻⁵²·max Gᵢᵢ of 1 (Weyl), s² ∈ [1 − δ, 1 + δ].
/// The search's GEMM on the augmented vectors and its Float32 test are the
/// screen's (same error bound with γ of `width` terms).
struct SpectralProjection: Sendable {
    /// r: rows of `basis`.
    let rank: Int
    /// D.
    let length: Int
    /// Columns of an augmented vector: r + 1 rounded up to a multiple of 8 (the rest zeros).
    let width: Int
    /// V, r × D row-major, Float32; rows in decreasing order of the sample's variance.
    let basis: [Float]
    /// μ, D values.
    let centre: [Float]
    /// Bounds on V's singular values and on ‖V‖_F.
    let sMin: Double, sMax: Double, frobenius: Double
    /// Estimated variances (the sample covariance's top eigenvalues, decreasing) and the sample's total variance.
    let variances: [Double]
    let totalVariance: Double
    /// Test hook: a wrong bound, to show the tests catch it.
    let mutation: Mutation

    enum Mutation: Sendable {
        case none
        /// ρ̂ enters public rows with a minus sign: the bound then uses (‖Rt‖ + ‖Rp‖)², too large.
        case residualSum
        /// ρ̂ = 0 and no error term for it: the bound drops the residual term (still a valid, weaker bound).
        case noResidual
        /// The screen of half-precision rows uses the Float32 error bound, without the halves' rounding.
        case halfRoundingIgnored
    }

    /// The fraction of the sample's variance the top `rank` directions hold.
    func explained(_ rank: Int) -> Double {
        totalVariance > 0 ? variances.prefix(rank).reduce(0, +) / totalVariance : 0
    }

    /// The same fit kept to its first `rank` directions.
    func truncated(to rank: Int, mutation: Mutation = .none) -> SpectralProjection? {
        guard rank >= 1 && rank <= self.rank else { return nil }
        return Self.make(
            basis: Array(basis.prefix(rank * length)), rank: rank, length: length, centre: centre,
            variances: variances, totalVariance: totalVariance, mutation: mutation)
    }

    /// A sample of public rows, centred: μ (the mean, from Float64 sums), the rows minus μ in Float32, and
    /// the total variance (mean squared norm of the centred rows).
    struct CentredSample {
        let centre: [Float]
        let values: [Float]
        let rows: Int
        let length: Int
        let totalVariance: Double

        /// `rows` rows of `length` finite values at `sample`, row-major.
        init(_ sample: UnsafePointer<Float>, rows m: Int, length d: Int) {
            var sum = [Double](repeating: 0, count: d)
            sum.withUnsafeMutableBufferPointer { sum in
                let sum = sum.baseAddress!
                for i in 0..<m {
                    let row = sample + i * d
                    for j in 0..<d { sum[j] += Double(row[j]) }
                }
            }
            let centre = sum.map { Float($0 / Double(max(1, m))) }
            let values = [Float](unsafeUninitializedCapacity: m * d) { centred, initialized in
                centre.withUnsafeBufferPointer { centre in
                    let centre = centre.baseAddress!
                    for i in 0..<m {
                        let row = sample + i * d
                        let out = centred.baseAddress! + i * d
                        for j in 0..<d { out[j] = row[j] - centre[j] }
                    }
                }
                initialized = m * d
            }
            let squares = values.withUnsafeBufferPointer { x in
                (0..<m).reduce(0.0) { $0 + Float.dot(x.baseAddress! + $1 * d, x.baseAddress! + $1 * d, d) }
            }
            self.centre = centre
            self.values = values
            self.rows = m
            self.length = d
            totalVariance = squares / Double(max(1, m))
        }
    }

    /// Fits the top `maxRank` directions of a centred sample; nil when LAPACK is unavailable or the fit is
    /// degenerate.
    static func fit(_ sample: CentredSample, maxRank: Int, iterations: Int = 2) -> SpectralProjection? {
        let m = sample.rows
        let d = sample.length
        guard sslmem_lapack_ready() != 0, m >= 2, d >= 2 else { return nil }
        let l = min(maxRank + 16, d, m)
        let rank = min(maxRank, l)
        guard rank >= 1 else { return nil }
        let centred = sample.values
        let centre = sample.centre
        let totalVariance = sample.totalVariance
        // Subspace iteration on XᵀX from a seeded random start.
        var generator = Generator(seed: 0x5eed_5ec7 &+ UInt64(d))
        var q = (0..<(l * d)).map { _ in generator.uniform() }
        guard orthonormalize(&q, rows: l, length: d) else { return nil }
        var y = [Float](repeating: 0, count: m * l)
        for _ in 0..<iterations {
            sslmem_sgemm(0, 1, Int32(m), Int32(l), Int32(d), 1, centred, Int32(d), q, Int32(d), 0, &y, Int32(l))
            sslmem_sgemm(1, 0, Int32(l), Int32(d), Int32(m), 1, y, Int32(l), centred, Int32(d), 0, &q, Int32(d))
            guard orthonormalize(&q, rows: l, length: d) else { return nil }
        }
        // Rayleigh–Ritz: B = XQᵀ, eigenvectors of BᵀB rotate Q onto the principal directions.
        sslmem_sgemm(0, 1, Int32(m), Int32(l), Int32(d), 1, centred, Int32(d), q, Int32(d), 0, &y, Int32(l))
        // BᵀB by SGEMM (Float32 sums are ample for a fit: the bound holds for any V), symmetric, so its
        // row-major and column-major layouts agree.
        var gram32 = [Float](repeating: 0, count: l * l)
        sslmem_sgemm(1, 0, Int32(l), Int32(l), Int32(m), 1, y, Int32(l), y, Int32(l), 0, &gram32, Int32(l))
        var gram = (0..<(l * l)).map { index -> Double in
            let (a, b) = (index / l, index % l)
            return Double(a <= b ? gram32[index] : gram32[b * l + a])  // exactly symmetric
        }
        var values = [Double](repeating: 0, count: l)
        var vectors = [Double](repeating: 0, count: l * l)
        guard sslmem_symmetric_eigen(Int32(l), &gram, &values, &vectors) == 0 else { return nil }
        // Directions in decreasing eigenvalue: v_j = Σᵢ W[i, j] qᵢ, one SGEMM (Float32 is ample: the rows are
        // orthonormalized again in Float64, and the bound holds for any V).
        var w = [Float](repeating: 0, count: rank * l)
        for j in 0..<rank {
            for i in 0..<l { w[j * l + i] = Float(vectors[(l - 1 - j) * l + i]) }
        }
        var basis32 = [Float](repeating: 0, count: rank * d)
        sslmem_sgemm(0, 0, Int32(rank), Int32(d), Int32(l), 1, w, Int32(l), q, Int32(d), 0, &basis32, Int32(d))
        var basis64 = basis32.map(Double.init)
        guard orthonormalize64(&basis64, rows: rank, length: d) else { return nil }
        let variances = (0..<l).map { max(0, values[l - 1 - $0]) / Double(m) }
        return make(
            basis: basis64.map { Float($0) }, rank: rank, length: d, centre: centre, variances: variances,
            totalVariance: totalVariance, mutation: .none)
    }

    /// Checks V's orthonormality (δ, s_min, s_max; see the type's documentation); nil when δ ≥ ½.
    static func make(
        basis: [Float], rank: Int, length d: Int, centre: [Float], variances: [Double],
        totalVariance: Double, mutation: Mutation
    ) -> SpectralProjection? {
        var gram = [Double](repeating: 0, count: rank * rank)
        basis.withUnsafeBufferPointer { Float.gram($0.baseAddress!, count: rank, length: d, into: &gram) }
        var squares = 0.0
        var largest = 0.0
        var trace = 0.0
        for i in 0..<rank {
            largest = max(largest, gram[i * rank + i])
            trace += gram[i * rank + i]
            for j in 0..<rank {
                let e = gram[i * rank + j] - (i == j ? 1 : 0)
                squares += e * e
            }
        }
        let delta = (squares.squareRoot() + Double(rank) * Double(d + 8) * 0x1p-52 * largest) * (1 + 0x1p-40)
        guard delta < 0.5, delta.isFinite else { return nil }
        return SpectralProjection(
            rank: rank, length: d, width: (rank + 1 + 7) / 8 * 8, basis: basis, centre: centre,
            sMin: (1 - delta).squareRoot() * (1 - 0x1p-50), sMax: (1 + delta).squareRoot() * (1 + 0x1p-50),
            frobenius: (trace * (1 + Double(rank * (d + 8)) * 0x1p-52) + 0x1p-60).squareRoot() * (1 + 0x1p-50),
            variances: variances, totalVariance: totalVariance, mutation: mutation)
    }

    /// The augmented vectors â (`rows` × `width`, into `out`) and radii η (into `radii`) of `rows` rows at `x`
    /// (row-major, finite); `negateResidual` is the mutation hook for public rows. Rows are taken 256 at a
    /// time, so the centred copy (1 MiB at D = 2,048) stays in the cache and is allocated once.
    func augment(
        _ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
        radii: UnsafeMutablePointer<Double>, isPublic: Bool
    ) {
        let d = length
        let r = rank
        guard rows > 0 else { return }
        let piece = min(rows, 256)
        let centred = UnsafeMutablePointer<Float>.allocate(capacity: piece * d)
        defer { centred.deallocate() }
        var projected = [Float](repeating: 0, count: piece * r)
        let u = 0x1p-24
        let epsilon = Double(d + 8) * 0x1p-52
        let s = max(1, sMax)
        // ‖fl(Vx′) − Vx′‖ ≤ g = projectionCoefficient·‖x′‖ (`project`).
        let g0 = Self.projectionCoefficient(length: d, frobenius: frobenius, sMax: sMax)
        let rowCoefficient = (g0 + (s - 1) + u / (1 - u) / (1 - u)) * (1 + epsilon)
        for first in stride(from: 0, to: rows, by: piece) {
            let count = min(piece, rows - first)
            let x = x + first * d
            centre.withUnsafeBufferPointer { mu in
                for i in 0..<count { for j in 0..<d { centred[i * d + j] = x[i * d + j] - mu[j] } }
            }
            Self.project(centred, rows: count, length: d, basis: basis, rank: r, into: &projected)
            projected.withUnsafeBufferPointer { p in
                for i in 0..<count {
                    let squared = Float.dot(centred + i * d, centred + i * d, d)
                    let norm = (squared * (1 + epsilon)).squareRoot() * (1 + epsilon)
                    let projectedNorm = Float.dot(p.baseAddress! + i * r, p.baseAddress! + i * r, r).squareRoot()
                    let g = g0 * norm
                    let low = max(0, (projectedNorm * (1 - epsilon) - g) / sMax)
                    let high = min(norm, (projectedNorm * (1 + epsilon) + g) / sMin)
                    let residualLow =
                        (max(0, squared * (1 - epsilon) - high * high * (1 + epsilon))).squareRoot()
                        * (1 - epsilon)
                    let residualHigh =
                        (max(0, squared * (1 + epsilon) - low * low * (1 - epsilon))).squareRoot()
                        * (1 + epsilon)
                    var residual = Float((residualLow + residualHigh) / 2)
                    var residualError =
                        max(residualHigh - Double(residual), Double(residual) - residualLow)
                        * (1 + epsilon)
                    if mutation == .noResidual {
                        residual = 0
                        residualError = 0
                    }
                    let row = out + (first + i) * width
                    for j in 0..<r { row[j] = p[i * r + j] }
                    row[r] = isPublic && mutation == .residualSum ? -residual : residual
                    for j in (r + 1)..<width { row[j] = 0 }
                    radii[first + i] = (rowCoefficient * norm + residualError) * (1 + epsilon)
                }
            }
        }
    }

    /// Columns of x′ per SGEMM in `project`: each partial product sums at most this many terms.
    static let projectionBlock = 128

    /// fl(Vx′) for `rows` centred rows (row-major, length D) against the r × D basis, into the first
    /// `rows` · r values of `projected`, in Float32: one SGEMM per
    /// block of `projectionBlock` columns (Float32 partial sums), the partials added in Float64, the total
    /// rounded once to Float32. Each partial is off by at most γ_B Σ_{j∈block}|vᵢⱼ||x′ⱼ| (B = 128, any order,
    /// Higham §3.1) where one SGEMM over all D columns could be off by γ_D times the whole sum: with D = 2,048
    /// the bound is 16 times smaller, and with it the radii η, which decide how many rows the pruned search
    /// screens (on the realistic bench pair, 0.85% of the pairs with γ_D, about 0.55% with a tenth of the radii).
    static func project(
        _ centred: UnsafePointer<Float>, rows: Int, length d: Int, basis: [Float], rank r: Int,
        into projected: inout [Float]
    ) {
        let block = projectionBlock
        var sums = [Double](repeating: 0, count: rows * r)
        var partial = [Float](repeating: 0, count: rows * r)
        basis.withUnsafeBufferPointer { v in
            sums.withUnsafeMutableBufferPointer { sums in
                partial.withUnsafeMutableBufferPointer { partial in
                    for start in stride(from: 0, to: d, by: block) {
                        let count = min(block, d - start)
                        sslmem_sgemm(
                            0, 1, Int32(rows), Int32(r), Int32(count), 1, centred + start, Int32(d),
                            v.baseAddress! + start, Int32(d), 0, partial.baseAddress!, Int32(r))
                        for i in 0..<(rows * r) { sums[i] += Double(partial[i]) }
                    }
                }
            }
        }
        for i in 0..<(rows * r) { projected[i] = Float(sums[i]) }
    }

    /// c with ‖fl(Vx′) − Vx′‖ ≤ c·‖x′‖ for `project`'s result. Per coordinate i, with S = Σⱼ|vᵢⱼ||x′ⱼ|: the
    /// partials are off by at most γ_B·S together; their Float64 sum over nb = ⌈D/B⌉ blocks adds at most
    /// γ′_nb·(1 + γ_B)·S (γ′ with u′ = 2⁻⁵³); rounding to Float32 adds u·|fl(Vx′)ᵢ| ≤ u(|(Vx′)ᵢ| + error).
    /// Over i, ‖S‖ ≤ ‖V‖_F‖x′‖ (Cauchy–Schwarz per row) and ‖Vx′‖ ≤ s_max‖x′‖, so
    /// c = ((γ_B + γ′_nb(1 + γ_B))·‖V‖_F + u·s_max)·(1 + u)/(1 − u), with B the block (the last may be
    /// shorter; γ grows with the count).
    static func projectionCoefficient(length d: Int, frobenius: Double, sMax: Double) -> Double {
        let u = 0x1p-24
        let b = Double(min(d, projectionBlock))
        let gammaB = b * u / (1 - b * u)
        let nb = Double((d + projectionBlock - 1) / projectionBlock)
        let gammaSum = nb * 0x1p-53 / (1 - nb * 0x1p-53)
        return ((gammaB + gammaSum * (1 + gammaB)) * frobenius + u * sMax) * (1 + u) / (1 - u) * (1 + 0x1p-50)
    }

    /// The bound U′ = (√U + η_t + η_max)², rounded up, that a row's augmented distance must exceed for
    /// ‖t − p‖² > U; +∞ when U is.
    static func inflated(_ bound: Double, targetRadius: Double, publicRadius: Double) -> Double {
        guard bound.isFinite else { return .infinity }
        let root = (max(0, bound).squareRoot() * (1 + 0x1p-50) + targetRadius + publicRadius) * (1 + 0x1p-50)
        return root * root * (1 + 0x1p-50)
    }

    /// Orthonormal rows (modified Gram–Schmidt in Float64, twice); false when a row vanishes.
    static func orthonormalize(_ rows: inout [Float], rows count: Int, length: Int) -> Bool {
        var wide = rows.map(Double.init)
        guard orthonormalize64(&wide, rows: count, length: length) else { return false }
        rows = wide.map { Float($0) }
        return true
    }

    static func orthonormalize64(_ v: inout [Double], rows count: Int, length d: Int) -> Bool {
        v.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!
            for _ in 0..<2 {
                for i in 0..<count {
                    let row = v + i * d
                    for j in 0..<i {
                        let other = v + j * d
                        let dot = dot64(row, other, d)
                        for c in 0..<d { row[c] -= dot * other[c] }
                    }
                    let norm = dot64(row, row, d).squareRoot()
                    guard norm > 1e-300, norm.isFinite else { return false }
                    for c in 0..<d { row[c] /= norm }
                }
            }
            return true
        }
    }

    /// Σ aᵢbᵢ in Float64 with four partial sums (the fit needs no particular rounding).
    @inline(__always)
    static func dot64(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s = SIMD4<Double>(repeating: 0)
        var c = 0
        while c + 4 <= n {
            s += SIMD4(a[c], a[c + 1], a[c + 2], a[c + 3]) * SIMD4(b[c], b[c + 1], b[c + 2], b[c + 3])
            c += 4
        }
        var total = s.sum()
        while c < n {
            total += a[c] * b[c]
            c += 1
        }
        return total
    }

    /// SplitMix64 (the start of the subspace iteration; any start is valid).
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [−1, 1).
        mutating func uniform() -> Float { Float(Double(next() >> 11) * 0x1p-52 - 1) }
    }
}
