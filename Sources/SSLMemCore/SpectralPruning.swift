import CBLAS
import CCoreKernels
import SSLMemHDF5
import SSLMemIO
import SSLMemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The exact search with spectral pruning: `NearestNeighbours`' screen and
/// re-check, run only on the (target, public row) pairs that a lower bound
/// cannot rule out.
///
/// 1. A projection (`SpectralProjection`) is fitted on a sample of public rows;
///    every public row and target gets an augmented vector â of r + 1 values
///    (its top-r coordinates and its residual norm) and a radius η, so that
///    ‖t − p‖ ≥ ‖â_t − â_p‖ − η_t − η_p for every pair (the argument is there).
/// 2. Targets are taken in blocks of nearby targets (ordered by the k-d cell of
///    the public rows' augmented vectors they fall in, `TileTree`), so that
///    consecutive targets read many of the same public rows.
/// 3. Per block, one SGEMM on the augmented vectors gives every target's
///    estimates fl(h − ŝ) against every public row (h = fl(‖â_p‖²/2)).
///    Per target, pass 1 screens (the brute-force search's `screen`, Float32
///    products from `sslmem_row_dots_half` on half-precision copies of the
///    rows, with the halves' rounding in the screen's error bound, `HalfRows`)
///    the ~2k rows with the smallest estimates, which sets its bound U (the
///    k-th smallest upper end). Pass 2 screens the other rows that pass the
///    screen's Float32 test on the augmented vectors against
///    U′ = (√U + η_t + η_max)²: by the screen's argument (with γ of `width`
///    terms and the largest ‖â_p‖), a row failing it has ‖â_t − â_p‖² > U′,
///    so ‖t − p‖² > U.
/// 4. Settling and the exact re-check are the brute-force search's.
///
/// A row skipped for a target has ‖t − p‖² > U ≥ the final bound, as a row the
/// screen drops has; so the candidates, the sure rows and the exact distances
/// that decide the result are the ones the brute-force search's argument needs,
/// and the neighbour sets are the same (ties included). Each row is screened at
/// most once per target (pass 2 skips pass 1's rows). The public set is held in
/// memory (N × D Float32, read once), with one block's estimates per worker.
extension NearestNeighbours {
    /// Whether the search prunes with a spectral projection.
    enum Pruning: Sendable {
        /// Fit on a sample, choose r from its spectrum, or search by brute force when pruning would not pay.
        case automatic
        /// Brute force.
        case off
        /// Prune at rank r whenever the fit succeeds (tests), with an optional wrong bound.
        case rank(Int, SpectralProjection.Mutation)
    }

    /// What a pruned search did: pairs screened by the full-length SGEMM, of `count · N`.
    struct PruningStatistics: Sendable {
        var rank = 0
        var screenedPairs = 0
        var totalPairs = 0
        /// Whether the screen read half-precision rows (`HalfRows`).
        var halfPrecision = false
    }

    static let tileRows = 256
    static let prunedTargetBlock = 128
    static let sampleRows = 4096
    static let maximumRank = 96
    /// The rank of the quick fit that turns flat spectra away (`spectralProjection`).
    static let quickRank = 16
    static let rankChoices = [8, 16, 24, 32, 48, 64, 96]

    /// The projection to prune with, or nil for the brute-force search. `.automatic` prunes when the public
    /// set has at least 4,096 and 16k rows, rows have at least 32 values, there are at least 256 targets, and
    /// a rank r among `rankChoices` with r ≤ D/4 holds 95% of the sample's variance (the smallest such r), or
    /// the largest such r holds half of it (on the realistic bench data, r = 96 holding 96% screens 0.85% of
    /// the pairs, r = 64 holding 93% 1.3%, r = 48 holding 90% 1.9%: the wider bound SGEMM costs less than the
    /// rows it rules out; r = 128 screens no fewer, r = 192 more): below that, the residual term is too large
    /// for the bounds to rule out most rows (isotropic data: the brute-force search, after a rank-16 fit on
    /// 4,096 rows that costs about 2% of its time). The environment variable SSLMEM_KNN_PRUNING=off turns it
    /// off (=verbose prints phase times on stderr), and SSLMEM_KNN_HALF=off makes the pruned search read
    /// Float32 rows instead of `HalfRows`, for benchmarks.
    static func spectralProjection(
        for publicRows: FloatPanelReader, targets: Int, k: Int, pruning: Pruning, workers: Int
    ) throws -> SpectralProjection? {
        let n = publicRows.rowCount
        let d = publicRows.rowLength
        let forced: Int?
        switch pruning {
        case .off: return nil
        case .automatic:
            // SSLMEM_KNN_PRUNING=off: the brute-force search (benchmarks compare the two).
            if let setting = getenv("SSLMEM_KNN_PRUNING"), String(cString: setting) == "off" { return nil }
            guard n >= 16 * tileRows, d >= 32, targets >= 2 * prunedTargetBlock, 16 * k <= n else { return nil }
            forced = nil
        case .rank(let r, _): forced = r
        }
        guard sslmem_lapack_ready() != 0 else { return nil }
        var clock = PhaseClock()
        defer { clock.lap("sample and fit") }
        let sample = try sampleRows(of: publicRows, count: min(n, sampleRows))
        guard sample.values.allSatisfy(\.isFinite) else { return nil }  // the search reports the bad row
        let maxRank = min(forced ?? maximumRank, d, sample.rows)
        let centred = sample.values.withUnsafeBufferPointer {
            SpectralProjection.CentredSample($0.baseAddress!, rows: sample.rows, length: d)
        }
        // Spectra too flat to prune (isotropic data) are turned away by a rank-16 fit first, at about a
        // fifth of the full fit's cost: if the top 16 directions hold under 5% of the variance, each later
        // one holds under 5%/16, so the top 96 hold under 30%, short of the half the rule below asks.
        if forced == nil, maxRank > quickRank {
            guard let quick = SpectralProjection.fit(centred, maxRank: quickRank),
                quick.explained(quickRank) >= 0.05
            else { return nil }
        }
        guard let fitted = SpectralProjection.fit(centred, maxRank: maxRank) else { return nil }
        if case .rank(let r, let mutation) = pruning {
            return fitted.truncated(to: min(r, fitted.rank), mutation: mutation)
        }
        let choices = rankChoices.filter { $0 <= fitted.rank && 4 * $0 <= d }
        if let r = choices.first(where: { fitted.explained($0) >= 0.95 }) { return fitted.truncated(to: r) }
        if let r = choices.last, fitted.explained(r) >= 0.5 { return fitted.truncated(to: r) }
        return nil
    }

    /// About `count` rows spread evenly over the dataset, in runs of 64 rows.
    static func sampleRows(of publicRows: FloatPanelReader, count: Int) throws -> (values: [Float], rows: Int) {
        let n = publicRows.rowCount
        let d = publicRows.rowLength
        let run = 64
        let runs = max(1, (count + run - 1) / run)
        var values: [Float] = []
        values.reserveCapacity(count * d)
        let scratch = RowBlockScratch()
        var rows = 0
        for i in 0..<runs {
            let start = min(n - 1, i * n / runs)
            let range = start..<min(n, start + run, (i + 1) * n / runs)
            guard !range.isEmpty else { continue }
            try HDF5Library.serialized { try publicRows.reader.locate(rows: range, into: scratch) }
            guard case .single(let decoded) = try publicRows.reader.decode(scratch) else {
                preconditionFailure("float16 and float32 decode to Float")
            }
            values.append(contentsOf: UnsafeBufferPointer(start: decoded, count: range.count * d))
            rows += range.count
        }
        return (values, rows)
    }

    /// A k-d split of the public rows' augmented vectors (the widest coordinate, estimated on a sample of the
    /// cell, at its median, until a cell holds at most `tileRows` rows): `tile(of:)` routes a target to its
    /// cell, which orders the targets.
    struct TileTree {
        struct Node {
            var axis: Int
            var value: Float
            var left: Int
            var right: Int
        }
        var nodes: [Node] = []
        var order: [Int32]
        let stride: Int, dimensions: Int, tileRows: Int

        init(points: UnsafePointer<Float>, count n: Int, stride: Int, dimensions: Int, tileRows: Int) {
            self.stride = stride
            self.dimensions = dimensions
            self.tileRows = tileRows
            order = (0..<n).map(Int32.init)
            _ = build(points, start: 0, count: n)
        }

        /// Builds the node over positions start ..< start + count; returns its index.
        mutating func build(_ points: UnsafePointer<Float>, start: Int, count: Int) -> Int {
            let index = nodes.count
            guard count > tileRows else {
                nodes.append(Node(axis: -1, value: 0, left: start / tileRows, right: -1))
                return index
            }
            nodes.append(Node(axis: 0, value: 0, left: -1, right: -1))
            // The coordinate with the largest spread in this cell, estimated on every step-th row (at most
            // about 2,048 of them; the split only orders the targets, any axis gives the same neighbours).
            var best = 0
            var bestVariance = -1.0
            let step = max(1, count / 2048)
            let sampled = Double((count + step - 1) / step)
            for axis in 0..<dimensions {
                var sum = 0.0
                var squares = 0.0
                for i in Swift.stride(from: start, to: start + count, by: step) {
                    let x = Double(points[Int(order[i]) * self.stride + axis])
                    sum += x
                    squares += x * x
                }
                let variance = squares - sum * sum / sampled
                if variance > bestVariance { (best, bestVariance) = (axis, variance) }
            }
            // The rows in (coordinate, row) order up to the split: a selection, not a sort (the cell's children
            // order their own rows; the tree is the one a full sort would give).
            let tiles = (count + tileRows - 1) / tileRows
            let leftCount = (tiles + 1) / 2 * tileRows
            var keys = order[start..<(start + count)].map { SplitKey(value: points[Int($0) * stride + best], row: $0) }
            _ = Selection.smallest(leftCount + 1, in: &keys)
            for (offset, key) in keys.enumerated() { order[start + offset] = key.row }
            let value = keys[leftCount].value
            let left = build(points, start: start, count: leftCount)
            let right = build(points, start: start + leftCount, count: count - leftCount)
            nodes[index] = Node(axis: best, value: value, left: left, right: right)
            return index
        }

        /// A row's coordinate on the split axis, ties by row (the values are finite).
        struct SplitKey: Comparable {
            var value: Float
            var row: Int32
            static func < (a: SplitKey, b: SplitKey) -> Bool {
                a.value < b.value || (a.value == b.value && a.row < b.row)
            }
        }

        func tile(of point: UnsafePointer<Float>) -> Int {
            var node = nodes[0]
            while node.axis >= 0 { node = nodes[point[node.axis] < node.value ? node.left : node.right] }
            return node.left
        }
    }

    /// Phase times of the pruned search on stderr, when SSLMEM_KNN_PRUNING=verbose (for profiling).
    struct PhaseClock {
        let verbose = getenv("SSLMEM_KNN_PRUNING").map { String(cString: $0) == "verbose" } ?? false
        var last = timespec()

        init() { clock_gettime(CLOCK_MONOTONIC, &last) }

        /// Prints the seconds since the previous lap (or since the clock was made).
        mutating func lap(_ what: String) {
            guard verbose else { return }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let seconds = Double(now.tv_sec - last.tv_sec) + Double(now.tv_nsec - last.tv_nsec) * 1e-9
            last = now
            let line = "knn pruning: \(what) \(seconds) s\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }

    /// Per-worker buffers of the pruned search.
    final class PrunedScratch {
        let bounds: UnsafeMutablePointer<Float>, augmented: UnsafeMutablePointer<Float>
        let passed: UnsafeMutablePointer<Int32>
        var marks: [Int32], stamp: Int32 = 0
        var sample: [Float] = []
        var screen = Scratch()
        var screened = 0

        init(block: Int, rows: Int, width: Int) {
            bounds = .allocate(capacity: max(1, block * rows))
            HugePages.advise(UnsafeMutableRawBufferPointer(start: bounds, count: max(1, block * rows) * 4))
            augmented = .allocate(capacity: max(1, block * width))
            passed = .allocate(capacity: max(1, rows))
            marks = [Int32](repeating: 0, count: rows)
        }

        deinit {
            bounds.deallocate()
            augmented.deallocate()
            passed.deallocate()
        }

        var rows: [Int32] = [], products: [Float] = []
        var rowNorms: [Norm] = [], rowHalves: [Float] = []

        /// Screens public rows `rows` for target `t` (`NearestNeighbours.screen`), with Float32 products:
        /// CCoreKernels' `sslmem_row_dots_half` on the rows' half-precision copy `half` when given (the screen's
        /// error bound must then count the halves' rounding, `HalfRows`), else `sslmem_row_dots` (within the
        /// screen's error bound γ_D‖t‖‖p‖ as SGEMM's are).
        func screenRows(
            of t: UnsafePointer<Float>, length d: Int, public base: UnsafePointer<Float>,
            half: UnsafePointer<UInt16>?, norms: PanelNorms, screen: Screen, k: Int,
            into list: inout [Candidate], bound: inout Double
        ) {
            guard !rows.isEmpty else { return }
            rowNorms.removeAll(keepingCapacity: true)
            rowHalves.removeAll(keepingCapacity: true)
            var maxLength = 0.0
            if products.count < rows.count { products = [Float](repeating: 0, count: rows.count) }
            products.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeBufferPointer { ids in
                    if let half {
                        sslmem_row_dots_half(t, half, d, ids.baseAddress!, ids.count, out.baseAddress!)
                    } else {
                        sslmem_row_dots(t, base, d, ids.baseAddress!, ids.count, out.baseAddress!)
                    }
                }
            }
            for row in rows.lazy.map(Int.init) {
                rowNorms.append(norms.norms[row])
                rowHalves.append(norms.halves[row])
                maxLength = max(maxLength, norms.norms[row].length)
            }
            screened += rows.count
            let panel = PanelNorms(norms: rowNorms, halves: rowHalves, maxLength: maxLength)
            products.withUnsafeBufferPointer { p in
                rows.withUnsafeBufferPointer { ids in
                    NearestNeighbours.screen(
                        p.baseAddress!, publicNorms: panel, firstRow: 0, rowIDs: ids.baseAddress!,
                        screen: screen, k: k, into: &list, bound: &bound, scratch: &self.screen)
                }
            }
        }

        /// Pass 1's rows for one target: those with fl(h − ŝ) ≤ c (into `passed`; returns how many), at least
        /// k of them, about 2k: c is the 2⌈k/8⌉-th smallest of every 8th finite estimate, else the k-th
        /// smallest of all, else +∞ (every row).
        func smallestEstimates(
            _ products: UnsafePointer<Float>, halves: UnsafePointer<Float>, count n: Int,
            k: Int
        ) -> Int {
            for stride in [8, 1] where n >= 2 * stride * k || stride == 1 {
                let rank = stride == 1 ? k : 2 * ((k + stride - 1) / stride)
                guard
                    let cut = NearestNeighbours.smallestEstimate(
                        rank, products, halves: halves, count: n, stride: stride, list: &sample)
                else {
                    continue
                }
                let found = sslmem_screen(products, halves, n, cut, 0, passed)
                if found >= k { return found }
            }
            return sslmem_screen(products, halves, n, .infinity, 0, passed)
        }
    }

    static func prunedNearest(
        targets: [Float], count: Int, publicRows: FloatPanelReader, k: Int, ordered: Bool, workers: Int,
        projection: SpectralProjection
    ) throws -> (neighbours: [Int32], statistics: PruningStatistics) {
        let d = publicRows.rowLength
        let n = publicRows.rowCount
        let width = projection.width
        let tileRows = Self.tileRows
        var clock = PhaseClock()
        let all = try publicRows.readAll(workers: workers)
        clock.lap("read")
        let norms = try all.withUnsafeBufferPointer {
            try checkedNorms($0.baseAddress!, rows: 0..<n, of: publicRows, workers: workers)
        }
        clock.lap("norms")
        // Augmented vectors and radii of the public rows, in chunks on the workers.
        var augmented = [Float](repeating: 0, count: n * width)
        var radii = [Double](repeating: 0, count: n)
        let chunk = 2048
        try all.withUnsafeBufferPointer { rows in
            try augmented.withUnsafeMutableBufferPointer { augmentedBuffer in
                try radii.withUnsafeMutableBufferPointer { radiiBuffer in
                    let rows = ParallelBuffer(reading: rows.baseAddress!)
                    let out = ParallelBuffer(augmentedBuffer)
                    let radii = ParallelBuffer(radiiBuffer)
                    try ParallelBlocks.run((n + chunk - 1) / chunk, workers: workers, state: {}) { block, _ in
                        let range = (block * chunk)..<min(n, (block + 1) * chunk)
                        projection.augment(
                            rows.base + range.lowerBound * d, rows: range.count,
                            into: out.base + range.lowerBound * width,
                            radii: radii.base + range.lowerBound, isPublic: true)
                    }
                }
            }
        }
        guard augmented.allSatisfy(\.isFinite), radii.allSatisfy(\.isFinite) else {
            // Values so large that Float32 projections overflow: the brute-force search handles them.
            return (
                try nearest(
                    targets: targets, count: count, publicRows: publicRows, k: k, ordered: ordered,
                    workers: workers, pruning: .off), PruningStatistics()
            )
        }
        clock.lap("augment (rank \(projection.rank), explained \(projection.explained(projection.rank)))")
        // The targets in the order of the k-d cells they fall in, so that a block's targets are close together.
        let tree = augmented.withUnsafeBufferPointer {
            TileTree(
                points: $0.baseAddress!, count: n, stride: width, dimensions: projection.rank + 1,
                tileRows: tileRows)
        }
        clock.lap("tree")
        let augmentedNorms = augmented.withUnsafeBufferPointer { Self.norms($0, rows: n, length: width) }
        let augmentedHalves = augmentedNorms.map { norm -> Float in
            let half = Float(norm.squared / 2)
            return half.isFinite ? half : -.infinity
        }
        let augmentedMaxLength = augmentedNorms.lazy.map(\.length).max() ?? 0
        // The screen reads half-precision rows when it can (SSLMEM_KNN_HALF=off: Float32 rows, for benchmarks).
        let halfAllowed = getenv("SSLMEM_KNN_HALF").map { String(cString: $0) != "off" } ?? true
        let halfRows =
            try halfAllowed
            ? all.withUnsafeBufferPointer {
                try HalfRows.make($0.baseAddress!, count: n, length: d, workers: workers)
            } : nil
        clock.lap("half rows")
        let publicRadius = radii.max() ?? 0
        let targetNorms = targets.withUnsafeBufferPointer { Self.norms($0, rows: count, length: d) }
        var targetAugmented = [Float](repeating: 0, count: count * width)
        let targetRadii = {
            var radii = [Double](repeating: 0, count: count)
            targets.withUnsafeBufferPointer { t in
                projection.augment(t.baseAddress!, rows: count, into: &targetAugmented, radii: &radii, isPublic: false)
            }
            return radii
        }()
        let augmentedTargetNorms = targetAugmented.withUnsafeBufferPointer {
            Self.norms($0, rows: count, length: width)
        }
        let targetTiles = targetAugmented.withUnsafeBufferPointer { a in
            (0..<count).map { tree.tile(of: a.baseAddress! + $0 * width) }
        }
        let targetOrder = (0..<count).sorted { (targetTiles[$0], $0) < (targetTiles[$1], $1) }
        let blockSize = prunedTargetBlock
        let blockCount = (count + blockSize - 1) / blockSize
        let gamma = Double(d) * 0x1p-24 < 0.5 ? Double(d) * 0x1p-24 / (1 - Double(d) * 0x1p-24) : .infinity
        let slack = Double(d + 8) * 0x1p-52
        // The screen's γ and a: the halves' rounding counted (HalfRows), unless the test hook leaves it out.
        let (screenGamma, screenAbsolute) =
            halfRows == nil || projection.mutation == .halfRoundingIgnored
            ? (gamma: gamma, absolute: 0.0) : HalfRows.screenTerms(length: d)
        let boundGamma = Double(width) * 0x1p-24 / (1 - Double(width) * 0x1p-24)
        let boundSlack = Double(width + 8) * 0x1p-52
        var candidates = [[Candidate]](repeating: [], count: count)
        var sure = [[Int32]](repeating: [], count: count)
        var bounds = [Double](repeating: .infinity, count: count)
        var screenedByBlock = [Int](repeating: 0, count: blockCount)
        clock.lap("targets")

        try all.withUnsafeBufferPointer { allBuffer in
            try targets.withUnsafeBufferPointer { targetBuffer in
                try candidates.withUnsafeMutableBufferPointer { candidateBuffer in
                    try sure.withUnsafeMutableBufferPointer { sureBuffer in
                        try bounds.withUnsafeMutableBufferPointer { boundBuffer in
                            try screenedByBlock.withUnsafeMutableBufferPointer { screenedBuffer in
                                try augmented.withUnsafeBufferPointer { augmentedBuffer in
                                    try targetAugmented.withUnsafeBufferPointer { targetAugmentedBuffer in
                                        try augmentedHalves.withUnsafeBufferPointer { halvesBuffer in
                                            try (halfRows?.values ?? []).withUnsafeBufferPointer { halfBuffer in
                                                // Read by all workers; a target's candidates and bound are written only by the worker whose
                                                // block holds it, a block's count only by its worker.
                                                let publicBase = ParallelBuffer(reading: allBuffer.baseAddress!)
                                                let targetBase = ParallelBuffer(reading: targetBuffer.baseAddress!)
                                                let candidates = ParallelBuffer(candidateBuffer)
                                                let bounds = ParallelBuffer(boundBuffer)
                                                let sure = ParallelBuffer(sureBuffer)
                                                let screened = ParallelBuffer(screenedBuffer)
                                                let publicAugmented = ParallelBuffer(
                                                    reading: augmentedBuffer.baseAddress!)
                                                let targetAugmented = ParallelBuffer(
                                                    reading: targetAugmentedBuffer.baseAddress!)
                                                let halves = ParallelBuffer(reading: halvesBuffer.baseAddress!)
                                                let half =
                                                    halfRows == nil
                                                    ? nil : halfBuffer.baseAddress.map { ParallelBuffer(reading: $0) }
                                                try ParallelBlocks.run(
                                                    blockCount, workers: workers,
                                                    state: {
                                                        PrunedScratch(block: blockSize, rows: n, width: width)
                                                    }
                                                ) { block, state in
                                                    let members = Array(
                                                        targetOrder[
                                                            (block * blockSize)..<min(count, (block + 1) * blockSize)])
                                                    let b = members.count
                                                    state.stamp += 1
                                                    // Lower-bound estimates fl(h − ŝ) of the block against every public row.
                                                    for (i, target) in members.enumerated() {
                                                        (state.augmented + i * width).update(
                                                            from: targetAugmented.base + target * width,
                                                            count: width)
                                                    }
                                                    sslmem_sgemm_nt(
                                                        Int32(b), Int32(n), Int32(width), 1, state.augmented,
                                                        Int32(width),
                                                        publicAugmented.base, Int32(width), 0, state.bounds, Int32(n))
                                                    // Per target: pass 1, the rows with the smallest estimates (about 2k), screened exactly,
                                                    // give a bound U; pass 2 screens the other rows whose bound does not rule them out
                                                    // against U′.
                                                    for (i, target) in members.enumerated() {
                                                        let estimates = UnsafePointer(state.bounds + i * n)
                                                        let screen = Screen(
                                                            norm: targetNorms[target], gamma: screenGamma, slack: slack,
                                                            absolute: screenAbsolute)
                                                        let t = targetBase.base + target * d
                                                        state.stamp &+= 1
                                                        let first = state.smallestEstimates(
                                                            estimates, halves: halves.base, count: n, k: k)
                                                        state.rows.removeAll(keepingCapacity: true)
                                                        for j in 0..<first {
                                                            let row = state.passed[j]
                                                            state.marks[Int(row)] = state.stamp
                                                            state.rows.append(row)
                                                        }
                                                        state.screenRows(
                                                            of: t, length: d, public: publicBase.base, half: half?.base,
                                                            norms: norms, screen: screen, k: k,
                                                            into: &candidates[target],
                                                            bound: &bounds[target])
                                                        let inflated = SpectralProjection.inflated(
                                                            bounds[target], targetRadius: targetRadii[target],
                                                            publicRadius: publicRadius)
                                                        let theta = threshold(
                                                            bound: inflated,
                                                            screen: Screen(
                                                                norm: augmentedTargetNorms[target], gamma: boundGamma,
                                                                slack: boundSlack),
                                                            maxLength: augmentedMaxLength)
                                                        let second = sslmem_screen(
                                                            estimates, halves.base, n, theta, 0, state.passed)
                                                        state.rows.removeAll(keepingCapacity: true)
                                                        for j in 0..<second
                                                        where state.marks[Int(state.passed[j])] != state.stamp {
                                                            state.rows.append(state.passed[j])
                                                        }
                                                        state.screenRows(
                                                            of: t, length: d, public: publicBase.base, half: half?.base,
                                                            norms: norms, screen: screen, k: k,
                                                            into: &candidates[target],
                                                            bound: &bounds[target])
                                                    }
                                                    screened[block] = state.screened
                                                    state.screened = 0
                                                    if !ordered {
                                                        for target in members {
                                                            Self.settle(&candidates[target], k: k, sure: &sure[target])
                                                        }
                                                    }
                                                    // The exact distances the result needs.
                                                    for target in members {
                                                        for index in candidates[target].indices {
                                                            let row = Int(candidates[target][index].row)
                                                            candidates[target][index].distance = SquaredDistance.exact(
                                                                targetBase.base + target * d, publicBase.base + row * d,
                                                                count: d)
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let statistics = PruningStatistics(
            rank: projection.rank, screenedPairs: screenedByBlock.reduce(0, +),
            totalPairs: count * n, halfPrecision: halfRows != nil)
        clock.lap("search: screened \(Double(statistics.screenedPairs) / Double(statistics.totalPairs)) of the pairs")
        return (assemble(candidates, sure: sure, k: k, ordered: ordered), statistics)
    }
}
