import Foundation
import SSLMemCore

/// Restarts this process once with `OPENBLAS_CORETYPE` set when OpenBLAS fell
/// back to slow generic kernels on a CPU it did not recognise (`BLASKernel`);
/// commands that search nearest neighbours call it first. If the restart
/// fails, the command carries on with the slower kernels.
///
/// For tests only: with `SSLMEM_TEST_BLAS_CORENAME` set, that name stands for
/// the core OpenBLAS chose (e.g. "Prescott", to take the restart on a CPU that
/// OpenBLAS recognises), and the process prints `openblas core: NAME` (the core
/// OpenBLAS really runs) on stderr when it goes on without a restart.
func useFastBLASKernels() {
    let environment = ProcessInfo.processInfo.environment
    let probe = environment["SSLMEM_TEST_BLAS_CORENAME"]
    let core = probe.map(BLASKernel.preferredCoreType(assuming:)) ?? BLASKernel.preferredCoreType
    guard let core else {
        if probe != nil { FileHandle.standardError.write(Data("openblas core: \(BLASKernel.coreName)\n".utf8)) }
        return
    }
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}
