import Foundation
import SSLMemCore

/// Restarts this process once with `OPENBLAS_CORETYPE` set when OpenBLAS fell
/// back to slow generic kernels on a CPU it did not recognise (`BLASKernel`);
/// commands that search nearest neighbours call it first. If the restart
/// fails, the command carries on with the slower kernels.
func useFastBLASKernels() {
    guard let core = BLASKernel.preferredCoreType else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}
