import CCoreKernels
import Foundation
import SSLMemSupport

extension NearestNeighbours {
    /// Which products the brute-force search screens with (`nearest(…, products:)`).
    enum ProductScreen: Sendable {
        /// bfloat16 on AMX where the CPU and the system allow it and the rows qualify (`BFloat16Screen.applies`),
        /// else Float32 SGEMM. SSLMEM_KNN_AMX=off chooses SGEMM (benchmarks compare the two).
        case automatic
        /// Float32 SGEMM.
        case float32
        /// bfloat16 on AMX (tests; falls back to SGEMM where AMX is not ready), with an optional wrong bound.
        case bfloat16(BFloat16Screen.Mutation)
    }

    /// The first screen of the brute-force search on Intel AMX: every target · public product as a bfloat16
    /// product (CCoreKernels' `sslmem_bf16_gemm`, bf16_gemm.c), about three times the speed of OpenBLAS's
    /// SGEMM here, with a looser but proven bound; the rows it passes are screened again with Float32 dots and
    /// the Float32 bound (`Refinement`), and the rest of the search (exact distances, ties) is unchanged. So
    /// the neighbours are exactly those of the SGEMM screen.
    ///
    /// Bound (bf16_gemm.c): with α = ‖t − b(t)‖/‖t‖ of the target and ρ the largest ‖p − b(p)‖/‖p‖ of the
    /// panel's rows, both from the packing, and γ_D = D·2⁻²⁴/(1 − D·2⁻²⁴),
    ///
    ///     |ŝ − t·p| ≤ (α + (1 + α)ρ + γ_D(1 + α)(1 + ρ))‖t‖‖p‖ + 3D·2⁻¹²⁶.
    ///
    /// The first term is the screen's γ (raised by 2⁻³⁰ of itself for the Float64 arithmetic that forms it).
    /// The second is below 2⁻²³(‖t‖ + ‖p‖)² whenever ‖t‖ ≥ 2⁻⁴⁰ and D ≤ 2²⁰ (then 1 ≤ 2⁸⁰(‖t‖ + ‖p‖)²);
    /// doubled for the squared distance it goes into the screen's slack as 2⁻¹⁹. Targets shorter than 2⁻⁴⁰,
    /// rows longer than 2²⁰ values or shorter than 32 (a tile's width: mostly padding) keep the SGEMM screen.
    enum BFloat16Screen {
        /// A wrong bound for tests: `float32Bound` screens the bfloat16 products with SGEMM's γ_D only, which
        /// drops true neighbours where bfloat16's rounding reorders near-equal distances.
        enum Mutation: Sendable {
            case none
            case float32Bound
        }

        /// Whether the search of `count` targets of length d, with these target norms, screens with bfloat16.
        static func applies(_ choice: ProductScreen, norms: [Norm], length d: Int) -> Bool {
            switch choice {
            case .float32: return false
            case .automatic:
                if let setting = getenv("SSLMEM_KNN_AMX"), String(cString: setting) == "off" { return false }
            case .bfloat16: break
            }
            guard d >= 32, d <= 1 << 20, sslmem_amx_bf16_ready() != 0 else { return false }
            return norms.allSatisfy { $0.length >= 0x1p-40 }
        }

        /// The bfloat16 products' screen for one target (rounding error `alpha`) against a panel (largest
        /// rounding error `rho`), given the Float32 screen's.
        static func screen(_ float32: Screen, length d: Int, alpha: Double, rho: Double, _ mutation: Mutation)
            -> Screen
        {
            let gammaD = Double(d) * 0x1p-24 / (1 - Double(d) * 0x1p-24)
            switch mutation {
            case .none:
                let gamma = (alpha + (1 + alpha) * rho + gammaD * (1 + alpha) * (1 + rho)) * (1 + 0x1p-30)
                return Screen(
                    norm: float32.norm, gamma: gamma, slack: float32.slack + 0x1p-19, absolute: float32.absolute)
            case .float32Bound:
                return float32
            }
        }
    }

    /// Rows rounded to bfloat16 in AMX tile order (`sslmem_bf16_pack`), for `rows` rows of length d.
    final class PackedRows: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt16>
        let capacity: Int

        init(rows: Int, length d: Int) {
            capacity = max(1, sslmem_bf16_packed_count(rows, d))
            base = .allocate(capacity: capacity)
            HugePages.advise(UnsafeMutableRawBufferPointer(start: base, count: capacity * 2))
        }

        deinit { base.deallocate() }

        /// Packs `rows` rows at `values` as the left (targets) or right (public rows) operand, in parts of whole
        /// 16-row groups on `workers` threads; returns each row's relative rounding error ‖x − b(x)‖/‖x‖.
        @discardableResult
        func pack(_ values: UnsafePointer<Float>, rows: Int, length d: Int, right: Bool, workers: Int) -> [Double] {
            let groups = (rows + 15) / 16
            let parts = max(1, min(workers, groups))
            let perGroup = (d + 31) / 32 * 512
            var relative = [Double](repeating: .infinity, count: rows)
            relative.withUnsafeMutableBufferPointer { errors in
                let out = ParallelBuffer(base)
                let input = ParallelBuffer(reading: values)
                let error = ParallelBuffer(errors)  // each part writes its own rows
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let first = part * groups / parts * 16
                    let end = min(rows, (part + 1) * groups / parts * 16)
                    guard first < end else { return }
                    sslmem_bf16_pack(
                        input.base + first * d, end - first, d, right ? 1 : 0, out.base + first / 16 * perGroup,
                        error.base + first)
                }
            }
            return relative
        }
    }

    /// The second screen of a bfloat16-screened target: Float32 dots of the rows the first passed, judged with
    /// the Float32 bound, or, where the panel has a half-precision copy (`HalfRows`: half the bytes of these
    /// scattered reads), dots with the halves, judged with the bound that counts their rounding.
    struct Refinement {
        let target: UnsafePointer<Float>
        let panel: UnsafePointer<Float>
        let halves: UnsafePointer<UInt16>?
        let length: Int
        let screen: Screen

        /// The dots of `target` with the panel rows `rows`.
        func dots(_ rows: UnsafePointer<Int32>, count: Int, into out: UnsafeMutablePointer<Float>) {
            if let halves {
                sslmem_row_dots_half(target, halves, length, rows, count, out)
            } else {
                sslmem_row_dots(target, panel, length, rows, count, out)
            }
        }
    }
}
