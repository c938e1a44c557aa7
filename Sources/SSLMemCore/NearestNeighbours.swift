import CBLAS
import CCoreKernels
import SSLMemHDF5
import SSLMemIO
import SSLMemSupport

/// Exact k nearest public rows of every target vector by squared Euclidean
/// distance, ties broken by the lower public row.
///
/// "Exact" means the neighbour sets of the distances `SquaredDistance.exact`
/// gives (the correctly rounded Float64 value of ‖t − p‖²), found fast:
///
/// 1. Screen. The public set is streamed in panels. For a block of targets,
///    one SGEMM gives the Float32 dot products ŝ, and d̂ = ‖t‖² + ‖p‖² − 2ŝ with
///    the norms in Float64. Float32 summation of D products in any order is off
///    by at most γ_D·Σ|tᵢpᵢ| ≤ γ_D‖t‖‖p‖ with γ_D = Du/(1 − Du), u = 2⁻²⁴ (Higham,
///    Accuracy and Stability, §3.1), so d lies in [d̂ − e, d̂ + e] with
///    e = 2γ_D‖t‖‖p‖ plus Float64 rounding slack.
///    On a CPU with Intel AMX the products come from bfloat16 tiles instead, about
///    three times as fast, with a wider proven bound, and the rows that pass are
///    screened again with Float32 dots (`BFloat16Screen`): the same candidates'
///    argument, the same neighbours.
/// 2. Bound. With U the k-th smallest upper end d̂ + e seen so far, a row whose
///    lower end d̂ − e exceeds U cannot be among the k nearest: k rows are
///    surely nearer. Rows that pass are kept as candidates; U only falls, so
///    candidates are pruned against it as the panels go by.
/// 3. Re-check. A second pass over the panels (skipped when no candidate
///    needs it) computes distances exactly. `search` (nearest first) needs every
///    candidate's distance; `neighbourSets` (which rows, not their order) only
///    the candidates the intervals cannot place: a candidate c is surely among
///    the k nearest when fewer than k others have a lower end ≤ c's upper end
///    (only those can precede c in (distance, row) order), and surely not when
///    k others have an upper end below c's lower end. The rows still open are
///    ordered by (exact distance, row) and fill the places the sure ones leave.
///
/// The screen's inner loop works in Float32 on the SGEMM output: with
/// h = fl(‖p‖²/2), a row can pass step 2 only if fl(h − ŝ) ≤ θ, where
/// θ = (U + E − ‖t‖²)/2 + 10⁻⁵·S, rounded up to Float32; E is the error bound
/// e at the panel's largest ‖p‖ (e grows with ‖p‖) and S = (‖t‖ + max‖p‖)²
/// bounds every magnitude in the test, so the margin covers the Float32
/// rounding of h and of the difference (≤ 2⁻²³·S) and the Float64 rounding of
/// the interval (≤ 2⁻⁵⁰·S) many times over. Only rows that pass it get the
/// Float64 interval; the kept set is the one step 2 defines. The prefilter is
/// CCoreKernels' `sslmem_screen` (eight rows per AVX2 comparison); a target's first
/// bound U comes from the rows with the smallest estimates (`firstBound`).
///
/// Memory: one panel of the public set, one Float32 product block per worker,
/// and the candidates (a little over k per target). Targets are split into
/// equal blocks, a multiple of `workers` of them, so that no worker waits for
/// another at the end of a panel; each worker calls single-threaded OpenBLAS.
/// The result does not depend on the number of workers.
public enum NearestNeighbours {
    /// The most targets per SGEMM block.
    static let targetBlock = 1536

    /// Row numbers of the k nearest public rows of each target, nearest first:
    /// `count · k` values, row-major. `targets` holds `count` rows of
    /// `publicRows.rowLength` finite values.
    public static func search(
        targets: [Float], count: Int, publicRows: FloatPanelReader, k: Int,
        workers: Int = FileAlignment.defaultWorkers
    ) throws -> [Int32] {
        try nearest(targets: targets, count: count, publicRows: publicRows, k: k, ordered: true, workers: workers)
    }

    /// The same k rows per target as `search`, in ascending row order instead of
    /// nearest first: `count · k` values, row-major. For callers that use the
    /// neighbours as a set (a label vote); it computes exact distances only for
    /// the candidates at the edge of the set, so it is faster.
    public static func neighbourSets(
        targets: [Float], count: Int, publicRows: FloatPanelReader, k: Int,
        workers: Int = FileAlignment.defaultWorkers
    ) throws -> [Int32] {
        try nearest(targets: targets, count: count, publicRows: publicRows, k: k, ordered: false, workers: workers)
    }

    /// Equal blocks of targets, a multiple of `workers` of them, each at most `targetBlock`.
    static func blocks(count: Int, workers: Int) -> (size: Int, count: Int) {
        let workers = max(1, workers)
        let blockCount = max(1, workers * ((count + workers * targetBlock - 1) / (workers * targetBlock)))
        let size = max(1, (count + blockCount - 1) / blockCount)
        return (size, (count + size - 1) / size)
    }

    static func nearest(
        targets: [Float], count: Int, publicRows: FloatPanelReader, k: Int, ordered: Bool, workers: Int,
        pruning: Pruning = .automatic, products: ProductScreen = .automatic
    ) throws -> [Int32] {
        let d = publicRows.rowLength
        precondition(targets.count == count * d && k >= 1 && k <= publicRows.rowCount)
        if let problem = sslmem_blas_ready() {
            throw SSLMemError(String(cString: problem) + "; the nearest-neighbour search needs it")
        }
        sslmem_blas_set_threads(1)
        if let projection = try spectralProjection(
            for: publicRows, targets: count, k: k, pruning: pruning,
            workers: workers)
        {
            return try prunedNearest(
                targets: targets, count: count, publicRows: publicRows, k: k, ordered: ordered,
                workers: workers, projection: projection
            ).neighbours
        }
        let targetNorms = targets.withUnsafeBufferPointer { norms($0, rows: count, length: d) }
        // γ_D is finite for D < 2²⁴; beyond that the screen keeps every row (still exact, just slower).
        let gamma = Double(d) * 0x1p-24 < 0.5 ? Double(d) * 0x1p-24 / (1 - Double(d) * 0x1p-24) : .infinity
        let slack = Double(d + 8) * 0x1p-52
        // The bfloat16 screen (BFloat16Screen.swift): targets packed once per block, each panel once.
        let bfloat16 = BFloat16Screen.applies(products, norms: targetNorms, length: d)
        let mutation: BFloat16Screen.Mutation = if case .bfloat16(let m) = products { m } else { .none }
        var candidates = [[Candidate]](repeating: [], count: count)
        var sure = [[Int32]](repeating: [], count: count)
        var bounds = [Double](repeating: .infinity, count: count)
        var panel = [Float](repeating: 0, count: publicRows.panelRows * d)
        let (blockSize, blockCount) = blocks(count: count, workers: workers)
        @Sendable func targetRange(ofBlock block: Int) -> Range<Int> {
            (block * blockSize)..<min(count, (block + 1) * blockSize)
        }
        // Products of a block: row stride `ldc`, whole 16 × 16 tiles for the bfloat16 screen.
        let ldc = bfloat16 ? (publicRows.panelRows + 15) / 16 * 16 : publicRows.panelRows
        let blockRows = bfloat16 ? (blockSize + 15) / 16 * 16 : blockSize
        // Each block's targets packed, with α per target (its relative bfloat16 rounding error).
        let packed: [(rows: PackedRows, errors: [Double])] =
            bfloat16
            ? targets.withUnsafeBufferPointer { all in
                (0..<blockCount).map { block in
                    let range = targetRange(ofBlock: block)
                    let rows = PackedRows(rows: range.count, length: d)
                    let errors = rows.pack(
                        all.baseAddress! + range.lowerBound * d, rows: range.count, length: d, right: false,
                        workers: workers)
                    return (rows, errors)
                }
            } : []
        let packedTargets = packed.map(\.rows)
        let targetErrors = packed.flatMap(\.errors)
        let packedPanel = bfloat16 ? PackedRows(rows: publicRows.panelRows, length: d) : nil

        try targets.withUnsafeBufferPointer { targetBuffer in
            try candidates.withUnsafeMutableBufferPointer { candidateBuffer in
                try sure.withUnsafeMutableBufferPointer { sureBuffer in
                    try bounds.withUnsafeMutableBufferPointer { boundBuffer in
                        try panel.withUnsafeMutableBufferPointer { panelBuffer in
                            // Shared by the workers: the targets and the panel are only read; a target's
                            // candidates and bound are written only by the worker whose block holds it.
                            let p = panelBuffer.baseAddress!
                            let targets = ParallelBuffer(reading: targetBuffer.baseAddress!)
                            let shared = ParallelBuffer(panelBuffer)
                            let candidates = ParallelBuffer(candidateBuffer)
                            let bounds = ParallelBuffer(boundBuffer)
                            let sure = ParallelBuffer(sureBuffer)
                            for panelNumber in 0..<publicRows.panelCount {
                                let rows = publicRows.rows(ofPanel: panelNumber)
                                try publicRows.read(panel: panelNumber, into: p, workers: workers)
                                let publicNorms = try checkedNorms(p, rows: rows, of: publicRows, workers: workers)
                                // ρ: the panel's largest relative bfloat16 rounding error (NaN: +∞, no bound).
                                let rho =
                                    packedPanel?.pack(p, rows: rows.count, length: d, right: true, workers: workers)
                                    .reduce(0.0) { max($0, $1.isNaN ? .infinity : $1) } ?? 0
                                // The second screen's rows: the panel's halves where every value fits one.
                                let halves =
                                    bfloat16
                                    ? try HalfRows.make(p, count: rows.count, length: d, workers: workers) : nil
                                let halfScreen = HalfRows.screenTerms(length: d)
                                // Per worker: the products of a block of targets, and the screen's scratch.
                                try (halves?.values ?? []).withUnsafeBufferPointer { halfBuffer in
                                    // The halves, read by every worker (nil: the Float32 rows).
                                    let halfRows =
                                        halves == nil ? nil : ParallelBuffer(reading: halfBuffer.baseAddress!)
                                    try ParallelBlocks.run(
                                        blockCount, workers: workers,
                                        state: {
                                            (ProductBlock(capacity: blockRows * ldc), Scratch())
                                        }
                                    ) { blockNumber, state in
                                        let halfBase = halfRows.map { UnsafePointer($0.base) }
                                        let block = targetRange(ofBlock: blockNumber)
                                        let products = state.0.base
                                        if let packedPanel {
                                            let done = sslmem_bf16_gemm(
                                                (block.count + 15) / 16, (rows.count + 15) / 16, d,
                                                packedTargets[blockNumber].base, packedPanel.base, products, ldc)
                                            precondition(done == 1, "AMX became unavailable during the search")
                                        } else {
                                            sslmem_sgemm_nt(
                                                Int32(block.count), Int32(rows.count), Int32(d), 1,
                                                targets.base + block.lowerBound * d, Int32(d), shared.base, Int32(d),
                                                0, products, Int32(ldc))
                                        }
                                        for target in block {
                                            let float32 = Screen(norm: targetNorms[target], gamma: gamma, slack: slack)
                                            let refine =
                                                bfloat16
                                                ? Refinement(
                                                    target: targets.base + target * d, panel: shared.base,
                                                    halves: halfBase, length: d,
                                                    screen: halfBase == nil
                                                        ? float32
                                                        : Screen(
                                                            norm: float32.norm, gamma: halfScreen.gamma, slack: slack,
                                                            absolute: halfScreen.absolute)) : nil
                                            Self.screen(
                                                products + (target - block.lowerBound) * ldc,
                                                publicNorms: publicNorms, firstRow: rows.lowerBound,
                                                screen: bfloat16
                                                    ? BFloat16Screen.screen(
                                                        float32, length: d, alpha: targetErrors[target], rho: rho,
                                                        mutation) : float32,
                                                refine: refine, k: k, into: &candidates[target],
                                                bound: &bounds[target], scratch: &state.1)
                                        }
                                    }
                                }
                            }
                            // Which candidates need their exact distance: all when ordered, else the open ones.
                            if !ordered {
                                try ParallelBlocks.run(blockCount, workers: workers, state: {}) { block, _ in
                                    for target in targetRange(ofBlock: block) {
                                        Self.settle(&candidates[target], k: k, sure: &sure[target])
                                    }
                                }
                            }
                            var needed = [Bool](repeating: false, count: publicRows.panelCount)
                            for target in 0..<count {
                                for candidate in candidates[target] {
                                    needed[Int(candidate.row) / publicRows.panelRows] = true
                                }
                            }
                            for panelNumber in 0..<publicRows.panelCount where needed[panelNumber] {
                                let rows = publicRows.rows(ofPanel: panelNumber)
                                if publicRows.panelCount > 1 {
                                    try publicRows.read(panel: panelNumber, into: p, workers: workers)
                                }
                                try ParallelBlocks.run(blockCount, workers: workers, state: {}) { block, _ in
                                    for target in targetRange(ofBlock: block) {
                                        for index in candidates[target].indices
                                        where rows.contains(Int(candidates[target][index].row)) {
                                            let row = Int(candidates[target][index].row) - rows.lowerBound
                                            candidates[target][index].distance = SquaredDistance.exact(
                                                targets.base + target * d, shared.base + row * d, count: d)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return assemble(candidates, sure: sure, k: k, ordered: ordered)
    }

    /// Each target's k rows: the sure ones and the nearest open candidates by (exact distance, row), nearest
    /// first when `ordered` (then every candidate is open), else in ascending row order.
    static func assemble(_ candidates: [[Candidate]], sure: [[Int32]], k: Int, ordered: Bool) -> [Int32] {
        var result = [Int32]()
        result.reserveCapacity(candidates.count * k)
        for (list, sureRows) in zip(candidates, sure) {
            let open = list.sorted { ($0.distance, $0.row) < ($1.distance, $1.row) }.prefix(k - sureRows.count).map(
                \.row)
            result.append(contentsOf: ordered ? open : (sureRows + open).sorted())
        }
        return result
    }

    /// Splits one target's candidates into the rows surely among its k nearest
    /// (moved to `sure`), those surely not (dropped) and those the intervals
    /// cannot place (left in `list`, to be re-checked exactly).
    static func settle(_ list: inout [Candidate], k: Int, sure: inout [Int32]) {
        guard list.count > k else {
            sure = list.map(\.row)
            list = []
            return
        }
        let lowers = list.map(\.lower).sorted()
        let uppers = list.map(\.upper).sorted()
        /// How many values of `sorted` are ≤ x (or < x when `strictly`).
        func count(_ sorted: [Double], _ x: Double, strictly: Bool) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if strictly ? sorted[middle] < x : sorted[middle] <= x { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var open = [Candidate]()
        for candidate in list {
            // Others that could precede it: lower end ≤ its upper end (itself counted once, lower ≤ upper).
            if count(lowers, candidate.upper, strictly: false) - 1 < k {
                sure.append(candidate.row)
            } else if count(uppers, candidate.lower, strictly: true) < k {
                open.append(candidate)
            }
        }
        list = open
    }

    /// Float32 storage for one block's SGEMM output, not initialized (SGEMM with β = 0 writes every element).
    final class ProductBlock {
        let base: UnsafeMutablePointer<Float>
        init(capacity: Int) {
            base = .allocate(capacity: max(1, capacity))
            HugePages.advise(UnsafeMutableRawBufferPointer(start: base, count: max(1, capacity) * 4))
        }
        deinit { base.deallocate() }
    }

    struct Candidate {
        var upper: Double
        var lower: Double
        var distance: Double
        var row: Int32
    }

    struct Norm: Sendable {
        var squared: Double
        var length: Double
    }

    /// The error bound of one target's screen: e = 2γ‖t‖‖p‖ + 2a‖t‖ + slack·(‖t‖² + ‖p‖² + 2‖t‖‖p‖), for
    /// products ŝ with |ŝ − t·p| ≤ γ‖t‖‖p‖ + a‖t‖ (a = 0 for Float32 rows; the pruned search's half-precision
    /// rows have a > 0, `SpectralPruning.swift`).
    struct Screen {
        let norm: Norm
        let gamma: Double
        let slack: Double
        var absolute: Double = 0

        @inline(__always)
        func interval(product: Float, publicNorm: Norm) -> (lower: Double, upper: Double) {
            guard product.isFinite else { return (-.infinity, .infinity) }
            let cross = norm.length * publicNorm.length
            let estimate = norm.squared + publicNorm.squared - 2 * Double(product)
            let error =
                2 * gamma * cross + 2 * absolute * norm.length
                + slack * (norm.squared + publicNorm.squared + 2 * cross)
            // No usable bound (γ_D infinite, or ∞·0): the row is kept, never wrongly dropped.
            guard error.isFinite && estimate.isFinite else { return (-.infinity, .infinity) }
            return (estimate - error, estimate + error)
        }
    }

    struct Scratch {
        var fresh: [Candidate] = []
        var uppers: [Double] = []
        /// The panel rows that pass the prefilter (sslmem_screen's output).
        var passed: [Int32] = []
        /// firstBound's estimates fl(h − ŝ).
        var estimates: [Float] = []
        /// The Float32 dots of the rows a bfloat16 screen passed (`Refinement`).
        var refined: [Float] = []

        /// The Float32 prefilter (CCoreKernels' sslmem_screen) over one panel's products: the rows j with
        /// fl(halves[j] − products[j]) ≤ θ or a product that is not finite go to the front of `passed`,
        /// in increasing j; returns how many.
        mutating func prefilter(_ products: UnsafePointer<Float>, halves: [Float], theta: Float) -> Int {
            if passed.count < halves.count { passed = [Int32](repeating: 0, count: halves.count) }
            return passed.withUnsafeMutableBufferPointer { rows in
                halves.withUnsafeBufferPointer {
                    sslmem_screen(products, $0.baseAddress!, $0.count, theta, 0, rows.baseAddress!)
                }
            }
        }
    }

    /// One panel's row norms: ‖p‖² and ‖p‖ in Float64, fl(‖p‖²/2) for the
    /// Float32 prefilter (−∞ when it overflows Float32, so the row always
    /// passes it), and the largest ‖p‖.
    struct PanelNorms: Sendable {
        var norms: [Norm]
        var halves: [Float]
        var maxLength: Double
    }

    /// The prefilter's threshold θ for one target and panel (see the type's
    /// documentation): a row whose fl(h − ŝ) exceeds it has a lower end above U.
    @inline(__always)
    static func threshold(bound: Double, screen: Screen, maxLength: Double) -> Float {
        let cross = screen.norm.length * maxLength
        let scale = screen.norm.squared + maxLength * maxLength + 2 * cross
        let error = 2 * screen.gamma * cross + 2 * screen.absolute * screen.norm.length + screen.slack * scale
        let theta = (bound + error - screen.norm.squared) / 2 + 1e-5 * scale
        guard theta.isFinite else { return theta.isNaN || theta > 0 ? .infinity : -.infinity }
        var rounded = Float(theta)
        if Double(rounded) < theta { rounded = rounded.nextUp }
        return rounded
    }

    /// Screens one panel's products for one target: lowers its bound U to the
    /// k-th smallest upper end seen, drops candidates whose lower end exceeds
    /// U, and adds the panel's rows that pass. Row j of the panel is public row
    /// `rowIDs[j]` when given, else `firstRow + j`.
    @inline(__always)
    static func screen(
        _ products: UnsafePointer<Float>, publicNorms: PanelNorms, firstRow: Int, rowIDs: UnsafePointer<Int32>? = nil,
        screen: Screen, refine: Refinement? = nil, k: Int, into list: inout [Candidate], bound: inout Double,
        scratch: inout Scratch
    ) {
        scratch.fresh.removeAll(keepingCapacity: true)
        if bound == .infinity && list.isEmpty && publicNorms.halves.count >= k {
            bound = firstBound(products, publicNorms: publicNorms, screen: screen, k: k, scratch: &scratch)
        }
        let theta = threshold(bound: bound, screen: screen, maxLength: publicNorms.maxLength)
        // The Float32 prefilter (CCoreKernels' sslmem_screen); a product that is not finite passes it and
        // gets the interval (−∞, ∞).
        let passed = scratch.prefilter(products, halves: publicNorms.halves, theta: theta)
        // After a bfloat16 screen: the passing rows' Float32 dots, judged with the Float32 bound.
        if let refine {
            if scratch.refined.count < passed { scratch.refined = [Float](repeating: 0, count: passed) }
            scratch.passed.withUnsafeBufferPointer { rows in
                scratch.refined.withUnsafeMutableBufferPointer { out in
                    refine.dots(rows.baseAddress!, count: passed, into: out.baseAddress!)
                }
            }
        }
        let judge = refine?.screen ?? screen
        for (index, j) in scratch.passed[..<passed].lazy.map(Int.init).enumerated() {
            let product = refine == nil ? products[j] : scratch.refined[index]
            let (lower, upper) = judge.interval(product: product, publicNorm: publicNorms.norms[j])
            if lower <= bound {
                let row = rowIDs.map { $0[j] } ?? Int32(firstRow + j)
                scratch.fresh.append(Candidate(upper: upper, lower: lower, distance: .nan, row: row))
            }
        }
        guard !scratch.fresh.isEmpty else { return }
        if list.count + scratch.fresh.count >= k {
            scratch.uppers.removeAll(keepingCapacity: true)
            scratch.uppers.append(contentsOf: list.lazy.map(\.upper))
            scratch.uppers.append(contentsOf: scratch.fresh.lazy.map(\.upper))
            bound = Selection.smallest(k, in: &scratch.uppers)
            let limit = bound
            list.removeAll { $0.lower > limit }
        }
        let limit = bound
        list.append(contentsOf: scratch.fresh.lazy.filter { $0.lower <= limit })
    }

    /// A first bound U for a target that has none yet, from a panel of at least
    /// k rows: the k-th smallest upper end d̂ + e among any k or more of its rows
    /// bounds the k-th nearest distance; the rows with the smallest estimates
    /// fl(h − ŝ) give a tight one. Cheaper than taking every row of the panel as
    /// a candidate. The cut on the estimates is the m-th smallest estimate of
    /// every 8th row, m = 2⌈k/8⌉ (about 2k rows fall under it), found by
    /// a selection from n/8 values instead of n (`smallestEstimate`); if fewer than k rows pass it, the
    /// k-th smallest estimate of all rows is the cut. +∞ (no bound) when fewer
    /// than k rows have finite estimates fl(h − ŝ), or the k-th smallest upper
    /// end is +∞.
    static func firstBound(
        _ products: UnsafePointer<Float>, publicNorms: PanelNorms, screen: Screen, k: Int, scratch: inout Scratch
    ) -> Double {
        let n = publicNorms.halves.count
        let stride = 8
        if n >= 2 * stride * k {  // a sample of at least 2k values
            let bound = firstBound(
                products, publicNorms: publicNorms, screen: screen, k: k, sampleStride: stride,
                scratch: &scratch)
            if let bound { return bound }
        }
        return firstBound(
            products, publicNorms: publicNorms, screen: screen, k: k, sampleStride: 1,
            scratch: &scratch) ?? .infinity
    }

    /// `firstBound` with the cut taken from every `sampleStride`-th row (all rows when 1);
    /// nil when fewer than k rows pass the cut.
    static func firstBound(
        _ products: UnsafePointer<Float>, publicNorms: PanelNorms, screen: Screen, k: Int, sampleStride: Int,
        scratch: inout Scratch
    ) -> Double? {
        let n = publicNorms.halves.count
        let rank = sampleStride == 1 ? k : 2 * ((k + sampleStride - 1) / sampleStride)
        let found = publicNorms.halves.withUnsafeBufferPointer {
            smallestEstimate(
                rank, products, halves: $0.baseAddress!, count: n, stride: sampleStride, list: &scratch.estimates)
        }
        guard let cut = found else { return sampleStride == 1 ? .infinity : nil }
        let passed = scratch.prefilter(products, halves: publicNorms.halves, theta: cut)
        guard passed >= k else { return nil }
        scratch.uppers.removeAll(keepingCapacity: true)
        for j in scratch.passed[..<passed].lazy.map(Int.init) {
            scratch.uppers.append(screen.interval(product: products[j], publicNorm: publicNorms.norms[j]).upper)
        }
        return Selection.smallest(k, in: &scratch.uppers)
    }

    /// The `rank`-th smallest finite estimate fl(h_j − ŝ_j) over j = 0, stride, 2·stride, … < n, or nil when
    /// fewer are finite (the cut of `firstBound` and of the pruned search's pass 1). For rank ≤ 64, `list`
    /// holds the `rank` smallest so far, sorted: once it is full, most estimates fail one well-predicted
    /// comparison with its last, where a quickselect's partition scans mispredict about every other
    /// comparison (on the realistic Déjà Vu bench, the pass-1 cut went from 9.5% of the profile to 3.5%).
    /// Larger ranks collect every finite estimate and use quickselect (`Selection`), which stays O(n).
    static func smallestEstimate(
        _ rank: Int, _ products: UnsafePointer<Float>, halves: UnsafePointer<Float>, count n: Int, stride: Int,
        list: inout [Float]
    ) -> Float? {
        precondition(rank >= 1 && stride >= 1)
        list.removeAll(keepingCapacity: true)
        guard rank <= 64 else {
            for j in Swift.stride(from: 0, to: n, by: stride) {
                let estimate = halves[j] - products[j]
                if estimate.isFinite { list.append(estimate) }
            }
            return list.count >= rank ? Selection.smallest(rank, in: &list) : nil
        }
        list.reserveCapacity(rank)
        var j = 0
        while j < n {
            let estimate = halves[j] - products[j]
            j += stride
            guard estimate.isFinite else { continue }
            if list.count == rank {
                guard estimate < list[rank - 1] else { continue }
                list.removeLast()
            }
            // After the values ≤ estimate: the list stays sorted, ties kept (the multiset's order statistic).
            var position = list.count
            while position > 0 && list[position - 1] > estimate { position -= 1 }
            list.insert(estimate, at: position)
        }
        return list.count == rank ? list[rank - 1] : nil
    }

    /// The norms of a panel's rows, on `workers` threads; a row that is not finite is an error.
    static func checkedNorms(
        _ panel: UnsafePointer<Float>, rows: Range<Int>, of reader: FloatPanelReader, workers: Int
    ) throws -> PanelNorms {
        let length = reader.rowLength
        let chunk = 256
        var norms = [Norm](repeating: Norm(squared: 0, length: 0), count: rows.count)
        let values = ParallelBuffer(reading: panel)
        try norms.withUnsafeMutableBufferPointer { buffer in
            let output = ParallelBuffer(buffer)  // each chunk writes its own rows
            try ParallelBlocks.run((rows.count + chunk - 1) / chunk, workers: workers, state: {}) { block, _ in
                let range = (block * chunk)..<min(rows.count, (block + 1) * chunk)
                let part = Self.norms(
                    UnsafeBufferPointer(
                        start: values.base + range.lowerBound * length,
                        count: range.count * length),
                    rows: range.count, length: length)
                for (offset, norm) in part.enumerated() { output[range.lowerBound + offset] = norm }
            }
        }
        if let bad = norms.firstIndex(where: { !$0.squared.isFinite }) {
            let dataset = reader.reader.dataset
            throw SSLMemError(
                file: dataset.file.path, dataset: dataset.path,
                "row \(rows.lowerBound + bad) holds NaN or Inf (or overflows Float64 when squared)")
        }
        let halves = norms.map { norm in
            let half = Float(norm.squared / 2)
            return half.isFinite ? half : -.infinity
        }
        return PanelNorms(norms: norms, halves: halves, maxLength: norms.lazy.map(\.length).max() ?? 0)
    }

    /// ‖p‖² (the alignment kernel's Float64 dot product, `Float.dot`) and ‖p‖ of each of `rows` rows.
    /// Its rounding, in any summation order, is within the screen's slack.
    static func norms(_ values: UnsafeBufferPointer<Float>, rows: Int, length: Int) -> [Norm] {
        guard let base = values.baseAddress else { return [] }
        return (0..<rows).map { row in
            let squared = Float.dot(base + row * length, base + row * length, length)
            return Norm(squared: squared, length: squared.squareRoot())
        }
    }
}
