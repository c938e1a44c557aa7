import CBLAS
import Foundation

/// The OpenBLAS kernel family the nearest-neighbour search runs on.
///
/// OpenBLAS picks its kernels when it is loaded, from the CPU model. Debian 12's
/// OpenBLAS 0.3.21 does not know recent Xeons (Sapphire Rapids, or any CPU a
/// hypervisor reports as a plain "Intel Xeon Processor") and falls back to its
/// SSE3 "Prescott" kernels, which run SGEMM about 3× slower than the AVX-512
/// ones. The choice can only be changed through `OPENBLAS_CORETYPE` before
/// OpenBLAS loads, so `preferredCoreType` names the kernel family the CPU can
/// run, and the CLI restarts itself once with it set.
public enum BLASKernel {
    /// The kernel family OpenBLAS chose in this process, e.g. "SkylakeX" or "Prescott".
    public static var coreName: String { String(cString: sslmem_blas_corename()) }

    /// A better `OPENBLAS_CORETYPE` when OpenBLAS fell back to Prescott on a CPU
    /// with AVX-512 (SkylakeX) or AVX2 and FMA (Haswell), and the user has not
    /// chosen one; nil otherwise.
    public static var preferredCoreType: String? { preferredCoreType(assuming: coreName) }

    /// `preferredCoreType` as if OpenBLAS had chosen `coreName`, in this process's environment and on this CPU.
    public static func preferredCoreType(assuming coreName: String) -> String? {
        preferredCoreType(
            coreName: coreName, environment: ProcessInfo.processInfo.environment,
            avx512f: sslmem_cpu_has_avx512f() != 0, avx2FMA: sslmem_cpu_has_avx2_fma() != 0)
    }

    /// The choice of `preferredCoreType` for a core name OpenBLAS reports, an environment and CPU features.
    public static func preferredCoreType(
        coreName: String, environment: [String: String], avx512f: Bool,
        avx2FMA: Bool
    ) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, coreName.lowercased() == "prescott" else { return nil }
        if avx512f { return "SkylakeX" }
        if avx2FMA { return "Haswell" }
        return nil
    }
}
