import CBLAS
import SSLMemIO

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
/// 2. Bound. With U the k-th smallest upper end d̂ + e seen so far, a row whose
///    lower end d̂ − e exceeds U cannot be among the k nearest: k rows are
///    surely nearer. Rows that pass are kept as candidates; U only falls, so
///    candidates are pruned against it as the panels go by.
/// 3. Re-check. A second pass over the panels (skipped when there is one)
///    computes each surviving candidate's distance exactly; the candidates are
///    ordered by (exact distance, row) and the first k kept.
///
/// Memory: one panel of the public set, one Float32 product block per worker,
/// and the candidates (a little over k per target). Targets are split among
/// `workers` threads, each calling single-threaded OpenBLAS; the result does
/// not depend on the number of workers.
public enum NearestNeighbours {
    /// Targets per SGEMM block.
    static let targetBlock = 1024

    /// Row numbers of the k nearest public rows of each target, nearest first:
    /// `count · k` values, row-major. `targets` holds `count` rows of
    /// `publicRows.rowLength` finite values.
    public static func search(
        targets: [Float], count: Int, publicRows: FloatPanelReader, k: Int,
        workers: Int = FileAlignment.defaultWorkers
    ) throws -> [Int32] {
        let d = publicRows.rowLength
        precondition(targets.count == count * d && k >= 1 && k <= publicRows.rowCount)
        openblas_set_num_threads(1)
        let targetNorms = norms(targets, rows: count, length: d)
        // γ_D is finite for D < 2²⁴; beyond that the screen keeps every row (still exact, just slower).
        let gamma = Double(d) * 0x1p-24 < 0.5 ? Double(d) * 0x1p-24 / (1 - Double(d) * 0x1p-24) : .infinity
        let slack = Double(d + 8) * 0x1p-52
        var candidates = [[Candidate]](repeating: [], count: count)
        var bounds = [Double](repeating: .infinity, count: count)
        var panel = [Float](repeating: 0, count: publicRows.panelRows * d)
        let blockCount = (count + targetBlock - 1) / targetBlock
        @Sendable func targetRange(ofBlock block: Int) -> Range<Int> {
            (block * targetBlock)..<min(count, (block + 1) * targetBlock)
        }

        try targets.withUnsafeBufferPointer { targetBuffer in
            try candidates.withUnsafeMutableBufferPointer { candidateBuffer in
                try bounds.withUnsafeMutableBufferPointer { boundBuffer in
                    try panel.withUnsafeMutableBufferPointer { panelBuffer in
                        // Shared by the workers: the targets and the panel are only read; a target's
                        // candidates and bound are written only by the worker whose block holds it.
                        let p = panelBuffer.baseAddress!
                        let targets = ParallelBuffer(reading: targetBuffer.baseAddress!)
                        let shared = ParallelBuffer(panelBuffer)
                        let candidates = ParallelBuffer(candidateBuffer), bounds = ParallelBuffer(boundBuffer)
                        for panelNumber in 0..<publicRows.panelCount {
                            let rows = publicRows.rows(ofPanel: panelNumber)
                            try publicRows.read(panel: panelNumber, into: p, workers: workers)
                            let publicNorms = try checkedNorms(p, rows: rows, of: publicRows)
                            // Per worker: the SGEMM output of a block of targets, and the screen's scratch.
                            try ParallelBlocks.run(blockCount, workers: workers, state: {
                                ([Float](repeating: 0, count: targetBlock * rows.count), Scratch())
                            }) { block, state in
                                let block = targetRange(ofBlock: block)
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(block.count),
                                            Int32(rows.count), Int32(d), 1, targets.base + block.lowerBound * d,
                                            Int32(d), shared.base, Int32(d), 0, &state.0, Int32(rows.count))
                                for target in block {
                                    let screen = Screen(norm: targetNorms[target], gamma: gamma, slack: slack)
                                    state.0.withUnsafeBufferPointer { products in
                                        Self.screen(products.baseAddress! + (target - block.lowerBound) * rows.count,
                                                    publicNorms: publicNorms, firstRow: rows.lowerBound,
                                                    screen: screen, k: k, into: &candidates[target],
                                                    bound: &bounds[target], scratch: &state.1)
                                    }
                                }
                            }
                        }
                        for panelNumber in 0..<publicRows.panelCount {
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
        var result = [Int32]()
        result.reserveCapacity(count * k)
        for list in candidates {
            let ordered = list.sorted { ($0.distance, $0.row) < ($1.distance, $1.row) }
            result.append(contentsOf: ordered.prefix(k).map(\.row))
        }
        return result
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

    /// The error bound of one target's screen: e = 2γ‖t‖‖p‖ + slack·(‖t‖² + ‖p‖² + 2‖t‖‖p‖).
    struct Screen {
        let norm: Norm
        let gamma: Double
        let slack: Double

        @inline(__always)
        func interval(product: Float, publicNorm: Norm) -> (lower: Double, upper: Double) {
            guard product.isFinite else { return (-.infinity, .infinity) }
            let cross = norm.length * publicNorm.length
            let estimate = norm.squared + publicNorm.squared - 2 * Double(product)
            let error = 2 * gamma * cross + slack * (norm.squared + publicNorm.squared + 2 * cross)
            // No usable bound (γ_D infinite, or ∞·0): the row is kept, never wrongly dropped.
            guard error.isFinite && estimate.isFinite else { return (-.infinity, .infinity) }
            return (estimate - error, estimate + error)
        }
    }

    struct Scratch {
        var fresh: [Candidate] = []
        var uppers: [Double] = []
    }

    /// Screens one panel's products for one target: lowers its bound U to the
    /// k-th smallest upper end seen, drops candidates whose lower end exceeds
    /// U, and adds the panel's rows that pass.
    @inline(__always)
    static func screen(
        _ products: UnsafePointer<Float>, publicNorms: [Norm], firstRow: Int, screen: Screen, k: Int,
        into list: inout [Candidate], bound: inout Double, scratch: inout Scratch
    ) {
        scratch.fresh.removeAll(keepingCapacity: true)
        for j in 0..<publicNorms.count {
            let (lower, upper) = screen.interval(product: products[j], publicNorm: publicNorms[j])
            if lower <= bound {
                scratch.fresh.append(Candidate(upper: upper, lower: lower, distance: .nan, row: Int32(firstRow + j)))
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

    /// ‖p‖² and ‖p‖ of each row of a panel; a row that is not finite is an error.
    static func checkedNorms(_ panel: UnsafePointer<Float>, rows: Range<Int>, of reader: FloatPanelReader) throws -> [Norm] {
        let norms = norms(UnsafeBufferPointer(start: panel, count: rows.count * reader.rowLength), rows: rows.count,
                          length: reader.rowLength)
        if let bad = norms.firstIndex(where: { !$0.squared.isFinite }) {
            let dataset = reader.reader.dataset
            throw SSLMemError(file: dataset.file.path, dataset: dataset.path,
                              "row \(rows.lowerBound + bad) holds NaN or Inf (or overflows Float64 when squared)")
        }
        return norms
    }

    static func norms(_ values: some Collection<Float>, rows: Int, length: Int) -> [Norm] {
        var result = [Norm]()
        result.reserveCapacity(rows)
        var iterator = values.makeIterator()
        for _ in 0..<rows {
            var sum = 0.0
            for _ in 0..<length {
                let value = Double(iterator.next()!)
                sum += value * value
            }
            result.append(Norm(squared: sum, length: sum.squareRoot()))
        }
        return result
    }
}
